"""A TensorFlow 2 script (`import tensorflow as tf`), for `tfx-lite ir tf_script.py:double`."""
import tensorflow as tf


@tf.function(input_signature=[tf.TensorSpec([2], tf.float32)])
def double(x):
    return x + x


if __name__ == "__main__":
    print(double(tf.constant([1.0, 2.0])))
