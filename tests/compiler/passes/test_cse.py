"""cse: equal (op, inputs, attrs) merge; effects never; annotations are part of the key."""
from textwrap import dedent

import numpy as np

from compiler import Graph, GraphBuilder, TensorType, bind, print_graph
from compiler.passes import cse
from compiler.passes.cse import _freeze
from tests.compiler.passes._helpers import assert_same_values, call, register_call_op, snapshot

F2 = TensorType((2,), np.float32)


def test_equal_nodes_and_equal_constants_merge_transitively():
    with GraphBuilder("f") as b:
        x = b.param(F2, "x")
        y1 = bind("mul", x, np.float32(2))
        y2 = bind("mul", x, np.float32(2))
        b.graph.results = [bind("add", bind("exp", y1), bind("exp", y2))]
    before = snapshot(b.graph)
    out = cse(b.graph)
    assert print_graph(out) == dedent("""\
        func @f(%x: f32[2]) -> (f32[2]) {
          %0 = const() {value=array(2.0, float32)} : f32[]
          %1 = mul(%x, %0) : f32[2]
          %2 = exp(%1) : f32[2]
          %3 = add(%2, %2) : f32[2]
          return %3
        }""")
    assert snapshot(b.graph) == before
    assert_same_values(b.graph, out, np.float32([1, -2]))


def test_different_attributes_or_constant_dtypes_do_not_merge():
    with GraphBuilder("f") as b:
        x = b.param(TensorType((2, 3), np.float32), "x")
        s0 = bind("reduce_sum", x, axis=(0,), keepdims=False)
        s1 = bind("reduce_sum", x, axis=(1,), keepdims=False)
        b.graph.results = [s0, s1, bind("reduce_sum", x, axis=(0,), keepdims=False),
                           bind("cast", np.zeros(2, np.int32), dtype="float32"),
                           bind("cast", np.zeros(2, np.float32), dtype="float32")]
    assert print_graph(cse(b.graph)) == dedent("""\
        func @f(%x: f32[2,3]) -> (f32[3], f32[2], f32[3], f32[2], f32[2]) {
          %0 = reduce_sum(%x) {axis=(0,), keepdims=False} : f32[3]
          %1 = reduce_sum(%x) {axis=(1,), keepdims=False} : f32[2]
          %2 = const() {value=array([0, 0], int32)} : i32[2]
          %3 = cast(%2) {dtype='float32'} : f32[2]
          %4 = const() {value=array([0.0, 0.0], float32)} : f32[2]
          %5 = cast(%4) {dtype='float32'} : f32[2]
          return %0, %1, %0, %3, %5
        }""")


def test_attribute_keys_keep_types_and_signed_zeros_apart():
    assert _freeze(1) != _freeze(True) and _freeze(1) != _freeze(1.0)
    assert _freeze(0.0) != _freeze(-0.0) and _freeze((1, 2)) != _freeze([1, 2])
    assert _freeze(np.float32([1, 2])) == _freeze(np.float32([1, 2]))
    assert _freeze(np.float32([1, 2])) != _freeze(np.float32([[1, 2]]))
    strings = np.array([b"a", b"b"], dtype=object)
    assert _freeze(strings) == _freeze(strings.copy())
    assert _freeze(strings) != _freeze(np.array([b"a", b"c"], dtype=object))


def test_multi_output_nodes_merge_output_by_output():
    with GraphBuilder("f") as b:
        x = b.param(TensorType((3,), np.float32), "x")
        a1, a2 = bind("split", x, sizes=(1, 2), axis=0)
        b1, b2 = bind("split", x, sizes=(1, 2), axis=0)
        b.graph.results = [bind("sub", a1, b1), bind("add", a2, b2)]
    out = cse(b.graph)
    assert print_graph(out) == dedent("""\
        func @f(%x: f32[3]) -> (f32[1], f32[2]) {
          %0, %1 = split(%x) {axis=0, sizes=(1, 2)} : f32[1], f32[2]
          %2 = sub(%0, %0) : f32[1]
          %3 = add(%1, %1) : f32[2]
          return %2, %3
        }""")
    assert_same_values(b.graph, out, np.float32([1, 2, 3]))


def test_annotations_block_merging_unless_equal():
    with GraphBuilder("f") as b:
        x = b.param(F2, "x")
        plain = bind("neg", x)
        b.annotations = {"_nograd": True}
        quiet1, quiet2 = bind("neg", x), bind("neg", x)
        b.annotations = {}
        b.graph.results = [plain, quiet1, quiet2]
    assert print_graph(cse(b.graph)) == dedent("""\
        func @f(%x: f32[2]) -> (f32[2], f32[2], f32[2]) {
          %0 = neg(%x) : f32[2]
          %1 = neg(%x) {_nograd=True} : f32[2]
          return %0, %1, %1
        }""")


def test_effectful_nodes_never_merge():
    with GraphBuilder("f") as b:
        seed = b.param(TensorType((2,), np.int32), "seed")
        draw = [bind("random_normal", seed, np.float32(0), np.float32(1), shape=(2,),
                     dtype="float32") for _ in range(2)]
        b.graph.results = draw
    out = cse(b.graph)
    assert [n.op for n in out.nodes].count("random_normal") == 2
    assert out.results[0] is not out.results[1]


def test_sub_graph_attributes_compare_by_identity(monkeypatch):
    register_call_op(monkeypatch)
    bodies = []
    for _ in range(2):
        with GraphBuilder("body") as inner:
            y = inner.param(F2, "y")
            inner.graph.results = [bind("add", bind("neg", y), bind("neg", y))]
        bodies.append(inner.graph)
    g = Graph("f")
    x = g.add_param(F2, "x")
    g.results = [call(g, bodies[0], x)[0], call(g, bodies[0], x)[0], call(g, bodies[1], x)[0]]
    out = cse(g)
    assert print_graph(out) == dedent("""\
        func @f(%x: f32[2]) -> (f32[2], f32[2], f32[2]) {
          %0 = test_call(%x) {body=@body} : f32[2]
          %1 = test_call(%x) {body=@body} : f32[2]
          return %0, %0, %1
        }""")
    assert print_graph(out.nodes[0].attrs["body"]) == dedent("""\
        func @body(%y: f32[2]) -> (f32[2]) {
          %0 = neg(%y) : f32[2]
          %1 = add(%0, %0) : f32[2]
          return %1
        }""")
    assert len(bodies[0].nodes) == 3
    assert_same_values(g, out, np.float32([1, 2]))
