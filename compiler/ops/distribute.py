"""Ops across replicas: `replica_map` runs a sub-graph once per device of a one-axis mesh, each
replica on its slice of the sharded inputs (jax.shard_map); inside it `all_reduce` and
`replica_id` are the collectives over that axis.

    %0, %v = replica_map(%x, %w) {fn=@step, devices=(0, 1, 2, 3), sharded=(True, False), num_results=1}

`devices` are JAX device ids (the mesh, in order); `sharded[i]` tells whether input i is split
along its first axis (else every replica gets it whole). The first `num_results` results are
per-replica: stacked along a new first axis, one row per replica. The others are the new values
of replicated state (variables), the same on every replica, taken from replica 0.

`all_reduce` and `replica_id` have the effect "replica": their value depends on where they run,
so passes never fold them into constants (outside a replica_map they stand for themselves).
"""
from __future__ import annotations

import functools

import jax
import numpy as np
from jax import lax
from jax.sharding import Mesh, PartitionSpec

from compiler.ops.registry import defop

AXIS = "replica"


@functools.lru_cache(maxsize=None)
def mesh_of(devices: tuple) -> Mesh:
    by_id = {d.id: d for d in jax.devices()}
    return Mesh(np.array([by_id[i] for i in devices], dtype=object), (AXIS,))


@defop("replica_map")
def replica_map(*args, fn, devices, sharded, num_results):
    """`fn` on each replica (see the module docstring)."""
    from compiler.ops.control import _fn
    body = _fn(fn)

    def per_replica(*arrays):
        outs = tuple(body(*arrays))
        return tuple(o[None] for o in outs[:num_results]) + outs[num_results:]

    in_specs = tuple(PartitionSpec(AXIS) if s else PartitionSpec() for s in sharded)
    count = len(jax.eval_shape(per_replica, *[_local(a, s, len(devices)) for a, s in zip(args, sharded)]))
    out_specs = (PartitionSpec(AXIS),) * num_results + (PartitionSpec(),) * (count - num_results)
    mapped = jax.shard_map(per_replica, mesh=mesh_of(tuple(devices)), in_specs=in_specs,
                           out_specs=out_specs, check_vma=False)
    return tuple(mapped(*args))


def _local(array, sharded, count):
    shape = tuple(np.shape(array))
    if sharded:
        shape = (shape[0] // count,) + shape[1:]
    return jax.ShapeDtypeStruct(shape, array.dtype)


@defop("all_reduce", effect="replica")
def all_reduce(x, *, reduce_op, axis_name=AXIS):
    """The sum (or mean) of `x` over the replicas of the enclosing replica_map. Outside one (when
    only its type is asked) it is `x`."""
    try:
        return lax.psum(x, axis_name) if reduce_op == "SUM" else lax.pmean(x, axis_name)
    except NameError:
        return x


@defop("replica_id", effect="replica")
def replica_id(*, axis_name=AXIS):
    """This replica's index in the enclosing replica_map (int32); 0 outside one."""
    try:
        return lax.axis_index(axis_name).astype(np.int32)
    except NameError:
        return np.int32(0)
