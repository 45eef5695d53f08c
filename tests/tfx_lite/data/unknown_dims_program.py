import sys
if sys.argv[1] == "tf":
    import tensorflow as tf
else:
    import tfx_lite as tf
import numpy as np
spec = [tf.TensorSpec([None, 3], tf.float32), tf.TensorSpec([None], tf.int32)]
@tf.function(input_signature=spec)
def f(x, i):
    w = tf.constant(np.arange(12, dtype=np.float32).reshape(3, 4))
    out = {
      "matmul": tf.matmul(x, w),
      "sum1": tf.reduce_sum(x, axis=1),
      "mean": tf.reduce_mean(x),
      "softmax": tf.nn.softmax(x),
      "concat": tf.concat([x, x], axis=0),
      "col": x[:, 0],
      "gather": tf.gather(x, i),
      "shape": tf.shape(x),
      "size": tf.size(x),
      "cond": tf.cond(tf.reduce_sum(x) > 0, lambda: x * 2.0, lambda: x),
      "map": tf.map_fn(lambda r: tf.reduce_max(r), x),
      "onehot": tf.one_hot(i, 4),
      "argmax": tf.argmax(x, axis=1),
      "expand": tf.expand_dims(x, 0),
      "transpose": tf.transpose(x),
      "where": tf.where(x > 2.0, x, tf.zeros_like(x)),
      "cumsum": tf.cumsum(x, axis=0),
      "topk": tf.math.top_k(x, 2).values,
      "sq": tf.squeeze(tf.reshape(x, [-1, 1, 3]), 1),
      "unknown_reshape": tf.reshape(x, [-1]),
      "batchdim": tf.reshape(x, [tf.shape(x)[0] * 3]),
    }
    return out
c = f.get_concrete_function()
for k, v in sorted(c.structured_outputs.items()):
    print(k, v.shape, v.dtype.name)
x = tf.constant(np.arange(6, dtype=np.float32).reshape(2, 3) - 1.0)
i = tf.constant([1, 0, 1])
r = f(x, i)
for k, v in sorted(r.items()):
    print(k, np.round(v.numpy(), 4).tolist())
x = tf.constant(np.arange(12, dtype=np.float32).reshape(4, 3))
r = f(x, tf.constant([3]))
for k, v in sorted(r.items()):
    print(k, v.shape)
print(f.experimental_get_tracing_count())
