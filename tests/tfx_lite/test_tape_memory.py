"""GradientTape and memory: a tape drops what it recorded once its gradient is taken
(non-persistent) or once it is deleted, and a long eager training loop (the seed's linear model,
shared/seed/examples/20_training_loop.py) neither grows memory nor compiles anything after its
first steps.

Live device buffers are counted with `jax.live_arrays()`, the Python heap with `tracemalloc`,
compilations with jax.monitoring's compile events and the sizes of compiler.bind's kernel caches.
"""
import contextlib
import gc
import importlib
import tracemalloc

import jax
import numpy as np
import pytest

import tfx_lite as tf
from compiler import EAGER_OBSERVERS
from tfx_lite.gradient_tape import _RECORDING

_bind = importlib.import_module("compiler.bind")  # `compiler.bind` is also the function

TRUE_W, TRUE_B, NUM_EXAMPLES, LEARNING_RATE = 3.0, 2.0, 201, 0.1


# ----------------------------------------------------------------------------- the seed's model

class MyModel(tf.Module):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.w = tf.Variable(5.0)
        self.b = tf.Variable(0.0)

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


def seed_data():
    x = tf.cast(tf.linspace(-2, 2, NUM_EXAMPLES), tf.float32)
    return x, x * TRUE_W + TRUE_B


# ----------------------------------------------------------------------------- helpers

class CompileCounter:
    """Counts JAX jaxpr traces and XLA backend compiles while registered (jax.monitoring)."""

    TRACE = "/jax/core/compile/jaxpr_trace_duration"
    COMPILE = "/jax/core/compile/backend_compile_duration"

    def __init__(self):
        self.traces = self.compiles = 0

    def __call__(self, event, duration_secs, **kwargs):
        if event == self.TRACE:
            self.traces += 1
        elif event == self.COMPILE:
            self.compiles += 1

    def __enter__(self):
        jax.monitoring.register_event_duration_secs_listener(self)
        return self

    def __exit__(self, *exc):
        jax.monitoring.unregister_event_duration_listener(self)


@contextlib.contextmanager
def traced_heap():
    """tracemalloc on for the block (left on if something else started it)."""
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    try:
        yield
    finally:
        if started:
            tracemalloc.stop()


def live_arrays() -> int:
    gc.collect()
    return len(jax.live_arrays())


def warmed_model(x, y):
    """A model after one training step, so kernels and lazily built constants exist before a
    baseline is taken."""
    model = MyModel()
    train(model, x, y, LEARNING_RATE)
    return model


def record_loss(tape_kwargs, model, x, y):
    tape = tf.GradientTape(**tape_kwargs)
    with tape:
        current_loss = loss(y, model(x))
    return tape, current_loss


# ----------------------------------------------------------------------------- the long loop

STEPS = 10_000
WARMUP = 5                 # steps after which nothing may compile
FIRST_SAMPLE = 1_000       # memory is sampled here and after the last step
HEAP_GROWTH_LIMIT = 256 * 1024  # bytes over 9,000 steps: a leak of 30 bytes a step exceeds it


@pytest.mark.slow
def test_eager_training_loop_does_not_recompile_or_grow_memory():
    x, y = seed_data()
    model = MyModel()
    observers = len(EAGER_OBSERVERS)
    kernels = graph_kernels = None
    samples = {}
    counter = CompileCounter()

    def check_no_compiles(step):
        # (a) after the warm-up steps: nothing traced or compiled, no new kernels, no tape left
        # observing (checked as the loop goes, so that a regression fails fast)
        assert (counter.traces, counter.compiles) == (0, 0), (
            f"{counter.traces} jaxpr traces and {counter.compiles} XLA compiles in steps "
            f"{WARMUP + 1}..{step}")
        assert (len(_bind._KERNELS), len(_bind._GRAPH_KERNELS)) == (kernels, graph_kernels), (
            f"kernel caches grew from {(kernels, graph_kernels)} after step {WARMUP} to "
            f"{(len(_bind._KERNELS), len(_bind._GRAPH_KERNELS))} after step {step}")
        assert len(EAGER_OBSERVERS) == observers and not _RECORDING, f"tapes left recording after step {step}"

    with traced_heap(), counter:
        for step in range(1, STEPS + 1):
            if step == WARMUP + 1:
                kernels, graph_kernels = len(_bind._KERNELS), len(_bind._GRAPH_KERNELS)
                counter.traces = counter.compiles = 0
            train(model, x, y, LEARNING_RATE)
            if step > WARMUP and step % 100 == 0:
                check_no_compiles(step)
            if step in (FIRST_SAMPLE, STEPS):
                model.w.numpy()
                arrays = live_arrays()  # collects garbage first
                samples[step] = (tracemalloc.get_traced_memory()[0], arrays)
    check_no_compiles(STEPS)

    # (b) flat memory between step 1,000 and step 10,000
    (heap_1k, arrays_1k), (heap_10k, arrays_10k) = samples[FIRST_SAMPLE], samples[STEPS]
    assert heap_10k - heap_1k < HEAP_GROWTH_LIMIT, (
        f"Python heap grew by {heap_10k - heap_1k} bytes from step {FIRST_SAMPLE} to {STEPS}")
    assert arrays_10k <= arrays_1k, (
        f"live jax arrays grew from {arrays_1k} to {arrays_10k} between step {FIRST_SAMPLE} "
        f"and {STEPS}")

    # the loop did train
    np.testing.assert_allclose([model.w.numpy(), model.b.numpy()], [TRUE_W, TRUE_B], rtol=1e-4)


# ----------------------------------------------------------------------------- single tapes

def test_non_persistent_tape_drops_its_references_after_gradient():
    x, y = seed_data()
    model = warmed_model(x, y)
    baseline = live_arrays()
    tape, current_loss = record_loss({}, model, x, y)
    # the tape keeps the intermediates (w*x, +b, y-..., square) for gradient()
    assert tape._ops and tape._values
    assert live_arrays() > baseline + 1  # more than the loss alone
    dw, db = tape.gradient(current_loss, [model.w, model.b])
    assert dw is not None and db is not None
    assert not tape._ops and not tape._values
    assert all(not values for _, values in tape._variables.values())
    del current_loss, dw, db
    # the tape is still alive, and holds no arrays any more
    assert live_arrays() <= baseline
    with pytest.raises(RuntimeError):
        tape.gradient(loss(y, model(x)), [model.w])  # and it is spent


def test_non_persistent_tape_drops_its_references_when_deleted_unused():
    x, y = seed_data()
    model = warmed_model(x, y)
    baseline = live_arrays()
    tape, current_loss = record_loss({}, model, x, y)
    del current_loss
    assert live_arrays() > baseline  # only the tape holds the intermediates now
    del tape
    assert live_arrays() <= baseline


def test_persistent_tape_keeps_its_references_until_deleted():
    x, y = seed_data()
    model = warmed_model(x, y)
    baseline = live_arrays()
    tape, current_loss = record_loss({"persistent": True}, model, x, y)
    grads = tape.gradient(current_loss, [model.w, model.b])
    again = tape.gradient(current_loss, model.w)
    np.testing.assert_allclose(again.numpy(), grads[0].numpy())
    del current_loss, grads, again
    assert tape._ops and tape._values
    assert live_arrays() > baseline  # the tape still holds what it recorded
    del tape
    assert live_arrays() <= baseline


def test_tape_stops_observing_when_its_block_raises():
    x, y = seed_data()
    model = warmed_model(x, y)
    observers = len(EAGER_OBSERVERS)
    baseline = live_arrays()
    with pytest.raises(ZeroDivisionError):
        with tf.GradientTape():
            loss(y, model(x))
            1 / 0
    assert len(EAGER_OBSERVERS) == observers
    assert not _RECORDING
    assert live_arrays() <= baseline
