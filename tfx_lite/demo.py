"""`make demo`: a short tour of what works today (python -m tfx_lite.demo)."""
import time

import numpy as np

import tfx_lite as tf
from compiler import GraphBuilder, TensorType, print_graph
from tfx_lite.framework.tensor import SymbolicTensor


def section(title):
    print(f"\n== {title} " + "=" * max(0, 60 - len(title)))


def main():
    section("Eager tensors, printed as TensorFlow prints them")
    print("executing eagerly:", tf.executing_eagerly())
    m = tf.matmul([[2.0]], [[2.0]])
    print(m)
    c = tf.constant([[4.0, 5.0], [10.0, 1.0]])
    print(tf.reduce_max(c), tf.argmax(c), sep="\n")
    print(tf.nn.softmax(c))
    print(tf.constant([[1, 2], [3, 4], [5, 6]], dtype=tf.float16))

    section("TF's dtype rules: no implicit promotion")
    try:
        tf.constant(1) + tf.constant(1.0)
    except tf.errors.InvalidArgumentError as err:
        print(f"{type(err).__name__}: {err}")
    print(tf.constant(5) / 2, "(int32 / int -> float64, as in TF)")

    section("Variables")
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    v.assign_add([[1.0, 1.0], [1.0, 1.0]])
    print(repr(v))

    section("Slicing and devices")
    t = tf.constant(np.arange(12).reshape(3, 4))
    print(t[1:, ::-2])
    with tf.device("GPU:0"):  # falls back to the CPU when there is no GPU (soft placement)
        k = t * 2
    print("placed on", k.device)

    section("The same ops, traced into our IR")

    def f(x, y, b):
        return tf.nn.softmax(tf.matmul(x, y) + b)

    with GraphBuilder("f") as builder:
        args = [SymbolicTensor(builder.param(TensorType(s, np.float32), n))
                for n, s in (("x", (4, 8)), ("y", (8, 2)), ("b", (2,)))]
        builder.graph.results = [f(*args)._value]
    print(print_graph(builder.graph))

    section("Eager dispatch cost (see bench/op_overhead.py for the full table)")
    a = tf.constant(np.ones((2, 2), np.float32))
    for _ in range(100):
        a + a
    start = time.perf_counter()
    for _ in range(2000):
        out = a + a
    out.numpy()
    print(f"a + a: {(time.perf_counter() - start) / 2000 * 1e6:.1f} us per op")


if __name__ == "__main__":
    main()
