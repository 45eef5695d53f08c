"""The IR verifier (like JAX's check_jaxpr or torch.fx's Graph.lint).

`verify(graph)` checks the invariants every pass must keep:
- SSA: parameters are distinct, each value is defined once (by one node, or as a parameter) and
  before it is used; a node's outputs name it as their producer;
- ownership: inputs and results are values of this graph, not of another one;
- types: each node's output types equal what the op table infers from its inputs and attributes
  (`registry.infer`, i.e. jax.eval_shape of the implementation); a `const` node's output has
  its value's shape and dtype;
- results are defined;
- sub-graphs in attributes (`body=@g`) verify too.

A violation raises IRVerifyError naming the function, the node (its printed line) and the problem.
"""
from __future__ import annotations

from compiler.ir import Graph, Node, graphs_in
from compiler.ops.registry import REGISTRY
from compiler.ops.registry import node_types as registry_node_types
from compiler.types import TensorType

__all__ = ["IRVerifyError", "verify", "node_types"]


class IRVerifyError(ValueError):
    """A graph breaks an IR invariant."""


def node_types(op: str, input_types, attrs: dict, inputs=None) -> tuple[tuple[TensorType, ...], bool]:
    """`registry.node_types`, with an op's refusal of its inputs as a ValueError naming them."""
    if op == "const" or op not in REGISTRY:
        return registry_node_types(op, input_types, attrs, inputs)
    try:
        return registry_node_types(op, input_types, attrs, inputs)
    except Exception as err:  # noqa: BLE001  (eval_shape raises many kinds)
        raise ValueError(f"op {op!r} rejects inputs ({', '.join(map(str, input_types))}): "
                         f"{type(err).__name__}: {err}") from None


def verify(graph: Graph) -> Graph:
    """Check `graph` (and its sub-graphs); returns it unchanged, or raises IRVerifyError."""
    _verify(graph, set())
    return graph


def _verify(graph: Graph, seen: set) -> None:
    if id(graph) in seen:
        return
    seen.add(id(graph))
    from compiler.printer import _render  # the printed lines name nodes in messages
    lines = _render(graph, [])

    def fail(where: str, problem: str):
        raise IRVerifyError(f"func @{graph.name}, {where}: {problem}")

    def at_node(i: int) -> str:
        return f"node {i} `{lines[1 + i].strip()}`"

    defined: dict[int, str] = {}  # id(value) -> where it is defined
    for k, p in enumerate(graph.params):
        if id(p) in defined:
            fail(f"parameter {k}", f"{p!r} is listed twice among the parameters")
        if p.graph is not graph or p.producer is not None:
            owner = f"graph @{p.graph.name}" if p.graph is not None else "no graph"
            fail(f"parameter {k}", f"{p!r} belongs to {owner} (producer {p.producer!r}), "
                                   "not to this graph as a parameter")
        defined[id(p)] = f"parameter {k}"
    position = {id(v): i for i, n in enumerate(graph.nodes) for v in n.outputs}
    for i, node in enumerate(graph.nodes):
        if not isinstance(node, Node):
            fail(f"node {i}", f"{node!r} is not a Node")
        for k, v in enumerate(node.inputs):
            if id(v) not in defined:
                fail(at_node(i), _undefined(f"input {k}", v, graph, position))
        for k, v in enumerate(node.outputs):
            if id(v) in defined:
                fail(at_node(i), f"output {k} ({v!r}) is already defined by {defined[id(v)]} "
                                 "(SSA: each value is defined once)")
            if v.producer is not node:
                fail(at_node(i), f"output {k} ({v!r}) names another producer ({v.producer!r})")
            if v.graph is not graph:
                fail(at_node(i), f"output {k} ({v!r}) belongs to another graph")
            defined[id(v)] = f"node {i}"
        try:
            types, multi = node_types(node.op, [v.type for v in node.inputs], node.attrs, node.inputs)
        except KeyError:
            fail(at_node(i), f"unknown op {node.op!r}")
        except ValueError as err:
            fail(at_node(i), str(err))
        actual = tuple(v.type for v in node.outputs)
        if len(types) != len(actual):
            fail(at_node(i), f"op {node.op!r} gives {len(types)} output(s) ({', '.join(map(str, types))}), "
                             f"the node has {len(actual)}")
        for k, (want, got) in enumerate(zip(types, actual)):
            if want != got:
                fail(at_node(i), f"output {k} has type {got}, but {node.op!r} infers {want}")
        if node.op != "const" and bool(node.multi_output) != multi:
            fail(at_node(i), f"multi_output is {node.multi_output}, but {node.op!r} "
                             f"{'returns' if multi else 'does not return'} a tuple")
        for name, value in sorted(node.attrs.items()):
            for sub in graphs_in(value):
                _verify(sub, seen)
    for k, v in enumerate(graph.results):
        if id(v) not in defined:
            fail(f"`{lines[-2].strip()}`", _undefined(f"result {k}", v, graph, position))


def _undefined(what: str, v, graph: Graph, position: dict) -> str:
    if v.graph is not None and v.graph is not graph:
        return f"{what} ({v!r}) is a value of graph @{v.graph.name}, not of @{graph.name}"
    if id(v) in position:
        return f"{what} ({v!r}) is used before its definition (node {position[id(v)]})"
    return f"{what} ({v!r}) is not defined in this graph"
