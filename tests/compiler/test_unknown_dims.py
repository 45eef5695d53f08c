"""Unknown (None) dimensions in the IR: type inference by probing, operand attributes, and
lowering, where shapes are static again and shape arithmetic is known while tracing."""
import jax
import numpy as np
import pytest

from compiler import GraphBuilder, TensorType, bind
from compiler.fold import static_value
from compiler.ir import Operand
from compiler.lower import compile_graph
from compiler.ops.registry import node_types
from compiler.parser import parse_program
from compiler.printer import print_program
from compiler.verify import verify

F32 = np.float32


def _types(op, types, **attrs):
    return [str(t) for t in node_types(op, [TensorType(s, F32) for s in types], attrs)[0]]


def test_inference_marks_dimensions_that_follow_an_unknown_one():
    assert _types("add", [(None, 3), (None, 3)]) == ["f32[?,3]"]
    assert _types("add", [(None, 3), (3,)]) == ["f32[?,3]"]
    assert _types("matmul", [(None, 3), (3, 4)]) == ["f32[?,4]"]
    assert _types("reshape", [(None, 3)], shape=(-1,)) == ["f32[?]"]
    assert _types("reshape", [(None, 3)], shape=(-1, 3, 1)) == ["f32[?,3,1]"]
    assert _types("reduce_sum", [(None, 3)], axis=(0,), keepdims=False) == ["f32[3]"]
    assert _types("transpose", [(None, 3)], perm=(1, 0)) == ["f32[3,?]"]


def test_static_value_folds_shapes_and_probes_unknown_dimensions():
    with GraphBuilder("g") as b:
        x = b.param(TensorType((None, 3), F32), "x")
        n = bind("strided_slice", bind("shape", x, out_type="int32"), begin=(0,), end=(1,), strides=(1,),
                 shrink_axis_mask=1)
        m = bind("mul", n, np.int32(2))
    assert static_value(m) is None  # depends on the unknown dimension
    assert static_value(m, probe=7) == 14


GRAPH = """\
func @f(%x: f32[?,3]) -> (f32[?], i32[?]) {
  %0 = shape(%x) {out_type='int32'} : i32[2]
  %1 = strided_slice(%0) {begin=(0,), end=(1,), shrink_axis_mask=1, strides=(1,)} : i32[]
  %2 = const() {value=array(3, int32)} : i32[]
  %3 = mul(%1, %2) : i32[]
  %4 = stack(%3) {axis=0} : i32[1]
  %5 = reshape(%x, %4) {shape=operand(1)} : f32[?]
  %6 = range(%3) {delta=1, dtype='int32', limit=operand(0), start=0} : i32[?]
  return %5, %6
}"""


def test_operand_attributes_round_trip_verify_and_lower_per_shape():
    graph = parse_program(GRAPH)
    verify(graph)
    assert print_program(graph) == GRAPH
    run = compile_graph(graph)
    for n in (1, 4):
        flat, indices = run(np.arange(n * 3, dtype=F32).reshape(n, 3))
        assert flat.tolist() == list(range(n * 3))
        assert indices.tolist() == list(range(n * 3))


def test_parsed_operand_types_are_checked():
    with pytest.raises(ValueError, match=r"printed as f32\[\?,3\], but 'reshape' infers f32\[\?\]"):
        parse_program(GRAPH.replace("{shape=operand(1)} : f32[?]", "{shape=operand(1)} : f32[?,3]")
                      .replace("-> (f32[?], i32[?])", "-> (f32[?,3], i32[?])"))


def test_operand_that_depends_on_values_is_refused_when_lowered():
    text = """\
func @f(%x: f32[?,3], %n: i32[1]) -> (f32[?]) {
  %0 = reshape(%x, %n) {shape=operand(1)} : f32[?]
  return %0
}"""
    with pytest.raises(ValueError, match="depends on tensor values"):
        parse_program(text)


def test_node_types_of_operand_attributes_need_the_inputs():
    with pytest.raises(ValueError, match="need the input values"):
        node_types("reshape", [TensorType((None, 3), F32), TensorType((1,), np.int32)],
                   {"shape": Operand(1)})


def test_lowered_graph_with_unknown_dims_reports_call_shape_errors():
    graph = parse_program("""\
func @f(%x: f32[?,3], %y: f32[?,3]) -> (f32[?,3]) {
  %0 = add(%x, %y) : f32[?,3]
  return %0
}""")
    from compiler.errors import OpInputError
    with pytest.raises(OpInputError, match=r"Incompatible shapes: \[2,3\] vs. \[4,3\]"):
        compile_graph(graph)(np.ones((2, 3), F32), np.ones((4, 3), F32))
    assert jax.numpy.sum(compile_graph(graph)(np.ones((4, 3), F32), np.ones((4, 3), F32))[0]) == 24


def test_probed_shapes_follow_the_producers():
    """The unknown dimension of reshape(x, [1, -1]) on f32[?,3] is 3 * probe, not probe."""
    with GraphBuilder("g") as b:
        x = b.param(TensorType((None, 3), F32), "x")
        flat = bind("reshape", x, shape=(1, -1))
        s = bind("shape", flat, out_type="int32")
    assert flat.type.shape == (1, None)
    assert static_value(s, probe=7).tolist() == [1, 21]
