"""fold_constants: pure nodes over constants become constants, up to a size limit."""
from textwrap import dedent

import numpy as np

from compiler import REGISTRY, Graph, GraphBuilder, OpDef, TensorType, bind, print_graph
from compiler.passes import fold_constants
from tests.compiler.passes._helpers import assert_same_values, call, register_call_op, snapshot

F2 = TensorType((2,), np.float32)


def test_chains_of_constant_nodes_fold_in_one_pass_and_drop_annotations():
    # The constants the builder made keep their annotation; the folded ones have none.
    with GraphBuilder("f") as b:
        x = b.param(F2, "x")
        b.annotations = {"_nograd": True}
        c = bind("mul", bind("neg", np.float32([1, 2])), np.float32(3))
        b.annotations = {}
        b.graph.results = [bind("add", x, c)]
    before = snapshot(b.graph)
    out = fold_constants(b.graph)
    assert print_graph(out) == dedent("""\
        func @f(%x: f32[2]) -> (f32[2]) {
          %0 = const() {_nograd=True, value=array([1.0, 2.0], float32)} : f32[2]
          %1 = const() {value=array([-1.0, -2.0], float32)} : f32[2]
          %2 = const() {_nograd=True, value=array(3.0, float32)} : f32[]
          %3 = const() {value=array([-3.0, -6.0], float32)} : f32[2]
          %4 = add(%x, %3) : f32[2]
          return %4
        }""")
    assert snapshot(b.graph) == before
    assert isinstance(out.nodes[3].attrs["value"], np.ndarray)
    assert_same_values(b.graph, out, np.float32([10, 20]))


def test_outputs_over_the_limit_are_not_folded():
    with GraphBuilder("f") as b:
        small = bind("exp", np.zeros(4, np.float32))
        large = bind("exp", np.zeros(5, np.float32))
        b.graph.results = [small, large, bind("zeros", shape=(2, 3), dtype="int32")]
    out = fold_constants(b.graph, max_elements=4)
    assert [n.op for n in out.nodes] == ["const", "const", "const", "exp", "zeros"]
    assert out.results[0].producer.op == "const"
    np.testing.assert_array_equal(out.results[0].producer.attrs["value"], np.ones(4, np.float32))
    folded = fold_constants(b.graph)   # default limit: everything, `zeros` (no inputs) too
    assert all(n.op == "const" for n in folded.nodes)
    assert_same_values(b.graph, folded)


def test_multi_output_nodes_fold_to_one_constant_per_output_unless_one_is_too_large():
    with GraphBuilder("f") as b:
        head, tail = bind("split", np.arange(6, dtype=np.int64), sizes=(1, 5), axis=0)
        b.graph.results = [tail, head]
    out = fold_constants(b.graph)
    assert print_graph(out) == dedent("""\
        func @f() -> (i64[5], i64[1]) {
          %0 = const() {value=array([0, 1, 2, 3, 4, 5], int64)} : i64[6]
          %1 = const() {value=array([0], int64)} : i64[1]
          %2 = const() {value=array([1, 2, 3, 4, 5], int64)} : i64[5]
          return %2, %1
        }""")
    assert_same_values(b.graph, out)
    assert [n.op for n in fold_constants(b.graph, max_elements=4).nodes] == ["const", "split"]


def test_effects_parameters_and_failing_implementations_are_left_alone(monkeypatch):
    def explode(x):
        raise ValueError("only at run time")

    monkeypatch.setitem(REGISTRY, "test_explode", OpDef("test_explode", explode))
    with GraphBuilder("f") as b:
        x = b.param(F2, "x")
        draw = bind("random_uniform", np.int32([1, 2]), np.float32(0), np.float32(1), shape=(2,),
                    dtype="float32")
        c = b.constant(np.float32([1, 2]))
        boom = b.graph.add_node("test_explode", [c], {}, [F2]).outputs[0]
        b.graph.results = [bind("neg", draw), bind("add", x, c), boom]
    out = fold_constants(b.graph)
    assert [n.op for n in out.nodes] == ["const"] * 3 + ["random_uniform", "const", "test_explode",
                                                         "neg", "add"]


def test_sub_graphs_fold_but_nodes_carrying_them_do_not(monkeypatch):
    register_call_op(monkeypatch)
    with GraphBuilder("body") as inner:
        y = inner.param(F2, "y")
        inner.graph.results = [bind("add", y, bind("square", np.float32(3)))]
    g = Graph("f")
    c = g.add_node("const", [], {"value": np.float32([1, 2])}, [F2]).outputs[0]
    g.results = list(call(g, inner.graph, c))
    out = fold_constants(g)
    assert [n.op for n in out.nodes] == ["const", "test_call"]
    assert print_graph(out.nodes[1].attrs["body"]) == dedent("""\
        func @body(%y: f32[2]) -> (f32[2]) {
          %0 = const() {value=array(3.0, float32)} : f32[]
          %1 = const() {value=array(9.0, float32)} : f32[]
          %2 = add(%y, %1) : f32[2]
          return %2
        }""")
    assert_same_values(g, out)


def test_string_constants_fold_through_the_host_implementation():
    g = Graph("f")
    words = np.array([b"a", b"b"], dtype=object)
    a = g.add_node("const", [], {"value": words}, [TensorType((2,), object)]).outputs[0]
    k = g.add_node("const", [], {"value": np.array(b"a", dtype=object)},
                   [TensorType((), object)]).outputs[0]
    g.results = list(g.add_node("equal", [a, k], {}, [TensorType((2,), bool)]).outputs)
    out = fold_constants(g)
    assert print_graph(out).splitlines()[3] == \
        "  %2 = const() {value=array([True, False], bool)} : bool[2]"
