"""`bind`: the only way an op runs.

No builder active: run the op now through a cached `jax.jit` of its implementation (eager),
then tell the eager observers (GradientTapes) what ran. A builder active: append a Node and
return symbolic Values.
"""
from __future__ import annotations

import functools

import jax
import numpy as np

from compiler import trace
from compiler.errors import OpInputError, rejection
from compiler.ir import Graph, graphs_in
from compiler.ops.registry import REGISTRY, get_op

__all__ = ["bind", "run_host", "OpInputError", "EAGER_OBSERVERS"]


# Called as observer(op_name, inputs, attrs, outputs) after each eager op; GradientTape uses it.
EAGER_OBSERVERS: list = []

_KERNELS: dict = {}


# Kernels of ops with sub-graph attributes (branches, loop bodies), by the graphs' structure:
# each eager call traces a new sub-graph, and equal ones share one compiled kernel.
_GRAPH_KERNELS: dict = {}
_GRAPH_KERNEL_LIMIT = 256


def _kernel(name: str, attrs: tuple):
    impl = REGISTRY[name].impl
    if any(graphs_in(v) for _, v in attrs):
        from compiler.lower import lower_attr, graph_fingerprint
        key = (name, tuple((k, _structure_key(v, graph_fingerprint)) for k, v in attrs))
        fn = _GRAPH_KERNELS.get(key)
        if fn is None:
            fn = jax.jit(functools.partial(impl, **{k: lower_attr(v) for k, v in attrs}))
            if len(_GRAPH_KERNELS) >= _GRAPH_KERNEL_LIMIT:
                del _GRAPH_KERNELS[next(iter(_GRAPH_KERNELS))]
            _GRAPH_KERNELS[key] = fn
        return fn  # not kept by graph identity: a new graph comes with each eager call
    fn = jax.jit(functools.partial(impl, **dict(attrs)) if attrs else impl)
    _KERNELS[(name, attrs)] = fn
    return fn


def _structure_key(value, fingerprint):
    if isinstance(value, Graph):
        return ("graph", fingerprint(value))
    if isinstance(value, (tuple, list)):
        return (type(value).__name__, tuple(_structure_key(v, fingerprint) for v in value))
    return value


def bind(name: str, *args, **attrs):
    """Run or record op `name`. Returns one output, or a tuple for ops that return tuples."""
    if trace._BUILDERS:
        outputs, multi = trace._BUILDERS[-1].emit(name, args, attrs)
        return outputs if multi else outputs[0]
    # Call sites pass attributes in a fixed order, so the unsorted items make a stable key.
    key = (name, tuple(attrs.items())) if attrs else (name, ())
    kernel = _KERNELS.get(key)
    if kernel is None:
        if name not in REGISTRY:
            get_op(name)  # raises with the list of known ops
        kernel = _kernel(*key)
    try:
        out = kernel(*args)
    except (TypeError, ValueError) as err:
        out = _on_kernel_error(name, args, attrs, err)
    if EAGER_OBSERVERS:
        for observer in EAGER_OBSERVERS:
            observer(name, args, attrs, out)
    return out


def _on_kernel_error(name, args, attrs, err):
    op = REGISTRY[name]
    if any(isinstance(a, np.ndarray) and a.dtype == object for a in args):
        if op.host_impl is not None:
            return op.host_impl(*args, **attrs)
        raise OpInputError(name, f"op {name!r} has no kernel for string inputs") from None
    raise rejection(op, [(np.shape(a), a.dtype) for a in args], attrs, err, tracing=False) from None


def run_host(name: str, *args, **attrs):
    """Run an op's host (numpy) implementation directly; used for string tensors."""
    return REGISTRY[name].host_impl(*args, **attrs)
