"""The IR: SSA values, nodes in topological order, and graphs (one function each)."""
from __future__ import annotations

from compiler.types import TensorType


class Value:
    """One SSA value. `producer` is the Node that defines it (None for a graph parameter)."""

    __slots__ = ("type", "name", "producer", "graph")

    def __init__(self, type: TensorType, name: str | None = None, producer=None, graph=None):
        self.type = type
        self.name = name
        self.producer = producer
        self.graph = graph

    @property
    def shape(self):
        return self.type.shape

    @property
    def dtype(self):
        return self.type.dtype

    def __repr__(self):
        return f"Value({self.name or '?'}: {self.type})"


class Node:
    """`outputs = op(*inputs) {attrs}`. Attribute names starting with `_` are annotations:
    they are never passed to the implementation (e.g. `_nograd`, `_loc`)."""

    __slots__ = ("op", "inputs", "attrs", "outputs", "multi_output")

    def __init__(self, op: str, inputs, attrs: dict, outputs, multi_output: bool = False):
        self.op = op
        self.inputs = tuple(inputs)
        self.attrs = dict(attrs)
        self.outputs = tuple(outputs)
        self.multi_output = multi_output

    def impl_attrs(self) -> dict:
        return {k: v for k, v in self.attrs.items() if not k.startswith("_")}

    def __repr__(self):
        return f"Node({self.op}, {len(self.inputs)} in, {len(self.outputs)} out)"


class Graph:
    """A function: parameters, nodes in topological order, results."""

    def __init__(self, name: str = "main"):
        self.name = name
        self.params: list[Value] = []
        self.nodes: list[Node] = []
        self.results: list[Value] = []

    def add_param(self, type: TensorType, name: str | None = None) -> Value:
        value = Value(type, name, None, self)
        self.params.append(value)
        return value

    def add_node(self, op: str, inputs, attrs: dict, output_types, multi_output=False) -> Node:
        node = Node(op, inputs, attrs, (), multi_output)
        node.outputs = tuple(Value(t, None, node, self) for t in output_types)
        self.nodes.append(node)
        return node

    def __str__(self):
        from compiler.printer import print_graph
        return print_graph(self)


class Operand:
    """An attribute whose value is one of the node's inputs (`shape=operand(1)`): a shape or
    size that depends on unknown dimensions. The input must be computable from the input shapes
    when the graph is lowered (XLA compiles for static shapes); lowering reads it then."""

    __slots__ = ("index",)

    def __init__(self, index: int):
        self.index = index

    def __eq__(self, other):
        return isinstance(other, Operand) and other.index == self.index

    def __hash__(self):
        return hash(("operand", self.index))

    def __repr__(self):
        return f"operand({self.index})"


def operand_attrs(attrs: dict) -> dict:
    """The attributes of `attrs` that are Operands, by name."""
    return {k: v for k, v in attrs.items() if type(v) is Operand}


def graphs_in(value) -> list[Graph]:
    """The graphs in an attribute value: the value itself, or those nested in tuples, lists and
    dict values (function-valued attributes such as `body=@g`)."""
    if isinstance(value, Graph):
        return [value]
    if isinstance(value, (tuple, list)):
        return [g for v in value for g in graphs_in(v)]
    if isinstance(value, dict):
        return [g for v in value.values() for g in graphs_in(v)]
    return []
