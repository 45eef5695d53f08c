"""tf.TensorSpec: the shape (dimensions may be None) and dtype a tensor must have."""
from __future__ import annotations

from tfx_lite.framework import dtypes
from tfx_lite.framework.tensor_shape import as_shape


class TensorSpec:
    __slots__ = ("_shape", "_dtype", "_name")

    def __init__(self, shape, dtype=dtypes.float32, name=None):
        self._shape = as_shape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._name = name

    shape = property(lambda self: self._shape)
    dtype = property(lambda self: self._dtype)
    name = property(lambda self: self._name)

    @classmethod
    def from_tensor(cls, tensor, name=None):
        return cls(tensor.shape, tensor.dtype, name)

    @classmethod
    def from_spec(cls, spec, name=None):
        return cls(spec.shape, spec.dtype, spec.name if name is None else name)

    def is_compatible_with(self, spec_or_tensor) -> bool:
        """Same dtype, and every known dimension equal (a tensor, spec or value)."""
        other_dtype = getattr(spec_or_tensor, "dtype", None)
        other_shape = getattr(spec_or_tensor, "shape", None)
        if other_dtype is None or other_shape is None:
            from tfx_lite.framework.convert import convert_to_tensor
            value = convert_to_tensor(spec_or_tensor)
            other_dtype, other_shape = value.dtype, value.shape
        return self._dtype == other_dtype and self._shape.is_compatible_with(other_shape)

    def most_specific_common_supertype(self, others):
        shape = self._shape
        for other in others:
            if other.dtype != self._dtype:
                return None
            shape = shape.most_specific_compatible_shape(other.shape)
        return TensorSpec(shape, self._dtype, self._name)

    def __eq__(self, other):
        return (type(other) is type(self) and self._shape == other._shape
                and self._dtype == other._dtype and self._name == other._name)

    def __hash__(self):
        return hash((self._shape, self._dtype, self._name))

    def __repr__(self):
        return f"TensorSpec(shape={self._shape}, dtype={self._dtype!r}, name={self._name!r})"
