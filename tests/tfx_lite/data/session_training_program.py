"""TF1 variables and training in a Session (issue 8, part 3): initializers, assign ops,
tf.gradients, GradientDescent/Momentum/Adam minimize, get_variable with variable_scope reuse,
Saver; session_training_program.tf.txt is what TensorFlow 2.21 printed."""
import os
import tempfile

import numpy as np

from program import v1 as tf
tf.disable_eager_execution()


def show(label, value):
    value = np.asarray(value)
    print(label, np.round(value.astype(np.float64), 4).tolist() if value.dtype.kind == "f" else value.tolist(),
          value.dtype)


def run(what, fn):
    try:
        result = fn()
    except Exception as e:  # noqa: BLE001
        print(what, "->", type(e).__name__)
        return None
    print(what, "->", result)
    return result


print("# variables and assign ops")
v = tf.Variable([1.0, 2.0], name="v")
w = tf.Variable(3)
print(v.name, v.dtype, v.shape, w.name)
print([x.name for x in tf.global_variables()], [x.name for x in tf.trainable_variables()])
with tf.Session() as sess:
    run("read before init", lambda: sess.run(v))
    sess.run(tf.global_variables_initializer())
    show("v", sess.run(v))
    show("assign", sess.run(v.assign([5.0, 6.0])))
    show("after assign", sess.run(v))
    show("assign_add", sess.run(v.assign_add([1.0, 1.0])))
    show("assign_sub", sess.run(tf.assign_sub(v, [0.5, 0.5])))
    show("w * 2", sess.run(w * 2))
    sess.run(tf.group(v.assign([0.0, 0.0]), w.assign(7)))
    show("after group", sess.run([v, w])[0])
    show("w after group", sess.run(w))
    run("assign wrong shape", lambda: v.assign([1.0, 2.0, 3.0]))
with tf.Session() as sess:
    run("new session starts uninitialized", lambda: sess.run(w))
    sess.run(w.initializer)
    show("w initialized alone", sess.run(w))

print("# tf.gradients")
tf.reset_default_graph()
x = tf.placeholder(tf.float32, [None, 2])
a = tf.Variable([[1.0], [-2.0]])
c = tf.Variable(0.5)
out = tf.reduce_sum(tf.tanh(tf.matmul(x, a) + c) ** 2)
ga, gc, gx = tf.gradients(out, [a, c, x])
unconnected = tf.gradients(out, [tf.Variable(1.0)])
print("unconnected", unconnected)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    feed = {x: [[0.5, 0.25], [1.0, -1.0]]}
    show("d/da", sess.run(ga, feed))
    show("d/dc", sess.run(gc, feed))
    show("d/dx", sess.run(gx, feed))

print("# linear regression with GradientDescentOptimizer")
tf.reset_default_graph()
xs = np.linspace(-1.0, 1.0, 40, dtype=np.float32).reshape(-1, 1)
ys = 3.0 * xs + 2.0
X = tf.placeholder(tf.float32, [None, 1])
Y = tf.placeholder(tf.float32, [None, 1])
W = tf.Variable(tf.zeros([1, 1]))
b = tf.Variable(tf.zeros([1]))
loss = tf.reduce_mean(tf.square(tf.matmul(X, W) + b - Y))
step = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(60):
        _, l = sess.run([step, loss], {X: xs, Y: ys})
        if i in (0, 1, 59):
            show(f"loss {i}", l)
    show("W", sess.run(W))
    show("b", sess.run(b))
    show("prediction batch of 3", sess.run(tf.matmul(X, W) + b, {X: [[0.0], [1.0], [2.0]]}))

print("# Momentum and Adam, three steps each")
for make in (lambda: tf.train.MomentumOptimizer(0.1, 0.9), lambda: tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
             lambda: tf.train.AdamOptimizer(0.1)):
    tf.reset_default_graph()
    p = tf.Variable([1.0, -2.0, 0.5])
    q = tf.Variable(2.0)
    objective = tf.reduce_sum(p * p * [1.0, 2.0, 3.0]) + q * q * q
    opt = make()
    train = opt.minimize(objective)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train)
        show(type(opt).__name__ + " p", sess.run(p))
        show(type(opt).__name__ + " q", sess.run(q))
    print("variables", len(tf.global_variables()), "trainable", len(tf.trainable_variables()))

print("# two-layer network on a separable problem")
tf.reset_default_graph()
rng = np.random.default_rng(0)
points = rng.normal(size=(64, 2)).astype(np.float32)
labels = (points[:, :1] + points[:, 1:] > 0).astype(np.float32)
inp = tf.placeholder(tf.float32, [None, 2])
target = tf.placeholder(tf.float32, [None, 1])
w1 = tf.Variable(rng.normal(size=(2, 8)).astype(np.float32) * 0.5)
b1 = tf.Variable(np.zeros(8, np.float32))
w2 = tf.Variable(rng.normal(size=(8, 1)).astype(np.float32) * 0.5)
b2 = tf.Variable(np.zeros(1, np.float32))
logits = tf.matmul(tf.nn.relu(tf.matmul(inp, w1) + b1), w2) + b2
xent = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=target, logits=logits))
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.cast(logits > 0, tf.float32), target), tf.float32))
train = tf.train.GradientDescentOptimizer(1.0).minimize(xent)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(200):
        sess.run(train, {inp: points, target: labels})
    show("accuracy", sess.run(accuracy, {inp: points, target: labels}))

print("# get_variable and variable_scope")
tf.reset_default_graph()
with tf.variable_scope("layer"):
    k = tf.get_variable("kernel", [2, 2], initializer=tf.constant_initializer(0.5))
    z = tf.get_variable("bias", [2], initializer=tf.zeros_initializer())
print(k.name, z.name, k.shape)
run("create twice", lambda: tf.get_variable("layer/kernel", [2, 2]))
with tf.variable_scope("layer", reuse=True):
    print("reused is same", tf.get_variable("kernel") is k)
    run("reuse missing", lambda: tf.get_variable("other", [1]))
with tf.variable_scope("layer", reuse=tf.AUTO_REUSE):
    print("auto reuse is same", tf.get_variable("kernel", [2, 2]) is k)
    n = tf.get_variable("new", [3], initializer=tf.ones_initializer())
print(n.name)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    show("kernel", sess.run(k))
    show("new", sess.run(n))

print("# Saver")
tf.reset_default_graph()
s1 = tf.Variable([1.0, 2.0], name="s1")
s2 = tf.Variable(5, name="s2")
saver = tf.train.Saver()
directory = tempfile.mkdtemp()
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(s1.assign([9.0, 8.0]))
    path = saver.save(sess, os.path.join(directory, "model.ckpt"))
    print("saved", os.path.basename(path), os.path.exists(path + ".index"))
with tf.Session() as sess:
    saver.restore(sess, path)
    show("restored s1", sess.run(s1))
    show("restored s2", sess.run(s2))
    run("restore missing file", lambda: saver.restore(sess, os.path.join(directory, "nope.ckpt")))

print("# assignments on a fetch's path, control_dependencies")
tf.reset_default_graph()
counter = tf.Variable(0)
increment = counter.assign_add(1)
doubled = increment * 2
five = tf.constant(5.0)
target_var = tf.Variable(1.0)
set_five = target_var.assign(five)
uses_five = five * 2
with tf.control_dependencies([increment]):
    guarded = tf.identity(tf.constant(3))
plain = tf.constant(3) + 1
weight = tf.Variable(1.0)
train_weight = tf.train.GradientDescentOptimizer(0.1).minimize(weight * weight)
with tf.control_dependencies([train_weight]):
    weight_after = tf.identity(weight)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    show("doubled", sess.run(doubled))
    show("doubled again", sess.run(doubled))
    show("counter", sess.run(counter))
    show("a constant an assign uses", sess.run(uses_five))
    show("target_var untouched", sess.run(target_var))
    show("set_five", sess.run(set_five))
    show("target_var", sess.run(target_var))
    show("guarded", sess.run(guarded))
    show("counter after guarded", sess.run(counter))
    show("plain", sess.run(plain))
    show("counter after plain", sess.run(counter))
    show("weight after train", sess.run(weight_after))
    show("weight", sess.run(weight))
