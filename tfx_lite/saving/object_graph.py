"""The object graph of a checkpoint or SavedModel: trackable objects (tf.Module, Keras layers
and optimizers, tf.train.Checkpoint) and the variables and containers reachable from them by
named edges, as TF tracks them.

An object lists its children with `_trackable_children()` (attribute reflection for Modules and
optimizers: every attribute whose value is trackable or a list, tuple or dict holding some); a
list's children are named "0", "1", ..., a dict's by key. A variable's checkpoint key is its
shortest path from the root (breadth first, children in order) plus
`/.ATTRIBUTES/VARIABLE_VALUE`, as in TF: `net/layers/0/.ATTRIBUTES/VARIABLE_VALUE`.
"""
from __future__ import annotations

import collections

from tfx_lite.variables import Variable

VALUE_SUFFIX = "/.ATTRIBUTES/VARIABLE_VALUE"
OBJECT_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"


def is_trackable(value) -> bool:
    if isinstance(value, Variable) or hasattr(value, "_trackable_children"):
        return True
    if isinstance(value, dict):
        return any(is_trackable(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(is_trackable(v) for v in value)
    return False


def attribute_children(obj, ignore=frozenset()) -> list[tuple[str, object]]:
    """`obj`'s attributes that are trackable, by attribute name."""
    return [(key, value) for key, value in sorted(vars(obj).items())
            if key not in ignore and not key.startswith("__") and is_trackable(value)]


def children(obj) -> list[tuple[str, object]]:
    """The named children of one node of the graph."""
    if isinstance(obj, Variable):
        return []
    if isinstance(obj, dict):
        return [(str(k), v) for k, v in obj.items() if is_trackable(v)]
    if isinstance(obj, (list, tuple)):
        return [(str(i), v) for i, v in enumerate(obj) if is_trackable(v)]
    return list(obj._trackable_children())


class ObjectGraph:
    """The nodes reachable from `root` (breadth first, each once) and their named edges;
    `children_of(obj)` lists a node's children (by default `children`)."""

    def __init__(self, root, children_of=children):
        self.nodes: list = [root]
        self.edges: list[list[tuple[str, int]]] = []
        self.paths: list[tuple[str, ...]] = [()]
        index = {id(root): 0}
        queue = collections.deque([0])
        while queue:
            i = queue.popleft()
            edges = []
            for name, child in children_of(self.nodes[i]):
                j = index.get(id(child))
                if j is None:
                    j = index[id(child)] = len(self.nodes)
                    self.nodes.append(child)
                    self.paths.append(self.paths[i] + (name,))
                    queue.append(j)
                edges.append((name, j))
            self.edges.append(edges)
        # (edges are appended in node order: each node is dequeued once, in index order)

    def key(self, i: int) -> str:
        return "/".join(_escape(p) for p in self.paths[i]) + VALUE_SUFFIX

    def variables(self) -> list[tuple[int, Variable]]:
        return [(i, n) for i, n in enumerate(self.nodes) if isinstance(n, Variable)]

    def to_json(self, extra=None) -> list[dict]:
        """Per node: its children ([name, node], ...) and, for a variable, its checkpoint key;
        `extra(i, node)` may add entries."""
        out = []
        for i, node in enumerate(self.nodes):
            entry = {"children": [[name, j] for name, j in self.edges[i]]}
            if isinstance(node, Variable):
                entry["key"] = self.key(i)
            if extra is not None:
                entry.update(extra(i, node))
            out.append(entry)
        return out


def _escape(name: str) -> str:
    """A name as one path element (TF's escaping: "." doubled, "/" as ".S")."""
    return name.replace(".", "..").replace("/", ".S")
