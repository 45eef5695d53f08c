"""Elementwise TF ops on RaggedTensors: they run on the flat values. A dense operand is a scalar,
broadcasts against the inner dimensions, or has one value per row ([nrows, 1]); two ragged
operands must share their row partition (TF's assert otherwise)."""
from __future__ import annotations

import numpy as np

from tfx_lite.framework import dtypes, errors
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.dispatch import dispatch_for, dispatch_for_each
from tfx_lite.framework.tensor import EagerTensor, Tensor
from tfx_lite.ops import array_ops, math_ops
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


def same_partition(x, y) -> bool:
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


def incompatible_partitions():
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
    if not same_partition(as_ragged, rt):
        raise incompatible_partitions()
    return as_ragged.flat_values


def binary_handler(api):
    def handle(x, y, *args, **kwargs):
        if is_ragged(x) and is_ragged(y):
            if not same_partition(x, y):
                raise incompatible_partitions()
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
dispatch_for_each(BINARY_ELEMENTWISE, binary_handler)


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
            if not same_partition(p, ragged):
                raise incompatible_partitions()
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
