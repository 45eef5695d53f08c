"""Tensor.__getitem__ with TensorFlow's semantics (ops/tensor_getitem_override.py: _slice_helper).

A key of ints, slices, Ellipsis and tf.newaxis (None) becomes one `strided_slice` op with TF's
begin/end/strides and five masks. A bool key (a Python bool, a bool tensor or numpy array) is
tf.boolean_mask. A list key is read as a tuple, as TF does. Scalar int tensors may stand for
ints: eager ones are read, symbolic ones (inside a traced function) index dynamically.

Fast path: the attributes for a key made only of ints, None, Ellipsis and int/None slices are
cached per (key, input shape); such a key costs one dict lookup and one bind.
"""
from __future__ import annotations

import numbers

import numpy as np

from compiler import OpInputError, Value, bind
from compiler.ops.checks import dims
from tfx_lite.framework import dtypes
from tfx_lite.framework.op_call import invalid_argument, op_error
from tfx_lite.framework.tensor import EagerTensor, SymbolicTensor, Tensor, wrap

_SLICE_TYPE_ERROR = ("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and "
                     "scalar tf.int32/tf.int64 tensors are valid indices")
_INDEX_DTYPES = ("int16", "int32", "int64")

_SLICE = object()  # marks a slice inside a cache key (slices are unhashable before Python 3.12)
_PLAIN_BOUND = (int, type(None))
_CACHE: dict = {}
_CACHE_LIMIT = 8192


def _cache_key(key):
    """A hashable stand-in for `key` when it holds only ints, None, Ellipsis and slices of ints
    and None (bool excluded: it is a mask at top level); else None."""
    t = type(key)
    if t is int or key is None or key is Ellipsis:
        return key
    if t is slice:
        if type(key.start) in _PLAIN_BOUND and type(key.stop) in _PLAIN_BOUND \
                and type(key.step) in _PLAIN_BOUND:
            return (_SLICE, key.start, key.stop, key.step)
        return None
    if t is tuple:
        out = []
        for item in key:
            ti = type(item)
            if ti is int or item is None or item is Ellipsis:
                out.append(item)
            elif ti is slice and type(item.start) in _PLAIN_BOUND \
                    and type(item.stop) in _PLAIN_BOUND and type(item.step) in _PLAIN_BOUND:
                out.append((_SLICE, item.start, item.stop, item.step))
            else:
                return None
        return tuple(out)
    return None


def getitem(tensor, key):
    """tensor[key], as TensorFlow computes it."""
    value = tensor._value
    hkey = _cache_key(key)
    if hkey is not None:
        attrs = _CACHE.get((hkey, value.shape))
        if attrs is None:
            attrs, _ = _encode(key, len(value.shape))
            if len(_CACHE) < _CACHE_LIMIT:
                _CACHE[(hkey, value.shape)] = attrs
        try:
            out = bind("strided_slice", value, **attrs)
        except OpInputError as err:
            raise op_error("StridedSlice", err) from None
        # an eager tensor indexed while a graph is built gives a symbolic result too
        return SymbolicTensor(out) if type(out) is Value else EagerTensor(out)
    return _getitem_slow(tensor, key)


def _is_bool_key(key) -> bool:
    return isinstance(key, (bool, np.bool_)) \
        or (isinstance(key, Tensor) and key.dtype is dtypes.bool) \
        or (isinstance(key, np.ndarray) and key.dtype == bool) \
        or (hasattr(key, "__tf_tensor__") and getattr(key, "dtype", None) is dtypes.bool)


def _getitem_slow(tensor, key):
    if _is_bool_key(key):
        from tfx_lite.ops.array_ops import boolean_mask
        return boolean_mask(tensor, key)
    items = tuple(key) if isinstance(key, (list, tuple)) else (key,)
    if items and all(isinstance(i, (bool, np.bool_)) for i in items):
        raise invalid_argument("Value for attr 'Index' of bool is not in the list of allowed values: "
                               "int16, int32, int64")
    attrs, dynamic = _encode(items, tensor.ndim)
    out = tensor if dynamic and _is_identity(attrs, len(items)) else _strided(tensor, attrs)
    if dynamic:
        from tfx_lite.framework.op_call import call
        axes = tuple(axis for axis, _ in dynamic)
        out = call("StridedSlice", "dynamic_index", out, *[t for _, t in dynamic], axes=axes)
    return out


def _is_identity(attrs, n: int) -> bool:
    """Whether the strided slice `attrs` keeps every element in place (only `:` items)."""
    full = (1 << n) - 1
    return attrs.get("begin_mask", 0) == full and attrs.get("end_mask", 0) == full \
        and all(s == 1 for s in attrs["strides"]) and len(attrs) == 5


def _strided(tensor, attrs):
    try:
        out = bind("strided_slice", tensor._value, **attrs)
    except OpInputError as err:
        raise op_error("StridedSlice", err) from None
    return wrap(out)


def _index_value(x, what="index"):
    """An int, or the tensor itself when it is symbolic (a dynamic index); TypeError as TF's
    _check_index for anything else."""
    if isinstance(x, numbers.Integral):
        return int(x)
    if not isinstance(x, Tensor) and hasattr(x, "__tf_tensor__"):
        x = x.__tf_tensor__(None, None)
    dtype = getattr(x, "dtype", None)
    try:
        name = dtypes.as_dtype(dtype).name if dtype is not None else None
    except TypeError:
        name = None
    shape = getattr(x, "shape", None)
    if name not in _INDEX_DTYPES or (shape is not None and len(shape) == 1):
        raise TypeError(f"{_SLICE_TYPE_ERROR}, got {x!r}")
    if len(shape):
        raise invalid_argument(f"Expected begin, end, and strides to be 1D equal size tensors, but got "
                               f"shapes {dims(shape)}, {dims(shape)}, and [1] instead.", "StridedSlice")
    if isinstance(x, SymbolicTensor):
        from tfx_lite.ops.array_ops import constant_value
        folded = constant_value(x)
        return x if folded is None else int(folded)
    if isinstance(x, EagerTensor):
        return int(x.numpy())
    return int(np.asarray(x))


def _encode(key, rank: int):
    """TF's strided_slice attributes for `key`, plus [(output axis, symbolic index tensor)] for
    symbolic scalar indices (sliced as `:` here, indexed afterwards by dynamic_index)."""
    items = key if isinstance(key, tuple) else (key,)
    begin, end, strides = [], [], []
    begin_mask = end_mask = ellipsis_mask = new_axis_mask = shrink_axis_mask = 0
    dynamic = []
    out_axis = 0  # output dimensions produced so far (only needed for dynamic indices)
    n_real = sum(1 for i in items if i is not None and i is not Ellipsis)
    for index, s in enumerate(items):
        bit = 1 << index
        if isinstance(s, slice):
            b, e, st = (None if v is None else _index_value(v) for v in (s.start, s.stop, s.step))
            if isinstance(b, SymbolicTensor) or isinstance(e, SymbolicTensor) \
                    or isinstance(st, SymbolicTensor):
                raise TypeError(
                    "slice bounds that are symbolic tensors give a result whose shape is unknown "
                    "until run time, which XLA cannot compile; use Python ints, or tf.gather / "
                    "tf.slice with sizes known when the function is traced")
            if b is None:
                begin.append(0)
                begin_mask |= bit
            else:
                begin.append(b)
            if e is None:
                end.append(0)
                end_mask |= bit
            else:
                end.append(e)
            strides.append(1 if st is None else st)
            out_axis += 1
        elif s is Ellipsis:
            begin.append(0)
            end.append(0)
            strides.append(1)
            ellipsis_mask |= bit
            out_axis += max(rank - n_real, 0)
        elif s is None:
            begin.append(0)
            end.append(0)
            strides.append(1)
            new_axis_mask |= bit
            out_axis += 1
        else:
            v = _index_value(s)
            if isinstance(v, SymbolicTensor):
                begin.append(0)
                end.append(0)
                strides.append(1)
                begin_mask |= bit
                end_mask |= bit
                dynamic.append((out_axis, v))
                out_axis += 1
                continue
            begin.append(v)
            end.append(v + 1)
            strides.append(1)
            shrink_axis_mask |= bit
    attrs = {"begin": tuple(begin), "end": tuple(end), "strides": tuple(strides)}
    for name, mask in (("begin_mask", begin_mask), ("end_mask", end_mask),
                       ("ellipsis_mask", ellipsis_mask), ("new_axis_mask", new_axis_mask),
                       ("shrink_axis_mask", shrink_axis_mask)):
        if mask:
            attrs[name] = mask
    return attrs, dynamic


def updated(tensor, key, value):
    """`tensor` with tensor[key] replaced by `value` (broadcast to the slice's shape, converted to
    the tensor's dtype): what TF's sliced assignment `variable[key].assign(value)` stores.
    Only static keys (ints, slices, Ellipsis, newaxis, eager scalar tensors)."""
    from tfx_lite.framework.op_call import call
    from tfx_lite.ops.array_ops import matching_tensors
    items = tuple(key) if isinstance(key, (list, tuple)) else (key,)
    attrs, dynamic = _encode(items, tensor.ndim)
    if dynamic:
        raise TypeError("sliced assignment needs indices known when the function is traced")
    value = matching_tensors("TensorStridedSliceUpdate", [tensor, value])[1]
    return call("TensorStridedSliceUpdate", "strided_slice_update", tensor, value, **attrs)
