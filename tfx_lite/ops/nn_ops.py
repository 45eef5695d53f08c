"""tf.nn: activations, convolutions, pooling, normalization, losses, embeddings.

Arguments are checked and normalized the way TF's Python layer does (strides as an int or a
list of 1, N or N+2 values, 'SAME'/'VALID' or explicit paddings, NHWC/NCHW data formats), so the
same mistakes raise the same error types; each TF op is then one compiler op.
"""
from __future__ import annotations

import collections
import numbers

import numpy as np

from tfx_lite.framework import dtypes, errors
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.op_call import (binary_operands, call, check_same_dtype, invalid_argument, kernel_type_name,
                                        to_tensor)
from tfx_lite.framework.tensor import EagerTensor, Tensor
from tfx_lite.ops.static_args import axis_attr, int_attr, shape_attr, static_scalar, static_value

# No tf.nn name is also top-level except sigmoid and tanh, which are tf.math's (as are softplus,
# softsign and zero_fraction: tfx_lite/nn.py re-exports those from math_ops).
__all__: list = []

# --- dtype rules (TF's op definitions) ------------------------------------------------------
FLOATS = ("float16", "bfloat16", "float32", "float64")
INTS = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")
COMPLEX = ("complex64", "complex128")
REAL = FLOATS + INTS
CONV_TYPES = FLOATS + ("int32",)
MAX_POOL_TYPES = FLOATS + ("int8", "int16", "int32", "int64", "uint8", "uint16")

def check_dtype(x: Tensor, allowed, attr: str = "T") -> None:
    """TF's error for a dtype outside an op's type list."""
    if x.dtype.name not in allowed:
        raise invalid_argument(f"Value for attr '{attr}' of {kernel_type_name(x.dtype)} is not in the list of "
                               f"allowed values: {', '.join(kernel_type_name(a) for a in allowed)}")


def _cast(x: Tensor, dtype: dtypes.DType) -> Tensor:
    return x if x.dtype is dtype else call("Cast", "cast", x, dtype=dtype.name)


def _unary(tf_name, op, features, allowed, **attrs):
    x = to_tensor(features)
    check_dtype(x, allowed)
    return call(tf_name, op, x, **attrs)


# --- activations ------------------------------------------------------------------------------
def relu(features, name=None):
    return _unary("Relu", "relu", features, REAL)


def relu6(features, name=None):
    return _unary("Relu6", "relu6", features, REAL)


def elu(features, name=None):
    return _unary("Elu", "elu", features, FLOATS)


def selu(features, name=None):
    return _unary("Selu", "selu", features, FLOATS)


def gelu(features, approximate=False, name=None):
    x = to_tensor(features)
    if not x.dtype.is_floating:
        raise ValueError(f"`features.dtype` must be a floating point tensor.Received:features.dtype={x.dtype}")
    return call("Gelu", "gelu", x, approximate=bool(approximate))


def leaky_relu(features, alpha=0.2, name=None):
    x = to_tensor(features)
    if x.dtype.is_integer:  # TF computes integer inputs in float32
        x = _cast(x, dtypes.float32)
    check_dtype(x, FLOATS)
    return call("LeakyRelu", "leaky_relu", x, alpha=float(static_scalar(alpha, "alpha")))


def silu(features, beta=1.0, name=None):
    x = to_tensor(features)
    check_dtype(x, FLOATS + COMPLEX)
    return call("Silu", "silu", x, beta=float(static_scalar(beta, "beta")))


swish = silu


def crelu(features, axis=-1, name=None):
    x = to_tensor(features)
    check_dtype(x, REAL)
    rank = x.ndim
    axis = int_attr(axis, "axis")
    if not -rank <= axis < max(rank, 1):
        raise invalid_argument(f"ConcatOp : Expected concatenating dimensions in the range [{-rank}, {rank}), but "
                               f"got {axis}", "ConcatV2")
    return call("CRelu", "crelu", x, axis=axis % rank)


def _softmax(tf_name, op, logits, axis):
    x = to_tensor(logits)
    check_dtype(x, FLOATS)
    return call(tf_name, op, x, axis=-1 if axis is None else int_attr(axis, "axis"))


def softmax(logits, axis=None, name=None):
    return _softmax("Softmax", "softmax", logits, axis)


def log_softmax(logits, axis=None, name=None):
    return _softmax("LogSoftmax", "log_softmax", logits, axis)


def bias_add(value, bias, data_format=None, name=None):
    channels_first = False
    if data_format is not None:
        if data_format.startswith("NC"):
            channels_first = True
        elif not (data_format.startswith("N") and data_format.endswith("C")):
            raise ValueError(f"`data_format` must be of the form `N...C` or `NC...`. Received: "
                             f"data_format={data_format}")
    x, b = binary_operands("BiasAdd", value, bias)
    check_dtype(x, REAL + COMPLEX)
    return call("BiasAdd", "bias_add", x, b, channels_first=channels_first)


# --- argument normalization shared by convolutions and pooling --------------------------------
def _get_sequence(value, n, channel_index, name):
    """TF's nn_ops._get_sequence: an int or a list of 1, n or n+2 values -> n+2 values."""
    if value is None:
        return [1] * (n + 2)
    if isinstance(value, Tensor) or isinstance(value, np.ndarray):
        value = static_value(value, name)
    if isinstance(value, list):
        pass
    elif isinstance(value, tuple):
        value = list(value)
    elif isinstance(value, numbers.Integral):
        value = [value]
    elif not hasattr(value, "__len__"):
        value = [value]
    else:
        value = list(value)
    length = len(value)
    if length == n + 2:
        return [int(v) for v in value]
    if length == 1:
        value = value * n
    elif length != n:
        raise ValueError(f"{name} should be of length 1, {n} or {n + 2}. Received: {name}={value} of "
                         f"length {length}")
    value = [int(v) for v in value]
    return [1, 1] + value if channel_index == 1 else [1] + value + [1]


def _spatial(full, channels_first):
    return tuple(full[2:]) if channels_first else tuple(full[1:-1])


def _convert_padding(padding, n):
    """'SAME'/'VALID', or explicit [[lo, hi]] * (n + 2) -> a tuple of spatial (lo, hi) pairs (still
    in data-format order; the caller drops batch/channel pairs after checking them)."""
    if isinstance(padding, str) and padding == "EXPLICIT":
        raise ValueError("'EXPLICIT' is not a valid value for `padding`. To use explicit padding, "
                         "`padding` must be a list.")
    if isinstance(padding, (list, tuple)):
        for i, pair in enumerate(padding):
            if not isinstance(pair, (list, tuple)):
                raise ValueError(f"When `padding` is a list, each element of `padding` must be a list/tuple "
                                 f"of size 2. Received: padding={padding} with element at index {i} of type "
                                 f"{type(pair)}")
            if len(pair) != 2:
                raise ValueError(f"When `padding` is a list, each element of `padding` must be a list/tuple "
                                 f"of size 2. Received: padding={padding} with element at index {i} of size "
                                 f"{len(pair)}")
        if len(padding) != n + 2:
            raise ValueError(f"When padding is a list, it must be of size {n + 2}. Received: padding={padding} "
                             f"of size {len(padding)}")
        return tuple((int(static_value(lo)), int(static_value(hi))) for lo, hi in padding)
    return padding


def _padding_attr(padding, channels_first, allowed=("SAME", "VALID", "EXPLICIT")):
    if isinstance(padding, tuple):
        outer = (padding[0], padding[1]) if channels_first else (padding[0], padding[-1])
        if any(p != 0 for pair in outer for p in pair):
            raise invalid_argument("Nonzero explicit padding in the batch or depth dimensions is not supported")
        return _spatial(padding, channels_first)
    if padding not in allowed or padding == "EXPLICIT":
        raise invalid_argument(f"Value for attr 'padding' of \"{padding}\" is not in the list of allowed values: "
                               + ", ".join(f'"{a}"' for a in allowed))
    return padding


def _string_padding(padding):
    if not isinstance(padding, str):
        raise TypeError(f"Expected string for argument 'padding' not {padding!r}.")
    return padding


def _check_data_format(data_format, allowed):
    if data_format not in allowed:
        raise invalid_argument(f"Value for attr 'data_format' of \"{data_format}\" is not in the list of allowed "
                               "values: " + ", ".join(f'"{a}"' for a in allowed))
    return data_format.startswith("NC")


def _outer_ones(full, channels_first, what, error):
    outer = (full[0], full[1]) if channels_first else (full[0], full[-1])
    if any(v != 1 for v in outer):
        raise error(None, None, what)


# --- convolutions -----------------------------------------------------------------------------
def _conv(tf_name, x, w, n, strides, padding, channels_first, dilations):
    check_dtype(x, CONV_TYPES)
    channel_index = 1 if channels_first else n + 1
    strides = _get_sequence(strides, n, channel_index, "strides")
    dilations = _get_sequence(dilations, n, channel_index, "dilations")
    _outer_ones(strides, channels_first, "Current implementation does not yet support strides in the batch "
                                         "and depth dimensions.", errors.UnimplementedError)
    _outer_ones(dilations, channels_first, "Current implementation does not yet support dilations in the "
                                           "batch and depth dimensions.", errors.InvalidArgumentError)
    return call(tf_name, "conv", x, w, strides=_spatial(strides, channels_first),
                padding=_padding_attr(padding, channels_first), dilations=_spatial(dilations, channels_first),
                channels_first=channels_first)


def conv2d(input, filters, strides, padding, data_format="NHWC", dilations=None, name=None):  # noqa: A002
    x, w = binary_operands("Conv2D", input, filters)
    padding = _convert_padding(padding, 2)
    channels_first = _check_data_format(data_format, ("NHWC", "NCHW"))
    return _conv("Conv2D", x, w, 2, strides, padding, channels_first, dilations)


def _conv1d_format(data_format):
    if data_format is None or data_format in ("NHWC", "NWC"):
        return False
    if data_format in ("NCHW", "NCW"):
        return True
    raise ValueError(f"`data_format` must be 'NWC' or 'NCW'. Received: data_format={data_format}")


def conv1d(input, filters, stride, padding, data_format="NWC", dilations=None, name=None):  # noqa: A002
    x, w = binary_operands("Conv2D", input, filters)
    channels_first = _conv1d_format(data_format)
    channel_index = 1 if channels_first else 2
    strides = _get_sequence(stride, 1, channel_index, "stride")
    dilations = _get_sequence(dilations, 1, channel_index, "dilations")
    return _conv("Conv2D", x, w, 1, strides, _string_padding(padding), channels_first, dilations)


def conv3d(input, filters, strides, padding, data_format="NDHWC", dilations=None, name=None):  # noqa: A002
    x, w = binary_operands("Conv3D", input, filters)
    if not isinstance(strides, (list, tuple)):
        raise TypeError(f"Expected list for 'strides' argument to 'conv3d' Op, not {strides!r}.")
    if len(strides) != 5:
        raise invalid_argument("Sliding window strides field must specify 5 dimensions")
    channels_first = _check_data_format(data_format, ("NDHWC", "NCDHW"))
    if dilations is not None and len(dilations) != 5:
        raise invalid_argument("Dilation rates field must specify 5 dimensions")
    return _conv("Conv3D", x, w, 3, strides, _string_padding(padding), channels_first, dilations)


def convolution(input, filters, strides=None, padding="VALID", data_format=None, dilations=None,  # noqa: A002
                name=None):
    x, w = binary_operands("Conv2D", input, filters)
    n = w.ndim - 2 if w.ndim >= 3 else x.ndim - 2
    if n not in (1, 2, 3):
        raise ValueError(f"`filters.shape.rank` must be 3, 4 or 5 (spatial dims 1-3). Received: "
                         f"filters.shape={w.shape}")
    channels_first = data_format is not None and data_format.startswith("NC")
    channel_index = 1 if channels_first else n + 1
    strides = _get_sequence(strides, n, channel_index, "strides")
    dilations = _get_sequence(dilations, n, channel_index, "dilations")
    return _conv("Conv3D" if n == 3 else "Conv2D", x, w, n, strides, _string_padding(padding), channels_first,
                 dilations)


def atrous_conv2d(value, filters, rate, padding, name=None):
    return convolution(value, filters, padding=padding, dilations=rate)


def _conv_transpose(tf_name, input, filters, output_shape, n, strides, padding, channels_first, dilations):
    x, w = binary_operands(tf_name, input, filters)
    check_dtype(x, CONV_TYPES)
    shape = shape_attr(output_shape, "output_shape")
    if len(shape) != n + 2:
        raise ValueError(f"`output_shape` must be of length {n + 2}, got {len(shape)}: {list(shape)}")
    channel_index = 1 if channels_first else n + 1
    strides = _get_sequence(strides, n, channel_index, "strides")
    dilations = _get_sequence(dilations, n, channel_index, "dilations")
    _outer_ones(strides, channels_first, "Current implementation does not yet support strides in the batch "
                                         "and depth dimensions.", errors.UnimplementedError)
    _outer_ones(dilations, channels_first, "Current implementation does not yet support dilations in the "
                                           "batch and depth dimensions.", errors.InvalidArgumentError)
    return call(tf_name, "conv_transpose", x, w, output_shape=shape, strides=_spatial(strides, channels_first),
                padding=_padding_attr(padding, channels_first), dilations=_spatial(dilations, channels_first),
                channels_first=channels_first)


def conv2d_transpose(input, filters, output_shape, strides, padding="SAME", data_format="NHWC",  # noqa: A002
                     dilations=None, name=None):
    channels_first = _check_data_format(data_format, ("NHWC", "NCHW"))
    return _conv_transpose("Conv2DBackpropInput", input, filters, output_shape, 2, strides,
                           _convert_padding(padding, 2), channels_first, dilations)


def conv1d_transpose(input, filters, output_shape, strides, padding="SAME", data_format="NWC",  # noqa: A002
                     dilations=None, name=None):
    channels_first = _conv1d_format(data_format)
    return _conv_transpose("Conv2DBackpropInput", input, filters, output_shape, 1, strides,
                           _string_padding(padding), channels_first, dilations)


def conv3d_transpose(input, filters, output_shape, strides, padding="SAME", data_format="NDHWC",  # noqa: A002
                     dilations=None, name=None):
    channels_first = _check_data_format(data_format, ("NDHWC", "NCDHW"))
    return _conv_transpose("Conv3DBackpropInputV2", input, filters, output_shape, 3, strides,
                           _string_padding(padding), channels_first, dilations)


def conv_transpose(input, filters, output_shape, strides, padding="SAME", data_format=None,  # noqa: A002
                   dilations=None, name=None):
    n = len(shape_attr(output_shape, "output_shape")) - 2
    if n not in (1, 2, 3):
        raise ValueError(f"`output_shape` must be of length 3, 4 or 5. Received: output_shape={output_shape}")
    channels_first = data_format is not None and data_format.startswith("NC")
    padding = _convert_padding(padding, n) if n == 2 else _string_padding(padding)
    return _conv_transpose(("Conv2DBackpropInput", "Conv2DBackpropInput", "Conv3DBackpropInputV2")[n - 1],
                           input, filters, output_shape, n, strides, padding, channels_first, dilations)


def depthwise_conv2d(input, filter, strides, padding, data_format=None, dilations=None, name=None):  # noqa: A002
    x, w = binary_operands("DepthwiseConv2dNative", input, filter)
    check_dtype(x, FLOATS)
    if not isinstance(strides, (list, tuple)):
        raise TypeError(f"Expected list for 'strides' argument to 'depthwise_conv2d_native' Op, not {strides!r}.")
    strides = [int(s) for s in strides]
    if len(strides) != 4:
        raise invalid_argument("Sliding window strides field must specify 4 or 5 dimensions")
    channels_first = data_format is not None and data_format.startswith("NC")
    rate = [1, 1] if dilations is None else _get_sequence(dilations, 2, 3, "dilations")[1:3]
    if len(rate) != 2:
        raise ValueError(f"`dilations` must be of length 2, got {dilations}")
    _outer_ones(strides, channels_first, "Current implementation does not yet support strides in the batch "
                                         "and depth dimensions.", errors.UnimplementedError)
    padding = _padding_attr(_convert_padding(padding, 2), channels_first)
    return call("DepthwiseConv2dNative", "depthwise_conv2d", x, w, strides=_spatial(strides, channels_first),
                padding=padding, dilations=tuple(rate), channels_first=channels_first)


def separable_conv2d(input, depthwise_filter, pointwise_filter, strides, padding, data_format=None,  # noqa: A002
                     dilations=None, name=None):
    depthwise = depthwise_conv2d(input, depthwise_filter, strides, padding, data_format=data_format,
                                 dilations=dilations)
    return conv2d(depthwise, pointwise_filter, 1, "VALID", data_format=data_format or "NHWC")


def atrous_conv2d_transpose(value, filters, output_shape, rate, padding, name=None):
    rate = int_attr(rate, "rate")
    if rate < 1:
        raise ValueError(f"`rate` cannot be less than one. Received: rate={rate}")
    return conv2d_transpose(value, filters, output_shape, 1, padding, dilations=rate)


def _depthwise_backprop(tf_name, a, out_backprop, sizes, which, strides, padding, data_format, dilations):
    a, dy = binary_operands(tf_name, a, out_backprop)
    check_dtype(a, FLOATS)
    channels_first = _check_data_format(data_format, ("NHWC", "NCHW"))
    if not isinstance(strides, (list, tuple)) or len(strides) != 4:
        raise invalid_argument("Sliding window strides field must specify 4 dimensions")
    dilations = [1, 1, 1, 1] if dilations is None else [int(d) for d in dilations]
    if len(dilations) != 4:
        raise invalid_argument("Sliding window dilations field must specify 4 dimensions")
    padding = _padding_attr(_convert_padding(padding, 2), channels_first)
    return call(tf_name, "depthwise_conv2d_backprop", a, dy, sizes=shape_attr(sizes, "sizes"), which=which,
                strides=_spatial([int(v) for v in strides], channels_first), padding=padding,
                dilations=_spatial(dilations, channels_first), channels_first=channels_first)


def depthwise_conv2d_backprop_input(input_sizes, filter, out_backprop, strides, padding,  # noqa: A002
                                    data_format="NHWC", dilations=None, name=None):
    return _depthwise_backprop("DepthwiseConv2dNativeBackpropInput", filter, out_backprop, input_sizes, "input",
                               strides, padding, data_format, dilations)


def depthwise_conv2d_backprop_filter(input, filter_sizes, out_backprop, strides, padding,  # noqa: A002
                                     data_format="NHWC", dilations=None, name=None):
    return _depthwise_backprop("DepthwiseConv2dNativeBackpropFilter", input, out_backprop, filter_sizes, "filter",
                               strides, padding, data_format, dilations)


def _morphology(tf_name, op, input, filters, strides, padding, data_format, dilations):  # noqa: A002
    x, w = binary_operands(tf_name, input, filters)
    check_dtype(x, REAL)
    if data_format != "NHWC":
        raise ValueError(f"`data_format` must be 'NHWC'. Received: data_format={data_format}")
    strides = [int(v) for v in strides]
    dilations = [int(v) for v in dilations]
    if len(strides) != 4 or strides[0] != 1 or strides[3] != 1:
        raise invalid_argument("Sliding window stride field must specify 4 dimensions "
                               "with batch and depth strides of 1")
    if len(dilations) != 4 or dilations[0] != 1 or dilations[3] != 1:
        raise invalid_argument("Input rates field must specify 4 dimensions with batch and "
                               "depth rates of 1")
    return call(tf_name, op, x, w, strides=tuple(strides[1:3]), padding=_padding_attr(padding, False,
                                                                                      ("SAME", "VALID")),
                dilations=tuple(dilations[1:3]))


def dilation2d(input, filters, strides, padding, data_format, dilations, name=None):  # noqa: A002
    return _morphology("Dilation2D", "dilation2d", input, filters, strides, padding, data_format, dilations)


def erosion2d(value, filters, strides, padding, data_format, dilations, name=None):
    return _morphology("Dilation2D", "erosion2d", value, filters, strides, padding, data_format, dilations)


def _block_op(tf_name, op, input, block_size, data_format):  # noqa: A002
    x = to_tensor(input)
    block_size = int_attr(block_size, "block_size")
    if block_size < 2:
        raise invalid_argument(f"Value for attr 'block_size' of {block_size} must be at least minimum 2")
    channels_first = _check_data_format(data_format, ("NHWC", "NCHW", "NCHW_VECT_C"))
    return call(tf_name, op, x, block_size=block_size, channels_first=channels_first)


def depth_to_space(input, block_size, data_format="NHWC", name=None):  # noqa: A002
    return _block_op("DepthToSpace", "depth_to_space", input, block_size, data_format)


def space_to_depth(input, block_size, data_format="NHWC", name=None):  # noqa: A002
    return _block_op("SpaceToDepth", "space_to_depth", input, block_size, data_format)


# --- pooling ----------------------------------------------------------------------------------
def _pool(tf_name, op, input, ksize, strides, padding, n, channels_first, allowed_types, dilations=None):
    x = to_tensor(input)
    check_dtype(x, allowed_types)
    channel_index = 1 if channels_first else n + 1
    ksize = _get_sequence(ksize, n, channel_index, "ksize")
    strides = _get_sequence(strides, n, channel_index, "strides")
    _outer_ones(ksize, channels_first, "Pooling is not yet supported on the batch dimension.",
                errors.UnimplementedError)
    _outer_ones(strides, channels_first, "Pooling is not yet supported on the batch dimension.",
                errors.UnimplementedError)
    attrs = {}
    if dilations is not None and any(d != 1 for d in dilations):
        attrs["dilations"] = tuple(dilations)
    allowed = ("SAME", "VALID", "EXPLICIT") if op == "max_pool" else ("SAME", "VALID")
    return call(tf_name, op, x, ksize=_spatial(ksize, channels_first), strides=_spatial(strides, channels_first),
                padding=_padding_attr(padding, channels_first, allowed), channels_first=channels_first, **attrs)


_POOL_FORMATS = {1: ("NWC", "NCW"), 2: ("NHWC", "NCHW", "NCHW_VECT_C"), 3: ("NDHWC", "NCDHW")}


def _pool_format(data_format, n):
    if data_format is None:
        return False
    if n == 1:
        return _conv1d_format(data_format)
    return _check_data_format(data_format, _POOL_FORMATS[n])


def max_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    return _pool("MaxPool", "max_pool", input, ksize, strides, _convert_padding(padding, 2), 2,
                 _pool_format(data_format, 2), MAX_POOL_TYPES)


def avg_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    return _pool("AvgPool", "avg_pool", input, ksize, strides, _string_padding(padding), 2,
                 _pool_format(data_format, 2), FLOATS)


def max_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
    return _pool("MaxPool", "max_pool", input, ksize, strides, _convert_padding(padding, 1), 1,
                 _pool_format(data_format, 1), MAX_POOL_TYPES)


def avg_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
    return _pool("AvgPool", "avg_pool", input, ksize, strides, _string_padding(padding), 1,
                 _pool_format(data_format, 1), FLOATS)


def max_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):  # noqa: A002
    return _pool("MaxPool3D", "max_pool", input, ksize, strides, _string_padding(padding), 3,
                 _pool_format(data_format, 3), FLOATS)


def avg_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):  # noqa: A002
    return _pool("AvgPool3D", "avg_pool", input, ksize, strides, _string_padding(padding), 3,
                 _pool_format(data_format, 3), FLOATS)


MaxPoolWithArgmax = collections.namedtuple("MaxPoolWithArgmax", ["output", "argmax"])


def max_pool_with_argmax(input, ksize, strides, padding, data_format="NHWC", output_dtype=dtypes.int64,  # noqa: A002
                         include_batch_in_index=False, name=None):
    if data_format != "NHWC":
        raise ValueError(f"`data_format` values other  than 'NHWC' are not supported. Received: "
                         f"data_format={data_format}")
    x = to_tensor(input)
    check_dtype(x, MAX_POOL_TYPES)
    ksize = _get_sequence(ksize, 2, 3, "ksize")
    strides = _get_sequence(strides, 2, 3, "strides")
    _outer_ones(ksize, False, "Pooling is not yet supported on the batch dimension.", errors.UnimplementedError)
    _outer_ones(strides, False, "Pooling is not yet supported on the batch dimension.", errors.UnimplementedError)
    out_type = dtypes.as_dtype(output_dtype)
    if out_type.name not in ("int32", "int64"):
        raise invalid_argument(f"Value for attr 'Targmax' of {out_type.name} is not in the list of allowed values: "
                               "int32, int64")
    return MaxPoolWithArgmax(*call(
        "MaxPoolWithArgmax", "max_pool_with_argmax", x, ksize=_spatial(ksize, False), strides=_spatial(strides, False),
        padding=_padding_attr(_string_padding(padding), False, ("SAME", "VALID")),
        include_batch_in_index=bool(include_batch_in_index), output_dtype=out_type.name))


def _pool_rank(input):
    x = to_tensor(input)
    if x.ndim not in (3, 4, 5):
        raise ValueError(f"`input.shape.rank` must be 3, 4 or 5. Received: input.shape={tuple(x.shape)} of "
                         f"rank {x.ndim}.")
    return x, x.ndim - 2


def max_pool(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    x, n = _pool_rank(input)
    return (max_pool1d, max_pool2d, max_pool3d)[n - 1](x, ksize, strides, padding,
                                                        data_format or ("NWC", "NHWC", "NDHWC")[n - 1])


def avg_pool(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    x, n = _pool_rank(input)
    return (avg_pool1d, avg_pool2d, avg_pool3d)[n - 1](x, ksize, strides, padding,
                                                        data_format or ("NWC", "NHWC", "NDHWC")[n - 1])


def pool(input, window_shape, pooling_type, strides=None, padding="VALID", data_format=None,  # noqa: A002
         dilations=None, name=None):
    x = to_tensor(input)
    window_shape = [int(v) for v in static_value(window_shape, "window_shape")]
    n = len(window_shape)
    if n not in (1, 2, 3):
        raise ValueError(f"`len(window_shape)` must be 1, 2, or 3. Received: window_shape={window_shape}")
    if x.ndim != n + 2:
        raise ValueError(f"`input.shape.rank` must be {n + 2}. Received: input.shape={tuple(x.shape)}")
    strides = [1] * n if strides is None else [int(v) for v in static_value(strides, "strides")]
    dilations = [1] * n if dilations is None else [int(v) for v in static_value(dilations, "dilations")]
    if len(strides) != n or len(dilations) != n:
        raise ValueError(f"`strides` and `dilations` must have length {n}")
    if any(d != 1 for d in dilations):
        if padding == "SAME":
            raise ValueError(f"pooling with 'SAME' padding is not implemented for `dilation_rate` > 1. "
                             f"Received: padding={padding} and dilation_rate={np.array(dilations)}")
        if any(s != 1 for s in strides):
            raise ValueError(f"strides > 1 not supported in conjunction with dilation_rate > 1. Received: "
                             f"strides={strides} and dilation_rate={dilations}")
    if pooling_type not in ("MAX", "AVG"):
        raise ValueError(f"{n}-D {pooling_type} pooling is not supported.")
    channels_first = data_format is not None and data_format.startswith("NC")
    if pooling_type == "MAX":
        return _pool("MaxPool", "max_pool", x, window_shape, strides, _string_padding(padding), n, channels_first,
                     MAX_POOL_TYPES, dilations)
    return _pool("AvgPool", "avg_pool", x, window_shape, strides, _string_padding(padding), n, channels_first,
                 FLOATS, dilations)


def local_response_normalization(input, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5, name=None):  # noqa: A002
    x = to_tensor(input)
    check_dtype(x, ("float16", "bfloat16", "float32"))
    return call("LRN", "lrn", x, depth_radius=int(depth_radius), bias=float(bias), alpha=float(alpha),
                beta=float(beta))


lrn = local_response_normalization


# --- dropout ----------------------------------------------------------------------------------
def _uniform(shape, dtype, seed):
    """Uniform [0, 1) noise from tf.random (falls back to host noise while tf.random lacks it)."""
    from tfx_lite.ops import random_ops
    uniform = getattr(random_ops, "uniform", None)
    if uniform is not None:
        return uniform(shape, dtype=dtype, seed=seed)
    _FALLBACK_RNG[0] += 1
    rng = np.random.RandomState((0 if seed is None else int(seed)) * 1_000_003 + _FALLBACK_RNG[0])
    return convert_to_tensor(rng.random_sample(shape).astype(dtype.as_numpy_dtype))


_FALLBACK_RNG = [0]


def dropout(x, rate, noise_shape=None, seed=None, name=None):
    x = to_tensor(x)
    if not x.dtype.is_floating:
        raise ValueError(f"`x.dtype` must be a floating point tensor as `x` will be scaled. Received: "
                         f"x_dtype={x.dtype}")
    is_number = isinstance(rate, numbers.Real) and not isinstance(rate, bool)
    rate_value = float(static_scalar(rate, "rate"))
    if is_number and not 0 <= rate_value < 1:
        raise ValueError(f"`rate` must be a scalar tensor or a float in the range [0, 1). Received: rate={rate}")
    shape = tuple(x._value.shape)
    if noise_shape is None:
        noise = shape
    else:
        noise = list(static_value(noise_shape, "noise_shape")) if not hasattr(noise_shape, "as_list") \
            else noise_shape.as_list()
        if len(noise) == len(shape):
            noise = [d if n is None else n for n, d in zip(noise, shape)]
        noise = tuple(int(d) for d in noise)
    uniform = _uniform(noise, x.dtype, seed)
    return call("SelectV2", "dropout", x, uniform, rate=rate_value)


# --- normalization and statistics ---------------------------------------------------------------
def l2_loss(t, name=None):
    return _unary("L2Loss", "l2_loss", t, FLOATS)


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    x = to_tensor(x)
    if axis is None:
        axis = dim
    if x.dtype.is_integer or x.dtype.is_bool:
        raise TypeError(f"Cannot convert {epsilon!r} to EagerTensor of dtype {x.dtype.name}")
    check_dtype(x, FLOATS + COMPLEX)
    return call("Sum", "l2_normalize", x, axis=axis_attr(axis, x.ndim), epsilon=float(epsilon))


def moments(x, axes, shift=None, keepdims=False, name=None):
    x = to_tensor(x)
    check_dtype(x, REAL)
    return call("Mean", "moments", x, axis=axis_attr(axes, x.ndim), keepdims=bool(keepdims))


def weighted_moments(x, axes, frequency_weights, keepdims=False, name=None):
    x = to_tensor(x)
    w = to_tensor(frequency_weights, x.dtype)
    check_dtype(x, FLOATS)
    return call("Mean", "weighted_moments", x, w, axis=axis_attr(axes, x.ndim), keepdims=bool(keepdims))


def normalize_moments(counts, mean_ss, variance_ss, shift, name=None):
    mean_ss = to_tensor(mean_ss)
    counts = to_tensor(counts, mean_ss.dtype)
    variance_ss = to_tensor(variance_ss, mean_ss.dtype)
    shift = to_tensor(0 if shift is None else shift, mean_ss.dtype)
    check_same_dtype("Mul", (mean_ss, counts, variance_ss, shift))
    return call("Mul", "normalize_moments", counts, mean_ss, variance_ss, shift)


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    x = to_tensor(x)
    variance = to_tensor(variance, x.dtype)
    mean = to_tensor(mean, variance.dtype)
    offset = to_tensor(0 if offset is None else offset, variance.dtype)
    scale = to_tensor(1 if scale is None else scale, variance.dtype)
    check_same_dtype("Mul", (variance, mean, offset, scale))
    check_dtype(x, FLOATS + COMPLEX)
    return call("Mul", "batch_normalization", x, mean, variance, offset, scale,
                epsilon=float(static_scalar(variance_epsilon, "variance_epsilon")))


def sufficient_statistics(x, axes, shift=None, keepdims=False, name=None):
    x = to_tensor(x)
    check_dtype(x, REAL + COMPLEX)
    shift_tensor = None if shift is None else to_tensor(shift, x.dtype)
    axis = axis_attr(axes, x.ndim)
    count, m_ss, v_ss = call("Sum", "sufficient_statistics", x, shift_tensor if shift is not None
                             else to_tensor(0, x.dtype), axis=axis, keepdims=bool(keepdims))
    return count, m_ss, v_ss, shift_tensor


def batch_norm_with_global_normalization(input=None, mean=None, variance=None, beta=None, gamma=None,  # noqa: A002
                                         variance_epsilon=None, scale_after_normalization=None, name=None):
    return batch_normalization(input, mean, variance, beta, gamma if scale_after_normalization else None,
                               variance_epsilon)


# --- losses -----------------------------------------------------------------------------------
def _host_values(x):
    """The values of an argument given as Python data / numpy (free to check), else None."""
    if isinstance(x, Tensor) or hasattr(x, "__tf_tensor__"):
        return None
    try:
        return np.asarray(x)
    except Exception:  # noqa: BLE001
        return None


def sparse_softmax_cross_entropy_with_logits(labels, logits, name=None):
    host = _host_values(labels)
    labels, logits = to_tensor(labels), to_tensor(logits)
    if logits.ndim == 0:
        shown = logits.numpy() if isinstance(logits, EagerTensor) else logits
        raise ValueError(f"`logits` cannot be a scalar. Received logits={shown}`")
    if labels.ndim != logits.ndim - 1:
        raise ValueError(f"`labels.shape.rank` must equal `logits.shape.rank - 1`. Received: labels.shape="
                         f"{tuple(labels.shape)} of rank {labels.ndim} and logits.shape={tuple(logits.shape)} of "
                         f"rank {logits.ndim}")
    if tuple(labels.shape) != tuple(logits.shape)[:-1]:
        raise ValueError(f"`labels.shape` must equal `logits.shape` except for the last dimension. Received: "
                         f"labels.shape={tuple(labels.shape)} and logits.shape={tuple(logits.shape)}")
    check_dtype(labels, ("int32", "int64"), "Tlabels")
    check_dtype(logits, FLOATS)
    classes = logits._value.shape[-1]
    if host is not None and host.size and classes is not None:
        bad = host[(host < 0) | (host >= classes)]
        if bad.size:
            raise invalid_argument(f"Received a label value of {bad.reshape(-1)[0]} which is outside the valid range "
                                   f"of [0, {classes}).  Label values: {' '.join(str(v) for v in host.reshape(-1))}",
                                   "SparseSoftmaxCrossEntropyWithLogits")
    return call("SparseSoftmaxCrossEntropyWithLogits", "sparse_softmax_cross_entropy", labels, logits)


def softmax_cross_entropy_with_logits(labels, logits, axis=-1, name=None):
    logits = to_tensor(logits)
    labels = to_tensor(labels, logits.dtype)
    check_dtype(logits, FLOATS)
    if not (labels.dtype.is_floating or labels.dtype.is_integer):
        check_dtype(labels, FLOATS)
    axis = int_attr(axis, "axis")
    if logits.ndim and not -logits.ndim <= axis < logits.ndim:
        raise invalid_argument(f"Expected axis in [{-logits.ndim}, {logits.ndim}) but got {axis}")
    return call("SoftmaxCrossEntropyWithLogits", "softmax_cross_entropy", labels, logits,
                axis=axis % logits.ndim if logits.ndim else -1)


def _same_shape(a, b, a_name, b_name):
    if tuple(a.shape) != tuple(b.shape):
        raise ValueError(f"`{a_name}` and `{b_name}` must have the same shape, received "
                         f"({tuple(a.shape)} vs {tuple(b.shape)}).")


def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    if labels is None or logits is None:
        raise ValueError(f"Both `labels` and `logits` must be provided for sigmoid_cross_entropy_with_logits"
                         f"Received: labels={labels} and logits={logits}")
    logits = to_tensor(logits)
    labels = to_tensor(labels)
    _same_shape(logits, labels, "logits", "labels")
    check_same_dtype("Mul", (logits, labels))
    check_dtype(logits, FLOATS + COMPLEX)
    return call("SigmoidCrossEntropyWithLogits", "sigmoid_cross_entropy", labels, logits)


def weighted_cross_entropy_with_logits(labels, logits, pos_weight, name=None):
    logits = to_tensor(logits)
    labels = to_tensor(labels)
    _same_shape(logits, labels, "logits", "labels")
    check_same_dtype("Mul", (logits, labels))
    check_dtype(logits, FLOATS)
    pos_weight = to_tensor(pos_weight, logits.dtype)
    check_same_dtype("Mul", (logits, pos_weight))
    return call("WeightedCrossEntropyWithLogits", "weighted_cross_entropy", labels, logits, pos_weight)


def log_poisson_loss(targets, log_input, compute_full_loss=False, name=None):
    log_input = to_tensor(log_input)
    targets = to_tensor(targets, log_input.dtype)
    _same_shape(log_input, targets, "log_input", "targets")
    check_same_dtype("Mul", (log_input, targets))
    check_dtype(log_input, FLOATS + COMPLEX)
    return call("LogPoissonLoss", "log_poisson_loss", targets, log_input, compute_full_loss=bool(compute_full_loss))


def in_top_k(targets, predictions, k, name=None):
    predictions = to_tensor(predictions)
    targets = to_tensor(targets)
    check_dtype(predictions, ("float32",))
    check_dtype(targets, ("int32", "int64"))
    if predictions.ndim != 2:
        raise invalid_argument(f"predictions must be 2-dimensional, got shape {list(predictions.shape)}", "InTopKV2")
    if targets.ndim != 1 or targets.shape[0] != predictions.shape[0]:
        raise invalid_argument("First dimension of predictions must match length of targets", "InTopKV2")
    return call("InTopKV2", "in_top_k", predictions, targets, k=int_attr(k, "k"))


def compute_average_loss(per_example_loss, sample_weight=None, global_batch_size=None, name=None):
    loss = to_tensor(per_example_loss)
    if sample_weight is not None:
        weight = to_tensor(sample_weight, loss.dtype)
        loss = call("Mul", "mul", loss, _cast(weight, loss.dtype))
    if global_batch_size is None:
        if loss.ndim == 0:
            batch = 1
        else:
            batch = loss._value.shape[0]
    else:
        batch = static_scalar(global_batch_size, "global_batch_size")
        if not isinstance(batch, numbers.Integral):
            raise ValueError(f"`global_batch_size` must be an integer. Received: global_batch_size={batch}")
        if batch <= 0:
            raise ValueError(f"`global_batch_size` must be positive. Received: global_batch_size={batch}")
    return call("DivNoNan", "average_loss", loss, batch_size=int(batch))


def scale_regularization_loss(regularization_loss, name=None):
    return call("DivNoNan", "average_loss", to_tensor(regularization_loss), batch_size=1)


# --- embeddings -------------------------------------------------------------------------------
def embedding_lookup(params, ids, max_norm=None, name=None):
    if params is None:
        raise ValueError("params must be specified")
    if isinstance(params, (list, tuple)) and not params:
        raise ValueError("Length of params is currently 0. Need at least one param.")
    shards = [to_tensor(p) for p in params] if isinstance(params, (list, tuple)) else [to_tensor(params)]
    host = _host_values(ids)
    ids = to_tensor(ids)
    check_dtype(ids, ("int16", "int32", "int64"), "Tindices")
    if len(shards) > 1:
        check_same_dtype("ConcatV2", shards)
    rows = shards[0]._value.shape[0] if shards[0].ndim else None
    if host is not None and len(shards) == 1 and rows is not None and host.size:
        bad = host[(host < 0) | (host >= rows)]
        if bad.size:
            index = int(np.flatnonzero((host.reshape(-1) < 0) | (host.reshape(-1) >= rows))[0])
            raise invalid_argument(f"indices[{index}] = {bad.reshape(-1)[0]} is not in [0, {rows})", "GatherV2")
    attrs = {} if max_norm is None else {"max_norm": float(static_scalar(max_norm, "max_norm"))}
    return call("GatherV2", "embedding_lookup", ids, *shards, **attrs)


ApproxTopK = collections.namedtuple("ApproxTopK", ["values", "indices"])


def _approx_top_k(operand, k, reduction_dimension, recall_target, reduction_input_size_override,
                  aggregate_to_topk, is_max_k):
    x = to_tensor(operand)
    check_dtype(x, ("float16", "bfloat16", "float32"))
    return ApproxTopK(*call("ApproxTopK", "approx_top_k", x, k=int(k), reduction_dimension=int(reduction_dimension),
                            recall_target=float(recall_target), is_max_k=is_max_k,
                            reduction_input_size_override=int(reduction_input_size_override),
                            aggregate_to_topk=bool(aggregate_to_topk)))


def approx_max_k(operand, k, reduction_dimension=-1, recall_target=0.95, reduction_input_size_override=-1,
                 aggregate_to_topk=True, name=None):
    return _approx_top_k(operand, k, reduction_dimension, recall_target, reduction_input_size_override,
                         aggregate_to_topk, True)


def approx_min_k(operand, k, reduction_dimension=-1, recall_target=0.95, reduction_input_size_override=-1,
                 aggregate_to_topk=True, name=None):
    return _approx_top_k(operand, k, reduction_dimension, recall_target, reduction_input_size_override,
                         aggregate_to_topk, False)
