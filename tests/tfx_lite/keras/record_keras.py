"""Record what real Keras computes for the Keras test files' cases, into their EXPECTED blocks.

Run with TensorFlow 2.21 / Keras 3.15.1 installed (never a dependency of the project):

    /work/tfref/bin/python tests/tfx_lite/keras/record_keras.py [test_losses test_metrics ...]

Each test file holds its cases between `# BEGIN CASES` and `# END CASES` (plain Python that
builds `CASES = [(name, expression), ...]` without imports), and its recorded results between
`# BEGIN RECORDED` and `# END RECORDED`, which this script rewrites."""
import os
import pprint
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

import keras_cases  # noqa: E402

FILES = ["test_losses", "test_metrics", "test_activations", "test_utils"]


def _between(text, begin, end):
    start = text.index(begin) + len(begin)
    return start, text.index(end, start)


def cases_of(text):
    start, stop = _between(text, "# BEGIN CASES\n", "# END CASES\n")
    scope = {}
    exec(text[start:stop], scope)
    return scope["CASES"]


def record(path):
    with open(path) as f:
        text = f.read()
    names = keras_cases.namespace(tf, keras.losses, keras.metrics, keras.activations,
                                  keras.regularizers, keras.utils)
    results = {}
    for name, expression in cases_of(text):
        assert name not in results, f"duplicate case {name}"
        results[name] = keras_cases.evaluate(expression, names)
    block = (f"# Printed by TensorFlow {tf.__version__} / Keras {keras.__version__} "
             "(record_keras.py); do not edit by hand.\n"
             f"EXPECTED = {pprint.pformat(results, width=100, sort_dicts=False, compact=True)}\n")
    start, stop = _between(text, "# BEGIN RECORDED\n", "# END RECORDED\n")
    with open(path, "w") as f:
        f.write(text[:start] + block + text[stop:])
    errors = [n for n, r in results.items() if isinstance(r, tuple) and r[0] == "error"]
    print(f"{os.path.basename(path)}: {len(results)} cases, errors in {errors}")


if __name__ == "__main__":
    for name in sys.argv[1:] or FILES:
        record(os.path.join(HERE, name if name.endswith(".py") else name + ".py"))
