"""RaggedTensor.__getitem__: TF's ragged indexing. The first index picks or slices rows; a slice
on a ragged dimension slices every row; an integer index into a ragged dimension is refused,
as TF does. Row boundaries are read on the host (eager-only)."""
from __future__ import annotations

import numbers

import numpy as np

from tfx_lite.framework import errors
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.tensor import Tensor
from tfx_lite.ragged.ragged_tensor import RaggedTensor, _host, is_ragged


def array_ops():
    from tfx_lite.ops import array_ops
    return array_ops


def _index(key):
    if isinstance(key, Tensor):
        if key.shape.rank != 0 or not key.dtype.is_integer:
            return None
        key = key.numpy()
    if isinstance(key, (numbers.Integral, np.integer)) and not isinstance(key, bool):
        return int(key)
    return None


def ragged_getitem(rt: RaggedTensor, key):
    key = key if isinstance(key, tuple) else (key,)
    for k in key:
        if not (k is None or k is Ellipsis or isinstance(k, slice) or _index(k) is not None):
            raise TypeError("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
                            f"tf.int32/tf.int64 tensors are valid indices, got {k!r}")
    if key and key[0] is None:
        return array_ops().expand_dims(ragged_getitem(rt, key[1:]), 0)
    if len(key) >= 2 and key[1] is None and key[0] == slice(None) and len(key) == 2:
        return array_ops().expand_dims(rt, 1)
    if any(k is None for k in key):
        raise NotImplementedError("tf.newaxis after the first index of a RaggedTensor is not supported "
                                  "in tfx_lite")
    at = next((i for i, k in enumerate(key) if k is Ellipsis), None)
    if at is not None:
        fill = rt.shape.rank - (len(key) - 1)
        key = key[:at] + (slice(None),) * max(fill, 0) + key[at + 1:]
    if len(key) > rt.shape.rank:
        raise errors.InvalidArgumentError(None, None, f"Too many indices for RaggedTensor: {len(key)} "
                                          f"indices for a tensor of rank {rt.shape.rank}")
    if not key:
        return rt
    first, rest = key[0], key[1:]
    i = _index(first)
    if i is not None:
        row = _row(rt, i)
        return _apply(row, rest)
    if isinstance(first, slice):
        rows = rt if first == slice(None) else _slice_rows(rt, first)
        return _slice_inner(rows, rest) if rest else rows
    raise TypeError(f"Cannot index a RaggedTensor with {first!r}: expected an int or a slice")


def _apply(value, key):
    if not key:
        return value
    if is_ragged(value):
        return ragged_getitem(value, key)
    return value[key]


def _row(rt, i):
    splits = _host(rt.row_splits, "Indexing a row of a RaggedTensor")
    nrows = len(splits) - 1
    if i >= nrows:
        raise IndexError(f"Row key {i} out of bounds")
    if i < -nrows:
        raise errors.InvalidArgumentError(None, None, f"slice index {i} of dimension 0 out of bounds.")
    i = i + nrows if i < 0 else i
    return _values_range(rt.values, int(splits[i]), int(splits[i + 1]))


def _values_range(values, start, stop):
    if is_ragged(values):
        return _slice_rows(values, slice(start, stop))
    return values[start:stop]


def _slice_rows(rt, s: slice):
    splits = _host(rt.row_splits, "Slicing the rows of a RaggedTensor")
    nrows = len(splits) - 1
    start, stop, step = s.indices(nrows)
    if step != 1:
        from tfx_lite.ragged.ragged_array_ops import gather_ragged_rows
        return gather_ragged_rows(rt, np.arange(start, stop, step))
    stop = max(stop, start)
    new_splits = splits[start:stop + 1] - splits[start]
    values = _values_range(rt.values, int(splits[start]), int(splits[stop]))
    return RaggedTensor.from_row_splits(values, convert_to_tensor(new_splits, dtype=rt.row_splits_dtype),
                                        validate=False)


def _slice_inner(rt, key):
    """`key` applied to dimensions 1.. of `rt`, whose dimension 1 is ragged."""
    first, rest = key[0], key[1:]
    if _index(first) is not None:
        raise ValueError("Cannot index into an inner ragged dimension.")
    if not isinstance(first, slice):
        raise TypeError(f"Cannot index a RaggedTensor with {first!r}: expected an int or a slice")
    if first != slice(None):
        rt = _slice_each_row(rt, first)
    if not rest:
        return rt
    inner = (slice(None),) + rest
    return rt.with_values(_apply(rt.values, inner))


def _slice_each_row(rt, s: slice):
    """Row i becomes row i[s]."""
    from tfx_lite.ragged.ragged_array_ops import gather_rows
    splits = _host(rt.row_splits, "Slicing inside the rows of a RaggedTensor")
    index, lengths = [], []
    for row in range(len(splits) - 1):
        cols = np.arange(splits[row], splits[row + 1])[s]
        index.append(cols)
        lengths.append(len(cols))
    index = np.concatenate(index) if index else np.zeros(0, np.int64)
    values = gather_rows(rt.values, index)
    new_splits = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)])
    return RaggedTensor.from_row_splits(values, convert_to_tensor(new_splits, dtype=rt.row_splits_dtype),
                                        validate=False)
