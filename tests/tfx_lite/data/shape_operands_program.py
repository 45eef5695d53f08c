import sys
if sys.argv[1] == "tf":
    import tensorflow as tf
else:
    import tfx_lite as tf
import numpy as np
@tf.function(input_signature=[tf.TensorSpec([None,3])])
def k(x):
    return (tf.reshape(x, [tf.shape(x)[0], -1]), tf.zeros(tf.shape(x)), tf.range(tf.shape(x)[0]),
            tf.fill([tf.shape(x)[0], 2], 1.0), tf.broadcast_to(x[:, :1], tf.shape(x)),
            tf.tile(x, [tf.shape(x)[0], 1]), tf.ones([tf.shape(x)[0]]),
            tf.slice(x, [0, 0], [tf.shape(x)[0] - 1, 2]))
for n in (2, 3):
    for o in k(tf.reshape(tf.range(n * 3.0), [n, 3])):
        print(o.numpy().tolist())
print(k.experimental_get_tracing_count())
