"""strategy.run: the function is traced once for one replica (its inputs: one replica's slice of
each PerReplica value, the whole of any other tensor) and runs on every replica as one
`replica_map` op (jax.shard_map over the strategy's mesh), eagerly or inside a tf.function. The
variables it reads are the replicated ones; gradients applied by a Keras optimizer are summed
over the replicas first, so the replicas' updates agree and are written back once."""
from __future__ import annotations

import weakref

import jax

from compiler import bind, current_builder
from tfx_lite.distribute.replica import replica_context
from tfx_lite.distribute.values import PerReplica, splits_evenly
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.tensor import EagerTensor, SymbolicTensor, Tensor, wrap
from tfx_lite.framework.tensor_spec import TensorSpec

_SPLIT, _STACKED, _WHOLE, _STATIC = "split", "stacked", "whole", "static"


def _inputs(strategy, leaves):
    """Per leaf: (kind, global value or None, local spec)."""
    n = strategy.num_replicas_in_sync
    out = []
    for leaf in leaves:
        if isinstance(leaf, PerReplica):
            g = leaf._global
            if g is not None and splits_evenly(g.shape, n):
                value = g if isinstance(g, SymbolicTensor) else EagerTensor(strategy._place_batch(g._value))
                out.append((_SPLIT, value, TensorSpec([g.shape[0] // n, *g.shape[1:]], g.dtype)))
            else:
                values = [convert_to_tensor(v) for v in leaf.values]
                if len({(tuple(v.shape), v.dtype) for v in values}) != 1:
                    raise ValueError("strategy.run: the per-replica values of an argument must have "
                                     "one shape and dtype (XLA runs one program on every replica); "
                                     f"got {[str(v.shape) for v in values]}")
                from tfx_lite.ops.array_ops import stack
                value = stack(values)
                if isinstance(value, EagerTensor):
                    value = EagerTensor(strategy._place_batch(value._value))
                out.append((_STACKED, value, TensorSpec([1, *values[0].shape], values[0].dtype)))
        elif isinstance(leaf, Tensor) or hasattr(leaf, "__tf_tensor__"):
            t = convert_to_tensor(leaf)
            out.append((_WHOLE, t, TensorSpec(t.shape, t.dtype)))
        else:
            out.append((_STATIC, leaf, None))
    return out


def run_on_replicas(strategy, fn, args, kwargs):
    leaves, tree = jax.tree_util.tree_flatten(
        (args, kwargs), is_leaf=lambda x: isinstance(x, (PerReplica, Tensor)) or hasattr(x, "__tf_tensor__"))
    inputs = _inputs(strategy, leaves)
    layout = tuple((kind, value if kind == _STATIC else None) for kind, value, _ in inputs)
    specs = [spec for kind, _, spec in inputs if kind != _STATIC]
    concrete = _replica_function(strategy, fn, tree, layout).get_concrete_function(*specs)
    tensors = [value for kind, value, _ in inputs if kind != _STATIC]
    sharded = [kind in (_SPLIT, _STACKED) for kind, _, _ in inputs if kind != _STATIC]
    return _replica_map(strategy, concrete, tensors, sharded)


# fn -> {(strategy, argument structure, layout): its per-replica tf.function}, so that calling
# `run` again (eagerly, in a Python loop) reuses the trace and the compiled program.
_FUNCTIONS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _replica_function(strategy, fn, tree, layout):
    """The tf.function running `fn` for one replica, on arguments of structure `tree` whose
    leaves are, in order, `layout`'s (kind, Python value of a static leaf)."""
    try:
        per_fn = _FUNCTIONS.setdefault(fn, {})
        key = (id(strategy), tree, layout)
        hash(key)
    except TypeError:  # not weakly referable, or an unhashable Python argument: no reuse
        per_fn, key = {}, None
    function_ = per_fn.get(key) if key is not None else None
    if function_ is None:
        function_ = _new_replica_function(strategy, fn, tree, layout)
        if key is not None:
            per_fn[key] = function_
    return function_


def _new_replica_function(strategy, fn, tree, layout):
    from tfx_lite.autograph.calls import converted_target
    from tfx_lite.function import function
    user_fn = converted_target(fn) or fn

    def one_replica(*tensors):
        it = iter(tensors)
        rebuilt = []
        for kind, value in layout:
            if kind == _STATIC:
                rebuilt.append(value)
            else:
                t = next(it)
                rebuilt.append(t[0] if kind == _STACKED else t)
        a, k = jax.tree_util.tree_unflatten(tree, rebuilt)
        with replica_context(strategy):
            return user_fn(*a, **k)

    return function(one_replica, name=getattr(fn, "__name__", "replica_fn"), autograph=False)


def _replica_map(strategy, concrete, tensors, sharded):
    inner = concrete.optimized_graph
    builder = current_builder()
    first_capture = len(inner.params) - len(concrete._captures)
    captured = []
    for source, param in zip(concrete._captures, inner.params[first_capture:]):
        if builder is not None:
            value = builder.written(source) or builder.capture(source, param.type, param.name)
        else:
            value = strategy._place_variable(source._array)
        captured.append(value)
    values = [t._value if builder is not None else strategy._place_variable(t._value)
              if not s else t._value for t, s in zip(tensors, sharded)]
    outs = bind("replica_map", *values, *captured, fn=inner,
                devices=tuple(d.id for d in strategy._devices),
                sharded=tuple(sharded) + (False,) * len(captured), num_results=concrete._num_results)
    for variable, value in zip(concrete._updated, outs[concrete._num_results:]):
        if builder is not None:
            builder.write(variable, value)
        else:
            variable._store(EagerTensor(strategy._place_variable(value)), read_value=False)
    n = strategy.num_replicas_in_sync
    return concrete._structured(outs, lambda stacked: _rows(stacked, n))


def _rows(stacked, n):
    """A PerReplica of the rows of a per-replica result stacked along its first axis."""
    if current_builder() is not None:
        t = wrap(stacked)
        return PerReplica([t[i] for i in range(n)])
    return PerReplica(count=n, stacked=stacked)
