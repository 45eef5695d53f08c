"""MirroredStrategy and OneDeviceStrategy: synchronous replicas on local devices."""
from __future__ import annotations

import jax

from tfx_lite.distribute.strategy import Strategy
from tfx_lite.framework.device import parse_device_spec


def local_devices(specs=None) -> list:
    """JAX devices for TF device strings (or device objects); by default every GPU, else every
    CPU (with virtual CPUs from tf.config.set_logical_device_configuration, all of them)."""
    if specs is None:
        gpus = [d for d in jax.local_devices() if d.platform in ("gpu", "cuda", "rocm")]
        return gpus or [d for d in jax.local_devices() if d.platform == "cpu"]
    devices = []
    for spec in ([specs] if isinstance(specs, str) else list(specs)):
        if not isinstance(spec, str):
            spec = getattr(spec, "name", spec)
        kind, index = parse_device_spec(spec)
        platform = {"CPU": ("cpu",), "GPU": ("gpu", "cuda", "rocm"), "TPU": ("tpu",)}[kind or "CPU"]
        of_kind = [d for d in jax.local_devices() if d.platform in platform]
        index = index or 0
        if index >= len(of_kind):
            raise ValueError(f"Unknown device {spec!r}: this machine has {len(of_kind)} {kind or 'CPU'} "
                             "device(s) (for more CPUs, tf.config.set_logical_device_configuration "
                             "before any tensor is created)")
        devices.append(of_kind[index])
    if len({d.id for d in devices}) != len(devices):
        raise ValueError(f"Each device can appear only once in a strategy's devices: {specs}")
    return devices


class MirroredStrategy(Strategy):
    """tf.distribute.MirroredStrategy(devices=None): one replica per device, variables
    replicated, batches split."""

    def __init__(self, devices=None, cross_device_ops=None):
        super().__init__(local_devices(devices))


class OneDeviceStrategy(Strategy):
    """tf.distribute.OneDeviceStrategy(device): everything on one device."""

    def __init__(self, device):
        super().__init__(local_devices([device]))
