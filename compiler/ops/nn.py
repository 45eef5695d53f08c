"""nn ops: activations, convolutions, pooling, normalization and losses, with TF's numerics.

Layout conventions (decided by the front end, passed as static attributes):
- spatial ops take `channels_first` (NC... when true, N...C otherwise); leading dimensions
  before the spatial ones and the channel one are batch dimensions (TF's `batch_shape + [...]`);
- `padding` is "SAME", "VALID" or a tuple of (low, high) pairs, one per spatial dimension;
- `strides`, `dilations`, `ksize` are tuples with one int per spatial dimension.

Shape checks raise `InvalidInput` while the implementation is traced; the same check is the
op's `explain`, so a caller sees TF's message, never a JAX traceback (compiler/ops/checks.py).
"""
from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from compiler.ops.checks import InvalidInput, check_broadcast, check_reduction_axes, checked, dims
from compiler.ops.precision import upcast
from compiler.ops.registry import defop
from compiler.ops.tf_gradients import tf_tangent


# ---------------------------------------------------------------------------------------------
# Activations
# ---------------------------------------------------------------------------------------------
@defop("relu")
@tf_tangent(lambda p, out, t: jnp.where(p[0] > 0, t[0], 0))  # TF: no gradient at 0
def relu(x):
    return jnp.maximum(x, jnp.zeros((), x.dtype))


@defop("relu6")
@tf_tangent(lambda p, out, t: jnp.where((p[0] > 0) & (p[0] < 6), t[0], 0))
def relu6(x):
    return jnp.minimum(jnp.maximum(x, jnp.zeros((), x.dtype)), jnp.asarray(6, x.dtype))


@defop("elu")
@tf_tangent(lambda p, out, t: t[0] * jnp.where(out < 0, out + 1, 1))  # TF's EluGrad
def elu(x):
    return jnp.where(x < 0, jnp.expm1(x), x)


@defop("selu")
@tf_tangent(lambda p, out, t: t[0] * jnp.where(out < 0, out + 1.7580993408473768599402175208123,
                                               1.0507009873554804934193349852946))  # TF's SeluGrad
def selu(x):
    scale = 1.0507009873554804934193349852946
    scale_alpha = 1.7580993408473768599402175208123
    return jnp.where(x < 0, jnp.asarray(scale_alpha, x.dtype) * jnp.expm1(x), jnp.asarray(scale, x.dtype) * x)


@defop("gelu")
def gelu(x, *, approximate=False):
    half, one = jnp.asarray(0.5, x.dtype), jnp.asarray(1.0, x.dtype)
    if approximate:
        inner = jnp.asarray(0.7978845608028654, x.dtype) * (x + jnp.asarray(0.044715, x.dtype) * x ** 3)
        return half * x * (one + jnp.tanh(inner))
    return half * x * (one + lax.erf(x / jnp.asarray(1.4142135623730951, x.dtype)))


@defop("leaky_relu")
def leaky_relu(x, *, alpha=0.2):
    return jnp.where(x > 0, x, x * jnp.asarray(alpha, x.dtype))


@defop("softplus")
def softplus(x):
    # TF's kernel: x where large, exp(x) where very negative, log1p(exp(x)) in between.
    threshold = math.log(float(jnp.finfo(x.dtype).eps)) + 2.0
    exp = jnp.exp(x)
    return jnp.where(x > -threshold, x, jnp.where(x < threshold, exp, jnp.log1p(exp)))


@defop("softsign")
def softsign(x):
    return x / (jnp.ones((), x.dtype) + jnp.abs(x))


@defop("silu")
def silu(x, *, beta=1.0):
    return x * jax.nn.sigmoid(jnp.asarray(beta, x.dtype) * x)


# sigmoid and tanh (tf.nn.sigmoid is tf.math.sigmoid) are defined with the math ops.


def _check_axis(x, *, axis, **_):
    rank = len(x.shape)
    if rank == 0:
        raise InvalidInput("logits must have >= 1 dimension, got shape []")
    if not -rank <= axis < rank:
        raise InvalidInput(f"`dim` must be in the range [{-rank}, {rank}) where {rank} is the number of "
                           f"dimensions in the input. Received: dim={axis}")


@defop("softmax", explain=checked(_check_axis))
def softmax(logits, *, axis=-1):
    _check_axis(logits, axis=axis)
    return jax.nn.softmax(upcast(logits), axis=axis).astype(logits.dtype)


@defop("log_softmax", explain=checked(_check_axis))
def log_softmax(logits, *, axis=-1):
    _check_axis(logits, axis=axis)
    return jax.nn.log_softmax(upcast(logits), axis=axis).astype(logits.dtype)


@defop("crelu")
def crelu(x, *, axis=-1):
    zero = jnp.zeros((), x.dtype)
    return jnp.concatenate([jnp.maximum(x, zero), jnp.maximum(-x, zero)], axis=axis)


def _check_bias_add(x, bias, *, channels_first=False):
    if len(x.shape) < 2:
        raise InvalidInput(f"Input tensor must be at least 2D: {dims(x.shape)}")
    if len(bias.shape) != 1:
        raise InvalidInput(f"Biases must be 1D: {dims(bias.shape)}")
    axis = 1 if channels_first else -1
    if x.shape[axis] != bias.shape[0]:
        raise InvalidInput(f"Must provide as many biases as the {'channel' if channels_first else 'last'} "
                           f"dimension of the input tensor: {dims(bias.shape)} vs. {dims(x.shape)}")


@defop("bias_add", explain=checked(_check_bias_add))
def bias_add(x, bias, *, channels_first=False):
    _check_bias_add(x, bias, channels_first=channels_first)
    if channels_first:
        bias = bias.reshape((-1,) + (1,) * (x.ndim - 2))
    return x + bias


# ---------------------------------------------------------------------------------------------
# Convolutions
# ---------------------------------------------------------------------------------------------
_SPATIAL = "DHW"


def _specs(n: int, channels_first: bool):
    spatial = _SPATIAL[-n:] if n <= 3 else "".join(chr(ord("a") + i) for i in range(n))
    lhs = "NC" + spatial if channels_first else "N" + spatial + "C"
    return lhs, spatial + "IO", lhs


def _window_out(size, k, stride, dilation, padding):
    """Output size of one spatial dimension; padding is 'SAME', 'VALID' or (lo, hi)."""
    effective = (k - 1) * dilation + 1
    if padding == "SAME":
        return -(-size // stride), effective
    lo, hi = (0, 0) if padding == "VALID" else padding
    return (size + lo + hi - effective) // stride + 1, effective


def _pads(size, k, stride, dilation, padding):
    """(lo, hi) padding of one spatial dimension, as TF computes it."""
    if padding == "VALID":
        return (0, 0)
    if padding == "SAME":
        effective = (k - 1) * dilation + 1
        out = -(-size // stride)
        total = max((out - 1) * stride + effective - size, 0)
        return (total // 2, total - total // 2)
    return tuple(padding)


def _check_window(size, k, stride, dilation, padding):
    """TF's error when a window does not fit in its (padded) input."""
    if padding == "SAME" or size is None:
        return
    lo, hi = (0, 0) if padding == "VALID" else padding
    effective = (k - 1) * dilation + 1
    if size + lo + hi < effective:
        raise InvalidInput(f"Computed output size would be negative: {(size + lo + hi - effective) // stride}"
                           f" [input_size: {size}, effective_filter_size: {effective}, stride: {stride}]")


def _spatial_axes(ndim, n, channels_first):
    return tuple(range(ndim - n, ndim)) if channels_first else tuple(range(ndim - n - 1, ndim - 1))


def _check_conv(x, w, *, strides, padding, dilations, channels_first=False, **_):
    n = len(strides)
    if len(x.shape) < n + 2:
        raise InvalidInput(f"input must be at least {n + 2}-dimensional: {dims(x.shape)}")
    if len(w.shape) != n + 2:
        raise InvalidInput(f"filter must be {n + 2}-dimensional: {dims(w.shape)}")
    if any(s <= 0 for s in strides):
        raise InvalidInput(f"Stride must be > 0, but got {min(strides)}")
    if any(d <= 0 for d in dilations):
        raise InvalidInput("Dilated rates should be larger than 0.")
    in_depth = x.shape[len(x.shape) - n - 1] if channels_first else x.shape[-1]
    filter_depth, out_depth = w.shape[-2], w.shape[-1]
    if filter_depth == 0 or in_depth % filter_depth:
        raise InvalidInput(f"input depth must be evenly divisible by filter depth: {in_depth} vs {filter_depth}")
    groups = in_depth // filter_depth
    if out_depth % groups:
        raise InvalidInput(f"output depth must be evenly divisible by number of groups: {out_depth} vs {groups}")
    if padding not in ("SAME", "VALID"):
        for lo_hi in padding:
            if min(lo_hi) < 0:
                raise InvalidInput(f"All elements of explicit_paddings must be nonnegative, got {lo_hi}")
    axes = _spatial_axes(len(x.shape), n, channels_first)
    for i, axis in enumerate(axes):
        _check_window(x.shape[axis], w.shape[i], strides[i], dilations[i],
                      padding if isinstance(padding, str) else padding[i])


@defop("conv", explain=checked(_check_conv))
def conv(x, w, *, strides, padding, dilations, channels_first=False):
    """N-D convolution (TF's Conv1D/2D/3D, grouped when the filter depth divides the input's)."""
    _check_conv(x, w, strides=strides, padding=padding, dilations=dilations, channels_first=channels_first)
    n = len(strides)
    batch = x.shape[:x.ndim - n - 1]
    x = x.reshape((-1,) + x.shape[len(batch):])
    in_depth = x.shape[1] if channels_first else x.shape[-1]
    pads = padding if isinstance(padding, str) else tuple(tuple(p) for p in padding)
    out = lax.conv_general_dilated(
        x, w, window_strides=strides, padding=pads, rhs_dilation=dilations,
        dimension_numbers=_specs(n, channels_first), feature_group_count=in_depth // w.shape[-2])
    return out.reshape(batch + out.shape[1:])


def _check_conv_transpose(x, w, *, output_shape, strides, padding, dilations, channels_first=False):
    n = len(strides)
    if len(output_shape) != n + 2:
        raise InvalidInput(f"input_sizes must be {n + 2}-dimensional, got: {len(output_shape)}")
    if len(x.shape) != n + 2:
        raise InvalidInput(f"out_backprop must be {n + 2}-dimensional, got: {dims(x.shape)}")
    if len(w.shape) != n + 2:
        raise InvalidInput(f"filter must be {n + 2}-dimensional: {dims(w.shape)}")
    if any(s <= 0 for s in strides):
        raise InvalidInput(f"Stride must be > 0, but got {min(strides)}")
    if any(d <= 0 for d in dilations):
        raise InvalidInput("Dilated rates should be larger than 0.")
    c_axis = 1 if channels_first else n + 1
    if output_shape[0] != x.shape[0]:
        raise InvalidInput(f"input and out_backprop must have the same batch size: {output_shape[0]} vs "
                           f"{x.shape[0]}")
    if output_shape[c_axis] != w.shape[-2]:
        raise InvalidInput(f"input depth must be evenly divisible by filter depth: "
                           f"{output_shape[c_axis]} vs {w.shape[-2]}")
    if x.shape[c_axis] != w.shape[-1]:
        raise InvalidInput(f"filter and out_backprop must have the same out_depth: {w.shape[-1]} vs "
                           f"{x.shape[c_axis]}")
    axes = _spatial_axes(n + 2, n, channels_first)
    for i, axis in enumerate(axes):
        pad = padding if isinstance(padding, str) else padding[i]
        computed, _ = _window_out(output_shape[axis], w.shape[i], strides[i], dilations[i], pad)
        if computed != x.shape[axis]:
            raise InvalidInput(
                f"Conv{n}DCustomBackpropInput: Size of out_backprop doesn't match computed: actual = "
                f"{x.shape[axis]}, computed = {computed} spatial_dim: {axis} input: {output_shape[axis]} "
                f"filter: {w.shape[i]} output: {x.shape[axis]} stride: {strides[i]} dilation: {dilations[i]}")


@defop("conv_transpose", explain=checked(_check_conv_transpose))
def conv_transpose(x, w, *, output_shape, strides, padding, dilations, channels_first=False):
    """The gradient of `conv` with respect to its input (TF's Conv{1,2,3}DBackpropInput)."""
    _check_conv_transpose(x, w, output_shape=output_shape, strides=strides, padding=padding,
                          dilations=dilations, channels_first=channels_first)
    n = len(strides)
    axes = _spatial_axes(n + 2, n, channels_first)
    pads = []
    for i, axis in enumerate(axes):
        size, k, s, d = output_shape[axis], w.shape[i], strides[i], dilations[i]
        lo, _ = _pads(size, k, s, d, padding if isinstance(padding, str) else padding[i])
        effective = (k - 1) * d + 1
        m = x.shape[axis]
        t_lo = effective - 1 - lo
        t_hi = size + effective - 1 - ((m - 1) * s + 1) - t_lo
        pads.append((t_lo, t_hi))
    lhs, rhs, out = _specs(n, channels_first)
    flipped = jnp.flip(w, axis=tuple(range(n)))
    return lax.conv_general_dilated(
        x, flipped, window_strides=(1,) * n, padding=pads, lhs_dilation=strides, rhs_dilation=dilations,
        dimension_numbers=(lhs, rhs.replace("IO", "OI"), out))


def _check_depthwise(x, w, *, strides, padding, dilations, channels_first=False):
    if len(x.shape) != 4:
        raise InvalidInput(f"input must be 4-dimensional{dims(x.shape)}")
    if len(w.shape) != 4:
        raise InvalidInput(f"filter must be 4-dimensional: {dims(w.shape)}")
    in_depth = x.shape[1] if channels_first else x.shape[3]
    if in_depth != w.shape[2]:
        raise InvalidInput(f"input and filter must have the same depth: {in_depth} vs {w.shape[2]}")
    grouped = jax.ShapeDtypeStruct(tuple(w.shape[:2]) + (1, w.shape[2] * w.shape[3]), w.dtype)
    _check_conv(x, grouped, strides=strides, padding=padding, dilations=dilations,
                channels_first=channels_first)


@defop("depthwise_conv2d", explain=checked(_check_depthwise))
def depthwise_conv2d(x, w, *, strides, padding, dilations, channels_first=False):
    """TF's DepthwiseConv2dNative: filter [h, w, in, multiplier] -> in * multiplier channels."""
    _check_depthwise(x, w, strides=strides, padding=padding, dilations=dilations, channels_first=channels_first)
    in_depth = w.shape[2]
    rhs = w.reshape(w.shape[:2] + (1, in_depth * w.shape[3]))
    if any(d > 1 for d in dilations) and any(s > 1 for s in strides):
        return _space_to_batch_depthwise(x, rhs, strides, padding, dilations, channels_first)
    pads = padding if isinstance(padding, str) else tuple(tuple(p) for p in padding)
    return lax.conv_general_dilated(
        x, rhs, window_strides=strides, padding=pads, rhs_dilation=dilations,
        dimension_numbers=_specs(2, channels_first), feature_group_count=in_depth)


def _space_to_batch_depthwise(x, rhs, strides, padding, dilations, channels_first):
    """TF computes a dilated depthwise convolution through space_to_batch (with_space_to_batch),
    applying the strides inside each of the `rate` interleaved phases (and padding every dimension
    by (k - 1) * rate). With strides above 1 that samples output positions
    (o // rate) * stride * rate + o % rate of the stride-1 dilated convolution: sizes and values
    differ from a plain strided, dilated convolution, and TF's are reproduced here."""
    axes = _spatial_axes(x.ndim, 2, channels_first)
    pads, picks = [], []
    for i, axis in enumerate(axes):
        n, k, s, d = x.shape[axis], rhs.shape[i], strides[i], dilations[i]
        if padding == "SAME":
            extra = (k - 1) * d
            lo, hi = extra // 2, extra - extra // 2
        else:
            lo, hi = (0, 0) if padding == "VALID" else tuple(padding[i])
        crop = (d - (n + lo + hi) % d) % d
        length = (n + lo + hi + crop) // d
        m = (length - k) // s + 1
        out = max(m * d - crop, 0)
        o = np.arange(out)
        pads.append((lo, hi + crop))
        picks.append((axis, (o // d) * s * d + o % d))
    full = lax.conv_general_dilated(
        x, rhs, window_strides=(1, 1), padding=pads, rhs_dilation=dilations,
        dimension_numbers=_specs(2, channels_first), feature_group_count=x.shape[1 if channels_first else -1])
    for axis, index in picks:
        full = jnp.take(full, jnp.asarray(index, jnp.int32), axis=axis)
    return full


def _depthwise_native(x, w, strides, padding, dilations, channels_first):
    in_depth = w.shape[2]
    rhs = w.reshape(w.shape[:2] + (1, in_depth * w.shape[3]))
    pads = padding if isinstance(padding, str) else tuple(tuple(p) for p in padding)
    return lax.conv_general_dilated(
        x, rhs, window_strides=strides, padding=pads, rhs_dilation=dilations,
        dimension_numbers=_specs(2, channels_first), feature_group_count=in_depth)


def _check_depthwise_backprop(a, b, *, sizes, which, strides, padding, dilations, channels_first=False):
    x_shape = sizes if which == "input" else a.shape
    w_shape = sizes if which == "filter" else a.shape
    out = b
    _check_depthwise(jax.ShapeDtypeStruct(tuple(x_shape), a.dtype), jax.ShapeDtypeStruct(tuple(w_shape), a.dtype),
                     strides=strides, padding=padding, dilations=dilations, channels_first=channels_first)
    want = jax.eval_shape(lambda x, w: _depthwise_native(x, w, strides, padding, dilations, channels_first),
                          jax.ShapeDtypeStruct(tuple(x_shape), a.dtype),
                          jax.ShapeDtypeStruct(tuple(w_shape), a.dtype)).shape
    if tuple(want) != tuple(out.shape):
        raise InvalidInput(f"Computed out_backprop shape {dims(want)} does not match the given out_backprop "
                           f"shape {dims(out.shape)}")


@defop("depthwise_conv2d_backprop", explain=checked(_check_depthwise_backprop))
def depthwise_conv2d_backprop(a, out_backprop, *, sizes, which, strides, padding, dilations, channels_first=False):
    """Gradient of the depthwise convolution with respect to its input (`a` is the filter) or to
    its filter (`a` is the input); `sizes` is the shape of the gradient."""
    _check_depthwise_backprop(a, out_backprop, sizes=sizes, which=which, strides=strides, padding=padding,
                              dilations=dilations, channels_first=channels_first)
    zeros = jnp.zeros(sizes, a.dtype)
    if which == "input":
        _, vjp = jax.vjp(lambda x: _depthwise_native(x, a, strides, padding, dilations, channels_first), zeros)
    else:
        _, vjp = jax.vjp(lambda w: _depthwise_native(a, w, strides, padding, dilations, channels_first), zeros)
    return vjp(out_backprop)[0]


def _check_morphology(x, w, *, strides, padding, dilations):
    if len(x.shape) != 4:
        raise InvalidInput(f"input must be 4-dimensional: {dims(x.shape)}")
    if len(w.shape) != 3:
        raise InvalidInput(f"filter must be 3-dimensional: {dims(w.shape)}")
    if x.shape[3] != w.shape[2]:
        raise InvalidInput(f"input and filter must have the same depth: {x.shape[3]} vs {w.shape[2]}")
    for i in range(2):
        _check_window(x.shape[1 + i], w.shape[i], strides[i], dilations[i], padding)


@defop("dilation2d", explain=checked(_check_morphology))
def dilation2d(x, w, *, strides, padding, dilations):
    """Grayscale dilation: max over the window of input + filter (TF's Dilation2D, NHWC)."""
    _check_morphology(x, w, strides=strides, padding=padding, dilations=dilations)
    pads = [(0, 0)] + [_pads(x.shape[1 + i], w.shape[i], strides[i], dilations[i], padding) for i in range(2)] \
        + [(0, 0)]
    lowest = jnp.asarray(-jnp.inf if jnp.issubdtype(x.dtype, jnp.floating) else jnp.iinfo(x.dtype).min, x.dtype)
    padded = lax.pad(x, lowest, [(lo, hi, 0) for lo, hi in pads])
    outs = [(padded.shape[1 + i] - (w.shape[i] - 1) * dilations[i] - 1) // strides[i] + 1 for i in range(2)]
    result = None
    for dy in range(w.shape[0]):
        for dx in range(w.shape[1]):
            y0, x0 = dy * dilations[0], dx * dilations[1]
            window = lax.slice(padded, (0, y0, x0, 0),
                               (x.shape[0], y0 + (outs[0] - 1) * strides[0] + 1, x0 + (outs[1] - 1) * strides[1] + 1,
                                x.shape[3]), (1, strides[0], strides[1], 1))
            value = window + w[dy, dx]
            result = value if result is None else jnp.maximum(result, value)
    return result


@defop("erosion2d", explain=checked(_check_morphology))
def erosion2d(x, w, *, strides, padding, dilations):
    """-dilation2d(-x, reversed filter), as TF computes it."""
    return -dilation2d(-x, jnp.flip(w, (0, 1)), strides=strides, padding=padding, dilations=dilations)


def _check_block(x, *, block_size, channels_first=False, to_depth):
    if len(x.shape) != 4:
        raise InvalidInput(f"Input rank should be: 4 instead of: {len(x.shape)}")
    h, w, c = (x.shape[2], x.shape[3], x.shape[1]) if channels_first else x.shape[1:]
    if to_depth:
        if h % block_size or w % block_size:
            raise InvalidInput(f"Image width {w} and height {h} should be divisible by block_size: {block_size}")
    elif c % (block_size * block_size):
        raise InvalidInput(f"Input depth dimension {c} should be divisible by: {block_size * block_size}")


@defop("depth_to_space", explain=checked(lambda x, **a: _check_block(x, to_depth=False, **a)))
def depth_to_space(x, *, block_size, channels_first=False):
    _check_block(x, block_size=block_size, channels_first=channels_first, to_depth=False)
    bs = block_size
    if channels_first:
        n, c, h, w = x.shape
        y = x.reshape(n, bs, bs, c // (bs * bs), h, w).transpose(0, 3, 4, 1, 5, 2)
        return y.reshape(n, c // (bs * bs), h * bs, w * bs)
    n, h, w, c = x.shape
    y = x.reshape(n, h, w, bs, bs, c // (bs * bs)).transpose(0, 1, 3, 2, 4, 5)
    return y.reshape(n, h * bs, w * bs, c // (bs * bs))


@defop("space_to_depth", explain=checked(lambda x, **a: _check_block(x, to_depth=True, **a)))
def space_to_depth(x, *, block_size, channels_first=False):
    _check_block(x, block_size=block_size, channels_first=channels_first, to_depth=True)
    bs = block_size
    if channels_first:
        n, c, h, w = x.shape
        y = x.reshape(n, c, h // bs, bs, w // bs, bs).transpose(0, 3, 5, 1, 2, 4)
        return y.reshape(n, c * bs * bs, h // bs, w // bs)
    n, h, w, c = x.shape
    y = x.reshape(n, h // bs, bs, w // bs, bs, c).transpose(0, 1, 3, 2, 4, 5)
    return y.reshape(n, h // bs, w // bs, c * bs * bs)


# ---------------------------------------------------------------------------------------------
# Pooling
# ---------------------------------------------------------------------------------------------
def _check_pool(x, *, ksize, strides, padding, channels_first=False, dilations=None):
    n = len(ksize)
    if len(x.shape) != n + 2:
        raise InvalidInput(f"Input must be {n + 2}-dimensional: {dims(x.shape)}" if n != 2
                           else "Input must be 4 or 5-dimensional")
    if any(k <= 0 for k in ksize):
        raise InvalidInput(f"Sliding window ksize must be positive. The specified or inferred ksize is: "
                           f"{','.join(str(k) for k in ksize)}")
    if any(s <= 0 for s in strides):
        raise InvalidInput(f"Stride must be > 0, but got {min(strides)}")
    axes = _spatial_axes(n + 2, n, channels_first)
    dilations = dilations or (1,) * n
    for i, axis in enumerate(axes):
        pad = padding if isinstance(padding, str) else padding[i]
        if not isinstance(pad, str):
            names = ("Top", "Bottom") if i == 0 else ("Left", "Right")
            for name, p in zip(names, pad):
                if p >= ksize[i]:
                    raise InvalidInput(f"{name} padding {p} needs to be smaller than the window size {ksize[i]}")
        _check_window(x.shape[axis], ksize[i], strides[i], dilations[i], pad)


def _window(x, n, channels_first, spatial):
    full = [1] * x.ndim
    for axis, v in zip(_spatial_axes(x.ndim, n, channels_first), spatial):
        full[axis] = v
    return tuple(full)


def _window_pads(x, ksize, strides, padding, channels_first, dilations):
    n = len(ksize)
    pads = [(0, 0)] * x.ndim
    for i, axis in enumerate(_spatial_axes(x.ndim, n, channels_first)):
        pads[axis] = _pads(x.shape[axis], ksize[i], strides[i], dilations[i],
                           padding if isinstance(padding, str) else padding[i])
    return tuple(pads)


@defop("max_pool", explain=checked(_check_pool))
def max_pool(x, *, ksize, strides, padding, channels_first=False, dilations=None):
    _check_pool(x, ksize=ksize, strides=strides, padding=padding, channels_first=channels_first,
                dilations=dilations)
    n = len(ksize)
    dilations = dilations or (1,) * n
    # numpy init values: a concrete init lets JAX pick its differentiable reduce_window_max
    if jnp.issubdtype(x.dtype, jnp.floating):
        init = np.array(-np.inf, x.dtype)
    else:
        init = np.array(jnp.iinfo(x.dtype).min, x.dtype)
    return lax.reduce_window(
        x, init, lax.max, _window(x, n, channels_first, ksize), _window(x, n, channels_first, strides),
        _window_pads(x, ksize, strides, padding, channels_first, dilations),
        window_dilation=_window(x, n, channels_first, dilations))


@defop("avg_pool", explain=checked(_check_pool))
def avg_pool(x, *, ksize, strides, padding, channels_first=False, dilations=None):
    """Average over the window's elements inside the input (padding is not counted, as in TF)."""
    _check_pool(x, ksize=ksize, strides=strides, padding=padding, channels_first=channels_first,
                dilations=dilations)
    n = len(ksize)
    dilations = dilations or (1,) * n
    window = _window(x, n, channels_first, ksize)
    step = _window(x, n, channels_first, strides)
    dil = _window(x, n, channels_first, dilations)
    pads = _window_pads(x, ksize, strides, padding, channels_first, dilations)
    y = upcast(x)
    zero = np.zeros((), y.dtype)  # concrete: JAX's differentiable reduce_window_sum
    sums = lax.reduce_window(y, zero, lax.add, window, step, pads, window_dilation=dil)
    ones = jnp.ones([d if i in _spatial_axes(x.ndim, n, channels_first) else 1
                     for i, d in enumerate(x.shape)], y.dtype)
    counts = lax.reduce_window(ones, zero, lax.add, window, step, pads, window_dilation=dil)
    return (sums / counts).astype(x.dtype)


@defop("max_pool_with_argmax", explain=checked(_check_pool))
def max_pool_with_argmax(x, *, ksize, strides, padding, include_batch_in_index=False, output_dtype="int64"):
    """(max_pool, flat index of each maximum): ((b * H + y) * W + x) * C + c, without the batch
    term unless include_batch_in_index; ties keep the first position, as TF's kernel."""
    values = max_pool(x, ksize=ksize, strides=strides, padding=padding)
    n, h, w, c = x.shape
    index_type = jnp.int64
    flat = jnp.arange(h * w * c, dtype=index_type).reshape(1, h, w, c)
    if include_batch_in_index:
        flat = flat + (jnp.arange(n, dtype=index_type) * (h * w * c)).reshape(n, 1, 1, 1)
    flat = jnp.broadcast_to(flat, x.shape)
    y = lax.stop_gradient(x)

    def pick(a, b):
        (av, ai), (bv, bi) = a, b
        take_b = (bv > av) | ((bv == av) & (bi < ai))
        return jnp.where(take_b, bv, av), jnp.where(take_b, bi, ai)

    lowest = -jnp.inf if jnp.issubdtype(x.dtype, jnp.floating) else jnp.iinfo(x.dtype).min
    init = (np.array(lowest, x.dtype), np.array(jnp.iinfo(index_type).max, index_type))
    _, arg = lax.reduce_window((y, flat), init, pick, _window(x, 2, False, ksize), _window(x, 2, False, strides),
                               _window_pads(x, ksize, strides, padding, False, (1, 1)))
    return values, arg.astype(jnp.dtype(output_dtype))


def _check_lrn(x, **_):
    if len(x.shape) != 4:
        raise InvalidInput("in must be 4-dimensional")


@defop("lrn", explain=checked(_check_lrn))
def lrn(x, *, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5):
    """Local response normalization over the last axis (TF's LRN)."""
    _check_lrn(x)
    y = upcast(x)
    sq = lax.reduce_window(y * y, np.zeros((), y.dtype), lax.add, (1, 1, 1, 2 * depth_radius + 1),
                           (1, 1, 1, 1), ((0, 0), (0, 0), (0, 0), (depth_radius, depth_radius)))
    return (y / (bias + alpha * sq) ** beta).astype(x.dtype)


# ---------------------------------------------------------------------------------------------
# Dropout
# ---------------------------------------------------------------------------------------------
def _check_dropout(x, uniform, **_):
    try:
        np.broadcast_shapes(uniform.shape, x.shape)
    except ValueError:
        raise InvalidInput(f"condition {dims(uniform.shape)}, then {dims(x.shape)}, and else [] must be "
                           f"broadcastable") from None


@defop("dropout", explain=checked(_check_dropout))
def dropout(x, uniform, *, rate):
    """Keep where `uniform >= rate`, scaled by 1 / (1 - rate) (`uniform` may broadcast)."""
    _check_dropout(x, uniform)
    scale = jnp.asarray(1.0 / (1.0 - rate), x.dtype)
    kept = x * scale
    return jnp.where(uniform >= jnp.asarray(rate, uniform.dtype), kept, jnp.zeros((), x.dtype))


# ---------------------------------------------------------------------------------------------
# Normalization and statistics
# ---------------------------------------------------------------------------------------------
@defop("l2_loss")
def l2_loss(x):
    y = upcast(x)
    return jnp.sum(y * y * jnp.asarray(0.5, y.dtype)).astype(x.dtype)


@defop("l2_normalize", explain=checked(check_reduction_axes))
def l2_normalize(x, *, axis=None, epsilon=1e-12):
    check_reduction_axes(x, axis=axis)
    if jnp.iscomplexobj(x):
        real, imag = jnp.real(x), jnp.imag(x)
        square_sum = jnp.sum(jnp.square(real) + jnp.square(imag), axis=axis, keepdims=True)
        inv = lax.rsqrt(jnp.maximum(square_sum, jnp.asarray(epsilon, real.dtype)))
        return lax.complex(real * inv, imag * inv)
    square_sum = jnp.sum(jnp.square(x), axis=axis, keepdims=True)
    return x * lax.rsqrt(jnp.maximum(square_sum, jnp.asarray(epsilon, x.dtype)))


def _mean(x, axis, keepdims=True):
    if jnp.issubdtype(x.dtype, jnp.integer):
        count = math.prod(x.shape[a] for a in (axis if axis is not None else range(x.ndim)))
        total = jnp.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)
        return lax.div(total, jnp.asarray(max(count, 1), x.dtype))
    return jnp.mean(x, axis=axis, keepdims=keepdims)


@defop("moments", explain=checked(check_reduction_axes))
def moments(x, *, axis, keepdims=False):
    """(mean, variance) over `axis` (TF computes float16 in float32)."""
    check_reduction_axes(x, axis=axis)
    y = x.astype(jnp.float32) if x.dtype == jnp.float16 else x
    mean = _mean(y, axis)
    variance = _mean(jnp.square(y - lax.stop_gradient(mean)), axis)
    if not keepdims:
        mean, variance = jnp.squeeze(mean, axis), jnp.squeeze(variance, axis)
    return mean.astype(x.dtype), variance.astype(x.dtype)


@defop("weighted_moments", explain=checked(check_reduction_axes))
def weighted_moments(x, weights, *, axis, keepdims=False):
    check_reduction_axes(x, axis=axis)
    y = x.astype(jnp.float32) if x.dtype == jnp.float16 else x
    w = weights.astype(y.dtype)

    def div_no_nan(a, b):
        return jnp.where(b == 0, jnp.zeros((), a.dtype), a / jnp.where(b == 0, jnp.ones((), b.dtype), b))

    weighted_sum = jnp.sum(w * y, axis=axis, keepdims=True)
    sum_of_weights = jnp.sum(w + jnp.zeros_like(y), axis=axis, keepdims=True)
    mean = div_no_nan(weighted_sum, sum_of_weights)
    distsq = jnp.sum(w * jnp.square(y - mean), axis=axis, keepdims=True)
    variance = div_no_nan(distsq, sum_of_weights)
    if not keepdims:
        mean, variance = jnp.squeeze(mean, axis), jnp.squeeze(variance, axis)
    return mean.astype(x.dtype), variance.astype(x.dtype)


@defop("sufficient_statistics", explain=checked(check_reduction_axes))
def sufficient_statistics(x, shift, *, axis, keepdims=False):
    """(count, sum(x - shift), sum((x - shift)^2)) over `axis` (shift 0 when TF's is None)."""
    check_reduction_axes(x, axis=axis)
    count = math.prod(x.shape[a] for a in axis)
    d = x - shift
    return (jnp.asarray(count, x.dtype), jnp.sum(d, axis=axis, keepdims=keepdims),
            jnp.sum(d * d, axis=axis, keepdims=keepdims))


@defop("batch_normalization", explain=checked(check_broadcast))
def batch_normalization(x, mean, variance, offset, scale, *, epsilon):
    """x * inv + (offset - mean * inv), inv = scale / sqrt(variance + epsilon), as TF writes it."""
    check_broadcast(x, mean, variance, offset, scale)
    inv = lax.rsqrt(variance + jnp.asarray(epsilon, variance.dtype)) * scale
    return x * inv.astype(x.dtype) + (offset - mean * inv).astype(x.dtype)


@defop("normalize_moments")
def normalize_moments(counts, mean_ss, variance_ss, shift):
    divisor = jnp.reciprocal(counts)
    shifted_mean = mean_ss * divisor
    return shifted_mean + shift, variance_ss * divisor - jnp.square(shifted_mean)


@defop("zero_fraction")
def zero_fraction(x):
    return jnp.mean((x == 0).astype(jnp.float32))


# ---------------------------------------------------------------------------------------------
# Losses
# ---------------------------------------------------------------------------------------------
def _check_sparse_xent(labels, logits):
    if len(logits.shape) == 0:
        raise InvalidInput("Logits cannot be scalars - received shape [].")
    if len(labels.shape) != len(logits.shape) - 1:
        raise InvalidInput(f"`labels.shape.rank` must equal `logits.shape.rank - 1`. Received: labels.shape="
                           f"{tuple(labels.shape)} of rank {len(labels.shape)} and logits.shape="
                           f"{tuple(logits.shape)} of rank {len(logits.shape)}")
    if tuple(labels.shape) != tuple(logits.shape[:-1]):
        raise InvalidInput(f"`labels.shape` must equal `logits.shape` except for the last dimension. "
                           f"Received: labels.shape={tuple(labels.shape)} and logits.shape={tuple(logits.shape)}")


@defop("sparse_softmax_cross_entropy", explain=checked(_check_sparse_xent))
def sparse_softmax_cross_entropy(labels, logits):
    """-log softmax(logits)[label]; a label outside [0, classes) gives NaN (TF's GPU kernel)."""
    _check_sparse_xent(labels, logits)
    y = upcast(logits)
    classes = y.shape[-1]
    valid = (labels >= 0) & (labels < classes)
    safe = jnp.where(valid, labels, 0).astype(jnp.int32)
    log_probs = jax.nn.log_softmax(y, axis=-1)
    picked = jnp.take_along_axis(log_probs, safe[..., None], axis=-1)[..., 0]
    return jnp.where(valid, -picked, jnp.asarray(jnp.nan, y.dtype)).astype(logits.dtype)


def _check_xent(labels, logits, *, axis=-1):
    if len(logits.shape) == 0:
        raise InvalidInput("logits and labels must be broadcastable: logits_size=[] labels_size=[]")
    try:
        shape = np.broadcast_shapes(labels.shape, logits.shape)
    except ValueError:
        shape = None
    if shape is None or tuple(shape) != tuple(logits.shape):
        raise InvalidInput(f"logits and labels must be broadcastable: logits_size={dims(logits.shape)} "
                           f"labels_size={dims(labels.shape)}")


@defop("softmax_cross_entropy", explain=checked(_check_xent))
def softmax_cross_entropy(labels, logits, *, axis=-1):
    """sum(-labels * log_softmax(logits)) over `axis`; labels broadcast to the logits' shape."""
    _check_xent(labels, logits, axis=axis)
    y = upcast(logits)
    lab = jnp.broadcast_to(labels.astype(y.dtype), y.shape)
    return jnp.sum(-lab * jax.nn.log_softmax(y, axis=axis), axis=axis).astype(logits.dtype)


@defop("sigmoid_cross_entropy")
def sigmoid_cross_entropy(labels, logits):
    zeros = jnp.zeros((), logits.dtype)
    cond = logits >= zeros
    relu_logits = jnp.where(cond, logits, zeros)
    neg_abs_logits = jnp.where(cond, -logits, logits)
    return (relu_logits - logits * labels) + jnp.log1p(jnp.exp(neg_abs_logits))


@defop("weighted_cross_entropy")
def weighted_cross_entropy(labels, logits, pos_weight):
    one = jnp.ones((), logits.dtype)
    log_weight = one + (pos_weight - one) * labels
    return (one - labels) * logits + log_weight * (
        jnp.log1p(jnp.exp(-jnp.abs(logits))) + jnp.maximum(-logits, jnp.zeros((), logits.dtype)))


@defop("log_poisson_loss")
def log_poisson_loss(targets, log_input, *, compute_full_loss=False):
    result = jnp.exp(log_input) - log_input * targets
    if compute_full_loss:
        half = jnp.asarray(0.5, targets.dtype)
        two_pi = jnp.asarray(2 * math.pi, targets.dtype)
        stirling = targets * jnp.log(targets) - targets + half * jnp.log(two_pi * targets)
        small = (targets >= 0) & (targets <= 1)
        result = result + jnp.where(small, jnp.zeros_like(targets), stirling)
    return result


@defop("in_top_k")
def in_top_k(predictions, targets, *, k):
    """Whether each target's prediction is among the top k (ties at the boundary count as in)."""
    classes = predictions.shape[-1]
    valid = (targets >= 0) & (targets < classes)
    safe = jnp.where(valid, targets, 0).astype(jnp.int32)
    target_pred = jnp.take_along_axis(predictions, safe[:, None], axis=1)
    above = jnp.sum(predictions > target_pred, axis=1)
    return valid & jnp.isfinite(target_pred[:, 0]) & (above < k)


# ---------------------------------------------------------------------------------------------
# Embeddings
# ---------------------------------------------------------------------------------------------
def _div_rows(ids, sizes, xp):
    """Row of the concatenated shards for each id under TF's "div" partition strategy."""
    if len(sizes) == 1:
        return ids
    p = len(sizes)
    total = sum(sizes)
    per, extras = total // p, total % p
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    ids = ids.astype(np.int64) if xp is np else ids.astype(jnp.int64)
    boundary = extras * (per + 1)
    in_first = ids < boundary
    part = xp.where(in_first, ids // (per + 1), extras + (ids - boundary) // max(per, 1))
    local = xp.where(in_first, ids % (per + 1), (ids - boundary) % max(per, 1))
    return xp.asarray(offsets)[part] + local


def _check_embedding(ids, *params, max_norm=None):
    if not params:
        raise InvalidInput("Need at least one param")
    for p in params:
        if len(p.shape) == 0:
            raise InvalidInput("params must be at least 1 dimensional")
        if tuple(p.shape[1:]) != tuple(params[0].shape[1:]):
            raise InvalidInput(f"ConcatOp : Dimension 1 in both shapes must be equal: shape[0] = "
                               f"{dims(params[0].shape)} vs. shape[1] = {dims(p.shape)}")


def _embedding_host(ids, *params, max_norm=None):
    rows = _div_rows(np.asarray(ids), [p.shape[0] for p in params], np)
    table = np.concatenate([np.asarray(p) for p in params], axis=0)
    return np.take(table, rows, axis=0)


@defop("embedding_lookup", explain=checked(_check_embedding), host_impl=_embedding_host)
def embedding_lookup(ids, *params, max_norm=None):
    """params[ids] over shards joined under TF's "div" strategy; ids outside give NaN/0 rows."""
    _check_embedding(ids, *params)
    rows = _div_rows(ids, [p.shape[0] for p in params], jnp)
    table = params[0] if len(params) == 1 else jnp.concatenate(params, axis=0)
    out = jnp.take(table, rows, axis=0, mode="fill")
    if max_norm is not None:
        axes = tuple(range(ids.ndim, out.ndim))
        l2sum = jnp.sum(out * out, axis=axes, keepdims=True)
        pred = l2sum > 0
        l2norm = jnp.where(pred, jnp.sqrt(jnp.where(pred, l2sum, jnp.ones_like(l2sum))), l2sum)
        clip = jnp.asarray(max_norm, out.dtype)
        out = out * clip / jnp.maximum(l2norm, clip)
    return out


@defop("average_loss")
def average_loss(per_example_loss, *, batch_size):
    total = jnp.sum(per_example_loss)
    if batch_size == 0:
        return jnp.zeros((), per_example_loss.dtype)
    return total / jnp.asarray(batch_size, per_example_loss.dtype)


@defop("approx_top_k")
def approx_top_k(x, *, k, reduction_dimension=-1, recall_target=0.95, is_max_k=True,
                 reduction_input_size_override=-1, aggregate_to_topk=True):
    fn = lax.approx_max_k if is_max_k else lax.approx_min_k
    values, indices = fn(x, k, reduction_dimension=reduction_dimension, recall_target=recall_target,
                         reduction_input_size_override=reduction_input_size_override,
                         aggregate_to_topk=aggregate_to_topk)
    return values, indices.astype(jnp.int32)
