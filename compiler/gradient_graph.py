"""The sub-graph a gradient differentiates: the recorded ops (IR Nodes of a traced function, or
the `Recorded` ops an eager tape kept) that lie on a path from the sources to the targets.

A value carries gradient from a source through its consumers, except at integer and bool
values, `stop_gradient`, nodes annotated `_nograd` (recorded under `stop_recording()`), the
operands an op declares without gradient (`defop(no_gradient=...)`, e.g. betainc's a and b), and
a `custom_gradient` op's `unconnected` operands. Values are matched by identity (`id`): the
jax.Array an eager op returned, or the IR Value of a traced one.
"""
from __future__ import annotations

import numpy as np

from compiler.fold import static_value
from compiler.ir import Graph, Value
from compiler.ops.registry import REGISTRY
from compiler.passes._rewrite import copy_node, finish, map_subgraphs, start, subgraphs
from compiler.types import TensorType

__all__ = ["Recorded", "differentiable", "gradient_graph"]


def differentiable(dtype) -> bool:
    return np.issubdtype(np.dtype(dtype), np.inexact)


class Recorded:
    """One op an eager tape kept: like an IR Node, with arrays for values."""

    __slots__ = ("op", "inputs", "attrs", "outputs", "multi_output")

    def __init__(self, op, inputs, attrs, outputs, multi_output):
        self.op, self.inputs, self.attrs = op, inputs, attrs
        self.outputs, self.multi_output = outputs, multi_output


def _type(value) -> TensorType:
    if isinstance(value, Value):
        return value.type
    return TensorType(np.shape(value), getattr(value, "dtype", None) or np.asarray(value).dtype)


def gradient_graph(nodes, sources, targets, own_gradient=frozenset()):
    """The sub-graph from `sources` to `targets` through `nodes` (eager _Ops or IR Nodes):
    (graph, indices of the sources it uses, its external inputs, indices of the targets it
    computes). Parameters: the used sources, then the externals. A source in `own_gradient`
    (ids) that is computed from other sources gets its own gradient and passes it on to them;
    any other such source (a variable's value after an assignment) just passes it on."""
    live = {id(s) for s in sources}
    kept = []
    for node in nodes:
        if node.op == "stop_gradient" or node.attrs.get("_nograd") or node.op == "const":
            continue
        cut = _no_gradient(node)
        if any(id(x) in live for k, x in enumerate(node.inputs) if k not in cut):
            kept.append(node)
            live.update(id(o) for o in node.outputs if differentiable(_type(o).dtype))
    needed = {id(t) for t in targets if id(t) in live}
    path = []
    for node in reversed(kept):
        if any(id(o) in needed for o in node.outputs):
            path.append(node)
            cut = _no_gradient(node)
            needed.update(id(x) for k, x in enumerate(node.inputs) if id(x) in live and k not in cut)
    path.reverse()
    graph = Graph("grad")
    env, used_sources, source_params = {}, [], []
    for i, s in enumerate(sources):
        if id(s) in needed and id(s) not in env:
            env[id(s)] = Value(_type(s), None, None, graph)
            used_sources.append(i)
            source_params.append(env[id(s)])
    source_ids = {id(sources[i]) for i in used_sources} & set(own_gradient)
    externals, external_params = [], []
    memo: dict = {}
    for node in path:
        inputs, cut = [], _no_gradient(node)
        for k, x in enumerate(node.inputs):
            if id(x) not in env:
                if isinstance(x, Value) and x.producer is not None and x.producer.op == "const":
                    env[id(x)] = graph.add_node("const", (), x.producer.attrs, [x.type]).outputs[0]
                else:
                    env[id(x)] = Value(_type(x), None, None, graph)
                    externals.append(x)
                    external_params.append(env[id(x)])
            value = env[id(x)]
            if k in cut and id(x) in live:  # computed from a source, but no gradient goes in
                value = graph.add_node("stop_gradient", (value,), {}, [value.type]).outputs[0]
            inputs.append(value)
        attrs = {k: v for k, v in node.attrs.items() if not k.startswith("_")}
        if node.op == "while_loop":
            length = _loop_length(node)
            if length is not None:
                attrs["max_iterations"] = length
        attrs = map_subgraphs(attrs, lambda g: _scanned_loops(g, memo), memo)
        new = graph.add_node(node.op, inputs, attrs, [_type(o) for o in node.outputs], node.multi_output)
        for old, value in zip(node.outputs, new.outputs):
            if id(old) in source_ids:  # a source computed from another source: keep both connected
                value = _through_source(graph, value, env[id(old)])
            env[id(old)] = value
    used_targets = [i for i, t in enumerate(targets) if id(t) in needed]
    graph.params = source_params + external_params
    graph.results = [env[id(targets[i])] for i in used_targets]
    return graph, used_sources, externals, used_targets


def _through_source(graph, computed, param):
    """`computed` + (param - stop_gradient(param)): the value a later op sees is the computed
    one, its gradient reaches both the source's parameter (d/d source, as TF gives it) and the
    ops that computed it (the other sources upstream)."""
    kind = [param.type]
    frozen = graph.add_node("stop_gradient", (param,), {}, kind).outputs[0]
    zero = graph.add_node("sub", (param, frozen), {}, kind).outputs[0]
    return graph.add_node("add", (computed, zero), {}, kind).outputs[0]


def _no_gradient(node) -> tuple:
    """The operands of `node` no gradient flows into: the op's (REGISTRY), or for a
    custom_gradient those its grad_fn left None."""
    if node.op == "custom_gradient":
        return tuple(node.attrs.get("unconnected", ()))
    return REGISTRY[node.op].no_gradient


def _scanned_loops(graph: Graph, memo: dict) -> Graph:
    """`graph` (a sub-graph of a node on the path: a called function, a branch, a body) with its
    bounded while loops, at any depth, run as scans of their maximum_iterations, so that
    `jax.vjp` can differentiate them; unbounded ones stay (they recompute their iterations).
    A graph without such a loop is kept as it is (no copy on every gradient)."""
    if not _has_bounded_loop(graph):
        return graph
    new, env = start(graph)
    for node in graph.nodes:
        attrs = map_subgraphs(node.attrs, lambda g: _scanned_loops(g, memo), memo)
        if node.op == "while_loop" and node.attrs.get("bounded") and "max_iterations" not in attrs:
            limit = static_value(node.inputs[-1])
            if limit is not None:
                attrs = {**attrs, "max_iterations": int(np.asarray(limit))}
        copy_node(new, node, env, attrs)
    return finish(new, graph, env)


def _has_bounded_loop(graph: Graph) -> bool:
    return any((node.op == "while_loop" and node.attrs.get("bounded") and "max_iterations" not in node.attrs)
               or any(_has_bounded_loop(g) for v in node.attrs.values() for g in subgraphs(v))
               for node in graph.nodes)


def _loop_length(node):
    """A while loop on the path to a target with a bound known now runs as a scan of that
    length (its steps stored for the backward pass); other loops recompute their states in the
    backward pass (compiler/ops/recomputing_while.py)."""
    limit = node.inputs[-1] if node.attrs.get("bounded") else None
    if isinstance(limit, Value):
        limit = static_value(limit)
    return None if limit is None else int(np.asarray(limit))
