"""tf.GradientTape on jax.vjp: no per-op gradient rules.

While a tape records, it keeps the ops that involve watched values: eagerly, an observer of
`bind` (compiler.bind.EAGER_OBSERVERS) keeps each op whose inputs include a watched value or one
computed from it; while tracing, the nodes the graph gains meanwhile. `gradient` turns the kept
ops between the sources and the targets into a sub-graph and binds one `vjp` op over it
(compiler/ops/autodiff.py): eagerly a kernel compiled once per sub-graph structure, traced a node
of the IR. The `vjp` op is itself recorded by an enclosing tape (higher-order gradients).

Which recorded ops a gradient differentiates: compiler/gradient_graph.py.
"""
from __future__ import annotations

import contextlib
import enum

import jax
import jax.numpy as jnp
import numpy as np

from compiler import EAGER_OBSERVERS, TensorType, bind, current_builder
from compiler.gradient_graph import Recorded, differentiable, gradient_graph
from tfx_lite.framework.composite import CompositeTensor
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.tensor import Tensor, wrap

__all__ = ["GradientTape", "UnconnectedGradients"]

# Tapes that are recording, innermost last; variables report their reads to them.
_RECORDING: list["GradientTape"] = []


class UnconnectedGradients(enum.Enum):
    NONE = "none"
    ZERO = "zero"


def _is_variable(x) -> bool:
    from tfx_lite.variables import Variable
    return isinstance(x, Variable)


class GradientTape:
    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._persistent = bool(persistent)
        self._watch_accessed_variables = bool(watch_accessed_variables)
        self._reset_state()

    def _reset_state(self):
        self._ops: list = []          # eager: the _Ops kept
        self._values: dict = {}       # id -> value (array or Value) carrying gradient; kept alive
        self._variables: dict = {}    # id(variable) -> (variable, [values read from it])
        self._builder = None          # while tracing: the graph recorded, from node `_start`
        self._start = 0
        self._used = False

    # --- recording ---
    def __enter__(self):
        self._push()
        return self

    def __exit__(self, *exc):
        self._pop()

    def _push(self):
        builder = current_builder()
        if builder is not None and self._builder is None:
            self._builder, self._start = builder, len(builder.graph.nodes)
        if builder is None:
            EAGER_OBSERVERS.append(self._observe)
        _RECORDING.append(self)

    def _pop(self):
        if self in _RECORDING:
            _RECORDING.remove(self)
        if self._observe in EAGER_OBSERVERS:
            EAGER_OBSERVERS.remove(self._observe)

    @property
    def _recording(self) -> bool:
        return self in _RECORDING

    def _observe(self, op, inputs, attrs, out):
        """An eager op ran (compiler.bind): keep it when it reads a value carrying gradient."""
        values = self._values
        if not any(id(x) in values for x in inputs) or op == "stop_gradient":
            return
        multi = isinstance(out, tuple)
        outputs = out if multi else (out,)
        self._ops.append(Recorded(op, tuple(inputs), dict(attrs), outputs, multi))
        for o in outputs:
            if differentiable(o.dtype):
                values[id(o)] = o

    def watch(self, tensor):
        """Record gradients with respect to `tensor` (a tensor, a variable, or a nested structure)."""
        for leaf in _differentiable_parts(jax.tree_util.tree_leaves(tensor, is_leaf=_is_leaf)):
            if _is_variable(leaf):
                self._watch_variable(leaf, leaf.read_value()._value)
            else:
                value = convert_to_tensor(leaf)._value
                if differentiable(value.dtype):
                    self._values[id(value)] = value

    def _watch_variable(self, variable, value):
        entry = self._variables.setdefault(id(variable), (variable, []))
        if differentiable(value.dtype) and not any(v is value for v in entry[1]):
            entry[1].append(value)
            self._values[id(value)] = value

    def _variable_read(self, variable, value):
        """A variable was read while this tape records (from tfx_lite.variables); only reads in
        the tape's own context count (eager, or the graph it records)."""
        if not (id(variable) in self._variables or (self._watch_accessed_variables and variable.trainable)):
            return
        builder = current_builder()
        if builder is not self._builder:
            if self._builder is None or not _encloses(self._builder, builder):
                return
            # Read in a control-flow body: the body takes the value the tape's graph has.
            value = self._builder.written(variable) or self._builder.capture(
                variable, TensorType(variable._array.shape, variable._array.dtype), variable._name)
        self._watch_variable(variable, value)

    def watched_variables(self):
        return tuple(variable for variable, _ in self._variables.values())

    @contextlib.contextmanager
    def stop_recording(self):
        """Ops inside run but are not recorded (traced: annotated `_nograd`)."""
        if not self._recording:
            raise RuntimeError("Trying to stop recording a tape which is not recording.")
        builder = current_builder()
        self._pop()
        previous = None if builder is None else builder.annotations.get("_nograd")
        if builder is not None:
            builder.annotations["_nograd"] = True
        try:
            yield
        finally:
            if builder is not None:
                if previous is None:
                    builder.annotations.pop("_nograd", None)
                else:
                    builder.annotations["_nograd"] = previous
            self._push()

    def reset(self):
        """Forget everything recorded; a tape used as a context keeps recording."""
        recording = self._recording
        self._pop()
        self._reset_state()
        if recording:
            self._push()

    # --- gradients ---
    def gradient(self, target, sources, output_gradients=None,
                 unconnected_gradients=UnconnectedGradients.NONE):
        """d(sum of targets)/d(source) for each source (nested structures of tensors/variables).
        None (or zeros with UnconnectedGradients.ZERO) where a source does not reach a target."""
        if self._used and not self._persistent:
            raise RuntimeError("A non-persistent GradientTape can only be used to compute one set "
                               "of gradients (or jacobians)")
        self._used = True
        unconnected = UnconnectedGradients(unconnected_gradients)
        target_leaves = [convert_to_tensor(t) for t in _differentiable_parts(
            jax.tree_util.tree_leaves(target, is_leaf=_is_leaf))]
        structured_sources, source_tree = jax.tree_util.tree_flatten(sources, is_leaf=_is_leaf)
        source_leaves = _differentiable_parts(structured_sources)
        if output_gradients is None:
            cotangents = None
        else:
            cotangents = [convert_to_tensor(g, dtype=t.dtype)._value for g, t in zip(
                jax.tree_util.tree_leaves(output_gradients, is_leaf=_is_leaf), target_leaves)]
        grads = self._gradients([t._value for t in target_leaves], source_leaves, cotangents, batched=False)
        results = [_unconnected(s, unconnected) if g is None else wrap(g)
                   for s, g in zip(source_leaves, grads)]
        if not self._persistent:
            self._release()
        if len(source_leaves) != len(structured_sources) or any(
                isinstance(s, CompositeTensor) for s in structured_sources):
            results = _rebuild_composites(structured_sources, results)
        return jax.tree_util.tree_unflatten(source_tree, results)

    def jacobian(self, target, sources, unconnected_gradients=UnconnectedGradients.NONE,
                 parallel_iterations=None, experimental_use_pfor=True):
        """d(target[i...])/d(source[j...]) with shape target.shape + source.shape, per source (one
        batched vjp: jax.vmap over the pullback with one-hot cotangents)."""
        target = convert_to_tensor(target)
        size, shape = int(np.prod(target.shape.as_list(), dtype=np.int64)), tuple(target.shape.as_list())
        rows = bind("reshape", jnp.eye(size, dtype=target._value.dtype), shape=(size, *shape))
        return self._batched("jacobian", target, sources, rows, shape, 0, unconnected_gradients)

    def batch_jacobian(self, target, source, unconnected_gradients=UnconnectedGradients.NONE,
                       parallel_iterations=None, experimental_use_pfor=True):
        """d(target[b, i...])/d(source[b, j...]) with shape [b] + target.shape[1:] + source.shape[1:],
        assuming row b of the target depends only on row b of the source."""
        target = convert_to_tensor(target)
        shape = tuple(target.shape.as_list())
        if len(shape) < 1:
            raise ValueError(f"Need first dimension of `target` shape ({shape}) and `source` shape to match.")
        inner = int(np.prod(shape[1:], dtype=np.int64))
        rows = np.broadcast_to(np.eye(inner, dtype=target._value.dtype).reshape(inner, 1, *shape[1:]),
                               (inner, *shape))
        return self._batched("batch_jacobian", target, source, rows, shape, 1, unconnected_gradients)

    def _batched(self, what, target, sources, rows, shape, batch_dims, unconnected_gradients):
        if self._used and not self._persistent:
            raise RuntimeError("A non-persistent GradientTape can only be used to compute one set "
                               "of gradients (or jacobians)")
        self._used = True
        unconnected = UnconnectedGradients(unconnected_gradients)
        source_leaves, source_tree = jax.tree_util.tree_flatten(sources, is_leaf=_is_leaf)
        grads = self._gradients([target._value], source_leaves, [rows], batched=True)
        results = []
        for source, g in zip(source_leaves, grads):
            s_shape = tuple(_source_type(source).shape)
            if g is None:
                z = _unconnected(source, unconnected)
                results.append(None if z is None else wrap(bind(
                    "zeros", shape=shape + s_shape[batch_dims:], dtype=z.dtype.name)))
                continue
            g = wrap(g)  # [rows, *source.shape]
            if batch_dims:  # [inner, b, *s_rest] -> [b, *t_rest, *s_rest]
                rank = len(s_shape)
                g = wrap(bind("transpose", g._value, perm=(1, 0, *range(2, rank + 1))))
                g = wrap(bind("reshape", g._value, shape=(shape[0], *shape[1:], *s_shape[1:])))
            else:
                g = wrap(bind("reshape", g._value, shape=shape + s_shape))
            results.append(g)
        if not self._persistent:
            self._release()
        return jax.tree_util.tree_unflatten(source_tree, results)

    def _release(self):
        """A non-persistent tape drops what it holds once its gradient is taken."""
        self._ops, self._values = [], {}
        self._variables = {k: (v, []) for k, (v, _) in self._variables.items()}

    def _gradients(self, targets, source_leaves, cotangents, batched):
        """Per source leaf: its gradient (array or Value) or None when unconnected."""
        sources = []  # per leaf: the values standing for it (a variable: each value read)
        for leaf in source_leaves:
            if _is_variable(leaf):
                entry = self._variables.get(id(leaf))
                sources.append(list(entry[1]) if entry else [])
            elif isinstance(leaf, Tensor):
                value = leaf._value
                sources.append([value] if id(value) in self._values else [])
            else:
                raise AttributeError(f"'{type(leaf).__name__}' object has no attribute 'dtype': "
                                     f"sources must be tensors or variables, got {leaf!r}")
        flat = [v for vs in sources for v in vs]
        nodes = self._recorded_nodes()
        tensors = {id(vs[0]) for leaf, vs in zip(source_leaves, sources) if vs and not _is_variable(leaf)}
        graph, used_sources, externals, used_targets = gradient_graph(nodes, flat, targets, tensors)
        if not used_sources or not used_targets:
            return [None] * len(source_leaves)
        if cotangents is None:
            cts = [bind("ones_like", targets[i]) for i in used_targets]
        else:
            cts = [cotangents[i] for i in used_targets]
        outs = bind("vjp", *[flat[i] for i in used_sources], *externals, *cts, fn=graph,
                    num_sources=len(used_sources), num_targets=len(cts), batched=batched)
        by_value = {id(flat[i]): g for i, g in zip(used_sources, outs)}
        grads = []
        for vs in sources:
            parts = [by_value[id(v)] for v in vs if id(v) in by_value]
            total = parts[0] if parts else None
            for p in parts[1:]:
                total = bind("add", total, p)
            grads.append(total)
        return grads

    def _recorded_nodes(self):
        if self._builder is None:
            return self._ops
        builder = current_builder()
        if builder is not self._builder:
            raise NotImplementedError(
                "GradientTape.gradient must be called in the same function (or the same "
                "control-flow body) as the ops it records")
        return builder.graph.nodes[self._start:]


def _encloses(outer, builder) -> bool:
    while builder is not None:
        if builder is outer:
            return True
        builder = builder.parent
    return False


def _is_leaf(x):
    return isinstance(x, (Tensor, CompositeTensor)) or hasattr(x, "__tf_tensor__")


def _differentiable_parts(leaves):
    """Leaves with each composite (RaggedTensor, SparseTensor) replaced by its floating
    components (its values): gradients flow through those, never through its partitions."""
    out = []
    for leaf in leaves:
        if isinstance(leaf, CompositeTensor):
            out.extend(c for c in leaf._to_components() if c.dtype.is_floating or c.dtype.is_complex)
        else:
            out.append(leaf)
    return out


def _rebuild_composites(leaves, grads):
    """Per source leaf, its gradient: a composite's is the composite with its floating
    components replaced by their gradients (None when none of them is connected)."""
    grads, out = list(grads), []
    for leaf in leaves:
        if not isinstance(leaf, CompositeTensor):
            out.append(grads.pop(0))
            continue
        components = leaf._to_components()
        parts = [grads.pop(0) if c.dtype.is_floating or c.dtype.is_complex else c for c in components]
        floating = [p for p, c in zip(parts, components) if p is not c]
        out.append(None if all(p is None for p in floating) else leaf._type_spec._from_components(
            [p if p is not None else c * 0 for p, c in zip(parts, components)]))
    return out


def _source_type(source):
    if _is_variable(source):
        return source.read_value()
    return convert_to_tensor(source)


def _unconnected(source, unconnected):
    """The gradient of a source no target depends on: None, or zeros like it."""
    if unconnected is UnconnectedGradients.NONE:
        return None
    value = _source_type(source)
    return wrap(bind("zeros_like", value._value))


def variable_read(variable, value):
    """Called by tfx_lite.variables on every read while a tape records."""
    for tape in _RECORDING:
        tape._variable_read(variable, value)


def shared_with_another_source(variable, array) -> bool:
    """Whether a recording tape holds `array` as the value of something other than `variable`
    (another variable read, a watched tensor, an op's output)."""
    for tape in _RECORDING:
        if id(array) in tape._values:
            entry = tape._variables.get(id(variable))
            if entry is None or not any(v is array for v in entry[1]):
                return True
    return False


def recorded_by_tape(array) -> bool:
    """Whether a recording tape differentiates `array` (an eager control-flow body then takes it
    as an input rather than a constant, so the gradient flows through the op)."""
    return any(id(array) in tape._values for tape in _RECORDING)
