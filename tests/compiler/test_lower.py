"""Lowering: a Graph runs as one jitted JAX function and gives what eager `bind` gives."""
import itertools

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import compiler
import tfx_lite as tf
from compiler import Graph, GraphBuilder, TensorType, bind
from compiler.lower import CompiledGraph, compile_graph, graph_fingerprint, hlo_text, to_jax_function
from tfx_lite.framework.tensor import SymbolicTensor

_unique = itertools.count()


def _op_name(stem):
    """A fresh name for a test-only op (the registry refuses a name twice)."""
    return f"test_lower_{stem}_{next(_unique)}"


def _graph(fn, *inputs, name="f"):
    """Trace `fn` over parameters typed like `inputs`; its result(s) become the graph's results."""
    with GraphBuilder(name) as b:
        params = [b.param(TensorType.of(np.asarray(x)), f"x{i}") for i, x in enumerate(inputs)]
        out = fn(*params)
        b.graph.results = list(out) if isinstance(out, tuple) else [out]
    return b.graph


def _assert_same(got, want):
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape
    if np.issubdtype(want.dtype, np.inexact):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    else:
        np.testing.assert_array_equal(got, want)


rng = np.random.default_rng(0)
A = rng.standard_normal((3, 4)).astype(np.float32)
B = rng.standard_normal((4, 2)).astype(np.float32)
SQ = (lambda m: m @ m.T + 4 * np.eye(4))(rng.standard_normal((4, 4))).astype(np.float64)
IMG = rng.standard_normal((2, 5, 5, 3)).astype(np.float32)
W = rng.standard_normal((3, 3, 3, 4)).astype(np.float32)
SEED = np.int64([7, 11])
F32 = np.dtype(np.float32)

# (id, fn over inputs, inputs). Each runs once eagerly (bind outside a builder) and once as
# the lowered, jitted graph; the results must agree.
CASES = [
    ("add", lambda x, y: bind("add", x, y), (A, A + 1)),
    ("matmul_plus_const", lambda x, y: bind("add", bind("matmul", x, y), np.float32(0.5)), (A, B)),
    ("matmul_transpose", lambda x: bind("matmul", x, x, transpose_a=True), (A,)),
    ("chain", lambda x: bind("tanh", bind("mul", bind("exp", x), x)), (A,)),
    ("reduce_sum_axis", lambda x: bind("reduce_sum", x, axis=(1,), keepdims=True), (A,)),
    ("argmax", lambda x: bind("argmax", x, axis=1, output_type="int64"), (A,)),
    ("cumsum", lambda x: bind("cumsum", x, axis=0, exclusive=True, reverse=False), (A,)),
    ("softmax", lambda x: bind("softmax", x, axis=-1), (A,)),
    ("relu_int", lambda x: bind("relu", x), (np.int32([-2, 0, 3]),)),
    ("reshape_transpose", lambda x: bind("transpose", bind("reshape", x, shape=(2, 6)), perm=(1, 0)), (A,)),
    ("concat", lambda x, y: bind("concat", x, y, axis=0), (A, A * 2)),
    ("gather", lambda x, i: bind("gather", x, i, axis=0, batch_dims=0), (A, np.int32([2, 0, 2]))),
    ("cast", lambda x: bind("cast", x, dtype=np.dtype(np.int32)), (A * 10,)),
    ("einsum", lambda x, y: bind("einsum", x, y, equation="ij,jk->ik"), (A, B)),
    ("segment_sum", lambda x, s: bind("segment_sum", x, s, num_segments=2), (A, np.int32([0, 1, 1]))),
    ("conv", lambda x, w: bind("conv", x, w, strides=(1, 1), padding="SAME", dilations=(1, 1)), (IMG, W)),
    ("max_pool", lambda x: bind("max_pool", x, ksize=(2, 2), strides=(2, 2), padding="VALID"), (IMG,)),
    ("cholesky", lambda m: bind("cholesky", m), (SQ,)),
    ("big_constant", lambda x: bind("mul", x, np.arange(12, dtype=np.float32).reshape(3, 4)), (A,)),
    # multi-output ops
    ("top_k", lambda x: bind("top_k", x, k=2, index_type="int32"), (A,)),
    ("moments", lambda x: bind("moments", x, axis=(0,), keepdims=False), (A,)),
    ("qr", lambda m: bind("qr", m, full_matrices=False), (SQ,)),
    ("split", lambda x: bind("split", x, sizes=(1, 3), axis=1), (A,)),
    ("multi_then_single", lambda x: bind("mul", *bind("moments", x, axis=(1,), keepdims=False)), (A,)),
    # random ops: the seed is an input, so equal inputs give equal numbers
    ("random_normal", lambda s: bind("random_normal", s, np.float32(1.0), np.float32(2.0),
                                     shape=(3, 5), dtype=F32), (SEED,)),
    ("random_uniform", lambda s, lo: bind("random_uniform", s, lo, np.float32(3.0),
                                          shape=(4,), dtype=F32), (SEED, np.float32(-1.0))),
    ("dropout", lambda x, s: bind("dropout", x, bind("random_uniform", s, np.float32(0), np.float32(1),
                                                     shape=(3, 4), dtype=F32), rate=0.5), (A, SEED)),
]


@pytest.mark.parametrize("fn, inputs", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_lowered_graph_equals_eager(fn, inputs):
    graph = _graph(fn, *inputs)
    eager = fn(*inputs)
    eager = eager if isinstance(eager, tuple) else (eager,)
    got = compile_graph(graph)(*inputs)
    assert isinstance(got, tuple) and len(got) == len(eager)
    for g, e in zip(got, eager):
        _assert_same(g, e)
    # The interpreter also runs unjitted (as it does inside jax.vjp or an outer jit).
    for g, e in zip(to_jax_function(graph)(*inputs), eager):
        _assert_same(g, e)


def test_random_results_follow_the_seed_input():
    graph = _graph(lambda s: bind("random_normal", s, np.float32(0), np.float32(1), shape=(8,), dtype=F32),
                   SEED)
    compiled = compile_graph(graph)
    first, = compiled(SEED)
    again, = compiled(SEED.copy())
    other, = compiled(SEED + 1)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def _trace_tf(fn, *inputs):
    with GraphBuilder(fn.__name__) as b:
        args = [SymbolicTensor(b.param(TensorType.of(x), f"x{i}")) for i, x in enumerate(inputs)]
        out = fn(*args)
        outs = out if isinstance(out, (tuple, list)) else (out,)
        b.graph.results = [o._value for o in outs]
    return b.graph


def _tf_dense(x, w, b):
    return tf.nn.relu(tf.matmul(x, w) + b)


def _tf_softmax_xent(logits, labels):
    return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))


def _tf_top_k(x):
    return tuple(tf.math.top_k(x, k=2))


def _tf_stateless_normal(x):
    return x + tf.random.stateless_normal([3, 4], seed=[1, 2])


def _tf_slicing(x):
    return x[1:, ::2] * tf.reduce_max(x, axis=0)[None, ::2]


@pytest.mark.parametrize("fn, inputs", [
    (_tf_dense, (A, B, np.float32([0.1, -0.2]))),
    (_tf_softmax_xent, (A, np.int32([0, 3, 1]))),
    (_tf_top_k, (A,)),
    (_tf_stateless_normal, (A,)),
    (_tf_slicing, (A,)),
], ids=lambda v: getattr(v, "__name__", ""))
def test_front_end_graphs_lower_to_the_eager_result(fn, inputs):
    graph = _trace_tf(fn, *inputs)
    eager = fn(*[tf.constant(x) for x in inputs])
    eager = eager if isinstance(eager, tuple) else (eager,)
    got = compile_graph(graph)(*inputs)
    for g, e in zip(got, eager):
        _assert_same(g, e.numpy())


# --- caching ------------------------------------------------------------------------------

def _counting_op():
    """A test-only op that counts how often JAX traces it."""
    traces = []
    name = _op_name("count")

    @compiler.defop(name)
    def impl(x, *, scale):
        traces.append(scale)
        return x * scale

    return name, traces


def test_the_same_graph_compiles_once():
    name, traces = _counting_op()
    graph = _graph(lambda x: bind(name, x, scale=2.0), A)
    traces.clear()  # building the graph inferred the types once
    first = compile_graph(graph)
    assert compile_graph(graph) is first
    first(A)
    first(A + 1)
    compile_graph(graph)(A * 3)
    assert len(traces) == 1


def test_equal_graphs_share_one_executable():
    name, traces = _counting_op()
    make = lambda: _graph(lambda x: bind("add", bind(name, x, scale=3.0), np.float32(1)), A)  # noqa: E731
    g1, g2 = make(), make()
    traces.clear()
    assert g1 is not g2 and graph_fingerprint(g1) == graph_fingerprint(g2)
    c1, c2 = compile_graph(g1), compile_graph(g2)
    assert c1 is c2
    _assert_same(c1(A)[0], c2(A)[0])
    assert len(traces) == 1


@pytest.mark.parametrize("change", ["attr", "constant", "type", "wiring", "annotation"])
def test_graphs_that_differ_do_not_share(change):
    def build(variant):
        shape = (2, 2) if change == "type" and variant else (3, 4)
        with GraphBuilder() as b:
            x = b.param(TensorType(shape, np.float32), "x")
            y = b.param(TensorType(shape, np.float32), "y")
            if change == "annotation" and variant:
                b.annotations = {"_nograd": True}
            z = bind("sub", y, x) if change == "wiring" and variant else bind("sub", x, y)
            b.annotations = {}
            c = np.float32(2.0 if change == "constant" and variant else 1.0)
            keep = not (change == "attr" and variant)
            b.graph.results = [bind("reduce_sum", bind("mul", z, c), axis=(0,), keepdims=keep)]
        return b.graph

    assert graph_fingerprint(build(False)) != graph_fingerprint(build(True))
    assert compile_graph(build(False)) is not compile_graph(build(True))


def test_names_do_not_change_the_fingerprint():
    g1 = _graph(lambda x: bind("neg", x), A, name="one")
    g2 = _graph(lambda x: bind("neg", x), A, name="two")
    g2.params[0].name = "renamed"
    assert graph_fingerprint(g1) == graph_fingerprint(g2)


def test_opaque_attributes_are_compared_by_identity():
    name = _op_name("apply")
    compiler.defop(name)(lambda x, *, fn: fn(x))
    double, triple = (lambda x: x * 2), (lambda x: x * 3)
    g_double = _graph(lambda x: bind(name, x, fn=double), A)
    g_triple = _graph(lambda x: bind(name, x, fn=triple), A)
    assert compile_graph(g_double) is not compile_graph(g_triple)
    _assert_same(compile_graph(g_triple)(A)[0], A * 3)
    assert compile_graph(_graph(lambda x: bind(name, x, fn=double), A)) is compile_graph(g_double)


# --- donation -----------------------------------------------------------------------------

def _backend_donates() -> bool:
    probe = jnp.zeros(4)
    jax.jit(lambda v: v + 1, donate_argnums=0)(probe)
    return probe.is_deleted()


def test_donated_arguments_are_consumed():
    graph = _graph(lambda v, g: bind("sub", v, bind("mul", g, np.float32(0.1))), A, A)
    compiled = compile_graph(graph, donate_argnums=(0,))
    assert compiled is not compile_graph(graph) and compiled.donate_argnums == (0,)
    assert compile_graph(graph, donate_argnums=0) is compiled
    v, g = jnp.asarray(A), jnp.asarray(A)
    new_v, = compiled(v, g)
    _assert_same(new_v, A - A * np.float32(0.1))
    assert not g.is_deleted()
    if not _backend_donates():
        pytest.skip(f"the {jax.default_backend()} backend ignores buffer donation")
    assert v.is_deleted()


# --- gradients ----------------------------------------------------------------------------

def _loss_graph(annotate):
    """loss(x) = sum(x * s) where s = x * 3 is computed on a path that may be cut."""
    with GraphBuilder("loss") as b:
        x = b.param(TensorType((3,), np.float32), "x")
        if annotate == "nograd":
            b.annotations = {"_nograd": True}
        s = bind("mul", x, np.float32(3))
        b.annotations = {}
        if annotate == "op":
            node = b.graph.add_node("stop_gradient", (s,), {}, (s.type,))
            s = node.outputs[0]
        b.graph.results = [bind("reduce_sum", bind("mul", x, s), axis=None, keepdims=False)]
    return b.graph


@pytest.mark.parametrize("annotate, factor", [(None, 6), ("nograd", 3), ("op", 3)])
def test_stop_gradient_cuts_the_annotated_path(annotate, factor):
    x = np.float32([1, 2, -1])
    fn = to_jax_function(_loss_graph(annotate))
    grad = jax.grad(lambda v: fn(v)[0])(x)
    _assert_same(grad, factor * x)
    assert float(fn(x)[0]) == pytest.approx(3 * float(x @ x))
    # and through the jitted function as well
    _assert_same(jax.grad(lambda v: compile_graph(_loss_graph(annotate))(v)[0])(x), factor * x)


def test_annotations_never_reach_the_implementation():
    seen = []
    name = _op_name("attrs")
    compiler.defop(name)(lambda x, **attrs: seen.append(attrs) or x)
    with GraphBuilder() as b:
        x = b.param(TensorType((), np.float32), "x")
        b.annotations = {"_nograd": True, "_loc": ("file.py", 3)}
        b.graph.results = [bind(name, x, alpha=1)]
    to_jax_function(b.graph)(np.float32(1))
    assert seen[-1] == {"alpha": 1}


# --- sub-graphs ---------------------------------------------------------------------------

def test_graph_attributes_reach_the_implementation_as_functions():
    name = _op_name("apply_body")
    received = []

    @compiler.defop(name)
    def apply_body(x, y, *, body, bodies=()):
        received.append((body, bodies))
        (out,) = body(x, y)
        for extra in bodies:
            (out,) = extra(out, y)
        return out

    body = _graph(lambda a, c: bind("add", bind("mul", a, a), c), A, A, name="body")
    second = _graph(lambda a, c: bind("sub", a, c), A, A, name="second")
    with GraphBuilder("outer") as b:
        x = b.param(TensorType.of(A), "x")
        y = b.param(TensorType.of(A), "y")
        node = b.graph.add_node(name, (x, y), {"body": body, "bodies": (second,)}, (x.type,))
        b.graph.results = [node.outputs[0]]
    out, = compile_graph(b.graph)(A, A + 1)
    _assert_same(out, A * A)
    fn, (extra,) = received[-1]
    assert callable(fn) and not isinstance(fn, Graph) and callable(extra)
    # a sub-graph takes part in the fingerprint
    with GraphBuilder("outer") as b2:
        x = b2.param(TensorType.of(A), "x")
        y = b2.param(TensorType.of(A), "y")
        node = b2.graph.add_node(name, (x, y), {"body": second, "bodies": (body,)}, (x.type,))
        b2.graph.results = [node.outputs[0]]
    assert graph_fingerprint(b.graph) != graph_fingerprint(b2.graph)


# --- HLO text and edge cases ---------------------------------------------------------------

def test_hlo_text_names_the_operations():
    graph = _graph(lambda x, y, c: bind("add", bind("matmul", x, y), c), A, B, np.float32(1.0),
                   name="dense")
    text = hlo_text(graph)
    assert "dot_general" in text and "add" in text and "jit_dense" in text
    optimized = hlo_text(graph, A, B, np.float32(1.0), optimized=True)
    assert "dot" in optimized and "HloModule" in optimized
    assert isinstance(compile_graph(graph).lower(A, B, np.float32(1.0)).as_text(), str)


def test_hlo_text_needs_example_arguments_for_unknown_dimensions():
    g = Graph("unknown")
    x = g.add_param(TensorType((None, 2), np.float32), "x")
    g.results = [x]
    with pytest.raises(ValueError, match="unknown dimensions"):
        hlo_text(g)
    assert "tensor<3x2xf32>" in hlo_text(g, np.zeros((3, 2), np.float32))


def test_parameters_and_constants_may_be_results():
    with GraphBuilder() as b:
        x = b.param(TensorType((2,), np.int32), "x")
        c = b.constant(np.int32([5, 6]))
        b.graph.results = [x, c, x]
    out = compile_graph(b.graph)(np.int32([1, 2]))
    assert [o.tolist() for o in out] == [[1, 2], [5, 6], [1, 2]]


def test_wrong_argument_count_and_undefined_values_are_reported():
    graph = _graph(lambda x: bind("neg", x), A)
    with pytest.raises(TypeError, match="takes 1 arguments, got 2"):
        compile_graph(graph)(A, A)
    stray = _graph(lambda x: bind("neg", x), A)
    bad = Graph("bad")
    bad.add_param(TensorType.of(A), "x")
    bad.add_node("neg", (stray.params[0],), {}, (TensorType.of(A),))
    with pytest.raises(ValueError, match="reads a value that no earlier node"):
        to_jax_function(bad)


def test_compiled_graph_is_a_thin_wrapper():
    graph = _graph(lambda x: bind("abs", bind("neg", x)), A, name="thin")
    compiled = compile_graph(graph)
    assert isinstance(compiled, CompiledGraph) and "thin" in repr(compiled)
    assert compiled.fingerprint == graph_fingerprint(graph)
