"""The seed's matrix power (shared/seed/examples/16_eager_vs_graph_bench.py), eager and compiled.

    result = eye(n, dtype)
    for _ in range(y):          # y = 100, a Python int
        result = matmul(x, result)

Cases: 10x10 int32 (x in {-1, 0, 1}, as in the seed; int32 wraps around, the same way
everywhere), 100x100 and 1000x1000 float32 (x uniform in [-1, 1) scaled by sqrt(3/n), so the
powers neither overflow nor vanish); --quick leaves out 1000x1000 and times shorter batches.
x comes from numpy (fixed seed), so every framework multiplies the same matrix.

Variants: tfx_lite / tensorflow: `eager` calls power(x, 100), `compiled` calls
tf.function(power)(x, 100) (the identical program, given the `tf` module); jax: `eager` is
the same loop on jax.numpy, `compiled` jax.jit of it with y static. Unit ms/call: best of R
batches of N calls, every call's result blocked on at the end of its batch (`.numpy()` for
tensors, np.asarray for jax arrays). Check: each variant's result against numpy's (exact
for int32, allclose for float32 against a float64 product).
"""
import numpy as np

from bench_util import allclose_note, measure

FRAMEWORKS = ("tfx_lite", "tensorflow", "jax")
POWER = 100
CASES = [  # name, n, dtype, in --quick
    ("10x10 int32", 10, "int32", True),
    ("100x100 float32", 100, "float32", True),
    ("1000x1000 float32", 1000, "float32", False),
]


def make_input(n, dtype):
    rng = np.random.default_rng(n)
    if dtype == "int32":
        return rng.integers(-1, 2, size=(n, n)).astype(np.int32)
    return (rng.uniform(-1.0, 1.0, size=(n, n)) * np.sqrt(3.0 / n)).astype(np.float32)


def reference(x, y):
    """numpy's power: int32 arithmetic (wrapping) for int32, float64 for float32."""
    a = x if x.dtype == np.int32 else x.astype(np.float64)
    result = np.eye(len(x), dtype=a.dtype)
    for _ in range(y):
        result = a @ result
    return result


def check(label, got, want):
    if want.dtype == np.int32:
        got = np.asarray(got)
        if got.shape != want.shape or got.dtype != want.dtype:
            return f"{label}: {got.shape} {got.dtype}, expected {want.shape} {want.dtype}"
        if not np.array_equal(got, want):
            return f"{label}: {int(np.sum(got != want))} elements differ from numpy's"
        return ""
    scale = float(np.max(np.abs(want)))
    return allclose_note(label, got, want, rtol=1e-3, atol=1e-4 * scale)


# ----------------------------------------------------------------------------- the programs

def power_loop(lib, n, dtype):
    """The seed's loop over `lib`'s eye and matmul: tfx_lite or tensorflow, or jax.numpy."""
    def power(x, y):
        result = lib.eye(n, dtype=dtype)
        for _ in range(y):
            result = lib.matmul(x, result)
        return result
    return power


def variants_for(env, n, dtype, x_np):
    """[(variant, call, finish)] for this framework."""
    if env.tf is not None:
        tf = env.tf
        tf_dtype = getattr(tf, dtype)
        x = tf.constant(x_np)
        power = power_loop(tf, n, tf_dtype)
        graph = tf.function(power)

        def finish(outs):
            for o in outs:
                o.numpy()
        return [("eager", lambda: power(x, POWER), finish),
                ("compiled", lambda: graph(x, POWER), finish)], lambda o: o.numpy()
    jax, jnp = env.jax, env.jnp
    x = jnp.asarray(x_np)
    power = power_loop(jnp, n, getattr(jnp, dtype))
    jitted = jax.jit(power, static_argnums=1)

    def finish(outs):
        for o in outs:
            np.asarray(o)
    return [("eager", lambda: power(x, POWER), finish),
            ("compiled", lambda: jitted(x, POWER), finish)], np.asarray


def run(env, quick, rec):
    target_s, repeat = (0.03, 3) if quick else (0.2, 5)
    for name, n, dtype, in_quick in CASES:
        if quick and not in_quick:
            continue
        x_np = make_input(n, dtype)
        want = reference(x_np, POWER)
        variants, to_np = variants_for(env, n, dtype, x_np)
        notes = {v: check(f"{v} result", to_np(call()), want) for v, call, _ in variants}
        reps = repeat if n < 1000 else 3  # about a second a call
        timed = measure(variants, target_s, reps, warmup=0)  # the checks ran each once
        for variant, _, _ in variants:
            seconds, _ = timed[variant]
            rec.add(name, variant, seconds * 1e3, "ms/call", True, reps, notes[variant])
