"""Converting between ragged and dense (or sparse) forms: to_tensor, from_tensor, merge_dims,
to_sparse, from_sparse."""
from __future__ import annotations

import numpy as np

from tfx_lite.framework import dtypes, errors
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.tensor import EagerTensor, Tensor
from tfx_lite.ragged.ragged_tensor import RaggedTensor, _host, host_positions


def _ops():
    from tfx_lite.ops import array_ops, math_ops
    return array_ops, math_ops


def _target_shape(shape, rank):
    if shape is None:
        return [None] * rank
    dims = list(convert_to_tensor(shape).numpy()) if isinstance(shape, Tensor) else list(shape)
    dims = [None if d is None or int(d) < 0 else int(d) for d in dims]
    if len(dims) != rank:
        raise errors.InvalidArgumentError(None, None, f"shape {shape} must have rank {rank}")
    return dims


def to_tensor(rt: RaggedTensor, default_value=None, shape=None):
    """RaggedTensor.to_tensor: rows padded with `default_value` (zero) to the longest row, or
    padded/truncated to `shape`. Written with scatter_nd on the values, so gradients flow."""
    array_ops, math_ops = _ops()
    target = _target_shape(shape, rt.shape.rank)
    inner = rt.values
    if isinstance(inner, RaggedTensor):
        inner = to_tensor(inner, default_value, [None] + target[2:])
    elif any(d is not None for d in target[2:]):
        inner = _fit_inner(inner, target[2:], default_value)
    dtype = rt.dtype
    splits = rt.row_splits
    nrows = splits.shape[0] - 1 if splits.shape[0] is not None else None
    height = target[0] if target[0] is not None else nrows
    width = target[1]
    if width is None:
        lengths = _host(rt.row_lengths(), "RaggedTensor.to_tensor without a shape")
        width = int(lengths.max()) if lengths.size else 0
    if height is None:
        height = int(_host(rt.nrows(), "RaggedTensor.to_tensor"))
    inner_dims = list(inner.shape[1:])
    if dtype is dtypes.string:
        return _to_tensor_host(rt, inner, height, width, default_value)
    if dtype is dtypes.bool:  # scatter_nd adds: pad as integers
        as_int = rt.with_values(array_ops.cast(inner, dtypes.int32))
        default = None if default_value is None else array_ops.cast(convert_to_tensor(default_value), dtypes.int32)
        return array_ops.cast(to_tensor(as_int, default, [height, width] + inner_dims), dtypes.bool)
    default = array_ops.zeros([], dtype) if default_value is None else convert_to_tensor(default_value, dtype=dtype)
    out_shape = [height, width] + inner_dims
    if height == 0 or width == 0 or 0 in inner_dims:
        return array_ops.broadcast_to(default, out_shape)
    if isinstance(splits, EagerTensor):
        return _to_tensor_eager(splits, inner, default, out_shape)
    rowids = rt.value_rowids()
    col = array_ops.range(array_ops.shape(rowids, out_type=splits.dtype)[0], dtype=splits.dtype) \
        - array_ops.gather(splits, rowids)
    keep = math_ops.logical_and(math_ops.less(col, width), math_ops.less(rowids, height))
    index = array_ops.stack([math_ops.minimum(rowids, height - 1), math_ops.minimum(col, width - 1)], axis=1)
    keep_values = array_ops.reshape(keep, [-1] + [1] * len(inner_dims))
    kept = array_ops.where(keep_values, inner, array_ops.zeros_like(inner))
    dense = array_ops.scatter_nd(index, kept, out_shape)
    filled = array_ops.scatter_nd(index, array_ops.cast(keep, dtypes.int32), [height, width])
    filled = array_ops.reshape(math_ops.greater(filled, 0), [height, width] + [1] * len(inner_dims))
    return array_ops.where(filled, dense, array_ops.broadcast_to(default, out_shape))


def _to_tensor_eager(splits, inner, default, out_shape):
    """to_tensor with the positions worked out on the host: a gather and a scatter of the
    values (gradients flow), and the padding from a host mask."""
    array_ops, _ = _ops()
    height, width = out_shape[:2]
    rowids, col = host_positions(np.asarray(splits._value))
    keep = (col < width) & (rowids < height)
    kept = inner if keep.all() else array_ops.gather(inner, np.flatnonzero(keep))
    index = np.stack([rowids[keep], col[keep]], axis=1)
    dense = array_ops.scatter_nd(index, kept, out_shape)
    filled = np.zeros((height, width), bool)
    filled[rowids[keep], col[keep]] = True
    if filled.all() or not np.any(np.asarray(default._value)) and default.shape.rank == 0:
        return dense  # scatter_nd fills with zeros, which is the padding
    mask = filled.reshape([height, width] + [1] * (len(out_shape) - 2))
    return array_ops.where(mask, dense, array_ops.broadcast_to(default, out_shape))


def _fit_inner(values, dims, default_value):
    """Dense values padded or truncated to the uniform inner dimensions `dims` of a shape."""
    array_ops, _ = _ops()
    have = list(values.shape[1:])
    begin = [0] * (1 + len(have))
    size = [-1] + [min(h, d) if d is not None else -1 for h, d in zip(have, dims)]
    values = array_ops.slice(values, begin, size)
    pads = [[0, 0]] + [[0, max(d - h, 0) if d is not None else 0] for h, d in zip(have, dims)]
    if any(p[1] for p in pads):
        values = array_ops.pad(values, pads, constant_values=0 if default_value is None else default_value)
    return values


def _to_tensor_host(rt, inner, height, width, default_value):
    """to_tensor of strings, on the host where strings live."""
    splits = _host(rt.row_splits, "RaggedTensor.to_tensor")
    values = np.asarray(inner._value)
    default = b"" if default_value is None else np.asarray(convert_to_tensor(default_value)._value)[()]
    out = np.empty((height, width) + values.shape[1:], dtype=object)
    out[...] = default
    for row in range(min(height, len(splits) - 1)):
        part = values[splits[row]:splits[row + 1]][:width]
        out[row, :len(part)] = part
    return EagerTensor(out)


def from_tensor(tensor, lengths=None, padding=None, ragged_rank=1, row_splits_dtype=dtypes.int64):
    """RaggedTensor.from_tensor: rows cut at `lengths`, or where trailing `padding` begins."""
    array_ops, math_ops = _ops()
    tensor = convert_to_tensor(tensor)
    row_splits_dtype = dtypes.as_dtype(row_splits_dtype)
    rank = tensor.shape.rank
    if not isinstance(ragged_rank, int) or not 0 < ragged_rank < max(rank, 1):
        raise ValueError(f"ragged_rank must be greater than 0 and less than rank ({rank}); got {ragged_rank}")
    if lengths is not None and padding is not None:
        raise ValueError("Specify argument `lengths` or `padding`, but not both.")
    if ragged_rank > 1:
        if lengths is not None or padding is not None:
            raise NotImplementedError("RaggedTensor.from_tensor with ragged_rank > 1 takes no "
                                      "lengths or padding in tfx_lite")
        shape = tensor.shape.as_list()
        inner = array_ops.reshape(tensor, [-1] + shape[2:])
        values = from_tensor(inner, ragged_rank=ragged_rank - 1, row_splits_dtype=row_splits_dtype)
        splits = array_ops.range(0, shape[0] * shape[1] + 1, max(shape[1], 1), dtype=row_splits_dtype)
        return RaggedTensor(values, splits, internal=True, uniform_row_length=shape[1])
    nrows, width = tensor.shape[0], tensor.shape[1]
    if lengths is None and padding is None:
        splits = array_ops.range(0, nrows * width + 1, max(width, 1), dtype=row_splits_dtype) \
            if width else array_ops.zeros([nrows + 1], row_splits_dtype)
        values = array_ops.reshape(tensor, [-1] + tensor.shape.as_list()[2:])
        return RaggedTensor(values, splits, internal=True, uniform_row_length=width)
    if padding is not None:
        padding = convert_to_tensor(padding, dtype=tensor.dtype)
        is_pad = math_ops.equal(tensor, padding)
        for _ in range(rank - 2):
            is_pad = math_ops.reduce_all(is_pad, axis=-1)
        host = np.asarray(_host(is_pad, "RaggedTensor.from_tensor with padding"))
        not_pad = ~host
        lengths = np.where(not_pad.any(axis=1), width - np.argmax(not_pad[:, ::-1], axis=1), 0)
    lengths = _host(convert_to_tensor(lengths, dtype_hint=row_splits_dtype),
                    "RaggedTensor.from_tensor").astype(np.int64)
    lengths = np.minimum(np.maximum(lengths, 0), width)
    mask = np.arange(width)[None, :] < lengths[:, None]
    values = array_ops.boolean_mask(tensor, mask)
    splits = np.concatenate([[0], np.cumsum(lengths)]).astype(row_splits_dtype.as_numpy_dtype)
    return RaggedTensor.from_row_splits(values, splits, validate=False)


def merge_dims(rt, outer_axis, inner_axis):
    """RaggedTensor.merge_dims: dimensions outer_axis..inner_axis become one."""
    array_ops, _ = _ops()
    rank = rt.shape.rank
    outer = outer_axis + rank if outer_axis < 0 else outer_axis
    inner = inner_axis + rank if inner_axis < 0 else inner_axis
    if not 0 <= outer <= inner < rank:
        raise ValueError(f"Expected outer_axis ({outer_axis}) to be less than or equal to "
                         f"inner_axis ({inner_axis})")
    if outer == inner:
        return rt
    if outer > 1:
        values = rt.values
        merged = values.merge_dims(outer - 1, inner - 1) if isinstance(values, RaggedTensor) \
            else _merge_dense(values, outer - 1, inner - 1)
        return rt.with_values(merged)
    if outer == 1:
        for _ in range(inner - 1):
            rt = _merge_second_and_third(rt)
        return rt
    result, steps = rt, inner
    while steps and isinstance(result, RaggedTensor):  # each step merges the first two dimensions
        result, steps = result.values, steps - 1
    return _merge_dense(result, 0, steps) if steps else result


def _merge_second_and_third(rt):
    """Dimensions 1 and 2 of `rt` as one: row i holds its sub-rows one after another."""
    array_ops, _ = _ops()
    values = rt.values
    if isinstance(values, RaggedTensor):
        splits = array_ops.gather(values.row_splits, rt.row_splits)
        return RaggedTensor.from_row_splits(values.values, splits, validate=False)
    width = values.shape[1]
    return RaggedTensor.from_row_splits(_merge_dense(values, 0, 1), rt.row_splits * width, validate=False)


def _merge_dense(tensor, outer, inner):
    array_ops, _ = _ops()
    dims = tensor.shape.as_list()
    return array_ops.reshape(tensor, dims[:outer] + [-1] + dims[inner + 1:])


def to_sparse(rt):
    """RaggedTensor.to_sparse: one sparse entry per value (eager: indices from the splits)."""
    from tfx_lite.sparse.sparse_tensor import SparseTensor
    indices, values, dense_shape = _sparse_parts(rt)
    return SparseTensor(indices, values, dense_shape)


def _sparse_parts(rt):
    if not isinstance(rt, RaggedTensor):
        values = np.asarray(_host(rt, "RaggedTensor.to_sparse")) if rt.dtype is dtypes.string else None
        shape = rt.shape.as_list()
        index = np.indices(shape).reshape(len(shape), -1).T
        from tfx_lite.ops import array_ops
        flat = array_ops.reshape(rt, [-1]) if values is None else EagerTensor(values.reshape(-1))
        return index, flat, shape
    inner_index, values, inner_shape = _sparse_parts(rt.values)
    splits = _host(rt.row_splits, "RaggedTensor.to_sparse")
    rowids, col = host_positions(splits)
    lead = inner_index[:, 0]
    index = np.concatenate([rowids[lead][:, None], col[lead][:, None], inner_index[:, 1:]], axis=1)
    lengths = np.diff(splits)
    shape = [len(splits) - 1, int(lengths.max()) if lengths.size else 0] + list(inner_shape[1:])
    return index.astype(np.int64), values, shape
