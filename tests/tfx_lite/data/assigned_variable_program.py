# Gradients with respect to a variable assigned while the tape records: every read counts.
# (TF 2.21 gives None for `a = x * 3; x.assign(5.0); b = x * x; gradient(a + b, x)`, which we
# do not reproduce: 13 here.)
import sys
if sys.argv[1] == "tf":
    import tensorflow as tf
else:
    import tfx_lite as tf
x = tf.Variable(1.0)
with tf.GradientTape() as t:
    y = x * x
    x.assign_sub(1.0)
print("after_assign_sub", t.gradient(y, x))
x = tf.Variable(1.0)
with tf.GradientTape() as t:
    a = x * 3.0
    x.assign(5.0)
print("a_only", t.gradient(a, x))
x = tf.Variable(1.0)
with tf.GradientTape() as t:
    x.assign(5.0)
    b = x * x
print("b_only", t.gradient(b, x))
x = tf.Variable(2.0)
with tf.GradientTape() as t:
    y = x * x
    x.assign_add(1.0)
    z = x * 10.0
print("y_z", t.gradient([y, z], x))
