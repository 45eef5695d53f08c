"""tf.custom_gradient and tf.recompute_grad: the function is traced into a sub-graph and runs as
one op (`custom_gradient`, onto jax.custom_vjp; `recompute_grad`, onto jax.checkpoint), eagerly
or inside a traced function, so a GradientTape records it like any op."""
from __future__ import annotations

import functools
import inspect

import jax
import numpy as np

from compiler import GraphBuilder, bind
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.tensor import SymbolicTensor
from tfx_lite.ops.control_flow_ops import _bind, _Body, _pack, _tensor
from tfx_lite.variables import Variable

__all__ = ["custom_gradient", "recompute_grad"]


def _traced(f, name, args, kwargs, keep):
    """`f(*args, **kwargs)` traced into a _Body over the tensor arguments; `keep(result)` picks
    the tensors to return from what f returned."""
    tensors = [convert_to_tensor(a) for a in args]
    types = [t._value.type if isinstance(t, SymbolicTensor) else _type(t) for t in tensors]
    tree = jax.tree_util.tree_structure(tuple(tensors))
    return tensors, _Body(lambda *xs: keep(f(*xs, **kwargs)), name, tree, types)


def _type(tensor):
    from compiler import TensorType
    return TensorType(tensor._value.shape, tensor._value.dtype)


def custom_gradient(f=None):
    """`f(*x)` returns `(y, grad_fn)`; `grad_fn(*dy)` returns the gradients for `x` (and, when f
    reads variables and grad_fn takes `variables=`, `(dx, dvariables)`)."""
    if f is None:
        return custom_gradient

    @functools.wraps(f)
    def decorated(*args, **kwargs):
        grad_fns = []

        def forward(result):
            y, grad_fn = result
            grad_fns.append(grad_fn)
            return y

        name = getattr(f, "__name__", "custom_gradient")
        tensors, body = _traced(f, name, args, kwargs, forward)
        grad_fn = grad_fns[0]
        variables = [s for s, _, _ in body._inputs() if isinstance(s, Variable)]
        with GraphBuilder(f"{name}_grad", parent=body.builder) as grad:
            dys = [SymbolicTensor(grad.param(t)) for t in body.out_types]
            if variables and "variables" in inspect.signature(grad_fn).parameters:
                dx, dvars = grad_fn(*dys, variables=variables)
            else:
                dx, dvars = grad_fn(*dys), []
        operands = body.operands()  # after grad_fn: it may close over more outer values
        dx_leaves = list(dx) if isinstance(dx, (list, tuple)) else [dx]
        if len(dx_leaves) != len(tensors):
            raise ValueError(f"custom_gradient function {name!r} takes {len(tensors)} tensor "
                             f"argument(s) but its grad_fn returned {len(dx_leaves)} gradient(s)")
        by_variable = dict(zip(map(id, variables), dvars))
        keys = [key for key, _, _ in body._inputs()]
        gradients = dx_leaves + [by_variable.get(id(k)) for k in keys]
        inputs = [t._value for t in tensors] + operands
        with grad:
            results = [_gradient_value(g, x, name) for g, x in zip(gradients, inputs)]
            residual_inputs = [(outer, param) for outer, param in grad.closures] + \
                [(outer, param) for _, outer, param in grad.entries]
            grad.graph.results = [grad.as_value(r) for r in results]
        grad.graph.params = grad.graph.params[:len(dys)] + [p for _, p in residual_inputs]
        body.graph.results = body.graph.results + [outer for outer, _ in residual_inputs]
        for variable in variables:  # eagerly, a read a recording tape sees
            if not isinstance(variable.read_value(), SymbolicTensor):
                break
        # A None gradient leaves its input unconnected (the tape gives None for it).
        none = tuple(i for i, g in enumerate(gradients) if g is None)
        outs = _bind("tf.custom_gradient", "custom_gradient", *inputs, fwd=body.graph, bwd=grad.graph,
                     num_outputs=len(dys), **({"unconnected": none} if none else {}))
        return _pack(body.out_tree_raw, outs)

    return decorated


def _gradient_value(g, like, name):
    """A gradient as a value of the gradient graph, of `like`'s type; None becomes zeros."""
    shape, dtype = (like.type.shape, like.type.dtype) if hasattr(like, "type") else (like.shape, like.dtype)
    if g is None:
        return bind("zeros", shape=tuple(shape), dtype=np.dtype(dtype).name)
    g = _tensor(g)
    if tuple(g.shape.as_list()) != tuple(shape) or g._value.dtype != dtype:
        raise ValueError(f"the grad_fn of custom_gradient function {name!r} returned a gradient of "
                         f"shape {g.shape} and dtype {g.dtype.name} for an input of shape "
                         f"{tuple(shape)} and dtype {np.dtype(dtype).name}; they must match")
    return g._value


def recompute_grad(f):
    """`f` runs as one op whose intermediate values the gradient recomputes (jax.checkpoint)."""

    @functools.wraps(f)
    def decorated(*args, **kwargs):
        tensors, body = _traced(f, getattr(f, "__name__", "recompute_grad"), args, kwargs, lambda y: y)
        outs = _bind("tf.recompute_grad", "recompute_grad", *[t._value for t in tensors], *body.operands(),
                     fn=body.graph)
        return _pack(body.out_tree_raw, outs)

    return decorated
