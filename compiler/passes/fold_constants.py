"""Constant folding."""
from __future__ import annotations

import math

import jax
import numpy as np

from compiler.fold import resolve_operands
from compiler.ir import Graph, Node
from compiler.ops.registry import REGISTRY
from compiler.passes._rewrite import copy_node, finish, has_effect, map_subgraphs, start, subgraphs
from compiler.types import TensorType

DEFAULT_MAX_ELEMENTS = 1024


def fold_constants(graph: Graph, max_elements: int = DEFAULT_MAX_ELEMENTS) -> Graph:
    """Evaluate nodes whose inputs are all constants; returns a new graph (the input is unchanged).

    A node folds when all its inputs are `const` nodes (chains fold in one pass; input-less nodes
    such as `zeros` count), its op has no effect and no Graph attribute, and each output has at
    most `max_elements` elements (as JAX's `try_constant_folding`). `REGISTRY[op].impl` runs on
    the CPU (`host_impl` for strings); each output becomes a `const` node. A folded node's
    annotations (`_loc`, `_nograd`) are dropped. A node whose implementation raises is kept, so
    the error surfaces at run time. The constants it read stay until DCE. Sub-graphs fold too.

    Before:
        func @f(%x: f32[2]) -> (f32[2]) {
          %0 = const() {value=array([1.0, 2.0], float32)} : f32[2]
          %1 = neg(%0) : f32[2]
          %2 = add(%x, %1) : f32[2]
          return %2
        }
    After:
        func @f(%x: f32[2]) -> (f32[2]) {
          %0 = const() {value=array([1.0, 2.0], float32)} : f32[2]
          %1 = const() {value=array([-1.0, -2.0], float32)} : f32[2]
          %2 = add(%x, %1) : f32[2]
          return %2
        }
    """
    memo: dict = {}

    def fold(g: Graph) -> Graph:
        new, env = start(g)
        for node in g.nodes:
            attrs = map_subgraphs(node.attrs, fold, memo)
            inputs = [env[v] for v in node.inputs]
            arrays = None
            if node.op != "const" and all(v.producer is not None and v.producer.op == "const"
                                          for v in inputs):
                arrays = _evaluate(node, [v.producer.attrs["value"] for v in inputs], max_elements)
            if arrays is None:
                copy_node(new, node, env, attrs)
            for old, array in zip(node.outputs, arrays or ()):
                (env[old],) = new.add_node("const", (), {"value": array},
                                           [TensorType.of(array)]).outputs
        return finish(new, g, env)

    return fold(graph)


def _evaluate(node: Node, arrays: list, max_elements: int) -> list[np.ndarray] | None:
    """The outputs of `node` on `arrays` as numpy arrays, or None when it must not fold."""
    if (not node.outputs or has_effect(node) or any(subgraphs(v) for v in node.attrs.values())
            or any(None not in v.shape and math.prod(v.shape) > max_elements for v in node.outputs)):
        return None
    strings = any(np.asarray(a).dtype == object for a in arrays)
    impl = REGISTRY[node.op].host_impl if strings else REGISTRY[node.op].impl
    if impl is None:
        return None
    try:
        attrs, arrays = resolve_operands(node.impl_attrs(), arrays)
        with jax.default_device(jax.devices("cpu")[0]):
            out = impl(*arrays, **attrs)
            outs = [np.asarray(o) for o in (out if node.multi_output else (out,))]
    except Exception:  # noqa: BLE001  (left for the run to report)
        return None
    if len(outs) != len(node.outputs) or any(
            o.size > max_elements or o.dtype != v.dtype or o.ndim != len(v.shape)
            for o, v in zip(outs, node.outputs)):
        return None
    return outs
