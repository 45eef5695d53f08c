"""A graph computing some values of another graph from some of its values: the nodes on a
path to `outputs`, cut at `inputs` (which become the parameters). TF1's Session.run prunes a
graph under construction this way for each (fetches, feeds) pair."""
from __future__ import annotations

from compiler.ir import Graph, Value


class MissingInput(Exception):
    """A value the outputs need is a parameter of the source graph that is not among `inputs`
    (in TF1 terms: a placeholder that was not fed)."""

    def __init__(self, value: Value):
        super().__init__(value.name)
        self.value = value


def _walk(source: Graph, inputs, outputs, defaults):
    """(the nodes computing `outputs` from `inputs`, in reverse order; the ids of the Values
    they evaluate; the defaults that apply, those of parameters not among `inputs`)."""
    stop = {id(v) for v in inputs}
    defaults = {k: v for k, v in (defaults or {}).items() if k not in stop}
    needed = set()

    def need(value_id):  # a defaulted parameter needs its default (computed earlier in the graph)
        needed.add(value_id)
        if value_id in defaults:
            needed.add(id(defaults[value_id]))

    for v in outputs:
        need(id(v))
    path = []
    for node in reversed(source.nodes):
        if any(id(o) in needed and id(o) not in stop for o in node.outputs):
            path.append(node)
            for x in node.inputs:
                need(id(x))
    return path, needed, defaults


def ancestors(source: Graph, inputs, outputs, defaults=None) -> set:
    """The ids of the Values of `source` that computing `outputs` from `inputs` evaluates."""
    return _walk(source, inputs, outputs, defaults)[1]


def extract(source: Graph, inputs, outputs, name: str = "pruned", defaults=None) -> Graph:
    """The pruned graph: parameters for `inputs`, results `outputs` (Values of `source`).
    `defaults` maps id(parameter of `source`) to a Value of `source` that stands for it when
    it is not among `inputs` (TF1's placeholder_with_default)."""
    path, needed, defaults = _walk(source, inputs, outputs, defaults)
    graph = Graph(name)
    env = {}
    for value in inputs:
        env[id(value)] = graph.add_param(value.type, value.name)
    for value in source.params:
        if id(value) in needed and id(value) not in env and id(value) not in defaults:
            raise MissingInput(value)
    for node in reversed(path):
        for x in node.inputs:
            if id(x) not in env and id(x) in defaults:
                env[id(x)] = env[id(defaults[id(x)])]
        new = graph.add_node(node.op, [env[id(x)] for x in node.inputs], dict(node.attrs),
                             [o.type for o in node.outputs], node.multi_output)
        for old, value in zip(node.outputs, new.outputs):
            env[id(old)] = value
    graph.results = [env[id(v)] if id(v) in env else env[id(defaults[id(v)])] for v in outputs]
    return graph
