"""AutoGraph: what Python control flow converted inside tf.function costs, against the same
loops written by hand with tf.while_loop / tf.cond, against raw JAX (lax.while_loop / lax.cond
under jax.jit), and against running the function eagerly, measured in one run.

    python bench/autograph.py [--quick] [--json PATH]

Workloads (each checked against numpy before timing):
  sum_odd     `for i in tf.range(n): if i % 2 == 0: continue; s += i`, n = 1000 (a tensor)
  collatz     `while x != 1: x = x // 2 if x % 2 == 0 else 3 * x + 1` from 97 (118 steps)
  rnn         a dynamic RNN unroll: `for t in tf.range(T)` of tanh(x_t W + h U) written into a
              tf.TensorArray, T = 64, batch 32, 64 units; returns the stacked states

Variants:
  autograph        tf.function of the Python function (converted by AutoGraph)
  hand-written     tf.function(autograph=False) of the same loop written with tf.while_loop /
                   tf.cond (what a user wrote before AutoGraph)
  raw jax.jit      the baseline: jax.jit of lax.while_loop / lax.cond / lax.fori_loop
  eager            the Python function run op by op (its loop in Python)

First call: trace + compile + run of a new tf.function, after clearing the compile caches (the
better of two; AutoGraph's conversion is cached per function and is not in it: about 10 ms
once per function).
Per call: best of R repeats of N calls, variants taking turns, every result copied to numpy.
--quick: N and R smaller. The whole run takes about 20 s on 2 CPU cores.
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

import tfx_lite as tf  # noqa: E402
from harness import clear_caches, machine_line, machine_meta  # noqa: E402

N_ODD, COLLATZ_START, T, BATCH, UNITS = 1000, 97, 64, 32, 64


# --- sum_odd --------------------------------------------------------------------------------

def sum_odd(n):
    s = 0
    for i in tf.range(n):
        if i % 2 == 0:
            continue
        s += i
    return s


def sum_odd_by_hand(n):
    def body(i, s):
        return i + 1, tf.cond(i % 2 == 0, lambda: s, lambda: s + i)
    return tf.while_loop(lambda i, s: i < n, body, (tf.constant(0), tf.constant(0)))[1]


@jax.jit
def sum_odd_jax(n):
    def body(c):
        i, s = c
        return i + 1, jax.lax.cond(i % 2 == 0, lambda: s, lambda: s + i)
    return jax.lax.while_loop(lambda c: c[0] < n, body, (jnp.int32(0), jnp.int32(0)))[1]


# --- collatz --------------------------------------------------------------------------------

def collatz(x):
    steps = 0
    while x != 1:
        if x % 2 == 0:
            x = x // 2
        else:
            x = 3 * x + 1
        steps += 1
    return steps


def collatz_by_hand(x):
    def body(x, steps):
        return tf.cond(x % 2 == 0, lambda: x // 2, lambda: 3 * x + 1), steps + 1
    return tf.while_loop(lambda x, steps: x != 1, body, (x, tf.constant(0)))[1]


@jax.jit
def collatz_jax(x):
    def body(c):
        x, steps = c
        return jax.lax.cond(x % 2 == 0, lambda: x // 2, lambda: 3 * x + 1), steps + 1
    return jax.lax.while_loop(lambda c: c[0] != 1, body, (x, jnp.int32(0)))[1]


# --- rnn ------------------------------------------------------------------------------------

def rnn(x, w, u):
    steps = tf.shape(x)[0]
    states = tf.TensorArray(tf.float32, size=steps)
    h = tf.zeros([tf.shape(x)[1], tf.shape(w)[1]])
    for t in tf.range(steps):
        h = tf.tanh(tf.matmul(x[t], w) + tf.matmul(h, u))
        states = states.write(t, h)
    return states.stack()


def rnn_by_hand(x, w, u):
    steps = tf.shape(x)[0]

    def body(t, h, states):
        h = tf.tanh(tf.matmul(x[t], w) + tf.matmul(h, u))
        return t + 1, h, states.write(t, h)

    start = (tf.constant(0), tf.zeros([tf.shape(x)[1], tf.shape(w)[1]]),
             tf.TensorArray(tf.float32, size=steps, element_shape=[x.shape[1], w.shape[1]]))
    return tf.while_loop(lambda t, h, states: t < steps, body, start)[2].stack()


@jax.jit
def rnn_jax(x, w, u):
    def step(h, xt):
        h = jnp.tanh(xt @ w + h @ u)
        return h, h
    return jax.lax.scan(step, jnp.zeros((x.shape[1], w.shape[1]), x.dtype), x)[1]


def rnn_numpy(x, w, u):
    h, out = np.zeros((x.shape[1], w.shape[1]), np.float32), []
    for t in range(x.shape[0]):
        h = np.tanh(x[t] @ w + h @ u)
        out.append(h)
    return np.stack(out)


# --- timing ---------------------------------------------------------------------------------

def block(result):
    return np.array(result.numpy() if hasattr(result, "numpy") else result)


def per_call(fns: dict, number, repeats):
    best = dict.fromkeys(fns, float("inf"))
    for fn in fns.values():
        block(fn())
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            for _ in range(number):
                block(fn())
            best[name] = min(best[name], (time.perf_counter() - start) / number)
    return best


def first_call(make):
    """Trace + compile + run from cleared caches; the better of two tries (the first compile of
    a process also pays JAX's one-time setup)."""
    best = float("inf")
    for _ in range(2):
        clear_caches()
        start = time.perf_counter()
        block(make()())
        best = min(best, time.perf_counter() - start)
    return best


def workloads():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(T, BATCH, UNITS)).astype(np.float32)
    w = (rng.normal(size=(UNITS, UNITS)) * 0.1).astype(np.float32)
    u = (rng.normal(size=(UNITS, UNITS)) * 0.1).astype(np.float32)
    tx, tw, tu = tf.constant(x), tf.constant(w), tf.constant(u)
    n, start = tf.constant(N_ODD), tf.constant(COLLATZ_START)
    return {
        "sum_odd": (sum_odd, sum_odd_by_hand, sum_odd_jax, (n,), (jnp.int32(N_ODD),),
                    sum(range(1, N_ODD, 2))),
        "collatz": (collatz, collatz_by_hand, collatz_jax, (start,), (jnp.int32(COLLATZ_START),), 118),
        "rnn": (rnn, rnn_by_hand, rnn_jax, (tx, tw, tu), (jnp.asarray(x), jnp.asarray(w), jnp.asarray(u)),
                rnn_numpy(x, w, u)),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json")
    args = parser.parse_args()
    number, repeats = (20, 3) if args.quick else (100, 5)
    rows = []
    for name, (python, by_hand, raw, tf_args, jax_args, expected) in workloads().items():
        converted = tf.function(python)
        hand = tf.function(by_hand, autograph=False)
        for label, value in (("autograph", converted(*tf_args)), ("hand-written", hand(*tf_args)),
                             ("raw jax.jit", raw(*jax_args)), ("eager", python(*tf_args))):
            np.testing.assert_allclose(block(value), expected, rtol=2e-5, atol=2e-5,
                                       err_msg=f"{name} {label}")
        firsts = {"autograph": first_call(lambda: (lambda f=tf.function(python): f(*tf_args))),
                  "hand-written": first_call(lambda: (lambda f=tf.function(by_hand, autograph=False): f(*tf_args))),
                  "raw jax.jit": first_call(lambda: (lambda: raw(*jax_args)))}
        times = per_call({"autograph": lambda: converted(*tf_args), "hand-written": lambda: hand(*tf_args),
                          "raw jax.jit": lambda: raw(*jax_args)}, number, repeats)
        eager = per_call({"eager": lambda: python(*tf_args)}, max(1, number // 20), max(1, repeats - 2))
        times.update(eager)
        for variant, seconds in times.items():
            rows.append({"workload": name, "variant": variant, "ms_per_call": seconds * 1e3,
                         "ratio_to_raw_jax": seconds / times["raw jax.jit"],
                         "first_call_ms": firsts[variant] * 1e3 if variant in firsts else None})
    print(machine_line())
    print(f"per call: best of {repeats} x {number} calls (eager: fewer); first call: caches cleared")
    print("| workload | variant | ms per call | ratio to raw jax.jit | first call ms |")
    print("|---|---|---|---|---|")
    for r in rows:
        first = "" if r["first_call_ms"] is None else f"{r['first_call_ms']:.1f}"
        print(f"| {r['workload']} | {r['variant']} | {r['ms_per_call']:.4f} | {r['ratio_to_raw_jax']:.2f} | {first} |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": machine_meta(), "rows": rows}, f, indent=1)


if __name__ == "__main__":
    main()
