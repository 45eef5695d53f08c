"""tf.saved_model.save / load. data/saved_model_program.py saves, then loads in a second process
that never defines the saved classes; under TensorFlow 2.21 it printed saved_model_program.tf.txt
and tfx_lite must print the same (including the losses of training continued after loading)."""
from tests.tfx_lite.tf_programs import assert_prints_what_tf_printed


def test_saved_model_program_prints_what_tf_prints():
    assert_prints_what_tf_printed("saved_model_program")
