"""tf.train.Checkpoint, CheckpointManager and checkpoint readers. data/checkpoint_program.py
printed checkpoint_program.tf.txt under TensorFlow 2.21; tfx_lite must print the same."""
from tests.tfx_lite.tf_programs import assert_prints_what_tf_printed


def test_checkpoint_program_prints_what_tf_prints():
    assert_prints_what_tf_printed("checkpoint_program")
