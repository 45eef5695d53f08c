"""Shared by the pass tests: a tiny interpreter, a sub-graph carrying op, an input snapshot."""
from __future__ import annotations

import numpy as np

from compiler import REGISTRY, Graph, OpDef, print_graph


def evaluate(graph: Graph, *args) -> list[np.ndarray]:
    """The results of `graph` on `args`: each node runs its op's implementation in order
    (`test_call` nodes run their `body` sub-graph)."""
    env = dict(zip(graph.params, args))
    for node in graph.nodes:
        ins = [env[v] for v in node.inputs]
        if node.op == "test_call":
            outs = evaluate(node.attrs["body"], *ins)
        else:
            out = REGISTRY[node.op].impl(*ins, **node.impl_attrs())
            outs = out if node.multi_output else (out,)
        env.update(zip(node.outputs, outs))
    return [np.asarray(env[v]) for v in graph.results]


def assert_same_values(before: Graph, after: Graph, *args):
    for a, b in zip(evaluate(before, *args), evaluate(after, *args), strict=True):
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(a, b)


def register_call_op(monkeypatch):
    """Op `test_call(*args) {body=@g}`: calls its body (see `evaluate`); unregistered after the
    test. Its implementation is never run by the passes."""
    monkeypatch.setitem(REGISTRY, "test_call", OpDef("test_call", lambda *args, body: None))


def call(graph: Graph, body: Graph, *args, **annotations):
    """Append `test_call(*args) {body=@body}` to `graph`; returns its outputs."""
    node = graph.add_node("test_call", args, {"body": body, **annotations},
                          [v.type for v in body.results], multi_output=True)
    return node.outputs


def snapshot(graph: Graph):
    """Printed IR plus object identities, to check that a pass left its input alone."""
    nodes = [(id(n), [id(v) for v in n.inputs], [(id(v), id(v.graph), id(v.producer))
                                                  for v in n.outputs],
              {k: id(v) for k, v in n.attrs.items()}) for n in graph.nodes]
    return print_graph(graph), nodes, [id(p) for p in graph.params], [id(r) for r in graph.results]
