"""tf.compat.v1 graphs and Sessions. The programs in data/ (session_*_program.py) were run under
TensorFlow 2.21 and their output stored next to them (`*.tf.txt`); tfx_lite must print the same."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import tfx_lite.compat.v1 as tf
from tests.tfx_lite.tf_programs import assert_prints_what_tf_printed


@pytest.mark.parametrize("name", ["session_basics_program", "session_errors_program",
                                  "session_training_program"])
def test_programs_print_what_tf_prints(name):
    assert_prints_what_tf_printed(name)


def test_each_fetch_and_feed_pair_is_pruned_and_compiled_once():
    with tf.Graph().as_default() as graph:
        x = tf.placeholder(tf.float32, [None, 3])
        y = tf.reduce_sum(x * 2.0, axis=1)
        tf.reduce_max(x)  # not on y's path: pruned away
        with tf.Session() as sess:
            for batch in (1, 4, 4, 7):
                np.testing.assert_allclose(sess.run(y, {x: np.ones((batch, 3))}), np.full(batch, 6.0))
            assert len(sess._compiled) == 1
            sess.run([y, y], {x: np.ones((2, 3))})
            assert len(sess._compiled) == 2
        text = str(graph)
        assert text.startswith("func @graph(%Placeholder: f32[?,3]) -> () {"), text
        assert "reduce_sum(" in text and "reduce_max(" in text


def test_the_executing_mode_follows_the_default_graph():
    assert tf.executing_eagerly()
    with tf.Graph().as_default():
        assert not tf.executing_eagerly()
        assert isinstance(tf.constant(1.0), tf.Tensor) and tf.constant(2.0).name == "Const_1:0"
    assert tf.executing_eagerly()


def test_a_placeholder_of_unknown_rank_is_refused_with_the_reason():
    with tf.Graph().as_default():
        with pytest.raises(NotImplementedError, match="unknown rank"):
            tf.placeholder(tf.float32)


def test_tf_gradients_match_jax_grad():
    rng = np.random.default_rng(3)
    x_host, w_host = rng.normal(size=(5, 3)).astype(np.float32), rng.normal(size=(3, 2)).astype(np.float32)

    def loss(x, w):
        return jnp.sum(jnp.sin(x @ w) ** 2) + jnp.mean(jnp.exp(-w))

    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 3])
        w = tf.Variable(w_host)
        y = tf.reduce_sum(tf.sin(tf.matmul(x, w)) ** 2) + tf.reduce_mean(tf.exp(-w))
        gx, gw = tf.gradients(y, [x, w])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got_x, got_w = sess.run([gx, gw], {x: x_host})
    want_x, want_w = jax.grad(loss, argnums=(0, 1))(x_host, w_host)
    np.testing.assert_allclose(got_x, want_x, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_w, want_w, rtol=1e-5, atol=1e-6)


def test_a_train_step_is_compiled_once_for_all_steps():
    with tf.Graph().as_default():
        v = tf.Variable([1.0, 2.0])
        step = tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(v * v))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(5):
                sess.run(step)
            np.testing.assert_allclose(sess.run(v), np.array([1.0, 2.0]) * 0.8 ** 5, rtol=1e-6)
            assert len(sess._compiled) == 2  # the initializer and the step (a read compiles nothing)
