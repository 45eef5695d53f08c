"""Building the results of the tf.sparse ops: SparseTensors from host or traced indices, and
values gathered through the op table (so gradients reach the input values)."""
from __future__ import annotations

import numpy as np

from tfx_lite.framework import dtypes
from tfx_lite.framework.convert import convert_to_tensor, scalar_tensor
from tfx_lite.framework.op_call import call
from tfx_lite.framework.tensor import EagerTensor, Tensor
from tfx_lite.framework.tensor_shape import TensorShape
from tfx_lite.sparse.sparse_tensor import SparseTensor


def int64_tensor(values) -> EagerTensor:
    return convert_to_tensor(np.asarray(values, np.int64))


def indices_tensor(host: np.ndarray, rank: int) -> EagerTensor:
    host = np.ascontiguousarray(host, np.int64)
    return convert_to_tensor(host if host.ndim == 2 else host.reshape(-1, rank))


def make_sparse(indices, values: Tensor, dims) -> SparseTensor:
    """A result SparseTensor: indices as a host array or tensor, a static dense shape."""
    dims = [int(d) for d in dims]
    if isinstance(indices, np.ndarray):
        indices = indices_tensor(indices, len(dims))
    return SparseTensor._from_parts(indices, values, int64_tensor(dims), TensorShape(dims))


def replace_values(sp: SparseTensor, values: Tensor) -> SparseTensor:
    """`sp`'s indices and dense shape with other values (one per index)."""
    return SparseTensor._from_parts(sp.indices, values, sp.dense_shape, sp.shape)


def zero(dtype: dtypes.DType) -> Tensor:
    if dtype is dtypes.string:
        return convert_to_tensor(b"")
    return scalar_tensor(False if dtype is dtypes.bool else 0, dtype)


def take_values(tf_name: str, values: Tensor, positions, fill=None) -> Tensor:
    """values[positions] (through the op table: gradients reach `values`); a position equal to
    len(values) gives `fill`."""
    fill = zero(values.dtype) if fill is None else fill
    return call(tf_name, "sparse_take", values, int64_tensor(positions), fill)
