"""Rescaling: `inputs * scale + offset` in the layer's dtype (scale and offset may be scalars or
per-channel lists)."""
from __future__ import annotations

import tfx_lite as tf
from tfx_lite.keras.layers.layer import Layer

__all__ = ["Rescaling"]


class Rescaling(Layer):
    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        dtype = self._dtype
        scale = tf.cast(self.scale, dtype)
        offset = tf.cast(self.offset, dtype)
        x = inputs if inputs.dtype == dtype else tf.cast(inputs, dtype)
        return x * scale + offset

    def get_config(self):
        config = super().get_config()
        config.update(scale=self.scale, offset=self.offset)
        return config
