"""Tracing: a stack of GraphBuilders. While one is active, `bind` appends nodes to it."""
from __future__ import annotations

import numpy as np

from compiler.ir import Graph, Value
from compiler.errors import rejection
from compiler.ops.registry import REGISTRY, infer
from compiler.types import TensorType

_BUILDERS: list["GraphBuilder"] = []


def current_builder() -> "GraphBuilder | None":
    return _BUILDERS[-1] if _BUILDERS else None


class GraphBuilder:
    """Records ops into `graph`. Concrete (non-Value) inputs are embedded as `const` nodes.

    `annotations` are attributes (names starting with `_`) added to every node emitted while
    they are set, e.g. `_nograd` under `tape.stop_recording()`.
    """

    def __init__(self, name: str = "main"):
        self.graph = Graph(name)
        self.annotations: dict = {}
        # External state read while tracing (e.g. variables), in order: (source, parameter).
        # The caller passes each source's current value for its parameter at every call.
        self.captures: list[tuple[object, Value]] = []
        self._captured: dict[int, Value] = {}
        # New values of external state written while tracing, by source: the caller returns
        # them as extra results and writes them back after each call. Reads after a write see
        # the written value.
        self.writes: dict[int, tuple[object, Value]] = {}
        # State objects (e.g. variables) created while tracing.
        self.created: list = []

    def __enter__(self):
        _BUILDERS.append(self)
        return self

    def __exit__(self, *exc):
        _BUILDERS.remove(self)

    def param(self, type: TensorType, name: str | None = None) -> Value:
        return self.graph.add_param(type, name)

    def capture(self, source, type: TensorType, name: str | None = None) -> Value:
        """The parameter standing for `source`'s value (one per source, created on first use)."""
        value = self._captured.get(id(source))
        if value is None:
            value = self._captured[id(source)] = self.param(type, name)
            self.captures.append((source, value))
        return value

    def write(self, source, value) -> None:
        self.writes[id(source)] = (source, self.as_value(value))

    def written(self, source) -> Value | None:
        entry = self.writes.get(id(source))
        return None if entry is None else entry[1]

    def constant(self, array) -> Value:
        array = np.asarray(array)
        return self.emit("const", (), {"value": array})[0][0]

    def as_value(self, x) -> Value:
        if isinstance(x, Value):
            if x.graph is not self.graph:
                raise ValueError(f"{x!r} belongs to another graph (graph {x.graph.name!r}, "
                                 f"not {self.graph.name!r}); pass it in as an argument instead")
            return x
        return self.constant(x)

    def emit(self, name: str, args, attrs: dict):
        """Append `name(*args) {attrs}`; returns its output Values (always a tuple) and whether
        the op returns a tuple."""
        inputs = tuple(self.as_value(a) for a in args)
        if name == "const":
            value = attrs["value"]
            types, multi = (TensorType(value.shape, value.dtype),), False
        else:
            in_types = tuple(v.type for v in inputs)
            try:
                types, multi = infer(name, in_types, tuple(sorted(attrs.items())))
            except (TypeError, ValueError) as err:
                raise rejection(REGISTRY[name], [(t.shape, t.dtype) for t in in_types], attrs, err,
                                tracing=True) from None
        all_attrs = {**attrs, **self.annotations} if self.annotations else attrs
        node = self.graph.add_node(name, inputs, all_attrs, types, multi)
        return node.outputs, multi
