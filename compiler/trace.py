"""Tracing: a stack of GraphBuilders. While one is active, `bind` appends nodes to it."""
from __future__ import annotations

import contextlib

import numpy as np

from compiler.ir import Graph, Operand, Value, operand_attrs
from compiler.errors import OpInputError, rejection
from compiler.ops.registry import REGISTRY, node_types
from compiler.types import TensorType

_BUILDERS: list["GraphBuilder"] = []


def current_builder() -> "GraphBuilder | None":
    return _BUILDERS[-1] if _BUILDERS else None


@contextlib.contextmanager
def init_scope():
    """Run eagerly inside a trace (TF's tf.init_scope): no builder is active within, so values
    computed here (a lazily built layer's initial weights) are concrete."""
    saved = _BUILDERS[:]
    _BUILDERS.clear()
    try:
        yield
    finally:
        _BUILDERS[:] = saved


class GraphBuilder:
    """Records ops into `graph`. Concrete (non-Value) inputs are embedded as `const` nodes.

    `annotations` are attributes (names starting with `_`) added to every node emitted while
    they are set, e.g. `_nograd` under `tape.stop_recording()`.
    """

    def __init__(self, name: str = "main", parent: "GraphBuilder | None" = None):
        """`parent`: for a builder tracing a branch or loop body (a sub-graph of an op), the
        builder of the enclosing graph (None when the op runs eagerly). Values of enclosing graphs
        used in it become parameters (closures); external state enters through the parent."""
        self.graph = Graph(name)
        self.parent = parent
        self.annotations: dict = dict(parent.annotations) if parent is not None else {}
        # Values of enclosing graphs used here, in order: (value in the parent's graph, parameter).
        # The op holding this sub-graph passes each parent value as an extra input.
        self.closures: list[tuple[Value, Value]] = []
        self._closed: dict[int, Value] = {}
        # External state read here, in a sub-graph with a parent, in order: (source, the parent's
        # current value, parameter); passed like closures, or carried by a loop (see `entry`).
        self.entries: list[tuple[object, Value, Value]] = []
        self._entered: dict[int, Value] = {}
        # External state read while tracing (e.g. variables), in order: (source, parameter).
        # The caller passes each source's current value for its parameter at every call.
        self.captures: list[tuple[object, Value]] = []
        self._captured: dict[int, Value] = {}
        # New values of external state written while tracing, by source: the caller returns
        # them as extra results and writes them back after each call (for a sub-graph, the op
        # holding it threads them through, see tfx_lite/ops/control_flow_ops.py). Reads after a
        # write see the written value.
        self.writes: dict[int, tuple[object, Value]] = {}
        # For a sub-graph traced eagerly (no parent): which concrete arrays it uses become
        # parameters (closures) rather than constants, e.g. those a GradientTape differentiates.
        self.lift = None
        # State objects (e.g. variables) created while tracing.
        self.created: list = parent.created if parent is not None else []

    def __enter__(self):
        _BUILDERS.append(self)
        return self

    def __exit__(self, *exc):
        _BUILDERS.remove(self)

    def param(self, type: TensorType, name: str | None = None) -> Value:
        return self.graph.add_param(type, name)

    def capture(self, source, type: TensorType, name: str | None = None) -> Value:
        """The parameter standing for `source`'s value (one per source, created on first use).
        In a sub-graph, its `entry`."""
        if self.parent is not None:
            return self.entry(source, type, name)
        value = self._captured.get(id(source))
        if value is None:
            value = self._captured[id(source)] = self.param(type, name)
            self.captures.append((source, value))
        return value

    def entry(self, source, type: TensorType, name: str | None = None) -> Value:
        """The parameter standing for `source`'s value where this sub-graph starts, before its own
        writes (one per source, keyed by the source so that an op can turn it into a loop-carried
        value): it closes over the parent's current value (its write, or its capture). Without a
        parent, the capture."""
        if self.parent is None:
            return self.capture(source, type, name)
        param = self._entered.get(id(source))
        if param is None:
            outer = self.parent.written(source)
            if outer is None:
                outer = self.parent.capture(source, type, name)
            param = self._entered[id(source)] = self.param(outer.type, outer.name)
            self.entries.append((source, outer, param))
        return param

    def write(self, source, value) -> None:
        self.writes[id(source)] = (source, self.as_value(value))

    def written(self, source) -> Value | None:
        """The value of a write to `source` earlier in this trace (in an enclosing graph too)."""
        entry = self.writes.get(id(source))
        if entry is not None:
            return entry[1]
        if self.parent is None or (id(source) not in self._entered
                                   and self.parent.written(source) is None):
            return None
        return self.entry(source, None)

    def owns(self, value: Value) -> bool:
        """Whether `value` belongs to this graph or to an enclosing one."""
        builder = self
        while builder is not None:
            if value.graph is builder.graph:
                return True
            builder = builder.parent
        return False

    def close_over(self, value: Value) -> Value:
        """The parameter of this sub-graph standing for `value`, a value of an enclosing graph
        (created on first use, through every builder in between)."""
        if value.graph is self.graph:
            return value
        param = self._closed.get(id(value))
        if param is None:
            outer = value if value.graph is self.parent.graph else self.parent.close_over(value)
            param = self._closed[id(value)] = self.param(value.type, value.name)
            self.closures.append((outer, param))
        return param

    def constant(self, array) -> Value:
        array = np.asarray(array)
        return self.emit("const", (), {"value": array})[0][0]

    def as_value(self, x) -> Value:
        if isinstance(x, Value):
            if x.graph is not self.graph:
                if self.parent is not None and self.parent.owns(x):
                    return self.close_over(x)
                raise ValueError(
                    f"{x!r} belongs to another graph (graph {x.graph.name!r}, not "
                    f"{self.graph.name!r}) and is out of scope here; pass it in as an argument or "
                    "return it from its graph instead (a value kept in a Python list or attribute "
                    "while a branch or loop body was traced stays in that body: make it an output, "
                    "e.g. collect loop values in a tf.TensorArray)")
            return x
        if self.lift is not None and self.lift(x):
            return self._lifted(x)
        return self.constant(x)

    def _lifted(self, array) -> Value:
        """A parameter (closure) for a concrete outer array, instead of a constant."""
        param = self._closed.get(id(array))
        if param is None:
            param = self._closed[id(array)] = self.param(TensorType.of(array))
            self.closures.append((array, param))
        return param

    def emit(self, name: str, args, attrs: dict):
        """Append `name(*args) {attrs}`; returns its output Values (always a tuple) and whether
        the op returns a tuple."""
        if any(type(v) is Value for v in attrs.values()):  # known when lowered: operands
            attrs, args = dict(attrs), list(args)
            for k, v in attrs.items():
                if type(v) is Value:
                    attrs[k] = Operand(len(args))
                    args.append(v)
        inputs = tuple(self.as_value(a) for a in args)
        in_types = tuple(v.type for v in inputs)
        try:
            types, multi = node_types(name, in_types, attrs, inputs)
        except (TypeError, ValueError) as err:
            if operand_attrs(attrs):
                raise OpInputError(name, f"{name}: {err}", tracing=True) from None
            raise rejection(REGISTRY[name], [(t.shape, t.dtype) for t in in_types], attrs, err,
                            tracing=True) from None
        all_attrs = {**attrs, **self.annotations} if self.annotations else attrs
        node = self.graph.add_node(name, inputs, all_attrs, types, multi)
        return node.outputs, multi
