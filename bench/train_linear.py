"""The seed's linear-model training loop (GradientTape + assign_sub): tfx_lite eager,
tfx_lite tf.function, raw jax.grad eager and raw jax.jit, all measured in the same run.

    python bench/train_linear.py [--quick] [--json PATH]

The model, data and learning rate are the seed's (shared/seed/examples/20_training_loop.py):
x = 201 points in [-2, 2] (float32), y = 3x + 2, w = 5.0 and b = 0.0 at the start,
loss = mean((y - (w*x + b))^2), learning rate 0.1. One step of each variant:

    eager        with tf.GradientTape() as t: loss = ...; dw, db = t.gradient(loss, [w, b]);
                 w.assign_sub(lr * dw); b.assign_sub(lr * db)          (the seed's `train`)
    tf.function  tf.function(train), called as train(model, x, y, learning_rate=0.1)
    jax.grad     dw, db = jax.grad(loss, argnums=(0, 1))(w, b, x, y); w = w - lr * dw; ...
                 in Python, not jitted (params are jax arrays)
    jax.jit      the same grad + update as one jax.jit step

Also measured, not a target: tf.function(x,y), the same step with the model closed over and
called with the two tensors only (tf.function's all-tensor fast call path).

Steps per second (steady state): best of R repeats of a batch of steps per variant (a batch
sized so that it takes about T seconds: the variants differ ~100x); the variants are
interleaved inside each repeat, in a rotating order. Each batch ends by blocking on w and b
(`.numpy()` / `np.asarray`). GC is off inside a batch (as in timeit). JAX compile events
(jax.monitoring) are counted during the timed batches: an eager loop should compile nothing
once warm.

First step: best of F tries, variants interleaved, each from cold caches: jax.clear_caches()
plus tfx_lite's kernel / executable caches (compiler.bind._KERNELS, _GRAPH_KERNELS,
compiler.lower._BY_FINGERPRINT) emptied, with a fresh model / function object, so it includes
tracing and XLA compilation of everything the step runs. Not a target.

Targets: eager tfx_lite step time / eager jax.grad step time <= 1.0; tf.function step time /
jax.jit step time <= 1.3. Agreement: every variant, started from the same init, runs the same
number of steps; w and b after steps 1, 10 and the last must be allclose to tfx_lite eager's
(rtol 1e-5), else exit status 1.
"""
import argparse
import gc
import json
import sys
import time

import jax
import jax.numpy as jnp
import numpy as np

import tfx_lite as tf
from harness import CompileCounter, clear_caches, machine_line, machine_meta, use_workloads

use_workloads()
from linear_training import tf_program  # noqa: E402


EAGER_TARGET = 1.0      # eager tfx_lite / eager jax.grad
FUNCTION_TARGET = 1.3   # tf.function / jax.jit
TRUE_W, TRUE_B, NUM_EXAMPLES = 3.0, 2.0, 201
LEARNING_RATE = 0.1
INIT_W, INIT_B = 5.0, 0.0
RTOL, ATOL = 1e-5, 1e-6
NAMES = ["eager", "tf.function", "jax.grad", "jax.jit", "tf.function(x,y)"]


# ----------------------------------------------------------------------------- the seed's code

MyModel, train = tf_program(tf)  # the seed's model, loss and step (tfx_lite/benchmarks/linear_training.py)


# ----------------------------------------------------------------------------- raw JAX

def jax_loss(w, b, x, y):
    return jnp.mean(jnp.square(y - (w * x + b)))


def make_jax_step():
    grad = jax.grad(jax_loss, argnums=(0, 1))

    def step(w, b, x, y):
        dw, db = grad(w, b, x, y)
        return w - LEARNING_RATE * dw, b - LEARNING_RATE * db
    return step


# ----------------------------------------------------------------------------- variants

class Variant:
    """`step()` advances the training state by one step; `result()` blocks on it and returns
    (w, b) as numpy scalars."""

    def step(self):
        raise NotImplementedError

    def result(self):
        raise NotImplementedError


class TfEager(Variant):
    def __init__(self, data):
        self.x, self.y = data["tf"]
        self.model = MyModel()

    def step(self):
        train(self.model, self.x, self.y, learning_rate=LEARNING_RATE)

    def result(self):
        return self.model.w.numpy(), self.model.b.numpy()


class TfFunction(TfEager):
    def __init__(self, data):
        super().__init__(data)
        self.train = tf.function(train)  # a fresh tf.function object: traces on its first call

    def step(self):
        self.train(self.model, self.x, self.y, learning_rate=LEARNING_RATE)


class JaxGrad(Variant):
    def __init__(self, data):
        self.x, self.y = data["jax"]
        self.w, self.b = jnp.float32(INIT_W), jnp.float32(INIT_B)
        self.fn = make_jax_step()

    def step(self):
        self.w, self.b = self.fn(self.w, self.b, self.x, self.y)

    def result(self):
        return np.asarray(self.w), np.asarray(self.b)


class JaxJit(JaxGrad):
    def __init__(self, data):
        super().__init__(data)
        self.fn = jax.jit(make_jax_step())


class TfFunctionXY(TfEager):
    """Not a target: the model closed over, so that the call passes tensors only (tf.function's
    fast call path) instead of (model, x, y, learning_rate=0.1)."""

    def __init__(self, data):
        super().__init__(data)
        model = self.model
        self.train = tf.function(lambda x, y: train(model, x, y, LEARNING_RATE))

    def step(self):
        self.train(self.x, self.y)


CLASSES = [TfEager, TfFunction, JaxGrad, JaxJit, TfFunctionXY]


def make_data():
    x = tf.linspace(-2, 2, NUM_EXAMPLES)
    x = tf.cast(x, tf.float32)
    y = x * TRUE_W + TRUE_B
    return {"tf": (x, y), "jax": (jnp.asarray(x.numpy()), jnp.asarray(y.numpy()))}


# ----------------------------------------------------------------------------- measurements


def agreement(data, steps):
    """Each variant from the same init for `steps` steps, (w, b) compared with tfx_lite eager's
    after step 1, step 10 and the last step (training converges, so the final values alone
    would hide a difference in the first steps). Returns the final (w, b) per variant and the
    failures."""
    checkpoints = sorted({1, min(10, steps), steps})
    seen = {}
    for name, cls in zip(NAMES, CLASSES):
        v = cls(data)
        for step in range(1, steps + 1):
            v.step()
            if step in checkpoints:
                seen[name, step] = np.array([float(a) for a in v.result()])
    failures = []
    for step in checkpoints:
        ref = seen["eager", step]
        if not np.all(np.isfinite(ref)):
            failures.append(f"eager: (w, b) after step {step} not finite: {_pair(ref)}")
        for name in NAMES[1:]:
            got = seen[name, step]
            if not np.allclose(got, ref, rtol=RTOL, atol=ATOL):
                failures.append(f"{name}: (w, b) after step {step} = {_pair(got)} vs eager "
                                f"{_pair(ref)} (max |diff| {float(np.max(np.abs(got - ref))):.3g})")
    finals = {name: tuple(float(a) for a in seen[name, steps]) for name in NAMES}
    return finals, failures


def _pair(values):
    return f"({values[0]:.8g}, {values[1]:.8g})"


def batch_size(variant, seconds):
    """Steps per batch so that a batch takes about `seconds` (timeit.autorange style)."""
    n = 1
    while True:
        start = time.perf_counter()
        for _ in range(n):
            variant.step()
        variant.result()
        if time.perf_counter() - start >= seconds / 4 or n >= 1 << 20:
            break
        n *= 2
    elapsed = time.perf_counter() - start
    return max(1, int(n * seconds / max(elapsed, 1e-9)))


def steady_state(data, seconds, repeat):
    """Best and median microseconds per step of each variant, batches interleaved; the number
    of steps per batch; JAX compiles/traces seen during the timed batches per variant."""
    variants = [cls(data) for cls in CLASSES]
    for v in variants:  # compile and warm caches
        for _ in range(5):
            v.step()
        v.result()
    numbers = [batch_size(v, seconds) for v in variants]
    times = [[] for _ in variants]
    counters = [CompileCounter() for _ in variants]
    for r in range(repeat):
        for k in range(len(variants)):
            i = (k + r) % len(variants)
            v, number = variants[i], numbers[i]
            gc.collect()
            gc.disable()
            try:
                with counters[i]:
                    start = time.perf_counter()
                    for _ in range(number):
                        v.step()
                    v.result()
                    elapsed = time.perf_counter() - start
            finally:
                gc.enable()
            times[i].append(elapsed / number * 1e6)
    return ([min(t) for t in times], [float(np.median(t)) for t in times], numbers,
            [c.counts for c in counters])


def first_step_ms(data, tries):
    """Best and median ms of each variant's first step from cold caches (interleaved)."""
    times = [[] for _ in CLASSES]
    for r in range(tries):
        for k in range(len(CLASSES)):
            i = (k + r) % len(CLASSES)
            v = CLASSES[i](data)
            clear_caches()
            gc.collect()
            start = time.perf_counter()
            v.step()
            v.result()
            times[i].append((time.perf_counter() - start) * 1e3)
    return [min(t) for t in times], [float(np.median(t)) for t in times]


# ----------------------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="shorter batches, fewer repeats and tries, fewer agreement steps")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    q = args.quick
    seconds, repeat, tries, agree_steps = (0.05, 3, 2, 50) if q else (0.25, 7, 5, 300)

    print(machine_line())
    print(f"seed's linear model: {NUM_EXAMPLES} examples, lr {LEARNING_RATE}, w={INIT_W} b={INIT_B} "
          f"at the start; per step: best of {repeat} batches of ~{seconds} s each, variants "
          f"interleaved; first step: best of {tries} cold starts")

    wall = time.perf_counter()
    data = make_data()
    finals, failures = agreement(data, agree_steps)
    first_best, first_median = first_step_ms(data, tries)
    best, median, numbers, compile_counts = steady_state(data, seconds, repeat)
    wall = time.perf_counter() - wall

    rows = []
    for i, name in enumerate(NAMES):
        rows.append({"variant": name, "us_per_step": best[i], "median_us_per_step": median[i],
                     "steps_per_s": 1e6 / best[i], "steps_per_batch": numbers[i],
                     "first_step_ms": first_best[i], "first_step_median_ms": first_median[i],
                     "compiles_while_timed": compile_counts[i]["compiles"],
                     "traces_while_timed": compile_counts[i]["traces"],
                     "final_w": finals[name][0], "final_b": finals[name][1]})
    t = dict(zip(NAMES, best))
    eager_ratio = t["eager"] / t["jax.grad"]
    function_ratio = t["tf.function"] / t["jax.jit"]

    header = (f"{'variant':<18}{'steps/s':>10}{'us/step':>10}{'median us':>11}{'steps/batch':>12}"
              f"{'1st step ms':>12}{'compiles*':>10}")
    print()
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['variant']:<18}{r['steps_per_s']:>10.0f}{r['us_per_step']:>10.1f}"
              f"{r['median_us_per_step']:>11.1f}{r['steps_per_batch']:>12}{r['first_step_ms']:>12.1f}"
              f"{r['compiles_while_timed']:>10}")
    print("* JAX backend compiles during the timed batches (0 once warm)")
    print()
    ok = lambda ratio, target: "ok" if ratio <= target else "MISS"
    print(f"eager tfx_lite / eager jax.grad   {eager_ratio:6.2f}x  (target <= {EAGER_TARGET}: "
          f"{ok(eager_ratio, EAGER_TARGET)})")
    print(f"tf.function    / jax.jit          {function_ratio:6.2f}x  (target <= {FUNCTION_TARGET}: "
          f"{ok(function_ratio, FUNCTION_TARGET)})")
    print(f"also: tf.function(x,y) / jax.jit {t['tf.function(x,y)'] / t['jax.jit']:.2f}x; "
          f"eager tfx_lite / tf.function {t['eager'] / t['tf.function']:.1f}x; "
          f"eager tfx_lite / jax.jit {t['eager'] / t['jax.jit']:.1f}x; took {wall:.1f} s")

    print()
    if failures:
        for f in failures:
            print(f"DISAGREE {f}")
    else:
        w, b = finals["eager"]
        print(f"results agree after steps 1, 10 and {agree_steps} (w={w:.6f} b={b:.6f}) for all "
              f"{len(NAMES)} variants (allclose rtol={RTOL}, atol={ATOL})")

    if args.json:
        meta = {**machine_meta(), "quick": q, "batch_seconds": seconds, "repeat": repeat,
                "first_step_tries": tries, "agreement_steps": agree_steps, "wall_s": wall}
        with open(args.json, "w") as f:
            json.dump({"meta": meta, "rows": rows, "eager_over_jax_grad": eager_ratio,
                       "eager_target": EAGER_TARGET, "tf_function_over_jax_jit": function_ratio,
                       "tf_function_target": FUNCTION_TARGET, "agree": not failures,
                       "failures": failures}, f, indent=1)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
