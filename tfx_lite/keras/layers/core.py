"""Dense, the layer most models start with."""
from __future__ import annotations

from tfx_lite.keras import initializers
from tfx_lite.keras.layers.layer import Layer
from tfx_lite.ops import math_ops, nn_ops

__all__ = ["Dense"]


def _activation(identifier):
    from tfx_lite.keras import activations
    return activations.get(identifier)


def _serialized(obj):
    if obj is None or isinstance(obj, str):
        return obj
    return {"class_name": type(obj).__name__, "config": obj.get_config()} if hasattr(obj, "get_config") \
        else getattr(obj, "__name__", str(obj))


class Dense(Layer):
    """`activation(inputs @ kernel + bias)` over the last axis."""

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(units, int) or units <= 0:
            raise ValueError(f"Received an invalid value for `units`, expected a positive integer. "
                             f"Received: units={units}")
        self.units = units
        self._activation_id = activation
        self.activation = _activation(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer

    def build(self, input_shape):
        last = input_shape[-1]
        if last is None:
            raise ValueError("The last dimension of the inputs to a Dense layer should be defined. "
                             f"Found None. Full input shape received: {tuple(input_shape)}")
        self.kernel = self.add_weight(shape=(last, self.units), initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer, name="kernel")
        self.bias = self.add_weight(shape=(self.units,), initializer=self.bias_initializer,
                                    regularizer=self.bias_regularizer, name="bias") if self.use_bias else None
        self.built = True

    def call(self, inputs):
        if inputs.dtype != self.kernel.dtype:
            inputs = math_ops.cast(inputs, self.kernel.dtype)
        if inputs.shape.rank == 2:
            y = math_ops.matmul(inputs, self.kernel)
        else:
            y = math_ops.tensordot(inputs, self.kernel, [[inputs.shape.rank - 1], [0]])
        if self.bias is not None:
            y = nn_ops.bias_add(y, self.bias)
        return self.activation(y) if self.activation is not None else y

    def get_config(self):
        config = super().get_config()
        config.update(units=self.units, activation=_serialized(self._activation_id), use_bias=self.use_bias,
                      kernel_initializer=_serialized(self.kernel_initializer),
                      bias_initializer=_serialized(self.bias_initializer))
        return config
