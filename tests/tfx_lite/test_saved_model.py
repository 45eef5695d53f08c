"""tf.saved_model.save / load. data/saved_model_program.py saves, then loads in a second process
that never defines the saved classes; under TensorFlow 2.21 it printed saved_model_program.tf.txt
and tfx_lite must print the same (including the losses of training continued after loading)."""
from tests.tfx_lite.tf_programs import assert_prints_what_tf_printed


def test_saved_model_program_prints_what_tf_prints():
    assert_prints_what_tf_printed("saved_model_program")


import numpy as np  # noqa: E402
import pytest  # noqa: E402

import tfx_lite as tf  # noqa: E402


class _Scaler(tf.Module):
    def __init__(self):
        super().__init__()
        self.v = tf.Variable([1.0, 2.0])
        self.sub = tf.Module()
        self.sub.w = tf.Variable(3.0)

    @tf.function(input_signature=[tf.TensorSpec([None, 2])])
    def __call__(self, x):
        return {"y": x * self.v + self.sub.w}

    @tf.function
    def times(self, x, k=2):
        return x * k


def test_functions_are_stored_as_ir_text_that_a_reader_can_read(tmp_path):
    m = _Scaler()
    tf.saved_model.save(m, tmp_path)
    text = (tmp_path / "functions" / "0.ir").read_text()
    assert text.startswith("func @__call__(%x: f32[?,2], ")
    assert "mul(%x, " in text and "add(" in text


def test_a_loaded_model_saves_again_with_its_functions_signatures_and_new_values(tmp_path):
    m = _Scaler()
    m.times(tf.constant(1.0))
    m.times(tf.constant([1.0]), k=3)
    tf.saved_model.save(m, tmp_path / "a")
    loaded = tf.saved_model.load(tmp_path / "a")
    loaded.v.assign([5.0, 6.0])
    tf.saved_model.save(loaded, tmp_path / "b")
    again = tf.saved_model.load(tmp_path / "b")
    assert again(tf.constant([[1.0, 1.0]]))["y"].numpy().tolist() == [[8.0, 9.0]]
    assert again.times(tf.constant(2.0)).numpy() == 4.0
    assert again.times(tf.constant([2.0]), k=3).numpy().tolist() == [6.0]
    assert list(again.signatures) == ["serving_default"]
    assert again.signatures["serving_default"](x=tf.constant([[1.0, 0.0]]))["y"].numpy().tolist() == [[8.0, 3.0]]


def test_ragged_and_random_functions_round_trip(tmp_path):
    class M(tf.Module):
        @tf.function(input_signature=[tf.RaggedTensorSpec([None, None], tf.float32)])
        def row_sums(self, rt):
            return tf.reduce_sum(rt, axis=1)

        @tf.function(input_signature=[tf.TensorSpec([3])])
        def noisy(self, x):
            return x + tf.random.uniform([3], seed=1)

    m = M()
    tf.random.set_seed(5)
    before = [m.noisy(tf.zeros(3)).numpy() for _ in range(2)]
    tf.saved_model.save(m, tmp_path)
    loaded = tf.saved_model.load(tmp_path)
    rt = tf.ragged.constant([[1.0, 2.0], [], [3.0]])
    assert loaded.row_sums(rt).numpy().tolist() == [3.0, 0.0, 3.0]
    after = [loaded.noisy(tf.zeros(3)).numpy() for _ in range(2)]
    assert not np.array_equal(after[0], after[1])  # each call draws new numbers, as before saving
    # the loaded function continues the saved random stream: its first call is the original's third
    np.testing.assert_array_equal(after[0], m.noisy(tf.zeros(3)).numpy())
    assert not np.array_equal(after[0], before[1])


def test_what_cannot_be_saved_is_refused_with_the_reason(tmp_path):
    outside = tf.Variable(1.0)

    class Untracked(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([])])
        def f(self, x):
            return x + outside

    with pytest.raises(ValueError, match="references an 'untracked' resource: the variable 'Variable:0'"):
        tf.saved_model.save(Untracked(), tmp_path / "u")

    class TakesObject(tf.Module):
        @tf.function
        def f(self, x, how):
            return x * 2

    m = TakesObject()
    m.f(tf.constant(1.0), object())
    with pytest.raises(ValueError, match="cannot be saved; a saved signature holds tensors"):
        tf.saved_model.save(m, tmp_path / "o")
    with pytest.raises(ValueError, match="Only `tf.functions` with an input signature"):
        tf.saved_model.save(m, tmp_path / "s", signatures=m.f)


def test_gradients_flow_through_a_loaded_function(tmp_path):
    m = _Scaler()
    tf.saved_model.save(m, tmp_path)
    loaded = tf.saved_model.load(tmp_path)
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(loaded(x)["y"] ** 2)
    grads = tape.gradient(loss, [loaded.v, loaded.sub.w])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(m(x)["y"] ** 2)
    expected = tape.gradient(loss, [m.v, m.sub.w])
    for g, e in zip(grads, expected):
        np.testing.assert_allclose(g.numpy(), e.numpy(), rtol=1e-6)
