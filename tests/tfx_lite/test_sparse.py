"""tf.SparseTensor and tf.sparse: TensorFlow's printed behaviour (data/sparse_*_program.py), each op
against the same computation done densely in numpy on seeded random inputs, tf.function with
sparse arguments and results, and GradientTape gradients through the values and dense operands."""
import numpy as np
import pytest

import tfx_lite as tf
from tests.tfx_lite.tf_programs import assert_prints_what_tf_printed


@pytest.mark.parametrize("name", ["sparse_program", "sparse_errors_program"])
def test_prints_what_tensorflow_printed(name):
    assert_prints_what_tf_printed(name)


# --- every op against numpy on random sparse tensors ------------------------------------------
def random_sparse(rng, shape, shuffled=False, dtype=np.float32, fraction=0.4):
    """(SparseTensor with unique indices, its dense numpy value); a fixed number of values per
    shape, so the kernels compile once per shape."""
    size = int(np.prod(shape))
    count = max(1, int(size * fraction))
    flat = np.sort(rng.choice(size, count, replace=False))
    if shuffled:
        rng.shuffle(flat)
    indices = np.stack(np.unravel_index(flat, shape), axis=1).astype(np.int64)
    values = rng.integers(-9, 10, count).astype(dtype)
    values[values == 0] = 1
    dense = np.zeros(shape, dtype)
    dense[tuple(indices.T)] = values
    return tf.SparseTensor(indices, values, list(shape)), dense


def dense_of(x):
    """The dense value, computed in numpy (no kernels to compile for the check)."""
    if not isinstance(x, tf.SparseTensor):
        return x.numpy()
    out = np.zeros(x.dense_shape.numpy(), x.dtype.as_numpy_dtype)
    if out.ndim == 0:
        return x.values.numpy().sum(dtype=out.dtype)
    np.add.at(out, tuple(x.indices.numpy().T), x.values.numpy())
    return out


def _reduce_max_dense(dense, present, axis, keepdims):
    out = np.where(present, dense, -np.inf).max(axis=axis, keepdims=keepdims)
    return np.where(np.isinf(out), 0, out).astype(dense.dtype)


def _fill_empty(dense, present):
    out = dense.copy()
    empty = ~present.reshape(len(present), -1).any(axis=1)
    out[(np.nonzero(empty)[0],) + (0,) * (dense.ndim - 1)] = -5
    return out


CASES = {
    "to_dense": lambda st, d, rng: (tf.sparse.to_dense(st), d),
    "to_dense default": lambda st, d, rng: (tf.sparse.to_dense(st, default_value=3.), np.where(d != 0, d, 3)),
    "from_dense": lambda st, d, rng: (tf.sparse.from_dense(d), d),
    "reorder": lambda st, d, rng: (tf.sparse.reorder(st), d),
    "add sparse": lambda st, d, rng: (lambda o, od: (tf.sparse.add(st, o), d + od))(*random_sparse(rng, d.shape)),
    "add dense": lambda st, d, rng: (tf.sparse.add(st, d * 2), d * 3),
    "maximum": lambda st, d, rng: (lambda o, od: (tf.sparse.maximum(st, o), np.maximum(d, od)))(*random_sparse(rng, d.shape)),
    "minimum": lambda st, d, rng: (lambda o, od: (tf.sparse.minimum(st, o), np.minimum(d, od)))(*random_sparse(rng, d.shape)),
    "reduce_sum": lambda st, d, rng: (tf.sparse.reduce_sum(st), d.sum()),
    "reduce_sum axis 0": lambda st, d, rng: (tf.sparse.reduce_sum(st, 0), d.sum(0)),
    "reduce_sum axis -1 keepdims": lambda st, d, rng: (tf.sparse.reduce_sum(st, -1, keepdims=True), d.sum(-1, keepdims=True)),
    "reduce_sum sparse axis 0": lambda st, d, rng: (tf.sparse.reduce_sum(st, 0, output_is_sparse=True), d.sum(0)),
    "reduce_max axis 0": lambda st, d, rng: (tf.sparse.reduce_max(st, 0), _reduce_max_dense(d, d != 0, 0, False)),
    "reduce_max sparse axis -1": lambda st, d, rng: (tf.sparse.reduce_max(st, -1, output_is_sparse=True), _reduce_max_dense(d, d != 0, -1, False)),
    "transpose": lambda st, d, rng: (tf.sparse.transpose(st), d.T),
    "reshape": lambda st, d, rng: (tf.sparse.reshape(st, [-1]), d.reshape(-1)),
    "reshape 2-D": lambda st, d, rng: (tf.sparse.reshape(st, [d.shape[0], -1]), d.reshape(d.shape[0], -1)),
    "expand_dims": lambda st, d, rng: (tf.sparse.expand_dims(st, 0), d[None]),
    "concat": lambda st, d, rng: (tf.sparse.concat(0, [st, st]), np.concatenate([d, d], 0)),
    "slice": lambda st, d, rng: (tf.sparse.slice(st, [1] * d.ndim, [3] * d.ndim), d[(np.s_[1:4],) * d.ndim]),
    "retain": lambda st, d, rng: (lambda keep: (tf.sparse.retain(st, keep), _retained(st, keep, d.shape)))(rng.random(st.values.shape[0]) < 0.5),
    "fill_empty_rows": lambda st, d, rng: (tf.sparse.fill_empty_rows(st, -5.)[0], _fill_empty(d, d != 0)),
    "mul dense": lambda st, d, rng: (lambda y: (st * y, d * y))(rng.integers(1, 5, d.shape[-1:]).astype(np.float32)),
    "div dense": lambda st, d, rng: (lambda y: (st / y, d / y))(rng.integers(1, 5, d.shape[-1:]).astype(np.float32)),
    "square": lambda st, d, rng: (tf.math.square(st), np.square(d)),
    "negative": lambda st, d, rng: (tf.math.negative(st), -d),
    "sin": lambda st, d, rng: (tf.math.sin(st), np.sin(d)),
}


def _retained(st, keep, shape):
    out = np.zeros(shape, np.float32)
    idx = st.indices.numpy()[keep]
    out[tuple(idx.T)] = st.values.numpy()[keep]
    return out


@pytest.mark.parametrize("case", sorted(CASES))
def test_op_matches_dense_numpy(case):
    for seed, (shape, shuffled) in enumerate([((7,), False), ((5, 6), True), ((3, 4, 5), False)]):
        rng = np.random.default_rng(seed)
        st, dense = random_sparse(rng, shape, shuffled=shuffled)
        if shuffled and case in ("add sparse", "maximum", "minimum", "reduce_sum sparse axis 0",
                                 "reduce_max sparse axis -1", "fill_empty_rows", "to_dense",
                                 "to_dense default"):
            st = tf.sparse.reorder(st)  # these assume (or TF's kernels require) ordered indices
        got, want = CASES[case](st, dense, rng)
        np.testing.assert_allclose(dense_of(got), want, rtol=1e-6, err_msg=f"{case} {shape}")


@pytest.mark.parametrize("adjoint_a", [False, True])
@pytest.mark.parametrize("adjoint_b", [False, True])
def test_sparse_dense_matmul_matches_numpy(adjoint_a, adjoint_b):
    rng = np.random.default_rng(0)
    st, dense = random_sparse(rng, (5, 6), shuffled=True)
    a = dense.T if adjoint_a else dense
    b = rng.normal(size=(3, a.shape[1]) if adjoint_b else (a.shape[1], 3)).astype(np.float32)
    got = tf.sparse.sparse_dense_matmul(st, b, adjoint_a=adjoint_a, adjoint_b=adjoint_b)
    np.testing.assert_allclose(got.numpy(), a @ (b.T if adjoint_b else b), rtol=1e-5, atol=1e-5)
    # dense @ sparse
    c = rng.normal(size=(2, 5)).astype(np.float32)
    np.testing.assert_allclose(tf.sparse.sparse_dense_matmul(c, st).numpy(), c @ dense, rtol=1e-5, atol=1e-5)


def test_merge_of_unordered_indices_follows_tensorflow():
    # TF merges two index lists assuming each is ordered; out of order, its result keeps the
    # interleaving of a step-by-step merge (recorded in sparse_program.tf.txt as well).
    a = tf.SparseTensor([[1, 2], [0, 0]], [1., 2.], [3, 4])
    b = tf.SparseTensor([[0, 0], [2, 1]], [-1., 5.], [3, 4])
    out = tf.sparse.add(a, b)
    assert out.indices.numpy().tolist() == [[0, 0], [1, 2], [0, 0], [2, 1]]
    assert out.values.numpy().tolist() == [-1., 1., 2., 5.]


# --- tf.function ------------------------------------------------------------------------------
def test_sparse_in_and_out_of_tf_function():
    traces = []

    @tf.function
    def f(st, m):
        traces.append(st.shape)
        assert st.shape == tf.TensorShape([3, 4])  # the static dense shape comes from the spec
        doubled = st.with_values(st.values * 2.)
        return (tf.sparse.sparse_dense_matmul(st, m), doubled, tf.sparse.reduce_sum(st, 1),
                tf.sparse.to_dense(tf.sparse.transpose(st)), tf.sparse.reshape(st, [-1, 2]),
                tf.sparse.concat(1, [st, doubled]), st * tf.constant([1., 2., 3., 4.]))

    m = np.arange(8, dtype=np.float32).reshape(4, 2)
    for indices, values in (([[0, 0], [1, 2]], [1., 2.]), ([[0, 1], [1, 2], [2, 3]], [1., 2., 3.])):
        st = tf.SparseTensor(indices, values, [3, 4])
        dense = tf.sparse.to_dense(st).numpy()
        mm, doubled, rsum, transposed, reshaped, joined, scaled = f(st, m)
        assert isinstance(doubled, tf.SparseTensor) and doubled.shape == tf.TensorShape([3, 4])
        np.testing.assert_allclose(mm.numpy(), dense @ m)
        np.testing.assert_allclose(dense_of(doubled), dense * 2)
        np.testing.assert_allclose(rsum.numpy(), dense.sum(1))
        np.testing.assert_allclose(transposed.numpy(), dense.T)
        np.testing.assert_allclose(dense_of(reshaped), dense.reshape(-1, 2))
        np.testing.assert_allclose(dense_of(joined), np.concatenate([dense, dense * 2], 1))
        np.testing.assert_allclose(dense_of(scaled), dense * [1., 2., 3., 4.])
    assert len(traces) == 1  # another number of values reuses the trace (spec: shape and dtype)
    again = f(st, m)[0]  # the same SparseTensor object again: passed as its components
    np.testing.assert_allclose(again.numpy(), dense @ m)


def test_ops_whose_size_depends_on_values_refuse_traced_inputs():
    st = tf.SparseTensor([[0, 0], [1, 2]], [1., 2.], [3, 4])
    for op in (lambda s: tf.sparse.add(s, s), lambda s: tf.sparse.slice(s, [0, 0], [2, 2]),
               lambda s: tf.sparse.retain(s, [True, False]), lambda s: tf.sparse.fill_empty_rows(s, 0.)):
        with pytest.raises(TypeError, match="inside a tf.function"):
            tf.function(op)(st)


def test_sparse_built_from_constants_inside_tf_function():
    @tf.function
    def f():
        st = tf.SparseTensor([[0, 0], [1, 2]], [1., 2.], [3, 4])
        return tf.sparse.add(st, st), tf.sparse.slice(tf.sparse.reorder(st), [0, 0], [2, 2])

    total, part = f()
    assert total.values.numpy().tolist() == [2., 4.]
    assert part.indices.numpy().tolist() == [[0, 0]]


# --- gradients --------------------------------------------------------------------------------
def test_gradient_of_sparse_dense_matmul_matches_dense():
    rng = np.random.default_rng(1)
    st, dense = random_sparse(rng, (5, 6), shuffled=True)
    b = tf.Variable(rng.normal(size=(6, 3)).astype(np.float32))
    values = tf.Variable(st.values)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.sparse.sparse_dense_matmul(st.with_values(values * 1.), b) ** 2)
    grad_values, grad_b = tape.gradient(y, [values, b])
    d = tf.Variable(dense)
    with tf.GradientTape() as tape:
        y_dense = tf.reduce_sum(tf.matmul(d, b) ** 2)
    grad_d, grad_b_dense = tape.gradient(y_dense, [d, b])
    np.testing.assert_allclose(y.numpy(), y_dense.numpy(), rtol=1e-5)
    np.testing.assert_allclose(grad_b.numpy(), grad_b_dense.numpy(), rtol=1e-5)
    np.testing.assert_allclose(grad_values.numpy(), grad_d.numpy()[tuple(st.indices.numpy().T)], rtol=1e-5)


def test_gradients_through_to_dense_reduce_sum_add_and_products():
    st = tf.SparseTensor([[0, 0], [1, 2], [2, 1]], [1., 2., 3.], [3, 4])
    other = tf.SparseTensor([[1, 2], [2, 3]], [5., 7.], [3, 4])
    weights = np.arange(12, dtype=np.float32).reshape(3, 4)
    values = tf.Variable(st.values)
    with tf.GradientTape() as tape:
        s = st.with_values(values * 1.)
        y = (tf.reduce_sum(tf.sparse.to_dense(s) * weights)
             + tf.reduce_sum(tf.sparse.reduce_sum(s, 1) * [1., 10., 100.])
             + tf.reduce_sum(tf.sparse.add(s, other).values * [1., 2., 3., 4.])
             + tf.reduce_sum((s * tf.constant([1., 2., 3., 4.])).values))
    # to_dense: weights at the indices; reduce_sum: the row's factor; add: the output slot's
    # factor (indices [0,0] [1,2] [2,1] [2,3] in order); sparse * dense: the column's factor
    expected = np.array([0., 6., 9.]) + [1., 10., 100.] + [1., 2., 3.] + [1., 3., 2.]
    np.testing.assert_allclose(tape.gradient(y, values).numpy(), expected)


@pytest.mark.parametrize("op, message", [
    (tf.sparse.add, r"Tesors must not be empty \[Op:SparseAdd\]"),  # TF 2.21's own spelling
    (tf.sparse.maximum, r"Tensors must not be empty \[Op:SparseSparseMaximum\]"),
    (tf.sparse.minimum, r"Tensors must not be empty \[Op:SparseSparseMinimum\]"),
])
def test_merging_rank_0_sparse_tensors_is_refused_as_in_tf(op, message):
    scalar = tf.SparseTensor(tf.zeros([1, 0], tf.int64), [2.0], tf.zeros([0], tf.int64))
    with pytest.raises(tf.errors.InvalidArgumentError, match=message):
        op(scalar, scalar)
