"""Record what real TensorFlow gives for every case: run with a Python that has tensorflow.

    python tests/tf_reference/record.py [FAMILY ...]
"""
import glob
import importlib.util
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from encoding import encode_array  # noqa: E402


def load_cases(family):
    spec = importlib.util.spec_from_file_location(f"{family}_cases", os.path.join(HERE, f"{family}_cases.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.CASES


def encode(result):
    if isinstance(result, (tf.Tensor, tf.Variable)):
        return {"tensor": encode_array(np.asarray(result.numpy()), result.dtype.name)}
    if isinstance(result, (tuple, list)) and any(isinstance(r, (tf.Tensor, tf.Variable)) for r in result):
        return {"sequence": [encode(r) for r in result]}
    if hasattr(result, "values") and hasattr(result, "indices"):  # namedtuples such as top_k
        return {"sequence": [encode(r) for r in result]}
    if isinstance(result, np.generic):
        result = result.item()
    if isinstance(result, str):
        return {"text": result}
    if isinstance(result, (bool, int, float, type(None))) and not isinstance(result, bytes):
        return {"python": result}
    return {"text": repr(result)}


def record(family):
    out = {}
    for name, expression in load_cases(family):
        if name in out:
            raise SystemExit(f"{family}: case {name!r} appears twice")
        tf.random.set_seed(0)
        try:
            result = eval(expression, {"tf": tf, "np": np})
            out[name] = {"expression": expression, **encode(result)}
            json.dumps(out[name])
        except TypeError as err:
            if "JSON serializable" in str(err):
                raise SystemExit(f"{family}: case {name!r} gave a result that cannot be recorded: {err}")
            out[name] = {"expression": expression, "error": type(err).__name__,
                         "message": str(err).split("\n")[0][:300]}
        except Exception as err:  # noqa: BLE001  (the error type is what we record)
            out[name] = {"expression": expression, "error": type(err).__name__,
                         "message": str(err).split("\n")[0][:300]}
    path = os.path.join(HERE, f"{family}.json")
    text = json.dumps({"tensorflow": tf.__version__, "cases": out}, indent=1, sort_keys=True)
    with open(path + ".tmp", "w") as f:  # written whole, then renamed: readers never see half a file
        f.write(text)
    os.replace(path + ".tmp", path)
    print(f"{family}: {len(out)} cases -> {path}")


if __name__ == "__main__":
    families = sys.argv[1:] or sorted(os.path.basename(p)[:-9] for p in glob.glob(os.path.join(HERE, "*_cases.py")))
    for family in families:
        record(family)
