"""TF ops taking RaggedTensors: the handlers registered with the op dispatch
(tfx_lite/framework/dispatch.py). Elementwise ops run on the flat values; reductions along a
ragged axis are segment reductions over the value row ids; concat/stack/tile/gather/boolean_mask
rebuild the row partition (from host splits: eager-only, their sizes follow the row lengths).
"""
from __future__ import annotations

import numpy as np

from tfx_lite.framework import dtypes, errors
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.dispatch import dispatch_for, dispatch_for_each
from tfx_lite.framework.tensor import EagerTensor, Tensor
from tfx_lite.ops import array_ops, control_flow_ops, math_ops
from tfx_lite.ragged.ragged_tensor import RaggedTensor, _host, is_ragged

# --- elementwise ------------------------------------------------------------------------------
UNARY_ELEMENTWISE = [
    math_ops.abs, math_ops.acos, math_ops.acosh, math_ops.angle, math_ops.asin, math_ops.asinh,
    math_ops.atan, math_ops.atanh, math_ops.ceil, math_ops.conj, math_ops.cos, math_ops.cosh,
    math_ops.digamma, math_ops.erf, math_ops.erfc, math_ops.erfinv, math_ops.exp, math_ops.expm1,
    math_ops.floor, math_ops.imag, math_ops.is_finite, math_ops.is_inf, math_ops.is_nan,
    math_ops.lgamma, math_ops.log, math_ops.log1p, math_ops.log_sigmoid, math_ops.logical_not,
    math_ops.negative, math_ops.real, math_ops.reciprocal, math_ops.reciprocal_no_nan,
    math_ops.rint, math_ops.round, math_ops.rsqrt, math_ops.sigmoid, math_ops.sign, math_ops.sin,
    math_ops.sinh, math_ops.softplus, math_ops.softsign, math_ops.sqrt, math_ops.square,
    math_ops.tan, math_ops.tanh, array_ops.cast, array_ops.identity, array_ops.stop_gradient,
    array_ops.zeros_like, array_ops.ones_like,
]
BINARY_ELEMENTWISE = [
    math_ops.add, math_ops.subtract, math_ops.multiply, math_ops.divide, math_ops.truediv,
    math_ops.realdiv, math_ops.floordiv, math_ops.floormod, math_ops.truncatediv,
    math_ops.truncatemod, math_ops.pow, math_ops.maximum, math_ops.minimum,
    math_ops.squared_difference, math_ops.atan2, math_ops.divide_no_nan, math_ops.xdivy,
    math_ops.xlogy, math_ops.equal, math_ops.not_equal, math_ops.less, math_ops.less_equal,
    math_ops.greater, math_ops.greater_equal, math_ops.logical_and, math_ops.logical_or,
    math_ops.logical_xor,
]


def _unary_handler(api):
    def handle(x, *args, **kwargs):
        if not is_ragged(x):
            return NotImplemented
        return x.with_flat_values(api(x.flat_values, *args, **kwargs))
    return handle


def _same_partition(x, y) -> bool:
    xs, ys = x.nested_row_splits, y.nested_row_splits
    if len(xs) != len(ys):
        return False
    for a, b in zip(xs, ys):
        if a is b:
            continue
        if isinstance(a, EagerTensor) and isinstance(b, EagerTensor):
            if not np.array_equal(np.asarray(a._value), np.asarray(b._value)):
                return False
        elif a.shape != b.shape:
            return False
    return True


def _incompatible():
    """TF's error for ragged operands whose row partitions differ (its assert on the splits)."""
    return errors.InvalidArgumentError(None, None, "Condition x == y did not hold.")


def _dense_like(rt, dense):
    """The flat values of `dense` broadcast to `rt`'s partition (ragged_rank 1): a dense operand
    with the ragged tensor's rank whose ragged dimension is 1 (or equal rows), else None."""
    rank = rt.shape.rank
    if dense.shape.rank < rank - rt.ragged_rank:  # broadcasts against the inner dimensions only
        return dense
    if dense.shape.rank != rank or rt.ragged_rank != 1:
        return None
    if dense.shape[1] == 1:
        rows = array_ops.squeeze(dense, axis=1)
        rows = array_ops.broadcast_to(rows, [rt.shape[0]] + rows.shape.as_list()[1:]) \
            if rt.shape[0] is not None else rows
        return array_ops.gather(rows, rt.value_rowids())
    as_ragged = RaggedTensor.from_tensor(dense, row_splits_dtype=rt.row_splits_dtype)
    if not _same_partition(as_ragged, rt):
        raise _incompatible()
    return as_ragged.flat_values


def _binary_handler(api):
    def handle(x, y, *args, **kwargs):
        if is_ragged(x) and is_ragged(y):
            if not _same_partition(x, y):
                raise _incompatible()
            return x.with_flat_values(api(x.flat_values, y.flat_values, *args, **kwargs))
        if is_ragged(x):
            other = _dense_like(x, _convert_other(y, x.dtype))
            if other is None:
                return NotImplemented
            return x.with_flat_values(api(x.flat_values, other, *args, **kwargs))
        if is_ragged(y):
            other = _dense_like(y, _convert_other(x, y.dtype))
            if other is None:
                return NotImplemented
            return y.with_flat_values(api(other, y.flat_values, *args, **kwargs))
        return NotImplemented
    return handle


def _convert_other(value, dtype):
    if isinstance(value, Tensor) or hasattr(value, "__tf_tensor__"):
        return convert_to_tensor(value)
    try:
        return convert_to_tensor(value, dtype=dtype)
    except (TypeError, ValueError):
        return convert_to_tensor(value)


dispatch_for_each(UNARY_ELEMENTWISE, _unary_handler)
dispatch_for_each(BINARY_ELEMENTWISE, _binary_handler)


@dispatch_for(array_ops.where)
def _where(condition, x=None, y=None, name=None):
    if x is None and y is None:
        if not is_ragged(condition):
            return NotImplemented
        return _where_indices(condition)
    parts = [condition, x, y]
    ragged = next(p for p in parts if is_ragged(p))
    flats = []
    for p in parts:
        if is_ragged(p):
            if not _same_partition(p, ragged):
                raise _incompatible()
            flats.append(p.flat_values)
        else:
            flats.append(convert_to_tensor(p))
    return ragged.with_flat_values(array_ops.where(*flats))


def _where_indices(condition):
    """tf.where(ragged_condition): the [row, column, ...] coordinates of the true values."""
    from tfx_lite.ragged.ragged_conversion import _sparse_parts
    index, values, _ = _sparse_parts(condition)
    keep = np.flatnonzero(_host(values, "tf.where of a RaggedTensor"))
    return convert_to_tensor(index[keep].reshape(-1, index.shape[1]), dtype=dtypes.int64)


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
        return _reduce_segments(name, rt.values, rt.value_rowids(), _num_rows(rt), keepdims)
    return rt.with_values(_reduce_one(name, rt.values, axis - 1, keepdims))


def _num_rows(rt):
    """The number of rows: a Python int when the splits' length is static, else a tensor."""
    n = rt.row_splits.shape[0]
    return n - 1 if n is not None else rt.nrows()


_SCATTER = {math_ops.unsorted_segment_sum: ("tensor_scatter_nd_add", lambda d: 0),
            math_ops.unsorted_segment_max: ("tensor_scatter_nd_max", lambda d: d.min),
            math_ops.unsorted_segment_min: ("tensor_scatter_nd_min", lambda d: d.max)}


def _segment(reduce, values, segment_ids, num_segments):
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
        counts = _segment(math_ops.unsorted_segment_sum, array_ops.cast(values, dtypes.int32), segment_ids,
                          num_segments)
        sizes = _segment(math_ops.unsorted_segment_sum, array_ops.ones_like(values, dtype=dtypes.int32),
                         segment_ids, num_segments)
        out = math_ops.greater(counts, 0) if name == "reduce_any" else math_ops.equal(counts, sizes)
    elif name in _SEGMENT:
        out = _segment(_SEGMENT[name], values, segment_ids, num_segments)
    elif name == "reduce_logsumexp":
        top = _segment(math_ops.unsorted_segment_max, values, segment_ids, num_segments)
        top = array_ops.where(math_ops.is_finite(top), top, array_ops.zeros_like(top))
        shifted = math_ops.exp(values - array_ops.gather(top, segment_ids))
        out = math_ops.log(_segment(math_ops.unsorted_segment_sum, shifted, segment_ids, num_segments)) + top
    elif name == "reduce_euclidean_norm":
        out = math_ops.sqrt(_segment(math_ops.unsorted_segment_sum, math_ops.square(values), segment_ids,
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


# --- shape, size and rank ----------------------------------------------------------------------------
class DynamicRaggedShape:
    """What tf.shape returns for a RaggedTensor: the number of rows, then each ragged dimension's
    row lengths (uniform dimensions as ints). Eager-only."""

    def __init__(self, lengths, num_row_partitions):
        self._lengths = lengths
        self.num_row_partitions = num_row_partitions

    @property
    def rank(self):
        return len(self._lengths)

    def __getitem__(self, i):
        return self._lengths[i]

    def __repr__(self):
        dims = [str(d) if isinstance(d, int) else "(" + ", ".join(str(int(x)) for x in d) + ")"
                for d in self._lengths]
        return f"<DynamicRaggedShape lengths=[{', '.join(dims)}] num_row_partitions={self.num_row_partitions}>"


@dispatch_for(array_ops.shape)
def _shape(input, out_type=None, name=None):  # noqa: A002
    rt = input
    if not is_ragged(rt):
        return NotImplemented
    lengths = [int(np.asarray(rt.nrows()))]
    inner = rt
    while is_ragged(inner):
        row_lengths = _host(inner.row_lengths(), "tf.shape of a RaggedTensor")
        uniform = inner._uniform_row_length
        lengths.append(uniform if uniform is not None else tuple(row_lengths.tolist()))
        inner = inner.values
    lengths += [int(d) for d in inner.shape[1:]]
    return DynamicRaggedShape(lengths, rt.ragged_rank)


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


@dispatch_for(array_ops.size)
def _size(input, out_type=None, name=None):  # noqa: A002
    if not is_ragged(input):
        return NotImplemented
    return array_ops.size(input.flat_values, out_type=out_type or dtypes.int32)


@dispatch_for(array_ops.rank)
def _rank(input, name=None):  # noqa: A002
    if not is_ragged(input):
        return NotImplemented
    return convert_to_tensor(input.shape.rank, dtype=dtypes.int32)


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


def _concat_rows(parts):
    """Rows of each part, one after another (axis 0)."""
    dtype = parts[0].row_splits_dtype
    values = array_ops.concat([p.values for p in parts], 0) if not is_ragged(parts[0].values) \
        else _concat_rows([p.values for p in parts])
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
    joined = array_ops.concat(values_list, 0) if not is_ragged(values_list[0]) else _concat_rows(values_list)
    return _gather_rows(joined, index)


def _gather_rows(values, index):
    if is_ragged(values):
        return _ragged_gather(values, index)
    return array_ops.gather(values, convert_to_tensor(np.asarray(index, np.int64)))


def _ragged_gather(rt, index):
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
    values = _gather_rows(rt.values, value_index)
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
        return _concat_rows(parts)
    if axis == 1:
        return _interleave_rows(parts, "tf.concat of RaggedTensors along axis 1")
    for p in parts[1:]:
        if not _same_partition(p, parts[0]):
            raise _incompatible()
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
        return RaggedTensor.from_row_lengths(_concat_rows(parts), array_ops.stack(nrows), validate=False)
    if axis == 1:
        hosts = [_host(p.row_splits, "tf.stack of RaggedTensors along axis 1") for p in parts]
        nrows = len(hosts[0]) - 1
        if any(len(h) - 1 != nrows for h in hosts):
            raise errors.InvalidArgumentError(None, None, "tf.stack of RaggedTensors along axis 1: inputs "
                                              "have different numbers of rows")
        joined = _concat_rows(parts)
        order = np.array([k * nrows + i for i in range(nrows) for k in range(len(parts))], np.int64)
        rows = _ragged_gather(joined, order)
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
    return RaggedTensor.from_row_splits(_gather_rows(values, index), new_splits, validate=False)


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
    result = _ragged_gather(params, index.reshape(-1))
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
        if not _same_partition(tensor, mask):
            raise _incompatible()
        return _mask_values(tensor, mask)
    if not is_ragged(tensor):
        return array_ops.boolean_mask(tensor, mask)
    return _ragged_gather(tensor, np.flatnonzero(np.asarray(_host(mask, "tf.ragged.boolean_mask"))))


def _mask_values(rt, mask):
    """Keep the values where the ragged `mask` (same partition) is true; rows shrink."""
    if is_ragged(rt.values):  # the outer rows keep their sub-rows; those shrink
        return rt.with_values(_mask_values(rt.values, mask.values))
    keep = mask.values
    values = array_ops.boolean_mask(rt.values, keep)
    lengths = _segment(math_ops.unsorted_segment_sum, array_ops.cast(keep, rt.row_splits_dtype),
                       rt.value_rowids(), _num_rows(rt))
    return RaggedTensor.from_row_lengths(values, lengths, validate=False)


# --- map_fn over rows -------------------------------------------------------------------------
@dispatch_for(control_flow_ops.map_fn)
def _map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True, swap_memory=False,
            infer_shape=True, name=None, fn_output_signature=None):
    """tf.map_fn over the rows of ragged elems (eagerly, one call per row). The result is
    ragged unless `fn_output_signature` (or `dtype`) says a dense tensor."""
    leaves = list(elems) if isinstance(elems, (list, tuple)) else [elems]
    if not any(is_ragged(e) for e in leaves):
        return NotImplemented
    for e in leaves:
        if is_ragged(e) and not e._is_eager():
            raise TypeError("tf.map_fn over the rows of a RaggedTensor inside a tf.function: each row "
                            "has its own length, which XLA cannot compile; call it eagerly")
    signature = fn_output_signature if fn_output_signature is not None else dtype
    nrows = int(np.asarray(leaves[0].nrows() if is_ragged(leaves[0]) else array_ops.shape(leaves[0])[0]))
    rows = []
    for i in range(nrows):
        row = [e[i] for e in leaves]
        rows.append(fn(tuple(row) if isinstance(elems, (list, tuple)) else row[0]))
    from tfx_lite.ragged.ragged_tensor import RaggedTensorSpec
    if signature is None or isinstance(signature, RaggedTensorSpec):
        ragged_out = True
        out_dtype = signature.dtype if signature is not None else None
    else:
        ragged_out = False
        out_dtype = getattr(signature, "dtype", signature)
    rows = [r if is_ragged(r) else convert_to_tensor(r) for r in rows]
    if out_dtype is not None:
        out_dtype = dtypes.as_dtype(out_dtype)
        for r in rows:
            if r.dtype != out_dtype:
                raise TypeError(f"tf.map_fn: fn returned {r.dtype.name} values but the output signature "
                                f"says {out_dtype.name}")
    if not ragged_out:
        return array_ops.stack(rows) if rows else array_ops.zeros([0], out_dtype or leaves[0].dtype)
    if not rows:
        return leaves[0]
    if all(not is_ragged(r) and r.shape.rank == 0 for r in rows):
        return array_ops.stack(rows)
    lengths = [r.nrows() if is_ragged(r) else array_ops.shape(r, out_type=dtypes.int64)[0] for r in rows]
    values = _concat_rows(rows) if is_ragged(rows[0]) else array_ops.concat(rows, 0)
    return RaggedTensor.from_row_lengths(values, array_ops.stack(lengths), validate=False)
