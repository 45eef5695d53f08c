import sys
if sys.argv[1] == "tf":
    import tensorflow as tf
else:
    import tfx_lite as tf
x = tf.Variable(3.0)
with tf.GradientTape() as t:
    y = x * x
    g = t.gradient(y, x)
print("inside", g)
try:
    t.gradient(y, x)
except Exception as e: print(type(e).__name__, e)
c = tf.constant(2.0)
with tf.GradientTape() as t:
    y = c * c
print("unwatched", t.gradient(y, c))
i = tf.constant(2)
with tf.GradientTape() as t:
    t.watch(i)
    y = i * i
print("int", t.gradient(y, i))
with tf.GradientTape() as t:
    y = x * 2.0
print("zero", t.gradient(c * 2.0, [x, c], unconnected_gradients=tf.UnconnectedGradients.ZERO))
with tf.GradientTape() as t:
    t.watch(c)
    y = tf.stack([c, c * c, c * 3])
print("sum", t.gradient(y, c), t.gradient if False else "")
with tf.GradientTape(persistent=True) as t:
    t.watch(c)
    y = c * c
print(t.gradient(y, c, output_gradients=tf.constant(3.0)), t.gradient(y, c))
with tf.GradientTape() as t:
    t.watch(c)
    y = tf.cast(tf.cast(c, tf.int32), tf.float32)
print("castint", t.gradient(y, c))
with tf.GradientTape() as t:
    y = tf.stop_gradient(x) * 2.0
print("sg", t.gradient(y, x))
with tf.GradientTape(watch_accessed_variables=False) as t:
    y = x * 2.0
print("noauto", t.gradient(y, x), t.watched_variables())
with tf.GradientTape() as t:
    y = x * 2.0
print(t.watched_variables())
with tf.GradientTape() as t:
    t.watch(c)
    y = {"a": c * c, "b": [c * 2.0]}
print(t.gradient(y, {"k": c, "l": (c,)}))
with tf.GradientTape() as outer:
    with tf.GradientTape() as inner:
        y = x ** 3
    dy = inner.gradient(y, x)
print("second", outer.gradient(dy, x))
with tf.GradientTape() as t:
    t.watch(c)
    y = c * tf.constant([1.0, 2.0])
print("jac", t.jacobian(y, c))
with tf.GradientTape() as t:
    t.watch(c)
print("self", t.gradient(c, c))
with tf.GradientTape() as t:
    t.watch(c)
    y = c * 2.0
try:
    t.gradient(y, [c, 3.0])
except Exception as e: print(type(e).__name__)
