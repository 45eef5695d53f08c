"""Microseconds per small eager op: tfx_lite next to raw jax.numpy, measured in the same run.

    python bench/op_overhead.py [--number N] [--repeat R] [--json PATH]

Each row times the same work both ways (best of R repeats of N calls, results blocked on at
the end of each repeat) and prints the ratio tfx_lite / jax.numpy. Target: at most 1.5x.
"""
import argparse
import json
import time

import jax
import jax.numpy as jnp
import numpy as np

import tfx_lite as tf


def per_call_us(fn, number, repeat):
    fn()  # compile and warm caches
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            out = fn()
        jax.block_until_ready(getattr(out, "_value", out))
        best = min(best, time.perf_counter() - start)
    return best / number * 1e6


def cases():
    a = np.arange(4, dtype=np.float32).reshape(2, 2)
    v = np.arange(8, dtype=np.float32)
    ta, tb, tv = tf.constant(a), tf.constant(a + 1), tf.constant(v)
    ja, jb, jv = jnp.asarray(a), jnp.asarray(a + 1), jnp.asarray(v)
    return [
        ("add", lambda: tf.add(ta, tb), lambda: jnp.add(ja, jb)),
        ("a + b (operator)", lambda: ta + tb, lambda: ja + jb),
        ("a * 2.0 (scalar)", lambda: ta * 2.0, lambda: ja * 2.0),
        ("matmul 2x2", lambda: tf.matmul(ta, tb), lambda: jnp.matmul(ja, jb)),
        ("reduce_sum", lambda: tf.reduce_sum(tv), lambda: jnp.sum(jv)),
        ("reduce_sum axis=1", lambda: tf.reduce_sum(ta, axis=1), lambda: jnp.sum(ja, axis=1)),
        ("reshape", lambda: tf.reshape(ta, [4]), lambda: jnp.reshape(ja, (4,))),
        ("index v[3]", lambda: tv[3], lambda: jv[3]),
        ("slice v[1:6:2]", lambda: tv[1:6:2], lambda: jv[1:6:2]),
        ("index a[:, 1]", lambda: ta[:, 1], lambda: ja[:, 1]),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--number", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", help="also write the rows to this file")
    args = parser.parse_args()
    rows = []
    print(f"jax {jax.__version__} on {jax.devices()[0].platform}; best of {args.repeat} x {args.number} calls")
    print(f"{'op':<22}{'tfx_lite us':>12}{'jnp us':>10}{'ratio':>8}")
    for name, ours, theirs in cases():
        t_ours = per_call_us(ours, args.number, args.repeat)
        t_jnp = per_call_us(theirs, args.number, args.repeat)
        rows.append({"op": name, "tfx_lite_us": t_ours, "jnp_us": t_jnp, "ratio": t_ours / t_jnp})
        print(f"{name:<22}{t_ours:>12.2f}{t_jnp:>10.2f}{t_ours / t_jnp:>8.2f}")
    ratios = [r["ratio"] for r in rows]
    print(f"geometric mean ratio: {float(np.exp(np.mean(np.log(ratios)))):.2f}  (max {max(ratios):.2f})")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
