"""tf.saved_model: save and load times, and the call cost of what comes back, against raw
jax.jit of the same math, measured in one run.

    python bench/saved_model.py [--quick] [--json PATH]

Two models, each with float32 weights 64 -> 128 (relu) -> 10:
  mlp     a tf.Module with four tf.Variables and
          `@tf.function(input_signature=[tf.TensorSpec([None, 64])]) __call__`
  keras   tf.keras.Sequential([Input((64,)), Dense(128, relu), Dense(10)])

Save and load: `tf.saved_model.save(obj, dir)` and `tf.saved_model.load(dir)`, each into / from
a fresh directory: the first time (cold) and the best of R more. Loading parses the stored IR
text and compiles nothing; "load + first call" is a load after clearing JAX's and tfx_lite's
compile caches, then one call: what a fresh serving process pays before its first answer. The
same for the StableHLO artifact (`export_stablehlo` / `load_stablehlo`) where that exists.

Per call, on a [32, 64] float32 batch (best of R repeats of N calls each, the variants taking
turns; each variant is warmed by one call first, and every call's result is copied to a new
numpy array: `.numpy()` on tfx_lite's tensors, `np.array` on JAX's, so all variants block the
same way):
  original tf.function   mlp: `module(x)`; keras: `tf.function(model)` with the input signature
  keras model(x) eager   keras only: the model called eagerly, op by op
  loaded restored(x)     the loaded object called (mlp; a loaded Keras model has only signatures)
  loaded signature       `loaded.signatures["serving_default"](x=...)["output_0"]`
  loaded StableHLO       `load_stablehlo(dir)(x)`, exported from the original tf.function
  raw jax.jit            the baseline: `jax.jit(f)(params, x)`, params passed as arguments as
                         tfx_lite passes variables

--quick: N and R smaller. The whole run takes about 10 s on 2 CPU cores.
"""
import argparse
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

import tfx_lite as tf  # noqa: E402
from harness import clear_caches, machine_line, machine_meta  # noqa: E402

try:
    from tfx_lite.saved_model.stablehlo import export_stablehlo, load_stablehlo
except ImportError:  # not every checkout has StableHLO export
    export_stablehlo = load_stablehlo = None

BATCH, IN, HIDDEN, OUT = 32, 64, 128, 10
SIGNATURE = [tf.TensorSpec([None, IN], tf.float32)]


class MLP(tf.Module):
    def __init__(self, seed=0):
        super().__init__()
        rng = np.random.default_rng(seed)
        self.w1 = tf.Variable((rng.normal(size=(IN, HIDDEN)) * 0.1).astype(np.float32))
        self.b1 = tf.Variable((rng.normal(size=HIDDEN) * 0.1).astype(np.float32))
        self.w2 = tf.Variable((rng.normal(size=(HIDDEN, OUT)) * 0.1).astype(np.float32))
        self.b2 = tf.Variable((rng.normal(size=OUT) * 0.1).astype(np.float32))

    @tf.function(input_signature=SIGNATURE)
    def __call__(self, x):
        return tf.matmul(tf.nn.relu(tf.matmul(x, self.w1) + self.b1), self.w2) + self.b2


@jax.jit
def raw_mlp(params, x):
    w1, b1, w2, b2 = params
    return jax.nn.relu(x @ w1 + b1) @ w2 + b2


def per_call(fns: dict, number, repeats):
    """{name: seconds per call of fns[name] (which blocks on its result)}: the best of `repeats`
    runs of `number` calls, after one warm-up call; the variants take turns, so a busy moment of
    the machine does not fall on one variant only."""
    for fn in fns.values():
        fn()
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            for _ in range(number):
                fn()
            best[name] = min(best[name], (time.perf_counter() - start) / number)
    return best


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def save_load_times(obj, root, name, repeats, call_arg):
    """Rows (step, cold seconds, best warm seconds) for save, load and load + first call."""
    dirs = iter(os.path.join(root, f"{name}_{i}") for i in range(3 * repeats + 3))
    save = [timed(lambda: tf.saved_model.save(obj, next(dirs)))[0] for _ in range(repeats + 1)]
    path = os.path.join(root, f"{name}_0")
    load = [timed(lambda: tf.saved_model.load(path))[0] for _ in range(repeats + 1)]
    first = []
    for _ in range(repeats + 1):
        clear_caches()
        first.append(timed(lambda: call_arg(tf.saved_model.load(path)).numpy())[0])
    return [(f"{name}: tf.saved_model.save", save[0], min(save[1:])),
            (f"{name}: tf.saved_model.load", load[0], min(load[1:])),
            (f"{name}: load + first call (caches cleared)", first[0], min(first[1:]))]


def stablehlo_times(function, root, name, repeats, x):
    """Rows for export_stablehlo, load_stablehlo and load + first call; and the loaded artifact."""
    dirs = iter(os.path.join(root, f"{name}_hlo_{i}") for i in range(repeats + 1))
    export = [timed(lambda: export_stablehlo(function, next(dirs)))[0] for _ in range(repeats + 1)]
    path = os.path.join(root, f"{name}_hlo_0")
    load = [timed(lambda: load_stablehlo(path))[0] for _ in range(repeats + 1)]
    first = []
    for _ in range(repeats + 1):
        clear_caches()
        first.append(timed(lambda: load_stablehlo(path)(x).numpy())[0])
    rows = [(f"{name}: export_stablehlo", export[0], min(export[1:])),
            (f"{name}: load_stablehlo", load[0], min(load[1:])),
            (f"{name}: load_stablehlo + first call (caches cleared)", first[0], min(first[1:]))]
    return rows, load_stablehlo(path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer calls and repeats")
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args()
    number, repeats = (200, 3) if args.quick else (1000, 5)
    batch = np.random.default_rng(1).normal(size=(BATCH, IN)).astype(np.float32)
    x, x_jax = tf.constant(batch), jax.device_put(batch)

    mlp = MLP()
    model = tf.keras.Sequential([tf.keras.Input((IN,)), tf.keras.layers.Dense(HIDDEN, activation="relu"),
                                 tf.keras.layers.Dense(OUT)])
    model_fn = tf.function(model, input_signature=SIGNATURE)
    dense1, dense2 = model.layers[-2], model.layers[-1]
    params = {"mlp": tuple(jnp.asarray(v.numpy()) for v in (mlp.w1, mlp.b1, mlp.w2, mlp.b2)),
              "keras": tuple(jnp.asarray(v.numpy()) for v in (dense1.kernel, dense1.bias,
                                                               dense2.kernel, dense2.bias))}

    steps, calls = [], []  # (step, cold s, warm s); (model, variant, s per call)
    with tempfile.TemporaryDirectory() as root:
        for name, obj, original, input_name in (("mlp", mlp, mlp, "x"), ("keras", model, model_fn, None)):
            expected = np.asarray(raw_mlp(params[name], x_jax))
            np.testing.assert_allclose(original(x).numpy(), expected, rtol=1e-5, atol=1e-5)

            def signature_call(loaded, input_name=input_name):
                fn = loaded.signatures["serving_default"]
                key = input_name or next(iter(fn.structured_input_signature[1]))
                return fn(**{key: x})["output_0"]

            steps += save_load_times(obj, root, name, repeats, signature_call)
            loaded = tf.saved_model.load(os.path.join(root, f"{name}_0"))
            serving = loaded.signatures["serving_default"]
            key = input_name or next(iter(serving.structured_input_signature[1]))
            np.testing.assert_allclose(signature_call(loaded).numpy(), expected, rtol=1e-5, atol=1e-5)

            variants = {"original tf.function": lambda: original(x).numpy()}
            if name == "keras":
                variants["keras model(x) eager"] = lambda: model(x).numpy()
            if callable(loaded):
                np.testing.assert_allclose(loaded(x).numpy(), expected, rtol=1e-5, atol=1e-5)
                variants["loaded restored(x)"] = lambda: loaded(x).numpy()
            variants['loaded signatures["serving_default"]'] = lambda: serving(**{key: x})["output_0"].numpy()
            if export_stablehlo is not None:
                rows, served = stablehlo_times(mlp.__call__ if name == "mlp" else model_fn, root, name, repeats, x)
                steps += rows
                out = served(x)
                out = out["output_0"] if isinstance(out, dict) else out
                np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5, atol=1e-5)
                if isinstance(served(x), dict):
                    variants["loaded StableHLO"] = lambda: served(x)["output_0"].numpy()
                else:
                    variants["loaded StableHLO"] = lambda: served(x).numpy()
            variants["raw jax.jit"] = lambda: np.array(raw_mlp(params[name], x_jax))
            calls += [(name, v, t) for v, t in per_call(variants, number, repeats).items()]

    print(machine_line())
    print(f"save / load: the first time (cold) and the best of {repeats} more")
    print("| step | cold ms | warm ms |")
    print("|---|---|---|")
    for step, cold, warm in steps:
        print(f"| {step} | {cold * 1e3:.2f} | {warm * 1e3:.2f} |")
    print()
    print(f"per call, batch [{BATCH}, {IN}]: best of {repeats} x {number} calls; "
          "ratio = time / raw jax.jit's (> 1: slower)")
    print("| model | variant | ms per call | ratio |")
    print("|---|---|---|---|")
    base = {m: s for m, v, s in calls if v == "raw jax.jit"}
    for m, variant, seconds in calls:
        print(f"| {m} | {variant} | {seconds * 1e3:.4f} | {seconds / base[m]:.2f} |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": machine_meta(),
                       "steps": [{"step": s, "cold_s": c, "warm_s": w} for s, c, w in steps],
                       "calls": [{"model": m, "variant": v, "seconds": s} for m, v, s in calls]}, f, indent=1)


if __name__ == "__main__":
    main()
