"""Math ops: what the recorded TF cases (tests/tf_reference/math_cases.py) cannot express:
error messages, the TopKV2 namedtuple, tracing into a graph, Python operators, op-table hygiene."""
import numpy as np
import pytest

import tfx_lite as tf
from compiler import REGISTRY, GraphBuilder, TensorType
from tfx_lite.framework.tensor import SymbolicTensor
from tfx_lite.ops import math_ops


def _raises(error, match, fn, *args, **kwargs):
    with pytest.raises(error, match=match):
        fn(*args, **kwargs)


# --- messages say what was wrong -------------------------------------------------------------
def test_matmul_messages():
    _raises(tf.errors.InvalidArgumentError, r"Matrix size-incompatible: In\[0\]: \[2,3\], In\[1\]: \[2,3\] \[Op:MatMul\]",
            tf.matmul, tf.zeros([2, 3]), tf.zeros([2, 3]))
    _raises(tf.errors.InvalidArgumentError, r"In\[0\] and In\[1\] ndims must be == 2: 1",
            tf.matmul, tf.constant([1.0, 2.0]), tf.constant([1.0, 2.0]))
    _raises(tf.errors.InvalidArgumentError, r"In\[1\] ndims must be >= 2: 1 \[Op:BatchMatMulV2\]",
            tf.matmul, tf.zeros([2, 1, 3]), tf.zeros([3]))
    _raises(tf.errors.InvalidArgumentError, r"compatible batch dimensions: \[4,2,3\] vs. \[3,3,2\]",
            tf.matmul, tf.zeros([4, 2, 3]), tf.zeros([3, 3, 2]))
    _raises(tf.errors.InvalidArgumentError, r"expected to be a float tensor but is a int32 tensor",
            tf.matmul, tf.zeros([2, 3]), tf.zeros([3, 2], tf.int32))
    _raises(ValueError, "Only one of `transpose_a` and `adjoint_a`", tf.matmul, tf.zeros([2, 2]),
            tf.zeros([2, 2]), transpose_a=True, adjoint_a=True)


def test_dtype_messages_name_the_allowed_types():
    _raises(tf.errors.InvalidArgumentError,
            r"Value for attr 'T' of int32 is not in the list of allowed values: bfloat16, half, float, "
            r"double, complex64, complex128 \[Op:Sqrt\]", tf.sqrt, 4)
    _raises(tf.errors.InvalidArgumentError, r"cannot compute AddV2 as input #1\(zero-based\) was expected "
            r"to be a int32 tensor but is a float tensor", tf.add, tf.constant(1), tf.constant(1.0))
    _raises(tf.errors.InvalidArgumentError, "expected to be a bool tensor but is a int32 tensor",
            tf.logical_and, tf.constant(1), tf.constant(1))
    _raises(tf.errors.NotFoundError, "Rint", tf.math.rint, tf.constant(1.0, tf.float16))
    _raises(TypeError, "Cannot convert 2.5 to EagerTensor of dtype int32", tf.subtract, tf.constant(1), 2.5)
    _raises(TypeError, "must have the same dtype", tf.divide, tf.constant(1.0), tf.constant(1))


def test_shape_and_axis_messages():
    _raises(tf.errors.InvalidArgumentError, r"Incompatible shapes: \[2\] vs. \[3\] \[Op:Mul\]",
            tf.multiply, tf.zeros([2]), tf.zeros([3]))
    _raises(tf.errors.InvalidArgumentError, r"Invalid reduction dimension \(2 for input with 2 dimension\(s\)",
            tf.reduce_sum, tf.zeros([2, 3]), axis=2)
    _raises(tf.errors.InvalidArgumentError, "duplicate dimension: 0", tf.reduce_sum, tf.zeros([2, 3]), [0, -2])
    _raises(tf.errors.InvalidArgumentError, r"Expected scan axis in the range \[-1, 1\), but got 1",
            tf.cumsum, tf.zeros([2]), 1)
    _raises(tf.errors.InvalidArgumentError, "input must have at least k columns. Had 3, needed 5",
            tf.math.top_k, tf.zeros([3]), 5)
    _raises(tf.errors.InvalidArgumentError, "segment ids are not increasing",
            tf.math.segment_sum, tf.constant([1, 2]), tf.constant([1, 0]))
    _raises(tf.errors.InvalidArgumentError, r"segment_ids\[1\] = 5 is out of range \[0, 3\)",
            tf.math.unsorted_segment_sum, tf.constant([1, 2]), tf.constant([0, 5]), 3)
    _raises(tf.errors.InvalidArgumentError, "Integer division by zero", tf.math.floordiv, tf.constant(1), 0)
    _raises(tf.errors.InvalidArgumentError, "Integers to negative integer powers", tf.pow, tf.constant(2), -1)
    _raises(tf.errors.InvalidArgumentError, r"Expected dimension 3 at axis 0 of the input shaped \[2,3\]",
            tf.einsum, "ij,jk->ik", tf.zeros([2, 3]), tf.zeros([2, 3]))
    _raises(tf.errors.InvalidArgumentError, r"Matrix size-incompatible",
            tf.tensordot, tf.zeros([2, 3]), tf.zeros([2, 3]), 1)


def test_errors_carry_no_jax_traceback():
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.einsum("ij->", tf.zeros([2, 3, 4]))
    assert "jax" not in str(info.value).lower()
    assert info.value.__cause__ is None


# --- results ------------------------------------------------------------------------------------
def test_top_k_is_a_namedtuple():
    result = tf.math.top_k(tf.constant([[1.0, 5.0, 3.0]]), k=2)
    assert type(result).__name__ == "TopKV2" and result._fields == ("values", "indices")
    values, indices = result
    assert values.numpy().tolist() == [[5.0, 3.0]] and indices.dtype == tf.int32
    assert result.indices.numpy().tolist() == [[1, 2]]
    assert repr(result).startswith("TopKV2(values=<tf.Tensor: shape=(1, 2), dtype=float32")


def test_integer_division_and_modulo_follow_python():
    x = np.arange(-7, 8, dtype=np.int32)
    for d in (3, -3, 1, 7):
        assert (tf.math.floordiv(tf.constant(x), d).numpy() == x // d).all()
        assert (tf.math.floormod(tf.constant(x), d).numpy() == x % d).all()
    xf = np.linspace(-3.5, 3.5, 15).astype(np.float32)
    np.testing.assert_allclose(tf.math.floormod(tf.constant(xf), np.float32(-1.25)).numpy(),
                               np.mod(xf, np.float32(-1.25)), rtol=1e-6)


def test_sort_is_stable_in_both_directions():
    values = np.array([3, 1, 3, 2, 1, 3], np.int32)
    assert tf.argsort(values).numpy().tolist() == np.argsort(values, kind="stable").tolist()
    assert tf.argsort(values, direction="DESCENDING").numpy().tolist() == [0, 2, 5, 3, 1, 4]
    assert tf.sort(values, direction="DESCENDING").numpy().tolist() == [3, 3, 3, 2, 1, 1]


def test_unary_ops_keep_dtype_and_shape():
    x = tf.constant(np.linspace(0.1, 0.9, 6, dtype=np.float64).reshape(2, 3))
    for fn in (tf.sqrt, tf.exp, tf.math.log, tf.math.log1p, tf.sin, tf.cos, tf.tanh, tf.sigmoid,
               tf.math.rsqrt, tf.math.expm1, tf.asin, tf.acos, tf.atan, tf.math.erf, tf.math.softplus,
               tf.math.reciprocal, tf.square, tf.negative, tf.abs, tf.sign, tf.floor, tf.math.ceil,
               tf.round, tf.math.rint, tf.math.lgamma, tf.math.digamma, tf.math.log_sigmoid):
        out = fn(x)
        assert out.dtype == tf.float64 and out.shape == (2, 3), fn.__name__


def test_variables_work_as_operands():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    assert tf.reduce_sum(v).numpy() == 10.0
    assert (tf.matmul(v, v).numpy() == np.array([[7.0, 10.0], [15.0, 22.0]])).all()
    assert tf.math.top_k(v, 1).values.numpy().tolist() == [[2.0], [4.0]]
    assert tf.add_n([v, v]).numpy().tolist() == [[2.0, 4.0], [6.0, 8.0]]


# --- operators -----------------------------------------------------------------------------------
def test_operators():
    t = tf.constant([1, 2, 3])
    assert (t ** 2).numpy().tolist() == [1, 4, 9]
    assert (2 ** t).numpy().tolist() == [2, 4, 8]
    assert (-t).numpy().tolist() == [-1, -2, -3]
    assert abs(tf.constant([-1.5])).numpy().tolist() == [1.5]
    assert (t / 2).dtype == tf.float64
    assert (t // 2).numpy().tolist() == [0, 1, 1]
    assert (t % 2).numpy().tolist() == [1, 0, 1]
    m = tf.constant([[1.0, 2.0]])
    assert (m @ tf.constant([[1.0], [1.0]])).numpy().tolist() == [[3.0]]
    assert (t < 2).numpy().tolist() == [True, False, False]
    assert (t == None) is False  # noqa: E711
    with pytest.raises(TypeError):
        tf.constant(5) >> 1
    with pytest.raises(TypeError):
        t * 2.5


def test_add_reflected_converts_strictly():
    t = tf.constant([1, 2])
    assert math_ops.add_reflected(t, 3).numpy().tolist() == [4, 5]
    assert math_ops.add_reflected(tf.constant(["a"]), "b").numpy().tolist() == [b"ba"]
    with pytest.raises(TypeError):
        math_ops.add_reflected(t, 2.5)
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.add(2.5, t)


# --- tracing: every wrapper works on symbolic tensors (no host reads of their values) ------------------
def _symbolic(builder, shape, dtype):
    return SymbolicTensor(builder.param(TensorType(tuple(shape), np.dtype(dtype))))


TRACED = [
    ("add", lambda x, y: tf.add(x, y)),
    ("truediv_int", lambda x, y: tf.truediv(tf.cast(x, tf.int32), tf.cast(y, tf.int32))),
    ("floordiv", lambda x, y: tf.math.floordiv(x, y)),
    ("pow", lambda x, y: x ** y),
    ("maximum", lambda x, y: tf.maximum(x, y)),
    ("compare", lambda x, y: x < y),
    ("clip", lambda x, y: tf.clip_by_value(x, 0.0, 1.0)),
    ("reduce", lambda x, y: tf.reduce_mean(x, axis=1, keepdims=True)),
    ("reduce_std", lambda x, y: tf.math.reduce_std(x, axis=[0, 1])),
    ("logsumexp", lambda x, y: tf.reduce_logsumexp(x, 0)),
    ("argmax", lambda x, y: tf.argmax(x, 1)),
    ("cumsum", lambda x, y: tf.cumsum(x, 1, exclusive=True, reverse=True)),
    ("top_k", lambda x, y: tf.math.top_k(x, 2)),
    ("sort", lambda x, y: tf.sort(x, direction="DESCENDING")),
    ("argsort", lambda x, y: tf.argsort(x, axis=0)),
    ("add_n", lambda x, y: tf.add_n([x, y, x])),
    ("unsorted_segment_sum", lambda x, y: tf.math.unsorted_segment_sum(x, tf.constant([1, 0]), 3)),
    ("matmul", lambda x, y: tf.matmul(x, y, transpose_b=True)),
    ("tensordot", lambda x, y: tf.tensordot(x, y, [[1], [1]])),
    ("einsum", lambda x, y: tf.einsum("ij,kj->ik", x, y)),
    ("count_nonzero", lambda x, y: tf.math.count_nonzero(x, 0)),
    ("unary", lambda x, y: tf.math.log1p(tf.abs(tf.sigmoid(x)))),
]


@pytest.mark.parametrize("name,fn", TRACED, ids=[n for n, _ in TRACED])
def test_traces_with_types_of_eager_run(name, fn):
    x = tf.constant([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
    y = tf.constant([[1.0, 2.0, 0.5], [0.5, 3.0, 1.0]])
    eager = fn(x, y)
    with GraphBuilder() as builder:
        traced = fn(_symbolic(builder, (2, 3), np.float32), _symbolic(builder, (2, 3), np.float32))
    eager, traced = (eager, traced) if isinstance(eager, tuple) else ((eager,), (traced,))
    for e, t in zip(eager, traced):
        assert isinstance(t, SymbolicTensor)
        assert t.dtype == e.dtype and t.shape == e.shape, name
    assert builder.graph.nodes


def test_sorted_segments_need_known_ids_when_traced():
    with GraphBuilder() as builder:
        ids = _symbolic(builder, (2,), np.int32)
        with pytest.raises(TypeError, match="segment_ids must have known values"):
            tf.math.segment_sum(tf.constant([1.0, 2.0]), ids)


# --- op table ------------------------------------------------------------------------------------
def test_eager_kernels_are_cached_per_attributes():
    import sys
    bind_module = sys.modules["compiler.bind"]
    x = tf.constant([[3.0, 1.0], [2.0, 4.0]])
    tf.reduce_sum(x, axis=1)
    before = len(bind_module._KERNELS)
    for _ in range(3):
        tf.reduce_sum(x, axis=1)
        tf.reduce_sum(x, axis=-1)
    assert len(bind_module._KERNELS) == before


def test_namespaces():
    for name in math_ops.__all__:
        assert hasattr(tf, name), name
    for name in math_ops.MATH_ONLY:
        assert hasattr(tf.math, name), name
        assert not hasattr(tf, name) or name in ("math",), name
    assert tf.math.TopKV2 is math_ops.TopKV2
    for op in ("add", "reduce_sum", "top_k", "segment_sum", "einsum", "tensordot", "sort"):
        assert op in REGISTRY
