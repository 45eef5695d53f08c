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
