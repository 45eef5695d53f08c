"""bind(): one op table, two interpreters (run now, or record into a graph)."""
from textwrap import dedent

import jax
import numpy as np
import pytest

import compiler
from compiler import GraphBuilder, OpInputError, TensorType, bind, print_graph
from compiler.bind import _KERNELS


def test_eager_bind_runs_the_implementation():
    out = bind("add", np.float32([1, 2]), np.float32([3, 4]))
    assert isinstance(out, jax.Array)
    np.testing.assert_array_equal(out, [4, 6])
    assert out.dtype == np.float32


def test_eager_kernel_is_compiled_once_per_op_and_attributes():
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    bind("reduce_sum", x, axis=(0,), keepdims=False)
    kernel = _KERNELS[("reduce_sum", (("axis", (0,)), ("keepdims", False)))]
    bind("reduce_sum", x + 1, axis=(0,), keepdims=False)
    assert _KERNELS[("reduce_sum", (("axis", (0,)), ("keepdims", False)))] is kernel
    bind("reduce_sum", x, axis=(1,), keepdims=False)
    assert ("reduce_sum", (("axis", (1,)), ("keepdims", False))) in _KERNELS


def test_tracing_records_nodes_with_inferred_types():
    with GraphBuilder("f") as b:
        x = b.param(TensorType((4, 8), np.float32), "x")
        y = b.param(TensorType((8, 2), np.float32), "y")
        z = bind("matmul", x, y, transpose_a=False, transpose_b=False)
        out = bind("add", z, np.float32(1.0))
        b.graph.results = [out]
    assert isinstance(out, compiler.Value)
    assert out.type == TensorType((4, 2), np.float32)
    assert print_graph(b.graph) == dedent("""\
        func @f(%x: f32[4,8], %y: f32[8,2]) -> (f32[4,2]) {
          %0 = matmul(%x, %y) {transpose_a=False, transpose_b=False} : f32[4,2]
          %1 = const() {value=array(1.0, float32)} : f32[]
          %2 = add(%0, %1) : f32[4,2]
          return %2
        }""")


def test_tracing_a_multi_output_op_returns_a_tuple():
    compiler.defop("test_split_pair")(lambda x: (x[:1], x[1:]))
    with GraphBuilder() as b:
        x = b.param(TensorType((3,), np.int32), "x")
        first, rest = bind("test_split_pair", x)
    assert first.type.shape == (1,) and rest.type.shape == (2,)
    assert len(b.graph.nodes) == 1 and len(b.graph.nodes[0].outputs) == 2
    eager_first, eager_rest = bind("test_split_pair", np.int32([1, 2, 3]))
    np.testing.assert_array_equal(eager_rest, [2, 3])


def test_large_constants_print_as_references():
    with GraphBuilder("g") as b:
        x = b.param(TensorType((100,), np.float64), "x")
        b.graph.results = [bind("mul", x, np.arange(100, dtype=np.float64))]
    text = print_graph(b.graph)
    assert "%0 = const() {value=@c0} : f64[100]" in text


def test_annotations_ride_on_nodes_emitted_while_set():
    with GraphBuilder() as b:
        x = b.param(TensorType((), np.float32), "x")
        b.annotations = {"_nograd": True}
        y = bind("neg", x)
        b.annotations = {}
        b.graph.results = [bind("neg", y)]
    first, second = b.graph.nodes
    assert first.attrs == {"_nograd": True} and first.impl_attrs() == {}
    assert second.attrs == {}


def test_values_of_another_graph_are_refused():
    with GraphBuilder("outer") as outer:
        x = outer.param(TensorType((), np.float32), "x")
    with GraphBuilder("inner"):
        with pytest.raises(ValueError, match="belongs to another graph"):
            bind("neg", x)


def test_a_rejected_input_becomes_an_op_input_error_with_an_explanation():
    with pytest.raises(OpInputError, match=r"Incompatible shapes: \[2\] vs. \[3\]"):
        bind("add", np.float32([1, 2]), np.float32([1, 2, 3]))


def test_unknown_ops_name_the_known_ones():
    with pytest.raises(KeyError, match="unknown op 'no_such_op'.*add"):
        bind("no_such_op", np.float32(1))


def test_eager_observers_see_each_op():
    seen = []
    compiler.EAGER_OBSERVERS.append(lambda op, ins, attrs, out: seen.append((op, attrs)))
    try:
        bind("neg", np.float32(2))
        bind("reduce_sum", np.float32([1, 2]), axis=None, keepdims=True)
    finally:
        compiler.EAGER_OBSERVERS.clear()
    assert seen == [("neg", {}), ("reduce_sum", {"axis": None, "keepdims": True})]


def test_infer_uses_eval_shape_and_is_cached():
    types, multi = compiler.infer("matmul", (TensorType((2, 3), np.float64), TensorType((3, 5), np.float64)),
                                  (("transpose_a", False), ("transpose_b", False)))
    assert types == (TensorType((2, 5), np.float64),) and multi is False
    before = compiler.infer.cache_info().hits
    compiler.infer("matmul", (TensorType((2, 3), np.float64), TensorType((3, 5), np.float64)),
                   (("transpose_a", False), ("transpose_b", False)))
    assert compiler.infer.cache_info().hits == before + 1


def test_host_implementation_serves_string_arrays():
    a = np.array([b"a", b"b"], dtype=object)
    np.testing.assert_array_equal(bind("equal", a, np.array(b"a", dtype=object)), [True, False])


def test_every_op_is_defined_once_with_a_callable_implementation():
    assert len(compiler.REGISTRY) > 20
    for name, op in compiler.REGISTRY.items():
        assert op.name == name and callable(op.impl)
    with pytest.raises(ValueError, match="defined twice"):
        compiler.defop("add")(lambda x, y: x)
