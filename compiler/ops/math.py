"""Elementwise math, comparisons and reductions."""
from __future__ import annotations

import jax.numpy as jnp
import numpy as np
from jax import lax

from compiler.ops.registry import defop


def _dims(shape) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


def explain_broadcast(x, y, **_):
    try:
        np.broadcast_shapes(x.shape, y.shape)
    except ValueError:
        return f"Incompatible shapes: {_dims(x.shape)} vs. {_dims(y.shape)}"
    return None


def _host_binary(fn):
    def host(x, y):
        return np.asarray(fn(np.asarray(x, dtype=object), np.asarray(y, dtype=object)), dtype=object)
    return host


def _host_compare(fn):
    def host(x, y):
        return np.asarray(fn(np.asarray(x, dtype=object), np.asarray(y, dtype=object)), dtype=bool)
    return host


# --- binary arithmetic ---
defop("add", explain=explain_broadcast, host_impl=_host_binary(np.add))(lambda x, y: x + y)
defop("sub", explain=explain_broadcast)(lambda x, y: x - y)
defop("mul", explain=explain_broadcast)(lambda x, y: x * y)
defop("truediv", explain=explain_broadcast)(lambda x, y: x / y)
defop("floordiv", explain=explain_broadcast)(jnp.floor_divide)
defop("floormod", explain=explain_broadcast)(jnp.remainder)
defop("pow", explain=explain_broadcast)(jnp.power)
defop("maximum", explain=explain_broadcast)(jnp.maximum)
defop("logical_and", explain=explain_broadcast)(jnp.logical_and)
defop("logical_or", explain=explain_broadcast)(jnp.logical_or)
defop("logical_xor", explain=explain_broadcast)(jnp.logical_xor)
defop("bitwise_and", explain=explain_broadcast)(jnp.bitwise_and)
defop("bitwise_or", explain=explain_broadcast)(jnp.bitwise_or)
defop("bitwise_xor", explain=explain_broadcast)(jnp.bitwise_xor)

# --- comparisons ---
defop("equal", explain=explain_broadcast, host_impl=_host_compare(np.equal))(jnp.equal)
defop("not_equal", explain=explain_broadcast, host_impl=_host_compare(np.not_equal))(jnp.not_equal)
defop("less", explain=explain_broadcast)(jnp.less)
defop("less_equal", explain=explain_broadcast)(jnp.less_equal)
defop("greater", explain=explain_broadcast)(jnp.greater)
defop("greater_equal", explain=explain_broadcast)(jnp.greater_equal)

# --- unary ---
defop("neg")(jnp.negative)
defop("abs")(jnp.abs)
defop("logical_not")(jnp.logical_not)
defop("bitwise_not")(jnp.invert)


# --- reductions (axis: None or a tuple of ints) ---
@defop("reduce_sum")
def reduce_sum(x, *, axis=None, keepdims=False):
    return jnp.sum(x, axis=axis, keepdims=keepdims)


@defop("reduce_max")
def reduce_max(x, *, axis=None, keepdims=False):
    return jnp.max(x, axis=axis, keepdims=keepdims)


@defop("argmax")
def argmax(x, *, axis, output_type):
    return jnp.argmax(x, axis=axis).astype(jnp.dtype(output_type))
