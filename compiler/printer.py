"""The text form of a Graph:

    func @f(%x: f32[4,8], %y: f32[8,2]) -> (f32[4,2]) {
      %0 = matmul(%x, %y) {transpose_a=False, transpose_b=False} : f32[4,2]
      return %0
    }

Values are named deterministically (parameters by their names, the rest %0, %1, ...), so
printed text is stable enough to compare in tests. Constants of more than
INLINE_CONSTANT_LIMIT elements print as @cN, numbered in order of appearance; `graph_constants`
returns them in that order, and `compiler.parser.parse_graph(text, constants)` reads the text back.

Attribute values print as Python literals (repr), with these extra forms, all read back by the
parser: `inf`, `-inf` and `nan` (repr of the floats), small arrays as `array([...], float32)`
(plus the shape when the nested list loses it: `array([], float32, (0, 3))`), numpy dtypes by
name (`float32`), and Graph-valued attributes as `@name`. `print_program` prints a graph
followed by every graph its attributes refer to.
"""
from __future__ import annotations

import re

import numpy as np

from compiler.ir import Graph, graphs_in

INLINE_CONSTANT_LIMIT = 8

# Parameter names print bare when they match this; otherwise quoted (%'dense/kernel:0').
_BARE_NAME = re.compile(r"[A-Za-z_][\w.\-]*")
# Referenced sub-graphs must not be named like constants (@c0).
_CONSTANT_NAME = re.compile(r"c\d+")


def _is_array(value) -> bool:
    if isinstance(value, np.ndarray):
        return True
    return type(value).__module__.startswith("jax") and hasattr(value, "__array__") and hasattr(value, "dtype")


def _format_attr(value, constants: list, graph_names: dict | None = None) -> str:
    if _is_array(value):
        value = np.asarray(value)
        if value.size > INLINE_CONSTANT_LIMIT:
            constants.append(value)
            return f"@c{len(constants) - 1}"
        items = value.tolist()
        if np.shape(items) != value.shape:  # a zero-size array whose nested list loses the shape
            return f"array({items!r}, {value.dtype.name}, {value.shape!r})"
        return f"array({items!r}, {value.dtype.name})"
    if isinstance(value, np.dtype):
        return value.name
    if isinstance(value, Graph):
        name = graph_names.get(id(value), value.name) if graph_names else value.name
        return f"@{name}"
    # Containers recurse (so arrays, dtypes and graphs may nest); for plain literals the text is repr's.
    if type(value) is tuple:
        items = [_format_attr(v, constants, graph_names) for v in value]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if type(value) is list:
        return "[" + ", ".join(_format_attr(v, constants, graph_names) for v in value) + "]"
    if type(value) is dict:
        return "{" + ", ".join(f"{_format_attr(k, constants, graph_names)}: "
                               f"{_format_attr(v, constants, graph_names)}" for k, v in value.items()) + "}"
    return repr(value)


def _param_name(name: str) -> str:
    return "%" + (name if _BARE_NAME.fullmatch(name) else repr(name))


def _render(graph: Graph, constants: list, graph_names: dict | None = None) -> list[str]:
    """The printed lines of `graph` (header, one per node, return, closing brace); appends the
    large constants it meets to `constants`. Line 1 + i is node i."""
    names: dict[int, str] = {}
    used: set[str] = set()
    for i, p in enumerate(graph.params):
        name = p.name or f"arg{i}"
        while name in used:
            name += "_"
        used.add(name)
        names[id(p)] = _param_name(name)
    counter = 0
    lines = []
    for node in graph.nodes:
        outs = []
        for v in node.outputs:
            names[id(v)] = f"%{counter}"
            counter += 1
            outs.append(names[id(v)])
        ins = ", ".join(names.get(id(v), "%<undefined>") for v in node.inputs)
        attrs = ", ".join(f"{k}={_format_attr(v, constants, graph_names)}" for k, v in sorted(node.attrs.items()))
        attr_text = f" {{{attrs}}}" if attrs else ""
        if node.outputs:
            types = ", ".join(str(v.type) for v in node.outputs)
            lines.append(f"  {', '.join(outs)} = {node.op}({ins}){attr_text} : {types}")
        else:
            lines.append(f"  {node.op}({ins}){attr_text}")
    params = ", ".join(f"{names[id(p)]}: {p.type}" for p in graph.params)
    results = ", ".join(str(v.type) for v in graph.results)
    returned = ", ".join(names.get(id(v), "%<undefined>") for v in graph.results)
    name = graph_names.get(id(graph), graph.name) if graph_names else graph.name
    return [f"func @{name}({params}) -> ({results}) {{", *lines, f"  return {returned}", "}"]


def print_graph(graph: Graph) -> str:
    """The text of one function; sub-graphs in attributes print as `@name` only (see print_program)."""
    return "\n".join(_render(graph, []))


def graph_constants(graph: Graph) -> list[np.ndarray]:
    """The constants `print_graph(graph)` prints as @c0, @c1, ..., in that order."""
    constants: list = []
    _render(graph, constants)
    return constants


# --- programs: a graph and the sub-graphs its attributes refer to ---

def program_graphs(graph: Graph) -> dict[int, tuple[Graph, str]]:
    """`graph` and every graph reachable through Graph-valued attributes, each once, in the order
    their first mention appears in the printed program (breadth first), as id -> (graph, printed
    name). Distinct graphs sharing a name get `.1`, `.2`, ... appended."""
    found: dict[int, tuple[Graph, str]] = {}
    taken: set[str] = set()
    queue = [graph]
    while queue:
        g = queue.pop(0)
        if id(g) in found:
            continue
        name, k = g.name, 0
        while name in taken:
            k += 1
            name = f"{g.name}.{k}"
        if g is not graph and _CONSTANT_NAME.fullmatch(name):
            raise ValueError(f"a sub-graph may not be named {name!r}: @{name} would read as a constant")
        taken.add(name)
        found[id(g)] = (g, name)
        for node in g.nodes:
            for _, value in sorted(node.attrs.items()):
                queue.extend(sub for sub in graphs_in(value) if id(sub) not in found)
    return found


def _render_program(graph: Graph, constants: list) -> str:
    graphs = program_graphs(graph)
    names = {key: name for key, (_, name) in graphs.items()}
    return "\n\n".join("\n".join(_render(g, constants, names)) for g, _ in graphs.values())


def print_program(graph: Graph) -> str:
    """`graph`, then every graph its attributes refer to (recursively, each once, in order of first
    mention), separated by blank lines. Without sub-graphs this is `print_graph(graph)`."""
    return _render_program(graph, [])


def program_constants(graph: Graph) -> list[np.ndarray]:
    """The constants `print_program(graph)` prints as @c0, @c1, ..., numbered across all its funcs."""
    constants: list = []
    _render_program(graph, constants)
    return constants
