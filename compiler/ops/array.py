"""Creation, shape and indexing ops."""
from __future__ import annotations

import jax.numpy as jnp
import numpy as np
from jax import lax

from compiler.ops.registry import defop


@defop("const")
def const(*, value):
    """A constant embedded in a graph (never run eagerly: eager constants are plain arrays)."""
    return jnp.asarray(value)


@defop("reshape")
def reshape(x, *, shape):
    return jnp.reshape(x, shape)


@defop("gather")
def gather(params, indices, *, axis=0, batch_dims=0):
    return jnp.take(params, indices, axis=axis)


@defop("cast")
def cast(x, *, dtype):
    return x.astype(jnp.dtype(dtype))


def _decode_index(key):
    out = []
    for item in key:
        kind = item[0]
        out.append(item[1] if kind == "i" else slice(*item[1:]) if kind == "s"
                   else Ellipsis if kind == "e" else None)
    return tuple(out)


@defop("strided_slice", host_impl=lambda x, *, key: x[_decode_index(key)])
def strided_slice(x, *, key):
    """x[key], key encoded as ('i', n) | ('s', start, stop, step) | ('e',) | ('n',) items."""
    return x[_decode_index(key)]
