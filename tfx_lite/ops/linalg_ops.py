"""tf.linalg: decompositions, solves, norms and matrix helpers (matmul lives in math_ops)."""
from __future__ import annotations

__all__: list = []
