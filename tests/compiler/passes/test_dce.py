"""dce: nodes nothing uses go; effects, multi-output nodes in use and parameters stay."""
from textwrap import dedent

import numpy as np

from compiler import Graph, GraphBuilder, TensorType, bind, print_graph
from compiler.passes import dce
from tests.compiler.passes._helpers import assert_same_values, call, register_call_op, snapshot

F2 = TensorType((2,), np.float32)


def _uniform(seed, shape=(2,)):
    return bind("random_uniform", seed, np.float32(0), np.float32(1), shape=shape, dtype="float32")


def test_unused_nodes_go_and_unused_parameters_stay():
    with GraphBuilder("f") as b:
        x, unused = b.param(F2, "x"), b.param(F2, "unused")
        bind("exp", bind("neg", x))
        b.graph.results = [bind("abs", x)]
    before = snapshot(b.graph)
    out = dce(b.graph)
    assert print_graph(out) == dedent("""\
        func @f(%x: f32[2], %unused: f32[2]) -> (f32[2]) {
          %0 = abs(%x) : f32[2]
          return %0
        }""")
    assert snapshot(b.graph) == before and out is not b.graph
    assert all(v.graph is out for n in out.nodes for v in n.outputs)
    assert_same_values(b.graph, out, np.float32([1, -2]), np.float32([0, 0]))


def test_effectful_nodes_and_their_inputs_stay_even_when_unused():
    with GraphBuilder("f") as b:
        x, seed = b.param(F2, "x"), b.param(TensorType((2,), np.int32), "seed")
        _uniform(seed)
        bind("rng_skip", np.int64([0, 1]), np.int64(1))
        bind("neg", x)
        b.graph.results = [x]
    assert print_graph(dce(b.graph)) == dedent("""\
        func @f(%x: f32[2], %seed: i32[2]) -> (f32[2]) {
          %0 = const() {value=array(0.0, float32)} : f32[]
          %1 = const() {value=array(1.0, float32)} : f32[]
          %2 = random_uniform(%seed, %0, %1) {dtype='float32', shape=(2,)} : f32[2]
          %3 = const() {value=array([0, 1], int64)} : i64[2]
          %4 = const() {value=array(1, int64)} : i64[]
          %5, %6 = rng_skip(%3, %4) : i64[3], i64[2]
          return %x
        }""")


def test_a_multi_output_node_stays_whole_while_one_output_is_used():
    with GraphBuilder("f") as b:
        x = b.param(TensorType((3,), np.float32), "x")
        bind("split", x, sizes=(1, 2), axis=0)
        _, rest = bind("split", x, sizes=(2, 1), axis=0)
        b.graph.results = [rest]
    out = dce(b.graph)
    assert print_graph(out) == dedent("""\
        func @f(%x: f32[3]) -> (f32[1]) {
          %0, %1 = split(%x) {axis=0, sizes=(2, 1)} : f32[2], f32[1]
          return %1
        }""")
    assert_same_values(b.graph, out, np.float32([1, 2, 3]))


def test_an_op_the_registry_does_not_know_is_kept():
    g = Graph("f")
    x = g.add_param(F2, "x")
    g.add_node("some_future_op", [x], {}, [F2])
    g.results = [x]
    assert "some_future_op(%x)" in print_graph(dce(g))


def test_sub_graphs_are_cleaned_once_each_and_effects_inside_them_count(monkeypatch):
    register_call_op(monkeypatch)
    with GraphBuilder("body") as inner:
        y = inner.param(F2, "y")
        bind("exp", y)
        inner.graph.results = [bind("neg", y)]
    with GraphBuilder("noisy") as noisy:
        s = noisy.param(TensorType((2,), np.int32), "s")
        _uniform(s)
        noisy.graph.results = [s]
    g = Graph("f")
    x, seed = g.add_param(F2, "x"), g.add_param(TensorType((2,), np.int32), "seed")
    (a,) = call(g, inner.graph, x)
    (b,) = call(g, inner.graph, a)
    call(g, noisy.graph, seed)   # unused, but draws random numbers: kept
    call(g, inner.graph, x)      # unused and pure: dropped
    g.results = [b]
    out = dce(g)
    assert [n.op for n in out.nodes] == ["test_call"] * 3
    body = out.nodes[0].attrs["body"]
    assert out.nodes[1].attrs["body"] is body and body is not inner.graph
    assert print_graph(body) == dedent("""\
        func @body(%y: f32[2]) -> (f32[2]) {
          %0 = neg(%y) : f32[2]
          return %0
        }""")
    assert "random_uniform" in print_graph(out.nodes[2].attrs["body"])
    assert len(inner.graph.nodes) == 2
    assert_same_values(g, out, np.float32([1, 2]), np.int32([0, 0]))
