"""TF1 variables in a graph: a variable is external state the graph captures (a parameter its
Session feeds from the session's own values), assignments are Operations or tensors carrying
(variable, new value) updates that Session.run applies after computing them."""
from __future__ import annotations

import contextlib

import numpy as np

from compiler import TensorType
from compiler.trace import init_scope
from tfx_lite.compat.v1.graph import constant, current_graph, get_default_graph
from tfx_lite.framework import dtypes
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.tensor import SymbolicTensor


class Operation:
    """A TF1 op run for its effects: its variable updates, and those of the ops it groups."""

    def __init__(self, graph, name, updates=(), inputs=()):
        self.graph = graph
        self.name = graph.unique_name(name)
        self._updates = list(updates)
        self._inputs = list(inputs)

    def updates(self) -> list:
        out = []
        for op in self._inputs:
            out.extend(op.updates())
        return out + self._updates

    def run(self, feed_dict=None, session=None):
        from tfx_lite.compat.v1.session import get_default_session
        session = session or get_default_session()
        if session is None:
            raise ValueError("Cannot execute operation using `run()`: No default session is registered. Use "
                             "`with sess.as_default():` or pass an explicit session to `run(session=sess)`")
        session.run(self, feed_dict)

    def __repr__(self):
        return f"<tf.Operation '{self.name}' type=NoOp>"


def group(*inputs, name=None):
    """An Operation running all of `inputs` (Operations, or tensors carrying updates)."""
    graph = _graph("tf.group")
    ops = [x if isinstance(x, Operation) else Operation(graph, "update", graph._assigns.get(id(x._value), ()))
           for x in inputs]
    return Operation(graph, name or "group_deps", inputs=ops)


@contextlib.contextmanager
def control_dependencies(control_inputs):
    """Ops created inside run `control_inputs` first (their updates: assignments, train ops);
    None clears the enclosing blocks' dependencies."""
    graph = _graph("tf.control_dependencies")
    saved = graph._controls
    if control_inputs is None:
        graph._controls = []
    updates = []
    for x in control_inputs or ():
        if isinstance(x, Operation):
            updates += x.updates()
        else:
            value = convert_to_tensor(x)._value
            updates += graph._assigns.get(id(value), [])
    graph._controls = graph._controls + [updates]
    try:
        yield
    finally:
        graph._controls = saved


def no_op(name=None):
    return Operation(_graph("tf.no_op"), name or "NoOp")


def _graph(what):
    graph = current_graph()
    if graph is None:
        raise RuntimeError(f"{what} is for graph mode (disable_eager_execution() or Graph.as_default())")
    return graph


class Variable:
    """tf.compat.v1.Variable in a graph (outside graph mode, the eager tf.Variable)."""

    def __new__(cls, *args, **kwargs):
        if current_graph() is None:
            from tfx_lite.variables import Variable as EagerVariable
            return EagerVariable(*args, **{k: v for k, v in kwargs.items() if k != "use_resource"})
        return super().__new__(cls)

    def __init__(self, initial_value=None, trainable=True, name=None, dtype=None, shape=None, **unused):
        graph = _graph("this tf.Variable")
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        value = initial_value() if callable(initial_value) else initial_value
        if not isinstance(value, SymbolicTensor):
            value = constant(value, dtype)
        elif dtype is not None and dtypes.as_dtype(dtype) is not value.dtype:
            raise ValueError(f"initial_value has dtype {value.dtype.name}, not {dtypes.as_dtype(dtype).name}")
        self.graph = graph
        self._initial = value
        self._name = graph.unique_name(_scoped(graph, name or "Variable"))
        self.dtype = value.dtype
        self.shape = value.shape
        self.trainable = trainable
        self._read = graph._builder.capture(self, TensorType(tuple(value.shape.as_list()), value.dtype.as_numpy_dtype),
                                            self._name)
        graph._variables.append(self)
        graph._by_name[self.name] = SymbolicTensor(self._read)

    name = property(lambda self: f"{self._name}:0")
    op = property(lambda self: self)
    initial_value = property(lambda self: self._initial)

    @property
    def initializer(self) -> Operation:
        return Operation(self.graph, f"{self._name}/Assign", [(self, self._initial._value)])

    def read_value(self) -> SymbolicTensor:
        """The variable's value; under control_dependencies that assign it, the assigned value
        (TF reads it after those updates)."""
        for updates in reversed(self.graph._controls):
            for variable, value in reversed(updates):
                if variable is self:
                    return SymbolicTensor(value)
        return SymbolicTensor(self._read)

    value = read_value

    def __tf_tensor__(self, dtype=None, name=None):
        if dtype is not None and dtype is not self.dtype:
            raise ValueError(f"Tensor conversion requested dtype {dtype.name} for variable with dtype "
                             f"{self.dtype.name}: {self!r}")
        return self.read_value()

    def assign(self, value, use_locking=None, name=None, read_value=True):
        """A tensor holding the new value; running it stores that value in the session."""
        from tfx_lite.ops import array_ops
        new = convert_to_tensor(value, dtype=self.dtype)
        if not new.shape.is_compatible_with(self.shape):
            raise ValueError(f"Shapes {self.shape} and {new.shape} are incompatible")
        new = array_ops.identity(new)  # a node of its own: computing it is what assigns
        self.graph._assigns[id(new._value)] = [(self, new._value)]
        return new

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        return self.assign(self.read_value() + delta)

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        return self.assign(self.read_value() - delta)

    def eval(self, session=None):
        from tfx_lite.compat.v1.session import eval_tensor
        return eval_tensor(self.read_value(), session=session)

    def get_shape(self):
        return self.shape

    def __repr__(self):
        return f"<tf.Variable '{self.name}' shape={self.shape} dtype={self.dtype.name}>"


def _install_operators():
    from tfx_lite.variables import Variable as EagerVariable
    for name in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or", "xor"):
        for form in (f"__{name}__", f"__r{name}__"):
            setattr(Variable, form, getattr(EagerVariable, form))
    for name in ("__lt__", "__le__", "__gt__", "__ge__", "__neg__", "__abs__", "__getitem__"):
        if hasattr(EagerVariable, name):
            setattr(Variable, name, getattr(EagerVariable, name))


_install_operators()


def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    return ref.assign(value)


def assign_add(ref, value, use_locking=None, name=None):
    return ref.assign_add(value)


def assign_sub(ref, value, use_locking=None, name=None):
    return ref.assign_sub(value)


def global_variables(scope=None):
    return [v for v in get_default_graph()._variables if scope is None or v._name.startswith(scope)]


def trainable_variables(scope=None):
    return [v for v in global_variables(scope) if v.trainable]


def local_variables(scope=None):
    return []


def variables_initializer(var_list, name="init"):
    return Operation(_graph("tf.variables_initializer"), name, [(v, v._initial._value) for v in var_list])


def global_variables_initializer():
    return variables_initializer(global_variables())


def local_variables_initializer():
    return no_op("init")


# --- variable scopes and get_variable ---------------------------------------------------------
AUTO_REUSE = "AUTO_REUSE"


@contextlib.contextmanager
def variable_scope(name_or_scope, default_name=None, values=None, initializer=None, reuse=None, **unused):
    graph = get_default_graph()
    name = name_or_scope or default_name
    outer_reuse = graph._scopes[-1][1] if graph._scopes else None
    graph._scopes.append((name, reuse if reuse is not None else outer_reuse, initializer))
    try:
        yield _Scope(graph)
    finally:
        graph._scopes.pop()


class _Scope:
    def __init__(self, graph):
        self.name = "/".join(s[0] for s in graph._scopes)
        self.reuse = graph._scopes[-1][1]


def _scoped(graph, name):
    prefix = "/".join(s[0] for s in graph._scopes)
    return f"{prefix}/{name}" if prefix else name


def get_variable(name, shape=None, dtype=None, initializer=None, regularizer=None, trainable=True, **unused):
    """The variable `name` in the current variable scope: created on first use; an existing one
    only where the scope reuses (reuse=True or AUTO_REUSE), as TF1 requires."""
    graph = _graph("tf.get_variable")
    full = _scoped(graph, name)
    reuse = graph._scopes[-1][1] if graph._scopes else None
    existing = graph._var_store.get(full)
    if existing is not None:
        if not reuse:
            raise ValueError(f"Variable {full} already exists, disallowed. Did you mean to set reuse=True or "
                             "reuse=tf.AUTO_REUSE in VarScope?")
        return existing
    if reuse is True:
        raise ValueError(f"Variable {full} does not exist, or was not created with tf.get_variable(). Did you "
                         "mean to set reuse=tf.AUTO_REUSE in VarScope?")
    dtype = dtypes.as_dtype(dtype or dtypes.float32)
    initializer = initializer or next((s[2] for s in reversed(graph._scopes) if s[2] is not None), None)
    value = _initial_value(initializer, shape, dtype)
    graph._scopes_saved, graph._scopes = graph._scopes, []  # the name is already scoped
    try:
        variable = Variable(value, trainable=trainable, name=full, dtype=dtype)
    finally:
        graph._scopes = graph._scopes_saved
    graph._var_store[full] = variable
    return variable


def _initial_value(initializer, shape, dtype):
    """The initial value, computed now (as numpy): TF's default is glorot_uniform for floats,
    zeros otherwise."""
    if initializer is not None and not callable(initializer):
        return np.asarray(initializer, dtype=dtype.as_numpy_dtype)
    with init_scope():
        if initializer is None:
            from tfx_lite.keras import initializers
            initializer = initializers.GlorotUniform() if dtype.is_floating else initializers.Zeros()
        return np.asarray(initializer(list(shape or []), dtype=dtype))
