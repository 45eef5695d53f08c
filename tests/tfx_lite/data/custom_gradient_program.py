import sys
if sys.argv[1] == "tf":
    import tensorflow as tf
else:
    import tfx_lite as tf
@tf.custom_gradient
def log1pexp(x):
    e = tf.exp(x)
    def grad(upstream):
        return upstream * (1 - 1 / (1 + e))
    return tf.math.log(1 + e), grad
x = tf.constant(100.0)
with tf.GradientTape() as t:
    t.watch(x)
    y = log1pexp(x)
print("cg", y.numpy(), t.gradient(y, x).numpy())
@tf.custom_gradient
def clip_grad(x, s):
    def grad(dy):
        return tf.clip_by_value(dy, -0.1, 0.1) * s, None
    return tf.identity(x) * s, grad
a = tf.constant([1.0, 2.0]); s = tf.constant(3.0)
with tf.GradientTape(persistent=True) as t:
    t.watch([a, s])
    y = tf.reduce_sum(clip_grad(a, s) * 5.0)
print("clip", t.gradient(y, a).numpy(), t.gradient(y, s))
v = tf.Variable(2.0)
@tf.custom_gradient
def scale(x):
    def grad(dy, variables=None):
        return dy * v * 10.0, [tf.reduce_sum(dy * x * 100.0)]
    return x * v, grad
with tf.GradientTape() as t:
    t.watch(a)
    y = tf.reduce_sum(scale(a))
ga, gv = t.gradient(y, [a, v])
print("vars", ga.numpy(), gv.numpy())
@tf.function
def f(x):
    with tf.GradientTape() as t:
        t.watch(x)
        y = log1pexp(x)
    return t.gradient(y, x)
print("fn", f(tf.constant(100.0)).numpy(), f(tf.constant(0.0)).numpy())
@tf.recompute_grad
def block(x):
    return tf.sin(x) * tf.cos(x)
with tf.GradientTape() as t:
    t.watch(a)
    y = tf.reduce_sum(block(a))
print("remat", y.numpy(), t.gradient(y, a).numpy())
w = tf.Variable([1.0, -1.0])
@tf.function
def g(x):
    with tf.GradientTape() as t:
        y = tf.cond(tf.reduce_sum(x) > 0, lambda: tf.reduce_sum(w * x), lambda: tf.reduce_sum(w))
    return t.gradient(y, w)
print("condvar", g(a).numpy(), g(-a).numpy())
x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
with tf.GradientTape(persistent=True) as t:
    t.watch(x)
    y = x * x * tf.constant([1.0, 2.0])
print("jac", t.jacobian(y, x).numpy().tolist())
print("bjac", t.batch_jacobian(y, x).numpy().tolist())
with tf.GradientTape() as t2:
    t2.watch(x)
    with tf.GradientTape() as t1:
        t1.watch(x)
        y = tf.reduce_sum(tf.sin(x))
    g1 = t1.gradient(y, x)
print("hess", t2.jacobian(g1, x).numpy().round(4).tolist())
