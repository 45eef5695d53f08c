"""The text form of a Graph:

    func @f(%x: f32[4,8], %y: f32[8,2]) -> (f32[4,2]) {
      %0 = matmul(%x, %y) {transpose_a=False, transpose_b=False} : f32[4,2]
      return %0
    }

Values are named deterministically (parameters by their names, the rest %0, %1, ...), so
printed text is stable enough to compare in tests. Constants of more than
INLINE_CONSTANT_LIMIT elements print as @cN, numbered in order of appearance.
"""
from __future__ import annotations

import numpy as np

from compiler.ir import Graph

INLINE_CONSTANT_LIMIT = 8


def _format_attr(value, constants: list) -> str:
    if isinstance(value, np.ndarray):
        if value.size > INLINE_CONSTANT_LIMIT:
            constants.append(value)
            return f"@c{len(constants) - 1}"
        return f"array({value.tolist()!r}, {value.dtype.name})"
    if isinstance(value, np.dtype):
        return value.name
    if isinstance(value, Graph):
        return f"@{value.name}"
    return repr(value)


def print_graph(graph: Graph) -> str:
    names: dict[int, str] = {}
    used: set[str] = set()
    for i, p in enumerate(graph.params):
        name = p.name or f"arg{i}"
        while name in used:
            name += "_"
        used.add(name)
        names[id(p)] = "%" + name
    counter = 0
    lines = []
    constants: list = []
    for node in graph.nodes:
        outs = []
        for v in node.outputs:
            names[id(v)] = f"%{counter}"
            counter += 1
            outs.append(names[id(v)])
        ins = ", ".join(names.get(id(v), "%<undefined>") for v in node.inputs)
        attrs = ", ".join(f"{k}={_format_attr(v, constants)}" for k, v in sorted(node.attrs.items()))
        attr_text = f" {{{attrs}}}" if attrs else ""
        types = ", ".join(str(v.type) for v in node.outputs)
        lines.append(f"  {', '.join(outs)} = {node.op}({ins}){attr_text} : {types}")
    params = ", ".join(f"{names[id(p)]}: {p.type}" for p in graph.params)
    results = ", ".join(str(v.type) for v in graph.results)
    returned = ", ".join(names.get(id(v), "%<undefined>") for v in graph.results)
    return "\n".join([f"func @{graph.name}({params}) -> ({results}) {{", *lines,
                      f"  return {returned}", "}"])
