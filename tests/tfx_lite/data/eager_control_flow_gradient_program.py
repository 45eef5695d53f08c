import sys
if sys.argv[1] == "tf":
    import tensorflow as tf
else:
    import tfx_lite as tf
import numpy as np
v = tf.Variable(np.ones((2, 2), np.float32) * 0.5)
xs = tf.constant(np.arange(6, dtype=np.float32).reshape(3, 2) / 4)
w = tf.constant([1.5, -0.5])
with tf.GradientTape(persistent=True) as t:
    t.watch(w)
    out = tf.scan(lambda h, x: tf.matmul(h, v) + x * w, xs, initializer=tf.constant([[1.0, 1.0]]))
    m = tf.map_fn(lambda x: tf.reduce_sum(x * w), xs)
    c = tf.cond(tf.constant(True), lambda: w * 2.0, lambda: w)
print(np.round(t.gradient(out, v).numpy(), 5).tolist(), np.round(t.gradient(out, w).numpy(), 5).tolist())
print(np.round(t.gradient(m, w).numpy(), 5).tolist(), np.round(t.gradient(c, w).numpy(), 5).tolist())
