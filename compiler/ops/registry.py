"""The op table: each op is defined once, as a name and a JAX implementation.

An implementation is a pure function of arrays plus static (hashable) attributes.
Output shapes and dtypes are never written by hand: `infer` runs `jax.eval_shape`
on the implementation, cached per (op, input types, attributes).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Callable

import jax

from compiler.types import TensorType


@dataclass(frozen=True)
class OpDef:
    name: str
    impl: Callable[..., Any]
    # "rng", "state" or "io": such nodes are never folded or deduplicated by passes.
    effect: str | None = None
    # A numpy implementation used for host-side (string) tensors, where JAX cannot go.
    host_impl: Callable[..., Any] | None = None
    # Builds the user-facing message when the implementation rejects its inputs.
    explain: Callable[..., str] | None = None
    doc: str = field(default="", compare=False)


REGISTRY: dict[str, OpDef] = {}


def defop(name: str, *, effect: str | None = None, host_impl=None, explain=None):
    """Decorator registering `impl` as op `name`; returns `impl` unchanged."""

    def register(impl):
        if name in REGISTRY:
            raise ValueError(f"op {name!r} is defined twice")
        REGISTRY[name] = OpDef(name, impl, effect, host_impl, explain, impl.__doc__ or "")
        return impl

    return register


def get_op(name: str) -> OpDef:
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown op {name!r}; registered ops: {', '.join(sorted(REGISTRY))}") from None


@functools.lru_cache(maxsize=4096)
def infer(name: str, input_types: tuple[TensorType, ...], attrs: tuple):
    """(output types, whether the op returns a tuple) of op `name` on inputs of `input_types`."""
    impl = functools.partial(REGISTRY[name].impl, **dict(attrs))
    avals = [jax.ShapeDtypeStruct(t.shape, t.dtype) for t in input_types]
    out = jax.eval_shape(impl, *avals)
    multi = isinstance(out, (tuple, list))
    leaves = out if multi else (out,)
    return tuple(TensorType(o.shape, o.dtype) for o in leaves), multi


def node_types(op: str, input_types, attrs: dict):
    """(output types, whether the op returns a tuple) of a node `op(inputs) {attrs}`: the one type
    rule behind tracing, parsing and verifying. Annotations (attributes starting with `_`) are not
    passed to the op; unhashable attribute values skip the cache. Raises KeyError for an unknown
    op, ValueError for a malformed const node, and whatever the op raises when it rejects its
    inputs."""
    if op == "const":
        value = attrs.get("value")
        if input_types or not (hasattr(value, "shape") and hasattr(value, "dtype")):
            raise ValueError("a const node takes no inputs and an array attribute `value`")
        return (TensorType(value.shape, value.dtype),), False
    if op not in REGISTRY:
        raise KeyError(op)
    key = tuple(sorted((k, v) for k, v in attrs.items() if not k.startswith("_")))
    try:
        hash(key)
        rule = infer
    except TypeError:  # unhashable attribute values (lists)
        rule = infer.__wrapped__
    return rule(op, tuple(input_types), key)
