"""Session.run against a raw jax.jit call of the same math, measured in one run.

    python bench/session_run.py [--quick] [--json PATH]

The graph: a placeholder x [32, 64] fed each call, y = relu(x @ w + b) with constant w [64, 64]
and b [64], fetch reduce_sum(y, axis=1). tfx_lite: `sess.run(out, feed_dict={x: batch})`
(pruned and compiled on the first call, then taken from the session's cache); raw JAX: a
`jax.jit` function of the same math called on the same numpy batch, its result turned into a
numpy array as Session.run's is. Best of R repeats of N calls each; target ratio <= 1.5.
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

import tfx_lite.compat.v1 as tf  # noqa: E402
from harness import machine_line, machine_meta  # noqa: E402


def per_call(fn, number, repeats):
    fn()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json")
    args = parser.parse_args()
    number, repeats = (200, 3) if args.quick else (2000, 5)
    rng = np.random.default_rng(0)
    w_host = rng.normal(size=(64, 64)).astype(np.float32)
    b_host = rng.normal(size=64).astype(np.float32)
    batch = rng.normal(size=(32, 64)).astype(np.float32)

    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [None, 64])
        out = tf.reduce_sum(tf.nn.relu(tf.matmul(x, tf.constant(w_host)) + tf.constant(b_host)), axis=1)
    sess = tf.Session(graph=graph)

    w, b = jnp.asarray(w_host), jnp.asarray(b_host)

    @jax.jit
    def step(xs):
        return jnp.sum(jax.nn.relu(xs @ w + b), axis=1)

    expected = np.asarray(step(batch))
    got = sess.run(out, feed_dict={x: batch})
    assert np.allclose(got, expected, rtol=1e-5, atol=1e-5), "tfx_lite and JAX disagree"

    session_s = per_call(lambda: sess.run(out, feed_dict={x: batch}), number, repeats)
    jit_s = per_call(lambda: np.asarray(step(batch)), number, repeats)
    ratio = session_s / jit_s
    print(machine_line())
    print(f"best of {repeats} x {number} calls")
    print("| variant | us per call | ratio |")
    print("|---|---|---|")
    print(f"| Session.run | {session_s * 1e6:.1f} | {ratio:.2f} |")
    print(f"| raw jax.jit | {jit_s * 1e6:.1f} | 1.00 |")
    print(f"target: Session.run <= 1.5 x jax.jit: {'met' if ratio <= 1.5 else 'not met'} ({ratio:.2f})")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": machine_meta(), "session_run_s": session_s, "jax_jit_s": jit_s}, f)


if __name__ == "__main__":
    main()
