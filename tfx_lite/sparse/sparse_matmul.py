"""tf.sparse.sparse_dense_matmul: a rank-2 SparseTensor times a dense matrix (or the other way
round), computed through the op table, so it traces."""
from __future__ import annotations

import numpy as np

from compiler.ops.checks import dims as dims_text
from tfx_lite.framework import dtypes
from tfx_lite.framework.op_call import call, invalid_argument, to_tensor
from tfx_lite.sparse.sparse_arguments import sparse_input, static_dims
from tfx_lite.sparse.sparse_index_checks import check_once
from tfx_lite.sparse.sparse_kernel_errors import dtype_mismatch, no_kernel
from tfx_lite.sparse.sparse_tensor import SparseTensor


def sparse_dense_matmul(sp_a, b, adjoint_a=False, adjoint_b=False, name=None):
    """A @ B with A a rank-2 SparseTensor (or B one, computed as (B' A')')."""
    if isinstance(b, SparseTensor):
        from tfx_lite.ops.array_ops import transpose as dense_transpose
        if adjoint_a != adjoint_b:
            return dense_transpose(sparse_dense_matmul(b, sp_a, adjoint_a, adjoint_b))
        return dense_transpose(sparse_dense_matmul(b, sp_a, adjoint_a=not adjoint_a,
                                                   adjoint_b=not adjoint_b))
    sp = sparse_input(sp_a)
    b = to_tensor(b)
    tf_name = "SparseTensorDenseMatMul"
    adjoint_a, adjoint_b = bool(adjoint_a), bool(adjoint_b)
    if b.dtype is not sp.dtype:
        raise dtype_mismatch(tf_name, 3, sp.dtype, b.dtype)
    if sp.dtype in (dtypes.string, dtypes.bool):
        raise no_kernel(tf_name, f"T=DT_{sp.dtype.name.upper()}, Tindices=DT_INT64, "
                                 f"adjoint_a={str(adjoint_a).lower()}, "
                                 f"adjoint_b={str(adjoint_b).lower()}")
    dims = static_dims(sp, "tf.sparse.sparse_dense_matmul")
    if len(dims) != 2:
        raise invalid_argument("Tensor 'a_shape' must have 2 elements", tf_name)
    if b.ndim != 2:
        raise invalid_argument("Tensor 'b' is not a matrix", tf_name)
    inner_left = dims[0 if adjoint_a else 1]
    inner_right = b.shape[1 if adjoint_b else 0]
    if inner_right is not None and inner_left != inner_right:
        raise invalid_argument(
            f"Cannot multiply A and B because inner dimension does not match: {inner_left} vs. "
            f"{inner_right}.  Did you forget a transpose?  Dimensions of A: [{dims[0]}, {dims[1]}).  "
            f"Dimensions of B: {dims_text(b.shape.as_list())}", tf_name)
    lhs = 1 if adjoint_a else 0

    def check(host):
        if host.size == 0:
            return
        m, k = host[:, lhs], host[:, 1 - lhs]
        bad_k = (k < 0) | (k >= dims[1 - lhs])
        bad_m = (m < 0) | (m >= dims[lhs])
        bad = bad_k | bad_m
        if bad.any():
            i = int(np.argmax(bad))
            if bad_k[i]:
                raise invalid_argument(f"k ({k[i]}) from index[{i},{1 - lhs}] out of bounds "
                                       f"(>={dims[1 - lhs]})", tf_name)
            raise invalid_argument(f"m ({m[i]}) from index[{i},{lhs}] out of bounds (>={dims[lhs]})",
                                   tf_name)
    check_once(sp, ("matmul", dims, adjoint_a), check)
    return call(tf_name, "sparse_dense_matmul", sp.indices, sp.values, b, shape=dims,
                adjoint_a=adjoint_a, adjoint_b=adjoint_b)
