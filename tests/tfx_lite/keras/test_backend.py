"""tf.keras.backend: data/keras_backend_program.py prints what TF 2.21 (Keras 3.15.1) printed."""
from tests.tfx_lite.tf_programs import assert_prints_what_tf_printed


def test_backend_program_prints_what_tf_prints():
    assert_prints_what_tf_printed("keras_backend_program")
