"""The seed's linear-model training step (shared/seed/examples/20_training_loop.py), eager and
compiled.

x = 201 points in [-2, 2] (float32), y = 3x + 2, w = 5.0 and b = 0.0 at the start,
loss = mean((y - (w*x + b))^2), learning rate 0.1. One step:

    tfx_lite / tensorflow (the identical program, given the `tf` module):
      eager      with tf.GradientTape() as t: loss = ...; dw, db = t.gradient(loss, [w, b]);
                 w.assign_sub(lr * dw); b.assign_sub(lr * db)        (the seed's `train`)
      compiled   tf.function(train), called as train(model, x, y, learning_rate=0.1)
    jax:
      eager      dw, db = jax.grad(loss, argnums=(0, 1))(w, b, x, y); w - lr * dw, ...
                 (not jitted; w and b are jax arrays)
      compiled   the same grad + update as one jax.jit step

Unit ms/step: best of R batches of N steps; each batch ends by blocking on w and b
(`.numpy()` / np.asarray), never inside the loop. Check: from the same start, (w, b) after
20 steps against numpy's float64 gradient descent (rtol 1e-4), and (w, b) after all the
timed steps close to the true (3, 2), which plain gradient descent reaches here.
"""
import numpy as np

import bench_util
from bench_util import allclose_note, measure

FRAMEWORKS = ("tfx_lite", "tensorflow", "jax")
TRUE_W, TRUE_B, NUM_EXAMPLES = 3.0, 2.0, 201
LEARNING_RATE = 0.1
INIT_W, INIT_B = 5.0, 0.0
CHECK_STEPS = 20
CASE = "seed linear model, 201 examples"


def make_data():
    x = np.linspace(-2, 2, NUM_EXAMPLES).astype(np.float32)
    return x, (x * TRUE_W + TRUE_B).astype(np.float32)


def reference(x, y, steps):
    """(w, b) after `steps` steps of the same gradient descent, in float64."""
    x, y = x.astype(np.float64), y.astype(np.float64)
    w, b = INIT_W, INIT_B
    for _ in range(steps):
        err = y - (w * x + b)
        dw, db = np.mean(-2 * x * err), np.mean(-2 * err)
        w, b = w - LEARNING_RATE * dw, b - LEARNING_RATE * db
    return np.array([w, b])


# ----------------------------------------------------------------------------- the programs

def tf_program(tf):
    """The seed's model, loss and train step for a `tf` module (tfx_lite or tensorflow)."""
    class MyModel(tf.Module):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.w = tf.Variable(INIT_W)
            self.b = tf.Variable(INIT_B)

        def __call__(self, x):
            return self.w * x + self.b

    def loss(target_y, predicted_y):
        return tf.reduce_mean(tf.square(target_y - predicted_y))

    def train(model, x, y, learning_rate):
        with tf.GradientTape() as t:
            current_loss = loss(y, model(x))
        dw, db = t.gradient(current_loss, [model.w, model.b])
        model.w.assign_sub(learning_rate * dw)
        model.b.assign_sub(learning_rate * db)

    return MyModel, train


class TfVariant:
    def __init__(self, tf, compiled, x, y):
        MyModel, train = tf_program(tf)
        self.model = MyModel()
        self.train = tf.function(train) if compiled else train
        self.x, self.y = tf.constant(x), tf.constant(y)

    def step(self):
        self.train(self.model, self.x, self.y, learning_rate=LEARNING_RATE)

    def state(self):
        return np.array([self.model.w.numpy(), self.model.b.numpy()], dtype=np.float64)


class JaxVariant:
    def __init__(self, jax, jnp, compiled, x, y):
        def loss(w, b, x, y):
            return jnp.mean(jnp.square(y - (w * x + b)))
        grad = jax.grad(loss, argnums=(0, 1))

        def step(w, b, x, y):
            dw, db = grad(w, b, x, y)
            return w - LEARNING_RATE * dw, b - LEARNING_RATE * db
        self.fn = jax.jit(step) if compiled else step
        self.w, self.b = jnp.float32(INIT_W), jnp.float32(INIT_B)
        self.x, self.y = jnp.asarray(x), jnp.asarray(y)

    def step(self):
        self.w, self.b = self.fn(self.w, self.b, self.x, self.y)

    def state(self):
        return np.array([np.asarray(self.w), np.asarray(self.b)], dtype=np.float64)


def run(env, quick, rec):
    target_s, repeat = (0.04, 3) if quick else (0.25, 5)
    x, y = make_data()
    want = reference(x, y, CHECK_STEPS)
    variants, notes = [], {}
    for name, compiled in (("eager", False), ("compiled", True)):
        v = (TfVariant(env.tf, compiled, x, y) if env.tf is not None else
             JaxVariant(env.jax, env.jnp, compiled, x, y))
        for _ in range(CHECK_STEPS):
            v.step()
        notes[name] = allclose_note(f"(w, b) after {CHECK_STEPS} steps", v.state(), want,
                                    rtol=1e-4, atol=1e-5)
        variants.append((name, v))
    timed = measure([(name, v.step, lambda outs, v=v: v.state()) for name, v in variants],
                    target_s, repeat, warmup=3)
    for name, v in variants:
        note = notes[name] or ("" if bench_util.SMOKE else  # (a smoke run trains too few steps)
                               allclose_note("(w, b) after training", v.state(),
                                             np.array([TRUE_W, TRUE_B]), rtol=0, atol=1e-3))
        seconds, _ = timed[name]
        rec.add(CASE, name, seconds * 1e3, "ms/step", True, repeat, note)
