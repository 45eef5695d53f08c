"""The seed's MNIST model trained with `model.fit`, next to a hand-written jax.jit + optax step
for the same model (and Keras 3 on its JAX backend when `keras` is importable), all measured in
the same run.

    python bench/train_cnn.py [--quick] [--json PATH]

The model is the seed's (shared/seed/examples/03_mnist_model_eager.py): Conv2D(16, 3x3, relu)
-> Conv2D(16, 3x3, relu) -> GlobalAveragePooling2D -> Dense(10), compiled with Adam() (learning
rate 0.001, epsilon 1e-7), SparseCategoricalCrossentropy(from_logits=True) and
metrics=['accuracy']. Data: N random MNIST-shaped uint8 images scaled to float32 [0, 1], shape
(N, 28, 28, 1), and int32 labels in [0, 10) (N = 2048; 1024 with --quick). Batch sizes 32
and 256 (N is a multiple of both: every batch is full). Variants, per batch size:

    fit            tfx_lite model.fit(x, y, batch_size=B, epochs=1, verbose=0, shuffle=False)
                   per epoch: numpy x and y in, one tf.function train step per batch
    fit (no mets)  the same without metrics=['accuracy'] (the loss tracker only); not a target
    fit (tf.data)  fit on tf.data.Dataset.from_tensor_slices((x, y)).batch(B) (the same batches in
                   the same order); not a target
    jax.jit+optax  the same model by hand: lax.conv_general_dilated (NHWC, HWIO, VALID) + bias +
                   relu twice, mean over H and W, dense; mean softmax cross-entropy (optax);
                   Adam as Keras computes it, written as an optax GradientTransformation (see
                   keras_adam: optax.adam's epsilon differs); one jax.jit step (value_and_grad
                   + update, donate_argnums for params and optimizer state) on numpy slices
                   x[i*B:(i+1)*B] in a Python loop; blocks on the params and the epoch's mean
                   loss at the end of the epoch
    keras 3        keras.Sequential of the same layers, the same compile(), fit as above, with
                   KERAS_BACKEND=jax -- only when `import keras` gives Keras 3 on JAX; not a
                   target (skipped with a line saying why otherwise)

Every variant of a batch size starts from the same initial weights (a tfx_lite model's
get_weights(), copied with set_weights or into the JAX params).

Epoch time (steady state): best of R epochs per variant after a warm-up epoch; the variants are
interleaved inside each repeat, in a rotating order. An epoch ends with its loss as a Python
float (fit returns it in the History; the JAX loop blocks on the params and the mean loss).
samples/s = N / epoch time. GC is off inside a timed epoch. JAX compile events
(jax.monitoring) are counted during the timed epochs: 0 once warm.

First epoch: each variant's first epoch from cold caches (jax.clear_caches() plus tfx_lite's
kernel / executable caches), with a fresh model / jitted function, so it includes tracing and
XLA compilation of everything the epoch runs. One try. Not a target. With --quick the caches
are not cleared (a fresh model still traces and compiles its train step; eager kernels that
earlier variants compiled are reused), which saves recompiling every variant once more before
the timed epochs.

Target: fit time per sample / jax.jit+optax time per sample <= 1.2, at each batch size.
Agreement, after the first epoch (from the same initial weights, the same batches in the same
order): every variant's mean training loss within rtol 1e-3 of fit's, and its weights allclose
to fit's (rtol 1e-4, atol 1e-5; one epoch changes them by 4e-3 or more, and on random labels
the loss alone barely tells a trained model from an untouched one), else a DISAGREE line and
exit status 1.
"""
import argparse
import gc
import json
import os
import sys
import time
import warnings

import jax
import jax.numpy as jnp
import numpy as np
import optax

import tfx_lite as tf
from harness import CompileCounter, clear_caches, machine_line, machine_meta


TARGET = 1.2              # fit time per sample / jax.jit+optax time per sample
BATCH_SIZES = (32, 256)
LEARNING_RATE, EPSILON = 1e-3, 1e-7
RTOL = 1e-3                 # first-epoch mean loss vs fit's
W_RTOL, W_ATOL = 1e-4, 1e-5  # weights after the first epoch vs fit's (they change by ~4e-3+)
SEED = 1234
FIT, FIT_NO_METRICS, FIT_DATASET = "fit", "fit (no mets)", "fit (tf.data)"
JAX_STEP, KERAS3 = "jax.jit+optax", "keras 3"


# ----------------------------------------------------------------------------- data and model

def make_data(n):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=(n,)).astype(np.int32)
    x = (images[..., np.newaxis] / 255).astype(np.float32)
    return x, labels


def seed_model():
    return tf.keras.Sequential([
        tf.keras.layers.Conv2D(16, [3, 3], activation='relu', input_shape=(None, None, 1)),
        tf.keras.layers.Conv2D(16, [3, 3], activation='relu'),
        tf.keras.layers.GlobalAveragePooling2D(),
        tf.keras.layers.Dense(10)
    ])


def initial_weights():
    tf.random.set_seed(SEED)
    return [np.array(w) for w in seed_model().get_weights()]


# ----------------------------------------------------------------------------- variants

class Variant:
    """`epoch()` trains one epoch over all N samples, blocks, and returns its mean loss;
    `weights()` is the model's weights as numpy arrays, in get_weights() order."""

    def epoch(self):
        raise NotImplementedError

    def weights(self):
        return [np.asarray(w) for w in self.model.get_weights()]


class TfFit(Variant):
    metrics = ["accuracy"]

    def __init__(self, data, batch, weights):
        self.x, self.y = data
        self.batch = batch
        self.model = seed_model()
        self.model.set_weights(weights)
        self.model.compile(optimizer=tf.keras.optimizers.Adam(),
                           loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                           metrics=list(self.metrics))

    def epoch(self):
        history = self.model.fit(self.x, self.y, batch_size=self.batch, epochs=1, verbose=0,
                                 shuffle=False)
        return float(history.history["loss"][-1])


class TfFitNoMetrics(TfFit):
    metrics = []


class TfFitDataset(TfFit):
    """fit on tf.data.Dataset.from_tensor_slices((x, y)).batch(B): the same batches in order."""

    def __init__(self, data, batch, weights):
        super().__init__(data, batch, weights)
        self.dataset = tf.data.Dataset.from_tensor_slices((self.x, self.y)).batch(batch)

    def epoch(self):
        history = self.model.fit(self.dataset, epochs=1, verbose=0)
        return float(history.history["loss"][-1])


def jax_forward(params, x):
    k1, b1, k2, b2, w, b = params
    dn = ("NHWC", "HWIO", "NHWC")
    h = jax.lax.conv_general_dilated(x, k1, (1, 1), "VALID", dimension_numbers=dn) + b1
    h = jax.nn.relu(h)
    h = jax.lax.conv_general_dilated(h, k2, (1, 1), "VALID", dimension_numbers=dn) + b2
    h = jax.nn.relu(h)
    h = jnp.mean(h, axis=(1, 2))
    return h @ w + b


def keras_adam(learning_rate=LEARNING_RATE, beta_1=0.9, beta_2=0.999, epsilon=EPSILON):
    """Adam as Keras computes it, as an optax transformation: m += (g - m) * (1 - beta_1),
    v += (g^2 - v) * (1 - beta_2), update = -alpha * m / (sqrt(v) + epsilon) with
    alpha = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t). optax.adam(lr, eps=epsilon) adds epsilon
    to the bias-corrected sqrt(v) instead, i.e. Keras' epsilon times 1 / sqrt(1 - beta_2^t)
    (31x at t=1): with this model's small conv gradients that moved the weights after one
    epoch by up to half of their change (the loss agreed to 1e-6 all the same)."""
    def init(params):
        zeros = lambda: jax.tree_util.tree_map(jnp.zeros_like, params)  # noqa: E731
        return jnp.zeros([], jnp.int32), zeros(), zeros()  # two trees: both are donated

    def update(grads, state, params=None):
        count, m, v = state
        count = count + 1
        t = count.astype(jnp.float32)
        m = jax.tree_util.tree_map(lambda m, g: m + (g - m) * (1 - beta_1), m, grads)
        v = jax.tree_util.tree_map(lambda v, g: v + (g * g - v) * (1 - beta_2), v, grads)
        alpha = learning_rate * jnp.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
        updates = jax.tree_util.tree_map(lambda m, v: -alpha * m / (jnp.sqrt(v) + epsilon), m, v)
        return updates, (count, m, v)
    return optax.GradientTransformation(init, update)


def make_jax_step(optimizer):
    def loss_fn(params, x, y):
        logits = jax_forward(params, x)
        return optax.softmax_cross_entropy_with_integer_labels(logits, y).mean()

    def step(params, opt_state, x, y):
        loss, grads = jax.value_and_grad(loss_fn)(params, x, y)
        updates, opt_state = optimizer.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state, loss
    return jax.jit(step, donate_argnums=(0, 1))


class JaxStep(Variant):
    def __init__(self, data, batch, weights):
        self.x, self.y = data
        self.batch = batch
        self.steps = len(self.x) // batch
        self.optimizer = keras_adam()
        self.params = [jnp.asarray(w) for w in weights]
        self.opt_state = self.optimizer.init(self.params)
        self.step = make_jax_step(self.optimizer)

    def epoch(self):
        losses = []
        x, y, b = self.x, self.y, self.batch
        for i in range(self.steps):
            self.params, self.opt_state, loss = self.step(
                self.params, self.opt_state, x[i * b:(i + 1) * b], y[i * b:(i + 1) * b])
            losses.append(loss)
        jax.block_until_ready(self.params)
        return float(np.mean(np.asarray(jax.block_until_ready(losses))))

    def weights(self):
        return [np.asarray(p) for p in self.params]


def import_keras3():
    """(keras module, None) for Keras 3 on its JAX backend, else (None, why not)."""
    os.environ["KERAS_BACKEND"] = "jax"  # read when keras is first imported
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import keras
    except ImportError:
        return None, "not installed"
    except Exception as e:  # a broken install: say so, measure the rest
        return None, f"import failed ({type(e).__name__}: {e})"
    version = getattr(keras, "__version__", "?")
    if not version.split(".")[0].isdigit() or int(version.split(".")[0]) < 3:
        return None, f"keras {version} is not Keras 3"
    backend = keras.backend.backend()
    if backend != "jax":
        return None, f"keras {version} runs on the {backend} backend, not jax (imported earlier?)"
    return keras, None


class Keras3Fit(Variant):
    keras = None  # set by main() when importable

    def __init__(self, data, batch, weights):
        keras = self.keras
        self.x, self.y = data
        self.batch = batch
        self.model = keras.Sequential([
            keras.Input((None, None, 1)),
            keras.layers.Conv2D(16, (3, 3), activation="relu"),
            keras.layers.Conv2D(16, (3, 3), activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(10),
        ])
        self.model.set_weights(weights)
        self.model.compile(optimizer=keras.optimizers.Adam(),
                           loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                           metrics=["accuracy"])

    def epoch(self):
        history = self.model.fit(self.x, self.y, batch_size=self.batch, epochs=1, verbose=0,
                                 shuffle=False)
        return float(np.asarray(history.history["loss"][-1]))


# ----------------------------------------------------------------------------- measurements


def run_batch_size(data, batch, classes, repeat, cold):
    """The first epoch of a fresh variant each (from cleared caches when `cold`, followed by a
    warm-up epoch each), then R timed epochs interleaved in a rotating order. Returns one row
    per variant and the agreement failures."""
    weights = initial_weights()
    variants = [cls(data, batch, weights) for cls in classes]  # the same initial weights
    first_s, first_loss, first_weights = [], [], []
    for v in variants:
        if cold:
            clear_caches()
        gc.collect()
        start = time.perf_counter()
        first_loss.append(v.epoch())
        first_s.append(time.perf_counter() - start)
        first_weights.append(v.weights())
    for v in variants if cold else ():  # clear_caches dropped the others' executables
        v.epoch()
    times = [[] for _ in variants]
    counters = [CompileCounter() for _ in variants]
    for r in range(repeat):
        for k in range(len(variants)):
            i = (k + r) % len(variants)
            gc.collect()
            gc.disable()
            try:
                with counters[i]:
                    start = time.perf_counter()
                    variants[i].epoch()
                    elapsed = time.perf_counter() - start
            finally:
                gc.enable()
            times[i].append(elapsed)

    n = len(data[0])
    names = [NAME_OF[cls] for cls in classes]
    ref, ref_weights = first_loss[names.index(FIT)], first_weights[names.index(FIT)]
    failures = []
    if not np.isfinite(ref):
        failures.append(f"batch {batch}: fit's first-epoch loss is not finite ({ref})")
    if not any(np.any(a != b) for a, b in zip(ref_weights, weights)):
        failures.append(f"batch {batch}: fit's first epoch left the weights unchanged")
    weight_diff = []
    for name, got, got_weights in zip(names, first_loss, first_weights):
        if name == FIT:
            weight_diff.append(0.0)
            continue
        if not np.isclose(got, ref, rtol=RTOL, atol=0.0):
            failures.append(f"batch {batch}: {name} first-epoch loss {got:.7g} vs fit {ref:.7g} "
                            f"(rel diff {abs(got - ref) / abs(ref):.2g} > {RTOL})")
        diffs = [float(np.max(np.abs(a - b))) for a, b in zip(got_weights, ref_weights)]
        weight_diff.append(max(diffs))
        for k, (a, b) in enumerate(zip(got_weights, ref_weights)):
            if a.shape != b.shape or not np.allclose(a, b, rtol=W_RTOL, atol=W_ATOL):
                failures.append(f"batch {batch}: {name} weight {k} {a.shape} after the first epoch "
                                f"vs fit's {b.shape}: max |diff| {diffs[k]:.3g}")
    rows = []
    for i, name in enumerate(names):
        best, median = min(times[i]), float(np.median(times[i]))
        rows.append({"batch_size": batch, "variant": name, "samples": n, "steps": n // batch,
                     "epoch_s": best, "median_epoch_s": median, "samples_per_s": n / best,
                     "us_per_sample": best / n * 1e6, "ms_per_step": best / (n // batch) * 1e3,
                     "first_epoch_s": first_s[i], "first_epoch_loss": first_loss[i],
                     "first_epoch_max_weight_diff_vs_fit": weight_diff[i],
                     "compiles_while_timed": counters[i].counts["compiles"]})
    jax_best = rows[names.index(JAX_STEP)]["epoch_s"]
    for row in rows:
        row["over_jax"] = row["epoch_s"] / jax_best
    return rows, failures


NAME_OF = {TfFit: FIT, TfFitNoMetrics: FIT_NO_METRICS, TfFitDataset: FIT_DATASET, JaxStep: JAX_STEP,
           Keras3Fit: KERAS3}


# ----------------------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="N = 1024 samples instead of 2048, fewer repeats, first epoch "
                        "without clearing caches")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    q = args.quick
    n, repeat, cold = (1024, 3, False) if q else (2048, 5, True)

    print(machine_line(f"optax {optax.__version__}"))
    keras, why_not = import_keras3()
    classes = [TfFit, TfFitNoMetrics, TfFitDataset, JaxStep]
    if keras is not None:
        Keras3Fit.keras = keras
        classes.append(Keras3Fit)
        print(f"keras {keras.__version__} on the {keras.backend.backend()} backend")
    else:
        print(f"keras: {why_not} (Keras 3 column skipped)")
    print(f"seed's MNIST model, N={n} random 28x28x1 samples, Adam(1e-3), sparse CE from logits; "
          f"per epoch: best of {repeat} epochs after a warm-up one, variants interleaved; first "
          f"epoch: one " + ("cold start each" if cold else "fresh model / jit each, caches not "
                           "cleared (--quick)"))

    wall = time.perf_counter()
    data = make_data(n)
    rows, failures = [], []
    for batch in BATCH_SIZES:
        r, f = run_batch_size(data, batch, classes, repeat, cold)
        rows += r
        failures += f
    wall = time.perf_counter() - wall

    header = (f"{'batch':>5}  {'variant':<15}{'samples/s':>10}{'ms/epoch':>10}{'median ms':>11}"
              f"{'ms/step':>9}{'us/sample':>10}{'/ jax':>7}{'(<=1.2)':>8}{'1st epoch s':>12}"
              f"{'compiles*':>10}")
    print()
    print(header)
    print("-" * len(header))
    for r in rows:
        target = ("ok" if r["over_jax"] <= TARGET else "MISS") if r["variant"] == FIT else ""
        print(f"{r['batch_size']:>5}  {r['variant']:<15}{r['samples_per_s']:>10.0f}"
              f"{r['epoch_s'] * 1e3:>10.1f}{r['median_epoch_s'] * 1e3:>11.1f}{r['ms_per_step']:>9.2f}"
              f"{r['us_per_sample']:>10.1f}{r['over_jax']:>7.2f}{target:>8}{r['first_epoch_s']:>12.2f}"
              f"{r['compiles_while_timed']:>10}")
    print("* JAX backend compiles during the timed epochs (0 once warm)")
    print()
    for batch in BATCH_SIZES:
        by = {r["variant"]: r for r in rows if r["batch_size"] == batch}
        ratio = by[FIT]["over_jax"]
        extra = ""
        if KERAS3 in by:
            extra = f"; keras 3 / jax.jit+optax {by[KERAS3]['over_jax']:.2f}x"
        print(f"batch {batch:>3}: fit / jax.jit+optax {ratio:5.2f}x (target <= {TARGET}: "
              f"{'ok' if ratio <= TARGET else 'MISS'}); fit (no mets) / jax.jit+optax "
              f"{by[FIT_NO_METRICS]['over_jax']:.2f}x; fit - jax.jit+optax = "
              f"{(by[FIT]['epoch_s'] - by[JAX_STEP]['epoch_s']) / by[FIT]['steps'] * 1e3:.2f} ms/step"
              f"{extra}")
    print(f"took {wall:.1f} s")

    print()
    if failures:
        for f in failures:
            print(f"DISAGREE {f}")
    else:
        losses = ", ".join(f"batch {r['batch_size']}: {r['first_epoch_loss']:.6f}"
                           for r in rows if r["variant"] == FIT)
        worst = max(r["first_epoch_max_weight_diff_vs_fit"] for r in rows)
        print(f"first-epoch losses agree ({losses}) for all {len(classes)} variants "
              f"(rtol={RTOL}); weights after it too (max |diff| {worst:.2g}; allclose "
              f"rtol={W_RTOL}, atol={W_ATOL})")

    if args.json:
        meta = {**machine_meta(), "optax": optax.__version__, "quick": q,
                "samples": n, "repeat": repeat, "batch_sizes": list(BATCH_SIZES),
                "first_epoch_from_cleared_caches": cold,
                "keras": None if keras is None else keras.__version__, "keras_skipped": why_not,
                "wall_s": wall}
        with open(args.json, "w") as f:
            json.dump({"meta": meta, "rows": rows, "target": TARGET, "agree": not failures,
                       "failures": failures}, f, indent=1)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
