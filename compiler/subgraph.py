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


def extract(source: Graph, inputs, outputs, name: str = "pruned") -> Graph:
    """The pruned graph: parameters for `inputs`, results `outputs` (Values of `source`)."""
    graph = Graph(name)
    env = {}
    for value in inputs:
        env[id(value)] = graph.add_param(value.type, value.name)
    needed = {id(v) for v in outputs if id(v) not in env}
    path = []
    for node in reversed(source.nodes):
        if any(id(o) in needed and id(o) not in env for o in node.outputs):
            path.append(node)
            needed.update(id(x) for x in node.inputs if id(x) not in env)
    for value in source.params:
        if id(value) in needed and id(value) not in env:
            raise MissingInput(value)
    for node in reversed(path):
        new = graph.add_node(node.op, [env[id(x)] for x in node.inputs], dict(node.attrs),
                             [o.type for o in node.outputs], node.multi_output)
        for old, value in zip(node.outputs, new.outputs):
            env[id(old)] = value
    graph.results = [env[id(v)] for v in outputs]
    return graph
