"""Composite tensors: values made of several component tensors (RaggedTensor, SparseTensor).

A composite describes itself with a TypeSpec (hashable: it keys tf.function traces) that can
list its components' TensorSpecs and rebuild the value from components. tf.function passes a
composite as its components (graph parameters, results) and rebuilds it on the other side.
"""
from __future__ import annotations


class TypeSpec:
    """The type of a composite value; subclasses define `_serialize` (a hashable tuple),
    `_component_specs` and `_from_components`."""

    __slots__ = ()

    def _serialize(self) -> tuple:
        raise NotImplementedError

    @property
    def _component_specs(self) -> list:
        raise NotImplementedError

    def _from_components(self, components):
        raise NotImplementedError

    def is_compatible_with(self, other) -> bool:
        other = getattr(other, "_type_spec", other)
        return type(other) is type(self) and self._compatible(other)

    def _compatible(self, other) -> bool:
        return self == other

    def __eq__(self, other):
        return type(other) is type(self) and self._serialize() == other._serialize()

    def __hash__(self):
        return hash((type(self), self._serialize()))


class CompositeTensor:
    """Base class of tensors made of component tensors."""

    __slots__ = ()

    @property
    def _type_spec(self) -> TypeSpec:
        raise NotImplementedError

    def _to_components(self) -> list:
        """The component Tensors, in the order of `_type_spec._component_specs`."""
        raise NotImplementedError


def composites(args, kwargs=None):
    """The composites among `args`/`kwargs` or one list/tuple level inside them."""
    for a in (*args, *(kwargs.values() if kwargs else ())):
        for b in (a if isinstance(a, (list, tuple)) else (a,)):
            if isinstance(b, CompositeTensor):
                yield b


def has_composite(args, kwargs=None) -> bool:
    return next(composites(args, kwargs), None) is not None
