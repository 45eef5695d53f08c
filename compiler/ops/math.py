"""Elementwise math, comparisons, reductions, scans, sorting, segments and contractions.

Implementations are pure JAX functions of arrays plus static attributes. They compute in the
dtype of their inputs (no promotion): front ends decide dtypes before binding.
"""
from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax
from jax.scipy import special as jsp

from compiler.errors import OpInputError
from compiler.ops.checks import InvalidInput, check_broadcast, checked, dims
from compiler.ops.registry import defop
from compiler.ops.tf_gradients import tf_tangent, where_first

# Binary ops are not checked before running: only when one fails does `explain` say why.
explain_broadcast = checked(check_broadcast)


def _host_binary(fn, dtype=object):
    """A numpy implementation for string operands; shapes that do not broadcast are refused with
    TF's message, as the device kernels are."""
    def host(x, y):
        x, y = np.asarray(x, dtype=object), np.asarray(y, dtype=object)
        message = explain_broadcast(x, y)
        if message:
            raise OpInputError(fn.__name__, message)
        return np.asarray(fn(x, y), dtype=dtype)
    return host


def _host_compare(fn):
    return _host_binary(fn, dtype=bool)


def _is_int(x) -> bool:
    return jnp.issubdtype(x.dtype, jnp.integer)


def _is_complex(x) -> bool:
    return jnp.issubdtype(x.dtype, jnp.complexfloating)


def _binary(name, fn, **kw):
    defop(name, explain=explain_broadcast, **kw)(fn)


# --- binary arithmetic ---
_binary("add", lambda x, y: x + y, host_impl=_host_binary(np.add))
_binary("sub", lambda x, y: x - y)
_binary("mul", lambda x, y: x * y)


@defop("truediv", explain=explain_broadcast)
def truediv(x, y, *, dtype=None):
    """x / y; with `dtype`, both sides are first converted to it (integer division in floats)."""
    if dtype is not None:
        x, y = x.astype(jnp.dtype(dtype)), y.astype(jnp.dtype(dtype))
    return x / y


_binary("realdiv", lambda x, y: x / y)
_binary("floordiv", jnp.floor_divide)
_binary("floormod", jnp.remainder)  # result takes the divisor's sign, as Python's %


@defop("truncatediv", explain=explain_broadcast)
def truncatediv(x, y):
    return lax.div(x, y) if _is_int(x) else jnp.trunc(x / y)


_binary("truncatemod", lax.rem)
_binary("pow", jnp.power)
# NaN propagates; TF's gradient goes to x where x >= y (maximum) or x <= y (minimum), ties included
_maximum = tf_tangent(where_first(lambda x, y: x >= y))(jnp.maximum)
_minimum = tf_tangent(where_first(lambda x, y: x <= y))(jnp.minimum)
_binary("maximum", _maximum)
_binary("minimum", _minimum)
_binary("atan2", jnp.arctan2)
@jax.custom_jvp
def _next_after(x1, x2):
    return jnp.nextafter(x1, x2)


@_next_after.defjvp
def _next_after_jvp(primals, tangents):
    """TF's gradient of NextAfter: 1 for x1, 0 for x2."""
    out = _next_after(*primals)
    return out, jnp.broadcast_to(tangents[0], out.shape).astype(out.dtype)


_binary("nextafter", _next_after)


@defop("squared_difference", explain=explain_broadcast)
def squared_difference(x, y):
    d = x - y
    return d * jnp.conj(d) if _is_complex(d) else d * d


@defop("divide_no_nan", explain=explain_broadcast)
def divide_no_nan(x, y, *, dtype=None):
    """x / y, and 0 where y == 0; with `dtype`, both sides are first converted to it."""
    if dtype is not None:
        x, y = x.astype(jnp.dtype(dtype)), y.astype(jnp.dtype(dtype))
    zero = y == 0
    return jnp.where(zero, jnp.zeros((), x.dtype), x / jnp.where(zero, jnp.ones((), y.dtype), y))


@defop("multiply_no_nan", explain=explain_broadcast)
def multiply_no_nan(x, y):
    return jnp.where(y == 0, jnp.zeros((), x.dtype), x * y)


@defop("xlogy", explain=explain_broadcast)
def xlogy(x, y):
    return jnp.where(x == 0, jnp.zeros((), x.dtype), x * jnp.log(y))


@defop("xlog1py", explain=explain_broadcast)
def xlog1py(x, y):
    return jnp.where(x == 0, jnp.zeros((), x.dtype), x * jnp.log1p(y))


@defop("xdivy", explain=explain_broadcast)
def xdivy(x, y):
    return jnp.where(x == 0, jnp.zeros((), x.dtype), x / y)


_binary("igamma", jsp.gammainc)
_binary("igammac", jsp.gammaincc)
_binary("zeta", jsp.zeta, no_gradient=(0,))  # TF: no gradient for x


@defop("polygamma", explain=explain_broadcast, no_gradient=(0,))
def polygamma(n, x):
    """polygamma of (float) order n; NaN where n is not a non-negative integer."""
    valid = (n == jnp.floor(n)) & (n >= 0)
    order = jnp.where(valid, n, 0).astype(jnp.int32)
    n_b, x_b = jnp.broadcast_arrays(order, x)
    out = jsp.polygamma(n_b, x_b)
    return jnp.where(valid, out, jnp.asarray(np.nan, x.dtype))


@defop("betainc", no_gradient=(0, 1))  # TF: gradients for x only
def betainc(a, b, x):
    return jsp.betainc(a, b, x)


@defop("clip_by_value")
def clip_by_value(t, lo, hi):
    """max(min(t, hi), lo): where lo > hi the result is lo, as in TF."""
    return _maximum(_minimum(t, hi), lo)


# --- logical and bitwise ---
_binary("logical_and", jnp.logical_and)
_binary("logical_or", jnp.logical_or)
_binary("logical_xor", jnp.logical_xor)
_binary("bitwise_and", jnp.bitwise_and)
_binary("bitwise_or", jnp.bitwise_or)
_binary("bitwise_xor", jnp.bitwise_xor)

# --- comparisons ---
_binary("equal", jnp.equal, host_impl=_host_compare(np.equal))
_binary("not_equal", jnp.not_equal, host_impl=_host_compare(np.not_equal))
_binary("less", jnp.less)
_binary("less_equal", jnp.less_equal)
_binary("greater", jnp.greater)
_binary("greater_equal", jnp.greater_equal)


# --- unary ---
def _sigmoid(x):
    return 1 / (1 + jnp.exp(-x)) if _is_complex(x) else jax.nn.sigmoid(x)


def _angle(x):
    if _is_complex(x):
        return jnp.angle(x)
    return jnp.where(x < 0, jnp.asarray(np.pi, x.dtype), jnp.zeros((), x.dtype))


def _reciprocal(x):
    return jnp.ones((), x.dtype) / x


def _reciprocal_no_nan(x):
    zero = x == 0
    return jnp.where(zero, jnp.zeros((), x.dtype), 1 / jnp.where(zero, jnp.ones((), x.dtype), x))


def _square(x):
    return x * x


def _rsqrt(x):
    return 1 / jnp.sqrt(x) if _is_complex(x) else lax.rsqrt(x)


def _erfcinv(x):
    return -jsp.ndtri(x / 2) / np.sqrt(2).astype(x.dtype)



@tf_tangent(lambda p, out, t: t[0] * jnp.sign(p[0]))  # TF's AbsGrad: 0 at 0, NaN at NaN
def _abs(x):
    return jnp.abs(x)

_UNARY = {
    "neg": jnp.negative, "abs": _abs, "sign": jnp.sign, "square": _square,
    "sqrt": jnp.sqrt, "rsqrt": _rsqrt, "exp": jnp.exp, "expm1": jnp.expm1, "log": jnp.log,
    "log1p": jnp.log1p, "sin": jnp.sin, "cos": jnp.cos, "tan": jnp.tan, "asin": jnp.arcsin,
    "acos": jnp.arccos, "atan": jnp.arctan, "sinh": jnp.sinh, "cosh": jnp.cosh, "tanh": jnp.tanh,
    "asinh": jnp.arcsinh, "acosh": jnp.arccosh, "atanh": jnp.arctanh, "sigmoid": _sigmoid,
    "round": jnp.round,  # half to even, as TF
    "rint": jnp.rint, "floor": jnp.floor, "ceil": jnp.ceil,
    "reciprocal": _reciprocal, "reciprocal_no_nan": _reciprocal_no_nan,
    "real": jnp.real, "imag": jnp.imag, "conj": jnp.conj, "angle": _angle,
    "is_nan": jnp.isnan, "is_finite": jnp.isfinite, "is_inf": jnp.isinf,
    "logical_not": jnp.logical_not, "bitwise_not": jnp.invert,
    "erf": jsp.erf, "erfc": jsp.erfc, "erfinv": jsp.erfinv, "erfcinv": _erfcinv, "ndtri": jsp.ndtri,
    "lgamma": jsp.gammaln, "digamma": jsp.digamma,
    "bessel_i0": jsp.i0, "bessel_i0e": jsp.i0e, "bessel_i1": jsp.i1, "bessel_i1e": jsp.i1e,
    "log_sigmoid": jax.nn.log_sigmoid,
}
# softplus, softsign and zero_fraction (in tf.math too) are defined with the nn ops.
for _name, _fn in _UNARY.items():
    defop(_name)(_fn)


# --- reductions (axis: None or a tuple of non-negative ints) ---
def _count(x, axis) -> int:
    axes = range(x.ndim) if axis is None else axis
    return int(np.prod([x.shape[a] for a in axes], dtype=np.int64))


@defop("reduce_sum")
def reduce_sum(x, *, axis=None, keepdims=False):
    return jnp.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype if _is_int(x) else None)


@defop("reduce_prod")
def reduce_prod(x, *, axis=None, keepdims=False):
    return jnp.prod(x, axis=axis, keepdims=keepdims, dtype=x.dtype if _is_int(x) else None)


@defop("reduce_mean")
def reduce_mean(x, *, axis=None, keepdims=False):
    """The mean; integers divide their sum by the count with truncation (and give 0 when empty)."""
    if not _is_int(x):
        return jnp.mean(x, axis=axis, keepdims=keepdims)
    total = jnp.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)
    n = _count(x, axis)
    if n == 0:
        return jnp.zeros_like(total)
    return lax.div(total, jnp.asarray(n).astype(x.dtype))


def _lowest(dtype):
    return -np.inf if jnp.issubdtype(dtype, jnp.floating) else np.iinfo(dtype).min


def _highest(dtype):
    return np.inf if jnp.issubdtype(dtype, jnp.floating) else np.iinfo(dtype).max


@defop("reduce_max")
def reduce_max(x, *, axis=None, keepdims=False):
    if x.dtype == jnp.bool_:
        return jnp.any(x, axis=axis, keepdims=keepdims)
    return jnp.max(x, axis=axis, keepdims=keepdims, initial=_lowest(x.dtype))


@defop("reduce_min")
def reduce_min(x, *, axis=None, keepdims=False):
    if x.dtype == jnp.bool_:
        return jnp.all(x, axis=axis, keepdims=keepdims)
    return jnp.min(x, axis=axis, keepdims=keepdims, initial=_highest(x.dtype))


@defop("reduce_any")
def reduce_any(x, *, axis=None, keepdims=False):
    return jnp.any(x, axis=axis, keepdims=keepdims)


@defop("reduce_all")
def reduce_all(x, *, axis=None, keepdims=False):
    return jnp.all(x, axis=axis, keepdims=keepdims)


@defop("reduce_logsumexp")
def reduce_logsumexp(x, *, axis=None, keepdims=False):
    raw_max = jnp.max(x, axis=axis, keepdims=True, initial=-np.inf)
    shift = lax.stop_gradient(jnp.where(jnp.isfinite(raw_max), raw_max, jnp.zeros((), x.dtype)))
    out = jnp.log(jnp.sum(jnp.exp(x - shift), axis=axis, keepdims=True)) + shift
    return out if keepdims else jnp.squeeze(out, axis=axis)


@defop("reduce_variance")
def reduce_variance(x, *, axis=None, keepdims=False):
    """Mean of |x - mean(x)|^2 (a real result for complex input)."""
    mean = jnp.mean(x, axis=axis, keepdims=True)
    d = jnp.abs(x - mean) if _is_complex(x) else x - mean
    return jnp.mean(d * d, axis=axis, keepdims=keepdims)


@defop("reduce_std")
def reduce_std(x, *, axis=None, keepdims=False):
    return jnp.sqrt(reduce_variance(x, axis=axis, keepdims=keepdims))


@defop("reduce_euclidean_norm")
def reduce_euclidean_norm(x, *, axis=None, keepdims=False):
    """sqrt(sum(x * conj(x))), in x's dtype (integers truncate the root)."""
    if _is_int(x):
        total = jnp.sum(x * x, axis=axis, keepdims=keepdims, dtype=x.dtype)
        return jnp.sqrt(total.astype(jnp.float64)).astype(x.dtype)
    return jnp.sqrt(jnp.sum(x * jnp.conj(x), axis=axis, keepdims=keepdims))


@defop("count_nonzero")
def count_nonzero(x, *, axis=None, keepdims=False, dtype="int64"):
    return jnp.sum(x != 0, axis=axis, keepdims=keepdims, dtype=jnp.dtype(dtype))


@defop("is_non_decreasing")
def is_non_decreasing(x):
    flat = jnp.ravel(x)
    return jnp.all(flat[1:] >= flat[:-1])


@defop("is_strictly_increasing")
def is_strictly_increasing(x):
    flat = jnp.ravel(x)
    return jnp.all(flat[1:] > flat[:-1])


@defop("argmax")
def argmax(x, *, axis, output_type):
    """Index of the first largest value; NaNs are passed over."""
    if jnp.issubdtype(x.dtype, jnp.floating):
        x = jnp.where(jnp.isnan(x), jnp.asarray(-np.inf, x.dtype), x)
    return jnp.argmax(x, axis=axis).astype(jnp.dtype(output_type))


@defop("argmin")
def argmin(x, *, axis, output_type):
    """Index of the first smallest value; NaNs are passed over."""
    if jnp.issubdtype(x.dtype, jnp.floating):
        x = jnp.where(jnp.isnan(x), jnp.asarray(np.inf, x.dtype), x)
    return jnp.argmin(x, axis=axis).astype(jnp.dtype(output_type))


# --- scans (axis: a non-negative int) ---
def _scan(x, fn, identity, axis, exclusive, reverse):
    if reverse:
        x = jnp.flip(x, axis)
    out = fn(x, axis)
    if exclusive:
        pad = [(0, 0)] * x.ndim
        pad[axis] = (1, 0)
        out = jnp.pad(lax.slice_in_dim(out, 0, x.shape[axis] - 1, axis=axis), pad,
                      constant_values=identity)
    return jnp.flip(out, axis) if reverse else out


@defop("cumsum")
def cumsum(x, *, axis=0, exclusive=False, reverse=False):
    return _scan(x, lambda v, a: jnp.cumsum(v, axis=a, dtype=v.dtype), 0, axis, exclusive, reverse)


@defop("cumprod")
def cumprod(x, *, axis=0, exclusive=False, reverse=False):
    return _scan(x, lambda v, a: jnp.cumprod(v, axis=a, dtype=v.dtype), 1, axis, exclusive, reverse)


@defop("cumulative_logsumexp")
def cumulative_logsumexp(x, *, axis=0, exclusive=False, reverse=False):
    return _scan(x, lambda v, a: lax.cumlogsumexp(v, axis=a), -np.inf, axis, exclusive, reverse)


# --- sorting ---
def _sorted(x, axis, descending):
    """(values, int32 indices) along `axis`; equal values keep their index order in both
    directions (as TF's top_k-based sort). NaNs sort last (TF's order for them is unspecified)."""
    key = (~x if _is_int(x) else -x) if descending else x
    iota = lax.broadcasted_iota(jnp.int32, x.shape, axis)
    _, values, indices = lax.sort((key, x, iota), dimension=axis, num_keys=1, is_stable=True)
    return values, indices


@defop("sort")
def sort(x, *, axis=-1, descending=False):
    return _sorted(x, axis % x.ndim, descending)[0]


@defop("argsort")
def argsort(x, *, axis=-1, descending=False):
    return _sorted(x, axis % x.ndim, descending)[1]


@defop("top_k")
def top_k(x, *, k, index_type="int32"):
    """The k largest entries along the last axis, sorted; ties: lower index first."""
    values, indices = lax.top_k(x, k)
    return values, indices.astype(jnp.dtype(index_type))


# --- n-ary ---
@defop("add_n")
def add_n(*xs):
    return functools.reduce(lambda a, b: a + b, xs)


# --- segments: segment ids index the leading axes of data; ids out of [0, n) are dropped ---
def _segment(data, ids, reducer, num_segments):
    lead = ids.ndim
    flat = data.reshape((-1,) + data.shape[lead:])
    return reducer(flat, ids.reshape(-1), num_segments=num_segments)


def _segment_count(data, ids, num_segments):
    ones = jnp.ones(ids.shape, jnp.int32)
    return jax.ops.segment_sum(ones.reshape(-1), ids.reshape(-1), num_segments=num_segments)


def _expand_count(count, data, ids):
    return count.reshape(count.shape + (1,) * (data.ndim - ids.ndim))


@defop("segment_sum")
def segment_sum(data, ids, *, num_segments):
    return _segment(data, ids, jax.ops.segment_sum, num_segments)


@defop("segment_prod")
def segment_prod(data, ids, *, num_segments):
    return _segment(data, ids, _differentiable_segment_prod, num_segments)


@functools.partial(jax.custom_jvp, nondiff_argnums=(2,))
def _differentiable_segment_prod(flat, ids, num_segments):
    return jax.ops.segment_prod(flat, ids, num_segments=num_segments)


@_differentiable_segment_prod.defjvp
def _segment_prod_jvp(num_segments, primals, tangents):
    """TF's SegmentProd gradient: each element's derivative is the product of the other elements
    of its segment (zeros counted, so that a segment with one zero still has one)."""
    flat, ids = primals
    out = _differentiable_segment_prod(flat, ids, num_segments)
    zero = flat == 0
    zeros = jax.ops.segment_sum(zero.astype(jnp.int32), ids, num_segments=num_segments)[ids]
    nonzero_prod = jax.ops.segment_prod(jnp.where(zero, jnp.ones_like(flat), flat), ids,
                                        num_segments=num_segments)[ids]
    safe = jnp.where(zero, jnp.ones_like(flat), flat)
    others = jnp.where(zero, jnp.where(zeros == 1, nonzero_prod, 0),
                       jnp.where(zeros == 0, nonzero_prod / safe, 0))
    return out, jax.ops.segment_sum(others * tangents[0], ids, num_segments=num_segments)


def _finite_extreme(dtype, which):
    info = jnp.finfo(dtype) if jnp.issubdtype(dtype, jnp.floating) else jnp.iinfo(dtype)
    return getattr(info, which)


def _segment_extreme(data, ids, reducer, num_segments, empty_zero, which):
    out = _segment(data, ids, reducer, num_segments)
    count = _expand_count(_segment_count(data, ids, num_segments), data, ids)
    empty = jnp.zeros((), out.dtype) if empty_zero else jnp.asarray(_finite_extreme(out.dtype, which), out.dtype)
    return jnp.where(count == 0, empty, out)


@defop("segment_max")
def segment_max(data, ids, *, num_segments, empty_zero=False):
    """Empty segments give the dtype's lowest finite value, or 0 with `empty_zero` (sorted)."""
    return _segment_extreme(data, ids, jax.ops.segment_max, num_segments, empty_zero, "min")


@defop("segment_min")
def segment_min(data, ids, *, num_segments, empty_zero=False):
    """Empty segments give the dtype's highest finite value, or 0 with `empty_zero` (sorted)."""
    return _segment_extreme(data, ids, jax.ops.segment_min, num_segments, empty_zero, "max")


@defop("segment_mean")
def segment_mean(data, ids, *, num_segments, dtype=None):
    """Sum / count (0 for empty segments); with `dtype`, the division is done in that dtype."""
    total = _segment(data, ids, jax.ops.segment_sum, num_segments)
    count = _expand_count(jnp.maximum(_segment_count(data, ids, num_segments), 1), data, ids)
    if dtype is not None:
        return total.astype(jnp.dtype(dtype)) / count.astype(jnp.dtype(dtype))
    if _is_int(total):
        return lax.div(total, count.astype(total.dtype))
    return total / count.astype(total.dtype)


@defop("segment_sqrt_n")
def segment_sqrt_n(data, ids, *, num_segments):
    total = _segment(data, ids, jax.ops.segment_sum, num_segments)
    count = _expand_count(jnp.maximum(_segment_count(data, ids, num_segments), 1), data, ids)
    return total / jnp.sqrt(count.astype(total.dtype))


@defop("bincount")
def bincount(arr, weights, *, size, binary_output=False, batched=False):
    """Counts (or summed weights) of each value in [0, size); other values are dropped. With
    `batched`, each row of a 2-D `arr` is counted on its own."""
    if batched:
        return jax.vmap(lambda a, w: bincount(a, w, size=size, binary_output=binary_output))(arr, weights)
    ids = arr.reshape(-1)
    ids = jnp.where((ids >= 0) & (ids < size), ids, size)
    if binary_output:
        hits = jax.ops.segment_max(jnp.ones(ids.shape, weights.dtype), ids, num_segments=size + 1)
        return jnp.maximum(hits[:size], jnp.zeros((), weights.dtype))
    return jax.ops.segment_sum(weights.reshape(-1), ids, num_segments=size + 1)[:size]


# --- contractions ---
def _check_tensordot(a, b, *, axes):
    for i, j in zip(*axes):
        if a.shape[i] != b.shape[j]:
            a_free = [a.shape[d] for d in range(a.ndim) if d not in axes[0]]
            b_free = [b.shape[d] for d in range(b.ndim) if d not in axes[1]]
            n = int(np.prod([a.shape[d] for d in axes[0]], dtype=np.int64))
            m = int(np.prod([b.shape[d] for d in axes[1]], dtype=np.int64))
            raise InvalidInput("Matrix size-incompatible: In[0]: "
                               f"{dims([int(np.prod(a_free, dtype=np.int64)), n])}, "
                               f"In[1]: {dims([m, int(np.prod(b_free, dtype=np.int64))])}")


@defop("tensordot", explain=checked(_check_tensordot))
def tensordot(a, b, *, axes):
    return jnp.tensordot(a, b, axes=axes)


def _einsum_terms(equation: str, n_inputs: int):
    lhs = equation.split("->")[0]
    return [t.strip() for t in lhs.split(",")][:n_inputs]


def _check_einsum(*xs, equation):
    sizes = {}
    for i, (term, x) in enumerate(zip(_einsum_terms(equation, len(xs)), xs)):
        if "..." in term:
            named = term.replace("...", "")
            if x.ndim < len(named):
                raise InvalidInput(f"Expected input {i} to have rank at least {len(named)} but got: {x.ndim}")
            before, after = term.split("...")
            labelled = list(zip(before, x.shape[:len(before)])) + \
                list(zip(after, x.shape[x.ndim - len(after):] if after else ()))
        else:
            if x.ndim != len(term):
                raise InvalidInput(f"Expected input {i} to have rank {len(term)} but got: {x.ndim}")
            labelled = list(zip(term, x.shape))
        for axis, (label, d) in enumerate(labelled):
            if label in sizes and sizes[label] != d and d != 1 and sizes[label] != 1:
                raise InvalidInput(f"Expected dimension {sizes[label]} at axis {axis} of the input shaped "
                                   f"{dims(x.shape)} but got dimension {d}")
            sizes.setdefault(label, d)


@defop("einsum", explain=checked(_check_einsum))
def einsum(*xs, equation):
    return jnp.einsum(equation, *xs)
