"""`make demo` (python -m tfx_lite.demo): TensorFlow-style code running on JAX/XLA.

1. trains the seed's models: the linear model with a GradientTape loop (eager, then as a
   tf.function), the same model with Keras `fit`, and the seed's MNIST CNN with `fit` on
   MNIST-shaped data (with Keras' progress bar);
2. prints the IR of the traced training step, the text `tfx-lite ir` and `tf.dump_ir` print;
3. saves the CNN as a SavedModel and serves it from the loaded copy;
4. runs `tfx-lite bench --quick` and ends with its eager-vs-compiled table.

`--no-bench` stops after step 3 (the tests run it that way).
"""
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

import tfx_lite as tf


def section(title):
    print(f"\n== {title} " + "=" * max(0, 70 - len(title)), flush=True)


class Linear(tf.Module):
    """The seed's linear model (examples 20 and 21): y = w * x + b, from w=5, b=0."""

    def __init__(self):
        super().__init__()
        self.w = tf.Variable(5.0)
        self.b = tf.Variable(0.0)

    def __call__(self, x):
        return self.w * x + self.b


def linear_data():
    x = tf.cast(tf.linspace(-2, 2, 201), tf.float32)
    return x, x * 3.0 + 2.0


def train_linear():
    x, y = linear_data()

    def step(model, learning_rate):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(y - model(x)))
        dw, db = tape.gradient(loss, [model.w, model.b])
        model.w.assign_sub(learning_rate * dw)
        model.b.assign_sub(learning_rate * db)
        return loss

    for label, run in (("eager", step), ("tf.function", tf.function(step))):
        model = Linear()
        start = time.perf_counter()
        losses = [float(run(model, 0.1)) for _ in range(10)]
        print(f"GradientTape loop, {label:11s}: loss {losses[0]:.3f} -> {losses[-1]:.5f}, W={model.w.numpy():.2f} "
              f"b={model.b.numpy():.2f} (true 3, 2) in {1e3 * (time.perf_counter() - start):.0f} ms")
    return tf.function(step), Linear()


def fit_linear():
    x, y = linear_data()

    class LinearKeras(tf.keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.w = tf.Variable(5.0)
            self.b = tf.Variable(0.0)

        def call(self, x):
            return self.w * x + self.b

    model = LinearKeras()
    model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.1), loss=tf.keras.losses.mean_squared_error)
    history = model.fit(x, y, epochs=10, batch_size=1000, verbose=0)
    print(f"Keras fit, 10 epochs:            loss {history.history['loss'][0]:.3f} -> "
          f"{history.history['loss'][-1]:.5f}, W={model.w.numpy():.2f} b={model.b.numpy():.2f}")


def fit_cnn():
    """The seed's MNIST model (example 03) trained with fit on MNIST-shaped data."""
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 10, size=(2048,))
    # a learnable pattern: each class is its own brightness, under noise
    images = (labels[:, None, None, None] / 10 + rng.normal(0, 0.1, size=(2048, 28, 28, 1))).astype(np.float32)
    model = tf.keras.Sequential([
        tf.keras.Input(shape=(28, 28, 1)),
        tf.keras.layers.Conv2D(16, [3, 3], activation="relu"),
        tf.keras.layers.Conv2D(16, [3, 3], activation="relu"),
        tf.keras.layers.GlobalAveragePooling2D(),
        tf.keras.layers.Dense(10),
    ])
    model.compile(optimizer=tf.keras.optimizers.Adam(0.01),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(images, labels, epochs=3, batch_size=64, verbose=1)
    print(f"(3 epochs of 2048 images in {time.perf_counter() - start:.1f} s, the first one compiling the step)")
    return model, images[:4]


def show_ir(step, model):
    print("The linear training step as tfx_lite traced it (tf.dump_ir; `tfx-lite ir script.py:step` from "
          "the shell):")
    print(tf.dump_ir(step, model, 0.1))


def save_and_serve(model, images):
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "mnist")
        tf.saved_model.save(model, path)
        files = sorted(os.path.relpath(os.path.join(d, f), path) for d, _, fs in os.walk(path) for f in fs)
        loaded = tf.saved_model.load(path)
        served = loaded.signatures["serving_default"](inputs=tf.constant(images))["output_0"]
        same = np.allclose(served.numpy(), model(images).numpy(), atol=1e-5)
        print(f"saved to {len(files)} files ({', '.join(files)})")
        print(f"loaded without the model's Python code; serving_default gives the same logits: {same}")


def bench():
    print("tfx-lite bench --quick (tfx_lite and raw JAX, each workload in its own process):", flush=True)
    return subprocess.call([sys.executable, "-m", "tfx_lite", "bench", "--quick"])


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    section("1. Training the seed's models")
    step, model = train_linear()
    fit_linear()
    cnn, images = fit_cnn()
    section("2. The IR of a traced function")
    show_ir(step, model)
    section("3. SavedModel: save, load without the classes, serve")
    save_and_serve(cnn, images)
    if "--no-bench" in argv:
        return 0
    section("4. Eager vs compiled: tfx-lite bench --quick")
    return bench()


if __name__ == "__main__":
    sys.exit(main())
