"""state ops."""
from __future__ import annotations

import jax.numpy as jnp
from jax import lax

from compiler.ops.registry import defop
