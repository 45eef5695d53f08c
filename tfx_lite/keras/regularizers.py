"""tf.keras.regularizers: penalties on a weight tensor, each returning a scalar tensor of the
weight's dtype (Keras 3 numerics). Names: L1/l1, L2/l2, L1L2/l1_l2, OrthogonalRegularizer."""
from __future__ import annotations

import inspect
import math

import numpy as np

import tfx_lite as tf
from tfx_lite.keras.utils import as_tensor, deserialize_object, get_object, normalize_tensor, to_snake_case


def validate_float_arg(value, name):
    if not isinstance(value, (float, int)) or math.isinf(value) or math.isnan(value) or value < 0:
        raise ValueError(f"Invalid value for argument {name}: expected a non-negative float."
                         f"Received: {name}={value}")
    return float(value)


def _factor(value, dtype):
    """A factor as Keras applies it: a float32 scalar, cast to the weight's dtype."""
    return tf.cast(tf.constant(value, tf.float32), dtype)


class Regularizer:
    """Base class: `regularizer(weight)` -> scalar penalty."""

    def __call__(self, x):
        return 0.0

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def get_config(self):
        raise NotImplementedError(f"{self} does not implement get_config()")


class L1L2(Regularizer):
    """l1 * sum(|x|) + l2 * sum(x^2). Both default to 0 (the string 'l1_l2' gives 0.01 each,
    through `l1_l2()`)."""

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = validate_float_arg(0.0 if l1 is None else l1, name="l1")
        self.l2 = validate_float_arg(0.0 if l2 is None else l2, name="l2")

    def __call__(self, x):
        x = as_tensor(x)
        regularization = tf.zeros([], x.dtype)
        if self.l1 != 0.0:
            regularization += _factor(self.l1, x.dtype) * tf.reduce_sum(tf.abs(x))
        if self.l2 != 0.0:
            regularization += _factor(self.l2, x.dtype) * tf.reduce_sum(tf.square(x))
        return regularization

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(Regularizer):
    """l1 * sum(|x|), l1 = 0.01 by default."""

    def __init__(self, l1=0.01):
        # Keras keeps l1 as a float32 tensor: its config gives 0.009999999776482582 for 0.01
        self.l1 = float(np.float32(validate_float_arg(0.01 if l1 is None else l1, name="l1")))

    def __call__(self, x):
        x = as_tensor(x)
        return _factor(self.l1, x.dtype) * tf.reduce_sum(tf.abs(x))

    def get_config(self):
        return {"l1": float(self.l1)}


class L2(Regularizer):
    """l2 * sum(x^2), l2 = 0.01 by default."""

    def __init__(self, l2=0.01):
        self.l2 = validate_float_arg(0.01 if l2 is None else l2, name="l2")

    def __call__(self, x):
        x = as_tensor(x)
        return _factor(self.l2, x.dtype) * tf.reduce_sum(tf.square(x))

    def get_config(self):
        return {"l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """factor * mean |<u_i, u_j>| over pairs i < j of the L2-normalised rows (or columns) of a
    rank-2 weight, times 0.5 as Keras computes it."""

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = float(np.float32(validate_float_arg(factor, name="factor")))  # as Keras' tensor
        if mode not in {"rows", "columns"}:
            raise ValueError('Invalid value for argument `mode`. Expected one of {"rows", '
                             f'"columns"}}. Received: mode={mode}')
        self.mode = mode

    def __call__(self, inputs):
        inputs = as_tensor(inputs)
        if len(inputs.shape) != 2:
            raise ValueError("Inputs to OrthogonalRegularizer must have rank 2. Received: "
                             f"inputs.shape={inputs.shape}")
        if self.mode == "rows":
            inputs = normalize_tensor(inputs, axis=1)
            product = tf.matmul(inputs, tf.transpose(inputs))
            size = inputs.shape[0]
        else:
            inputs = normalize_tensor(inputs, axis=0)
            product = tf.matmul(tf.transpose(inputs), inputs)
            size = inputs.shape[1]
        product_no_diagonal = product * (1.0 - tf.eye(size, dtype=inputs.dtype))
        num_pairs = size * (size - 1.0) / 2.0
        # (Keras' float32 factor makes a float64 weight fail there; here the penalty has its dtype)
        return _factor(self.factor, inputs.dtype) * 0.5 * tf.reduce_sum(tf.abs(product_no_diagonal)) \
            / num_pairs

    def get_config(self):
        return {"factor": float(self.factor), "mode": self.mode}


def l1_l2(l1=0.01, l2=0.01):
    """TF 2's `l1_l2`: both factors 0.01 by default (L1L2's are 0)."""
    return L1L2(l1=l1, l2=l2)


l1 = L1
l2 = L2
orthogonal_regularizer = OrthogonalRegularizer

_CLASSES = [Regularizer, L1, L2, L1L2, OrthogonalRegularizer]
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in _CLASSES}
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in _CLASSES})
ALL_OBJECTS_DICT["l1_l2"] = l1_l2  # TF 2's string (0.01 each); Keras 3 no longer knows it


def serialize(regularizer):
    if regularizer is None:
        return None
    return {"module": "keras.regularizers", "class_name": regularizer.__class__.__name__,
            "config": regularizer.get_config(), "registered_name": None}


def deserialize(config, custom_objects=None):
    obj = deserialize_object(config, ALL_OBJECTS_DICT, custom_objects, "regularizer")
    return obj() if isinstance(config, str) and (inspect.isclass(obj) or obj is l1_l2) else obj


def get(identifier):
    """None; a name ('l2', 'L1L2', 'l1_l2': default instances); a config; a class; a callable."""
    obj = get_object(identifier, ALL_OBJECTS_DICT, deserialize, "regularizer")
    return obj() if obj is l1_l2 else obj


__all__ = ["Regularizer", "L1", "L2", "L1L2", "OrthogonalRegularizer", "l1", "l2", "l1_l2",
           "orthogonal_regularizer", "get", "serialize", "deserialize"]
