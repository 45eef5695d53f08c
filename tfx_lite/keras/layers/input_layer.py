"""The functional API's symbolic tensors: `keras.Input` makes a KerasTensor (a shape with an
unknown batch dimension and a dtype); calling a layer on KerasTensors builds the layer and
returns KerasTensors that remember the call (`history`), so `Model(inputs, outputs)` can replay
the calls in order. Output shapes come from tracing the layer's `call` into a throwaway graph
(unknown dimensions stay unknown)."""
from __future__ import annotations

import jax

from compiler import GraphBuilder, TensorType
from tfx_lite.framework import dtypes
from tfx_lite.framework.tensor import SymbolicTensor, Tensor
from tfx_lite.framework.tensor_shape import TensorShape
from tfx_lite.keras.layers.layer import Layer

__all__ = ["KerasTensor", "Node", "Input", "InputLayer", "symbolic_call", "output_spec"]


class KerasTensor:
    """A symbolic input or output of a layer in a functional model."""

    def __init__(self, shape, dtype="float32", name=None, history=None):
        self.shape = TensorShape(shape)
        self.dtype = dtypes.as_dtype(dtype)
        self.name = name
        self.history = history  # the Node (layer call) that made it

    @property
    def ndim(self):
        return self.shape.rank

    def __repr__(self):
        return (f"<KerasTensor shape={tuple(self.shape.as_list())}, dtype={self.dtype.name}, "
                f"sparse=False, ragged=False, name={self.name}>")


class Node:
    """One call of a layer on KerasTensors: `outputs = layer(*args, **kwargs)`."""

    __slots__ = ("layer", "args", "kwargs", "outputs")

    def __init__(self, layer, args, kwargs):
        self.layer, self.args, self.kwargs, self.outputs = layer, args, kwargs, None


class InputLayer(Layer):
    def __init__(self, shape=None, batch_size=None, dtype=None, name=None, batch_shape=None,
                 input_tensor=None, sparse=False, ragged=False, **kwargs):
        super().__init__(name=name, dtype=dtype)
        if batch_shape is None:
            batch_shape = (batch_size, *tuple(shape or ()))
        self._batch_shape = tuple(batch_shape)
        node = Node(self, (), {})
        self.output = node.outputs = KerasTensor(self._batch_shape, self.dtype, name=self.name, history=node)
        self.built = True

    @property
    def batch_shape(self):
        return self._batch_shape

    def get_config(self):
        return {"batch_shape": self._batch_shape, "dtype": self.dtype, "name": self.name}


def Input(shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None, name=None,
          tensor=None, ragged=None):
    """keras.Input: a KerasTensor standing for a model input (batch dimension unknown)."""
    return InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, name=name,
                      batch_shape=batch_shape).output


def _is_keras_tensor(x):
    return isinstance(x, KerasTensor)


def _spec_tensors(builder, structure):
    """Symbolic tensors (graph parameters) standing for the KerasTensors in `structure`."""
    def leaf(x):
        if isinstance(x, KerasTensor):
            dims = tuple(x.shape.as_list())
            return SymbolicTensor(builder.param(TensorType(dims, x.dtype.as_numpy_dtype), x.name))
        return x
    return jax.tree_util.tree_map(leaf, structure, is_leaf=_is_keras_tensor)


def _traced_outputs(layer, args, kwargs):
    """Run `layer` on symbolic tensors for the KerasTensors in args/kwargs; the graph is dropped."""
    with GraphBuilder(f"{layer.name}_spec") as builder:
        sym_args = _spec_tensors(builder, args)
        sym_kwargs = _spec_tensors(builder, kwargs)
        return Layer.__call__(layer, *sym_args, **sym_kwargs)


def symbolic_call(layer, args, kwargs):
    """`layer(*args, **kwargs)` on KerasTensors: build the layer for their shapes and return
    KerasTensors for its outputs."""
    if not layer.built:
        layer._build_for_shape(jax.tree_util.tree_map(lambda t: tuple(t.shape.as_list()), args[0],
                                                      is_leaf=_is_keras_tensor))
    outputs = _traced_outputs(layer, args, kwargs)
    node = Node(layer, args, kwargs)
    node.outputs = jax.tree_util.tree_map(
        lambda t: KerasTensor(tuple(t.shape.as_list()), t.dtype, name=layer.name, history=node),
        outputs, is_leaf=lambda x: isinstance(x, Tensor))
    layer._summary_output_shape = jax.tree_util.tree_map(
        lambda kt: tuple(kt.shape.as_list()), node.outputs, is_leaf=_is_keras_tensor)
    return node.outputs


def output_spec(layer, input_shape):
    """The output shape(s) of `layer` for inputs of `input_shape` (None for unknown dims)."""
    def to_keras(shape):
        return KerasTensor(tuple(shape))
    is_shape = lambda s: isinstance(s, tuple) and all(d is None or isinstance(d, int) for d in s)  # noqa: E731
    inputs = jax.tree_util.tree_map(to_keras, input_shape, is_leaf=is_shape)
    outputs = symbolic_call(layer, (inputs,), {})
    return jax.tree_util.tree_map(lambda t: tuple(t.shape.as_list()), outputs, is_leaf=_is_keras_tensor)
