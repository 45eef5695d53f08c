"""An unmodified TensorFlow 1-style script through tf.compat.v1, for `tfx-lite run`
(tests/tfx_lite/test_cli_run.py): placeholders, variables, a Session, GradientDescent.
session_script.tf.txt is what TensorFlow 2.21 printed (`python session_script.py`)."""
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()
print("eager", tf.executing_eagerly())

x = tf.placeholder(tf.float32, shape=[None, 2], name="x")
target = tf.placeholder(tf.float32, shape=[None, 1], name="target")
W = tf.Variable([[1.0], [2.0]], name="W")
b = tf.Variable(0.5, name="b")
y = tf.matmul(x, W) + b
loss = tf.reduce_mean(tf.square(y - target))
train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
print(x.shape, y.shape, W.name, [v.name for v in tf.trainable_variables()])

xs = np.array([[1, 1], [2, 3], [0, -1], [1, 0]], np.float32)
ys = xs @ np.array([[0.5], [-1.0]], np.float32) + 1.0
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print("y", sess.run(y, feed_dict={x: [[1, 1], [2, 3]]}).tolist())
    for step in range(5):
        _, value = sess.run([train, loss], {x: xs, target: ys})
        print("step", step, round(float(value), 4))
    print("W", np.round(sess.run(W).astype(np.float64), 4).tolist(), "b", round(float(sess.run(b)), 4))
