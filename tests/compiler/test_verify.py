"""verify(): the IR invariants, each violation caught with a message naming the node."""
import re

import numpy as np
import pytest

from compiler import GraphBuilder, TensorType, bind, defop, REGISTRY
from compiler.ir import Graph, Value
from compiler.verify import IRVerifyError, verify

F2 = TensorType((2,), np.float32)


def _valid() -> Graph:
    with GraphBuilder("f") as b:
        x = b.param(F2, "x")
        y = b.param(F2, "y")
        s = bind("add", x, y)
        m = bind("mul", s, np.float32(2))
        q, r = bind("split", m, sizes=(1, 1), axis=0)
        b.graph.results = [bind("neg", q), r]
    return b.graph


def _raises(graph: Graph, pattern: str):
    with pytest.raises(IRVerifyError, match=pattern) as info:
        verify(graph)
    return str(info.value)


def test_a_valid_graph_passes_and_is_returned():
    g = _valid()
    assert verify(g) is g


def test_a_parameter_listed_twice():
    g = _valid()
    g.params.append(g.params[0])
    _raises(g, re.escape("func @f, parameter 2: Value(x: f32[2]) is listed twice among the parameters"))


def test_a_parameter_of_another_graph():
    g, other = _valid(), _valid()
    g.params[1] = other.params[1]
    _raises(g, r"parameter 1: Value\(y: f32\[2\]\) belongs to graph @f .*not to this graph")


def test_a_value_defined_twice():
    g = _valid()
    g.nodes[2].outputs = g.nodes[0].outputs
    _raises(g, re.escape("func @f, node 2 `%2 = mul(%2, %1) : f32[2]`: output 0 (Value(?: f32[2])) is "
                         "already defined by node 0 (SSA: each value is defined once)"))


def test_a_use_before_the_definition():
    g = _valid()
    g.nodes[2], g.nodes[3] = g.nodes[3], g.nodes[2]
    message = _raises(g, r"node 2 `%2, %3 = split\(%<undefined>\) .*`: input 0 \(Value\(\?: f32\[2\]\)\) is "
                         r"used before its definition \(node 3\)")
    assert "{axis=0, sizes=(1, 1)}" in message


def test_an_input_of_another_graph():
    g, other = _valid(), _valid()
    g.nodes[0].inputs = (g.params[0], other.params[1])
    _raises(g, re.escape("node 0 `%0 = add(%x, %<undefined>) : f32[2]`: input 1 (Value(y: f32[2])) is a "
                         "value of graph @f, not of @f"))


def test_an_undefined_input():
    g = _valid()
    g.nodes[4].inputs = (Value(TensorType((1,), np.float32)),)
    _raises(g, r"node 4 `%5 = neg\(%<undefined>\) : f32\[1\]`: input 0 .* is not defined in this graph")


def test_an_output_naming_another_producer():
    g = _valid()
    g.nodes[0].outputs[0].producer = g.nodes[1]
    _raises(g, r"node 0 `%0 = add\(%x, %y\) : f32\[2\]`: output 0 .* names another producer")


def test_an_output_type_that_the_op_does_not_infer():
    g = _valid()
    g.nodes[0].outputs[0].type = TensorType((2,), np.float64)
    _raises(g, re.escape("node 0 `%0 = add(%x, %y) : f64[2]`: output 0 has type f64[2], but 'add' infers f32[2]"))


def test_the_wrong_number_of_outputs():
    g = _valid()
    split = g.nodes[3]
    split.outputs = split.outputs[:1]
    g.results = g.results[:1]
    _raises(g, r"node 3 `%3 = split.*`: op 'split' gives 2 output\(s\) \(f32\[1\], f32\[1\]\), the node has 1")


def test_a_multi_output_flag_that_disagrees_with_the_op():
    g = _valid()
    g.nodes[4].multi_output = True
    _raises(g, "node 4 .*multi_output is True, but 'neg' does not return a tuple")
    g = _valid()
    g.nodes[3].multi_output = False
    _raises(g, "node 3 .*multi_output is False, but 'split' returns a tuple")


def test_an_unknown_op():
    g = _valid()
    g.nodes[4].op = "no_such_op"
    _raises(g, r"node 4 `%5 = no_such_op\(%3\) : f32\[1\]`: unknown op 'no_such_op'")


def test_an_op_that_rejects_its_inputs():
    g = _valid()
    g.params[1].type = TensorType((3,), np.float32)
    _raises(g, r"node 0 `%0 = add\(%x, %y\) : f32\[2\]`: op 'add' rejects inputs \(f32\[2\], f32\[3\]\)")


def test_a_const_whose_type_is_not_its_value():
    g = _valid()
    const = g.nodes[1]
    const.outputs[0].type = TensorType((), np.float64)
    _raises(g, re.escape("`%1 = const() {value=array(2.0, float32)} : f64[]`: output 0 has type f64[], "
                         "but 'const' infers f32[]"))


def test_a_const_with_inputs_or_without_a_value():
    g = _valid()
    const = g.nodes[1]
    const.attrs = {"value": 2.0}
    _raises(g, "node 1 `%1 = const\\(\\) {value=2.0} : f32\\[\\]`: a const node takes no inputs and an array "
               "attribute `value`")
    g = _valid()
    g.nodes[1].inputs = (g.params[0],)
    _raises(g, "node 1 .*: a const node takes no inputs")


def test_an_undefined_result():
    g = _valid()
    g.results.append(Value(F2, "lost"))
    _raises(g, re.escape("func @f, `return %5, %4, %<undefined>`: result 2 (Value(lost: f32[2])) is not "
                         "defined in this graph"))


def test_a_result_of_another_graph():
    g, other = _valid(), _valid()
    g.results[0] = other.results[0]
    _raises(g, r"`return %<undefined>, %4`: result 0 .* is a value of graph @f")


def test_sub_graphs_are_verified_recursively():
    if "test_call" not in REGISTRY:
        defop("test_call")(lambda *xs, body, **attrs: xs[0])
    inner = _valid()
    inner.name = "inner"
    with GraphBuilder("outer") as b:
        x = b.param(F2, "x")
        b.graph.results = [bind("test_call", x, body=inner)]
    verify(b.graph)
    inner.nodes[0].outputs[0].type = TensorType((5,), np.float32)
    _raises(b.graph, re.escape("func @inner, node 0 `%0 = add(%x, %y) : f32[5]`: output 0 has type f32[5]"))
    # a graph that refers to itself is verified once
    inner.nodes[0].outputs[0].type = F2
    inner.add_node("test_call", (inner.params[0],), {"body": inner}, (F2,))
    verify(b.graph)


def test_annotations_are_not_passed_to_the_op():
    g = _valid()
    g.nodes[0].attrs["_nograd"] = True
    verify(g)
