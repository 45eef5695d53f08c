"""Half-precision inputs computed in float32 (TF's kernels accumulate so; LAPACK has no half kernels)."""
from __future__ import annotations

import jax.numpy as jnp
import numpy as np

_HALF = (np.dtype(np.float16), np.dtype(jnp.bfloat16))


def upcast(x):
    """float16 and bfloat16 as float32; other dtypes unchanged."""
    return x.astype(jnp.float32) if x.dtype in _HALF else x
