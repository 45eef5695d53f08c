"""keras.layers.Layer on tf.Module: build on first call, `add_weight`, Keras 3's weight
tracking (own weights in creation order, then those of sub-layers in the order they were set),
the `training` argument passed down to sub-layers, and symbolic calls on `keras.Input` tensors
(the functional API)."""
from __future__ import annotations

import inspect
import re

import jax
import numpy as np

from compiler.trace import init_scope
from tfx_lite.framework import dtypes
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.tensor import Tensor
from tfx_lite.keras import initializers
from tfx_lite.keras.utils import auto_name
from tfx_lite.keras.variables import KerasVariable
from tfx_lite.module import Module
from tfx_lite.variables import Variable

__all__ = ["Layer"]

# The `training` value of the enclosing layer calls (innermost last).
_TRAINING: list = []


def _leaves(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _leaves(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _leaves(v)
    else:
        yield value


class Layer(Module):
    """Subclasses define `build(input_shape)` (create weights with `add_weight`) and
    `call(inputs, ...)`; calling the layer builds it on its first input."""

    def __init__(self, trainable=True, name=None, dtype=None, autocast=True, input_shape=None,
                 input_dim=None, batch_input_shape=None, batch_size=None, **kwargs):
        for key in kwargs:
            if key not in ("activity_regularizer", "dynamic"):
                raise TypeError(f"Unrecognized keyword arguments passed to {type(self).__name__}: "
                                f"{{{key!r}: {kwargs[key]!r}}}")
        object.__setattr__(self, "_tracked_variables", [])
        object.__setattr__(self, "_layers", [])
        name = name or auto_name(type(self).__name__)
        super().__init__(name=name if re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name) else None)
        self._name = name
        self._trainable = bool(trainable)
        self._dtype = dtypes.as_dtype(dtype.name if hasattr(dtype, "name") and not isinstance(dtype, str)
                                      else dtype) if dtype is not None else dtypes.float32
        self.built = False
        self._losses: list = []
        if input_dim is not None and input_shape is None:
            input_shape = (input_dim,)
        if batch_input_shape is None and input_shape is not None:
            batch_input_shape = (batch_size, *tuple(input_shape))
        self._batch_input_shape = tuple(batch_input_shape) if batch_input_shape is not None else None
        self._call_takes_training = "training" in inspect.signature(self.call).parameters

    # --- tracking ---
    def __setattr__(self, key, value):
        if not key.startswith("__"):
            for leaf in _leaves(value):
                if isinstance(leaf, Variable):
                    if not any(leaf is v for v in self._tracked_variables):
                        self._tracked_variables.append(leaf)
                elif isinstance(leaf, Layer) and leaf is not self:
                    if not any(leaf is layer for layer in self._layers):
                        self._layers.append(leaf)
        super().__setattr__(key, value)

    @property
    def dtype(self):
        return self._dtype.name

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        for v in self._tracked_variables:
            if isinstance(v, KerasVariable) and v._was_trainable:
                v.trainable = value
        for layer in self._layers:
            layer.trainable = value

    @property
    def weights(self) -> list:
        """Own weights (trainable ones first, in creation order), then the sub-layers'."""
        own = self._tracked_variables
        found, seen = [], set()
        for w in [v for v in own if v.trainable] + [v for v in own if not v.trainable]:
            if id(w) not in seen:
                seen.add(id(w))
                found.append(w)
        for layer in self._layers:
            for w in layer.weights:
                if id(w) not in seen:
                    seen.add(id(w))
                    found.append(w)
        return found

    @property
    def trainable_weights(self) -> list:
        return [w for w in self.weights if w.trainable] if self._trainable else []

    @property
    def non_trainable_weights(self) -> list:
        if not self._trainable:
            return self.weights
        return [w for w in self.weights if not w.trainable]

    variables = property(lambda self: self.weights)
    trainable_variables = property(lambda self: self.trainable_weights)
    non_trainable_variables = property(lambda self: self.non_trainable_weights)

    @property
    def layers(self) -> list:
        return list(self._layers)

    @property
    def losses(self) -> list:
        """Regularization losses of this layer's and its sub-layers' weights."""
        out = [fn() for fn in self._losses]
        for layer in self._layers:
            out.extend(layer.losses)
        return out

    def count_params(self) -> int:
        return int(sum(np.prod(w.shape.as_list()) for w in self.weights))

    def get_weights(self) -> list:
        return [w.numpy() for w in self.weights]

    def set_weights(self, weights):
        mine = self.weights
        if len(weights) != len(mine):
            raise ValueError(f"You called `set_weights(weights)` on layer '{self.name}' with a weight "
                             f"list of length {len(weights)}, but the layer was expecting "
                             f"{len(mine)} weights.")
        for variable, value in zip(mine, weights):
            value = np.asarray(value)
            if tuple(value.shape) != tuple(variable.shape.as_list()):
                raise ValueError(f"Layer {self.name} weight shape {tuple(variable.shape.as_list())} "
                                 f"is not compatible with provided weight shape {value.shape}.")
            variable.assign(value.astype(variable.dtype.as_numpy_dtype))

    # --- weights ---
    def add_weight(self, shape=None, initializer=None, dtype=None, trainable=True, regularizer=None,
                   constraint=None, name=None, **kwargs):
        shape = () if shape is None else tuple(shape)
        dtype = dtypes.as_dtype(dtype) if dtype is not None else self._dtype
        if initializer is None:
            initializer = "glorot_uniform" if dtype.is_floating else "zeros"
        init = initializers.get(initializer)
        with init_scope():  # a layer built inside a tf.function still gets concrete weights
            variable = KerasVariable(init(shape, dtype=dtype), trainable=trainable, name=name,
                                     path=f"{self.name}/{name or 'variable'}", dtype=dtype)
        variable._was_trainable = bool(trainable)
        if not self._trainable:
            variable.trainable = False
        self._tracked_variables.append(variable)
        if regularizer is not None:
            from tfx_lite.keras import regularizers
            penalty = regularizers.get(regularizer)
            self._losses.append(lambda: penalty(variable))
        return variable

    # --- calling ---
    def build(self, input_shape):
        self.built = True

    def call(self, inputs, *args, **kwargs):
        return inputs

    def __call__(self, *args, **kwargs):
        from tfx_lite.keras.layers.input_layer import KerasTensor, symbolic_call
        if any(isinstance(leaf, KerasTensor) for leaf in _leaves((args, kwargs))):
            return symbolic_call(self, args, kwargs)
        if args:
            args = (_as_tensors(args[0]),) + tuple(args[1:])
        if not self.built:
            self._build_for(args[0] if args else next(iter(kwargs.values())))
        training = kwargs.get("training")
        if not self._call_takes_training:
            kwargs.pop("training", None)
        else:
            if training is None and _TRAINING:
                kwargs["training"] = _TRAINING[-1]
            training = kwargs.get("training")
        _TRAINING.append(training if training is not None else (_TRAINING[-1] if _TRAINING else None))
        try:
            with self.name_scope:
                return self.call(*args, **kwargs)
        finally:
            _TRAINING.pop()

    def _build_for(self, inputs):
        shapes = jax.tree_util.tree_map(lambda t: tuple(t.shape.as_list()), inputs,
                                        is_leaf=lambda x: isinstance(x, Tensor))
        self._build_for_shape(shapes)

    def _build_for_shape(self, shapes):
        """Build for inputs of `shapes` (remembered for saving: the build config)."""
        with self.name_scope:
            self.build(shapes)
        self.built = True
        self._build_shape = shapes

    def compute_output_shape(self, input_shape):
        from tfx_lite.keras.layers.input_layer import output_spec
        return output_spec(self, input_shape)

    # --- config ---
    def get_config(self) -> dict:
        config = {"name": self.name, "trainable": self.trainable, "dtype": self.dtype}
        if self._batch_input_shape is not None:
            config["batch_input_shape"] = self._batch_input_shape
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _as_tensors(x):
    """Call inputs: a numpy array or a (nested) list of numbers becomes one tensor, as TF 2's
    layers took it; a list of arrays or tensors (a multi-input layer's) stays a list of tensors."""
    if isinstance(x, (Tensor, dict)) or hasattr(x, "__tf_tensor__"):
        return x
    if isinstance(x, (list, tuple)) and not all(isinstance(v, (int, float, bool, list, tuple))
                                                for v in _leaves(x)):
        return type(x)(_as_tensors(v) for v in x)
    return convert_to_tensor(x)
