"""Convolutions: Conv1D, Conv2D (kernel `(*kernel_size, in_channels // groups, filters)`) and
Conv2DTranspose (kernel `(kh, kw, filters, in_channels)`), as Keras 3 computes them on the
TensorFlow backend (`tf.nn.convolution` / `tf.nn.conv_transpose`, then the bias, then the
activation)."""
from __future__ import annotations

import tfx_lite as tf
from tfx_lite.keras.layers import _util
from tfx_lite.keras.layers.layer import Layer

__all__ = ["Conv1D", "Conv2D", "Conv2DTranspose", "Convolution1D", "Convolution2D",
           "Convolution2DTranspose"]


class _Conv(Layer):
    rank = 2

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 groups=1, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(**kwargs)
        n = self.rank
        if not isinstance(filters, int) or filters <= 0:
            raise ValueError(f"Invalid value for argument `filters`. Expected a strictly positive value. "
                             f"Received filters={filters}.")
        self.filters = filters
        self.groups = int(groups or 1)
        if filters % self.groups:
            raise ValueError(f"The number of filters must be evenly divisible by the number of groups. "
                             f"Received: groups={self.groups}, filters={filters}.")
        self.kernel_size = _util.normalize_tuple(kernel_size, n, "kernel_size")
        self.strides = _util.normalize_tuple(strides, n, "strides")
        self.dilation_rate = _util.normalize_tuple(dilation_rate, n, "dilation_rate")
        self.padding = _util.normalize_padding(padding, allow_causal=n == 1)
        self.data_format = _util.normalize_data_format(data_format)
        self.activation = _util.activation(activation)
        self.use_bias = use_bias
        self.kernel_initializer = _util.initializer(kernel_initializer)
        self.bias_initializer = _util.initializer(bias_initializer)
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer
        self.activity_regularizer = activity_regularizer
        self.kernel_constraint = kernel_constraint
        self.bias_constraint = bias_constraint
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(f"`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                             f"Received: strides={self.strides} and dilation_rate={self.dilation_rate}")

    def _channel_axis(self):
        return -1 if self.data_format == "channels_last" else 1

    def _kernel_shape(self, in_channels):
        return (*self.kernel_size, in_channels // self.groups, self.filters)

    def build(self, input_shape):
        in_channels = input_shape[self._channel_axis()]
        if in_channels is None:
            raise ValueError(f"The channel dimension of the inputs should be defined. The input_shape "
                             f"received is {tuple(input_shape)}, where axis {self._channel_axis()} "
                             "(0-based) is the channel dimension, which found to be `None`.")
        if in_channels % self.groups:
            raise ValueError(f"The number of input channels must be evenly divisible by the number of groups. "
                             f"Received groups={self.groups}, but the input has {in_channels} channels "
                             f"(full input shape is {tuple(input_shape)}).")
        self.kernel = self.add_weight(shape=self._kernel_shape(in_channels), initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer, constraint=self.kernel_constraint,
                                      name="kernel")
        self.bias = self.add_weight(shape=(self.filters,), initializer=self.bias_initializer,
                                    regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                                    name="bias") if self.use_bias else None
        self.built = True

    def _convolve(self, x):
        padding = self.padding
        if padding == "causal":
            left = (self.kernel_size[0] - 1) * self.dilation_rate[0]
            pads = [[0, 0], [left, 0], [0, 0]] if self.data_format == "channels_last" \
                else [[0, 0], [0, 0], [left, 0]]
            x = tf.pad(x, pads)
            padding = "valid"
        return tf.nn.convolution(x, self.kernel, strides=list(self.strides), padding=padding.upper(),
                                 data_format=_util.tf_data_format(self.data_format, self.rank),
                                 dilations=list(self.dilation_rate))

    def call(self, inputs):
        x = _util.cast_inputs(inputs, self.kernel.dtype)
        y = self._convolve(x)
        if self.bias is not None:
            y = tf.nn.bias_add(y, self.bias, data_format=_util.tf_data_format(self.data_format, self.rank))
        return self.activation(y) if self.activation is not None else y

    def get_config(self):
        config = super().get_config()
        config.update(
            filters=self.filters, kernel_size=self.kernel_size, strides=self.strides, padding=self.padding,
            data_format=self.data_format, dilation_rate=self.dilation_rate, groups=self.groups,
            activation=_util.serialize_activation(self.activation), use_bias=self.use_bias,
            kernel_initializer=_util.serialize_initializer(self.kernel_initializer),
            bias_initializer=_util.serialize_initializer(self.bias_initializer),
            kernel_regularizer=_util.serialize_plain(self.kernel_regularizer),
            bias_regularizer=_util.serialize_plain(self.bias_regularizer),
            activity_regularizer=_util.serialize_plain(self.activity_regularizer),
            kernel_constraint=_util.serialize_plain(self.kernel_constraint),
            bias_constraint=_util.serialize_plain(self.bias_constraint))
        return config


class Conv1D(_Conv):
    """1D convolution over `(batch, steps, channels)` (padding 'valid', 'same' or 'causal')."""
    rank = 1

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 groups=1, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate, groups, activation,
                         use_bias, kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
                         activity_regularizer, kernel_constraint, bias_constraint, **kwargs)


class Conv2D(_Conv):
    """2D convolution over `(batch, height, width, channels)` (or channels first)."""
    rank = 2

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate, groups, activation,
                         use_bias, kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
                         activity_regularizer, kernel_constraint, bias_constraint, **kwargs)


def _transpose_length(size, kernel, stride, padding, output_padding, dilation):
    """Keras' `_get_output_shape_given_tf_padding`: one spatial output size of a transposed conv."""
    kernel = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = max(kernel, stride) - kernel if output_padding is None else output_padding
        return (size - 1) * stride + kernel + extra
    if output_padding is None:
        return size * stride
    return (size - 1) * stride + kernel % 2 + output_padding


def _forward_pad_before(out_size, kernel, stride, dilation, padding):
    """The padding before the data that the forward convolution of `out_size` inputs uses."""
    if padding == "valid":
        return 0
    effective = (kernel - 1) * dilation + 1
    total = max((-(-out_size // stride) - 1) * stride + effective - out_size, 0)
    return total // 2


class Conv2DTranspose(Conv2D):
    """The transpose of Conv2D (the gradient of a convolution with respect to its input)."""

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", output_padding=None,
                 data_format=None, dilation_rate=(1, 1), activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate, 1, activation,
                         use_bias, kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
                         activity_regularizer, kernel_constraint, bias_constraint, **kwargs)
        self.output_padding = None if output_padding is None else \
            _util.normalize_tuple(output_padding, 2, "output_padding", allow_zero=True)
        if self.output_padding is not None:
            for p, s in zip(self.output_padding, self.strides):
                if p >= s:
                    raise ValueError(f"Strides must be greater than output padding. Received strides="
                                     f"{self.strides}, output_padding={self.output_padding}.")

    def _kernel_shape(self, in_channels):
        return (*self.kernel_size, self.filters, in_channels)

    def _output_sizes(self, spatial):
        return [_transpose_length(size, k, s, self.padding, None if self.output_padding is None else p, d)
                for size, k, s, d, p in zip(spatial, self.kernel_size, self.strides, self.dilation_rate,
                                            self.output_padding or (0, 0))]

    def _convolve(self, x):
        channels_last = self.data_format == "channels_last"
        spatial = list(x.shape[1:3] if channels_last else x.shape[2:4])
        if any(s is None for s in spatial):
            raise ValueError(f"Conv2DTranspose needs known spatial dimensions; received inputs of shape {x.shape}")
        sizes = self._output_sizes(spatial)
        if x.shape[0] is None:  # unknown batch: the same numbers from a stride-1 convolution
            if not channels_last:
                return tf.transpose(self._dilated_conv(tf.transpose(x, [0, 2, 3, 1]), spatial, sizes),
                                    [0, 3, 1, 2])
            return self._dilated_conv(x, spatial, sizes)
        out_shape = [x.shape[0], *sizes, self.filters] if channels_last else [x.shape[0], self.filters, *sizes]
        return tf.nn.conv2d_transpose(x, self.kernel, out_shape, strides=list(self.strides),
                                      padding=self.padding.upper(),
                                      data_format="NHWC" if channels_last else "NCHW",
                                      dilations=list(self.dilation_rate))

    def _dilated_conv(self, x, spatial, sizes):
        """conv_transpose as a convolution: zeros between the inputs (stride - 1 of them), padding,
        then a stride-1 convolution with the flipped kernel. Works with an unknown batch."""
        (h, w), (sh, sw) = spatial, self.strides
        c = x.shape[-1]
        if sh > 1 or sw > 1:
            x = tf.reshape(x, [-1, h, 1, w, 1, c])
            x = tf.pad(x, [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]])
            x = tf.reshape(x, [-1, h * sh, w * sw, c])
        pads = []
        for i, (m, n_out) in enumerate(zip(spatial, sizes)):
            k, s, d = self.kernel_size[i], self.strides[i], self.dilation_rate[i]
            effective = (k - 1) * d + 1
            lo = effective - 1 - _forward_pad_before(n_out, k, s, d, self.padding)
            hi = n_out + effective - 1 - ((m - 1) * s + 1) - lo - (s - 1)  # s - 1 zeros already trail
            pads.append((lo, hi))
        if any(p < 0 for pair in pads for p in pair):
            begin = [0] + [max(-lo, 0) for lo, _ in pads] + [0]
            x = x[:, begin[1]:x.shape[1] + min(pads[0][1], 0), begin[2]:x.shape[2] + min(pads[1][1], 0), :]
            pads = [(max(lo, 0), max(hi, 0)) for lo, hi in pads]
        kernel = tf.transpose(tf.reverse(self.kernel, [0, 1]), [0, 1, 3, 2])
        return tf.nn.conv2d(x, kernel, strides=1, padding=[[0, 0], list(pads[0]), list(pads[1]), [0, 0]],
                            dilations=list(self.dilation_rate))

    def get_config(self):
        config = super().get_config()
        config.pop("groups")
        out = {}
        for key, value in config.items():  # Keras' key order: output_padding after padding
            out[key] = value
            if key == "padding":
                out["output_padding"] = self.output_padding
        return out


Convolution1D = Conv1D
Convolution2D = Conv2D
Convolution2DTranspose = Conv2DTranspose
