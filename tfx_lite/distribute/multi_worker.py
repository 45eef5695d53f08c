"""MultiWorkerMirroredStrategy on jax.distributed: the cluster comes from TF_CONFIG, as TF reads
it ({"cluster": {"worker": ["host:port", ...]}, "task": {"type": "worker", "index": i}}); the
first worker's address is JAX's coordinator, the number of workers its process count and the
task index this process's id. The strategy's mesh then spans every device of every process.
Without TF_CONFIG (or with one worker) it is a MirroredStrategy of this machine's devices."""
from __future__ import annotations

import json
import os

import jax

from tfx_lite.distribute.mirrored import local_devices
from tfx_lite.distribute.strategy import Strategy


def cluster_from_tf_config(text: str | None = None):
    """(coordinator address, number of processes, this process's id), or None for one worker."""
    text = os.environ.get("TF_CONFIG", "") if text is None else text
    if not text.strip():
        return None
    try:
        config = json.loads(text)
        workers = list(config.get("cluster", {}).get("worker", []))
        task = config.get("task", {})
    except (ValueError, AttributeError) as error:
        raise ValueError(f"TF_CONFIG is not TF's JSON cluster description: {error}") from None
    if task.get("type", "worker") not in ("worker", "chief"):
        raise ValueError(f"MultiWorkerMirroredStrategy runs workers; TF_CONFIG's task type is "
                         f"{task.get('type')!r}")
    if len(workers) <= 1:
        return None
    index = int(task.get("index", 0))
    if not 0 <= index < len(workers):
        raise ValueError(f"TF_CONFIG's task index {index} is not among its {len(workers)} workers")
    return workers[0], len(workers), index


class MultiWorkerMirroredStrategy(Strategy):
    """tf.distribute.MultiWorkerMirroredStrategy: synchronous replicas over several processes."""

    def __init__(self, communication_options=None, cluster_resolver=None):
        cluster = cluster_from_tf_config()
        if cluster is None:
            super().__init__(local_devices())
            return
        coordinator, count, index = cluster
        if not jax.distributed.is_initialized():
            # CPU devices of several processes need a collectives library to talk (gloo ships
            # with jaxlib); it must be chosen before JAX's backends start.
            jax.config.update("jax_cpu_collectives_implementation", "gloo")
            jax.distributed.initialize(coordinator_address=coordinator, num_processes=count,
                                       process_id=index)
        super().__init__(jax.devices())
