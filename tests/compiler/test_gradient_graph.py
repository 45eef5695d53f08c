"""compiler/gradient_graph.py: the sub-graph a gradient differentiates, on printed IR."""
import numpy as np

from compiler import GraphBuilder, TensorType, bind
from compiler.gradient_graph import Recorded, gradient_graph
from compiler.printer import print_graph

F32 = np.float32


def _traced(fn, *types):
    with GraphBuilder("f") as b:
        params = [b.param(TensorType(s, F32), n) for n, s in zip("xyz", types)]
        outs = fn(*params)
    return b.graph, params, outs


def test_keeps_the_path_from_sources_to_targets_and_inlines_constants():
    def fn(x, y):
        a = bind("mul", x, x)
        unrelated = bind("sin", y)
        b = bind("add", a, bind("mul", y, np.float32(3.0)))
        return a, b, unrelated

    graph, (x, y), (a, b, unrelated) = _traced(fn, (2,), (2,))
    sub, used_sources, externals, used_targets = gradient_graph(graph.nodes, [x], [b, unrelated])
    assert (used_sources, used_targets) == ([0], [0])
    assert externals == [graph.nodes[3].outputs[0]]  # y * 3.0 does not depend on x
    assert print_graph(sub) == """\
func @grad(%arg0: f32[2], %arg1: f32[2]) -> (f32[2]) {
  %0 = mul(%arg0, %arg0) : f32[2]
  %1 = add(%0, %arg1) : f32[2]
  return %1
}"""


def test_gradient_stops_at_integers_stop_gradient_and_nograd_nodes():
    def fn(x):
        as_int = bind("cast", x, dtype="int32")
        back = bind("cast", as_int, dtype="float32")
        stopped = bind("stop_gradient", x)
        return back, stopped, x

    graph, (x,), (back, stopped, _) = _traced(fn, (3,))
    _, used_sources, _, used_targets = gradient_graph(graph.nodes, [x], [back, stopped])
    assert used_sources == [] and used_targets == []
    with GraphBuilder("g") as b:
        x = b.param(TensorType((3,), F32), "x")
        b.annotations["_nograd"] = True
        y = bind("sin", x)
    assert gradient_graph(b.graph.nodes, [x], [y])[1] == []


def test_a_target_that_is_a_source_is_its_own_result():
    graph, (x,), _ = _traced(lambda x: (), (2,))
    sub, used_sources, _, used_targets = gradient_graph(graph.nodes, [x], [x])
    assert used_sources == [0] and used_targets == [0]
    assert sub.results == sub.params


def test_eager_records_are_matched_by_identity():
    x = np.ones(2, F32)
    three = np.float32(3.0)
    y = x * three
    records = [Recorded("mul", (x, three), {}, (y,), False)]
    sub, used_sources, externals, _ = gradient_graph(records, [x], [y])
    assert used_sources == [0] and externals == [three]
    assert "mul(%arg0, %arg1) : f32[2]" in print_graph(sub)


def test_a_bounded_while_loop_becomes_a_scan_of_its_maximum_length():
    with GraphBuilder("body") as body:
        i, v = body.param(TensorType((), np.int32)), body.param(TensorType((2,), F32))
        body.graph.results = [bind("add", i, np.int32(1)), bind("mul", v, v)]
    with GraphBuilder("cond") as cond:
        i, v = cond.param(TensorType((), np.int32)), cond.param(TensorType((2,), F32))
        cond.graph.results = [bind("less", i, np.int32(3))]

    def loop(x, bounded):
        limit = (np.int32(5),) if bounded else ()
        return bind("while_loop", np.int32(0), x, *limit, cond=cond.graph, body=body.graph,
                    num_vars=2, num_cond_extra=0, bounded=bounded)

    graph, (x,), (_, y) = _traced(lambda x: loop(x, True), (2,))
    sub = gradient_graph(graph.nodes, [x], [y])[0]
    assert "max_iterations=5" in print_graph(sub)
    graph, (x,), (_, y) = _traced(lambda x: loop(x, False), (2,))
    sub = gradient_graph(graph.nodes, [x], [y])[0]  # unbounded: recomputed in the backward pass
    assert "max_iterations" not in print_graph(sub) and "while_loop" in print_graph(sub)
