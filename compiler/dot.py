"""A Graph as Graphviz DOT text, for looking at it: `dot -Tsvg f.dot -o f.svg`.

    text = to_dot(graph)

Each parameter is an input node (an inverted house, labelled with its printed name and type),
each op a box (its op name, its attributes in short form, and its outputs as `%0 : f32[2]`, the
names the printed IR gives them), each result an output node (a house). There is one edge per
use of a value, from its producer to the op or result that uses it, labelled with the value's
type (and its name when the producer has several outputs). Graphs referenced by attributes
(control-flow bodies, `call` targets, gradient sub-graphs) are drawn once each as a
`subgraph cluster_N` block labelled `func @name` (the names `print_program` gives them); a
dashed edge, labelled with the attribute's name, goes from the node to the cluster.

Framework-neutral: it reads only the IR (compiler/ir.py).
"""
from __future__ import annotations

import numpy as np

from compiler.ir import Graph, Operand, graphs_in
from compiler.printer import program_graphs
from compiler.types import TensorType

__all__ = ["to_dot", "quote"]

ATTR_WIDTH = 40  # characters per line of attributes in an op's label
ATTR_VALUE_LIMIT = 48  # longer attribute values are cut, with "..."
SMALL_ARRAY = 8  # arrays with more elements show as their type only


def quote(text: str) -> str:
    """`text` as a DOT quoted string: backslashes and quotes escaped, newlines as `\\n`
    (a centred line break in a label)."""
    text = str(text).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n") + '"'


def _is_array(value) -> bool:
    if isinstance(value, (np.ndarray, np.generic)):
        return True
    return type(value).__module__.startswith("jax") and hasattr(value, "__array__") and hasattr(value, "dtype")


def _short(value, names: dict) -> str:
    """An attribute value in a few characters: sub-graphs as `@name`, large arrays by type."""
    if isinstance(value, Graph):
        return "@" + names.get(id(value), value.name)
    if isinstance(value, Operand):
        return repr(value)
    if _is_array(value):
        array = np.asarray(value)
        if array.size > SMALL_ARRAY or array.dtype == object:
            return f"array<{TensorType(array.shape, array.dtype)}>"
        return f"array({array.tolist()!r}, {array.dtype.name})"
    if isinstance(value, np.dtype):
        return value.name
    if isinstance(value, tuple):
        items = [_short(v, names) for v in value]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if isinstance(value, list):
        return "[" + ", ".join(_short(v, names) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_short(k, names)}: {_short(v, names)}" for k, v in value.items()) + "}"
    return repr(value)


def _attr_lines(attrs: dict, names: dict) -> list[str]:
    """`k=v` items (sorted, as the printer orders them), packed into lines of ATTR_WIDTH."""
    lines: list[str] = []
    for key, value in sorted(attrs.items()):
        text = _short(value, names)
        if len(text) > ATTR_VALUE_LIMIT:
            text = text[:ATTR_VALUE_LIMIT - 3] + "..."
        item = f"{key}={text}"
        if lines and len(lines[-1]) + 2 + len(item) <= ATTR_WIDTH:
            lines[-1] += ", " + item
        else:
            lines.append(item)
    return lines


def _param_names(graph: Graph) -> list[str]:
    """The parameters' printed names (as compiler/printer.py gives them: `arg<i>` when unnamed,
    `_` appended to repeats)."""
    used: set[str] = set()
    out = []
    for i, p in enumerate(graph.params):
        name = p.name or f"arg{i}"
        while name in used:
            name += "_"
        used.add(name)
        out.append("%" + name)
    return out


class _Writer:
    def __init__(self, graph: Graph):
        self.programs = program_graphs(graph)  # id -> (graph, printed name); root first
        self.names = {key: name for key, (_, name) in self.programs.items()}
        self.index = {key: k for k, key in enumerate(self.programs)}
        self.anchors: dict[int, str] = {}  # graph id -> a node inside its cluster
        self.links: list[tuple] = []  # (node id, id(sub-graph), attribute): edges written at the root level

    def graph_body(self, graph: Graph, indent: str) -> list[str]:
        k = self.index[id(graph)]
        lines: list[str] = []
        ids: dict[int, str] = {}  # id(value) -> DOT node id of its producer
        labels: dict[int, str] = {}  # id(value) -> name for edge labels of multi-output producers
        value_names: dict[int, str] = {}
        for i, (p, name) in enumerate(zip(graph.params, _param_names(graph))):
            node_id = f"g{k}_p{i}"
            ids[id(p)] = node_id
            value_names[id(p)] = name
            lines.append(f"{indent}{node_id} [shape=invhouse, label={quote(name + chr(10) + str(p.type))}];")
        counter = 0
        edges: list[str] = []
        undefined: dict[int, str] = {}

        def source(value) -> str:
            node_id = ids.get(id(value))
            if node_id is None:  # not defined in this graph (malformed IR): draw it anyway
                node_id = undefined.get(id(value))
                if node_id is None:
                    node_id = undefined[id(value)] = f"g{k}_u{len(undefined)}"
                    lines.append(f"{indent}{node_id} [shape=octagon, style=dashed, "
                                 f"label={quote('undefined' + chr(10) + str(value.type))}];")
            return node_id

        def edge_label(value) -> str:
            name = labels.get(id(value))
            return f"{name}: {value.type}" if name else str(value.type)

        for n, node in enumerate(graph.nodes):
            node_id = f"g{k}_n{n}"
            outs = []
            for v in node.outputs:
                outs.append(f"%{counter}")
                value_names[id(v)] = outs[-1]
                counter += 1
            label = [node.op, *_attr_lines(node.attrs, self.names)]
            if node.outputs:
                label.append(f"{', '.join(outs)} : {', '.join(str(v.type) for v in node.outputs)}")
            lines.append(f"{indent}{node_id} [shape=box, label={quote(chr(10).join(label))}];")
            for value in node.inputs:
                edges.append(f"{indent}{source(value)} -> {node_id} [label={quote(edge_label(value))}];")
            for v in node.outputs:
                ids[id(v)] = node_id
                if len(node.outputs) > 1:
                    labels[id(v)] = value_names[id(v)]
            for attr, value in sorted(node.attrs.items()):
                for sub in graphs_in(value):
                    self.links.append((node_id, id(sub), attr))
        for i, value in enumerate(graph.results):
            node_id = f"g{k}_r{i}"
            name = value_names.get(id(value), "?")
            label = f"return {i}: {name}\n{value.type}"
            lines.append(f"{indent}{node_id} [shape=house, label={quote(label)}];")
            edges.append(f"{indent}{source(value)} -> {node_id} [label={quote(edge_label(value))}];")
        if graph.params:
            self.anchors[id(graph)] = f"g{k}_p0"
        elif graph.nodes:
            self.anchors[id(graph)] = f"g{k}_n0"
        elif graph.results:
            self.anchors[id(graph)] = f"g{k}_r0"
        else:
            self.anchors[id(graph)] = f"g{k}_empty"
            lines.append(f"{indent}g{k}_empty [shape=plaintext, label=\"(empty)\"];")
        return lines + edges

    def write(self) -> str:
        graphs = list(self.programs.values())
        root, root_name = graphs[0]
        out = [f"digraph {quote(root_name)} {{",
               f"  graph [compound=true, labelloc=t, label={quote('func @' + root_name)}];",
               '  node [fontname="Courier", fontsize=10];',
               '  edge [fontname="Courier", fontsize=9];']
        out += self.graph_body(root, "  ")
        for k, (sub, name) in enumerate(graphs[1:], start=1):
            out.append(f"  subgraph cluster_{k} {{")
            out.append(f"    graph [style=rounded, label={quote('func @' + name)}];")
            out += self.graph_body(sub, "    ")
            out.append("  }")
        for node_id, sub, attr in self.links:
            k = self.index[sub]
            head = f", lhead=cluster_{k}" if k else ""  # the root graph is no cluster
            out.append(f"  {node_id} -> {self.anchors[sub]} [style=dashed{head}, label={quote(attr)}];")
        out.append("}")
        return "\n".join(out) + "\n"


def to_dot(graph: Graph) -> str:
    """`graph` and the graphs its attributes refer to, as a Graphviz `digraph` (see the module
    docstring for the drawing). The text ends with a newline."""
    return _Writer(graph).write()
