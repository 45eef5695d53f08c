"""AutoGraph as TF's tf.function guides show it: data/autograph_guide_program.py printed
autograph_guide_program.tf.txt under TensorFlow 2.21 (Python control flow on tensors run eagerly
and traced, print vs tf.print per trace, TensorArrays in loops, loops over datasets, a training
loop, gradients through converted if/while); tfx_lite must print the same."""
from tests.tfx_lite.tf_programs import assert_prints_what_tf_printed


def test_autograph_guide_program_prints_what_tf_prints():
    assert_prints_what_tf_printed("autograph_guide_program")
