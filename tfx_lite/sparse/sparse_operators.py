"""SparseTensor's `*` and `/` with a dense operand (broadcast to the sparse shape): the result
has the sparse indices, and traces."""
from __future__ import annotations

import numpy as np

from compiler.ops.checks import dims as dims_text
from tfx_lite.framework import dtypes
from tfx_lite.framework.op_call import call, invalid_argument
from tfx_lite.framework.tensor import EagerTensor, Tensor
from tfx_lite.sparse.sparse_arguments import converted_argument, static_dims
from tfx_lite.sparse.sparse_index_checks import check_once, first_out_of_bounds
from tfx_lite.sparse.sparse_kernel_errors import NUMBER_TYPES, no_kernel, not_allowed
from tfx_lite.sparse.sparse_results import replace_values
from tfx_lite.sparse.sparse_tensor import SparseTensor


def sparse_dense_cwise(op: str, sp: SparseTensor, y) -> SparseTensor:
    """`sp * y` or `sp / y` (TF's __div__: integers divide with truncation) at sp's indices."""
    y = converted_argument(y, sp.dtype, "y")
    return replace_values(sp, _cwise_values(op, sp, y))


_TRUEDIV = {
    dtypes.uint8: dtypes.float32, dtypes.int8: dtypes.float32, dtypes.uint16: dtypes.float32,
    dtypes.int16: dtypes.float32, dtypes.uint32: dtypes.float64, dtypes.int32: dtypes.float64,
    dtypes.uint64: dtypes.float64, dtypes.int64: dtypes.float64, dtypes.bfloat16: None,
    dtypes.float16: None, dtypes.float32: None, dtypes.float64: None, dtypes.complex64: None,
    dtypes.complex128: None,
}


def sparse_dense_truediv(sp: SparseTensor, y) -> SparseTensor:
    """`sp / y`: integers divide in floating point, as tf.truediv does."""
    from tfx_lite.ops.array_ops import cast
    y = converted_argument(y, sp.dtype, "y")
    if sp.dtype not in _TRUEDIV:
        raise TypeError(f"Invalid dtype {sp.dtype!r} in __truediv__. Expected one of "
                        f"{{{', '.join(repr(d) for d in _TRUEDIV)}}}.")
    target = _TRUEDIV[sp.dtype]
    if target is not None:
        sp = replace_values(sp, cast(sp.values, target))
        y = cast(y, target)
    return replace_values(sp, _cwise_values("div", sp, y))


def _cwise_values(op: str, sp: SparseTensor, y: Tensor) -> Tensor:
    tf_name = "SparseDenseCwiseMul" if op == "mul" else "SparseDenseCwiseDiv"
    dtype = sp.dtype
    if dtype.is_complex:
        raise no_kernel(tf_name, f"T=DT_{dtype.name.upper()}")
    if not (dtype.is_integer or dtype.is_floating):
        raise not_allowed(tf_name, dtype, NUMBER_TYPES)
    dims = static_dims(sp, "a sparse * dense operation")
    dense_dims = y.shape.as_list()
    aligned = dims[len(dims) - len(dense_dims):] if len(dense_dims) <= len(dims) else None
    if aligned is None or any(d is not None and d != 1 and d != s
                              for d, s in zip(dense_dims, aligned)):
        raise invalid_argument(f"SparseDenseBinaryOpShared broadcasts dense to sparse only; got "
                               f"incompatible shapes: {dims_text(dims)} vs. {dims_text(dense_dims)}",
                               tf_name)

    def check(host):
        if first_out_of_bounds(host, dims) is not None:
            raise invalid_argument("Provided indices are out-of-bounds w.r.t. dense side with "
                                   "broadcasted shape", tf_name)
    check_once(sp, ("in_bounds", dims), check)
    if op == "div" and isinstance(y, EagerTensor) and isinstance(sp.indices, EagerTensor):
        dense = np.asarray(y._value)
        if not dense.all() and not _picked(np.asarray(sp.indices._value), dense).all():
            raise invalid_argument("SparseDenseCwiseDiv cannot divide by zero,but input dense "
                                   "tensor contains zero ", tf_name)
    return call(tf_name, "sparse_dense_cwise", sp.indices, sp.values, y, shape=dims, kind=op)


def _picked(host: np.ndarray, dense: np.ndarray) -> np.ndarray:
    """The dense operand's elements at the sparse indices (dense broadcast to the sparse shape)."""
    offset = host.shape[1] - dense.ndim
    return dense[tuple(np.zeros(len(host), np.int64) if dense.shape[k] == 1 else host[:, offset + k]
                       for k in range(dense.ndim))]
