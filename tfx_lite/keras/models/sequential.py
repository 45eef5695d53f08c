"""keras.Sequential: layers applied one after the other. With an input shape (an `Input`, an
`InputLayer` or `input_shape=` on the first layer) it is built at once; otherwise on its first
call."""
from __future__ import annotations

from tfx_lite.keras.layers.input_layer import InputLayer, KerasTensor, symbolic_call
from tfx_lite.keras.layers.layer import Layer
from tfx_lite.keras.models.model import Model

__all__ = ["Sequential"]


class Sequential(Model):
    def __init__(self, layers=None, trainable=True, name=None):
        super().__init__(trainable=trainable, name=name)
        self._stack: list = []
        self._input_batch_shape = None
        for layer in layers or ():
            self.add(layer)

    def add(self, layer, rebuild=True):
        if isinstance(layer, KerasTensor):  # keras.Input(...)
            layer = layer.history.layer
        if not isinstance(layer, Layer):
            raise ValueError(f"Only instances of `keras.Layer` can be added to a Sequential model. "
                             f"Received: {layer} (of type {type(layer)})")
        if isinstance(layer, InputLayer):
            self._input_batch_shape = layer.batch_shape
        else:
            if not self._stack and layer._batch_input_shape is not None:
                self._input_batch_shape = layer._batch_input_shape
            self._stack = self._stack + [layer]  # reassigned so that tracking sees the new layer
        if self._input_batch_shape is not None and rebuild:
            self._build_symbolically()

    def pop(self):
        if not self._stack:
            raise TypeError("There are no layers in the model.")
        layer = self._stack[-1]
        self._stack = self._stack[:-1]
        self._layers.remove(layer)
        return layer

    @property
    def layers(self):
        return list(self._stack)

    def _build_symbolically(self):
        x = KerasTensor(self._input_batch_shape)
        for layer in self._stack:
            x = symbolic_call(layer, (x,), {})
        self.built = bool(self._stack)

    def build(self, input_shape=None):
        if input_shape is not None:
            self._input_batch_shape = tuple(input_shape)
        if self._input_batch_shape is None:
            raise ValueError("You must provide an `input_shape` argument.")
        self._build_symbolically()

    def _build_for(self, inputs):
        if self._input_batch_shape is None:
            self._input_batch_shape = (None, *tuple(inputs.shape.as_list())[1:])
        self._build_symbolically()

    def call(self, inputs, training=None):
        x = inputs
        for layer in self._stack:
            x = layer(x)
        return x

    def get_config(self):
        return {"name": self.name, "trainable": self.trainable,
                "layers": [{"class_name": type(l).__name__, "config": l.get_config()} for l in self._stack]}
