"""Gradients as ops: `vjp` runs `jax.vjp` over a sub-graph, so a gradient taken eagerly is one
compiled kernel (cached by the sub-graph's structure) and a gradient taken while tracing is one
node of the IR. Differentiating a graph that holds a `vjp` node differentiates through it
(higher-order gradients).

    %g0, %g1 = vjp(%x, %w, %b, %ct) {fn=@grad_f, num_sources=2, num_targets=1}

`fn(*sources, *externals)` returns the targets; the last `num_targets` operands are the
cotangents (with `batched=True` they have a leading axis, mapped over with jax.vmap: one
pullback per row, for jacobians). Results: one gradient per source; complex ones follow TF's
convention (the conjugate of JAX's).

    %y, %r = custom_gradient(%x, %v) {bwd=@f_grad, fwd=@f, num_outputs=1}   tf.custom_gradient
    %y = recompute_grad(%x, %w) {fn=@f}                                       tf.recompute_grad
"""
from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from compiler.ops.control import _fn
from compiler.ops.io import muted
from compiler.ops.registry import defop


@defop("vjp")
def vjp(*operands, fn, num_sources, num_targets, batched=False):
    fn = _fn(fn)
    sources = operands[:num_sources]
    externals = operands[num_sources:len(operands) - num_targets]
    # TF's complex gradients are the conjugates of JAX's cotangents: conj(vjp(conj(ct))).
    cotangents = tuple(_conj(c) for c in operands[len(operands) - num_targets:])
    with muted():  # the forward already ran (and printed) where the sources were computed
        _, pullback = jax.vjp(lambda *s: tuple(fn(*s, *externals)), *sources)
    if batched:
        grads = jax.vmap(lambda *ct: pullback(ct))(*cotangents)
    else:
        grads = pullback(cotangents)
    return tuple(_conj(g) for g in grads)


def _conj(x):
    return jnp.conj(x) if jnp.iscomplexobj(x) else x


@defop("custom_gradient")
def custom_gradient(*operands, fwd, bwd, num_outputs, unconnected=()):
    """`fwd(*operands)` returns the outputs then residuals; the gradient is `bwd(*cotangents,
    *residuals)`, one result per operand (onto jax.custom_vjp). Integer operands get no
    gradient (float0 zeros); `unconnected` lists operands whose gradient the user left None
    (zeros here; a tape reports them as unconnected)."""
    fwd, bwd = _fn(fwd), _fn(bwd)

    @jax.custom_vjp
    def run(*xs):
        return tuple(fwd(*xs))[:num_outputs]

    kinds = [(jnp.shape(x), jnp.result_type(x)) for x in operands]

    def run_fwd(*xs):
        outs = tuple(fwd(*xs))
        return outs[:num_outputs], tuple(outs[num_outputs:])

    def run_bwd(residuals, cotangents):
        grads = tuple(bwd(*cotangents, *residuals))
        return tuple(g if jnp.issubdtype(d, jnp.inexact) else np.zeros(s, jax.dtypes.float0)
                     for g, (s, d) in zip(grads, kinds))

    run.defvjp(run_fwd, run_bwd)
    return run(*operands)


@defop("recompute_grad")
def recompute_grad(*operands, fn):
    """`fn(*operands)` whose intermediate values are recomputed for the gradient instead of kept
    (jax.checkpoint)."""
    return tuple(jax.checkpoint(_fn(fn))(*operands))
