"""tf.TensorArray: data/tensor_array_program.py printed tensor_array_program.tf.txt under
TensorFlow 2.21 (eager checks and messages, tf.function values and errors, while_loop, cond,
gradients); tfx_lite must print the same. The other tests cover the traced implementation's
pytree form, the hooks tf.while_loop uses, and where it differs from TF on purpose (a buffer of
static size, as XLA needs)."""
import jax
import numpy as np
import pytest

import tfx_lite as tf
from compiler import current_builder
from tests.tfx_lite.tf_programs import assert_prints_what_tf_printed
from tfx_lite.tensor_array import recording_writes


def test_tensor_array_program_prints_what_tf_prints():
    assert_prints_what_tf_printed("tensor_array_program")


def _traced(check):
    """Run `check` (which asserts) while a tf.function is traced."""
    tf.function(lambda: (check(), tf.constant(0))[1])()


def test_both_kinds_are_tensor_arrays():
    assert isinstance(tf.TensorArray(tf.float32, size=1), tf.TensorArray)

    def check():
        assert current_builder() is not None
        assert isinstance(tf.TensorArray(tf.float32, size=1), tf.TensorArray)
    _traced(check)


def test_traced_pytree_and_lineage():
    def check():
        ta = tf.TensorArray(tf.float32, size=3)
        assert jax.tree_util.tree_leaves(ta) == []  # no buffer before the first write
        a = ta.write(0, [1.0, 2.0])
        b = a.write(1, [3.0, 4.0])
        leaves, tree_a = jax.tree_util.tree_flatten(a)
        assert len(leaves) == 1 and leaves[0].shape == (3, 2)
        assert jax.tree_util.tree_structure(b) == tree_a  # same lineage, same aux: equal
        c = jax.tree_util.tree_unflatten(tree_a, leaves)
        assert c._lineage is ta._lineage and c.element_shape == [2] and c._capacity == 3
        other = tf.TensorArray(tf.float32, size=3).write(0, [1.0, 2.0])
        assert jax.tree_util.tree_structure(other) != tree_a  # another lineage
    _traced(check)


def test_with_buffer_and_grown_hooks():
    def check():
        ta = tf.TensorArray(tf.float32, size=2, dynamic_size=True)
        full = ta._with_buffer([3], 4)
        assert full._lineage is ta._lineage and full._capacity == 4
        assert full.stack().shape == (4, 3) and full.element_shape == [3]
        grown = full.write(1, [1.0, 2.0, 3.0])._grown(2)
        assert grown._lineage is ta._lineage and grown.stack().shape == (6, 3)
        assert ta._grown(3)._capacity == 5 and ta._grown(3)._buffer is None
        with pytest.raises(ValueError, match="not fully defined"):
            ta._with_buffer([None], 2)
        return grown.stack()
    out = tf.function(lambda: check())()
    np.testing.assert_array_equal(out.numpy()[1], [1.0, 2.0, 3.0])
    assert out.numpy()[[0, 2, 3, 4, 5]].sum() == 0


def test_recording_writes_counts_per_lineage():
    def check():
        a = tf.TensorArray(tf.float32, size=4)
        b = tf.TensorArray(tf.float32, size=2, element_shape=[])
        with recording_writes() as outer:
            a = a.write(0, 1.0).scatter([1, 2], [2.0, 3.0])
            with recording_writes() as inner:
                b = b.unstack([1.0, 2.0])
        a.write(3, 4.0)  # not recorded
        assert outer == {a._lineage: 3, b._lineage: 2} and inner == {b._lineage: 2}
    _traced(check)


def test_while_loop_learns_element_shape_and_dynamic_size_from_a_first_iteration():
    """The buffer only exists after the first write: tf.while_loop traces one iteration on the
    side to learn the element shape, and how many elements a dynamic_size array gains per
    iteration (times the trip count, which must then be known when tracing). TF gives these
    values (a TensorArray in a graph while_loop needs neither)."""
    @tf.function
    def f(x):
        ta = tf.TensorArray(tf.float32, size=3)
        _, ta = tf.while_loop(lambda i, ta: i < 3,
                              lambda i, ta: (i + 1, ta.write(i, tf.cast(i, tf.float32) * x)), [0, ta])
        return ta.stack()
    assert f(tf.constant([1.0, 2.0])).numpy().tolist() == [[0.0, 0.0], [1.0, 2.0], [2.0, 4.0]]

    def squares(limit):
        ta = tf.TensorArray(tf.int32, size=0, dynamic_size=True)
        _, ta = tf.while_loop(lambda i, ta: i < 4, lambda i, ta: (i + 1, ta.write(i, i * i)), [0, ta],
                              maximum_iterations=limit)
        return ta.stack()
    assert tf.function(squares)(4).numpy().tolist() == [0, 1, 4, 9]
    with pytest.raises(ValueError, match="number of iterations is not known"):
        tf.function(squares)(tf.constant(4))


def test_traced_write_at_unknown_index_into_size_zero_is_refused():
    """TF grows a dynamic_size array at run time; a static buffer cannot (the write would be
    lost), so it asks for a size."""
    @tf.function
    def f(x):
        ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True, element_shape=[2])
        _, ta = tf.while_loop(lambda i, ta: i < 4,
                              lambda i, ta: (i + 1, ta.write(i, tf.cast(i, tf.float32) * x)), [0, ta])
        return ta.stack()
    with pytest.raises(ValueError, match="pass size="):
        f(tf.constant([1.0, 2.0]))


def test_traced_size_must_be_static():
    f = tf.function(lambda n: tf.TensorArray(tf.float32, size=n).size())
    with pytest.raises(ValueError, match="XLA needs a static size"):
        f(tf.constant(3))


def test_traced_differences_from_tf():
    # a dynamic index past the end: XLA drops the write and reads zeros (TF raises at run time)
    f = tf.function(lambda i: tf.TensorArray(tf.float32, size=3).write(i, 5.0).stack())
    assert f(tf.constant(4)).numpy().tolist() == [0.0, 0.0, 0.0]
    # elements of different shapes cannot share the buffer (TF's infer_shape=False allows them)
    g = tf.function(lambda: tf.TensorArray(tf.float32, size=2, infer_shape=False)
                    .write(0, [1.0]).write(1, [1.0, 2.0]).concat())
    with pytest.raises(ValueError, match="one dense buffer"):
        g()
    # a TensorArray returned by tf.function stays one (TF returns its variant handle)
    ta = tf.function(lambda: tf.TensorArray(tf.float32, size=2).write(1, 4.0))()
    assert isinstance(ta, tf.TensorArray) and ta.stack().numpy().tolist() == [0.0, 4.0]


def test_traced_writes_are_ir_ops():
    text = tf.dump_ir(lambda x: tf.TensorArray(tf.float32, size=2).write(1, x).stack(),
                      tf.constant(1.0))
    assert "tensor_scatter_nd_update(" in text


def test_eager_tensor_array_in_place_and_in_eager_while_loop():
    ta = tf.TensorArray(tf.float32, size=2)
    assert ta.write(0, 1.0) is ta  # TF eager: written in place
    assert jax.tree_util.tree_leaves(ta) == []
    with pytest.raises(ValueError, match="same nested structure"):  # a new array in the body
        tf.while_loop(lambda i, t: i < 1, lambda i, t: (i + 1, tf.TensorArray(tf.float32, size=2)),
                      [0, ta])


def test_eager_tensor_array_captured_by_tf_function():
    ta = tf.TensorArray(tf.float32, size=2)
    with pytest.raises(NotImplementedError, match="construct a new TensorArray inside"):
        tf.function(lambda: ta.write(0, 1.0).stack())()
