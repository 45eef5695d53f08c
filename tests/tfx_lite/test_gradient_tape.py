"""tf.GradientTape, tf.custom_gradient and tf.recompute_grad against TensorFlow.

The programs in data/ were run under TensorFlow 2.21; their printed output is stored next to them
(`*.tf.txt`) and tfx_lite must print the same text."""
import pathlib
import re

import numpy as np
import pytest

from tests.tfx_lite.tf_programs import assert_prints_what_tf_printed

import tfx_lite as tf

DATA = pathlib.Path(__file__).parent / "data"


@pytest.mark.parametrize("name", ["gradient_tape_program", "custom_gradient_program",
                                  "control_flow_gradient_program", "complex_gradient_program",
                                  "segment_prod_gradient_program", "jacobian_program",
                                  "tie_gradient_program", "assigned_variable_program",
                                  "eager_control_flow_gradient_program"])
def test_programs_print_what_tf_prints(name):
    assert_prints_what_tf_printed(name)


def _linear_step():
    w = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    b = tf.Variable([0.5, -0.5])

    def step(x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.nn.relu(tf.matmul(x, w) + b) ** 2)
        dw, db = tape.gradient(loss, [w, b])
        w.assign_sub(0.01 * dw)
        b.assign_sub(0.01 * db)
        return loss

    return w, b, step


def test_tape_inside_tf_function_is_a_vjp_node_and_matches_eager():
    x = tf.constant([[1.0, -1.0], [0.5, 2.0]])
    w1, b1, eager_step = _linear_step()
    w2, b2, step = _linear_step()
    step = tf.function(step)
    for _ in range(3):
        np.testing.assert_allclose(eager_step(x).numpy(), step(x).numpy(), rtol=1e-6)
    np.testing.assert_allclose(w1.numpy(), w2.numpy(), rtol=1e-6)
    np.testing.assert_allclose(b1.numpy(), b2.numpy(), rtol=1e-6)
    text = tf.dump_ir(step, x)
    assert re.search(r"%\d+, %\d+ = vjp\(%Variable, %Variable_, %x, .*\) \{batched=False, fn=@grad, "
                     r"num_sources=2, num_targets=1\} : f32\[2,2\], f32\[2\]", text), text
    assert "func @grad(" in text


def test_tf_function_called_under_an_eager_tape():
    v = tf.Variable([1.0, 2.0])
    counter = tf.Variable(0.0)

    @tf.function
    def f(x):
        counter.assign_add(1.0)
        return tf.reduce_sum(tf.sin(v * x))

    x = tf.constant([0.5, -1.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    dv, dx = tape.gradient(y, [v, x])
    np.testing.assert_allclose(dv.numpy(), np.cos([0.5, -2.0]) * [0.5, -1.0], rtol=1e-6)
    np.testing.assert_allclose(dx.numpy(), np.cos([0.5, -2.0]) * [1.0, 2.0], rtol=1e-6)
    assert counter.numpy() == 1.0  # the function's assignment landed


def test_stop_recording_while_tracing_annotates_nodes():
    @tf.function
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            a = x * x
            with tape.stop_recording():
                b = x * 3.0
            y = a + b
        return tape.gradient(y, x)

    assert f(tf.constant(2.0)).numpy() == 4.0  # TF 2.21: 4.0 (b is not recorded)
    assert "{_nograd=True}" in tf.dump_ir(f, tf.constant(2.0), stage="raw")


def test_stop_recording_needs_a_recording_tape():
    tape = tf.GradientTape()
    # TF 2.21: RuntimeError "Trying to stop recording a tape which is not recording."
    with pytest.raises(RuntimeError, match="Trying to stop recording a tape which is not recording"):
        with tape.stop_recording():
            pass


def test_reset_forgets_recorded_ops():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        tape.reset()
        tape.watch(x)
        z = x * 5.0
        w = y * z
    # TF 2.21: None, 5.0, 45.0 (y is a constant after the reset)
    assert tape.gradient(y, x) is None
    assert tape.gradient(z, x).numpy() == 5.0
    assert tape.gradient(w, x).numpy() == 45.0


def test_watch_accessed_variables_false_watches_only_what_is_asked():
    a, b = tf.Variable(2.0), tf.Variable(3.0)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(a)
        y = a * b
    ga, gb = tape.gradient(y, [a, b])
    assert ga.numpy() == 3.0 and gb is None  # TF 2.21: 3.0, None
    assert tape.watched_variables() == (a,)


def test_non_trainable_variables_are_not_watched():
    a = tf.Variable(2.0, trainable=False)
    with tf.GradientTape() as tape:
        y = a * a
    assert tape.gradient(y, a) is None  # TF 2.21: None


def test_output_gradients_weight_each_target():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    g = tape.gradient(y, x, output_gradients=tf.constant([10.0, 100.0]))
    assert g.numpy().tolist() == [20.0, 400.0]  # TF 2.21: [20., 400.]


def test_unbounded_while_loop_gradient_recomputes_its_iterations():
    """Without maximum_iterations the loop's length is known only when it runs: the backward
    pass recomputes each iteration (d/dx x^3 = 3x^2, what TF gives)."""
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a * x), (0, tf.ones_like(x)))[1]
        return tape.gradient(y, x)

    assert tf.function(f)(tf.constant([1.0, 2.0])).numpy().tolist() == [3.0, 12.0]
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:  # the tape outside the function: one recorded call
        tape.watch(x)
        y = tf.function(lambda x: tf.while_loop(lambda a: tf.reduce_max(a) < 5.0, lambda a: a * x,
                                                (tf.ones_like(x),))[0])(x)
    assert tape.gradient(y, x).numpy().tolist() == [3.0, 12.0]  # a = x^3 after 3 iterations


def test_custom_gradient_rejects_a_gradient_of_the_wrong_shape():
    @tf.custom_gradient
    def f(x):
        return x * 2.0, lambda dy: tf.reduce_sum(dy)

    with pytest.raises(ValueError, match=r"returned a gradient of shape \(\) .* for an input of shape \(2,\)"):
        f(tf.constant([1.0, 2.0]))


def test_custom_gradient_and_recompute_grad_are_ops_in_the_ir():
    @tf.custom_gradient
    def clipped(x):
        return tf.identity(x), lambda dy: tf.clip_by_value(dy, -1.0, 1.0)

    @tf.recompute_grad
    def block(x):
        return tf.tanh(x) * 2.0

    @tf.function
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(block(clipped(x)) * 10.0)
        return tape.gradient(y, x)

    x = tf.constant([0.0, 3.0])
    expected = np.clip(10.0 * 2.0 * (1 - np.tanh([0.0, 3.0]) ** 2), -1, 1)
    np.testing.assert_allclose(f(x).numpy(), expected, rtol=1e-5)
    text = tf.dump_ir(f, x)
    assert "custom_gradient(%x) {bwd=@clipped_grad, fwd=@clipped, num_outputs=1}" in text
    assert "recompute_grad(" in text and "fn=@block}" in text


def test_higher_order_gradient_of_a_tf_function():
    @tf.function
    def f(x):
        with tf.GradientTape() as outer:
            outer.watch(x)
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = x ** 4
            dy = inner.gradient(y, x)
        return outer.gradient(dy, x)

    assert f(tf.constant(2.0)).numpy() == 48.0  # d2/dx2 x^4 = 12 x^2


@pytest.mark.parametrize("traced", [False, True])
def test_a_source_computed_from_another_source_gets_its_own_gradient(traced):
    # TF 2.21 printed [8, 16, 24] (through `a`) and [4, 8, 12] (d loss / d a) for both modes
    v = tf.Variable([1.0, 2.0, 3.0])

    def grads():
        with tf.GradientTape() as tape:
            a = v * 2.0
            tape.watch(a)
            loss = tf.reduce_sum(a * a)
        return tape.gradient(loss, [v, a])

    dv, da = tf.function(grads)() if traced else grads()
    np.testing.assert_array_equal(dv.numpy(), [8.0, 16.0, 24.0])
    np.testing.assert_array_equal(da.numpy(), [4.0, 8.0, 12.0])


def test_variables_assigned_one_value_keep_their_own_gradients():
    """Two variables holding one array (assigned the same value) are still two sources; TF 2.21
    gives [3.0, 2.0] and, with the tensor assigned also watched, [3.0, 3.0]."""
    w, b = tf.Variable(0.0), tf.Variable(0.0)
    w.assign(0.0)
    b.assign(0.0)
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(w * x + b)
    assert [float(g) for g in tape.gradient(y, [w, b])] == [3.0, 2.0]
    c = tf.constant(3.0)
    v = tf.Variable(1.0)
    v.assign(c)
    with tf.GradientTape() as tape:
        tape.watch(c)
        y = v * c
    assert [float(g) for g in tape.gradient(y, [v, c])] == [3.0, 3.0]
