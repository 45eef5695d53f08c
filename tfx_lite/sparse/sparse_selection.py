"""Choosing values by their indices: tf.sparse.slice, split, retain and fill_empty_rows.
Eager-only: the number of values follows the indices, which are read on the host; the values
are gathered through the op table, so gradients reach them."""
from __future__ import annotations

import numpy as np

from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.op_call import invalid_argument, to_tensor
from tfx_lite.ops.static_args import static_value
from tfx_lite.sparse.sparse_arguments import (
    host_value, sparse_input, static_axis, static_dims, static_ints,
)
from tfx_lite.sparse.sparse_results import indices_tensor, make_sparse, take_values
from tfx_lite.sparse.sparse_tensor import SparseTensor


def slice(sp_input, start, size, name=None):  # noqa: A001  (TF's name)
    """The values with start <= index < start + size, re-based at `start`; the dense shape is
    cut at the input's."""
    sp = sparse_input(sp_input)
    tf_name = "SparseSlice"
    dims = static_dims(sp, "tf.sparse.slice")
    rank = len(dims)
    start, size = static_ints(start, "start"), static_ints(size, "size")
    for what, v in (("start", start), ("size", size)):
        if len(v) != rank:
            raise invalid_argument(f"Expected {what} to be a vector of length {rank} but got length "
                                   f"{len(v)}", tf_name)
    host = host_value(sp.indices, "tf.sparse.slice")
    lo, hi = np.asarray(start, np.int64), np.asarray(start, np.int64) + np.asarray(size, np.int64)
    keep = ((host >= lo) & (host < hi)).all(axis=1) if rank else np.ones(len(host), bool)
    positions = np.nonzero(keep)[0]
    out_dims = [max(min(s + z, d) - s, 0) for s, z, d in zip(start, size, dims)]
    return make_sparse(host[keep] - lo, take_values(tf_name, sp.values, positions), out_dims)


def split(sp_input=None, num_split=None, axis=None, name=None):
    """`num_split` SparseTensors along `axis`; the first dim % num_split pieces are one longer."""
    sp = sparse_input(sp_input)
    dims = static_dims(sp, "tf.sparse.split")
    num = int(static_value(num_split, "num_split"))
    axis = static_axis(axis, len(dims), "Split", "SparseSplit")
    base, extra = divmod(dims[axis], num)
    pieces, begin = [], 0
    for k in range(num):
        length = base + (1 if k < extra else 0)
        start = [0] * len(dims)
        start[axis] = begin
        size = list(dims)
        size[axis] = length
        pieces.append(slice(sp, start, size))
        begin += length
    return pieces


def retain(sp_input, to_retain):
    """The values (and their indices) where the bool vector `to_retain` is true."""
    sp = sparse_input(sp_input)
    keep = to_tensor(to_retain)
    keep.shape.with_rank(1)
    n, m = sp.values.shape[0], keep.shape[0]
    if n is not None and m is not None and n != m:
        raise ValueError(f"Dimensions {n} and {m} are not compatible")
    positions = np.nonzero(host_value(keep, "tf.sparse.retain"))[0]
    host = host_value(sp.indices, "tf.sparse.retain")
    return SparseTensor._from_parts(indices_tensor(host[positions], host.shape[1]),
                                    take_values("SparseRetain", sp.values, positions),
                                    sp.dense_shape, sp.shape)


def fill_empty_rows(sp_input, default_value, name=None):
    """(SparseTensor with `default_value` at [row, 0, ...] for each row that had no value, rows
    in order; bool vector of the rows that were empty)."""
    sp = sparse_input(sp_input)
    default = convert_to_tensor(default_value, dtype=sp.dtype)
    dims = static_dims(sp, "tf.sparse.fill_empty_rows")
    host = host_value(sp.indices, "tf.sparse.fill_empty_rows")
    rows = dims[0]
    empty = np.ones(rows, bool)
    empty[host[:, 0][(host[:, 0] >= 0) & (host[:, 0] < rows)]] = False
    new_rows = np.nonzero(empty)[0]
    added = np.zeros((len(new_rows), len(dims)), np.int64)
    added[:, 0] = new_rows
    indices = np.concatenate([host, added]).reshape(-1, len(dims))
    positions = np.concatenate([np.arange(len(host)), np.full(len(new_rows), len(host))])
    order = np.argsort(indices[:, 0], kind="stable")
    values = take_values("SparseFillEmptyRows", sp.values, positions[order], default)
    return make_sparse(indices[order], values, dims), convert_to_tensor(empty)
