"""TF's creation, shape and indexing ops (all top level in TensorFlow: tf.zeros, tf.reshape, ...).

Each function converts its arguments the way TensorFlow does, turns what must be known when the
op runs (shapes, axes, sizes) into static attributes, and binds one op of compiler/ops/array.py.
"""
from __future__ import annotations

import builtins
import numbers

import numpy as np

from compiler.fold import static_value as folded_value
from compiler.ir import Value
from compiler.ops.checks import dims
from tfx_lite.framework import dtypes, errors
from tfx_lite.framework.convert import convert_to_tensor, to_numpy
from tfx_lite.framework.dispatch import add_dispatch_support, add_dispatch_support_to
from tfx_lite.framework.op_call import (call, check_same_dtype, invalid_argument, kernel_type_name,
                                        to_tensor)
from tfx_lite.framework.tensor import EagerTensor, SymbolicTensor, Tensor
from tfx_lite.framework.tensor_shape import TensorShape
from tfx_lite.ops.static_args import static_value

__all__ = [
    "zeros", "ones", "zeros_like", "ones_like", "fill", "eye", "range", "linspace", "one_hot",
    "identity", "identity_n", "stop_gradient", "reshape", "transpose", "expand_dims", "squeeze", "concat", "stack",
    "unstack", "split", "tile", "pad", "broadcast_to", "shape", "shape_n", "size", "rank", "slice",
    "strided_slice", "gather", "gather_nd", "scatter_nd", "tensor_scatter_nd_update",
    "tensor_scatter_nd_add", "tensor_scatter_nd_sub", "tensor_scatter_nd_min",
    "tensor_scatter_nd_max", "where", "boolean_mask", "reverse", "roll", "reverse_sequence",
    "cast", "saturate_cast", "bitcast", "meshgrid", "repeat", "sequence_mask", "unique",
    "unravel_index", "searchsorted", "ensure_shape", "broadcast_dynamic_shape", "broadcast_static_shape",
]

_builtin_range = builtins.range

# Indices of gathers/scatters given as device tensors are range-checked (as TF's CPU kernels do)
# only up to this many elements: the check reads them back to the host. Indices given as Python
# lists or numpy arrays are always checked, before they go to the device.
INDEX_CHECK_LIMIT = 1024


# --------------------------------------------------------------------------------------------
# argument conversion
# --------------------------------------------------------------------------------------------

def _attr_error(attr: str, dtype: dtypes.DType, allowed: str = "int32, int64"):
    return invalid_argument(f"Value for attr '{attr}' of {kernel_type_name(dtype)} is not in the "
                            f"list of allowed values: {allowed}")


def _ints(value, what: str, attr: str | None = None, dynamic: bool = False):
    """An int or (nested) list of ints from an int-like argument (Python, numpy or a tensor).

    TF converts some such arguments with dtype int32 (a float is then a TypeError) and others
    without a dtype, rejecting a float tensor by the kernel's attribute `attr`
    (InvalidArgumentError). With `dynamic`, a traced value that depends on unknown dimensions
    comes back as its IR Value, which the op takes as an operand attribute (known when the
    graph is lowered for the call's shapes)."""
    if isinstance(value, TensorShape):
        return [-1 if d is None else d for d in value.as_list()]
    if not isinstance(value, Tensor) and hasattr(value, "__tf_tensor__"):
        value = value.__tf_tensor__(None, None)
    if isinstance(value, Tensor):
        if not value.dtype.is_integer:
            raise _attr_error(attr or "T", value.dtype)
        if isinstance(value, SymbolicTensor):
            folded = constant_value(value)
            if folded is not None:
                return folded.tolist()
            if dynamic:
                return value._value
        return static_value(value, what)
    if isinstance(value, (np.ndarray, np.generic)):
        if value.dtype.kind not in "iu":
            if attr:
                raise _attr_error(attr, dtypes.as_dtype(value.dtype))
            raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype int32")
        return value.tolist()
    leaves = _leaves(value)
    for leaf in leaves:
        if isinstance(leaf, Tensor) or hasattr(leaf, "__tf_tensor__"):
            if isinstance(value, (list, tuple)):
                items = [_ints(v, what, attr, dynamic) for v in value]
                if not any(type(i) is Value for i in items):
                    return items
            return _ints(convert_to_tensor(value), what, attr, dynamic)
        if not isinstance(leaf, numbers.Integral) and leaf is not None:
            if attr and isinstance(leaf, numbers.Real):
                raise _attr_error(attr, dtypes.float32)
            raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype int32")
    return static_value(value, what)


def _leaves(value):
    if isinstance(value, (list, tuple)):
        out = []
        for v in value:
            out.extend(_leaves(v))
        return out
    return [value]


def constant_value(tensor: Tensor):
    """The value of a symbolic tensor when it only depends on constants and static shapes
    (TF's tensor_util.constant_value): tf.shape(x)[0] inside a traced function can then size a
    reshape, a slice or tf.zeros. None when it depends on a parameter's value or on an unknown
    dimension."""
    if isinstance(tensor, EagerTensor):
        return np.asarray(tensor._value)
    if not isinstance(tensor, SymbolicTensor):
        return None
    return folded_value(tensor._value)


def _int(value, what: str, attr: str | None = None) -> int:
    if type(value) is int:
        return value
    v = _ints(value, what, attr)
    while isinstance(v, list):
        if len(v) != 1:
            raise invalid_argument(f"'{what}' must be a scalar, got {len(v)} values")
        v = v[0]
    return int(v)


def _plain_ints(value) -> bool:
    return type(value) in (list, tuple) and all(type(d) is int for d in value)


def _shape(value, what: str = "shape", attr: str | None = None, dynamic: bool = False):
    """A shape attribute: a tuple of ints, or (with `dynamic`) an IR Value (see `_ints`)."""
    if _plain_ints(value):
        return tuple(value)
    v = _ints(value, what, attr, dynamic)
    if isinstance(v, int):
        return (v,)
    if type(v) is Value:
        return v
    return tuple(-1 if d is None else int(d) for d in v)


def _int_tuple(value, what: str, attr: str | None = None, dynamic: bool = False):
    if _plain_ints(value):
        return tuple(value)
    v = _ints(value, what, attr, dynamic)
    if isinstance(v, int):
        return (v,)
    if type(v) is Value:
        return v
    return tuple(int(d) for d in v)


def _dtype(dtype) -> dtypes.DType | None:
    return None if dtype is None else dtypes.as_dtype(dtype)


def _unwrap_variable(x):
    if not isinstance(x, Tensor) and hasattr(x, "__tf_tensor__"):
        return x.__tf_tensor__(None, None)
    return x


def matching_tensors(tf_name: str, values) -> list[Tensor]:
    """Inputs that must share a dtype, converted as TF's eager executor does: the first tensor's
    dtype (else the first value's own) is used for every Python value; tensors must agree."""
    values = [_unwrap_variable(v) for v in values]
    dtype = next((v.dtype for v in values if isinstance(v, Tensor)), None)
    out = []
    for v in values:
        if isinstance(v, Tensor):
            out.append(v)
        elif dtype is None:
            t = convert_to_tensor(v)
            dtype = t.dtype
            out.append(t)
        else:
            out.append(convert_to_tensor(v, dtype=dtype))
    if len(out) > 1:
        check_same_dtype(tf_name, out)
    return out


# --------------------------------------------------------------------------------------------
# creation
# --------------------------------------------------------------------------------------------

def zeros(shape, dtype=dtypes.float32, name=None, layout=None):
    dtype = dtypes.as_dtype(dtype)
    shape = _shape(shape, dynamic=True)
    if dtype is dtypes.string:
        return call("Fill", "fill", convert_to_tensor(b""), shape=shape)
    return call("Fill", "zeros", shape=shape, dtype=dtype.name)


def ones(shape, dtype=dtypes.float32, name=None, layout=None):
    dtype = dtypes.as_dtype(dtype)
    shape = _shape(shape, dynamic=True)
    if dtype is dtypes.string:
        raise TypeError("Cannot convert 1 to EagerTensor of dtype string")
    return call("Fill", "ones", shape=shape, dtype=dtype.name)


@add_dispatch_support
def zeros_like(input, dtype=None, name=None, layout=None):  # noqa: A002  (TF's name)
    x = to_tensor(input)
    dtype = _dtype(dtype)
    if dtype is None or dtype is x.dtype:
        return call("ZerosLike", "zeros_like", x)
    if dtype is dtypes.string or x.dtype is dtypes.string:
        return zeros(x.shape, dtype)
    return call("ZerosLike", "zeros_like", x, dtype=dtype.name)


@add_dispatch_support
def ones_like(input, dtype=None, name=None, layout=None):  # noqa: A002
    x = to_tensor(input)
    dtype = _dtype(dtype)
    if (dtype or x.dtype) is dtypes.string:
        raise _attr_error("T", dtypes.string, "bfloat16, half, float, double, int8, uint8, int16, "
                          "uint16, int32, uint32, int64, uint64, complex64, complex128, bool")
    if dtype is None or dtype is x.dtype:
        return call("OnesLike", "ones_like", x)
    return call("OnesLike", "ones_like", x, dtype=dtype.name)


def fill(dims, value, name=None, layout=None):
    shape = _shape(dims, "dims", "index_type", dynamic=True)
    return call("Fill", "fill", to_tensor(value), shape=shape)


def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None):
    rows = _int(num_rows, "num_rows")
    columns = rows if num_columns is None else _int(num_columns, "num_columns")
    batch = () if batch_shape is None else _shape(batch_shape, "batch_shape")
    for d in (rows, columns) + batch:
        if d < 0:
            raise invalid_argument(f"Dimension {d} must be >= 0", "Fill")
    return call("MatrixDiag", "eye", num_rows=rows, num_columns=columns, batch_shape=batch,
                dtype=dtypes.as_dtype(dtype).name)


_RANGE_HIERARCHY = ("int32", "int64", "float16", "bfloat16", "float32", "float64")
_RANGE_TYPES = "bfloat16, half, float, double, int8, int16, int32, int64, uint16, uint32, uint64"


def _range_arg(value, dtype, what):
    value = _unwrap_variable(value)
    if isinstance(value, SymbolicTensor):
        folded = constant_value(value)
        if folded is not None:
            value = convert_to_tensor(folded)
    if isinstance(value, Tensor):
        return value
    return convert_to_tensor(value, dtype=dtype)


def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001  (TF's name)
    """tf.range: ints give int32, any float float32 (or the widest tensor dtype given)."""
    if limit is None:
        start, limit = 0, start
    dtype = _dtype(dtype)
    args = [_range_arg(v, dtype, w)
            for v, w in ((start, "start"), (limit, "limit"), (delta, "delta"))]
    if dtype is None:
        for a in args:
            if a.dtype.name not in _RANGE_HIERARCHY:
                raise TypeError(f"tf.range arguments must be int32, int64 or floating, got "
                                f"{a.dtype.name}")
        dtype = max((a.dtype for a in args), key=lambda d: _RANGE_HIERARCHY.index(d.name))
    if dtype.is_bool or dtype.is_complex or dtype is dtypes.string or dtype.name in ("uint8",):
        raise _attr_error("Tidx", dtype, _RANGE_TYPES)
    values = []
    for a in args:
        if isinstance(a, SymbolicTensor):  # depends on an unknown dimension: an operand
            if a.dtype is not dtype:
                a = call("Cast", "cast", a, dtype=dtype.name)
            values.append(a._value)
            continue
        v = a.numpy().astype(dtype.as_numpy_dtype) if a.dtype is not dtype else a.numpy()
        values.append(v.item())
    start, limit, delta = values
    return call("Range", "range", start=start, limit=limit, delta=delta, dtype=dtype.name)


def linspace(start, stop, num, name=None, axis=0):
    start = to_tensor(start)
    stop = convert_to_tensor(_unwrap_variable(stop), dtype=start.dtype)
    if isinstance(num, float) or (isinstance(num, Tensor) and not num.dtype.is_integer):
        raise TypeError(f"Argument `tensor` (name: num) must be of type integer. Received "
                        f"`tensor` = {num} of dtype: "
                        f"{dtypes.float32 if isinstance(num, float) else num.dtype}")
    if start.dtype.is_integer:
        target = dtypes.float32 if start.dtype.size <= 2 else dtypes.float64
        start, stop = cast(start, target), cast(stop, target)
    return call("LinSpace", "linspace", start, stop, num=_int(num, "num"), axis=_int(axis, "axis"))


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    dtype = _dtype(dtype)
    indices = to_tensor(indices)
    if indices.dtype.name not in ("uint8", "int8", "int32", "int64"):
        raise _attr_error("TI", indices.dtype, "uint8, int8, int32, int64")
    on_exists, off_exists = on_value is not None, off_value is not None
    if on_exists:
        on_value = convert_to_tensor(_unwrap_variable(on_value), dtype_hint=dtype)
    if off_exists:
        off_value = convert_to_tensor(_unwrap_variable(off_value), dtype_hint=dtype)
    if on_exists or off_exists:
        if dtype is not None:
            if on_exists and on_value.dtype is not dtype:
                raise TypeError(f"dtype {on_value.dtype} of on_value does not match dtype "
                                f"parameter {dtype}")
            if off_exists and off_value.dtype is not dtype:
                raise TypeError(f"dtype {off_value.dtype} of off_value does not match dtype "
                                f"parameter {dtype}")
        else:
            dtype = on_value.dtype if on_exists else off_value.dtype
    elif dtype is None:
        dtype = dtypes.float32
    if not on_exists:
        on_value = convert_to_tensor(1, dtype)
    if not off_exists:
        off_value = convert_to_tensor(0, dtype)
    if on_value.dtype is not off_value.dtype:
        raise TypeError(f"dtype {on_value.dtype} of on_value does not match dtype "
                        f"{off_value.dtype} of off_value")
    return call("OneHot", "one_hot", indices, on_value, off_value, depth=_int(depth, "depth"),
                axis=-1 if axis is None else _int(axis, "axis"))


# --------------------------------------------------------------------------------------------
# shapes
# --------------------------------------------------------------------------------------------

@add_dispatch_support
def identity(input, name=None):  # noqa: A002
    return call("Identity", "identity", to_tensor(input))


@add_dispatch_support
def stop_gradient(input, name=None):  # noqa: A002
    """The input's value, with no gradient flowing through it (an op of its own in the IR)."""
    return call("StopGradient", "stop_gradient", to_tensor(input))


def identity_n(input, name=None):  # noqa: A002
    return [identity(x) for x in input]


def reshape(tensor, shape, name=None):
    return call("Reshape", "reshape", to_tensor(tensor), shape=_shape(shape, "shape", "Tshape", dynamic=True))


def transpose(a, perm=None, conjugate=False, name="transpose"):
    x = to_tensor(a)
    perm = tuple(_builtin_range(x.ndim - 1, -1, -1)) if perm is None else \
        _int_tuple(perm, "perm", "Tperm")
    if conjugate and x.dtype.is_complex:
        return call("ConjugateTranspose", "transpose", x, perm=perm, conjugate=True)
    return call("Transpose", "transpose", x, perm=perm)


@add_dispatch_support
def expand_dims(input, axis, name=None):  # noqa: A002
    if isinstance(axis, float):
        raise TypeError(f"Cannot convert {axis!r} to EagerTensor of dtype int32")
    axes = _ints(axis, "axis", "Tdim")
    if isinstance(axes, list):
        if len(axes) != 1:
            raise invalid_argument("'dim' must be a tensor with a single value", "ExpandDims")
        axes = axes[0]
    return call("ExpandDims", "expand_dims", to_tensor(input), axis=int(axes))


def squeeze(input, axis=None, name=None):  # noqa: A002
    x = to_tensor(input)
    if axis is not None:
        axis = _int_tuple(axis, "axis")
        if not axis:
            axis = None
    return call("Squeeze", "squeeze", x, axis=axis)


@add_dispatch_support
def concat(values, axis, name="concat"):
    if not isinstance(values, (list, tuple)):
        values = [values]
    tensors = matching_tensors("ConcatV2", values)
    if len(tensors) == 1:
        return identity(tensors[0])
    if not tensors:
        raise invalid_argument("ConcatV2 needs at least one input", "ConcatV2")
    return call("ConcatV2", "concat", *tensors, axis=_int(axis, "axis"))


@add_dispatch_support
def stack(values, axis=0, name="stack"):
    axis = _int(axis, "axis")
    values = list(values) if isinstance(values, (list, tuple)) else values
    if axis == 0 and isinstance(values, list) and not any(
            isinstance(v, Tensor) or hasattr(v, "__tf_tensor__") for v in _leaves(values)):
        try:
            return convert_to_tensor(values)
        except (TypeError, ValueError):
            pass
    if isinstance(values, Tensor):
        values = unstack(values)
    tensors = matching_tensors("Pack", values)
    rank = tensors[0].ndim + 1
    if not -rank <= axis < rank:
        raise ValueError(f"Argument `axis` = {axis} not in range [{-rank}, {rank})")
    return call("Pack", "stack", *tensors, axis=axis)


def unstack(value, num=None, axis=0, name="unstack"):
    x = to_tensor(value)
    axis = _int(axis, "axis")
    rank = x.ndim
    if not -rank <= axis < rank:
        raise ValueError(f"Argument `axis` = {axis} not in range [{-rank}, {rank})")
    if num is not None and x._value.shape[axis] is not None and num != x._value.shape[axis]:
        raise invalid_argument(f"Input shape axis {axis % rank} must equal {num}, got shape "
                               f"{dims(x.shape.as_list())}", "Unpack")
    return list(call("Unpack", "unstack", x, axis=axis % rank))


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    x = to_tensor(value)
    axis = _int(axis, "axis")
    sizes = _ints(num_or_size_splits, "num_or_size_splits")
    rank = x.ndim
    if isinstance(sizes, int):
        if sizes < 1:
            raise invalid_argument(f"Value for attr 'num_split' of {sizes} must be at least "
                                   "minimum 1")
        if not -rank <= axis < rank:
            raise invalid_argument(f"-input rank(-{rank}) <= split_dim < input rank ({rank}), but "
                                   f"got {axis}", "Split")
        dim = x._value.shape[axis]
        if dim % sizes:
            raise invalid_argument("Number of ways to split should evenly divide the split "
                                   f"dimension, but got split_dim {axis % rank} (size = {dim}) and "
                                   f"num_split {sizes}", "Split")
        return list(call("Split", "split", x, sizes=(dim // sizes,) * sizes, axis=axis))
    sizes = tuple(int(s) for s in sizes)
    if num is not None and num != len(sizes):
        raise invalid_argument("size of the split_tensor must be 1-D and have the same elements "
                               f"as outputs got 1 -D and {len(sizes)} elements", "SplitV")
    return list(call("SplitV", "split", x, sizes=sizes, axis=axis))


@add_dispatch_support
def tile(input, multiples, name=None):  # noqa: A002
    return call("Tile", "tile", to_tensor(input),
                multiples=_int_tuple(multiples, "multiples", "Tmultiples", dynamic=True))


_PAD_MODES = {"CONSTANT": "Pad", "REFLECT": "MirrorPad", "SYMMETRIC": "MirrorPad"}


def pad(tensor, paddings, mode="CONSTANT", constant_values=0, name=None):
    mode = str(mode).upper()
    if mode not in _PAD_MODES:
        raise ValueError(f'Value of argument `mode` expected to be one of "CONSTANT", "REFLECT", '
                         f'or "SYMMETRIC". Received `mode` = {mode}')
    x = to_tensor(tensor)
    pads = _ints(paddings, "paddings", "Tpaddings")
    try:
        pshape = tuple(paddings.shape) if hasattr(paddings, "shape") else np.shape(pads)
    except ValueError:  # ragged
        pshape = (len(pads),)
    if len(pshape) != 2 or pshape[1] != 2:
        raise invalid_argument(f"paddings must be a matrix with 2 columns: {dims(pshape)}",
                               _PAD_MODES[mode])
    pads = tuple((int(a), int(b)) for a, b in pads)
    if x.dtype is dtypes.string and constant_values == 0:
        constant_values = b""
    constant = _unwrap_variable(constant_values)
    constant = constant if isinstance(constant, Tensor) else convert_to_tensor(constant, dtype=x.dtype)
    return call(_PAD_MODES[mode], "pad", x, constant, paddings=pads, mode=mode)


def broadcast_to(input, shape, name=None):  # noqa: A002
    return call("BroadcastTo", "broadcast_to", to_tensor(input),
                shape=_shape(shape, "shape", "Tidx", dynamic=True))


def _out_type(out_type):
    out_type = dtypes.as_dtype(out_type)
    if out_type not in (dtypes.int32, dtypes.int64):
        raise _attr_error("out_type", out_type)
    return out_type.name


@add_dispatch_support
def shape(input, out_type=None, name=None):  # noqa: A002
    return call("Shape", "shape", to_tensor(input),
                out_type=_out_type(dtypes.int32 if out_type is None else out_type))


def shape_n(input, out_type=dtypes.int32, name=None):  # noqa: A002
    return [shape(x, out_type) for x in input]


@add_dispatch_support
def size(input, out_type=None, name=None):  # noqa: A002
    return call("Size", "size", to_tensor(input),
                out_type=_out_type(dtypes.int32 if out_type is None else out_type))


@add_dispatch_support
def rank(input, name=None):  # noqa: A002
    return call("Rank", "rank", to_tensor(input))


def ensure_shape(x, shape, name=None):
    x = to_tensor(x)
    want = TensorShape(shape) if not isinstance(shape, TensorShape) else shape
    if not want.is_compatible_with(x.shape):
        expected = dims(want.as_list()) if want.rank is not None else "[<unknown>]"
        raise invalid_argument(f"Shape of tensor input {dims(x.shape.as_list())} is not compatible "
                               f"with expected shape {expected}.", "EnsureShape")
    return call("EnsureShape", "identity", x)


def broadcast_static_shape(shape_x, shape_y):
    x, y = TensorShape(shape_x), TensorShape(shape_y)
    if x.rank is None or y.rank is None:
        return TensorShape(None)
    a, b = x.as_list(), y.as_list()
    n = max(len(a), len(b))
    a, b = [1] * (n - len(a)) + a, [1] * (n - len(b)) + b
    out = []
    for p, q in zip(a, b):
        if p == 1 or p is None and q not in (None, 1):
            out.append(q if p == 1 else q)
        elif q == 1 or q is None or p == q:
            out.append(p)
        else:
            raise ValueError(f"Incompatible shapes for broadcasting. Two shapes are compatible if "
                             f"for each dimension pair they are either equal or one of them is 1. "
                             f"Received: {x} and {y}.")
    return TensorShape(out)


def broadcast_dynamic_shape(shape_x, shape_y):
    sx, sy = to_tensor(shape_x), to_tensor(shape_y)
    if isinstance(sx, EagerTensor) and isinstance(sy, EagerTensor):
        a = [int(v) for v in np.asarray(sx).reshape(-1)]
        b = [int(v) for v in np.asarray(sy).reshape(-1)]
        for p, q in zip(reversed(a), reversed(b)):
            if p != q and p != 1 and q != 1:
                raise invalid_argument(f"Incompatible shapes: {dims(a)} vs. {dims(b)}",
                                       "BroadcastArgs")
    sx, sy = matching_tensors("BroadcastArgs", [sx, sy])
    return call("BroadcastArgs", "broadcast_args", sx, sy)


# --------------------------------------------------------------------------------------------
# slicing
# --------------------------------------------------------------------------------------------

def slice(input_, begin, size, name=None):  # noqa: A001  (TF's name)
    x = to_tensor(input_)
    return call("Slice", "slice", x, begin=_int_tuple(begin, "begin", "Index", dynamic=True),
                size=_int_tuple(size, "size", "Index", dynamic=True))


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0,
                  new_axis_mask=0, shrink_axis_mask=0, var=None, name=None):
    x = to_tensor(input_)
    begin = _int_tuple(begin, "begin", "Index")
    end = _int_tuple(end, "end", "Index")
    strides = (1,) * len(begin) if strides is None else _int_tuple(strides, "strides", "Index")
    return call("StridedSlice", "strided_slice", x, begin=begin, end=end, strides=strides,
                begin_mask=int(begin_mask), end_mask=int(end_mask),
                ellipsis_mask=int(ellipsis_mask), new_axis_mask=int(new_axis_mask),
                shrink_axis_mask=int(shrink_axis_mask))


# --------------------------------------------------------------------------------------------
# gather / scatter
# --------------------------------------------------------------------------------------------

def _index_tensor(indices, attr="Tindices"):
    """(Tensor, host copy or None): indices as a tensor, with a numpy copy when it is cheap."""
    indices = _unwrap_variable(indices)
    if isinstance(indices, Tensor):
        if not indices.dtype.is_integer:
            raise _attr_error(attr, indices.dtype, "int16, int32, int64")
        host = None
        if isinstance(indices, EagerTensor):
            value = indices._value
            # never block on a result still being computed, nor copy much back
            if value.size <= INDEX_CHECK_LIMIT and \
                    (isinstance(value, np.ndarray) or value.is_ready()):
                host = np.asarray(value)
        return indices, host
    host = to_numpy(indices)
    if host.dtype.kind not in "iu":
        raise _attr_error(attr, dtypes.as_dtype(host.dtype) if host.dtype != object
                          else dtypes.string, "int16, int32, int64")
    return convert_to_tensor(host), host


def _position(flat_index: int, shape) -> str:
    if not shape:
        return ""
    return "[" + ",".join(str(int(i)) for i in np.unravel_index(flat_index, shape)) + "]"


def _check_gather_indices(host, dim: int, tf_name: str):
    if host is None or host.size == 0:
        return
    if host.size <= 32:  # Python's min/max beat numpy's reductions on a few elements
        values = host.ravel().tolist()
        if min(values) >= 0 and max(values) < dim:
            return
    elif host.min() >= 0 and host.max() < dim:
        return
    bad = (host < 0) | (host >= dim)
    if bad.any():
        first = int(np.argmax(bad.reshape(-1)))
        value = host.reshape(-1)[first]
        raise invalid_argument(f"indices{_position(first, host.shape)} = {value} is not in "
                               f"[0, {dim})", tf_name)


def _check_nd_indices(host, shape, tf_name: str, what: str):
    if host is None or host.size == 0 or host.ndim == 0:
        return
    depth = host.shape[-1]
    if depth > len(shape):
        return
    bounds = np.asarray(shape[:depth], dtype=np.int64)
    flat = host.reshape(-1, depth)
    bad = ((flat < 0) | (flat >= bounds)).any(axis=1)
    if bad.any():
        first = int(np.argmax(bad))
        position = _position(first, host.shape[:-1]) or "[0]"
        values = ", ".join(str(v) for v in flat[first])
        raise invalid_argument(f"indices{position} = [{values}] does not index into {what} "
                               f"{dims(shape)}", tf_name)


@add_dispatch_support
def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    p = to_tensor(params)
    i, host = _index_tensor(indices)
    batch_dims = _int(batch_dims, "batch_dims")
    axis = batch_dims if axis is None else _int(axis, "axis")
    if axis == 0:
        batch_dims = 0  # TF's gather drops batch_dims for a constant axis 0
    rank = p.ndim
    if batch_dims < 0:
        batch_dims += i.ndim
    if axis < 0:
        axis += rank
    if rank and 0 <= axis < rank and batch_dims <= axis:
        _check_gather_indices(host, p._value.shape[axis], "GatherV2")
    return call("GatherV2", "gather", p, i, axis=axis, batch_dims=batch_dims)


@add_dispatch_support
def gather_nd(params, indices, batch_dims=0, name=None):
    p = to_tensor(params)
    i, host = _index_tensor(indices)
    batch_dims = _int(batch_dims, "batch_dims")
    if host is not None and batch_dims == 0:
        _check_nd_indices(host, list(p._value.shape), "GatherNd", "param shape")
    return call("GatherNd", "gather_nd", p, i, batch_dims=batch_dims)


def scatter_nd(indices, updates, shape, name=None):
    i, host = _index_tensor(indices)
    u = to_tensor(updates)
    shape = _shape(shape, "shape", "Tindices")
    _check_nd_indices(host, list(shape), "ScatterNd", "shape")
    return call("ScatterNd", "scatter_nd", i, u, shape=shape)


def _tensor_scatter(tf_name, op):
    def scatter(tensor, indices, updates, name=None):
        t = to_tensor(tensor)
        i, host = _index_tensor(indices)
        u = _unwrap_variable(updates)
        u = u if isinstance(u, Tensor) else convert_to_tensor(u, dtype=t.dtype)
        check_same_dtype(tf_name, [t, u]) if u.dtype is not t.dtype else None
        _check_nd_indices(host, list(t._value.shape), tf_name, "shape")
        return call(tf_name, op, t, i, u)
    scatter.__name__ = op
    scatter.__qualname__ = op
    return scatter


tensor_scatter_nd_update = _tensor_scatter("TensorScatterUpdate", "tensor_scatter_nd_update")
tensor_scatter_nd_add = _tensor_scatter("TensorScatterAdd", "tensor_scatter_nd_add")
tensor_scatter_nd_sub = _tensor_scatter("TensorScatterSub", "tensor_scatter_nd_sub")
tensor_scatter_nd_min = _tensor_scatter("TensorScatterMin", "tensor_scatter_nd_min")
tensor_scatter_nd_max = _tensor_scatter("TensorScatterMax", "tensor_scatter_nd_max")


def _host_count(tensor: Tensor, what: str) -> int:
    if isinstance(tensor, SymbolicTensor):
        raise TypeError(f"{what} has an output whose size depends on the values of its input, "
                        f"which XLA cannot compile: call it outside the traced function, or use "
                        f"a fixed-size form (tf.where(cond, x, y), a mask multiplied in)")
    return int(np.count_nonzero(np.asarray(tensor._value)))


@add_dispatch_support
def where(condition, x=None, y=None, name=None):
    if (x is None) != (y is None):
        raise ValueError("x and y must both be non-None or both be None.")
    if x is None:
        cond = to_tensor(condition)
        if cond.dtype is dtypes.string:
            raise _attr_error("T", dtypes.string, "float, double, int32, uint8, int16, int8, "
                              "complex64, int64, bfloat16, half, uint32, uint64, bool")
        if cond.ndim == 0:
            raise invalid_argument("WhereOp : Unhandled input dimensions: 0", "Where")
        return call("Where", "where", cond, size=_host_count(cond, "tf.where(condition)"))
    cond = _unwrap_variable(condition)
    cond = cond if isinstance(cond, Tensor) else convert_to_tensor(cond, dtype=dtypes.bool)
    if cond.dtype is not dtypes.bool:
        raise invalid_argument("cannot compute SelectV2 as input #0(zero-based) was expected to "
                               f"be a bool tensor but is a {kernel_type_name(cond.dtype)} tensor",
                               "SelectV2")
    x, y = matching_tensors("SelectV2", [x, y])
    return call("SelectV2", "select", cond, x, y)


@add_dispatch_support
def boolean_mask(tensor, mask, axis=None, name="boolean_mask"):
    x = to_tensor(tensor)
    m = to_tensor(mask)
    if m.ndim == 0:
        raise ValueError("mask cannot be scalar.")
    axis = 0 if axis is None else _int(axis, "axis")
    if axis < 0:
        axis += x.ndim
    have = tuple(x._value.shape[axis:axis + m.ndim])
    want = tuple(m._value.shape)
    if have != want:
        raise ValueError(f"Shapes {TensorShape(have)} and {TensorShape(want)} are incompatible")
    return call("BooleanMask", "boolean_mask", x, m, axis=axis,
                size=_host_count(m, "tf.boolean_mask"))


# --------------------------------------------------------------------------------------------
# reordering
# --------------------------------------------------------------------------------------------

def reverse(tensor, axis, name=None):
    x = to_tensor(tensor)
    axes = _ints(axis, "axis", "Tidx")
    if isinstance(axes, int):
        raise invalid_argument("'dims' must be 1-dimension, not 0", "ReverseV2")
    return call("ReverseV2", "reverse", x, axis=tuple(int(a) for a in axes))


def roll(input, shift, axis, name=None):  # noqa: A002
    x = to_tensor(input)
    return call("Roll", "roll", x, shift=_int_tuple(shift, "shift", "Tshift"),
                axis=_int_tuple(axis, "axis", "Taxis"))


def reverse_sequence(input, seq_lengths, seq_axis=None, batch_axis=None, name=None):  # noqa: A002
    x = to_tensor(input)
    lengths = to_tensor(seq_lengths)
    return call("ReverseSequence", "reverse_sequence", x, lengths,
                seq_axis=_int(0 if seq_axis is None else seq_axis, "seq_axis"),
                batch_axis=_int(0 if batch_axis is None else batch_axis, "batch_axis"))


# --------------------------------------------------------------------------------------------
# dtypes
# --------------------------------------------------------------------------------------------

@add_dispatch_support
def cast(x, dtype, name=None):
    """tf.cast: converts `x` as usual first (0.1 becomes float32 before any cast), then Cast."""
    dtype = dtypes.as_dtype(dtype)
    x = to_tensor(_unwrap_variable(x))
    if x.dtype is dtype:
        return x
    if x.dtype is dtypes.string or dtype is dtypes.string:
        raise errors.UnimplementedError(
            None, None, f"Cast {x.dtype.name} to {dtype.name} is not supported [Op:Cast]")
    return call("Cast", "cast", x, dtype=dtype.name)


def saturate_cast(value, dtype, name=None):
    x = to_tensor(value)
    dtype = dtypes.as_dtype(dtype)
    if x.dtype is dtype:
        return x
    return call("Cast", "saturate_cast", x, dtype=dtype.name)


def bitcast(input, type, name=None):  # noqa: A002
    x = to_tensor(input)
    dtype = dtypes.as_dtype(type)
    return call("Bitcast", "bitcast", x, dtype=dtype.name)


# --------------------------------------------------------------------------------------------
# assorted
# --------------------------------------------------------------------------------------------

def meshgrid(*args, **kwargs):
    indexing = kwargs.pop("indexing", "xy")
    kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"'{next(iter(kwargs))}' is an invalid keyword argument for this function")
    if indexing not in ("xy", "ij"):
        raise ValueError(f"Argument `indexing` parameter must be either 'xy' or 'ij', got "
                         f"'{indexing}'")
    tensors = [to_tensor(a) for a in args]
    if not tensors:
        return []
    check_same_dtype("Mul", tensors)
    return list(call("Meshgrid", "meshgrid", *tensors, indexing=indexing))


def repeat(input, repeats, axis=None, name=None):  # noqa: A002
    x = to_tensor(input)
    reps = _ints(repeats, "repeats")
    if isinstance(reps, list):
        reps = tuple(int(r) for r in reps)
        if len(reps) == 1:
            reps = reps[0]
    if axis is not None:
        axis = _int(axis, "axis")
        rank = max(x.ndim, 1)
        if not -rank <= axis < rank:
            raise ValueError(f"axis {axis} is out of range for a tensor of rank {x.ndim}")
        if x.ndim == 0:
            axis = None
        else:
            axis %= x.ndim
    if isinstance(reps, tuple):
        dim = x._value.shape[axis] if axis is not None else int(np.prod(x._value.shape))
        if len(reps) != dim:
            raise ValueError(f"Dimensions {dim} and {len(reps)} are not compatible")
    for r in reps if isinstance(reps, tuple) else (reps,):
        if r < 0:
            raise invalid_argument(f"Expected multiples[1] >= 0, but got {r}", "Tile")
    return call("Repeat", "repeat", x, repeats=reps, axis=axis)


def sequence_mask(lengths, maxlen=None, dtype=dtypes.bool, name=None):
    lengths = to_tensor(lengths)
    if maxlen is None:
        if isinstance(lengths, SymbolicTensor):
            raise TypeError("tf.sequence_mask without maxlen has an output size that depends on "
                            "the values of `lengths`; pass maxlen inside a traced function")
        host = np.asarray(lengths._value)
        maxlen = int(host.max()) if host.size else 0
    else:
        value = _ints(maxlen, "maxlen") if not isinstance(maxlen, float) else maxlen
        if isinstance(value, list):
            raise ValueError(f"Argument `maxlen` must be scalar for sequence_mask, received "
                             f"`maxlen` = {maxlen} with shape '{np.shape(value)}' instead")
        maxlen = int(value)
    if not lengths.dtype.is_integer:
        lengths = cast(lengths, dtypes.int64)
    return call("SequenceMask", "sequence_mask", lengths, maxlen=maxlen,
                dtype=dtypes.as_dtype(dtype).name)


def unique(x, out_idx=dtypes.int32, name=None):
    t = to_tensor(x)
    if t.ndim != 1:
        raise invalid_argument(f"unique expects a 1D vector. [Op:Unique]", "Unique")
    if isinstance(t, SymbolicTensor):
        raise TypeError("tf.unique has an output whose size depends on the values of its input, "
                        "which XLA cannot compile: call it outside the traced function")
    size = len(np.unique(np.asarray(t._value)))
    y, idx = call("Unique", "unique", t, size=size, out_idx=dtypes.as_dtype(out_idx).name)
    return _Unique(y, idx)


class _Unique(tuple):
    """tf.unique's result: a namedtuple-like (y, idx)."""

    def __new__(cls, y, idx):
        return super().__new__(cls, (y, idx))

    y = property(lambda self: self[0])
    idx = property(lambda self: self[1])

    def __repr__(self):
        return f"Unique(y={self[0]!r}, idx={self[1]!r})"


def searchsorted(sorted_sequence, values, side="left", out_type=dtypes.int32, name=None):
    """tf.searchsorted: for each row of `values`, the insertion points into the same row of
    `sorted_sequence` (innermost dimension)."""
    if side not in ("left", "right"):
        raise ValueError(f"Argument `side` must be either 'right' or 'left'. Received: `side` = '{side}'.")
    seq, vals = matching_tensors("SearchSorted", [sorted_sequence, values])
    return call("SearchSorted", "searchsorted", seq, vals, side=side,
                out_type=dtypes.as_dtype(out_type).name)


def unravel_index(indices, dims, name=None):
    i = to_tensor(indices)
    dims = _int_tuple(dims, "dims")
    if isinstance(i, EagerTensor):
        host = np.asarray(i._value)
        if host.size and ((host < 0).any() or (host >= int(np.prod(dims))).any()):
            raise invalid_argument("index is out of bound as with dims", "UnravelIndex")
    return call("UnravelIndex", "unravel_index", i, dims=dims)


__all__ = sorted(set(__all__))


add_dispatch_support_to(globals(), __all__)
