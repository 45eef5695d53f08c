"""Functional models: `Model(inputs, outputs)` replays the recorded layer calls (Nodes) from
the inputs to the outputs, in an order where every call comes after the calls it reads."""
from __future__ import annotations

import jax

from tfx_lite.keras.layers.input_layer import InputLayer, KerasTensor
from tfx_lite.keras.models.model import Model

__all__ = ["Functional"]


def _is_kt(x):
    return isinstance(x, KerasTensor)


def _ordered_nodes(outputs):
    """The nodes that compute `outputs`, each after the nodes its inputs come from."""
    order, seen = [], set()

    def visit(node):
        if id(node) in seen:
            return
        seen.add(id(node))
        for kt in jax.tree_util.tree_leaves((node.args, node.kwargs), is_leaf=_is_kt):
            if isinstance(kt, KerasTensor):
                visit(kt.history)
        order.append(node)

    for kt in jax.tree_util.tree_leaves(outputs, is_leaf=_is_kt):
        visit(kt.history)
    return order


class Functional(Model):
    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        super().__init__(name=name, trainable=trainable)
        self._inputs = inputs
        self._outputs = outputs
        self._nodes = _ordered_nodes(outputs)
        for kt in jax.tree_util.tree_leaves(inputs, is_leaf=_is_kt):
            if not isinstance(kt.history.layer, InputLayer):
                raise ValueError(f"Model inputs must come from `keras.Input`; got {kt}")
        layers = []
        for node in self._nodes:
            if not any(node.layer is layer for layer in layers):
                layers.append(node.layer)
        self._model_layers = layers  # assigned once, so that weight tracking sees every layer
        self.built = True

    @property
    def layers(self):
        return list(self._model_layers)

    @property
    def inputs(self):
        return self._inputs

    @property
    def outputs(self):
        return self._outputs

    @property
    def input(self):
        return self._inputs

    @property
    def output(self):
        return self._outputs

    def call(self, inputs, training=None):
        env = {}
        given = jax.tree_util.tree_leaves(inputs)
        wanted = jax.tree_util.tree_leaves(self._inputs, is_leaf=_is_kt)
        if len(given) != len(wanted):
            raise ValueError(f"Model {self.name!r} expects {len(wanted)} input(s), got {len(given)}")
        for kt, value in zip(wanted, given):
            env[id(kt)] = value
        for node in self._nodes:
            if isinstance(node.layer, InputLayer):
                continue
            args, kwargs = jax.tree_util.tree_map(
                lambda x: env[id(x)] if isinstance(x, KerasTensor) else x, (node.args, node.kwargs),
                is_leaf=_is_kt)
            out = node.layer(*args, **kwargs)
            for kt, value in zip(jax.tree_util.tree_leaves(node.outputs, is_leaf=_is_kt),
                                 jax.tree_util.tree_leaves(out)):
                env[id(kt)] = value
        return jax.tree_util.tree_map(lambda kt: env[id(kt)], self._outputs, is_leaf=_is_kt)
