"""tf.distribute on JAX sharding: strategies are one-axis device meshes; see strategy.py."""
import types as _types

from tfx_lite.distribute.context import (  # noqa: F401
    get_replica_context, get_strategy, has_strategy, in_cross_replica_context)
from tfx_lite.distribute.input_context import InputContext  # noqa: F401
from tfx_lite.distribute.mirrored import MirroredStrategy, OneDeviceStrategy  # noqa: F401
from tfx_lite.distribute.multi_worker import MultiWorkerMirroredStrategy  # noqa: F401
from tfx_lite.distribute.reduce_op import ReduceOp  # noqa: F401
from tfx_lite.distribute.replica import ReplicaContext, ValueContext
from tfx_lite.distribute.strategy import Strategy  # noqa: F401
from tfx_lite.distribute.values import PerReplica as DistributedValues  # noqa: F401

experimental = _types.ModuleType("tfx_lite.distribute.experimental",
                                 "tf.distribute.experimental: ValueContext, MultiWorkerMirroredStrategy.")
experimental.ValueContext = ValueContext
experimental.MultiWorkerMirroredStrategy = MultiWorkerMirroredStrategy

__all__ = ["DistributedValues", "InputContext", "MirroredStrategy", "MultiWorkerMirroredStrategy",
           "OneDeviceStrategy", "ReduceOp", "ReplicaContext", "Strategy", "experimental",
           "get_replica_context", "get_strategy", "has_strategy", "in_cross_replica_context"]
