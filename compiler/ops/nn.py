"""nn ops."""
from __future__ import annotations

import jax.numpy as jnp
from jax import lax

from compiler.ops.registry import defop


@defop("softmax")
def softmax(logits, *, axis=-1):
    import jax
    return jax.nn.softmax(logits, axis=axis)
