"""TF's reductions of RaggedTensors: along a ragged axis they are segment reductions over the
value row ids (empty rows give TF's results); mean, variance and std are built from sums, as
TF builds them."""
from __future__ import annotations

import numpy as np

from tfx_lite.framework import dtypes
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.dispatch import dispatch_for_each
from tfx_lite.framework.tensor import EagerTensor, Tensor
from tfx_lite.ops import array_ops, math_ops
from tfx_lite.ragged.ragged_tensor import RaggedTensor, _host, is_ragged


# --- reductions -------------------------------------------------------------------------------
_SEGMENT = {
    "reduce_sum": math_ops.unsorted_segment_sum, "reduce_prod": math_ops.unsorted_segment_prod,
    "reduce_max": math_ops.unsorted_segment_max, "reduce_min": math_ops.unsorted_segment_min,
}


def _reduction_handler(api):
    name = api.__name__

    def handle(input_tensor, axis=None, keepdims=False, name=None, **kwargs):
        if not is_ragged(input_tensor):
            return NotImplemented
        return _reduce(api.__name__, input_tensor, axis, bool(keepdims))
    handle.__name__ = f"ragged_{name}"
    return handle


def _reduce(name, rt, axis, keepdims):
    """TF's ragged reductions: mean, variance and std are built from sums (as TF builds them,
    so an integer mean is float64); the others reduce one axis at a time, highest first."""
    if name == "reduce_mean":
        total = _reduce("reduce_sum", rt, axis, keepdims)
        if rt.ragged_rank == 1 and rt.shape.rank == 2 and axis in (1, -1, [1], [-1], (1,), (-1,)):
            count = array_ops.cast(rt.row_lengths(), total.dtype)  # the rows' sizes: no second pass
            return total / (array_ops.expand_dims(count, 1) if keepdims else count)
        count = _reduce("reduce_sum", _ones_like(rt), axis, keepdims)
        if is_ragged(total):
            return total.with_flat_values(total.flat_values / count.flat_values)
        return total / count
    if name in ("reduce_variance", "reduce_std"):
        if rt.dtype.is_complex:
            raise ValueError("reduce_variance is not supported for RaggedTensors with complex dtypes.")
        mean_of_square = _reduce("reduce_mean", rt.with_flat_values(math_ops.square(rt.flat_values)), axis,
                                 keepdims)
        square_of_mean = math_ops.square(_reduce("reduce_mean", rt, axis, keepdims))
        variance = math_ops.maximum(mean_of_square - square_of_mean, 0)
        return math_ops.sqrt(variance) if name == "reduce_std" else variance
    rank = rt.shape.rank
    if axis is None:
        whole = getattr(math_ops, name)(rt.flat_values)
        return array_ops.reshape(whole, [1] * rank) if keepdims else whole
    axes = [int(a) for a in np.atleast_1d(np.asarray(
        axis.numpy() if isinstance(axis, Tensor) else axis)).tolist()]
    for a in axes:
        if not -rank <= a < rank:
            raise ValueError(f"axis={a} out of bounds: expected {-rank}<=axis<{rank}")
    result = rt
    for a in sorted({a + rank if a < 0 else a for a in axes}, reverse=True):
        result = _reduce_one(name, result, a, keepdims)
    return result


def _ones_like(rt):
    return rt.with_flat_values(array_ops.ones_like(rt.flat_values))


def _reduce_one(name, rt, axis, keepdims):
    if not is_ragged(rt):
        return getattr(math_ops, name)(rt, axis=axis, keepdims=keepdims)
    if axis == 0:
        return _reduce_rows(name, rt, keepdims)
    if axis == 1:
        if is_ragged(rt.values):
            groups = _host(rt.value_rowids(), f"tf.{name} of a RaggedTensor")
            return _reduce_grouped_rows(name, rt.values, groups, int(np.asarray(rt.nrows())), keepdims)
        return _reduce_segments(name, rt.values, rt.value_rowids(), num_rows(rt), keepdims)
    return rt.with_values(_reduce_one(name, rt.values, axis - 1, keepdims))


def num_rows(rt):
    """The number of rows: a Python int when the splits' length is static, else a tensor."""
    n = rt.row_splits.shape[0]
    return n - 1 if n is not None else rt.nrows()


_SCATTER = {math_ops.unsorted_segment_sum: ("tensor_scatter_nd_add", lambda d: 0),
            math_ops.unsorted_segment_max: ("tensor_scatter_nd_max", lambda d: d.min),
            math_ops.unsorted_segment_min: ("tensor_scatter_nd_min", lambda d: d.max)}


def segment_reduce(reduce, values, segment_ids, num_segments):
    """A segment reduction; with a traced (unknown) number of segments, a scatter into a tensor
    of that many rows (whose shape may be unknown while tracing)."""
    if isinstance(num_segments, (int, np.integer)) or isinstance(num_segments, EagerTensor):
        return reduce(values, segment_ids, num_segments)
    if reduce not in _SCATTER:
        raise TypeError(f"tf.{reduce.__name__} over the rows of a RaggedTensor whose number of rows is "
                        "unknown while tracing; give the tf.function a RaggedTensorSpec with a known "
                        "number of rows")
    scatter, initial = _SCATTER[reduce]
    dtype = values.dtype
    limits = np.iinfo(dtype.as_numpy_dtype) if dtype.is_integer else np.finfo(dtype.as_numpy_dtype)
    shape = array_ops.concat([array_ops.reshape(array_ops.cast(num_segments, dtypes.int32), [1]),
                              array_ops.shape(values)[1:]], 0)
    start = array_ops.fill(shape, array_ops.cast(initial(limits), dtype))
    index = array_ops.expand_dims(segment_ids, 1)
    return getattr(array_ops, scatter)(start, index, values)


def _reduce_segments(name, values, segment_ids, num_segments, keepdims):
    """Reduce `values` within segments (rows), with TF's results for empty rows: 0 for sums, 1
    for products, the dtype's lowest/highest for max/min."""
    if name in ("reduce_any", "reduce_all"):
        counts = segment_reduce(math_ops.unsorted_segment_sum, array_ops.cast(values, dtypes.int32), segment_ids,
                          num_segments)
        sizes = segment_reduce(math_ops.unsorted_segment_sum, array_ops.ones_like(values, dtype=dtypes.int32),
                         segment_ids, num_segments)
        out = math_ops.greater(counts, 0) if name == "reduce_any" else math_ops.equal(counts, sizes)
    elif name in _SEGMENT:
        out = segment_reduce(_SEGMENT[name], values, segment_ids, num_segments)
    elif name == "reduce_logsumexp":
        top = segment_reduce(math_ops.unsorted_segment_max, values, segment_ids, num_segments)
        top = array_ops.where(math_ops.is_finite(top), top, array_ops.zeros_like(top))
        shifted = math_ops.exp(values - array_ops.gather(top, segment_ids))
        out = math_ops.log(segment_reduce(math_ops.unsorted_segment_sum, shifted, segment_ids, num_segments)) + top
    elif name == "reduce_euclidean_norm":
        out = math_ops.sqrt(segment_reduce(math_ops.unsorted_segment_sum, math_ops.square(values), segment_ids,
                                     num_segments))
    else:
        raise NotImplementedError(f"tf.{name} of a RaggedTensor along a ragged axis")
    return array_ops.expand_dims(out, 1) if keepdims else out


def _column_ids(rt):
    """The position of each value within its row."""
    splits = rt.row_splits
    rowids = rt.value_rowids()
    return array_ops.range(array_ops.shape(rowids, out_type=splits.dtype)[0], dtype=splits.dtype) \
        - array_ops.gather(splits, rowids)


def _reduce_rows(name, rt, keepdims):
    """Reduce across rows (axis 0): value j of each row goes to position j of the result."""
    if is_ragged(rt.values):  # sub-row j of every row goes to result row j
        columns = _host(_column_ids(rt), f"tf.{name} over axis 0 of a RaggedTensor")
        width = int(columns.max()) + 1 if columns.size else 0
        return _reduce_grouped_rows(name, rt.values, columns, width, keepdims, axis=0)
    lengths = _host(rt.row_lengths(), f"tf.{name} over axis 0 of a RaggedTensor")
    width = int(lengths.max()) if lengths.size else 0
    out = _reduce_segments(name, rt.values, _column_ids(rt), width, False)
    return array_ops.expand_dims(out, 0) if keepdims else out


def _reduce_grouped_rows(name, rows, groups, num_groups, keepdims, axis=1):
    """Rows of `rows` gathered into `num_groups` groups (`groups`: host group of each row) and
    reduced position by position: result row g is as long as the longest row of group g."""
    if keepdims:
        raise NotImplementedError(f"tf.{name} with keepdims over an axis of a RaggedTensor whose values "
                                  "are ragged")
    lengths = _host(rows.row_lengths(), f"tf.{name} of a RaggedTensor")
    widths = np.zeros(num_groups, np.int64)
    groups = np.asarray(groups, np.int64)
    np.maximum.at(widths, groups, lengths)
    out_splits = np.concatenate([[0], np.cumsum(widths)])
    first = convert_to_tensor(out_splits[:-1][groups], dtype=rows.row_splits_dtype)  # each row's start
    segment = array_ops.gather(first, rows.value_rowids()) + _column_ids(rows)
    values = _reduce_segments(name, rows.values, segment, int(out_splits[-1]), False) \
        if not is_ragged(rows.values) else None
    if values is None:
        raise NotImplementedError(f"tf.{name} over axis {axis} of a RaggedTensor with ragged_rank > 2")
    return RaggedTensor.from_row_splits(values, out_splits.astype(rows.row_splits_dtype.as_numpy_dtype),
                                        validate=False)


dispatch_for_each([math_ops.reduce_sum, math_ops.reduce_prod, math_ops.reduce_max, math_ops.reduce_min,
                   math_ops.reduce_mean, math_ops.reduce_any, math_ops.reduce_all,
                   math_ops.reduce_variance, math_ops.reduce_std, math_ops.reduce_logsumexp,
                   math_ops.reduce_euclidean_norm], _reduction_handler)
