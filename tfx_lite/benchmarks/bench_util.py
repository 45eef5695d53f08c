"""What the workloads share: the result rows, progress lines and the steady-state timer.

Standalone (stdlib and numpy only): imported by its bare name, with this directory on
sys.path, by worker.py under any of the interpreters it runs in.
"""
import gc
import math
import sys
import time

import numpy as np


def log(message):
    """A progress line, on stderr (stdout carries only the worker's JSON)."""
    print(message, file=sys.stderr, flush=True)


class Recorder:
    """Collects the result rows of one workload run and logs each as it comes."""

    def __init__(self, workload, framework):
        self.workload, self.framework = workload, framework
        self.results = []

    def add(self, case, variant, value, unit, lower_is_better=True, repeats=1, note=""):
        value = float(value)
        row = {"case": str(case), "variant": str(variant), "value": value, "unit": str(unit),
               "lower_is_better": bool(lower_is_better), "repeats": int(repeats),
               "note": str(note)}
        self.results.append(row)
        shown = f"{value:.4g}" if math.isfinite(value) else str(value)
        log(f"{self.workload} {case} {self.framework} {variant}: {shown} {unit}"
            + (f"  [{note}]" if note else ""))
        return row


# Set by the tests: time every variant once (the workloads still run their checks).
SMOKE = False


def measure(variants, target_s, repeat, warmup=1, number=None):
    """Steady-state seconds per call of each variant: the best of `repeat` batches.

    variants: list of (name, call, finish). `call()` does one unit of work (a function call, a
    training step, an epoch) and returns what to block on (or None); `finish(outs)` blocks on
    the list of a batch's outputs (`.numpy()` / np.asarray) and on any state the calls
    advanced. Each variant is called `warmup` times first (traces, compiles) and then sized:
    a batch is `number` calls taking about `target_s` seconds (at least one call). The
    batches of the variants are interleaved, in a rotating order, so that machine noise hits
    them alike; a batch's timer stops after `finish`, with the garbage collector off
    (as timeit does). `number` fixes the calls per batch instead.
    Returns {name: (best seconds per call, calls per batch)}.
    """
    if SMOKE:  # tests: each variant once, for its checks and the result's shape, not its speed
        target_s, repeat, number = 0.0, 1, 1
    for _, call, finish in variants:
        for _ in range(warmup):
            finish([call()])
    numbers = [number or _calls_per_batch(call, finish, target_s)
               for _, call, finish in variants]
    times = [[] for _ in variants]
    for r in range(repeat):
        for k in range(len(variants)):
            i = (k + r) % len(variants)
            _, call, finish = variants[i]
            times[i].append(timed_batch(call, finish, numbers[i]) / numbers[i])
    return {name: (min(t), n) for (name, _, _), t, n in zip(variants, times, numbers)}


def timed_batch(call, finish, number):
    """Seconds for `number` calls and `finish` of their outputs, the garbage collector off."""
    outs = []
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(number):
            outs.append(call())
        finish(outs)
        return time.perf_counter() - start
    finally:
        gc.enable()


def _calls_per_batch(call, finish, target_s, limit=1 << 20):
    """timeit.autorange-like: how many calls take about target_s seconds."""
    number = 1
    while True:
        elapsed = timed_batch(call, finish, number)
        if elapsed >= target_s / 4 or number >= limit:
            break
        number *= 4
    return max(1, min(limit, int(number * target_s / max(elapsed, 1e-9))))


def to_numpy(value):
    """A framework's tensor or array as a numpy array, blocking on it."""
    numpy = getattr(value, "numpy", None)
    return numpy() if callable(numpy) else np.asarray(value)


def allclose_note(label, got, want, rtol, atol):
    """'' when got is allclose to want (and has its shape), else a short note why not."""
    got, want = np.asarray(got), np.asarray(want)
    if got.shape != want.shape:
        return f"{label}: shape {got.shape}, expected {want.shape}"
    if not np.all(np.isfinite(got)):
        return f"{label}: not finite"
    if not np.allclose(got, want, rtol=rtol, atol=atol):
        diff = float(np.max(np.abs(got.astype(np.float64) - want.astype(np.float64))))
        return f"{label}: max |diff| {diff:.3g} vs the reference (max |ref| " \
               f"{float(np.max(np.abs(want))):.3g})"
    return ""
