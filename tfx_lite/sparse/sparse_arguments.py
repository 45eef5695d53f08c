"""Reading the arguments of the tf.sparse ops: the SparseTensor, static shapes and ints, values
on the host, and dense operands converted to the sparse dtype with TF's errors."""
from __future__ import annotations

import numpy as np

from compiler.errors import VALUE_DEPENDENT
from tfx_lite.framework import dtypes
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.op_call import invalid_argument
from tfx_lite.framework.tensor import EagerTensor, Tensor
from tfx_lite.ops.static_args import static_value
from tfx_lite.sparse.sparse_kernel_errors import dtype_mismatch
from tfx_lite.sparse.sparse_tensor import SparseTensor


def sparse_input(x) -> SparseTensor:
    if not isinstance(x, SparseTensor):
        raise TypeError("Input must be a SparseTensor.")
    return x


def static_dims(st: SparseTensor, what: str) -> tuple:
    """The static dense shape, which XLA needs: known eagerly, and from the spec when traced."""
    shape = st.shape
    if not shape.is_fully_defined():
        raise ValueError(f"{what} needs the dense shape of its SparseTensor to be known when the "
                         f"function is traced, got {shape}")
    return tuple(shape.as_list())


def static_ints(value, what: str) -> list:
    value = static_value(value, what)
    return [int(v) for v in (value if isinstance(value, list) else [value])]


def static_axis(axis, rank: int, what: str, tf_name: str) -> int:
    """`axis` in [-rank, rank), made non-negative; out of range is TF's "`what` dimension must
    be in range" error."""
    axis = int(static_value(axis, "axis"))
    if not -rank <= axis < rank:
        raise invalid_argument(f"{what} dimension must be in range [{-rank}, {rank}), got {axis}",
                               tf_name)
    return axis % rank


def host_value(t: Tensor, what: str) -> np.ndarray:
    """A value on the host, for ops whose result size follows it: eager, or computed from
    constants inside a traced function."""
    if isinstance(t, EagerTensor):
        return np.asarray(t._value)
    from tfx_lite.ops.array_ops import constant_value
    value = constant_value(t)
    if value is not None:
        return np.asarray(value)
    raise TypeError(f"{what} inside a tf.function: the size of its result {VALUE_DEPENDENT} (a "
                    "sparse tensor's indices or values), which XLA cannot compile; call it eagerly, "
                    "or use an op with a fixed result size (tf.sparse.to_dense, "
                    "sparse_dense_matmul, reduce_sum)")


def kernel_input(value, dtype: dtypes.DType, tf_name: str, index: int) -> Tensor:
    """`value` as a tensor of `dtype`: a tensor of another dtype is the kernel's
    InvalidArgumentError for input #`index`, a Python value that does not convert a TypeError."""
    if not isinstance(value, Tensor) and hasattr(value, "__tf_tensor__"):
        value = convert_to_tensor(value)
    if isinstance(value, Tensor):
        if value.dtype is not dtype:
            raise dtype_mismatch(tf_name, index, dtype, value.dtype)
        return value
    return convert_to_tensor(value, dtype=dtype)


def converted_argument(value, dtype: dtypes.DType, name: str) -> Tensor:
    """`value` as a tensor of `dtype`: a tensor of another dtype is the Python API's ValueError
    naming the argument."""
    if not isinstance(value, Tensor) and hasattr(value, "__tf_tensor__"):
        value = convert_to_tensor(value)
    if isinstance(value, Tensor):
        if value.dtype is not dtype:
            raise ValueError(f"{name}: Tensor conversion requested dtype {dtype.name} for Tensor "
                             f"with dtype {value.dtype.name}: {value!r}")
        return value
    return convert_to_tensor(value, dtype=dtype)
