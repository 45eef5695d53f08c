"""Tensor.__getitem__: TF's strided-slice semantics, checked against numpy's basic indexing on
random shapes and keys (eager, host-side strings and traced), plus the cases where TF differs
from numpy: bool keys, list keys, tensor indices, and the error types."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import tfx_lite as tf
from compiler import REGISTRY, GraphBuilder, TensorType
from tfx_lite.framework.tensor import SymbolicTensor
from tfx_lite.ops import slicing

SETTINGS = settings(max_examples=150, deadline=None)


def run_graph(graph, *args):
    """A tiny interpreter: run a graph's nodes with the op table's implementations."""
    env = dict(zip(graph.params, args))
    for node in graph.nodes:
        inputs = [env[v] for v in node.inputs]
        out = REGISTRY[node.op].impl(*inputs, **node.impl_attrs())
        outs = out if node.multi_output else (out,)
        env.update(zip(node.outputs, outs))
    return [np.asarray(env[v]) for v in graph.results]


def trace(fn, *types):
    with GraphBuilder(getattr(fn, "__name__", "f")) as b:
        args = [SymbolicTensor(b.param(TensorType(shape, dtype), f"a{i}"))
                for i, (shape, dtype) in enumerate(types)]
        out = fn(*args)
        b.graph.results = [out._value]
    return b.graph, out


# --- random keys against numpy ---

def index_item(dim):
    bound = st.one_of(st.none(), st.integers(-dim - 2, dim + 2))
    step = st.one_of(st.none(), st.integers(-3, 3).filter(lambda s: s != 0))
    return st.one_of(
        st.integers(-dim, dim - 1) if dim else st.nothing(),
        st.builds(slice, bound, bound, step),
        st.just(None),
    )


@st.composite
def shape_and_key(draw):
    shape = tuple(draw(st.lists(st.integers(0, 4), min_size=0, max_size=4)))
    items = []
    dim = 0
    ellipsis = False
    for _ in range(draw(st.integers(0, 5))):
        if not ellipsis and draw(st.booleans()) and draw(st.booleans()):
            items.append(Ellipsis)
            ellipsis = True
            dim = len(shape) - sum(1 for i in items if i is not None and i is not Ellipsis)
            continue
        if dim >= len(shape):
            items.append(None)
            continue
        item = draw(index_item(shape[dim]))
        items.append(item)
        if item is not None:
            dim += 1
    if ellipsis:
        real = sum(1 for i in items if i is not None and i is not Ellipsis)
        if real > len(shape):
            items = [i for i in items if i is not Ellipsis]
    key = tuple(items) if len(items) != 1 or draw(st.booleans()) else items[0]
    return shape, key


def _numpy_or_error(array, key):
    try:
        return array[key], None
    except IndexError as err:
        return None, err


@SETTINGS
@given(shape_and_key())
def test_getitem_matches_numpy_basic_indexing(case):
    shape, key = case
    array = np.arange(int(np.prod(shape)), dtype=np.int32).reshape(shape)
    want, err = _numpy_or_error(array, key)
    t = tf.constant(array)
    if err is not None:
        with pytest.raises(tf.errors.InvalidArgumentError):
            t[key]
        return
    got = t[key]
    assert got.dtype == tf.int32
    assert tuple(got.shape) == want.shape, key
    np.testing.assert_array_equal(got.numpy(), want)


@SETTINGS
@given(shape_and_key())
def test_getitem_on_strings_matches_numpy(case):
    shape, key = case
    array = np.array([str(i).encode() for i in range(int(np.prod(shape)))],
                     dtype=object).reshape(shape)
    want, err = _numpy_or_error(array, key)
    t = tf.constant(array)
    if err is not None:
        with pytest.raises(tf.errors.InvalidArgumentError):
            t[key]
        return
    got = t[key]
    assert got.dtype == tf.string and tuple(got.shape) == np.shape(want)
    assert np.asarray(got.numpy(), dtype=object).tolist() == np.asarray(want, dtype=object).tolist()


@settings(max_examples=60, deadline=None)
@given(shape_and_key())
def test_traced_getitem_matches_numpy(case):
    shape, key = case
    array = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape)
    want, err = _numpy_or_error(array, key)
    if err is not None:
        with pytest.raises((ValueError, tf.errors.InvalidArgumentError)):
            trace(lambda x: x[key], (shape, np.float32))
        return
    graph, out = trace(lambda x: x[key], (shape, np.float32))
    assert tuple(out.shape) == want.shape
    np.testing.assert_array_equal(run_graph(graph, array)[0], want)


# --- TF's own rules ---

def test_list_key_is_read_as_a_tuple():
    m = tf.constant([[1, 2, 3], [4, 5, 6]])
    assert int(m[[1, 2]]) == 6
    with pytest.raises(tf.errors.InvalidArgumentError, match="Index out of range"):
        tf.constant([1, 2, 3])[[0, 2]]


def test_bool_keys_are_masks():
    v = tf.constant([1, 2, 3])
    assert v[tf.constant([True, False, True])].numpy().tolist() == [1, 3]
    assert v[np.array([False, True, False])].numpy().tolist() == [2]
    assert v[v > 1].numpy().tolist() == [2, 3]
    with pytest.raises(ValueError, match="mask cannot be scalar"):
        v[True]


@pytest.mark.parametrize("key", [1.0, "a", [0.5], np.array([1]), slice(1.5, None),
                                 tf.constant([0, 2]), tf.constant(1.0), tf.constant(1, tf.uint8)])
def test_invalid_index_types_raise_type_error(key):
    with pytest.raises(TypeError, match="Only integers, slices"):
        tf.constant([1, 2, 3])[key]


def test_scalar_int_tensors_and_numpy_ints_index():
    v = tf.constant([10, 20, 30, 40])
    assert int(v[tf.constant(2)]) == 30
    assert int(v[tf.constant(-1, tf.int64)]) == 40
    assert int(v[np.int16(1)]) == 20
    assert v[tf.constant(1):tf.constant(3)].numpy().tolist() == [20, 30]
    assert int(v[tf.Variable(3)]) == 40


def test_out_of_range_message_is_tensorflows():
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.constant([1, 2, 3])[5]
    assert str(info.value) == "slice index 5 of dimension 0 out of bounds. [Op:StridedSlice]"
    with pytest.raises(tf.errors.InvalidArgumentError, match="slice index -1 of dimension 1"):
        tf.zeros([2, 3])[0, -4]
    with pytest.raises(tf.errors.InvalidArgumentError, match="strides\\[0\\] must be non-zero"):
        tf.constant([1, 2, 3])[::0]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Multiple ellipses"):
        tf.zeros([2, 2])[..., ...]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Attempting to slice scalar input"):
        tf.constant(1.0)[0]


def test_errors_are_not_cached_and_shapes_are_part_of_the_cache_key():
    key = (slice(None), 2)
    assert tf.zeros([2, 3])[key].shape == [2]
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.zeros([2, 2])[key]
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.zeros([2, 2])[key]
    assert tf.zeros([4, 5])[key].shape == [4]


def test_fast_path_caches_plain_keys_only():
    assert slicing._cache_key(3) == 3
    assert slicing._cache_key((1, slice(None, 2), None, Ellipsis))[1][1:] == (None, 2, None)
    # bools, floats, numpy ints, tensors and lists never share an entry with ints
    for key in (True, (True,), 1.0, (np.int64(1),), [1], (tf.constant(1),), slice(1.0, 2)):
        assert slicing._cache_key(key) is None


def test_variable_getitem_reads_the_variable():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    assert v[1, ::-1].numpy().tolist() == [4.0, 3.0]
    v.assign([[5.0, 6.0], [7.0, 8.0]])
    assert v[1, ::-1].numpy().tolist() == [8.0, 7.0]


def test_iteration_and_chained_indexing():
    t = tf.constant(np.arange(6).reshape(2, 3))
    assert [row.numpy().tolist() for row in t] == [[0, 1, 2], [3, 4, 5]]
    assert int(t[1][2]) == 5


def test_traced_getitem_is_one_strided_slice_node():
    graph, out = trace(lambda x: x[1:, ::-1, None], ((3, 4), np.float32))
    assert [n.op for n in graph.nodes] == ["strided_slice"]
    assert graph.nodes[0].attrs == {"begin": (1, 0, 0), "end": (0, 0, 0), "strides": (1, -1, 1),
                                    "begin_mask": 2, "end_mask": 3, "new_axis_mask": 4}
    assert out.shape == [2, 4, 1]


def test_symbolic_scalar_index_is_dynamic():
    def f(x, i):
        return x[i, 1:] + x[:, i][0]

    with GraphBuilder("f") as b:
        x = SymbolicTensor(b.param(TensorType((3, 4), np.float32), "x"))
        i = SymbolicTensor(b.param(TensorType((), np.int32), "i"))
        out = f(x, i)
        b.graph.results = [out._value]
    assert "dynamic_index" in [n.op for n in b.graph.nodes]
    array = np.arange(12, dtype=np.float32).reshape(3, 4)
    for index in (0, 2, -1):
        (got,) = run_graph(b.graph, array, np.int32(index))
        np.testing.assert_array_equal(got, array[index, 1:] + array[:, index][0])


def test_symbolic_slice_bounds_are_refused_with_a_reason():
    with GraphBuilder("f") as b:
        x = SymbolicTensor(b.param(TensorType((3,), np.float32), "x"))
        i = SymbolicTensor(b.param(TensorType((), np.int32), "i"))
        with pytest.raises(TypeError, match="XLA cannot compile"):
            x[:i]


def test_getitem_results_are_differentiable():
    import jax
    impl = REGISTRY["strided_slice"].impl
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    attrs = dict(begin=(0, 0), end=(0, 0), strides=(2, -1), begin_mask=3, end_mask=3)
    grad = jax.grad(lambda a: impl(a, **attrs).sum())(x)
    np.testing.assert_array_equal(grad, np.array([[1] * 4, [0] * 4, [1] * 4], np.float32))


def test_getitem_on_many_dtypes():
    for dtype in (tf.float16, tf.bfloat16, tf.float64, tf.int8, tf.uint16, tf.int64, tf.bool,
                  tf.complex64):
        t = tf.cast(tf.constant([[0, 1, 2], [3, 4, 5]]), dtype)
        got = t[:, ::-2]
        assert got.dtype == dtype and got.shape == [2, 2]
        np.testing.assert_array_equal(got.numpy(), t.numpy()[:, ::-2])


def test_every_one_dimensional_slice_matches_numpy():
    """Exhaustive over small sizes, bounds and steps, through the op's JAX implementation (run
    op by op, so no compilation per case) and its host implementation."""
    impl, host = REGISTRY["strided_slice"].impl, REGISTRY["strided_slice"].host_impl
    bounds = [None] + list(range(-6, 7))
    for n in range(5):
        array = np.arange(n, dtype=np.int32)
        strings = np.array([str(i).encode() for i in range(n)], dtype=object)
        for start in bounds:
            for stop in bounds:
                for step in (None, 1, 2, 3, -1, -2, -3):
                    key = slice(start, stop, step)
                    attrs, _ = slicing._encode(key, 1)
                    want = array[key]
                    got = np.asarray(impl(array, **attrs))
                    assert got.tolist() == want.tolist(), (n, key)
                    assert host(strings, **attrs).tolist() == strings[key].tolist(), (n, key)


def test_updated_is_what_a_sliced_assign_stores():
    t = tf.constant([[1, 2], [3, 4]])
    assert slicing.updated(t, 0, [5, 6]).numpy().tolist() == [[5, 6], [3, 4]]
    assert slicing.updated(t, 0, 5).numpy().tolist() == [[5, 5], [3, 4]]
    reversed_columns = (slice(None), slice(None, None, -1))
    got = slicing.updated(t, reversed_columns, [[5, 6], [7, 8]])
    assert got.numpy().tolist() == [[6, 5], [8, 7]]
    assert slicing.updated(t, (0, None), [[5, 6]]).numpy().tolist() == [[5, 6], [3, 4]]
    with pytest.raises(TypeError, match="Cannot convert"):
        slicing.updated(t, 0, [5.0, 6])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Cannot assign a value of shape"):
        slicing.updated(t, 0, [1, 2, 3])
    s = tf.constant(["a", "b", "c"])
    assert slicing.updated(s, slice(None, None, 2), "z").numpy().tolist() == [b"z", b"b", b"z"]


def test_eager_tensor_indexed_while_tracing_becomes_a_node():
    c = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    graph, out = trace(lambda x: x + c[1], ((2,), np.float32))
    assert isinstance(out, SymbolicTensor)
    assert [n.op for n in graph.nodes] == ["const", "strided_slice", "add"]
    np.testing.assert_array_equal(run_graph(graph, np.array([10.0, 20.0], np.float32))[0],
                                  [13.0, 24.0])
