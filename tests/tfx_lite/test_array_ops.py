"""Creation, shape and indexing ops beyond the recorded TensorFlow cases: the same calls traced
into the IR give the eager results, creation ops are graph nodes, index checks, string tensors on
the host path, gradients through the implementations, and TF's error types and messages."""
import jax
import numpy as np
import pytest

import tfx_lite as tf
from compiler import REGISTRY, GraphBuilder, OpInputError, TensorType, bind
from tfx_lite.framework.tensor import SymbolicTensor
from tfx_lite.ops import array_ops


def run_graph(graph, *args):
    env = dict(zip(graph.params, args))
    for node in graph.nodes:
        out = REGISTRY[node.op].impl(*[env[v] for v in node.inputs], **node.impl_attrs())
        env.update(zip(node.outputs, out if node.multi_output else (out,)))
    return [np.asarray(env[v]) for v in graph.results]


def trace(fn, *arrays):
    with GraphBuilder("f") as b:
        args = [SymbolicTensor(b.param(TensorType(a.shape, a.dtype), f"a{i}"))
                for i, a in enumerate(arrays)]
        out = fn(*args)
        outs = list(out) if isinstance(out, (list, tuple)) else [out]
        b.graph.results = [o._value for o in outs]
    return b.graph, outs


X = np.arange(12, dtype=np.float32).reshape(3, 4)
I = np.array([2, 0], dtype=np.int32)

SAME_EAGER_AND_TRACED = {
    "zeros": lambda x: tf.zeros([2, 3], tf.int64),
    "ones": lambda x: tf.ones([2]),
    "fill": lambda x: tf.fill([2, 2], 7),
    "eye": lambda x: tf.eye(3, 2, batch_shape=[2]),
    "range": lambda x: tf.range(1, 10, 3),
    "range_float": lambda x: tf.range(0.5, 2.0, 0.25),
    "linspace": lambda x: tf.linspace(x[0], x[1], 5, axis=1),
    "one_hot": lambda x: tf.one_hot(tf.constant([[0, 3], [1, 2]]), 4, axis=1),
    "zeros_like": lambda x: tf.zeros_like(x, tf.int32),
    "ones_like": lambda x: tf.ones_like(x),
    "identity": tf.identity,
    "reshape": lambda x: tf.reshape(x, [2, -1, 3]),
    "transpose": lambda x: tf.transpose(tf.reshape(x, [2, 3, 2]), [2, 0, 1]),
    "expand_dims": lambda x: tf.expand_dims(x, -1),
    "squeeze": lambda x: tf.squeeze(tf.reshape(x, [1, 3, 1, 4]), [0]),
    "concat": lambda x: tf.concat([x, x * 2, x[:1]], 0),
    "stack": lambda x: tf.stack([x, x + 1], axis=2),
    "unstack": lambda x: tf.unstack(x, axis=1),
    "split": lambda x: tf.split(x, [1, -1], axis=1),
    "tile": lambda x: tf.tile(x, [2, 1]),
    "pad": lambda x: tf.pad(x, [[1, 2], [0, 1]], constant_values=-1.0),
    "pad_reflect": lambda x: tf.pad(x, [[1, 1], [2, 3]], "REFLECT"),
    "pad_symmetric": lambda x: tf.pad(x, [[3, 0], [0, 4]], "SYMMETRIC"),
    "broadcast_to": lambda x: tf.broadcast_to(x[:1], [2, 3, 4]),
    "shape": lambda x: tf.shape(x, tf.int64),
    "size": tf.size,
    "rank": tf.rank,
    "slice": lambda x: tf.slice(x, [1, 1], [-1, 2]),
    "strided_slice": lambda x: tf.strided_slice(x, [2, 0], [0, 4], [-1, 3], end_mask=1),
    "gather": lambda x: tf.gather(x, [[3, 0], [1, 1]], axis=1),
    "gather_batch": lambda x: tf.gather(x, [[3], [0], [2]], axis=1, batch_dims=1),
    "gather_nd": lambda x: tf.gather_nd(x, [[2, 1], [0, 3]]),
    "scatter_nd": lambda x: tf.scatter_nd([[1], [1]], x[:2], [3, 4]),
    "tensor_scatter_update": lambda x: tf.tensor_scatter_nd_update(x, [[0, 0]], [-5.0]),
    "tensor_scatter_max": lambda x: tf.tensor_scatter_nd_max(x, [[2]], [[9.0, 0, 0, 99]]),
    "select": lambda x: tf.where(x > 5, x, -x),
    "reverse": lambda x: tf.reverse(x, [0, 1]),
    "roll": lambda x: tf.roll(x, [1, -1], [0, 1]),
    "reverse_sequence": lambda x: tf.reverse_sequence(x, [2, 3, 4], seq_axis=1, batch_axis=0),
    "cast": lambda x: tf.cast(x * -0.7, tf.int8),
    "saturate_cast": lambda x: tf.saturate_cast(x * 30, tf.uint8),
    "bitcast": lambda x: tf.bitcast(x, tf.uint16),
    "meshgrid": lambda x: tf.meshgrid(x[0], x[1, :2]),
    "repeat": lambda x: tf.repeat(x, [1, 0, 2], axis=0),
    "sequence_mask": lambda x: tf.sequence_mask([1, 3], 4, tf.float32),
    "unravel_index": lambda x: tf.unravel_index([5, 11], [3, 4]),
    "getitem": lambda x: x[::-1, None, 1:3],
}


@pytest.mark.parametrize("name", sorted(SAME_EAGER_AND_TRACED))
def test_traced_ops_give_the_eager_results(name):
    fn = SAME_EAGER_AND_TRACED[name]
    eager = fn(tf.constant(X))
    eager = list(eager) if isinstance(eager, (list, tuple)) else [eager]
    graph, outs = trace(fn, X)
    got = run_graph(graph, X)
    assert len(got) == len(eager)
    for g, e, o in zip(got, eager, outs):
        assert o.dtype == e.dtype and o.shape == e.shape
        np.testing.assert_array_equal(g, e.numpy())


def test_creation_ops_are_graph_nodes():
    graph, _ = trace(lambda x: tf.zeros([2]) + tf.ones([2]) + tf.range(2.0) + tf.fill([2], 3.0)
                     + tf.eye(2)[0], X)
    ops = [n.op for n in graph.nodes]
    for op in ("zeros", "ones", "range", "fill", "eye"):
        assert op in ops


# --- dtypes ---

@pytest.mark.parametrize("args, kwargs, dtype", [
    ((5,), {}, tf.int32), ((5.0,), {}, tf.float32), ((1, 5.5), {}, tf.float32),
    ((np.int64(3),), {}, tf.int64), ((tf.constant(3.0, tf.float64),), {}, tf.float64),
    ((3,), {"dtype": tf.float16}, tf.float16), ((3,), {"dtype": "int64"}, tf.int64),
])
def test_range_dtype_inference(args, kwargs, dtype):
    assert tf.range(*args, **kwargs).dtype == dtype


def test_cast_converts_python_values_first_as_tf_does():
    # 0.1 becomes float32 before the cast, as in TF
    assert tf.cast(0.1, tf.float64).numpy() == np.float64(np.float32(0.1))
    assert tf.cast(tf.constant([2.9, -2.9]), tf.int32).numpy().tolist() == [2, -2]
    assert tf.cast(tf.constant([1 + 5j]), tf.bool).numpy().tolist() == [True]
    with pytest.raises(tf.errors.UnimplementedError):
        tf.cast(tf.constant(["1"]), tf.int32)


def test_shape_ops_return_tf_dtypes():
    x = tf.zeros([2, 3])
    assert tf.shape(x).dtype == tf.int32 and tf.size(x).dtype == tf.int32
    assert tf.rank(x).dtype == tf.int32 and tf.shape(x, out_type=tf.int64).dtype == tf.int64


# --- index checks ---

def test_gather_checks_device_indices_when_small():
    params = tf.constant([1.0, 2.0, 3.0])
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.gather(params, tf.constant([[0, 1], [3, 0]]))
    assert str(info.value) == "indices[1,0] = 3 is not in [0, 3) [Op:GatherV2]"
    with pytest.raises(tf.errors.InvalidArgumentError, match="does not index into param shape"):
        tf.gather_nd(tf.zeros([2, 2]), tf.constant([[0, 2]]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="does not index into shape"):
        tf.tensor_scatter_nd_add(tf.zeros([2]), tf.constant([[-1]]), [1.0])


def test_unchecked_out_of_range_indices_give_zeros_as_tf_on_gpu(monkeypatch):
    monkeypatch.setattr(array_ops, "INDEX_CHECK_LIMIT", 0)
    got = tf.gather(tf.constant([1.0, 2.0, 3.0]), tf.constant([2, 7, -1]))
    assert got.numpy().tolist() == [3.0, 0.0, 0.0]
    got = tf.scatter_nd(tf.constant([[1], [9]]), tf.constant([5, 6]), [3])
    assert got.numpy().tolist() == [0, 5, 0]


def test_data_dependent_shapes_are_refused_while_tracing():
    for fn in (lambda x: tf.where(x > 1), lambda x: tf.boolean_mask(x, x > 1),
               lambda x: tf.unique(x[0]), lambda x: tf.sequence_mask(tf.cast(x[0], tf.int32))):
        with pytest.raises(TypeError, match="(XLA cannot compile|maxlen)"):
            trace(fn, X)


def test_boolean_mask_and_where_eagerly():
    x = tf.constant(X)
    assert tf.boolean_mask(x, x[:, 0] > 0).shape == [2, 4]
    assert tf.where(x > 9).numpy().tolist() == [[2, 2], [2, 3]]
    assert tf.where(x > 9).dtype == tf.int64


# --- strings (host implementations) ---

def test_string_tensors_through_shape_ops():
    s = tf.constant([["a", "b", "c"], ["d", "e", "f"]])
    assert tf.reshape(s, [3, 2]).numpy().tolist() == [[b"a", b"b"], [b"c", b"d"], [b"e", b"f"]]
    assert tf.transpose(s).shape == [3, 2]
    assert tf.concat([s, s], 1).shape == [2, 6]
    assert tf.stack([s, s]).shape == [2, 2, 3]
    assert tf.gather(s, [2, 0], axis=1).numpy().tolist() == [[b"c", b"a"], [b"f", b"d"]]
    assert tf.tile(s[:, :1], [1, 2]).numpy().tolist() == [[b"a", b"a"], [b"d", b"d"]]
    assert tf.expand_dims(s, 0).shape == [1, 2, 3]
    assert [t.numpy().tolist() for t in tf.unstack(s)] == [[b"a", b"b", b"c"], [b"d", b"e", b"f"]]
    assert tf.shape(s).numpy().tolist() == [2, 3] and tf.size(s).numpy() == 6
    assert tf.reverse(s, [1])[0].numpy().tolist() == [b"c", b"b", b"a"]
    y, idx = tf.unique(tf.constant(["x", "y", "x"]))
    assert y.numpy().tolist() == [b"x", b"y"] and idx.numpy().tolist() == [0, 1, 0]
    with pytest.raises(tf.errors.InvalidArgumentError, match="reshape"):
        tf.reshape(s, [4])


# --- gradients through the implementations ---

GRADIENT_OPS = [
    ("concat", (X, X), {"axis": 1}), ("stack", (X, X), {"axis": 0}),
    ("gather", (X, I), {"axis": 1, "batch_dims": 0}), ("transpose", (X,), {"perm": (1, 0)}),
    ("gather_nd", (X, np.array([[1, 2], [1, 2]], np.int32)), {"batch_dims": 0}),
    ("pad", (X, np.float32(0)), {"paddings": ((1, 1), (2, 2)), "mode": "REFLECT"}),
    ("tile", (X,), {"multiples": (2, 1)}), ("reverse", (X,), {"axis": (1,)}),
    ("roll", (X,), {"shift": (1,), "axis": (0,)}), ("broadcast_to", (X[:1],), {"shape": (3, 4)}),
    ("boolean_mask", (X, X[:, 0] > 0), {"axis": 0, "size": 2}),
    ("dynamic_index", (X, np.int32(-1)), {"axes": (0,)}),
    ("tensor_scatter_nd_update", (X, np.array([[1]], np.int32), X[:1]), {}),
]


@pytest.mark.parametrize("op, args, attrs", GRADIENT_OPS, ids=[g[0] for g in GRADIENT_OPS])
def test_gradients_flow_through_array_ops(op, args, attrs):
    impl = REGISTRY[op].impl

    def loss(x):
        out = impl(x, *args[1:], **attrs)
        outs = out if isinstance(out, tuple) else (out,)
        return sum((o * o).sum() for o in outs)

    grad = jax.grad(loss)(args[0])
    eps = 1e-2
    direction = np.random.default_rng(0).normal(size=args[0].shape).astype(np.float32)
    numeric = (loss(args[0] + eps * direction) - loss(args[0] - eps * direction)) / (2 * eps)
    np.testing.assert_allclose(float((grad * direction).sum()), float(numeric), rtol=2e-2)


# --- errors ---

def test_op_checks_explain_bad_inputs_without_jax_tracebacks():
    with pytest.raises(OpInputError) as info:
        bind("reshape", np.zeros(6, np.float32), shape=(2, 2))
    assert info.value.message == \
        "Input to reshape is a tensor with 6 values, but the requested shape has 4"
    with pytest.raises(OpInputError, match="ConcatOp : Dimension 0 in both shapes must be equal"):
        bind("concat", np.zeros((2, 3)), np.zeros((3, 4)), axis=1)
    with pytest.raises(OpInputError, match="Can not squeeze dim"):
        bind("squeeze", np.zeros((1, 2)), axis=(1,))


def test_error_types():
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"\[Op:Reshape\]"):
        tf.reshape(tf.zeros([2, 3]), [4])
    with pytest.raises(ValueError, match="not in range"):
        tf.stack([tf.zeros([2])], axis=3)
    with pytest.raises(TypeError, match="Cannot convert"):
        tf.stack([tf.constant(1), 2.5])
    with pytest.raises(tf.errors.InvalidArgumentError, match="cannot compute ConcatV2"):
        tf.concat([tf.zeros([1]), tf.zeros([1], tf.float64)], 0)
    with pytest.raises(ValueError, match="x and y must both be non-None"):
        tf.where([True], [1])


def test_public_names_are_top_level():
    for name in array_ops.__all__:
        assert getattr(tf, name) is getattr(array_ops, name), name


def test_unique_returns_y_and_idx():
    out = tf.unique([3, 1, 3, 2])
    assert out.y.numpy().tolist() == [3, 1, 2] and out.idx.numpy().tolist() == [0, 1, 0, 2]
    assert out.idx.dtype == tf.int32


def test_searchsorted_matches_tf():
    # values TF 2.21 printed
    got = tf.searchsorted([[1, 3, 5, 7], [2, 2, 4, 4]], [[0, 3, 8], [2, 4, 5]])
    assert got.dtype == tf.int32 and got.numpy().tolist() == [[0, 1, 4], [0, 2, 4]]
    right = tf.searchsorted([1.0, 3.0, 5.0], [3.0, 6.0], side="right", out_type=tf.int64)
    assert right.dtype == tf.int64 and right.numpy().tolist() == [2, 3]
    with pytest.raises(ValueError, match="Argument `side` must be either 'right' or 'left'"):
        tf.searchsorted([1, 2], [1], side="middle")
