"""tf.distribute strategies on JAX's SPMD partitioning: a strategy is a one-axis device mesh
("replica"). Variables created in its scope are replicated on the mesh; distributed batches are
sharded along their first axis; compiled steps (tf.function, model.fit) take both as they are,
and XLA partitions the step and all-reduces the gradients (GSPMD). `run` maps a function over the
replicas with per-replica values (replica_map.py)."""
from __future__ import annotations

import contextlib
import functools

import jax
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec

from tfx_lite.distribute import context
from tfx_lite.distribute.reduce_op import ReduceOp
from tfx_lite.distribute.values import PerReplica, is_tensor_leaf, splits_evenly
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.tensor import EagerTensor, Tensor

AXIS = "replica"


class Strategy:
    """tf.distribute.Strategy over `devices` (JAX devices, one replica each)."""

    def __init__(self, devices):
        self._devices = list(devices)
        self._mesh = Mesh(np.array(self._devices, dtype=object), (AXIS,))
        self._replicated = NamedSharding(self._mesh, PartitionSpec())
        self._batch_sharded = NamedSharding(self._mesh, PartitionSpec(AXIS))

    @property
    def num_replicas_in_sync(self) -> int:
        return len(self._devices)

    @property
    def extended(self):
        return _Extended(self)

    @contextlib.contextmanager
    def scope(self):
        """Variables created inside are replicated on this strategy's devices."""
        context._SCOPES.append(self)
        try:
            yield self
        finally:
            context._SCOPES.remove(self)

    # --- placement ---
    def _place_variable(self, array):
        """A variable's value replicated on every device of the mesh. Over several processes
        the first one's value is taken (as TF's multi-worker strategy broadcasts initial values),
        so unseeded initializers agree."""
        if getattr(array, "sharding", None) == self._replicated:
            return array
        if jax.process_count() > 1:
            from jax.experimental import multihost_utils
            value = np.asarray(multihost_utils.broadcast_one_to_all(np.asarray(array)))
            return jax.make_array_from_callback(value.shape, self._replicated, lambda index: value[index])
        return jax.device_put(array, self._replicated)

    def _place_batch(self, array):
        """A global batch sharded along its first axis (replicated when that axis does not
        divide among the replicas)."""
        divisible = splits_evenly(np.shape(array), self.num_replicas_in_sync)
        return jax.device_put(array, self._batch_sharded if divisible else self._replicated)

    def _distribute_batch(self, structure):
        """Each tensor of `structure` placed as a global batch."""
        return jax.tree_util.tree_map(
            lambda t: EagerTensor(self._place_batch(convert_to_tensor(t)._value)), structure,
            is_leaf=is_tensor_leaf)

    # --- data ---
    def experimental_distribute_dataset(self, dataset, options=None):
        """Each global batch of `dataset` split among the replicas (PerReplica values)."""
        return DistributedDataset(self, dataset)

    def distribute_datasets_from_function(self, dataset_fn, options=None):
        from tfx_lite.distribute.input_context import InputContext
        return DistributedDataset(self, dataset_fn(InputContext(1, 0, self.num_replicas_in_sync)))

    def experimental_distribute_values_from_function(self, value_fn):
        from tfx_lite.distribute.replica import ValueContext
        return PerReplica([value_fn(ValueContext(i, self.num_replicas_in_sync))
                           for i in range(self.num_replicas_in_sync)])

    def experimental_local_results(self, value):
        if isinstance(value, PerReplica):
            return value.values
        return (value,)

    # --- reductions ---
    def reduce(self, reduce_op, value, axis=None):
        """`value`'s per-replica values reduced (SUM or MEAN) across replicas, and along `axis`
        of each (over the global batch) when given."""
        op = _reduce_op(reduce_op)
        from tfx_lite.ops import math_ops
        if not isinstance(value, PerReplica):
            if isinstance(value, (list, tuple, dict)):
                return jax.tree_util.tree_map(lambda v: self.reduce(op, v, axis), value,
                                              is_leaf=lambda x: isinstance(x, (Tensor, PerReplica)))
            if self.num_replicas_in_sync == 1 or op is ReduceOp.MEAN:
                value = convert_to_tensor(value)
                if axis is None:
                    return value
                return (math_ops.reduce_sum if op is ReduceOp.SUM else math_ops.reduce_mean)(value, axis)
            raise ValueError(f"A non-DistributedValues value {str(convert_to_tensor(value))} cannot be "
                             f"reduced with the given reduce op {op}.")
        if value._stacked is not None or (isinstance(value._global, EagerTensor) and
                                          splits_evenly(value._global.shape, self.num_replicas_in_sync)):
            return EagerTensor(_reduce_global(value, op.value, axis, self))
        values = [self._gathered(v) for v in value.values]
        if axis is None:
            total = math_ops.add_n(values) if len(values) > 1 else values[0]
            return total / len(values) if op is ReduceOp.MEAN else total
        # TF: each replica's value reduced along `axis`, then summed over the replicas; MEAN
        # divides by the number of elements along `axis` on all replicas together.
        sums = [math_ops.reduce_sum(v, axis) for v in values]
        total = math_ops.add_n(sums) if len(sums) > 1 else sums[0]
        if op is ReduceOp.SUM:
            return total
        count = sum(int(v.shape[axis]) for v in values)
        return total / math_ops.cast(count, total.dtype)

    def gather(self, value, axis):
        from tfx_lite.ops import array_ops
        return array_ops.concat([self._gathered(v) for v in self.experimental_local_results(value)], axis)

    def _gathered(self, value):
        """A per-replica value copied to the first device, where results are combined (as TF
        reduces to the host's device)."""
        t = convert_to_tensor(value)
        if isinstance(t, EagerTensor):
            return EagerTensor(jax.device_put(t._value, self._devices[0]))
        return t

    # --- running ---
    def run(self, fn, args=(), kwargs=None, options=None):
        """`fn` on each replica with its values of `args` (PerReplica values give each replica
        its own; other values are the same for all); returns PerReplica results."""
        from tfx_lite.distribute.replica_run import run_on_replicas
        return run_on_replicas(self, fn, tuple(args), dict(kwargs or {}))

    def __repr__(self):
        return f"<tfx_lite.distribute.{type(self).__name__} on {self.num_replicas_in_sync} device(s)>"


def _reduce_global(value, op, axis, strategy):
    """A PerReplica held as one global array (a sharded batch, or run's stacked results)
    reduced by one compiled computation on it: XLA combines the replicas, also across
    processes, and every process gets the (replicated) result."""
    n = strategy.num_replicas_in_sync
    if value._stacked is not None:
        array, stacked = value._stacked, True
    else:
        array, stacked = value._global._value, False
    return _reducer(op, axis, stacked, n, strategy._replicated)(array)


@functools.lru_cache(maxsize=None)
def _reducer(op, axis, stacked, n, out_sharding):

    def reduce(a):
        per_replica = a if stacked else a.reshape((n, a.shape[0] // n) + a.shape[1:])
        if axis is None:
            total = per_replica.sum(0)
            return total / n if op == "MEAN" else total
        inner = (axis % (per_replica.ndim - 1)) + 1  # the axis in one replica's value
        sums = per_replica.sum(inner).sum(0)
        if op == "SUM":
            return sums
        return sums / (per_replica.shape[inner] * n)
    return jax.jit(reduce, out_shardings=out_sharding)


def _reduce_op(op) -> ReduceOp:
    if isinstance(op, ReduceOp):
        return op
    try:
        return ReduceOp[str(op).upper()]
    except KeyError:
        raise ValueError(f"reduce_op must be tf.distribute.ReduceOp.SUM or MEAN, got {op!r}") from None


class _Extended:
    """strategy.extended: the devices."""

    def __init__(self, strategy):
        self._strategy = strategy

    @property
    def worker_devices(self):
        return tuple(_device_name(d) for d in self._strategy._devices)

    @property
    def parameter_devices(self):
        return self.worker_devices


def _device_name(device) -> str:
    kind = {"cpu": "CPU", "gpu": "GPU", "cuda": "GPU", "tpu": "TPU"}.get(device.platform, device.platform.upper())
    return f"/job:localhost/replica:0/task:0/device:{kind}:{device.id}"


class DistributedDataset:
    """A dataset whose elements are split among the replicas: iterating gives PerReplica values
    whose global tensors are sharded along the batch axis."""

    def __init__(self, strategy, dataset):
        self._strategy = strategy
        self._dataset = dataset

    @property
    def element_spec(self):
        return self._dataset.element_spec

    def __iter__(self):
        for element in self._dataset:
            yield self._strategy._per_replica_element(element)


def _per_replica(strategy, element):
    count = strategy.num_replicas_in_sync

    def leaf(t):
        t = convert_to_tensor(t)
        return PerReplica(global_value=EagerTensor(strategy._place_batch(t._value)), count=count)
    return jax.tree_util.tree_map(leaf, element, is_leaf=is_tensor_leaf)


Strategy._per_replica_element = _per_replica


class DefaultStrategy(Strategy):
    """What get_strategy() returns outside any scope: one replica, nothing placed."""

    def __init__(self):
        super().__init__(jax.devices()[:1])

    @contextlib.contextmanager
    def scope(self):
        yield self

    def _place_variable(self, array):
        return array

    def _place_batch(self, array):
        return array
