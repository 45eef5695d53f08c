import sys
if sys.argv[1] == "tf":
    import tensorflow as tf
else:
    import tfx_lite as tf
def cf(x):
    with tf.GradientTape() as t:
        t.watch(x)
        y = tf.cond(tf.reduce_sum(x) > 0, lambda: x * x, lambda: x * 3.0)
        z = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a * x), (0, tf.ones_like(x)), maximum_iterations=10)[1]
    return t.gradient([y, z], x)
print(cf(tf.constant([1.0, 2.0])))
print(tf.function(cf)(tf.constant([1.0, 2.0])))
print(cf(tf.constant([-1.0, 0.5])))
def switch(x, i):
    with tf.GradientTape() as t:
        t.watch(x)
        y = tf.switch_case(i, [lambda: x * x, lambda: tf.sin(x), lambda: x * 5.0])
        m = tf.map_fn(lambda r: r * r * r, x)
        s = tf.scan(lambda a, r: a * r, x, initializer=tf.constant(1.0))
    return t.gradient([y, m, s], x)
for i in range(3):
    print(tf.function(switch)(tf.constant([1.0, 2.0]), tf.constant(i)))
