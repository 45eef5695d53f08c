"""tf.data.Dataset against TensorFlow.

The programs in data/ (dataset_*_program.py) were run under TensorFlow 2.21 (Keras 3.15.1 for the fit
program); their printed output is stored next to them (`*.tf.txt`) and tfx_lite must print the same text."""
import pytest

from tests.tfx_lite.tf_programs import assert_prints_what_tf_printed


@pytest.mark.parametrize("name", ["dataset_sources_program", "dataset_transforms_program",
                                  "dataset_shuffle_program", "dataset_errors_program",
                                  "dataset_fit_program", "dataset_ragged_program"])
def test_programs_print_what_tf_prints(name):
    assert_prints_what_tf_printed(name)
