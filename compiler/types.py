"""TensorType: the static type of an IR value (shape and numpy dtype), and its short text form."""
from __future__ import annotations

import numpy as np
import ml_dtypes

_SHORT_NAMES = {
    np.dtype(np.float16): "f16", np.dtype(ml_dtypes.bfloat16): "bf16", np.dtype(np.float32): "f32",
    np.dtype(np.float64): "f64", np.dtype(np.int8): "i8", np.dtype(np.int16): "i16",
    np.dtype(np.int32): "i32", np.dtype(np.int64): "i64", np.dtype(np.uint8): "u8",
    np.dtype(np.uint16): "u16", np.dtype(np.uint32): "u32", np.dtype(np.uint64): "u64",
    np.dtype(np.bool_): "bool", np.dtype(np.complex64): "c64", np.dtype(np.complex128): "c128",
    np.dtype(object): "str",
}
_FROM_SHORT = {v: k for k, v in _SHORT_NAMES.items()}


def short_dtype_name(dtype) -> str:
    return _SHORT_NAMES[np.dtype(dtype)]


def dtype_from_short_name(name: str) -> np.dtype:
    return _FROM_SHORT[name]


class TensorType:
    """Shape (a tuple of ints, None for an unknown dimension) and numpy dtype of a value."""

    __slots__ = ("shape", "dtype")

    def __init__(self, shape, dtype):
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype)

    def __eq__(self, other):
        return isinstance(other, TensorType) and self.shape == other.shape and self.dtype == other.dtype

    def __hash__(self):
        return hash((self.shape, self.dtype))

    def __repr__(self):
        dims = ",".join("?" if d is None else str(d) for d in self.shape)
        return f"{short_dtype_name(self.dtype)}[{dims}]"

    __str__ = __repr__

    @classmethod
    def of(cls, array) -> "TensorType":
        return cls(np.shape(array), array.dtype)
