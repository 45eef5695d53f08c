"""Gradients as ops: `vjp` runs `jax.vjp` over a sub-graph, so a gradient taken eagerly is one
compiled kernel (cached by the sub-graph's structure) and a gradient taken while tracing is one
node of the IR. Differentiating a graph that holds a `vjp` node differentiates through it
(higher-order gradients).

    %g0, %g1 = vjp(%x, %w, %b, %ct) {fn=@grad_f, num_sources=2, num_targets=1}

`fn(*sources, *externals)` returns the targets; the last `num_targets` operands are the
cotangents (with `batched=True` they have a leading axis, mapped over with jax.vmap: one
pullback per row, for jacobians). Results: one gradient per source.
"""
from __future__ import annotations

import jax

from compiler.ops.control import _fn
from compiler.ops.registry import defop


@defop("vjp")
def vjp(*operands, fn, num_sources, num_targets, batched=False):
    fn = _fn(fn)
    sources = operands[:num_sources]
    externals = operands[num_sources:len(operands) - num_targets]
    cotangents = tuple(operands[len(operands) - num_targets:])
    _, pullback = jax.vjp(lambda *s: tuple(fn(*s, *externals)), *sources)
    if batched:
        return tuple(jax.vmap(lambda *ct: pullback(ct))(*cotangents))
    return tuple(pullback(cotangents))
