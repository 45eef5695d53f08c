"""tf.print: tensors formatted without the tf.Tensor wrapper, TF's summarization, Python values
and nests, sep/end, and prints inside a tf.function at every call, in program order."""
import sys

import numpy as np
from program import tf

out = sys.stdout


def flush():
    sys.stdout.flush()


tf.print(tf.constant(7), output_stream=out)
tf.print(tf.constant(0.1), output_stream=out)
tf.print(tf.constant(1 / 3), output_stream=out)
tf.print(tf.constant(1 / 3, dtype=tf.float64), output_stream=out)
tf.print(tf.constant(2.5e-7), tf.constant(1e10), tf.constant(-0.0), output_stream=out)
tf.print(tf.constant(True), tf.constant(False), output_stream=out)
tf.print(tf.constant([1, 2, 3]), output_stream=out)
tf.print(tf.constant([0.5, 1.25, -3.0]), output_stream=out)
tf.print(tf.constant([], dtype=tf.float32), output_stream=out)
tf.print(tf.range(10), output_stream=out)
tf.print(tf.range(6), output_stream=out)
tf.print(tf.range(7), output_stream=out)
tf.print(tf.reshape(tf.range(6), [2, 3]), output_stream=out)
tf.print(tf.reshape(tf.range(100), [10, 10]), output_stream=out)
tf.print(tf.reshape(tf.range(24), [2, 3, 4]), output_stream=out)
tf.print(tf.reshape(tf.range(60), [3, 4, 5]), output_stream=out)
tf.print(tf.range(10), summarize=-1, output_stream=out)
tf.print(tf.range(10), summarize=1, output_stream=out)
tf.print(tf.reshape(tf.range(100), [10, 10]), summarize=1, output_stream=out)
tf.print(tf.constant("hello"), output_stream=out)
tf.print(tf.constant(["a", "bc"]), output_stream=out)
tf.print("x =", tf.constant(3), "and y =", 2.5, None, True, output_stream=out)
tf.print("a", tf.constant([1, 2]), "b", sep=", ", end="!\n", output_stream=out)
tf.print("no newline", end="", output_stream=out)
tf.print(" then newline", output_stream=out)
tf.print({"a": tf.constant(1), "b": [tf.constant(2.5), "s"]}, output_stream=out)
tf.print([tf.constant([1, 2]), 3, (4, tf.constant(5.0))], output_stream=out)
tf.print(output_stream=out)
tf.print(tf.constant([[1.5, 2.0], [3.25, -4.0]], dtype=tf.float64), output_stream=out)
tf.print(tf.zeros([2, 0]), output_stream=out)
tf.print("s:", tf.constant("hi"), tf.constant(["x\ny", "q'"]), output_stream=out)
tf.print("v", tf.Variable([1.0, 2.0]), output_stream=out)
tf.print(tf.constant([1.5, float("nan"), float("inf"), -float("inf")]), output_stream=out)
tf.print(np.array([1, 2]), 0.1, output_stream=out)
tf.print(tf.constant([[1, 2], [3, 4]]), "end", sep="\n", output_stream=out)


@tf.function
def f(x, y):
    tf.print("in f: x =", x, output_stream=out)
    z = x * 2
    tf.print("z =", z, "y =", y, sep="|", output_stream=out)
    return z + y


flush()
print("before first call")
flush()
r = f(tf.constant([1, 2, 3]), tf.constant(10))
flush()
print("after first call", r.numpy().tolist())
flush()
r = f(tf.constant([4, 5, 6]), tf.constant(20))
flush()
print("after second call", r.numpy().tolist())
flush()


@tf.function
def g(x):
    tf.print("g got", x, output_stream=out)
    tf.cond(x > 0, lambda: tf.print("positive", x, output_stream=out) or x,
            lambda: tf.print("not positive", x, output_stream=out) or x)


g(tf.constant(2.5))
flush()
g(tf.constant(-1.0))
flush()
print("done")
