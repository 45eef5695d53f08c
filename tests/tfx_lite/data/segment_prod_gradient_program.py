import sys
if sys.argv[1] == "tf":
    import tensorflow as tf
else:
    import tfx_lite as tf
import numpy as np
x = tf.constant([[1.0, 2.0], [3.0, 0.0], [0.0, 0.0], [5.0, 6.0], [7.0, 8.0]])
ids = tf.constant([0, 0, 1, 2, 2])
with tf.GradientTape(persistent=True) as t:
    t.watch(x)
    y = tf.math.segment_prod(x, ids)
    z = tf.math.unsorted_segment_prod(x, tf.constant([1, 0, 1, 0, 2]), 3)
print(y.numpy().tolist())
print(t.gradient(y, x).numpy().tolist())
print(t.gradient(z, x).numpy().tolist())
