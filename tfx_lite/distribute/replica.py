"""Replica contexts: inside `strategy.run`'s function, `tf.distribute.get_replica_context()` is
the ReplicaContext of the replica being traced; its collectives are ops over the replicas."""
from __future__ import annotations

import contextlib

from compiler import bind
from tfx_lite.distribute.reduce_op import ReduceOp
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.tensor import wrap

_CURRENT: list = []


def current_replica_context():
    return _CURRENT[-1] if _CURRENT else None


@contextlib.contextmanager
def replica_context(strategy):
    _CURRENT.append(ReplicaContext(strategy, replica_id=None))
    try:
        yield
    finally:
        _CURRENT.pop()


class ReplicaContext:
    """tf.distribute.ReplicaContext."""

    def __init__(self, strategy, replica_id):
        self._strategy = strategy
        self._replica_id = replica_id  # None: the replica being traced (an op gives its id)

    @property
    def strategy(self):
        return self._strategy

    @property
    def num_replicas_in_sync(self) -> int:
        return self._strategy.num_replicas_in_sync

    @property
    def replica_id_in_sync_group(self):
        if self._replica_id is not None:
            return convert_to_tensor(self._replica_id)
        return wrap(bind("replica_id"))

    def all_reduce(self, reduce_op, value, options=None):
        """`value` (a tensor or nest of them) summed or averaged over the replicas."""
        import jax
        from tfx_lite.distribute.strategy import _reduce_op
        op = _reduce_op(reduce_op)
        if self._replica_id is not None:  # one replica: nothing to combine
            return value
        return jax.tree_util.tree_map(
            lambda v: wrap(bind("all_reduce", convert_to_tensor(v)._value, reduce_op=op.value)), value,
            is_leaf=lambda x: hasattr(x, "dtype"))

    def merge_call(self, merge_fn, args=(), kwargs=None):
        return merge_fn(self._strategy, *args, **(kwargs or {}))


class ValueContext:
    """tf.distribute.experimental.ValueContext."""

    def __init__(self, replica_id_in_sync_group=0, num_replicas_in_sync=1):
        self.replica_id_in_sync_group = replica_id_in_sync_group
        self.num_replicas_in_sync = num_replicas_in_sync


__all__ = ["ReduceOp", "ReplicaContext", "ValueContext", "current_replica_context", "replica_context"]
