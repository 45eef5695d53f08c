"""Composite tensors (RaggedTensor) through the op dispatch, tf.function and GradientTape: what
the TF-recorded ragged programs do not show (tfx_lite's own refusals, the IR of a ragged
argument, the dispatch mechanism itself)."""
import numpy as np
import pytest

import tfx_lite as tf
from tfx_lite.framework.dispatch import add_dispatch_support, dispatch_for


def test_handlers_run_only_when_a_call_with_a_composite_fails():
    calls = []

    @add_dispatch_support
    def plus_one(x):
        return tf.convert_to_tensor(x) + 1

    @dispatch_for(plus_one)
    def ragged_plus_one(x):
        calls.append(x)
        return x.with_flat_values(x.flat_values + 1) if isinstance(x, tf.RaggedTensor) else NotImplemented

    assert int(plus_one(1)) == 2 and calls == []
    with pytest.raises(ValueError):  # no composite among the arguments: the op's own error
        plus_one(None)
    assert calls == []
    assert plus_one(tf.ragged.constant([[1], []])).to_list() == [[2], []]
    assert len(calls) == 1


def test_an_op_without_a_handler_for_ragged_names_itself():
    @add_dispatch_support
    def only_dense(x):
        return tf.convert_to_tensor(x)

    with pytest.raises(ValueError, match="tf.only_dense does not support RaggedTensor inputs"):
        only_dense(tf.ragged.constant([[1.0]]))


RT = [[1.0, 2.0, 3.0], [], [4.0, 5.0]]


def test_a_ragged_argument_is_traced_as_its_components():
    ir = tf.dump_ir(lambda x: tf.reduce_sum(x, axis=1), tf.ragged.constant(RT))
    head = ir.splitlines()[0]
    assert head.startswith("func @<lambda>(%x: f32[?], %x_1: i64[4]) -> (f32[3])"), head
    assert "cumsum" in ir and "segment_sum" in ir  # row ids, then one sum per row


def test_ragged_in_and_out_of_a_function_with_unknown_rows():
    @tf.function(input_signature=[tf.RaggedTensorSpec([None, None], tf.float32, 1)])
    def stats(x):
        return tf.reduce_max(x, axis=1), tf.reduce_sum(x, axis=1), x * 2.0

    for rows in (RT, [[7.0], [1.0, -1.0]]):
        top, total, doubled = stats(tf.ragged.constant(rows))
        lowest = np.finfo(np.float32).min
        np.testing.assert_array_equal(top.numpy(), [max(r) if r else lowest for r in rows])
        np.testing.assert_array_equal(total.numpy(), [sum(r) for r in rows])
        assert doubled.to_list() == [[2 * v for v in r] for r in rows]
    assert stats.experimental_get_tracing_count() == 1


@pytest.mark.parametrize("make, what", [
    (lambda x: x.to_tensor(), "RaggedTensor.to_tensor without a shape"),
    (lambda x: tf.tile(x, [1, 2]), "tf.tile of a RaggedTensor"),
    (lambda x: x[:, 1:], "Slicing inside the rows of a RaggedTensor"),
    (lambda x: tf.map_fn(tf.math.square, x), "tf.map_fn over the rows of a RaggedTensor"),
])
def test_ops_whose_size_follows_the_row_lengths_are_refused_while_tracing(make, what):
    with pytest.raises(TypeError, match=what) as info:
        tf.function(make)(tf.ragged.constant(RT))
    assert "tf.function" in str(info.value)


def test_from_tensor_with_padding_is_refused_while_tracing():
    with pytest.raises(TypeError, match="depends on tensor values"):
        tf.function(lambda x: tf.RaggedTensor.from_tensor(x, padding=0))(tf.constant([[1, 0], [2, 3]]))


def test_a_string_argument_to_a_function_is_refused():
    with pytest.raises(TypeError, match="string tensors as arguments"):
        tf.function(lambda s: s)(tf.constant(["a", "b"]))


def test_gradient_with_respect_to_a_watched_ragged_tensor_is_ragged():
    rt = tf.ragged.constant(RT)
    with tf.GradientTape() as tape:
        tape.watch(rt)
        loss = tf.reduce_sum(tf.reduce_mean(rt, axis=1))
    grad = tape.gradient(loss, rt)
    assert isinstance(grad, tf.RaggedTensor)
    np.testing.assert_allclose(grad.flat_values.numpy(), [1 / 3] * 3 + [0.5] * 2, rtol=1e-6)
    assert grad.row_splits.numpy().tolist() == [0, 3, 3, 5]


def test_a_string_result_of_a_function_is_refused():
    with pytest.raises(TypeError, match="returns a string tensor"):
        tf.function(lambda: tf.constant(["a"]))()


@pytest.mark.parametrize("call, op, kind", [
    (lambda: tf.argmax(tf.ragged.constant([[1, 2]])), "tf.argmax", "RaggedTensor"),
    (lambda: tf.math.cumprod(tf.ragged.constant([[1, 2]])), "tf.cumprod", "RaggedTensor"),
    (lambda: tf.reshape(tf.SparseTensor([[0]], [1.0], [2]), [2]), "tf.reshape", "SparseTensor"),
])
def test_ops_without_a_composite_handler_raise_tf_valueerror_naming_the_op(call, op, kind):
    with pytest.raises(ValueError, match=f"{op} does not support {kind} inputs: Attempt to convert"):
        call()
