"""Merge layers, called on a list of tensors: Add, Subtract (exactly two), Multiply, Average,
Maximum, Minimum (elementwise, broadcasting; inputs of lower rank get size-1 axes after the batch
axis, as Keras does) and Concatenate(axis); plus Keras' functional forms (`add([a, b])`, ...)."""
from __future__ import annotations

import functools

import numpy as np

import tfx_lite as tf
from tfx_lite.keras.layers.layer import Layer

__all__ = ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate",
           "add", "subtract", "multiply", "average", "maximum", "minimum", "concatenate"]


def _check_list(inputs, what="inputs"):
    if not isinstance(inputs, (list, tuple)):
        raise ValueError(f"A merge layer should be called on a list of inputs. Received: {what}={inputs} "
                         "(not a list of tensors)")


class _Merge(Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def __call__(self, inputs, *args, **kwargs):
        if isinstance(inputs, (list, tuple)):  # a list of arrays is a list of inputs, not one stacked input
            inputs = [x if hasattr(x, "shape") and not isinstance(x, np.ndarray) else tf.convert_to_tensor(x)
                      for x in inputs]
        return super().__call__(inputs, *args, **kwargs)

    def build(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or not isinstance(input_shape[0], (tuple, list)):
            raise ValueError("A merge layer should be called on a list of inputs. "
                             f"Received: input_shape={input_shape} (not a list of shapes)")
        batch_sizes = {s[0] for s in input_shape if s} - {None}
        if len(batch_sizes) > 1:
            raise ValueError(f"Cannot merge tensors with different batch sizes. Received tensors with shapes "
                             f"{list(input_shape)}")
        self.built = True

    def call(self, inputs):
        _check_list(inputs)
        ranks = [x.shape.rank for x in inputs]
        if len(set(ranks)) > 1:
            top = max(ranks)
            inputs = [functools.reduce(lambda t, _: tf.expand_dims(t, 1), range(top - r), x)
                      for x, r in zip(inputs, ranks)]
        return self._merge_function(list(inputs))

    def _merge_function(self, inputs):
        raise NotImplementedError


class Add(_Merge):
    def _merge_function(self, inputs):
        return functools.reduce(tf.add, inputs)


class Subtract(_Merge):
    def build(self, input_shape):
        super().build(input_shape)
        if len(input_shape) != 2:
            raise ValueError(f"A `Subtract` layer should be called on exactly 2 inputs. Received: "
                             f"input_shape={list(input_shape)}")

    def _merge_function(self, inputs):
        if len(inputs) != 2:
            raise ValueError(f"A `Subtract` layer should be called on exactly 2 inputs. Received: inputs={inputs}")
        return tf.subtract(inputs[0], inputs[1])


class Multiply(_Merge):
    def _merge_function(self, inputs):
        return functools.reduce(tf.multiply, inputs)


class Average(_Merge):
    def _merge_function(self, inputs):
        total = functools.reduce(tf.add, inputs)
        return total / tf.cast(len(inputs), total.dtype)


class Maximum(_Merge):
    def _merge_function(self, inputs):
        return functools.reduce(tf.maximum, inputs)


class Minimum(_Merge):
    def _merge_function(self, inputs):
        return functools.reduce(tf.minimum, inputs)


class Concatenate(_Merge):
    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def build(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or not isinstance(input_shape[0], (tuple, list)) \
                or len(input_shape) < 1:
            raise ValueError("A `Concatenate` layer should be called on a list of at least 1 input. "
                             f"Received: input_shape={input_shape}")
        ranks = {len(s) for s in input_shape}
        if len(ranks) != 1:
            raise ValueError("A `Concatenate` layer requires inputs with matching shapes except for the concat "
                             f"axis. Received: input_shape={list(input_shape)}")
        rank = ranks.pop()
        axis = self.axis % rank
        for i in range(rank):
            if i == axis:
                continue
            sizes = {s[i] for s in input_shape} - {None}
            if len(sizes) > 1:
                raise ValueError("A `Concatenate` layer requires inputs with matching shapes except for the "
                                 f"concat axis. Received: input_shape={list(input_shape)}")
        self.built = True

    def call(self, inputs):
        _check_list(inputs)
        return tf.concat(list(inputs), axis=self.axis)

    def get_config(self):
        config = super().get_config()
        config.update(axis=self.axis)
        return config


def add(inputs, **kwargs):
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    return Minimum(**kwargs)(inputs)


def concatenate(inputs, axis=-1, **kwargs):
    return Concatenate(axis=axis, **kwargs)(inputs)
