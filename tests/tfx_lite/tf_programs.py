"""Programs in data/ that print what TensorFlow printed: `python data/NAME.py tf` was run under
TensorFlow 2.21 (Keras 3.15.1) and its stdout stored as data/NAME.tf.txt; tfx_lite must print
the same text."""
import pathlib
import subprocess
import sys

DATA = pathlib.Path(__file__).parent / "data"


def assert_prints_what_tf_printed(name):
    out = subprocess.run([sys.executable, str(DATA / f"{name}.py"), "tfx_lite"], capture_output=True,
                         text=True, cwd=str(DATA))
    assert out.returncode == 0, out.stderr
    assert out.stdout == (DATA / f"{name}.tf.txt").read_text()
