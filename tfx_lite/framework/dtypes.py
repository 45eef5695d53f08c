"""tf.DType and every TensorFlow dtype, each backed by a numpy dtype."""
from __future__ import annotations

import ml_dtypes
import numpy as np


class DType:
    """A TensorFlow element type. Prints as TF does: str `<dtype: 'float32'>`, repr `tf.float32`."""

    __slots__ = ("_name", "_np", "_enum")

    def __init__(self, name: str, np_dtype, enum: int):
        self._name = name
        self._np = np.dtype(np_dtype)
        self._enum = enum

    name = property(lambda self: self._name)
    as_numpy_dtype = property(lambda self: self._np.type)
    as_datatype_enum = property(lambda self: self._enum)
    base_dtype = property(lambda self: self)
    is_floating = property(lambda self: self._name in ("float16", "bfloat16", "float32", "float64"))
    is_integer = property(lambda self: self._name.startswith(("int", "uint")))
    is_unsigned = property(lambda self: self._name.startswith("uint") or self._name == "bool")
    is_complex = property(lambda self: self._name.startswith("complex"))
    is_bool = property(lambda self: self._name == "bool")
    is_quantized = property(lambda self: False)
    is_numeric = property(lambda self: self._name not in ("bool", "string"))
    is_numpy_compatible = property(lambda self: True)
    size = property(lambda self: 1 if self._name == "string" else self._np.itemsize)

    @property
    def real_dtype(self) -> "DType":
        return {"complex64": float32, "complex128": float64}.get(self._name, self)

    @property
    def min(self):
        if self.is_floating:
            return ml_dtypes.finfo(self._np).min if self._name == "bfloat16" else np.finfo(self._np).min
        if self.is_integer:
            return np.iinfo(self._np).min
        if self.is_bool:
            return False
        raise TypeError(f"Cannot find minimum value of {self!r}.")

    @property
    def max(self):
        if self.is_floating:
            return ml_dtypes.finfo(self._np).max if self._name == "bfloat16" else np.finfo(self._np).max
        if self.is_integer:
            return np.iinfo(self._np).max
        if self.is_bool:
            return True
        raise TypeError(f"Cannot find maximum value of {self!r}.")

    @property
    def limits(self):
        return self.min, self.max

    def is_compatible_with(self, other) -> bool:
        return self is as_dtype(other)

    def __eq__(self, other):
        if self is other:
            return True
        if other is None:
            return False
        try:
            return self is as_dtype(other)
        except TypeError:
            return False

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return self._enum

    def __repr__(self):
        return f"tf.{self._name}"

    def __str__(self):
        return f"<dtype: '{self._name}'>"

    def __reduce__(self):
        return as_dtype, (self._name,)


# Enum values are TensorFlow's DataType numbers.
float16 = half = DType("float16", np.float16, 19)
bfloat16 = DType("bfloat16", ml_dtypes.bfloat16, 14)
float32 = DType("float32", np.float32, 1)
float64 = double = DType("float64", np.float64, 2)
int8 = DType("int8", np.int8, 6)
int16 = DType("int16", np.int16, 5)
int32 = DType("int32", np.int32, 3)
int64 = DType("int64", np.int64, 9)
uint8 = DType("uint8", np.uint8, 4)
uint16 = DType("uint16", np.uint16, 17)
uint32 = DType("uint32", np.uint32, 22)
uint64 = DType("uint64", np.uint64, 23)
bool = DType("bool", np.bool_, 10)  # noqa: A001  (TensorFlow's name)
complex64 = DType("complex64", np.complex64, 8)
complex128 = DType("complex128", np.complex128, 18)
string = DType("string", object, 7)

ALL_DTYPES = (float16, bfloat16, float32, float64, int8, int16, int32, int64, uint8, uint16,
              uint32, uint64, bool, complex64, complex128, string)
_BY_NAME = {d.name: d for d in ALL_DTYPES}
_BY_NAME.update(half=float16, double=float64)
_BY_NUMPY = {d._np: d for d in ALL_DTYPES}
_BY_ENUM = {d.as_datatype_enum: d for d in ALL_DTYPES}
_BY_NUMPY[np.dtype("S")] = string
_BY_NUMPY[np.dtype("U")] = string


def from_numpy(np_dtype) -> DType:
    """The DType of a numpy dtype; fast path used on every op result."""
    try:
        return _BY_NUMPY[np_dtype]
    except KeyError:
        return as_dtype(np_dtype)


def as_dtype(type_value) -> DType:
    """tf.as_dtype: a DType from a DType, a name, a numpy dtype or type, or a TF enum number."""
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, str):
        if type_value in _BY_NAME:
            return _BY_NAME[type_value]
        raise TypeError(f"Cannot convert the argument `type_value`: {type_value!r} to a TensorFlow DType.")
    if isinstance(type_value, int) and not isinstance(type_value, type(True)) and type_value in _BY_ENUM:
        return _BY_ENUM[type_value]
    if type_value in (str, bytes):
        return string
    if type_value is float:
        return float64
    if type_value is int:
        return int64
    if type_value is complex:
        return complex128
    if type_value is type(True):
        return bool
    try:
        np_dtype = np.dtype(type_value)
    except TypeError:
        raise TypeError(f"Cannot convert value {type_value!r} to a TensorFlow DType.") from None
    if np_dtype.kind in "SUO":
        return string
    if np_dtype in _BY_NUMPY:
        return _BY_NUMPY[np_dtype]
    raise TypeError(f"Cannot convert value {type_value!r} to a TensorFlow DType.")
