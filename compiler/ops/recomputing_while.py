"""A `lax.while_loop` that reverse-mode differentiation goes through, for loops whose length is
only known when they run (JAX's own while_loop has no reverse mode, and a scan needs a length).

The forward pass runs the loop and counts its iterations n. The backward pass walks the
iterations from n - 1 down to 0; for iteration j it recomputes the loop state there by running
j iterations from the initial state again (nothing is stored per iteration, so memory stays
constant) and pulls the cotangent back through that one iteration with `jax.vjp`. That costs
n (n + 1) / 2 body runs: correct for any loop, meant for the short data-dependent loops whose
length no shape can give (a loop with a known bound runs as a scan instead, see control.py).

Only floating-point (and complex) values carry cotangents; integer and bool loop values and
parameters are constants of each iteration's pullback and get no cotangent.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax


def _inexact(x) -> bool:
    return jnp.issubdtype(jnp.result_type(x), jnp.inexact)


def recomputing_while(keep_going, step, init: tuple, params: tuple) -> tuple:
    """`while keep_going(c, params): c = step(c, params)` from `init`, differentiable in `init`
    and `params` (tuples of arrays). `keep_going` returns a bool scalar; `step` the new tuple."""

    def run(init, params):
        return lax.while_loop(lambda c: keep_going(c, params), lambda c: tuple(step(c, params)), init)

    @jax.custom_vjp
    def loop(init, params):
        return run(init, params)

    def forward(init, params):
        def counted(carry):
            n, c = carry
            return n + 1, tuple(step(c, params))
        n, out = lax.while_loop(lambda carry: keep_going(carry[1], params), counted,
                                (jnp.int32(0), init))
        return out, (init, params, n)

    def backward(residuals, cotangent):
        init, params, n = residuals
        which = [i for i, x in enumerate(init) if _inexact(x)]
        which_params = [i for i, p in enumerate(params) if _inexact(p)]

        def state_at(j):
            return lax.fori_loop(0, j, lambda _, c: tuple(step(c, params)), init)

        def one_iteration_back(carry):
            j, ct_state, ct_params = carry
            j = j - 1
            state = state_at(j)

            def iteration(floats, float_params):
                c = list(state)
                for i, v in zip(which, floats):
                    c[i] = v
                p = list(params)
                for i, v in zip(which_params, float_params):
                    p[i] = v
                out = step(tuple(c), tuple(p))
                return tuple(out[i] for i in which)

            _, pullback = jax.vjp(iteration, tuple(state[i] for i in which),
                                  tuple(params[i] for i in which_params))
            d_state, d_params = pullback(ct_state)
            return j, d_state, tuple(a + b for a, b in zip(ct_params, d_params))

        ct_state = tuple(cotangent[i] for i in which)
        ct_params = tuple(jnp.zeros_like(params[i]) for i in which_params)
        _, ct_state, ct_params = lax.while_loop(lambda carry: carry[0] > 0, one_iteration_back,
                                                (n, ct_state, ct_params))
        return (_cotangents(init, which, ct_state), _cotangents(params, which_params, ct_params))

    loop.defvjp(forward, backward)
    return tuple(loop(tuple(init), tuple(params)))


def _cotangents(values, which, inexact_cotangents):
    """Cotangents for all of `values`: the computed ones for the floating-point values, float0
    zeros (JAX's "no cotangent") for the others."""
    out = [None] * len(values)
    for i, ct in zip(which, inexact_cotangents):
        out[i] = ct
    for i, v in enumerate(values):
        if out[i] is None:
            out[i] = np.zeros(jnp.shape(v), dtype=jax.dtypes.float0)
    return tuple(out)
