"""Common subexpression elimination."""
from __future__ import annotations

import numpy as np

from compiler.ir import Graph
from compiler.passes._rewrite import copy_node, finish, has_effect, map_subgraphs, start


def cse(graph: Graph) -> Graph:
    """Merge nodes that compute the same thing; returns a new graph (the input is unchanged).

    Two nodes merge when they have the same op, the same inputs (after earlier merges) and equal
    attributes, annotations included (a `_nograd` node never merges with a recorded one). Array
    attributes compare by dtype, shape and contents, so equal constants merge too; Graph
    attributes compare by identity (sub-graphs are themselves CSE'd first, once each). Effectful
    nodes (random draws, state, io, unknown ops) never merge. The later node's outputs, all of
    them for a multi-output node, are replaced by the earlier node's. Dead nodes are left for DCE.

    Before:
        func @f(%x: f32[2]) -> (f32[2]) {
          %0 = const() {value=array(2.0, float32)} : f32[]
          %1 = mul(%x, %0) : f32[2]
          %2 = const() {value=array(2.0, float32)} : f32[]
          %3 = mul(%x, %2) : f32[2]
          %4 = add(%1, %3) : f32[2]
          return %4
        }
    After:
        func @f(%x: f32[2]) -> (f32[2]) {
          %0 = const() {value=array(2.0, float32)} : f32[]
          %1 = mul(%x, %0) : f32[2]
          %2 = add(%1, %1) : f32[2]
          return %2
        }
    """
    return _cse(graph, {})


def _cse(graph: Graph, memo: dict) -> Graph:
    new, env = start(graph)
    seen = {}
    for node in graph.nodes:
        attrs = map_subgraphs(node.attrs, lambda g: _cse(g, memo), memo)
        if has_effect(node):
            copy_node(new, node, env, attrs)
            continue
        key = (node.op, tuple(id(env[v]) for v in node.inputs), _freeze(attrs))
        try:
            hash(key)
        except TypeError:  # an attribute value we cannot compare: keep the node
            copy_node(new, node, env, attrs)
            continue
        if key in seen:
            env.update(zip(node.outputs, seen[key].outputs))
        else:
            seen[key] = copy_node(new, node, env, attrs)
    return finish(new, graph, env)


def _freeze(value):
    """A hashable key equal only for equal attribute values (types included: 1, 1.0, True and
    -0.0 vs 0.0 stay apart); Graphs by identity (kept alive by the memo while the pass runs)."""
    if isinstance(value, dict):
        return ("dict", tuple(sorted((k, _freeze(v)) for k, v in value.items())))
    if isinstance(value, (tuple, list)):
        return (type(value).__name__, tuple(_freeze(v) for v in value))
    if isinstance(value, Graph):
        return ("graph", id(value))
    if isinstance(value, (np.ndarray, np.generic)):
        a = np.asarray(value)
        data = tuple(a.ravel().tolist()) if a.dtype == object else a.tobytes()
        return ("array", a.dtype.str, a.shape, data)
    if isinstance(value, float):
        return ("float", repr(value))
    if isinstance(value, np.dtype):
        return ("dtype", value.str)
    return (type(value).__name__, value)
