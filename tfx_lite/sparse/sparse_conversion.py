"""Between sparse and dense: tf.sparse.to_dense, from_dense and to_indicator. to_dense and
to_indicator trace; from_dense is eager-only (its number of values follows the data)."""
from __future__ import annotations

import numpy as np

from compiler.ops.checks import dims as dims_text
from tfx_lite.framework import dtypes
from tfx_lite.framework.op_call import call, invalid_argument, to_tensor
from tfx_lite.ops.static_args import static_value
from tfx_lite.sparse.sparse_arguments import host_value, kernel_input, sparse_input, static_dims
from tfx_lite.sparse.sparse_index_checks import (
    check_once, first_out_of_bounds, first_unordered, index_text,
)
from tfx_lite.sparse.sparse_results import indices_tensor, make_sparse, zero


def to_dense(sp_input, default_value=None, validate_indices=True, name=None):
    """The dense tensor: `values` at `indices`, `default_value` (zero) elsewhere. With
    `validate_indices`, indices must be in bounds, sorted and unique (TF's checks, eagerly)."""
    sp = sparse_input(sp_input)
    dims = static_dims(sp, "tf.sparse.to_dense")
    default = zero(sp.dtype) if default_value is None else \
        kernel_input(default_value, sp.dtype, "SparseToDense", 3)
    if default.ndim != 0:
        raise invalid_argument("default_value should be a scalar.", "SparseToDense")
    if validate_indices:
        check_once(sp, ("ordered", dims), lambda host: _check_ordered(host, dims))
    else:
        check_once(sp, ("in_bounds", dims), lambda host: _check_in_bounds(host, dims))
    return call("SparseToDense", "sparse_to_dense", sp.indices, sp.values, default, shape=dims)


def _check_ordered(host, dims):
    oob = first_out_of_bounds(host, dims)
    order = first_unordered(host)
    if oob is not None and (order is None or oob <= order[0]):
        raise invalid_argument(f"indices[{oob}] = {index_text(host[oob])} is out of bounds: need "
                               f"0 <= index < {index_text(dims)}", "SparseToDense")
    if order is not None:
        i, repeated = order
        if repeated:
            raise invalid_argument(f"indices[{i}] = {index_text(host[i])} is repeated", "SparseToDense")
        raise invalid_argument(f"indices[{i}] = {index_text(host[i])} is out of order. Many sparse ops "
                               "require sorted indices.\n    Use `tf.sparse.reorder` to create a "
                               "correctly ordered copy.\n\n", "SparseToDense")


def _check_in_bounds(host, dims):
    if first_out_of_bounds(host, dims) is not None:
        raise invalid_argument(f"Indices are not valid (out of bounds).  Shape: {dims_text(dims)}",
                               "SparseToDense")


def from_dense(tensor, name=None):
    """The SparseTensor of the non-zero elements of `tensor` (row-major order). Eager-only: the
    number of values depends on the data."""
    x = to_tensor(tensor)
    if x.ndim == 0:
        raise invalid_argument("WhereOp : Unhandled input dimensions: 0", "Where")
    host = host_value(x, "tf.sparse.from_dense")
    indices = np.argwhere(host != (b"" if x.dtype is dtypes.string else 0))
    values = call("GatherNd", "gather_nd", x, indices_tensor(indices, x.ndim), batch_dims=0)
    return make_sparse(indices, values, host.shape)


def to_indicator(sp_input, vocab_size, name=None):
    """A dense bool tensor [..., vocab_size]: True at (indices[i][:-1], values[i])."""
    from tfx_lite.ops import array_ops
    sp = sparse_input(sp_input)
    dims = static_dims(sp, "tf.sparse.to_indicator")
    vocab = int(static_value(vocab_size, "vocab_size"))
    ids = array_ops.cast(sp.values, dtypes.int64)
    indices = array_ops.concat([sp.indices[:, :-1], array_ops.expand_dims(ids, 1)], 1)
    out_dims = list(dims[:-1]) + [vocab]
    flags = array_ops.ones_like(ids, dtype=dtypes.bool)
    return to_dense(make_sparse(indices, flags, out_dims), default_value=False,
                    validate_indices=False)
