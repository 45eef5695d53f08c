"""Control flow: ops whose attributes hold sub-graphs (branches, loop bodies).

At run time (lowering, or an eager kernel) each Graph-valued attribute arrives as its lowered
function: `(*arrays) -> tuple of arrays`. Every sub-graph takes the op's operands that it needs
(values it closes over) after its own per-iteration/per-element parameters; results are tuples.
State (variables) assigned in a sub-graph is threaded through by tfx_lite: extra results of
branches, extra loop vars of while_loop, `num_state` carried values of map and scan.

    %0, %1 = cond(%p, %a, %b) {false=@f_false, true=@f_true}        lax.cond
    %0 = switch_case(%i, %a) {branches=(@b0, @b1, @b2)}              lax.switch (out of range: last)
    %0, %1 = while_loop(%i, %s, %n) {body=@b, cond=@c, num_cond_extra=1, num_vars=2, bounded=False}
    %0 = map(%xs, %a) {fn=@f, num_elems=1}                           lax.map over axis 0
    %0, %1 = map(%xs, %v, %a) {fn=@f, num_elems=1, num_state=1}      ... carrying state %v
    %0 = scan(%init, %xs, %a) {fn=@f, num_carry=1, num_elems=1, reverse=False, final=False}
    %0 = vectorized_map(%xs, %a) {fn=@f, num_elems=1}                jax.vmap over axis 0
    %0, %1 = call(%x, %v) {fn=@g}                                    a nested function
"""
from __future__ import annotations

import jax
import jax.numpy as jnp
from jax import lax

from compiler.ir import Graph
from compiler.ops.recomputing_while import recomputing_while
from compiler.ops.registry import defop

def _fn(f):
    """A lowered sub-graph. Lowering passes functions; shape inference (`registry.infer`,
    `verify`) passes the Graph itself."""
    if not isinstance(f, Graph):
        return f
    from compiler.lower import to_jax_function  # cached per graph
    return to_jax_function(f)


def _truth(x):
    """TF's If/While predicate: a scalar; non-bool numbers are true when nonzero."""
    x = jnp.asarray(x)
    if x.ndim != 0:
        raise ValueError(f"the predicate must be a scalar, got shape {x.shape}")
    return x if x.dtype == jnp.bool_ else x != 0


@defop("cond")
def cond(pred, *operands, true, false):
    """`true(*operands)` if `pred` else `false(*operands)` (both return tuples of equal types)."""
    true, false = _fn(true), _fn(false)
    return tuple(lax.cond(_truth(pred), lambda ops: tuple(true(*ops)), lambda ops: tuple(false(*ops)),
                          tuple(operands)))


@defop("switch_case")
def switch_case(index, *operands, branches):
    """`branches[index](*operands)`; an index outside [0, len(branches)) runs the last branch."""
    branches = [_fn(b) for b in branches]
    n = len(branches)
    index = jnp.asarray(index)
    index = jnp.where((index >= 0) & (index < n), index, n - 1).astype(jnp.int32)
    fns = [lambda ops, b=b: tuple(b(*ops)) for b in branches]
    return tuple(lax.switch(index, fns, tuple(operands)))


@defop("while_loop")
def while_loop(*args, cond, body, num_vars, num_cond_extra, bounded=False, max_iterations=None):
    """Loop vars (`num_vars` inputs), then the cond's closures, then the body's closures, then
    (when `bounded`) the maximum number of iterations. Returns the final loop vars.

    `max_iterations` (an int, the bound's value when it is known) runs the loop as a `lax.scan`
    of that length whose steps after the end keep the loop vars (gradients set it, see
    compiler/gradient_graph.py: a scan stores each step for the backward pass). Otherwise the
    loop is a `lax.while_loop` whose gradient recomputes each iteration's state
    (recomputing_while.py)."""
    cond, body = _fn(cond), _fn(body)
    init = tuple(args[:num_vars])
    cond_extra = args[num_vars:num_vars + num_cond_extra]
    if bounded:
        body_extra, limit = args[num_vars + num_cond_extra:-1], args[-1]
    else:
        body_extra = args[num_vars + num_cond_extra:]

    if max_iterations is not None:
        return _scanned_while(cond, body, cond_extra, body_extra, init, limit, max_iterations)
    n_cond = len(cond_extra)
    if not bounded:
        return recomputing_while(lambda c, p: _truth(cond(*c, *p[:n_cond])[0]),
                                 lambda c, p: tuple(body(*c, *p[n_cond:])), init,
                                 (*cond_extra, *body_extra))

    def keep_going(carry, p):
        i, c = carry[0], carry[1:]
        return jnp.logical_and(i < p[-1], _truth(cond(*c, *p[:n_cond])[0]))

    def step(carry, p):
        i, c = carry[0], carry[1:]
        return (i + 1, *body(*c, *p[n_cond:-1]))

    out = recomputing_while(keep_going, step, (jnp.zeros((), jnp.asarray(limit).dtype), *init),
                            (*cond_extra, *body_extra, limit))
    return tuple(out[1:])


def _scanned_while(cond, body, cond_extra, body_extra, init, limit, length):
    def step(carry, _):
        i, running, c = carry
        running = jnp.logical_and(running, jnp.logical_and(i < limit, _truth(cond(*c, *cond_extra)[0])))
        new = tuple(body(*c, *body_extra))
        c = tuple(jnp.where(running, n, o) for n, o in zip(new, c))
        return (i + 1, running, c), None

    (_, _, out), _ = lax.scan(step, (jnp.zeros((), jnp.asarray(limit).dtype), jnp.bool_(True), init),
                              None, length=length)
    return tuple(out)


@defop("map")
def map_(*args, fn, num_elems, num_state=0):
    """`fn` on each slice along axis 0 of the first `num_elems` inputs, results stacked. Then
    `num_state` inputs of state carried from element to element (`fn` takes them after the
    slices and returns their new values after its results; the final values follow the stacked
    results), then closures."""
    fn = _fn(fn)
    elems, state = tuple(args[:num_elems]), tuple(args[num_elems:num_elems + num_state])
    extra = args[num_elems + num_state:]
    if not num_state:
        return tuple(lax.map(lambda xs: tuple(fn(*xs, *extra)), elems))

    def step(s, xs):
        out = tuple(fn(*xs, *s, *extra))
        return out[len(out) - num_state:], out[:len(out) - num_state]

    last, ys = lax.scan(step, state, elems)
    return tuple(ys) + tuple(last)


@defop("scan")
def scan(*args, fn, num_carry, num_elems, reverse=False, final=False, init_from_elems=False,
         num_state=0):
    """`carry = fn(*carry, *x)` over slices of the elems along axis 0 (in reverse with `reverse`).
    Inputs: the initial carry (absent with `init_from_elems`: the first, or with `reverse` the
    last, slice of the elems is the initial carry and is not scanned), the elems, `num_state`
    values of state (carried like the carry, not stacked: `fn` takes them after the slices and
    returns their new values after the carry; the final values follow the results), closures.
    Returns the stacked carries (with the initial one when `init_from_elems`), or with `final`
    only the last carry."""
    fn = _fn(fn)
    if init_from_elems:
        elems = tuple(args[:num_elems])
        rest = args[num_elems:]
        if reverse:
            init = tuple(e[-1] for e in elems)
            xs = tuple(e[:-1] for e in elems)
        else:
            init = tuple(e[0] for e in elems)
            xs = tuple(e[1:] for e in elems)
    else:
        init = tuple(args[:num_carry])
        xs = tuple(args[num_carry:num_carry + num_elems])
        rest = args[num_carry + num_elems:]
    state, extra = tuple(rest[:num_state]), rest[num_state:]

    def step(carry, x):
        c, s = carry
        new = tuple(fn(*c, *x, *s, *extra))
        c = new[:len(c)]
        return (c, new[len(c):]), (None if final else c)

    (last, state), ys = lax.scan(step, (init, state), xs, reverse=reverse)
    if final:
        return tuple(last) + tuple(state)
    if init_from_elems:
        if reverse:
            ys = tuple(jnp.concatenate([y, i[None]]) for y, i in zip(ys, init))
        else:
            ys = tuple(jnp.concatenate([i[None], y]) for y, i in zip(ys, init))
    return tuple(ys) + tuple(state)


@defop("vectorized_map")
def vectorized_map(*args, fn, num_elems):
    """`fn` vectorized (jax.vmap) over axis 0 of the first `num_elems` inputs."""
    fn = _fn(fn)
    elems, extra = args[:num_elems], args[num_elems:]
    return tuple(jax.vmap(lambda *xs: tuple(fn(*xs, *extra)))(*elems))


@defop("call")
def call(*operands, fn):
    """`fn(*operands)`: a function called from another (a nested tf.function)."""
    return tuple(_fn(fn)(*operands))
