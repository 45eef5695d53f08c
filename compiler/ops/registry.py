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

from compiler.errors import VALUE_DEPENDENT
from compiler.ir import operand_attrs
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
    # Operands a gradient does not flow into (TF defines none for them; a tape reports None).
    no_gradient: tuple = ()
    # (input types, **attrs) -> output types, for inputs with unknown dimensions where the probe
    # sizes cannot stand in (a reshape to a fixed shape accepts no probe size).
    unknown_dims_rule: Callable[..., Any] | None = None
    # Runs on the host only (string ops): never traced, so never part of an IR program.
    host_only: bool = False
    doc: str = field(default="", compare=False)


REGISTRY: dict[str, OpDef] = {}


def defop(name: str, *, effect: str | None = None, host_impl=None, explain=None, no_gradient=(),
          unknown_dims_rule=None, host_only=False):
    """Decorator registering `impl` as op `name`; returns `impl` unchanged."""

    def register(impl):
        if name in REGISTRY:
            raise ValueError(f"op {name!r} is defined twice")
        REGISTRY[name] = OpDef(name, impl, effect, host_impl, explain, tuple(no_gradient),
                               unknown_dims_rule, host_only, impl.__doc__ or "")
        return impl

    return register


def get_op(name: str) -> OpDef:
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown op {name!r}; registered ops: {', '.join(sorted(REGISTRY))}") from None


# Sizes standing in for unknown dimensions during inference: one size for every unknown
# dimension (so two unknown batch dimensions broadcast together, as TF's shape inference allows),
# divisible by most factors a reshape asks for, and never 1 (which would broadcast).
UNKNOWN_DIM_PROBES = (5040, 7560)


@functools.lru_cache(maxsize=4096)
def infer(name: str, input_types: tuple[TensorType, ...], attrs: tuple):
    """(output types, whether the op returns a tuple) of op `name` on inputs of `input_types`.

    Inputs with unknown (None) dimensions are inferred twice, each unknown dimension replaced by
    one probe size and then by another; an output dimension that follows the probe is unknown."""
    impl = functools.partial(REGISTRY[name].impl, **dict(attrs))
    if not any(d is None for t in input_types for d in t.shape):
        return _eval_types(impl, input_types, None)
    rule = REGISTRY[name].unknown_dims_rule
    if rule is not None:
        return tuple(rule(input_types, **dict(attrs))), False
    first, multi = _eval_types(impl, input_types, UNKNOWN_DIM_PROBES[0])
    second, _ = _eval_types(impl, input_types, UNKNOWN_DIM_PROBES[1])
    return _merge_probe_types(first, second), multi


def _merge_probe_types(first, second):
    return tuple(TensorType([a if a == b else None for a, b in zip(t.shape, u.shape)], t.dtype)
                 if len(t.shape) == len(u.shape) else TensorType(t.shape, t.dtype)
                 for t, u in zip(first, second))


def _eval_types(impl, input_types, probe):
    avals = [jax.ShapeDtypeStruct(tuple(probe if d is None else d for d in t.shape), t.dtype)
             for t in input_types]
    out = jax.eval_shape(impl, *avals)
    multi = isinstance(out, (tuple, list))
    leaves = out if multi else (out,)
    return tuple(TensorType(o.shape, o.dtype) for o in leaves), multi


def node_types(op: str, input_types, attrs: dict, inputs=None):
    """(output types, whether the op returns a tuple) of a node `op(inputs) {attrs}`: the one type
    rule behind tracing, parsing and verifying. Annotations (attributes starting with `_`) are not
    passed to the op; unhashable attribute values skip the cache. Attributes that are Operands
    (values computed from shapes) need the input Values, `inputs`, to fold them. Raises KeyError
    for an unknown op, ValueError for a malformed const node or an operand that is not computable
    from shapes, and whatever the op raises when it rejects its inputs."""
    if op == "const":
        value = attrs.get("value")
        if input_types or not (hasattr(value, "shape") and hasattr(value, "dtype")):
            raise ValueError("a const node takes no inputs and an array attribute `value`")
        return (TensorType(value.shape, value.dtype),), False
    if op not in REGISTRY:
        raise KeyError(op)
    impl_attrs = {k: v for k, v in attrs.items() if not k.startswith("_")}
    if operand_attrs(impl_attrs):
        return _operand_node_types(op, tuple(input_types), impl_attrs, inputs)
    key = tuple(sorted(impl_attrs.items()))
    try:
        hash(key)
        rule = infer
    except TypeError:  # unhashable attribute values (lists)
        rule = infer.__wrapped__
    return rule(op, tuple(input_types), key)


def _operand_node_types(op, input_types, attrs, inputs):
    """Types of a node with Operand attributes: the operands folded, and the op inferred, under
    each probe size for unknown dimensions; a dimension that follows the probe is unknown."""
    from compiler.fold import resolve_operands, static_value
    if inputs is None:
        raise ValueError(f"op {op!r} has operand attributes; its types need the input values")
    runs = []
    for probe in UNKNOWN_DIM_PROBES:
        folded = [static_value(v, probe) for v in inputs]
        for name, operand in operand_attrs(attrs).items():
            if folded[operand.index] is None:
                raise ValueError(
                    f"attribute `{name}` of {op!r} {VALUE_DEPENDENT}, not only on shapes "
                    "and constants; XLA compiles for static shapes, so it must be computable from "
                    "the input shapes (tf.shape, tf.size, constants)")
        resolved, own = resolve_operands(attrs, folded)
        impl = functools.partial(REGISTRY[op].impl, **resolved)
        runs.append(_eval_types(impl, input_types[:len(own)], probe))
    (first, multi), (second, _) = runs
    return _merge_probe_types(first, second), multi
