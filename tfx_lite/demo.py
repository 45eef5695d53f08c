"""`make demo`: a short tour of what works today (python -m tfx_lite.demo)."""
import time

import numpy as np

import tfx_lite as tf


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

    section("tf.function: traced into our IR, optimised, compiled by XLA")
    w = tf.Variable(tf.ones([8, 2]) * 0.1, name="w")

    @tf.function
    def f(x, b):
        y = tf.nn.softmax(tf.matmul(x, w) + b)
        w.assign_sub(0.01 * tf.ones([8, 2]))  # written back after each call
        return y

    x, b = tf.ones([4, 8]), tf.zeros([2])
    print(f(x, b)[0])
    print(tf.dump_ir(f, x, b))
    hlo = f.experimental_get_compiler_ir(x, b)(stage="optimized_hlo")
    print(f"(XLA's optimized HLO: {len(hlo.splitlines())} lines; stage='hlo' gives the input HLO)")

    section("Eager vs compiled: the seed's matrix-power loop, 10x10 int32, 100 matmuls")
    m = tf.random.uniform([10, 10], minval=-1, maxval=2, dtype=tf.int32)

    def power(x, n):
        result = tf.eye(10, dtype=tf.int32)
        for _ in range(n):
            result = tf.matmul(x, result)
        return result

    compiled = tf.function(power)
    assert (compiled(m, 100).numpy() == power(m, 100).numpy()).all()
    times = {}
    for label, fn in (("eager", power), ("tf.function", compiled)):
        start = time.perf_counter()
        for _ in range(20):
            out = fn(m, 100)
        out.numpy()
        times[label] = (time.perf_counter() - start) / 20 * 1e3
    print(f"eager {times['eager']:.2f} ms, tf.function {times['tf.function']:.2f} ms per call "
          f"({times['eager'] / times['tf.function']:.1f}x); bench/eager_vs_compiled.py has the full table")


if __name__ == "__main__":
    main()
