"""concat, stack, tile, gather, gather_nd, boolean_mask and expand_dims of RaggedTensors. Their
results' row partitions follow the row lengths, so they are worked out from host splits
(eager-only) except concat along rows, which traces."""
from __future__ import annotations

import numpy as np

from tfx_lite.framework import errors
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.dispatch import dispatch_for
from tfx_lite.ops import array_ops, math_ops
from tfx_lite.ragged.ragged_elementwise import incompatible_partitions, same_partition
from tfx_lite.ragged.ragged_reductions import num_rows, segment_reduce
from tfx_lite.ragged.ragged_tensor import RaggedTensor, _host, is_ragged


# --- concat, stack, tile, gather, boolean_mask, expand_dims -----------------------------------
def _as_ragged(value, ragged_rank, splits_dtype):
    if is_ragged(value):
        return value
    tensor = convert_to_tensor(value)
    if tensor.shape.rank is not None and tensor.shape.rank <= ragged_rank:
        raise ValueError(f"Expected a tensor of rank > {ragged_rank} to concatenate with a "
                         f"ragged tensor, got shape {tensor.shape}")
    return RaggedTensor.from_tensor(tensor, ragged_rank=ragged_rank, row_splits_dtype=splits_dtype)


def _ragged_inputs(values):
    first = next(v for v in values if is_ragged(v))
    rank = first.shape.rank
    converted = []
    for v in values:
        if not is_ragged(v):
            v = convert_to_tensor(v, dtype_hint=first.dtype)
        if v.shape.rank != rank:
            raise ValueError(f"all values must have the same rank: a ragged tensor of rank {rank} and a "
                             f"value of rank {v.shape.rank}")
        converted.append(v)
    ragged_rank = max(v.ragged_rank for v in converted if is_ragged(v))
    splits_dtype = first.row_splits_dtype
    return [_as_ragged(v, ragged_rank, splits_dtype) if not is_ragged(v) or v.ragged_rank == ragged_rank
            else _raise_ragged_rank(v, ragged_rank) for v in converted], rank


def _raise_ragged_rank(rt, ragged_rank):
    """`rt` with more of its uniform inner dimensions made ragged."""
    values = rt.values
    values = _as_ragged(values, ragged_rank - 1, rt.row_splits_dtype) if not is_ragged(values) \
        else _raise_ragged_rank(values, ragged_rank - 1) if values.ragged_rank < ragged_rank - 1 else values
    return rt.with_values(values)


def concat_rows(parts):
    """Rows of each part, one after another (axis 0)."""
    dtype = parts[0].row_splits_dtype
    values = array_ops.concat([p.values for p in parts], 0) if not is_ragged(parts[0].values) \
        else concat_rows([p.values for p in parts])
    splits, offset = [array_ops.zeros([1], dtype)], None
    for p in parts:
        part = p.row_splits[1:] if offset is None else p.row_splits[1:] + offset
        splits.append(part)
        offset = p.row_splits[-1] if offset is None else offset + p.row_splits[-1]
    return RaggedTensor.from_row_splits(values, array_ops.concat(splits, 0), validate=False)


def _interleave_rows(parts, what):
    """Row i of the result is row i of each part, one after another (axis 1)."""
    hosts = [_host(p.row_splits, what) for p in parts]
    for i, h in enumerate(hosts[1:], 1):
        if len(h) != len(hosts[0]):
            raise errors.InvalidArgumentError(None, None, f"Input tensors at index 0 (=x) and {i} (=y) have "
                                              "incompatible shapes.")
    offsets = np.cumsum([0] + [h[-1] for h in hosts[:-1]])
    nrows = len(hosts[0]) - 1
    index, lengths = [], np.zeros(nrows, np.int64)
    for row in range(nrows):
        for h, off in zip(hosts, offsets):
            index.append(np.arange(h[row], h[row + 1]) + off)
            lengths[row] += h[row + 1] - h[row]
    index = np.concatenate(index) if index else np.zeros(0, np.int64)
    values = _gather_values([p.values for p in parts], index)
    splits = np.concatenate([[0], np.cumsum(lengths)]).astype(parts[0].row_splits_dtype.as_numpy_dtype)
    return RaggedTensor.from_row_splits(values, splits, validate=False)


def _gather_values(values_list, index):
    joined = array_ops.concat(values_list, 0) if not is_ragged(values_list[0]) else concat_rows(values_list)
    return gather_rows(joined, index)


def gather_rows(values, index):
    if is_ragged(values):
        return gather_ragged_rows(values, index)
    return array_ops.gather(values, convert_to_tensor(np.asarray(index, np.int64)))


def gather_ragged_rows(rt, index):
    """Rows `index` (a host int array) of `rt`."""
    splits = _host(rt.row_splits, "tf.gather of a RaggedTensor")
    nrows = len(splits) - 1
    index = np.asarray(index, np.int64).reshape(-1)
    bad = index[(index < 0) | (index >= nrows)]
    if bad.size:
        raise errors.InvalidArgumentError(None, None, f"indices[{int(np.argmax((index < 0) | (index >= nrows)))}]"
                                          f" = {int(bad[0])} is not in [0, {nrows})")
    starts, limits = splits[index], splits[index + 1]
    value_index = np.concatenate([np.arange(s, e) for s, e in zip(starts, limits)]) if len(index) else \
        np.zeros(0, np.int64)
    values = gather_rows(rt.values, value_index)
    new_splits = np.concatenate([[0], np.cumsum(limits - starts)]).astype(rt.row_splits_dtype.as_numpy_dtype)
    return RaggedTensor.from_row_splits(values, new_splits, validate=False)


@dispatch_for(array_ops.concat)
def _concat(values, axis, name="concat"):
    if not any(is_ragged(v) for v in values):
        return NotImplemented
    parts, rank = _ragged_inputs(values)
    axis = int(axis) + rank if int(axis) < 0 else int(axis)
    if not 0 <= axis < rank:
        raise ValueError(f"axis={axis} out of bounds: expected {-rank}<=axis<{rank}")
    if len(parts) == 1:
        return parts[0]
    if axis == 0:
        return concat_rows(parts)
    if axis == 1:
        return _interleave_rows(parts, "tf.concat of RaggedTensors along axis 1")
    for p in parts[1:]:
        if not same_partition(p, parts[0]):
            raise incompatible_partitions()
    return parts[0].with_values(array_ops.concat([p.values for p in parts], axis - 1))


@dispatch_for(array_ops.stack)
def _stack(values, axis=0, name="stack"):
    if not any(is_ragged(v) for v in values):
        return NotImplemented
    parts, rank = _ragged_inputs(values)
    axis = int(axis) + rank + 1 if int(axis) < 0 else int(axis)
    if not 0 <= axis <= rank:
        raise ValueError(f"axis={axis} out of bounds: expected {-rank - 1}<=axis<{rank + 1}")
    dtype = parts[0].row_splits_dtype
    if axis == 0:
        nrows = [p.nrows() for p in parts]
        return RaggedTensor.from_row_lengths(concat_rows(parts), array_ops.stack(nrows), validate=False)
    if axis == 1:
        hosts = [_host(p.row_splits, "tf.stack of RaggedTensors along axis 1") for p in parts]
        nrows = len(hosts[0]) - 1
        if any(len(h) - 1 != nrows for h in hosts):
            raise errors.InvalidArgumentError(None, None, "tf.stack of RaggedTensors along axis 1: inputs "
                                              "have different numbers of rows")
        joined = concat_rows(parts)
        order = np.array([k * nrows + i for i in range(nrows) for k in range(len(parts))], np.int64)
        rows = gather_ragged_rows(joined, order)
        splits = np.arange(0, nrows * len(parts) + 1, len(parts), dtype=dtype.as_numpy_dtype)
        return RaggedTensor.from_row_splits(rows, splits, validate=False)
    expanded = [array_ops.expand_dims(p, axis) for p in parts]
    return _concat(expanded, axis)


@dispatch_for(array_ops.expand_dims)
def _expand_dims(input, axis, name=None):  # noqa: A002
    rt = input
    if not is_ragged(rt):
        return NotImplemented
    rank = rt.shape.rank
    axis = int(axis) + rank + 1 if int(axis) < 0 else int(axis)
    if not 0 <= axis <= rank:
        raise ValueError(f"axis={axis} out of bounds: expected {-rank - 1}<=axis<{rank + 1}")
    dtype = rt.row_splits_dtype
    if axis == 0:
        splits = array_ops.stack([array_ops.zeros([], dtype), rt.nrows()])
        return RaggedTensor.from_row_splits(rt, splits, validate=False)
    if axis == 1:
        splits = array_ops.range(0, rt.nrows() + 1, dtype=dtype)
        return RaggedTensor.from_row_splits(rt, splits, validate=False)
    values = rt.values
    return rt.with_values(array_ops.expand_dims(values, axis - 1))


@dispatch_for(array_ops.tile)
def _tile(input, multiples, name=None):  # noqa: A002
    rt = input
    if not is_ragged(rt):
        return NotImplemented
    multiples = [int(m) for m in np.asarray(convert_to_tensor(multiples).numpy()).reshape(-1)]
    if len(multiples) != rt.shape.rank:
        raise ValueError(f"Expected multiples argument to be a vector of length {rt.shape.rank} "
                         f"but got length {len(multiples)}")
    if rt.ragged_rank != 1:
        raise NotImplementedError("tf.tile of a RaggedTensor with ragged_rank > 1")
    splits = _host(rt.row_splits, "tf.tile of a RaggedTensor")
    values = rt.values
    if any(m != 1 for m in multiples[2:]):
        values = array_ops.tile(values, [1] + multiples[2:])
    index, lengths = [], []
    for _ in range(multiples[0]):
        for row in range(len(splits) - 1):
            cols = np.arange(splits[row], splits[row + 1])
            index.append(np.tile(cols, multiples[1]))
            lengths.append(len(cols) * multiples[1])
    index = np.concatenate(index) if index else np.zeros(0, np.int64)
    new_splits = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)]).astype(rt.row_splits_dtype.as_numpy_dtype)
    return RaggedTensor.from_row_splits(gather_rows(values, index), new_splits, validate=False)


@dispatch_for(array_ops.gather)
def _gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    if batch_dims == 1 and is_ragged(params) and is_ragged(indices) and params.ragged_rank == 1:
        # row i of the result gathers from row i of params
        positions = array_ops.gather(params.row_splits, indices.value_rowids()) \
            + array_ops.cast(indices.flat_values, params.row_splits_dtype)
        return indices.with_flat_values(array_ops.gather(params.values, positions))
    if is_ragged(indices) and not is_ragged(params):
        return indices.with_flat_values(array_ops.gather(params, indices.flat_values, axis=axis,
                                                         batch_dims=batch_dims))
    if not is_ragged(params) or (axis not in (None, 0)) or batch_dims:
        return NotImplemented
    if is_ragged(indices):
        return indices.with_flat_values(_gather(params, indices.flat_values))
    index = np.asarray(_host(convert_to_tensor(indices), "tf.gather of a RaggedTensor"))
    result = gather_ragged_rows(params, index.reshape(-1))
    for dim in reversed(index.shape[1:]):  # index dimensions beyond the first stay uniform
        nrows = int(np.asarray(result.nrows()))
        result = RaggedTensor.from_row_splits(
            result, np.arange(0, nrows + 1, dim, dtype=params.row_splits_dtype.as_numpy_dtype), validate=False)
    if index.ndim == 0:
        return result[0]
    return result


@dispatch_for(array_ops.boolean_mask)
def _boolean_mask_refused(tensor, mask, axis=None, name="boolean_mask"):
    """TF's tf.boolean_mask does not take ragged tensors (tf.ragged.boolean_mask does); this is
    the error TF 2.21 raises."""
    raise ValueError(f"TypeError: object of type '{type(tensor if is_ragged(tensor) else mask).__name__}' "
                     "has no len()")


def ragged_boolean_mask(tensor, mask, axis=None):
    """tf.ragged.boolean_mask: a mask over rows keeps rows; a ragged (or dense rank > 1) mask
    keeps values, and rows shrink."""
    if not is_ragged(mask):
        mask = convert_to_tensor(mask)
        if mask.shape.rank is not None and mask.shape.rank > 1:
            mask = RaggedTensor.from_tensor(mask, ragged_rank=mask.shape.rank - 1)
    if axis not in (None, 0):
        raise NotImplementedError("tf.ragged.boolean_mask with an axis is not supported in tfx_lite")
    if is_ragged(mask):
        if not is_ragged(tensor):
            tensor = _as_ragged(tensor, mask.ragged_rank, mask.row_splits_dtype)
        if not same_partition(tensor, mask):
            raise incompatible_partitions()
        return _mask_values(tensor, mask)
    if not is_ragged(tensor):
        return array_ops.boolean_mask(tensor, mask)
    return gather_ragged_rows(tensor, np.flatnonzero(np.asarray(_host(mask, "tf.ragged.boolean_mask"))))


def _mask_values(rt, mask):
    """Keep the values where the ragged `mask` (same partition) is true; rows shrink."""
    if is_ragged(rt.values):  # the outer rows keep their sub-rows; those shrink
        return rt.with_values(_mask_values(rt.values, mask.values))
    keep = mask.values
    values = array_ops.boolean_mask(rt.values, keep)
    lengths = segment_reduce(math_ops.unsorted_segment_sum, array_ops.cast(keep, rt.row_splits_dtype),
                       rt.value_rowids(), num_rows(rt))
    return RaggedTensor.from_row_lengths(values, lengths, validate=False)


@dispatch_for(array_ops.gather_nd)
def _gather_nd(params, indices, batch_dims=0, name=None):
    """tf.gather_nd on a RaggedTensor: each index row addresses a value (or a sub-row)."""
    if not is_ragged(params) or is_ragged(indices) or batch_dims:
        return NotImplemented
    index = np.asarray(_host(convert_to_tensor(indices), "tf.gather_nd of a RaggedTensor"))
    picked = [params[tuple(int(i) for i in row)] for row in index.reshape(-1, index.shape[-1])]
    if not picked:
        return array_ops.zeros([0], params.dtype)
    from tfx_lite.ragged.ragged_functions import stack
    result = array_ops.stack(picked) if all(not is_ragged(p) and p.shape.rank == 0 for p in picked) \
        else stack(picked)
    return array_ops.reshape(result, index.shape[:-1]) if not is_ragged(result) and index.ndim > 2 else result
