"""tf.config's logical (virtual) device configuration, mapped onto JAX.

TF splits one physical device into several logical ones. On JAX the CPU can do the same:
N logical CPUs become N JAX CPU devices (the `jax_num_cpu_devices` option, the same as
XLA_FLAGS=--xla_force_host_platform_device_count=N), which lets multi-device code run on a
CPU-only machine. JAX fixes that count when its backends start, so, as in TF, the
configuration must be set before the first tensor is created. JAX cannot split a GPU, so a
GPU accepts only one configuration (a no-op).

TF raises RuntimeError once its runtime is initialized. Here the runtime counts as
initialized once a JAX array is alive. If JAX's backends have started (for example because
tf.config.list_physical_devices('GPU') had to probe them) but only the CPU backend is
up and no array lives on it, the CPU backend is restarted with the new device count.
"""
from __future__ import annotations

import collections

import jax

from tfx_lite.framework import device as _device


class LogicalDeviceConfiguration(
        collections.namedtuple("LogicalDeviceConfiguration",
                               ["memory_limit", "experimental_priority", "experimental_device_ordinal"])):
    """Configuration class for a logical device (tf.config.LogicalDeviceConfiguration).

    Fields:
      memory_limit: (optional) Maximum memory (in MB) for the logical device. GPU only; JAX
        cannot enforce it, so it is recorded and ignored.
      experimental_priority: (optional) GPU only; recorded and ignored.
      experimental_device_ordinal: (optional) GPU only; recorded and ignored.
    """
    __slots__ = ()

    def __new__(cls, memory_limit=None, experimental_priority=None, experimental_device_ordinal=None):
        return super().__new__(cls, memory_limit, experimental_priority, experimental_device_ordinal)


VirtualDeviceConfiguration = LogicalDeviceConfiguration

_virtual_device_map: dict = {}

_INITIALIZED_MESSAGE = "Virtual devices cannot be modified after being initialized"


def _backends_initialized() -> bool:
    from jax._src import xla_bridge
    check = getattr(xla_bridge, "backends_are_initialized", None)
    if check is not None:
        return check()
    return bool(getattr(xla_bridge, "_backends", None))


def _started_platforms() -> set:
    from jax._src import xla_bridge
    return set(getattr(xla_bridge, "_backends", {}) or {})


def _can_restart_cpu_backend() -> bool:
    """Only the CPU backend is up and nothing lives on it: restarting it loses nothing."""
    if not _started_platforms() <= {"cpu"}:
        return False
    try:
        from jax._src import distributed
        if distributed.global_state.client is not None:
            return False
        return not jax.live_arrays()
    except Exception:  # noqa: BLE001 - any doubt means: do not restart
        return False


def _set_cpu_device_count(n: int) -> None:
    if not _backends_initialized():
        jax.config.update("jax_num_cpu_devices", n)
        return
    current = len(jax.devices("cpu"))
    if current == n:
        return
    if _can_restart_cpu_backend():
        from jax.extend.backend import clear_backends
        clear_backends()
        jax.config.update("jax_num_cpu_devices", n)
        return
    raise RuntimeError(
        f"{_INITIALIZED_MESSAGE}\n(tfx_lite: JAX's CPU backend already runs with {current} device(s) and "
        f"tensors exist on it, so it cannot be given {n}. Call "
        f"tf.config.set_logical_device_configuration before creating any tensor, or start Python "
        f"with XLA_FLAGS=--xla_force_host_platform_device_count={n}.)")


def _check_known(dev) -> None:
    kind = getattr(dev, "device_type", None)
    known = _device.list_physical_devices(kind) if kind in ("CPU", "GPU", "TPU") else []
    if not isinstance(dev, tuple) or dev not in known:
        raise ValueError("Unrecognized device: %s" % repr(dev))


def get_logical_device_configuration(device):
    """The list of LogicalDeviceConfiguration set for a PhysicalDevice, or None if none was set."""
    _check_known(device)
    return _virtual_device_map.get(device)


def set_logical_device_configuration(device, logical_devices):
    """Split a PhysicalDevice into logical devices (tf.config.set_logical_device_configuration).

    On the CPU, N configurations give N JAX CPU devices, /device:CPU:0 ... /device:CPU:N-1.
    This must happen before any tensor is created, as in TF. A GPU takes one configuration
    at most: JAX cannot split a GPU into logical GPUs."""
    _check_known(device)
    if device.device_type == "CPU":
        for vdev in logical_devices:
            if vdev.memory_limit is not None:
                raise ValueError("Setting memory limit on CPU virtual devices is currently not supported")
            if vdev.experimental_priority is not None:
                raise ValueError("Setting experimental_priority on CPU virtual  devices is currently not "
                                 "supported")
            if vdev.experimental_device_ordinal is not None:
                raise ValueError("Setting experimental_device_ordinal on CPU virtual  devices is currently "
                                 "not supported")
    elif device.device_type == "GPU":
        for vdev in logical_devices:
            if vdev.memory_limit is None:
                raise ValueError("Setting memory limit is required for GPU virtual devices")
    else:
        raise ValueError("Virtual devices are not supported for %s" % device.device_type)

    if _virtual_device_map.get(device) == logical_devices:
        return

    count = len(logical_devices)
    if device.device_type == "CPU":
        if count == 0:
            raise ValueError("tfx_lite: at least one logical CPU is required; JAX cannot run without a "
                             "CPU device.")
        _set_cpu_device_count(count)
    elif count != 1:
        raise NotImplementedError(
            f"Logical GPUs are not supported on JAX: it cannot split {device.name} into {count} "
            f"logical devices (only one configuration per physical GPU, which is a no-op). To try "
            f"multi-device code, split the CPU instead: tf.config.set_logical_device_configuration("
            f"tf.config.list_physical_devices('CPU')[0], [tf.config.LogicalDeviceConfiguration()] * N).")
    _virtual_device_map[device] = logical_devices
