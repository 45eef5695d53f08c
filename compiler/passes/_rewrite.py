"""What every pass shares: copying a graph node by node, sub-graph attributes, effects.

Passes never mutate their input. They build a new Graph: `start` copies the parameters,
`copy_node` re-creates a node over the new inputs (recording old output -> new output in `env`),
`finish` sets the results. Graph-valued attributes (bodies of vjp, cond, while_loop; also inside
tuples, e.g. `branches=(@a, @b)`) are rewritten through a memo, so one sub-graph referenced twice
becomes one new sub-graph, and attributes that compared equal by identity still do.
"""
from __future__ import annotations

from typing import Callable

from compiler.ir import Graph, Node, Value
from compiler.ops.registry import REGISTRY


def start(graph: Graph) -> tuple[Graph, dict[Value, Value]]:
    """A new, empty graph with `graph`'s name and (copied) parameters, and the value map."""
    new = Graph(graph.name)
    env = {p: new.add_param(p.type, p.name) for p in graph.params}
    return new, env


def copy_node(new: Graph, node: Node, env: dict[Value, Value], attrs: dict) -> Node:
    """Append `node` to `new` over the mapped inputs, with `attrs`; maps its outputs in `env`."""
    fresh = new.add_node(node.op, [env[v] for v in node.inputs], attrs,
                         [v.type for v in node.outputs], node.multi_output)
    for old, out in zip(node.outputs, fresh.outputs):
        out.name = old.name
        env[old] = out
    return fresh


def finish(new: Graph, graph: Graph, env: dict[Value, Value]) -> Graph:
    new.results = [env[v] for v in graph.results]
    return new


def map_subgraphs(attrs: dict, rewrite: Callable[[Graph], Graph], memo: dict[int, Graph]) -> dict:
    """`attrs` with each Graph value (also inside tuples and lists) replaced by `rewrite(g)`,
    computed once per sub-graph through `memo` (keyed by id; the old graph outlives the pass)."""

    def one(value):
        if isinstance(value, Graph):
            if id(value) not in memo:
                memo[id(value)] = rewrite(value)
            return memo[id(value)]
        if isinstance(value, (tuple, list)) and any(_holds_graph(v) for v in value):
            return type(value)(one(v) for v in value)
        return value

    return {k: one(v) for k, v in attrs.items()}


def subgraphs(value) -> list[Graph]:
    """The Graphs in an attribute value (a Graph, or tuples/lists holding some)."""
    if isinstance(value, Graph):
        return [value]
    if isinstance(value, (tuple, list)):
        return [g for v in value for g in subgraphs(v)]
    return []


def _holds_graph(value) -> bool:
    return bool(subgraphs(value))


def has_effect(node: Node, _seen: frozenset = frozenset()) -> bool:
    """Whether `node` must not be removed, merged or folded: its op has an effect, the op is
    unknown to the registry (nothing is known about it), or one of its sub-graphs has an
    effectful node (an `rng` op inside a cond body makes the cond effectful, as in JAX)."""
    op = REGISTRY.get(node.op)
    if op is None or op.effect is not None:
        return True
    for value in node.attrs.values():
        for g in subgraphs(value):
            if id(g) not in _seen and any(has_effect(n, _seen | {id(g)}) for n in g.nodes):
                return True
    return False
