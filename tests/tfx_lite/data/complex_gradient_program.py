import sys
if sys.argv[1] == "tf":
    import tensorflow as tf
else:
    import tfx_lite as tf
import numpy as np
z = tf.constant(np.complex64(1 + 2j))
w = tf.constant(np.complex64(0.5 - 1j))
cases = {
  "sq": lambda z: z * z,
  "abs": lambda z: tf.cast(tf.abs(z), tf.complex64),
  "real": lambda z: tf.cast(tf.math.real(z), tf.complex64),
  "imag": lambda z: tf.cast(tf.math.imag(z), tf.complex64),
  "conj": lambda z: tf.math.conj(z),
  "mulw": lambda z: z * w,
  "exp": lambda z: tf.exp(z),
}
for k, f in cases.items():
    with tf.GradientTape() as t:
        t.watch(z)
        y = f(z)
    g = t.gradient(y, z)
    print(k, np.round(g.numpy(), 4) + 0)  # + 0: the sign of a zero part is not compared
with tf.GradientTape() as t:
    t.watch(z)
    y = tf.abs(z)
print("absreal", np.round(t.gradient(y, z).numpy(), 4))
with tf.GradientTape() as t:
    t.watch(z)
    y = z * z
print("upstream", np.round(t.gradient(y, z, output_gradients=tf.constant(np.complex64(1j))).numpy(), 4) + 0)
x = tf.constant(np.float32(1.5))
with tf.GradientTape() as t:
    t.watch(x)
    y = tf.cast(x, tf.complex64) * w
print("real_source", np.round(t.gradient(y, x).numpy(), 4) + 0)
