"""tf.sparse.reduce_sum and reduce_max. A dense result traces; output_is_sparse groups the
indices on the host (eager-only) and reduces the values by segment through the op table."""
from __future__ import annotations

import numpy as np

from tfx_lite.framework.op_call import call, invalid_argument
from tfx_lite.sparse.sparse_arguments import host_value, static_dims, static_ints
from tfx_lite.sparse.sparse_kernel_errors import NUMBER_TYPES, REAL_TYPES, not_allowed
from tfx_lite.sparse.sparse_results import int64_tensor, make_sparse
from tfx_lite.sparse.sparse_tensor import SparseTensor


def reduce_sum(sp_input, axis=None, keepdims=None, output_is_sparse=False, name=None):
    """Sum over `axis` (all axes for None); a dense Tensor, or a SparseTensor of the positions
    that had values with `output_is_sparse`."""
    return _reduce("sum", sp_input, axis, keepdims, output_is_sparse)


def reduce_max(sp_input, axis=None, keepdims=None, output_is_sparse=False, name=None):
    """Maximum over `axis` of the values present (implicit zeros take no part; a position with
    no values gives 0)."""
    return _reduce("max", sp_input, axis, keepdims, output_is_sparse)


def _axes(axis, rank: int, tf_name: str) -> tuple:
    if axis is None:
        return tuple(range(rank))
    axes = []
    for a in static_ints(axis, "axis"):
        if not -rank <= a < rank:
            raise invalid_argument(f"Invalid reduction dimension {a}, for input with {rank} "
                                   "dimensions.", tf_name)
        axes.append(a % rank)
    return tuple(sorted(set(axes)))


def _reduce(kind: str, sp_input, axis, keepdims, output_is_sparse):
    if not isinstance(sp_input, SparseTensor):
        raise AttributeError(f"'{type(sp_input).__name__}' object has no attribute 'indices'")
    sp = sp_input
    tf_name = ("SparseReduceSum" if kind == "sum" else "SparseReduceMax") + \
        ("Sparse" if output_is_sparse else "")
    dtype = sp.dtype
    if kind == "sum" and not (dtype.is_integer or dtype.is_floating or dtype.is_complex):
        raise not_allowed(tf_name, dtype, NUMBER_TYPES)
    if kind == "max" and not (dtype.is_integer or dtype.is_floating):
        raise not_allowed(tf_name, dtype, REAL_TYPES)
    dims = static_dims(sp, f"tf.sparse.reduce_{kind}")
    axes = _axes(axis, len(dims), tf_name)
    keepdims = bool(keepdims)
    if not output_is_sparse:
        return call(tf_name, "sparse_reduce", sp.indices, sp.values, shape=dims, axes=axes,
                    keepdims=keepdims, reducer=kind)
    host = host_value(sp.indices, f"tf.sparse.reduce_{kind}(output_is_sparse=True)")
    kept = [d for d in range(len(dims)) if d not in axes]
    keys = host[:, kept]
    if len(keys):
        groups, ids = np.unique(keys, axis=0, return_inverse=True)
    else:
        groups, ids = keys, np.zeros(0, np.int64)
    op, attrs = ("segment_sum", {}) if kind == "sum" else ("segment_max", {"empty_zero": True})
    values = call(tf_name, op, sp.values, int64_tensor(ids.reshape(-1)), num_segments=len(groups),
                  **attrs)
    if keepdims:
        indices = np.zeros((len(groups), len(dims)), np.int64)
        indices[:, kept] = groups
        out_dims = [1 if d in axes else dims[d] for d in range(len(dims))]
    else:
        indices, out_dims = groups, [dims[d] for d in kept]
    return make_sparse(indices, values, out_dims)
