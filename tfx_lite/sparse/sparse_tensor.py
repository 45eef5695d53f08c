"""tf.sparse.SparseTensor and tf.SparseTensorSpec: a tensor stored as the coordinates (`indices`,
int64 [N, rank]) and `values` ([N]) of its non-zero elements, with its `dense_shape` (int64
[rank]).

The three components are ordinary Tensors, so every sparse op is a computation on them through
the op table (compiler/ops/sparse.py): it runs eagerly, traces into a tf.function (where the
components are graph parameters and the static dense shape comes from the SparseTensorSpec), and
GradientTape gradients flow through `values`. Ops whose output size depends on the indices
(sparse + sparse, slice, retain, from_dense) plan the result on the host and are eager-only.
"""
from __future__ import annotations

import numpy as np

from tfx_lite.framework import dtypes
from tfx_lite.framework.composite import CompositeTensor, TypeSpec
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.tensor import EagerTensor, SymbolicTensor, Tensor
from tfx_lite.framework.tensor_shape import TensorShape, as_shape, unknown_shape
from tfx_lite.framework.tensor_spec import TensorSpec


class SparseTensor(CompositeTensor):
    """A sparse tensor: `values[i]` is the element at `indices[i]` of a tensor of `dense_shape`;
    every other element is zero."""

    __slots__ = ("_indices", "_values", "_dense_shape", "_shape", "_checked", "__weakref__")

    def __init__(self, indices, values, dense_shape):
        indices = _int64_tensor(indices, "indices")
        values = convert_to_tensor(values)
        static = _static_shape_of(dense_shape)
        dense_shape = _int64_tensor(dense_shape, "dense_shape")
        indices_shape = indices.shape.with_rank(2)
        values_shape = values.shape.with_rank(1)
        shape_shape = dense_shape.shape.with_rank(1)
        _assert_same_dim(indices_shape[0], values_shape[0])
        _assert_same_dim(indices_shape[1], shape_shape[0])
        self._indices = indices
        self._values = values
        self._dense_shape = dense_shape
        self._shape = static if static is not None else _static_shape(dense_shape)
        self._checked = None  # index checks already passed eagerly (sparse_index_checks.check_once)

    @classmethod
    def from_value(cls, sparse_tensor_value):
        if not isinstance(sparse_tensor_value, SparseTensor):
            raise TypeError(f"Argument sparse_tensor_value={sparse_tensor_value} is neither a "
                            "SparseTensor nor SparseTensorValue.")
        return cls(sparse_tensor_value.indices, sparse_tensor_value.values,
                   sparse_tensor_value.dense_shape)

    @classmethod
    def _from_parts(cls, indices, values, dense_shape, shape):
        """A SparseTensor from components the sparse ops made (already checked), and its static
        dense shape."""
        st = cls.__new__(cls)
        st._indices = indices
        st._values = values
        st._dense_shape = dense_shape
        st._shape = as_shape(shape)
        st._checked = None
        return st

    # --- properties -----------------------------------------------------------------------------
    @property
    def indices(self) -> Tensor:
        """The coordinates of the values: int64 [N, rank]."""
        return self._indices

    @property
    def values(self) -> Tensor:
        """The values, [N]."""
        return self._values

    @property
    def dense_shape(self) -> Tensor:
        """The shape of the dense tensor represented: int64 [rank]."""
        return self._dense_shape

    @property
    def dtype(self) -> dtypes.DType:
        return self._values.dtype

    @property
    def shape(self) -> TensorShape:
        """The static dense shape (dimensions unknown while traced are None)."""
        return self._shape

    def get_shape(self) -> TensorShape:
        return self._shape

    def set_shape(self, shape):
        self._shape = self._shape.merge_with(as_shape(shape))

    def with_values(self, new_values):
        """The same indices and dense shape with other values (of any dtype)."""
        st = SparseTensor(self._indices, new_values, self._dense_shape)
        st._shape = st._shape.merge_with(self._shape)
        return st

    @property
    def graph(self):
        if isinstance(self._indices, EagerTensor):
            raise AttributeError("Tensor.graph is undefined when eager execution is enabled.")
        return None

    def _numpy(self):
        """The dense value as a numpy array (eager only)."""
        if not all(isinstance(t, EagerTensor) for t in self._to_components()):
            raise ValueError("SparseTensor.numpy() is only supported in eager mode.")
        out = np.zeros(self._dense_shape.numpy(), dtype=self.dtype.as_numpy_dtype)
        for i, v in zip(self._indices.numpy().tolist(), self._values.numpy()):
            out[tuple(i)] = v
        return out

    # --- composite tensor -------------------------------------------------------------------------
    @property
    def _type_spec(self) -> "SparseTensorSpec":
        return SparseTensorSpec(self._shape, self.dtype)

    def _to_components(self) -> list:
        return [self._indices, self._values, self._dense_shape]

    def __repr__(self):
        return (f"SparseTensor(indices={self._indices!s}, values={self._values!s}, "
                f"dense_shape={self._dense_shape!s})")

    # --- operators: sparse (op) dense, with the dense side broadcast to the sparse shape ------
    def __mul__(self, other):
        from tfx_lite.sparse.sparse_operators import sparse_dense_cwise
        return sparse_dense_cwise("mul", self, other)

    def __rmul__(self, other):  # dense * sparse (TF's Tensor.__mul__ takes a sparse right side)
        if not isinstance(other, Tensor) and not hasattr(other, "__tf_tensor__"):
            return NotImplemented
        from tfx_lite.sparse.sparse_operators import sparse_dense_cwise
        return sparse_dense_cwise("mul", self, other)

    def __truediv__(self, other):
        from tfx_lite.sparse.sparse_operators import sparse_dense_truediv
        return sparse_dense_truediv(self, other)

    def __div__(self, other):
        from tfx_lite.sparse.sparse_operators import sparse_dense_cwise
        return sparse_dense_cwise("div", self, other)


class SparseTensorSpec(TypeSpec):
    """The type of a SparseTensor: its dense shape (dimensions may be None) and dtype."""

    __slots__ = ("_shape", "_dtype")

    def __init__(self, shape=None, dtype=dtypes.float32):
        self._shape = as_shape(shape)
        self._dtype = dtypes.as_dtype(dtype)

    shape = property(lambda self: self._shape)
    dtype = property(lambda self: self._dtype)
    value_type = property(lambda self: SparseTensor)

    def _serialize(self) -> tuple:
        return (self._shape, self._dtype)

    @property
    def _component_specs(self) -> list:
        rank = self._shape.rank
        return [TensorSpec([None, rank], dtypes.int64), TensorSpec([None], self._dtype),
                TensorSpec([rank], dtypes.int64)]

    def _to_components(self, value) -> list:
        return value._to_components()

    def _from_components(self, components):
        st = SparseTensor(*components)
        st._shape = st._shape.merge_with(self._shape)
        return st

    def _compatible(self, other) -> bool:
        return self._dtype == other._dtype and self._shape.is_compatible_with(other._shape)

    def most_specific_common_supertype(self, others):
        shape = self._shape
        for other in others:
            if type(other) is not SparseTensorSpec or other._dtype != self._dtype:
                return None
            shape = shape.most_specific_compatible_shape(other._shape)
        return SparseTensorSpec(shape, self._dtype)

    @classmethod
    def from_value(cls, value):
        if isinstance(value, SparseTensor):
            return cls(value.shape, value.dtype)
        raise TypeError("Expected SparseTensor or SparseTensorValue. Received: "
                        f"{value} of type {type(value).__name__}.")

    def __repr__(self):
        return f"SparseTensorSpec({self._shape!r}, {self._dtype!r})"


# --- construction helpers -----------------------------------------------------------------------
def _int64_tensor(value, name: str) -> Tensor:
    """`value` as an int64 tensor; a tensor of another dtype is TF's ValueError naming `name`."""
    if isinstance(value, TensorShape):
        value = value.as_list()
    if not isinstance(value, Tensor) and hasattr(value, "__tf_tensor__"):
        value = convert_to_tensor(value)
    if isinstance(value, Tensor):
        if value.dtype is not dtypes.int64:
            raise ValueError(f"{name}: Tensor conversion requested dtype int64 for Tensor with "
                             f"dtype {value.dtype.name}: {value!r}")
        return value
    return convert_to_tensor(value, dtype=dtypes.int64)


def _dims_shape(values) -> TensorShape:
    """TF's constant_value_as_shape: -1 is an unknown dimension."""
    return TensorShape([None if d == -1 else d for d in values])


def _static_shape_of(value) -> TensorShape | None:
    """The static dense shape of a Python list/tuple of ints (no device read), else None."""
    if isinstance(value, TensorShape):
        return value
    if type(value) in (list, tuple) and all(type(d) is int for d in value):
        return _dims_shape(value)
    return None


def _static_shape(dense_shape: Tensor) -> TensorShape:
    if isinstance(dense_shape, SymbolicTensor):
        from tfx_lite.ops.array_ops import constant_value
        value = constant_value(dense_shape)
        if value is None:
            return unknown_shape(dense_shape.shape[0])
    else:
        value = np.asarray(dense_shape._value)
    if value.ndim != 1:
        return unknown_shape()
    return _dims_shape(value.tolist())


def _assert_same_dim(a, b):
    if a is not None and b is not None and a != b:
        raise ValueError(f"Dimensions {a} and {b} are not compatible")


def is_sparse(x) -> bool:
    return isinstance(x, SparseTensor)
