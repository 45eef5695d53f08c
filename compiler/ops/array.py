"""Creation, shape and indexing ops.

Every op whose inputs can be wrong in a way JAX would only report obscurely has a `check`
function (compiler/ops/checks.py): given the inputs' shapes and dtypes (tracers, ShapeDtypeStructs
or numpy arrays) and the attributes, it raises InvalidInput saying what is wrong (TensorFlow's
wording). The implementation runs it first (so `bind` reports it), it is the op's `explain`, and
host (string) implementations run it too.
"""
from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from compiler.errors import OpInputError
from compiler.ops.checks import InvalidInput, checked, dims
from compiler.ops.registry import defop
from compiler.types import TensorType


def _guarded(check, impl):
    """`impl` running `check` first: its InvalidInput is a ValueError, which bind reports."""
    if check is None:
        return impl

    @functools.wraps(impl)
    def run(*args, **attrs):
        check(*args, **attrs)
        return impl(*args, **attrs)
    return run


def _host_array(result):
    """A host result as arrays: numpy indexing hands back bare bytes for single elements."""
    if isinstance(result, tuple):
        return tuple(_host_array(r) for r in result)
    if isinstance(result, (bytes, str, np.bytes_, np.str_)):
        return np.array(result, dtype=object)
    if isinstance(result, np.ndarray) and result.dtype.kind in "SU":
        return result.astype(object)
    return result


def _guarded_host(name, explain, host):
    """`host` refusing, as OpInputError, the inputs `explain` finds wrong."""
    if host is None:
        return None

    def run(*args, **attrs):
        message = explain(*args, **attrs) if explain is not None else None
        if message:
            raise OpInputError(name, message)
        return _host_array(host(*args, **attrs))
    return run


def op(name, *, check=None, host=None, effect=None, unknown_dims_rule=None):
    """defop with a shape/attribute check shared by the implementation, explain and host path."""
    def register(impl):
        explain = None if check is None else checked(check)
        defop(name, effect=effect, host_impl=_guarded_host(name, explain, host), explain=explain,
              unknown_dims_rule=unknown_dims_rule)(_guarded(check, impl))
        return impl
    return register


def _device(array):
    """A numeric result of a host implementation, as a device array like every other result."""
    return jnp.asarray(array)


# --------------------------------------------------------------------------------------------
# constants and creation
# --------------------------------------------------------------------------------------------

@defop("const")
def const(*, value):
    """A constant embedded in a graph (never run eagerly: eager constants are plain arrays)."""
    return jnp.asarray(value)


def _check_dims(shape):
    for d in shape:
        if d < 0:
            raise InvalidInput(f"Dimension {d} must be >= 0")


@op("zeros", check=lambda *, shape, dtype: _check_dims(shape))
def zeros(*, shape, dtype):
    return jnp.zeros(shape, jnp.dtype(dtype))


@op("ones", check=lambda *, shape, dtype: _check_dims(shape))
def ones(*, shape, dtype):
    return jnp.ones(shape, jnp.dtype(dtype))


def _check_fill(value, *, shape):
    if _size(value.shape) != 1:
        raise InvalidInput(f"value must be a scalar, got a tensor of shape {dims(value.shape)}")
    _check_dims(shape)


@op("fill", check=_check_fill,
    host=lambda value, *, shape: np.full(shape, np.asarray(value).reshape(()).item(), dtype=object))
def fill(value, *, shape):
    return jnp.broadcast_to(jnp.reshape(value, ()), shape)


def _host_zeros_like(x, *, dtype=None):
    if x.dtype == object and dtype in (None, "object"):
        return np.full(x.shape, b"", dtype=object)
    raise OpInputError("zeros_like", "zeros_like of a string tensor can only be a string tensor")


@op("zeros_like", host=_host_zeros_like)
def zeros_like(x, *, dtype=None):
    return jnp.zeros(x.shape, x.dtype if dtype is None else jnp.dtype(dtype))


@op("ones_like")
def ones_like(x, *, dtype=None):
    return jnp.ones(x.shape, x.dtype if dtype is None else jnp.dtype(dtype))


# "eye" (tf.eye, tf.linalg.eye) is defined in compiler/ops/linalg.py.


def range_size(start, limit, delta, dtype: str) -> int:
    """TensorFlow's Range output size (kernels/sequence_ops.cc), or InvalidInput with its
    message."""
    if delta == 0:
        raise InvalidInput(f"Requires delta != 0: {delta}")
    if delta > 0 and start > limit:
        raise InvalidInput(f"Requires start <= limit when delta > 0: {start}/{limit}")
    if delta < 0 and start < limit:
        raise InvalidInput(f"Requires start >= limit when delta < 0: {start}/{limit}")
    if np.dtype(dtype).kind in "iu":
        return (abs(limit - start) + abs(delta) - 1) // abs(delta)
    t = np.dtype(dtype).type
    return int(np.ceil(np.abs((t(limit) - t(start)) / t(delta))))


def _check_range(*, start, limit, delta, dtype):
    range_size(start, limit, delta, dtype)


@op("range", check=_check_range)
def range_(*, start, limit, delta, dtype):
    """start, start + delta, ... up to (not including) limit; start/limit/delta are numbers."""
    n = range_size(start, limit, delta, dtype)
    dt = jnp.dtype(dtype)
    if dt.kind in "iu":
        return (start + delta * jnp.arange(n, dtype=jnp.int64)).astype(dt)
    return (jnp.asarray(start, dt) + jnp.arange(n, dtype=dt) * jnp.asarray(delta, dt)).astype(dt)


def _check_linspace(start, stop, *, num, axis):
    if num < 0:
        raise InvalidInput(f"Requires start <= limit when delta > 0: 1/{num - 1}")
    try:
        shape = np.broadcast_shapes(start.shape, stop.shape)
    except ValueError:
        raise InvalidInput(f"Incompatible shapes: {dims(start.shape)} vs. "
                           f"{dims(stop.shape)}") from None
    rank = len(shape) + 1
    if not -rank <= axis < rank:
        raise InvalidInput(f"Tried to expand dim index {axis} for tensor with {rank - 1} "
                           "dimensions.")


@op("linspace", check=_check_linspace)
def linspace(start, stop, *, num, axis):
    """TF's formula: start + k * (stop - start) / (num - 1), with exact end points."""
    shape = jnp.broadcast_shapes(start.shape, stop.shape)
    start = jnp.expand_dims(jnp.broadcast_to(start, shape), axis)
    stop = jnp.expand_dims(jnp.broadcast_to(stop, shape), axis)
    steps = max(num - 1, 1)
    delta = (stop - start) / jnp.asarray(steps, stop.dtype)
    start, stop = start.astype(delta.dtype), stop.astype(delta.dtype)
    axis = axis % start.ndim
    k_shape = [1] * start.ndim
    k_shape[axis] = max(num - 2, 0)
    k = jnp.arange(1, max(num - 1, 1), dtype=delta.dtype).reshape(k_shape)
    middle = start + delta * k
    out = jnp.concatenate([start, middle, stop], axis=axis)
    return lax.slice_in_dim(out, 0, num, axis=axis)


def _check_one_hot(indices, on_value, off_value, *, depth, axis):
    if depth < 0:
        raise InvalidInput(f"depth must be non-negative, got: {depth}")
    rank = len(indices.shape) + 1
    if not (axis == -1 or 0 <= axis < rank):
        raise InvalidInput(f"Expected axis to be -1 or between [0, {rank}).  But received: {axis}")
    if len(on_value.shape) or len(off_value.shape):
        raise InvalidInput("on_value and off_value must be scalars")


@op("one_hot", check=_check_one_hot)
def one_hot(indices, on_value, off_value, *, depth, axis):
    """on_value where indices[...] == k along the new dimension `axis` (-1: last), else
    off_value; indices out of [0, depth) give a row of off_value."""
    axis = axis % (indices.ndim + 1)
    dt = jnp.int64 if indices.dtype.itemsize == 8 or indices.dtype == jnp.uint32 else jnp.int32
    shape = tuple(depth if i == axis else 1 for i in range(indices.ndim + 1))
    hot = jnp.expand_dims(indices.astype(dt), axis) == lax.broadcasted_iota(dt, shape, axis)
    return jnp.where(hot, on_value, off_value)


# --------------------------------------------------------------------------------------------
# shape ops
# --------------------------------------------------------------------------------------------

@op("identity", host=lambda x: x)
def identity(x):
    return x


@op("stop_gradient", host=lambda x: x)
def stop_gradient(x):
    """The identity, through which no gradient flows (`@stop_gradient` in the design)."""
    return lax.stop_gradient(x)


def reshape_target(input_shape, shape) -> tuple:
    """The shape `shape` (with at most one -1) names for an input of `input_shape`, or InvalidInput
    with TensorFlow's message (kernels/reshape_op.h, including its zero-size rules)."""
    unknown = None
    product = 1
    has_zero = False
    for i, d in enumerate(shape):
        if d == -1:
            if unknown is not None:
                raise InvalidInput(f"Only one input size may be -1, not both {unknown} and {i}")
            unknown = i
        elif d < 0:
            raise InvalidInput(f"Size {i} must be non-negative, not {d}")
        elif d == 0:
            has_zero = True
        else:
            product *= d
    size = _size(input_shape)
    out = list(shape)
    if unknown is not None:
        elements, input_has_zero = 1, False
        for d in input_shape:
            if d > 0 or not has_zero:
                elements *= d
            else:
                input_has_zero = True
        missing = elements // product
        if not input_has_zero and product * missing != elements:
            raise InvalidInput(f"Input to reshape is a tensor with {elements} values, but the "
                               f"requested shape requires a multiple of {product}")
        out[unknown] = missing
    if _size(out) != size:
        raise InvalidInput(f"Input to reshape is a tensor with {size} values, but the requested "
                           f"shape has {_size(out)}")
    return tuple(out)


def _size(shape) -> int:
    n = 1
    for d in shape:
        n *= d
    return n


def _check_reshape(x, *, shape):
    reshape_target(tuple(x.shape), shape)


def _reshape_unknown_dims(input_types, *, shape):
    """A reshape of a tensor with unknown dimensions: the target as given; its -1 is unknown
    (the sizes are checked when the call's shapes are known)."""
    (x,) = input_types
    return [TensorType(tuple(None if d == -1 else d for d in shape), x.dtype)]


@op("reshape", check=_check_reshape, unknown_dims_rule=_reshape_unknown_dims,
    host=lambda x, *, shape: np.reshape(x, reshape_target(x.shape, shape)))
def reshape(x, *, shape):
    return jnp.reshape(x, reshape_target(x.shape, shape))


def _check_perm(x, *, perm, conjugate=False):
    rank = len(x.shape)
    if len(perm) != rank:
        raise InvalidInput(f"transpose expects a vector of size {rank}. But input(1) is a vector "
                           f"of size {len(perm)}")
    seen = [False] * rank
    for p in perm:
        if not -rank <= p < rank:
            raise InvalidInput(f"{p} is out of range [0 .. {rank})")
        seen[p % rank] = True
    for i, s in enumerate(seen):
        if not s:
            raise InvalidInput(f"{i} is missing from {{{','.join(str(p) for p in perm)}}}.")


@op("transpose", check=_check_perm,
    host=lambda x, *, perm, conjugate=False: np.transpose(x, [p % x.ndim for p in perm]))
def transpose(x, *, perm, conjugate=False):
    out = jnp.transpose(x, [p % x.ndim for p in perm])
    if conjugate and jnp.iscomplexobj(out):
        out = jnp.conj(out)
    return out


def _check_expand_dims(x, *, axis):
    rank = len(x.shape)
    if not -rank - 1 <= axis <= rank:
        raise InvalidInput(f"Tried to expand dim index {axis} for tensor with {rank} dimensions.")


@op("expand_dims", check=_check_expand_dims,
    host=lambda x, *, axis: np.expand_dims(x, axis))
def expand_dims(x, *, axis):
    return jnp.expand_dims(x, axis)


def _squeeze_axes(shape, axis):
    rank = len(shape)
    if axis is None:
        return tuple(i for i, d in enumerate(shape) if d == 1)
    return tuple(sorted({a % rank for a in axis}))


def _check_squeeze(x, *, axis):
    rank = len(x.shape)
    for a in axis or ():
        if not -rank <= a < rank:
            raise InvalidInput(f"Tried to squeeze dim index {a} for tensor with {rank} dimensions.")
        if x.shape[a] != 1:
            raise InvalidInput(f"Can not squeeze dim[{a % rank}], expected a dimension of 1, got "
                               f"{x.shape[a]}")


@op("squeeze", check=_check_squeeze,
    host=lambda x, *, axis: np.squeeze(x, _squeeze_axes(x.shape, axis)))
def squeeze(x, *, axis):
    return lax.squeeze(x, _squeeze_axes(x.shape, axis))


def _check_concat(*xs, axis):
    if not xs:
        raise InvalidInput("ConcatOp : Expected at least one input")
    first = xs[0].shape
    rank = len(first)
    if rank == 0 and len(xs) > 1:
        raise InvalidInput("ConcatOp : Can't concatenate scalars (use tf.stack instead)")
    if len(xs) > 1 and not -rank <= axis < rank:
        raise InvalidInput(f"ConcatOp : Expected concatenating dimensions in the range [{-rank}, "
                           f"{rank}), but got {axis}")
    for i, x in enumerate(xs[1:], 1):
        if x.dtype != xs[0].dtype:
            raise InvalidInput(f"cannot compute ConcatV2 as input #{i}(zero-based) was expected to "
                               f"be a {xs[0].dtype} tensor but is a {x.dtype} tensor")
        if len(x.shape) != rank:
            raise InvalidInput(f"ConcatOp : Ranks of all input tensors should match: shape[0] = "
                               f"{dims(first)} "
                               f"vs. shape[{i}] = {dims(x.shape)}")
        for d in range(rank):
            if d != axis % rank and x.shape[d] != first[d]:
                raise InvalidInput(f"ConcatOp : Dimension {d} in both shapes must be equal: "
                                   f"shape[0] = {dims(first)} vs. shape[{i}] = {dims(x.shape)}")


@op("concat", check=_check_concat,
    host=lambda *xs, axis: xs[0] if len(xs) == 1 else np.concatenate(
        [np.asarray(x, dtype=object) for x in xs], axis=axis))
def concat(*xs, axis):
    if len(xs) == 1:
        return xs[0]
    return jnp.concatenate(xs, axis=axis)


def _check_stack(*xs, axis):
    if not xs:
        raise InvalidInput("Pack expects at least one input")
    first = xs[0].shape
    rank = len(first) + 1
    if not -rank <= axis < rank:
        raise InvalidInput(f"Argument `axis` = {axis} not in range [{-rank}, {rank})")
    for i, x in enumerate(xs[1:], 1):
        if tuple(x.shape) != tuple(first):
            raise InvalidInput(f"Shapes of all inputs must match: values[0].shape = {dims(first)} "
                               f"!= values[{i}].shape = {dims(x.shape)}")


@op("stack", check=_check_stack,
    host=lambda *xs, axis: np.stack([np.asarray(x, dtype=object) for x in xs], axis=axis))
def stack(*xs, axis):
    return jnp.stack(xs, axis=axis)


def _check_unstack(x, *, axis, num=None):
    rank = len(x.shape)
    if not -rank <= axis < max(rank, 0) or rank == 0:
        raise InvalidInput(f"Argument `axis` = {axis} not in range [{-rank}, {rank})")
    if num is not None and x.shape[axis] != num:
        raise InvalidInput(f"Input shape axis {axis % rank} must equal {num}, got shape "
                           f"{dims(x.shape)}")


def _unstack_host(x, *, axis, num=None):
    return tuple(np.take(x, i, axis=axis) for i in range(x.shape[axis]))


@op("unstack", check=_check_unstack, host=_unstack_host)
def unstack(x, *, axis, num=None):
    axis = axis % x.ndim
    return tuple(lax.index_in_dim(x, i, axis, keepdims=False) for i in range(x.shape[axis]))


def split_sizes(dim: int, sizes, axis: int) -> tuple:
    """`sizes` (one may be -1) resolved against a dimension of size `dim`, or InvalidInput."""
    if sizes.count(-1) > 1:
        raise InvalidInput("There can only be one -1 in the input.")
    known = sum(s for s in sizes if s != -1)
    if (-1 in sizes and known > dim) or (-1 not in sizes and known != dim) or \
            any(s < -1 for s in sizes):
        raise InvalidInput("Determined shape must either match input shape along split_dim "
                           "exactly if fully specified, or be less than the size of the input "
                           f"along split_dim if not fully specified.  Got: {known}")
    return tuple(dim - known if s == -1 else s for s in sizes)


def _check_split(x, *, sizes, axis):
    rank = len(x.shape)
    if not -rank <= axis < rank:
        raise InvalidInput(f"-input rank(-{rank}) <= split_dim < input rank ({rank}), but got "
                           f"{axis}")
    split_sizes(x.shape[axis], list(sizes), axis)


def _split_host(x, *, sizes, axis):
    sizes = split_sizes(x.shape[axis], list(sizes), axis)
    return tuple(np.split(x, np.cumsum(sizes)[:-1], axis=axis))


@op("split", check=_check_split, host=_split_host)
def split(x, *, sizes, axis):
    """Pieces of `x` along `axis` of the given sizes (one may be -1: the rest)."""
    axis = axis % x.ndim
    sizes = split_sizes(x.shape[axis], list(sizes), axis)
    out, start = [], 0
    for s in sizes:
        out.append(lax.slice_in_dim(x, start, start + s, axis=axis))
        start += s
    return tuple(out)


def _check_tile(x, *, multiples):
    if len(multiples) != len(x.shape):
        raise InvalidInput(f"Expected multiples argument to be a vector of length {len(x.shape)} "
                           f"but got length {len(multiples)}")
    for i, m in enumerate(multiples):
        if m < 0:
            raise InvalidInput(f"Expected multiples[{i}] >= 0, but got {m}")


@op("tile", check=_check_tile, host=lambda x, *, multiples: np.tile(x, multiples))
def tile(x, *, multiples):
    return jnp.tile(x, multiples)


def _check_pad(x, constant, *, paddings, mode):
    rank = len(x.shape)
    if len(paddings) != rank:
        raise InvalidInput("The first dimension of paddings must be the rank of "
                           f"inputs[{len(paddings)},2] {dims(x.shape)}")
    for d, (lo, hi) in zip(x.shape, paddings):
        if lo < 0 or hi < 0:
            raise InvalidInput(f"Paddings must be non-negative: {lo} {hi}")
        if mode == "REFLECT" and (lo >= d or hi >= d):
            raise InvalidInput(f"paddings must be less than the dimension size: {lo}, {hi} not "
                               f"less than {d}")
        if mode == "SYMMETRIC" and (lo > d or hi > d):
            raise InvalidInput(f"paddings must be no greater than the dimension size: {lo}, {hi} "
                               f"greater than {d}")
    if len(constant.shape):
        raise InvalidInput("constant_values must be a scalar")


_NP_PAD_MODE = {"REFLECT": "reflect", "SYMMETRIC": "symmetric"}


def _pad_host(x, constant, *, paddings, mode):
    if mode == "CONSTANT":
        out = np.full(tuple(d + lo + hi for d, (lo, hi) in zip(x.shape, paddings)),
                      np.asarray(constant).reshape(()).item(), dtype=x.dtype)
        out[tuple(builtin_slice(lo, lo + d) for d, (lo, _) in zip(x.shape, paddings))] = x
        return out
    return np.pad(x, paddings, mode=_NP_PAD_MODE[mode])


@op("pad", check=_check_pad, host=_pad_host)
def pad(x, constant, *, paddings, mode):
    """mode: CONSTANT (with the scalar `constant`), REFLECT or SYMMETRIC."""
    if mode == "CONSTANT":
        return lax.pad(x, constant.astype(x.dtype), [(lo, hi, 0) for lo, hi in paddings])
    return jnp.pad(x, paddings, mode=_NP_PAD_MODE[mode])


def _check_broadcast_to(x, *, shape):
    if len(x.shape) > len(shape):
        raise InvalidInput(f"Rank of input ({len(x.shape)}) must be no greater than rank of output "
                           f"shape ({len(shape)}).")
    for d in shape:
        if d < 0:
            raise InvalidInput(f"Dimension {d} must be >= 0")
    for a, b in zip(reversed(x.shape), reversed(shape)):
        if a != b and a != 1:
            raise InvalidInput(f"Incompatible shapes: {dims(x.shape)} vs. {dims(shape)}")


@op("broadcast_to", check=_check_broadcast_to,
    host=lambda x, *, shape: np.broadcast_to(x, shape).copy())
def broadcast_to(x, *, shape):
    return jnp.broadcast_to(x, shape)


@op("shape", host=lambda x, *, out_type: _device(np.array(x.shape, dtype=out_type)))
def shape(x, *, out_type):
    # numpy, not jnp: under jax.jit shapes are static, so later shape arithmetic stays known
    # while lowering (compiler/lower.py, _static_shapes).
    return np.array(x.shape, dtype=out_type)


@op("size", host=lambda x, *, out_type: _device(np.array(x.size, dtype=out_type)))
def size(x, *, out_type):
    return np.array(_size(x.shape), dtype=out_type)


@op("rank", host=lambda x: _device(np.array(x.ndim, dtype=np.int32)))
def rank(x):
    return np.array(x.ndim, dtype=np.int32)


# --------------------------------------------------------------------------------------------
# slicing
# --------------------------------------------------------------------------------------------

def _check_slice(x, *, begin, size):
    rank = len(x.shape)
    if len(begin) != rank or len(size) != rank:
        raise InvalidInput(f"Expected begin and size arguments to be 1-D tensors of size {rank}, "
                           f"but got shapes [{len(begin)}] and [{len(size)}] instead.")
    for i, (b, s, d) in enumerate(zip(begin, size, x.shape)):
        if not 0 <= b <= d:
            raise InvalidInput(f"Expected begin[{i}] in [0, {d}], but got {b}")
        if s != -1 and not 0 <= s <= d - b:
            raise InvalidInput(f"Expected size[{i}] in [0, {d - b}], but got {s}")


def _slice_bounds(shape, begin, size):
    return tuple(builtin_slice(b, d if s == -1 else b + s) for b, s, d in zip(begin, size, shape))


builtin_slice = slice


@op("slice", check=_check_slice,
    host=lambda x, *, begin, size: x[_slice_bounds(x.shape, begin, size)])
def slice_(x, *, begin, size):
    return lax.slice(x, tuple(begin), tuple(d if s == -1 else b + s
                                            for b, s, d in zip(begin, size, x.shape)))


_NEW_AXIS, _SHRINK_AXIS = -1, -2


@functools.lru_cache(maxsize=4096)
def strided_slice_plan(shape, begin, end, strides, begin_mask, end_mask, ellipsis_mask,
                       new_axis_mask, shrink_axis_mask):
    """TensorFlow's StridedSlice semantics (kernels/strided_slice_op.cc), resolved for a known
    input shape: ((begin, size, stride) per input dimension, output shape). InvalidInput with
    TensorFlow's message when the spec does not fit the shape."""
    n = len(begin)
    if len(end) != n or len(strides) != n:
        raise InvalidInput(f"Expected begin, end, and strides to be 1D equal size tensors, but got "
                           f"shapes [{n}], [{len(end)}], and [{len(strides)}] instead.")
    if ellipsis_mask & (ellipsis_mask - 1):
        raise InvalidInput("Multiple ellipses in slice spec not allowed")
    # --- the sparse spec, with an implicit ellipsis at the end ---
    sparse_dims = n
    num_add_axis_after_ellipsis = 0
    seen = False
    for i in range(n):
        if seen and (new_axis_mask >> i) & 1:
            num_add_axis_after_ellipsis += 1
        if (ellipsis_mask >> i) & 1:
            seen = True
    if not seen:
        ellipsis_mask |= 1 << n
        sparse_dims += 1
    # --- the dense spec: one entry per input dimension ---
    rank = len(shape)
    d_begin, d_end, d_stride = [0] * rank, [0] * rank, [1] * rank
    d_begin_mask = d_end_mask = d_shrink = 0
    gather = []  # per output dimension: an input dimension, _NEW_AXIS or _SHRINK_AXIS
    full = 0
    for i in range(sparse_dims):
        if (ellipsis_mask >> i) & 1:
            stop = min(rank - (sparse_dims - i) + 1 + num_add_axis_after_ellipsis, rank)
            while full < stop:
                d_begin_mask |= 1 << full
                d_end_mask |= 1 << full
                gather.append(full)
                full += 1
        elif (new_axis_mask >> i) & 1:
            gather.append(_NEW_AXIS)
        else:
            if full == rank:
                if rank == 0:
                    raise InvalidInput("Attempting to slice scalar input.")
                raise InvalidInput(f"Index out of range using input dim {full}; input has only "
                                   f"{rank} dims")
            d_begin[full], d_end[full], d_stride[full] = begin[i], end[i], strides[i]
            if (begin_mask >> i) & 1:
                d_begin_mask |= 1 << full
            if (end_mask >> i) & 1:
                d_end_mask |= 1 << full
            if (shrink_axis_mask >> i) & 1:
                gather.append(_SHRINK_AXIS)
                d_shrink |= 1 << full
            else:
                gather.append(full)
            full += 1
    # --- canonical begin/size per dimension ---
    plan = []
    for i in range(rank):
        b, e, s, dim = d_begin[i], d_end[i], d_stride[i], shape[i]
        if s == 0:
            raise InvalidInput(f"strides[{i}] must be non-zero")
        shrink = (d_shrink >> i) & 1
        if shrink and s <= 0:
            raise InvalidInput("only stride 1 allowed on non-range indexing.")
        if shrink:
            fwd = b + dim if b < 0 else b
            if fwd < 0 or fwd >= dim:
                raise InvalidInput(f"slice index {fwd} of dimension {i} out of bounds.")
            plan.append((fwd, 1, 1))
            continue
        lo, hi = (0, dim) if s > 0 else (-1, dim - 1)

        def canonical(x, c, masked):
            if masked:
                return (lo, hi)[c] if s > 0 else (lo, hi)[(c + 1) & 1]
            fwd = x + dim if x < 0 else x
            return lo if fwd < lo else hi if fwd > hi else fwd

        b = canonical(b, 0, (d_begin_mask >> i) & 1)
        e = canonical(e, 1, (d_end_mask >> i) & 1)
        length = e - b
        if length == 0 or (length < 0) != (s < 0):
            size = 0
        else:
            size = abs(length) // abs(s) + (1 if abs(length) % abs(s) else 0)
        plan.append((b, size, s))
    out_shape = tuple(1 if g == _NEW_AXIS else plan[g][1] for g in gather if g != _SHRINK_AXIS)
    return tuple(plan), out_shape


def _check_strided_slice(x, *, begin, end, strides, begin_mask=0, end_mask=0, ellipsis_mask=0,
                         new_axis_mask=0, shrink_axis_mask=0):
    strided_slice_plan(tuple(x.shape), begin, end, strides, begin_mask, end_mask, ellipsis_mask,
                       new_axis_mask, shrink_axis_mask)


def _strided_slice_host(x, *, begin, end, strides, begin_mask=0, end_mask=0, ellipsis_mask=0,
                        new_axis_mask=0, shrink_axis_mask=0):
    plan, out_shape = strided_slice_plan(tuple(x.shape), begin, end, strides, begin_mask,
                                         end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask)
    return np.reshape(x[_slice_index(plan)], out_shape)


@op("strided_slice", check=_check_strided_slice, host=_strided_slice_host)
def strided_slice(x, *, begin, end, strides, begin_mask=0, end_mask=0, ellipsis_mask=0,
                  new_axis_mask=0, shrink_axis_mask=0):
    """TensorFlow's StridedSlice: begin/end/strides tuples of ints plus the five bit masks."""
    plan, out_shape = strided_slice_plan(tuple(x.shape), begin, end, strides, begin_mask,
                                         end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask)
    # a negative stride over more than one element reads the reversed dimension forwards
    reverse = tuple(i for i, (_, size, s) in enumerate(plan) if s < 0 and size > 1)
    if reverse:
        x = lax.rev(x, reverse)
    starts, limits, steps = [], [], []
    for i, (b, size, s) in enumerate(plan):
        if size == 0:
            start, step = 0, 1
        elif size == 1:
            start, step = b, 1
        elif s > 0:
            start, step = b, s
        else:
            start, step = x.shape[i] - 1 - b, -s
        starts.append(start)
        limits.append(start + (size - 1) * step + 1 if size else 0)
        steps.append(step)
    if any(st != 0 for st in starts) or any(lim != d for lim, d in zip(limits, x.shape)) \
            or any(st != 1 for st in steps):
        x = lax.slice(x, tuple(starts), tuple(limits), tuple(steps))
    if x.shape != out_shape:
        x = jnp.reshape(x, out_shape)
    return x


def _slice_index(plan):
    """Python slices into the original dimensions (negative strides kept) for `plan`."""
    index = []
    for b, size, s in plan:
        if size == 0:
            index.append(builtin_slice(0, 0))
        else:
            stop = b + (size - 1) * s + (1 if s > 0 else -1)
            index.append(builtin_slice(b, None if stop < 0 else stop, s))
    return tuple(index)


def _check_strided_slice_update(x, value, **attrs):
    _check_strided_slice(x, **attrs)
    if x.dtype != value.dtype:
        raise InvalidInput(f"value is a {value.dtype} tensor, but the sliced tensor is a {x.dtype} "
                           "tensor")
    _, out_shape = strided_slice_plan(tuple(x.shape), *(attrs.get(k, 0) for k in _SS_ATTRS))
    try:
        if np.broadcast_shapes(tuple(value.shape), out_shape) != out_shape:
            raise ValueError
    except ValueError:
        raise InvalidInput(f"Cannot assign a value of shape {dims(value.shape)} to a slice of "
                           f"shape {dims(out_shape)}") from None


_SS_ATTRS = ("begin", "end", "strides", "begin_mask", "end_mask", "ellipsis_mask",
             "new_axis_mask", "shrink_axis_mask")


def _strided_slice_update_host(x, value, **attrs):
    plan, out_shape = strided_slice_plan(tuple(x.shape), *(attrs.get(k, 0) for k in _SS_ATTRS))
    out = np.array(x, dtype=object)
    out[_slice_index(plan)] = np.broadcast_to(value, out_shape).reshape(
        tuple(size for _, size, _ in plan))
    return out


@op("strided_slice_update", check=_check_strided_slice_update, host=_strided_slice_update_host)
def strided_slice_update(x, value, *, begin, end, strides, begin_mask=0, end_mask=0,
                         ellipsis_mask=0, new_axis_mask=0, shrink_axis_mask=0):
    """x with the region x[spec] (strided_slice's spec) replaced by `value`, broadcast to the
    slice's shape (TF's TensorStridedSliceUpdate; what a Variable's sliced assign computes)."""
    plan, out_shape = strided_slice_plan(tuple(x.shape), begin, end, strides, begin_mask,
                                         end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask)
    region = jnp.broadcast_to(value, out_shape).reshape(tuple(size for _, size, _ in plan))
    return jnp.asarray(x).at[_slice_index(plan)].set(region)


def _check_dynamic_index(x, *indices, axes):
    for i in indices:
        if len(i.shape) or not jnp.issubdtype(i.dtype, jnp.integer):
            raise InvalidInput("indices must be integer scalars")


@op("dynamic_index", check=_check_dynamic_index)
def dynamic_index(x, *indices, axes):
    """x with dimension axes[k] indexed by the scalar tensor indices[k] (negative counts from the
    end; out of range clamps), those dimensions removed."""
    for index, axis in sorted(zip(indices, axes), key=lambda p: -p[1]):
        dim = x.shape[axis]
        index = jnp.where(index < 0, index + dim, index)
        x = lax.dynamic_index_in_dim(x, index, axis, keepdims=False)
    return x


# --------------------------------------------------------------------------------------------
# gather / scatter
# --------------------------------------------------------------------------------------------

def _check_indices_dtype(indices):
    if np.dtype(indices.dtype).kind not in "iu":
        raise InvalidInput(f"Value for attr 'Tindices' of {np.dtype(indices.dtype).name} is not in "
                           "the list of allowed values: int16, int32, int64")


def _check_gather(params, indices, *, axis, batch_dims):
    rank = len(params.shape)
    _check_indices_dtype(indices)
    if not -rank <= axis < rank:
        raise InvalidInput(f"Shape must be at least rank {axis + 1 if axis >= 0 else -axis} but is "
                           f"rank {rank}")
    axis = axis % rank
    if batch_dims >= rank and rank:
        raise InvalidInput(f"batch_dims ({batch_dims}) must be less than rank(params) ({rank}).")
    if batch_dims > axis:
        raise InvalidInput(f"batch_dims ({batch_dims}) must be less than or equal to axis "
                           f"({axis}).")
    if batch_dims > len(indices.shape):
        raise InvalidInput(f"batch_dims ({batch_dims}) must be less than or equal to rank(indices) "
                           f"({len(indices.shape)}).")
    for i in range(batch_dims):
        if params.shape[i] != indices.shape[i]:
            raise InvalidInput(f"params.shape[{i}]: {params.shape[i]} should be equal to "
                               f"indices.shape[{i}]: {indices.shape[i]}")


def _batched(fn, batch_dims):
    for _ in range(batch_dims):
        fn = jax.vmap(fn)
    return fn


def _take(params, indices, axis):
    """jnp.take where every out-of-range index (negative ones too) gives 0, as TF on GPU does."""
    dim = params.shape[axis]
    if jnp.issubdtype(indices.dtype, jnp.signedinteger):
        indices = jnp.where(indices < 0, dim, indices)
    return jnp.take(params, indices, axis=axis, mode="fill", fill_value=0)


def _gather_host(params, indices, *, axis, batch_dims):
    if batch_dims:
        return np.stack([_gather_host(p, i, axis=axis - 1, batch_dims=batch_dims - 1)
                         for p, i in zip(params, indices)])
    return np.take(params, np.asarray(indices), axis=axis)


@op("gather", check=_check_gather, host=_gather_host)
def gather(params, indices, *, axis=0, batch_dims=0):
    """params[..., indices, ...] along `axis`; the first batch_dims dimensions are shared."""
    axis = axis % params.ndim
    return _batched(lambda p, i: _take(p, i, axis - batch_dims), batch_dims)(params, indices)


def _check_gather_nd(params, indices, *, batch_dims):
    _check_indices_dtype(indices)
    if len(indices.shape) == 0:
        raise InvalidInput("indices must be at least a vector")
    depth = indices.shape[-1]
    if depth > len(params.shape) - batch_dims:
        raise InvalidInput(f"index innermost dimension length must be <= params rank; saw: {depth} "
                           f"vs. {len(params.shape) - batch_dims}")
    for i in range(batch_dims):
        if params.shape[i] != indices.shape[i]:
            raise InvalidInput("Batch dimensions of params and indices must match: "
                               f"{params.shape[i]} vs. {indices.shape[i]}")


def _gather_nd_one(params, indices):
    depth = indices.shape[-1]
    index = []
    for k in range(depth):
        i = indices[..., k]
        if jnp.issubdtype(i.dtype, jnp.signedinteger):
            i = jnp.where(i < 0, params.shape[k], i)
        index.append(i)
    return jnp.asarray(params).at[tuple(index)].get(mode="fill", fill_value=0)


def _gather_nd_host(params, indices, *, batch_dims):
    if batch_dims:
        return np.stack([_gather_nd_host(p, i, batch_dims=batch_dims - 1)
                         for p, i in zip(params, indices)])
    indices = np.asarray(indices)
    return params[tuple(np.moveaxis(indices, -1, 0))]


@op("gather_nd", check=_check_gather_nd, host=_gather_nd_host)
def gather_nd(params, indices, *, batch_dims=0):
    return _batched(_gather_nd_one, batch_dims)(params, indices)


def _check_scatter(indices, updates, shape, what):
    _check_indices_dtype(indices)
    if len(indices.shape) == 0:
        raise InvalidInput("Indices shape must have rank at least one.")
    depth = indices.shape[-1]
    if depth > len(shape):
        raise InvalidInput(f"Outer dimensions of indices must be <= the rank of {what}: {depth} "
                           f"vs. {len(shape)}")
    outer = tuple(indices.shape[:-1])
    want = outer + tuple(shape[depth:])
    if tuple(updates.shape) != want:
        if tuple(updates.shape[:len(outer)]) != outer:
            raise InvalidInput(f"Dimensions [0,{len(outer)}) of "
                               f"indices[shape={dims(indices.shape)}] must match dimensions "
                               f"[0,{len(outer)}) of updates[shape={dims(updates.shape)}]")
        raise InvalidInput(f"The inner {len(shape) - depth} dimensions of "
                           f"{what}.shape={dims(shape)} must match the inner "
                           f"{len(updates.shape) - len(outer)} dimensions of "
                           f"updates.shape={dims(updates.shape)}")


def _safe_nd_index(indices, shape):
    """The index tuple with negative indices moved out of range (so they are dropped)."""
    out = []
    for k in range(indices.shape[-1]):
        i = indices[..., k]
        if jnp.issubdtype(i.dtype, jnp.signedinteger):
            i = jnp.where(i < 0, shape[k], i)
        out.append(i)
    return tuple(out)


def _check_scatter_nd(indices, updates, *, shape):
    _check_dims(shape)
    _check_scatter(indices, updates, shape, "output")


@op("scatter_nd", check=_check_scatter_nd)
def scatter_nd(indices, updates, *, shape):
    """Zeros of `shape` with `updates` added at `indices` (duplicates add up, as in TF)."""
    out = jnp.zeros(shape, updates.dtype)
    return out.at[_safe_nd_index(indices, shape)].add(updates, mode="drop")


def _tensor_scatter(name, method):
    def check(tensor, indices, updates):
        if updates.dtype != tensor.dtype:
            raise InvalidInput(f"cannot compute {name} as input #2(zero-based) was expected to be "
                               f"a {tensor.dtype} tensor but is a {updates.dtype} tensor")
        _check_scatter(indices, updates, tuple(tensor.shape), "output")

    def impl(tensor, indices, updates):
        at = jnp.asarray(tensor).at[_safe_nd_index(indices, tensor.shape)]
        if method == "sub":
            return at.add(-updates, mode="drop")
        return getattr(at, method)(updates, mode="drop")

    def host(tensor, indices, updates):
        out = np.array(tensor, dtype=object)
        out[tuple(np.moveaxis(np.asarray(indices), -1, 0))] = updates
        return out

    op(f"tensor_scatter_nd_{'update' if method == 'set' else method}", check=check,
       host=host if method == "set" else None)(impl)


for _method in ("set", "add", "sub", "min", "max"):
    _tensor_scatter(f"TensorScatter{_method.capitalize()}", _method)


def _check_where(cond, *, size):
    if len(cond.shape) == 0:
        raise InvalidInput("WhereOp : Unhandled input dimensions: 0")


@op("where", check=_check_where)
def where(cond, *, size):
    """Coordinates (int64, row-major order) of the `size` true/nonzero elements of `cond`."""
    coords = jnp.nonzero(cond, size=size)
    return jnp.stack(coords, axis=1).astype(jnp.int64)


def _check_select(cond, x, y):
    if np.dtype(cond.dtype) != np.bool_:
        raise InvalidInput("condition must be a bool tensor")
    if x.dtype != y.dtype:
        raise InvalidInput("cannot compute SelectV2 as input #2(zero-based) was expected to be a "
                           f"{x.dtype} tensor but is a {y.dtype} tensor")
    try:
        np.broadcast_shapes(cond.shape, x.shape, y.shape)
    except ValueError:
        raise InvalidInput(f"condition {dims(cond.shape)}, then {dims(x.shape)}, and else "
                           f"{dims(y.shape)} must be broadcastable") from None


@op("select", check=_check_select,
    host=lambda cond, x, y: np.where(np.asarray(cond, dtype=bool), np.asarray(x, dtype=object),
                                     np.asarray(y, dtype=object)))
def select(cond, x, y):
    """TF's where(cond, x, y) (SelectV2): elementwise choice, with broadcasting."""
    return jnp.where(cond, x, y)


def _check_boolean_mask(x, mask, *, axis, size):
    k = len(mask.shape)
    if k == 0:
        raise InvalidInput("mask cannot be scalar.")
    if tuple(x.shape[axis:axis + k]) != tuple(mask.shape):
        raise InvalidInput(f"Shapes {tuple(x.shape[axis:axis + k])} and {tuple(mask.shape)} are "
                           "incompatible")


def _boolean_mask_host(x, mask, *, axis, size):
    k = mask.ndim
    flat = np.reshape(x, x.shape[:axis] + (-1,) + x.shape[axis + k:])
    return np.take(flat, np.flatnonzero(np.asarray(mask)), axis=axis)


@op("boolean_mask", check=_check_boolean_mask, host=_boolean_mask_host)
def boolean_mask(x, mask, *, axis, size):
    """The entries of `x` where `mask` (covering dimensions axis.. of x) is true; `size` is how
    many there are."""
    k = mask.ndim
    flat = jnp.reshape(x, x.shape[:axis] + (_size(x.shape[axis:axis + k]),) + x.shape[axis + k:])
    (index,) = jnp.nonzero(mask.reshape(-1), size=size)
    return jnp.take(flat, index, axis=axis)


# --------------------------------------------------------------------------------------------
# reordering
# --------------------------------------------------------------------------------------------

def _check_reverse(x, *, axis):
    rank = len(x.shape)
    seen = set()
    for i, a in enumerate(axis):
        if not -rank <= a < rank:
            raise InvalidInput(f"'axis'[{i}] = {a} is out of valid range [0, {rank - 1}")
        if a % rank in seen:
            raise InvalidInput(f"axis {a % rank} specified more than once.")
        seen.add(a % rank)


@op("reverse", check=_check_reverse,
    host=lambda x, *, axis: np.flip(x, tuple(a % x.ndim for a in axis)) if axis else x)
def reverse(x, *, axis):
    if not axis:
        return x
    return lax.rev(x, tuple(a % x.ndim for a in axis))


def _check_roll(x, *, shift, axis):
    if len(shift) != len(axis):
        raise InvalidInput("shift and axis must have the same size")
    rank = len(x.shape)
    for a in axis:
        if not -rank <= a < rank:
            raise InvalidInput(f"axis {a} is out of range")


@op("roll", check=_check_roll, host=lambda x, *, shift, axis: np.roll(x, shift, axis))
def roll(x, *, shift, axis):
    return jnp.roll(x, shift, axis)


def _check_reverse_sequence(x, lengths, *, seq_axis, batch_axis):
    rank = len(x.shape)
    if not 0 <= seq_axis < rank:
        raise InvalidInput(f"seq_dim must be < input rank ( {seq_axis} vs. {rank})")
    if not 0 <= batch_axis < rank:
        raise InvalidInput(f"batch_dim must be < input rank ( {batch_axis} vs. {rank})")
    if seq_axis == batch_axis:
        raise InvalidInput(f"seq_dim == batch_dim == {seq_axis}")
    if tuple(lengths.shape) != (x.shape[batch_axis],):
        have = lengths.shape[0] if lengths.shape else 0
        raise InvalidInput(f"Length of seq_lengths != input.dims({batch_axis}), ({have} vs. "
                           f"{x.shape[batch_axis]})")


@op("reverse_sequence", check=_check_reverse_sequence)
def reverse_sequence(x, lengths, *, seq_axis, batch_axis):
    n = x.shape[seq_axis]
    pos = lax.broadcasted_iota(jnp.int64, (x.shape[batch_axis], n), 1)
    length = lengths.astype(jnp.int64)[:, None]
    source = jnp.where(pos < length, length - 1 - pos, pos)  # [batch, seq]
    shape = [1] * x.ndim
    shape[batch_axis], shape[seq_axis] = x.shape[batch_axis], n
    if batch_axis > seq_axis:
        source = source.T
    source = jnp.broadcast_to(source.reshape(shape), x.shape)
    return jnp.take_along_axis(x, source, axis=seq_axis)


# --------------------------------------------------------------------------------------------
# dtype changes
# --------------------------------------------------------------------------------------------

@op("cast")
def cast(x, *, dtype):
    """TF's Cast: floats truncate toward zero, complex -> real keeps the real part."""
    dt = jnp.dtype(dtype)
    if jnp.iscomplexobj(x) and not jnp.issubdtype(dt, jnp.complexfloating):
        if dt == jnp.bool_:
            return x != 0
        x = jnp.real(x)
    return x.astype(dt)


def _limits(dtype):
    dtype = np.dtype(dtype)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return int(info.min), int(info.max)
    if dtype.kind == "b":
        return 0, 1
    info = jnp.finfo(dtype)
    return float(info.min), float(info.max)


def _as_source(value, dtype):
    """`value` in `dtype`, rounded toward zero when it is not representable (so clamping to it
    never leaves the target's range)."""
    v = np.asarray(value, dtype)
    if np.dtype(dtype).kind == "f" and float(v) != value and abs(float(v)) > abs(value):
        v = np.nextafter(v, np.asarray(0, dtype))
    return v


@op("saturate_cast")
def saturate_cast(x, *, dtype):
    """Cast that clamps to the target's range instead of wrapping (TF's saturate_cast)."""
    dt = jnp.dtype(dtype)
    if jnp.iscomplexobj(x) and not jnp.issubdtype(dt, jnp.complexfloating):
        x = jnp.real(x)
    if not jnp.iscomplexobj(x) and not jnp.issubdtype(dt, jnp.complexfloating):
        src_min, src_max = _limits(x.dtype)
        dst_min, dst_max = _limits(dt)
        if src_min < dst_min:
            x = jnp.maximum(x, _as_source(dst_min, x.dtype))
        if src_max > dst_max:
            x = jnp.minimum(x, _as_source(dst_max, x.dtype))
    return x.astype(dt)


_BITCAST_TYPES = ("bfloat16", "float16", "float32", "float64", "int64", "int32", "uint8",
                  "uint16", "uint32", "uint64", "int8", "int16", "complex64", "complex128")


def _check_bitcast(x, *, dtype):
    src, dst = np.dtype(x.dtype), np.dtype(dtype)
    for attr, d in (("T", src), ("type", dst)):
        if d.name not in _BITCAST_TYPES:
            raise InvalidInput(f"Value for attr '{attr}' of {d.name} is not in the list of allowed "
                               f"values: {', '.join(_BITCAST_TYPES)}")
    if src.itemsize < dst.itemsize:
        if not x.shape or x.shape[-1] != dst.itemsize // src.itemsize:
            raise InvalidInput(f"Cannot bitcast from {src.itemsize} to {dst.itemsize}")


_REAL_OF = {np.dtype(np.complex64): jnp.float32, np.dtype(np.complex128): jnp.float64}


def _to_bytes(x):
    """uint8 array of shape x.shape + (itemsize,)."""
    if jnp.iscomplexobj(x):
        pair = jnp.stack([jnp.real(x), jnp.imag(x)], axis=-1)
        b = _to_bytes(pair)
        return b.reshape(x.shape + (-1,))
    b = lax.bitcast_convert_type(x, jnp.uint8)
    return b[..., None] if x.dtype.itemsize == 1 else b


def _from_bytes(b, dt):
    """Array of dtype `dt` from uint8 `b` whose last dimension is dt's itemsize."""
    if jnp.issubdtype(dt, jnp.complexfloating):
        real = jnp.dtype(_REAL_OF[np.dtype(dt)])
        pair = _from_bytes(b.reshape(b.shape[:-1] + (2, real.itemsize)), real)
        return lax.complex(pair[..., 0], pair[..., 1])
    if dt.itemsize == 1:
        return lax.bitcast_convert_type(b[..., 0], dt)
    return lax.bitcast_convert_type(b, dt)


@op("bitcast", check=_check_bitcast)
def bitcast(x, *, dtype):
    """Reinterpret bits (TF's shape rule: a wider source grows a last dimension, a narrower one
    loses its last dimension)."""
    dt = jnp.dtype(dtype)
    src = x.dtype.itemsize
    if not jnp.iscomplexobj(x) and not jnp.issubdtype(dt, jnp.complexfloating):
        return lax.bitcast_convert_type(x, dt)  # XLA's shape rule is TF's
    b = _to_bytes(x)
    if src > dt.itemsize:
        out_shape = x.shape + (src // dt.itemsize,)
    elif src < dt.itemsize:
        out_shape = x.shape[:-1]
    else:
        out_shape = x.shape
    return _from_bytes(b.reshape(out_shape + (dt.itemsize,)), dt)


# --------------------------------------------------------------------------------------------
# assorted
# --------------------------------------------------------------------------------------------

@op("meshgrid")
def meshgrid(*xs, indexing):
    return tuple(jnp.meshgrid(*[x.reshape(-1) for x in xs], indexing=indexing))


def _check_repeat(x, *, repeats, axis):
    if axis is not None:
        rank = len(x.shape)
        if not -rank <= axis < rank:
            raise InvalidInput(f"axis {axis} is out of range for a tensor of rank {rank}")
        dim = x.shape[axis]
    else:
        dim = _size(x.shape)
    if isinstance(repeats, tuple) and len(repeats) not in (1, dim):
        raise InvalidInput(f"Dimensions {dim} and {len(repeats)} are not compatible")
    for r in repeats if isinstance(repeats, tuple) else (repeats,):
        if r < 0:
            raise InvalidInput(f"Expected multiples[1] >= 0, but got {r}")


@op("repeat", check=_check_repeat)
def repeat(x, *, repeats, axis):
    if axis is None:
        x, axis = x.reshape(-1), 0
    dim = x.shape[axis]
    if isinstance(repeats, tuple) and len(repeats) == 1:
        repeats = repeats[0]
    total = repeats * dim if isinstance(repeats, int) else sum(repeats)
    return jnp.repeat(x, jnp.asarray(repeats) if isinstance(repeats, tuple) else repeats,
                      axis=axis, total_repeat_length=total)


@op("sequence_mask")
def sequence_mask(lengths, *, maxlen, dtype):
    mask = lax.broadcasted_iota(lengths.dtype, lengths.shape + (maxlen,), lengths.ndim) \
        < lengths[..., None]
    return mask.astype(jnp.dtype(dtype))


def _unique_host(x, *, size, out_idx):
    first = {}
    idx = np.empty(x.shape, dtype=out_idx)
    for i, v in enumerate(x.reshape(-1)):
        idx[i] = first.setdefault(v, len(first))
    return np.array(list(first), dtype=object), _device(idx)


@op("unique", host=_unique_host)
def unique(x, *, size, out_idx):
    """(values in order of first appearance, index of each element's value), `size` values."""
    values, first, inverse = jnp.unique(x, return_index=True, return_inverse=True, size=size)
    order = jnp.argsort(first)
    rank = jnp.argsort(order)
    return values[order], rank[inverse.reshape(-1)].astype(jnp.dtype(out_idx))


@op("unravel_index")
def unravel_index(indices, *, dims):
    coords = jnp.unravel_index(indices, dims)
    return jnp.stack(coords, axis=0).astype(indices.dtype)


@op("broadcast_args")
def broadcast_args(s0, s1):
    """The broadcast of two shapes given as 1-D int tensors (values must broadcast)."""
    n = max(s0.shape[0], s1.shape[0])
    a = jnp.concatenate([jnp.ones(n - s0.shape[0], s0.dtype), s0])
    b = jnp.concatenate([jnp.ones(n - s1.shape[0], s1.dtype), s1])
    return jnp.where(a == 1, b, a)


def _check_searchsorted(sorted_sequence, values, *, side, out_type):
    seq, vals = tuple(sorted_sequence.shape), tuple(values.shape)
    if not seq or not vals or seq[:-1] != vals[:-1]:
        raise InvalidInput(f"Leading dim_size of both tensors must match: sorted_sequence is "
                           f"{dims(seq)} and values {dims(vals)}")


@op("searchsorted", check=_check_searchsorted)
def searchsorted(sorted_sequence, values, *, side, out_type):
    """TF's searchsorted: per row of the leading dimensions, where each value would be inserted
    into the sorted innermost dimension."""
    rows = int(np.prod(values.shape[:-1], dtype=np.int64))
    seq = sorted_sequence.reshape(rows, sorted_sequence.shape[-1])
    vals = values.reshape(rows, values.shape[-1])
    found = jax.vmap(functools.partial(jnp.searchsorted, side=side))(seq, vals)
    return found.reshape(values.shape).astype(jnp.dtype(out_type))
