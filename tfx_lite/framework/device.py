"""Devices: TF device strings onto JAX devices, with TF's soft placement, and tf.config's
device listing."""
from __future__ import annotations

import contextlib
import re
from typing import NamedTuple

import jax

from tfx_lite.framework import errors

_DEVICE_TYPES = {"CPU": "cpu", "GPU": "gpu", "TPU": "tpu"}
_soft_placement = [True]


class PhysicalDevice(NamedTuple):
    name: str
    device_type: str


class LogicalDevice(NamedTuple):
    name: str
    device_type: str


def _jax_devices(device_type: str) -> list:
    platform = _DEVICE_TYPES[device_type]
    try:
        return list(jax.devices(platform))
    except RuntimeError:
        return []


def _tf_type(jax_device) -> str:
    return {"cpu": "CPU", "gpu": "GPU", "cuda": "GPU", "rocm": "GPU", "tpu": "TPU"}.get(
        jax_device.platform, jax_device.platform.upper())


def parse_device_spec(spec: str) -> tuple[str | None, int | None]:
    """('GPU', 0) from 'GPU:0', '/gpu:0', '/device:GPU:0' or '/job:localhost/.../device:GPU:0'.

    Raises ValueError for parts TF does not know, as tf.DeviceSpec does."""
    device_type = index = None
    for part in filter(None, spec.split("/")):
        fields = part.split(":")
        key = fields[0].lower()
        if key in ("job", "replica", "task") and len(fields) == 2:
            continue
        if key == "device":
            fields = fields[1:]
        kind = fields[0].upper() if fields else ""
        if kind not in _DEVICE_TYPES and kind != "*" or len(fields) > 2:
            raise ValueError(f"Unknown attribute '{fields[0] if fields else part}' is encountered while "
                             f"parsing the device spec: '{spec}'.")
        device_type = None if kind == "*" else kind
        if len(fields) == 2 and fields[1] != "*":
            if not re.fullmatch(r"\d+", fields[1]):
                raise ValueError(f"Unknown attribute '{part}' is encountered while parsing the device "
                                 f"spec: '{spec}'.")
            index = int(fields[1])
    return device_type, index


def resolve(spec: str):
    """The JAX device a TF device string names; with soft placement a missing device falls back
    to the CPU, without it a missing device is an InvalidArgumentError."""
    device_type, index = parse_device_spec(spec)
    if device_type is None:
        return None
    candidates = _jax_devices(device_type)
    if index is None:
        index = 0
    if index < len(candidates):
        return candidates[index]
    if _soft_placement[0]:
        return jax.devices("cpu")[0]
    raise errors.InvalidArgumentError(
        None, None,
        f"Could not satisfy device specification '{spec}': there is no {device_type}:{index} "
        f"(available: {', '.join(d.name for d in list_logical_devices())}). Enable soft placement "
        f"with tf.config.set_soft_device_placement(True) to fall back to the CPU.")


class _DeviceScope:
    def __init__(self, spec):
        self.spec = spec
        self._stack = contextlib.ExitStack()

    def __enter__(self):
        target = resolve(self.spec) if self.spec else None
        if target is not None:
            self._stack.enter_context(jax.default_device(target))
        return self.spec

    def __exit__(self, *exc):
        self._stack.close()
        return False


def device(device_name):
    """tf.device: ops and tensors created inside run on the named device."""
    if callable(device_name):
        raise RuntimeError("tf.device does not support functions when eager execution is enabled.")
    if device_name is not None and not isinstance(device_name, str):
        device_name = device_name.to_string()
    return _DeviceScope(device_name or "")


def device_name(jax_device) -> str:
    return f"/job:localhost/replica:0/task:0/device:{_tf_type(jax_device)}:{jax_device.id}"


def tensor_device_name(array) -> str:
    devices = getattr(array, "devices", None)
    if devices is None:  # host-side (string) arrays live on the CPU
        return "/job:localhost/replica:0/task:0/device:CPU:0"
    return device_name(next(iter(devices())))


def copy_to(tensor, spec: str):
    from tfx_lite.framework.tensor import EagerTensor
    target = resolve(spec)
    return EagerTensor(jax.device_put(tensor._value, target)) if target is not None else tensor


def list_physical_devices(device_type=None):
    """TF lists one physical CPU however many logical CPUs it is split into; listing it does
    not start JAX's backends (so tf.config.set_logical_device_configuration can follow).
    Other device types are JAX's devices of that platform."""
    out = []
    for kind in _DEVICE_TYPES:
        if device_type is not None and kind != device_type.upper():
            continue
        count = 1 if kind == "CPU" else len(_jax_devices(kind))
        out += [PhysicalDevice(f"/physical_device:{kind}:{i}", kind) for i in range(count)]
    return out


def list_logical_devices(device_type=None):
    """One logical device per JAX device: N virtual CPUs are N JAX CPU devices."""
    out = []
    for kind in _DEVICE_TYPES:
        if device_type is not None and kind != device_type.upper():
            continue
        out += [LogicalDevice(f"/device:{kind}:{i}", kind) for i in range(len(_jax_devices(kind)))]
    return out


def set_soft_device_placement(enabled: bool) -> None:
    _soft_placement[0] = bool(enabled)


def get_soft_device_placement() -> bool:
    return _soft_placement[0]
