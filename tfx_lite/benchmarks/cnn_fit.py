"""The seed's MNIST model (shared/seed/examples/03_mnist_model_eager.py) trained with `fit`.

    Conv2D(16, 3x3, relu) -> Conv2D(16, 3x3, relu) -> GlobalAveragePooling2D -> Dense(10),
    Adam() (lr 1e-3, epsilon 1e-7), SparseCategoricalCrossentropy(from_logits=True),
    metrics=['accuracy']

Data: N synthetic MNIST-shaped samples (fixed seed): int32 labels in [0, 10) and uint8
28x28 images whose brightness grows with the label (pixels uniform in [0, 25.5 (label+1)]),
scaled to float32 [0, 1], shape (N, 28, 28, 1); so the model has something to learn. The
initial weights come from numpy (Glorot-uniform kernels, zero biases, fixed seed) and are set
with set_weights: every framework starts from the same model.

Variants:
    fit            tfx_lite's tf.keras, TensorFlow's tf.keras, or Keras 3 on JAX (keras_jax):
                   the identical program, given the keras module;
                   model.fit(x, y, batch_size=B, epochs=1, verbose=0, shuffle=False) per epoch
    jax.jit step   (framework jax) the same model by hand: lax.conv_general_dilated (NHWC, HWIO,
                   VALID) + bias + relu twice, mean over H and W, dense; mean softmax
                   cross-entropy; Adam as Keras computes it; one jax.jit step per batch of the
                   numpy arrays, in order, in a Python loop (what fit does)

Cases: batch 32 (N = 2048; --quick: N = 384) and batch 256 (N = 2048; not in --quick).
Unit ms/step: one warm-up epoch first (it traces and compiles), then the best of R epochs,
each timed from the call until its losses and weights are on the host (fit's history, then
get_weights(); the jax loop blocks on the parameters and the losses), divided by the N / B
steps.

Check (a note when it fails): every epoch's loss finite; the model's logits on 16 samples
against a numpy forward pass with the model's own weights (rtol 1e-3); and the numpy loss over
256 samples lower after training than at the initial weights (by 1% or more).
"""
import numpy as np

from bench_util import measure, to_numpy

FRAMEWORKS = ("tfx_lite", "tensorflow", "jax", "keras_jax")
LEARNING_RATE, BETA_1, BETA_2, EPSILON = 1e-3, 0.9, 0.999, 1e-7
SEED = 1234


def make_data(n):
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 10, size=(n,)).astype(np.int32)
    images = (rng.uniform(0.0, 1.0, size=(n, 28, 28)) * (25.5 * (labels[:, None, None] + 1)))
    x = (images.astype(np.uint8)[..., np.newaxis] / 255).astype(np.float32)
    return x, labels


def initial_weights():
    """Glorot-uniform kernels and zero biases, in get_weights() order."""
    rng = np.random.default_rng(SEED)

    def glorot(shape, fan_in, fan_out):
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-limit, limit, size=shape).astype(np.float32)
    return [glorot((3, 3, 1, 16), 9, 144), np.zeros(16, np.float32),
            glorot((3, 3, 16, 16), 144, 144), np.zeros(16, np.float32),
            glorot((16, 10), 16, 10), np.zeros(10, np.float32)]


# ----------------------------------------------------------------------------- the reference

def _conv_valid(x, kernel):
    windows = np.lib.stride_tricks.sliding_window_view(x, (3, 3), axis=(1, 2))  # n,h,w,c,3,3
    return np.einsum("nhwcij,ijco->nhwo", windows, kernel, optimize=True)


def np_forward(weights, x):
    k1, b1, k2, b2, w, b = [np.asarray(a, np.float64) for a in weights]
    h = np.maximum(_conv_valid(x.astype(np.float64), k1) + b1, 0)
    h = np.maximum(_conv_valid(h, k2) + b2, 0)
    return h.mean(axis=(1, 2)) @ w + b


def np_loss(weights, x, y):
    logits = np_forward(weights, x)
    logits = logits - logits.max(axis=1, keepdims=True)
    log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    return float(-log_probs[np.arange(len(y)), y].mean())


def check(losses, logits, weights, init_loss, x_eval, y_eval):
    """'' when the run looks right, else why not."""
    if not all(np.isfinite(losses)):
        return f"epoch losses not finite: {losses}"
    want = np_forward(weights, x_eval[:16])
    got = np.asarray(logits, np.float64)
    if got.shape != want.shape or not np.allclose(got, want, rtol=1e-3, atol=1e-4):
        return (f"logits on 16 samples differ from numpy's forward pass with the model's weights "
                f"(shape {got.shape}, max |diff| "
                f"{float(np.max(np.abs(got - want))) if got.shape == want.shape else '-'})")
    trained = np_loss(weights, x_eval, y_eval)
    if not trained < 0.99 * init_loss:
        return f"training did not lower the loss: {init_loss:.4f} at the start, {trained:.4f} after"
    return ""


# ----------------------------------------------------------------------------- the programs

def seed_model(keras):
    """The seed's model, for a keras module (tf.keras of tfx_lite or TensorFlow, or Keras 3)."""
    return keras.Sequential([
        keras.layers.Conv2D(16, [3, 3], activation='relu', input_shape=(None, None, 1)),
        keras.layers.Conv2D(16, [3, 3], activation='relu'),
        keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dense(10)
    ])


class KerasFit:
    def __init__(self, keras, data, batch, weights):
        self.x, self.y = data
        self.batch = batch
        self.model = seed_model(keras)
        self.model.set_weights(weights)
        self.model.compile(optimizer=keras.optimizers.Adam(),
                           loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                           metrics=['accuracy'])
        self.losses = []

    def epoch(self):
        history = self.model.fit(self.x, self.y, batch_size=self.batch, epochs=1, verbose=0,
                                 shuffle=False)
        self.losses.append(float(np.asarray(history.history["loss"][-1])))
        self.model.get_weights()  # block on the last step's update too, as the jax loop does

    def logits(self, x):
        return to_numpy(self.model(x))

    def weights(self):
        return [to_numpy(w) for w in self.model.get_weights()]


class JaxStep:
    def __init__(self, jax, jnp, data, batch, weights):
        self.x, self.y = data
        self.batch = batch
        self.jax, self.steps = jax, len(self.x) // batch
        lax = jax.lax

        def forward(params, x):
            k1, b1, k2, b2, w, b = params
            dn = ("NHWC", "HWIO", "NHWC")
            h = jax.nn.relu(lax.conv_general_dilated(x, k1, (1, 1), "VALID", dimension_numbers=dn) + b1)
            h = jax.nn.relu(lax.conv_general_dilated(h, k2, (1, 1), "VALID", dimension_numbers=dn) + b2)
            return jnp.mean(h, axis=(1, 2)) @ w + b

        def loss_fn(params, x, y):
            log_probs = jax.nn.log_softmax(forward(params, x))
            return -jnp.mean(jnp.take_along_axis(log_probs, y[:, None], axis=1))

        def step(params, m, v, t, x, y):
            """Adam as Keras computes it: m += (g - m)(1 - beta_1), v += (g^2 - v)(1 - beta_2),
            p -= lr sqrt(1 - beta_2^t) / (1 - beta_1^t) m / (sqrt(v) + epsilon)."""
            loss, grads = jax.value_and_grad(loss_fn)(params, x, y)
            t = t + 1
            tf32 = t.astype(jnp.float32)
            alpha = LEARNING_RATE * jnp.sqrt(1 - BETA_2 ** tf32) / (1 - BETA_1 ** tf32)
            m = [mi + (g - mi) * (1 - BETA_1) for mi, g in zip(m, grads)]
            v = [vi + (g * g - vi) * (1 - BETA_2) for vi, g in zip(v, grads)]
            params = [p - alpha * mi / (jnp.sqrt(vi) + EPSILON) for p, mi, vi in zip(params, m, v)]
            return params, m, v, t, loss

        self.step = jax.jit(step, donate_argnums=(0, 1, 2))
        self.forward = jax.jit(forward)
        self.params = [jnp.asarray(w) for w in weights]
        self.m = [jnp.zeros_like(p) for p in self.params]
        self.v = [jnp.zeros_like(p) for p in self.params]
        self.t = jnp.zeros([], jnp.int32)
        self.losses = []

    def epoch(self):
        losses = []
        x, y, b = self.x, self.y, self.batch
        for i in range(self.steps):
            self.params, self.m, self.v, self.t, loss = self.step(
                self.params, self.m, self.v, self.t, x[i * b:(i + 1) * b], y[i * b:(i + 1) * b])
            losses.append(loss)
        self.jax.block_until_ready(self.params)
        self.losses.append(float(np.mean([np.asarray(l) for l in losses])))

    def logits(self, x):
        return np.asarray(self.forward(self.params, x))

    def weights(self):
        return [np.asarray(p) for p in self.params]


def run(env, quick, rec):
    cases = [(32, 384)] if quick else [(32, 2048), (256, 2048)]  # batch, N
    repeat = 3 if quick else 4
    weights = initial_weights()
    for batch, n in cases:
        data = make_data(n)
        x_eval, y_eval = data[0][:256], data[1][:256]
        init_loss = np_loss(weights, x_eval, y_eval)
        if env.name == "jax":
            variant, v = "jax.jit step", JaxStep(env.jax, env.jnp, data, batch, weights)
        else:
            keras = env.keras if env.keras is not None else env.tf.keras
            variant, v = "fit", KerasFit(keras, data, batch, weights)
        # the warm-up epoch (measure's) traces and compiles; the epochs block on their own
        timed = measure([(variant, v.epoch, lambda outs: None)], 0.0, repeat, number=1)
        seconds, _ = timed[variant]
        note = check(v.losses, v.logits(x_eval[:16]), v.weights(), init_loss, x_eval, y_eval)
        rec.add(f"batch {batch}", variant, seconds / (n // batch) * 1e3, "ms/step", True, repeat,
                note)
