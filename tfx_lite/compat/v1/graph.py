"""tf.compat.v1.Graph: our IR under construction. While a graph is the default one, its builder
is active, so every op binds a node into it (the same tracer tf.function uses). Placeholders
are the graph's parameters."""
from __future__ import annotations

import contextlib
import weakref

import numpy as np

from compiler import GraphBuilder, TensorType, trace
from compiler.printer import print_graph
from tfx_lite.framework import dtypes
from tfx_lite.framework.convert import constant as eager_constant
from tfx_lite.framework.tensor import SymbolicTensor
from tfx_lite.framework.tensor_shape import as_shape


# TF's default node names for the ops whose name is not their op name in CamelCase.
_TF_NAMES = {"add": "add", "sub": "sub", "mul": "mul", "truediv": "truediv", "neg": "Neg",
             "reduce_sum": "Sum", "reduce_mean": "Mean", "reduce_max": "Max", "reduce_min": "Min",
             "reduce_prod": "Prod", "concat": "concat", "transpose": "transpose", "matmul": "MatMul"}


def _tf_name(op: str) -> str:
    return _TF_NAMES.get(op) or "".join(part.capitalize() for part in op.split("_"))


class _NamingBuilder(GraphBuilder):
    """A builder that gives each node output TF's default name (constants and placeholders are
    named by `constant` and `placeholder`)."""

    def __init__(self, graph: "Graph"):
        super().__init__("graph")
        self._v1 = graph

    def emit(self, name, args, attrs):
        outputs, multi = super().emit(name, args, attrs)
        controls = [u for updates in self._v1._controls for u in updates]
        if controls:  # ops under control_dependencies: computing them runs those updates
            for value in outputs:
                self._v1._assigns.setdefault(id(value), []).extend(controls)
        if name != "const":
            self._v1.named(outputs[0], _tf_name(name))
            for value in outputs[1:]:  # (TF would name them :1, :2, ...)
                value.name = outputs[0].name
        return outputs, multi


class Graph:
    """A TF1 graph: its builder records the ops; names are made unique as TF makes them."""

    def __init__(self):
        self._builder = _NamingBuilder(self)
        _BY_IR[id(self._builder.graph)] = self
        self._name_counts: dict = {}
        self._by_name: dict = {}  # "Placeholder:0" -> SymbolicTensor
        self._defaults: dict = {}  # id(placeholder Value) -> the Value it takes when not fed
        self._variables: list = []  # tf.compat.v1.Variables, in creation order
        self._assigns: dict = {}  # id(Value of an assign) -> [(variable, new value Value)]
        self._var_store: dict = {}  # get_variable's variables by scoped name
        self._scopes: list = []  # open variable scopes: (name, reuse, initializer)
        self._controls: list = []  # open control_dependencies blocks: their updates

    @contextlib.contextmanager
    def as_default(self):
        _GRAPHS.append(self)
        trace._BUILDERS.append(self._builder)
        try:
            yield self
        finally:
            trace._BUILDERS.remove(self._builder)
            _GRAPHS.remove(self)

    def unique_name(self, name: str) -> str:
        """`name`, or `name_N` when taken (TF compares names without case)."""
        key = name.lower()
        count = self._name_counts.get(key, 0)
        self._name_counts[key] = count + 1
        return name if count == 0 else f"{name}_{count}"

    def named(self, value, name: str) -> SymbolicTensor:
        """A tensor for `value` (an output of this graph) under TF's unique name `name`."""
        value.name = self.unique_name(name)
        tensor = SymbolicTensor(value)
        self._by_name[f"{value.name}:0"] = tensor
        return tensor

    def get_tensor_by_name(self, name: str) -> SymbolicTensor:
        tensor = self._by_name.get(name)
        if tensor is None:
            raise KeyError(f"The name '{name}' refers to a Tensor which does not exist. The operation, "
                           f"'{name.split(':')[0]}', does not exist in the graph.")
        return tensor

    def owns(self, tensor) -> bool:
        return isinstance(tensor, SymbolicTensor) and tensor._value.graph is self._builder.graph

    @property
    def ir(self):
        """The graph as our IR (parameters: the placeholders)."""
        return self._builder.graph

    def __str__(self):
        return print_graph(self._builder.graph)


def graph_of(tensor) -> Graph | None:
    """The v1 graph `tensor` belongs to (None for other tensors)."""
    if not isinstance(tensor, SymbolicTensor):
        return None
    graph = _BY_IR.get(id(tensor._value.graph))
    return graph if graph is not None and graph.ir is tensor._value.graph else None


_BY_IR = weakref.WeakValueDictionary()  # id(IR graph) -> its v1 Graph
_GLOBAL = [Graph()]  # the default graph when no `as_default` block is open
_GRAPHS: list = []  # graphs made default by `as_default` blocks, innermost last
_EAGER = [True]


def get_default_graph() -> Graph:
    return _GRAPHS[-1] if _GRAPHS else _GLOBAL[0]


def current_graph() -> Graph | None:
    """The v1 graph ops are being recorded into, if any."""
    builder = trace.current_builder()
    graph = get_default_graph()
    return graph if builder is not None and builder is graph._builder else None


def disable_eager_execution():
    """Graph mode: the default graph records every op from now on."""
    if _EAGER[0]:
        _EAGER[0] = False
        trace._BUILDERS.insert(0, _GLOBAL[0]._builder)


def enable_eager_execution(config=None, device_policy=None, execution_mode=None):
    if not _EAGER[0]:
        _EAGER[0] = True
        trace._BUILDERS.remove(_GLOBAL[0]._builder)


def disable_v2_behavior():
    disable_eager_execution()


def reset_default_graph():
    """A new, empty global default graph (TF refuses this inside an `as_default` block)."""
    if _GRAPHS:
        raise AssertionError("Do not use tf.reset_default_graph() to clear nested graphs. If you need "
                             "a cleared graph, exit the nesting and create a new graph.")
    old = _GLOBAL[0]
    _GLOBAL[0] = Graph()
    if not _EAGER[0]:
        trace._BUILDERS[trace._BUILDERS.index(old._builder)] = _GLOBAL[0]._builder


def constant(value, dtype=None, shape=None, name="Const"):
    """tf.constant; in graph mode a `const` node of the default graph, named as TF names it."""
    tensor = eager_constant(value, dtype, shape)
    graph = current_graph()
    if graph is None:
        return tensor
    return graph.named(graph._builder.constant(np.asarray(tensor._value)), name)


def placeholder(dtype, shape=None, name=None):
    """A graph parameter that Session.run must feed."""
    graph = current_graph()
    if graph is None:
        raise RuntimeError("tf.placeholder() is not compatible with eager execution.")
    dtype = dtypes.as_dtype(dtype)
    shape = as_shape(shape)
    if shape.rank is None:
        raise NotImplementedError(
            "tf.placeholder without a shape (unknown rank) is not supported by tfx_lite: XLA compiles "
            "for a known rank; give the shape, with None for the dimensions that vary")
    value = graph._builder.param(TensorType(tuple(shape.as_list()), dtype.as_numpy_dtype), None)
    return graph.named(value, name or "Placeholder")


def placeholder_with_default(input, shape, name=None):  # noqa: A002
    """A placeholder that takes `input`'s value when it is not fed."""
    graph = current_graph()
    if graph is None:
        raise RuntimeError("tf.placeholder_with_default() is not compatible with eager execution.")
    default = input if isinstance(input, SymbolicTensor) else constant(input)
    tensor = placeholder(default.dtype, shape, name or "PlaceholderWithDefault")
    graph._defaults[id(tensor._value)] = default._value
    return tensor
