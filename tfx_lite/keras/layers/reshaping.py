"""Flatten (every non-batch axis into one; channels_first inputs are made channels_last first, as
Keras does) and Reshape (a target shape without the batch axis, one -1 allowed)."""
from __future__ import annotations

import math

import tfx_lite as tf
from tfx_lite.keras.layers import _util
from tfx_lite.keras.layers.layer import Layer

__all__ = ["Flatten", "Reshape"]


class Flatten(Layer):
    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = _util.normalize_data_format(data_format)

    def call(self, inputs):
        rank = inputs.shape.rank
        if self.data_format == "channels_first" and rank > 2:
            inputs = tf.transpose(inputs, [0, *range(2, rank), 1])
        rest = inputs.shape.as_list()[1:]
        if not rest:
            return tf.reshape(inputs, [-1, 1])
        if any(d is None for d in rest):
            return tf.reshape(inputs, _util.shape_of([_util.batch_size(inputs), -1]))
        return tf.reshape(inputs, [-1, math.prod(rest)])

    def get_config(self):
        config = super().get_config()
        config.update(data_format=self.data_format)
        return config


class Reshape(Layer):
    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        target_shape = tuple(int(d) for d in target_shape)
        if sum(d == -1 for d in target_shape) > 1 or any(d < -1 or d == 0 for d in target_shape):
            raise ValueError("There must be at most one unknown dimension (-1) in output_shape and the "
                             f"other dimensions must be positive. Received: target_shape={target_shape}")
        self.target_shape = target_shape

    def _resolved(self, rest):
        """The target shape with its -1 worked out from the input's non-batch dimensions."""
        if -1 not in self.target_shape or any(d is None for d in rest):
            return list(self.target_shape)
        total, known = math.prod(rest), math.prod(d for d in self.target_shape if d != -1)
        if total % known:
            raise ValueError(f"The total size of the tensor must be unchanged. Received: input_shape="
                             f"{tuple(rest)}, target_shape={self.target_shape}")
        return [total // known if d == -1 else d for d in self.target_shape]

    def call(self, inputs):
        target = self._resolved(inputs.shape.as_list()[1:])
        if inputs.shape[0] is not None:
            return tf.reshape(inputs, [inputs.shape[0], *target])
        if -1 not in target:
            return tf.reshape(inputs, [-1, *target])
        return tf.reshape(inputs, _util.shape_of([_util.batch_size(inputs), *target]))

    def get_config(self):
        config = super().get_config()
        config.update(target_shape=self.target_shape)
        return config
