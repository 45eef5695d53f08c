"""Values known while a graph is built: what a value computes when it depends only on constants
and on shapes (TF's `tensor_util.constant_value`), so `tf.shape(x)[0]` can size a reshape.

With `probe`, an unknown dimension counts as that size: the tracer folds a value under two probe
sizes to tell which output dimensions of a node depend on unknown ones (`registry.infer`)."""
from __future__ import annotations

import functools

import jax
import numpy as np

from compiler.ir import Value, operand_attrs
from compiler.ops.registry import REGISTRY

FOLD_LIMIT = 64  # nodes evaluated at most to find one value


def static_value(value: Value, probe: int | None = None):
    """The numpy value of `value`, or None when it depends on a parameter's value, an effect,
    or (without `probe`) an unknown dimension."""
    try:
        return _fold(value, {}, [FOLD_LIMIT], probe)
    except Exception:  # noqa: BLE001  (a value that cannot be folded is simply unknown)
        return None


def _fold(value, memo, budget, probe):
    if value in memo:
        return memo[value]
    node = value.producer
    if node is None or budget[0] <= 0 or (node.op != "const" and REGISTRY[node.op].effect is not None):
        return None
    budget[0] -= 1
    attrs = node.impl_attrs()
    if node.op == "const":
        out = np.asarray(attrs["value"])
    elif node.op in ("shape", "size", "rank"):
        shape = node.inputs[0].shape
        if None in shape:
            if probe is None:
                return None
            shape = _probed_shape(node.inputs[0], probe, {}, budget)
        out = np.array(shape if node.op == "shape" else
                       int(np.prod(shape, dtype=np.int64)) if node.op == "size" else len(shape),
                       dtype=attrs.get("out_type", "int32"))
    else:
        inputs = []
        for v in node.inputs:
            folded = _fold(v, memo, budget, probe)
            if folded is None:
                return None
            inputs.append(folded)
        attrs, inputs = resolve_operands(attrs, inputs)
        result = REGISTRY[node.op].impl(*inputs, **attrs)
        outs = result if node.multi_output else (result,)
        out = np.asarray(outs[node.outputs.index(value)])
    memo[value] = out
    return out


def _probed_shape(value: Value, probe: int, memo: dict, budget) -> tuple:
    """The shape `value` has when every unknown dimension of the graph's parameters is `probe`
    (recomputed through its producers: a reshape's unknown dimension may be 3 * probe)."""
    if None not in value.shape:
        return value.shape
    if value in memo:
        return memo[value]
    node = value.producer
    if node is None:
        shape = tuple(probe if d is None else d for d in value.shape)
    else:
        budget[0] -= 1
        if budget[0] <= 0:
            raise ValueError("shape too deep to probe")
        avals = [jax.ShapeDtypeStruct(_probed_shape(v, probe, memo, budget), v.dtype) for v in node.inputs]
        attrs = node.impl_attrs()
        if operand_attrs(attrs):
            folded = [_fold(v, {}, budget, probe) for v in node.inputs]
            attrs, _ = resolve_operands(attrs, folded)
            avals = avals[:min(o.index for o in operand_attrs(node.impl_attrs()).values())]
        out = jax.eval_shape(functools.partial(REGISTRY[node.op].impl, **attrs), *avals)
        outs = out if node.multi_output else (out,)
        shape = tuple(outs[node.outputs.index(value)].shape)
    memo[value] = shape
    return shape


def resolve_operands(attrs: dict, inputs):
    """(`attrs` with each Operand replaced by its input's value, the op's own inputs): operand
    inputs follow the op's own."""
    operands = operand_attrs(attrs)
    if not operands:
        return attrs, inputs
    resolved = {**attrs, **{k: attr_value(inputs[o.index]) for k, o in operands.items()}}
    return resolved, inputs[:min(o.index for o in operands.values())]


def attr_value(array):
    """An operand's value as the attribute the op takes: an int for a scalar, else a tuple."""
    array = np.asarray(array)
    return array.item() if array.ndim == 0 else tuple(array.tolist())
