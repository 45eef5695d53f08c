"""tf.ragged's functions: range, stack, boolean_mask, map_flat_values and the conversions
between row splits and segment ids."""
from __future__ import annotations

import numpy as np

from tfx_lite.framework import dtypes, errors
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.ops import array_ops, math_ops
from tfx_lite.ragged.ragged_tensor import RaggedTensor, _host, is_ragged


def range(starts, limits=None, deltas=1, dtype=None, name=None, row_splits_dtype=dtypes.int64):  # noqa: A001
    """tf.ragged.range: row i is range(starts[i], limits[i], deltas[i]) (scalars broadcast)."""
    if limits is None:
        starts, limits = 0, starts
    parts = [convert_to_tensor(v, dtype=dtype) if dtype is not None else convert_to_tensor(v)
             for v in (starts, limits, deltas)]
    dtype = dtypes.as_dtype(dtype) if dtype is not None else next(
        (p.dtype for p in parts if p.dtype is not dtypes.int32), dtypes.int32)
    hosts = [_host(array_ops.cast(p, dtype), "tf.ragged.range") for p in parts]
    for h in hosts:
        if h.ndim > 1:
            raise ValueError("starts, limits and deltas must be scalars or vectors")
    start, limit, delta = np.broadcast_arrays(*hosts)
    if (delta == 0).any():
        raise errors.InvalidArgumentError(None, None, "Requires delta != 0 [Op:RaggedRange]")
    rows = [np.arange(s, l, d, dtype=dtype.as_numpy_dtype) for s, l, d in
            zip(start.reshape(-1), limit.reshape(-1), delta.reshape(-1))]
    lengths = [len(r) for r in rows]
    values = np.concatenate(rows) if rows else np.zeros(0, dtype.as_numpy_dtype)
    splits = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)]).astype(
        dtypes.as_dtype(row_splits_dtype).as_numpy_dtype)
    return RaggedTensor.from_row_splits(convert_to_tensor(values, dtype=dtype), splits, validate=False)


def stack(values, axis=0, name=None):
    """tf.ragged.stack: tf.stack whose inputs may differ in their lengths; the result is ragged."""
    values = [v if is_ragged(v) else convert_to_tensor(v) for v in values]
    if axis == 0 and all(not is_ragged(v) and v.shape.rank == 1 for v in values):
        lengths = [array_ops.shape(v, out_type=dtypes.int64)[0] for v in values]
        return RaggedTensor.from_row_lengths(array_ops.concat(values, 0), array_ops.stack(lengths),
                                             validate=False)
    values = [v if is_ragged(v) or v.shape.rank < 2 else RaggedTensor.from_tensor(v) for v in values]
    result = array_ops.stack(values, axis)
    return result if is_ragged(result) or result.shape.rank < 2 else RaggedTensor.from_tensor(result)


def boolean_mask(data, mask, name=None):
    """tf.ragged.boolean_mask: keep what `mask` marks; dense masks over ragged data keep rows."""
    from tfx_lite.ragged.ragged_array_ops import ragged_boolean_mask
    return ragged_boolean_mask(data, mask)


def map_flat_values(op, *args, **kwargs):
    """Apply `op` to the flat values of the ragged arguments (which must share their row
    partitions); the result has their partition."""
    partition = []

    def flat(value):
        if is_ragged(value):
            partition.append(value)
            return value.flat_values
        if isinstance(value, (list, tuple)):
            return type(value)(flat(v) for v in value)
        if isinstance(value, dict):
            return {k: flat(v) for k, v in value.items()}
        return value

    args, kwargs = flat(args), flat(kwargs)
    if not partition:
        return op(*args, **kwargs)
    from tfx_lite.ragged.ragged_elementwise import same_partition
    for other in partition[1:]:
        if not same_partition(partition[0], other):
            raise ValueError("Input RaggedTensors have mismatched row partitions.")
    return partition[0].with_flat_values(op(*args, **kwargs))


def row_splits_to_segment_ids(splits, name=None, out_type=None):
    splits = convert_to_tensor(splits, dtype_hint=dtypes.int64)
    if splits.shape.rank != 1:
        raise ValueError(f"Shape {splits.shape} must have rank 1")
    out_type = dtypes.as_dtype(out_type) if out_type is not None else splits.dtype
    rt = RaggedTensor.from_row_splits(array_ops.zeros(array_ops.reshape(splits[-1], [1]), dtypes.int32),
                                      splits, validate=False)
    return array_ops.cast(rt.value_rowids(), out_type)


def segment_ids_to_row_splits(segment_ids, num_segments=None, out_type=None, name=None):
    segment_ids = convert_to_tensor(segment_ids, dtype_hint=dtypes.int64)
    if segment_ids.shape.rank != 1:
        raise ValueError(f"Shape {segment_ids.shape} must have rank 1")
    out_type = dtypes.as_dtype(out_type) if out_type is not None else segment_ids.dtype
    if num_segments is None:
        host = _host(segment_ids, "tf.ragged.segment_ids_to_row_splits")
        num_segments = int(host.max()) + 1 if host.size else 0
    counts = math_ops.unsorted_segment_sum(array_ops.ones_like(segment_ids, dtype=out_type), segment_ids,
                                           num_segments)
    return array_ops.concat([array_ops.zeros([1], out_type), math_ops.cumsum(counts)], 0)
