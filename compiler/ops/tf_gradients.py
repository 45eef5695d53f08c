"""TensorFlow's gradient conventions where JAX's differ: at ties (relu at 0, maximum of equal
values), at NaN and at the kinks of piecewise functions. `tf_tangent(rule)` gives an
implementation TF's derivative through `jax.custom_jvp`, for real floating inputs (other dtypes
run the plain implementation)."""
from __future__ import annotations

import functools

import jax
import jax.numpy as jnp


def tf_tangent(rule):
    """Decorator: `fn(*arrays)` whose tangent is `rule(primals, output, tangents)`."""
    def wrap(fn):
        with_rule = jax.custom_jvp(fn)

        @with_rule.defjvp
        def jvp(primals, tangents):
            out = with_rule(*primals)
            return out, rule(primals, out, tangents).astype(out.dtype)

        @functools.wraps(fn)
        def dispatch(*args):
            if all(jnp.issubdtype(jnp.result_type(a), jnp.floating) for a in args):
                return with_rule(*args)
            return fn(*args)
        return dispatch
    return wrap


def where_first(condition):
    """For binary ops: the tangent of the first operand where `condition(x, y)`, else the
    second's (TF's MaximumGrad/MinimumGrad: ties go to the first operand)."""
    def rule(primals, out, tangents):
        x, y = primals
        tx, ty = tangents
        return jnp.where(condition(x, y), jnp.broadcast_to(tx, out.shape), jnp.broadcast_to(ty, out.shape))
    return rule
