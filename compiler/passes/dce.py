"""Dead code elimination."""
from __future__ import annotations

from compiler.ir import Graph
from compiler.passes._rewrite import copy_node, finish, has_effect, map_subgraphs, start


def dce(graph: Graph) -> Graph:
    """Drop the nodes whose outputs nothing uses; returns a new graph (the input is unchanged).

    Walks backwards from the results, as JAX's `_dce_jaxpr`: a node stays when one of its outputs
    is used by a kept node or returned, or when it has an effect (`rng`, `state`, `io`, an op the
    registry does not know, or an effect inside a sub-graph). A multi-output node stays whole.
    Unused parameters stay: they are the signature. Sub-graphs (Graph-valued attributes of kept
    nodes) are cleaned the same way, against their own results.

    Before:
        func @f(%x: f32[2], %seed: i32[2]) -> (f32[2]) {
          %0 = neg(%x) : f32[2]
          %1 = exp(%0) : f32[2]
          %2 = random_uniform(%seed, ...) {...} : f32[2]
          %3 = abs(%x) : f32[2]
          return %3
        }
    After:
        func @f(%x: f32[2], %seed: i32[2]) -> (f32[2]) {
          %0 = random_uniform(%seed, ...) {...} : f32[2]
          %1 = abs(%x) : f32[2]
          return %1
        }
    """
    return _dce(graph, {})


def _dce(graph: Graph, memo: dict) -> Graph:
    live = set(graph.results)
    kept = []
    for node in reversed(graph.nodes):
        if has_effect(node) or any(v in live for v in node.outputs):
            kept.append(node)
            live.update(node.inputs)
    new, env = start(graph)
    for node in reversed(kept):
        copy_node(new, node, env, map_subgraphs(node.attrs, lambda g: _dce(g, memo), memo))
    return finish(new, graph, env)
