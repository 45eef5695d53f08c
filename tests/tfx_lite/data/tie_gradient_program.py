import sys
if sys.argv[1] == "tf":
    import tensorflow as tf
else:
    import tfx_lite as tf
import numpy as np
x = tf.constant([0.0, 6.0, -1.0, 2.0, np.nan])
y = tf.constant([0.0, 6.0, 1.0, 2.0, 1.0])
for name, f in (("relu", tf.nn.relu), ("relu6", tf.nn.relu6), ("leaky", lambda v: tf.nn.leaky_relu(v, 0.2)), ("elu", tf.nn.elu), ("selu", tf.nn.selu), ("max", lambda v: tf.maximum(v, y)), ("min", lambda v: tf.minimum(v, y)), ("abs", tf.abs), ("clip", lambda v: tf.clip_by_value(v, 0.0, 2.0))):
    with tf.GradientTape() as t:
        t.watch(x)
        out = f(x)
    print(name, np.asarray(out).tolist(), np.asarray(t.gradient(out, x)).tolist())
