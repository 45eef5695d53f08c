"""Distributed values: PerReplica (one value per replica, what `strategy.run` returns and what a
distributed dataset yields) and the placement of global batches.

A distributed batch is held as one global array sharded along its first axis over the
strategy's mesh (`NamedSharding(mesh, P("replica"))`): compiled code takes it as it is, and XLA
partitions the computation (GSPMD). Its per-replica values are the shards each device holds."""
from __future__ import annotations

import jax
import numpy as np

from tfx_lite.framework.tensor import EagerTensor, SymbolicTensor, Tensor


class PerReplica:
    """tf.distribute.DistributedValues holding one value per replica (`values`): given as a list,
    or as a global tensor whose first axis the `count` replicas split (a distributed batch)."""

    def __init__(self, values=None, global_value=None, count=None, stacked=None):
        """`stacked`: a global array whose row i is replica i's value (what `run` returns)."""
        self._values = None if values is None else tuple(values)
        self._global = global_value
        self._stacked = stacked
        self._count = len(self._values) if values is not None else count

    @property
    def values(self):
        """The values of this process's replicas (all of them on one machine)."""
        if self._values is None:
            if self._stacked is not None:
                self._values = tuple(EagerTensor(s.data[0]) for s in self._stacked.addressable_shards)
            else:
                self._values = tuple(shards(self._global, self._count))
        return self._values

    def __repr__(self):
        inner = ",\n".join(f"  {i}: {v!r}" for i, v in enumerate(self.values))
        return "PerReplica:{\n" + inner + "\n}"


def _flatten(p):
    if p._stacked is not None:
        p.values  # noqa: B018  (a tf.function takes the per-replica values)
    if p._global is not None:
        return (p._global,), ("global", p._count)
    return p.values, ("values", p._count)


def _unflatten(aux, children):
    kind, count = aux
    if kind == "global":
        return PerReplica(global_value=children[0], count=count)
    return PerReplica(values=children)


# A pytree, so that a tf.function takes a distributed batch as its tensors (one trace for all).
jax.tree_util.register_pytree_node(PerReplica, _flatten, _unflatten)


def shards(tensor, count: int) -> list:
    """The per-replica pieces of a batch: its first axis split as TF splits a global batch
    (the first replicas get one more element when it does not divide)."""
    if isinstance(tensor, SymbolicTensor):
        n = tensor.shape[0]
        bounds = np.cumsum([0] + [len(p) for p in np.array_split(np.arange(n), count)])
        return [tensor[int(a):int(b)] for a, b in zip(bounds[:-1], bounds[1:])]
    array = tensor._value
    if not getattr(array, "is_fully_addressable", True) or (
            len(getattr(array, "addressable_shards", ())) == count and splits_evenly(array.shape, count)):
        return [EagerTensor(s.data) for s in array.addressable_shards]
    return [EagerTensor(part) for part in np.array_split(np.asarray(array), count)]


def splits_evenly(shape, count: int) -> bool:
    """Whether a batch of `shape` splits into `count` equal per-replica parts (one program of
    one shape runs on every replica)."""
    shape = tuple(shape)
    return len(shape) > 0 and shape[0] is not None and shape[0] % count == 0


def is_tensor_leaf(x) -> bool:
    return isinstance(x, Tensor)
