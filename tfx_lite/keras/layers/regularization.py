"""Dropout: zeroes a `rate` fraction of the inputs and scales the rest by 1 / (1 - rate), only
when called with `training=True` (by `fit`, or explicitly); otherwise the inputs pass through.
The noise comes from tf.random (also inside tf.function, as a random op of the graph)."""
from __future__ import annotations

import tfx_lite as tf
from tfx_lite.keras.layers.layer import Layer

__all__ = ["Dropout"]


class Dropout(Layer):
    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError("Invalid value received for argument `rate`. Expected a float value between 0 "
                             f"and 1. Received: rate={rate}")
        self.rate = rate
        self.seed = seed
        self.noise_shape = self._validate_noise_shape(noise_shape)
        self.supports_masking = True
        self.built = True

    @staticmethod
    def _validate_noise_shape(noise_shape):
        if noise_shape is None:
            return None
        if isinstance(noise_shape, str):
            raise ValueError("Invalid value received for argument `noise_shape`. Expected a tuple or list of "
                             f"integers. Received: noise_shape={noise_shape}")
        try:
            noise_shape = tuple(noise_shape)
        except TypeError:
            raise ValueError("Invalid value received for argument `noise_shape`. Expected an iterable of "
                             f"integers (e.g., a tuple or list). Received: noise_shape={noise_shape}") from None
        for i, d in enumerate(noise_shape):
            if d is not None and (not isinstance(d, int) or d <= 0):
                raise ValueError("Invalid value received for argument `noise_shape`. Expected all dimensions "
                                 f"to be positive integers or None. Received element at index {i}: {d}")
        return noise_shape

    def call(self, inputs, training=False):
        if not training or self.rate <= 0:
            return inputs
        if self.rate >= 1:
            return tf.zeros_like(inputs)
        noise_shape = None
        if self.noise_shape is not None:
            noise_shape = [d if d is not None else inputs.shape[i] for i, d in enumerate(self.noise_shape)]
        elif None in inputs.shape.as_list():
            noise_shape = inputs.shape.as_list()
        if noise_shape is not None and None in noise_shape:
            # Only while inferring shapes for keras.Input (a functional model runs the layer again
            # on real tensors): random ops need a static shape, the noise broadcasts.
            noise_shape = [1 if d is None else d for d in noise_shape]
        return tf.nn.dropout(inputs, rate=self.rate, noise_shape=noise_shape, seed=self.seed)

    def get_config(self):
        config = super().get_config()
        config.update(rate=self.rate, seed=self.seed, noise_shape=self.noise_shape)
        return config
