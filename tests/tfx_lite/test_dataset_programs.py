"""tf.data.Dataset against TensorFlow.

The programs in data/ (dataset_*_program.py) were run under TensorFlow 2.21 (Keras 3.15.1 for the fit
program); their printed output is stored next to them (`*.tf.txt`) and tfx_lite must print the same text."""
import pathlib
import subprocess
import sys

import pytest

DATA = pathlib.Path(__file__).parent / "data"


@pytest.mark.parametrize("name", ["dataset_sources_program", "dataset_transforms_program",
                                  "dataset_shuffle_program", "dataset_errors_program",
                                  "dataset_fit_program"])
def test_programs_print_what_tf_prints(name):
    out = subprocess.run([sys.executable, str(DATA / f"{name}.py"), "tfx_lite"], capture_output=True,
                         text=True, cwd=str(DATA))
    assert out.returncode == 0, out.stderr
    assert out.stdout == (DATA / f"{name}.tf.txt").read_text()
