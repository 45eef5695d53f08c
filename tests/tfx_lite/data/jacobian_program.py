import sys
if sys.argv[1] == "tf":
    import tensorflow as tf
else:
    import tfx_lite as tf
x = tf.constant([1.0, 2.0])
c = tf.constant([3.0, 4.0, 5.0])
with tf.GradientTape(persistent=True) as t:
    t.watch([x, c])
    y = x * 2.0
print(t.jacobian(y, c))
print(t.jacobian(y, c, unconnected_gradients=tf.UnconnectedGradients.ZERO).shape)
print(t.jacobian(y, [x, c], unconnected_gradients="zero")[1].shape)
xb = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
with tf.GradientTape(persistent=True) as t:
    t.watch(xb)
    yb = tf.stack([xb[:, 0] * xb[:, 1], xb[:, 0] ** 2, tf.sin(xb[:, 1])], axis=1)
print(t.batch_jacobian(yb, xb).numpy().round(4).tolist())
