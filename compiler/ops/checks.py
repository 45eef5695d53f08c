"""Input checks shared by the op modules, and TF's way of printing shapes in their messages.

A check is a function of an op's inputs (arrays, tracers or ShapeDtypeStructs) and attributes
that raises `InvalidInput`, with TensorFlow's wording, when they break the op's contract.
`checked(check)` is the op's `explain`; the implementation calls the check too, so the kernel
refuses at trace time and a caller sees TF's message, never a JAX traceback.
"""
from __future__ import annotations

import numpy as np


class InvalidInput(ValueError):
    """An op's inputs break its contract (raised at trace time, with TF's wording)."""


def checked(check):
    """An `explain=` built from a check that raises InvalidInput."""

    def explain(*args, **attrs):
        try:
            check(*args, **attrs)
        except InvalidInput as err:
            return str(err)
        return None

    return explain


def dims(shape) -> str:
    """TF's way of printing a shape in kernel messages: [1,2,3] ("?" for an unknown dimension)."""
    return "[" + ",".join("?" if d is None else str(d) for d in shape) + "]"


def check_broadcast(*args, **_):
    """The inputs' shapes broadcast together."""
    try:
        np.broadcast_shapes(*[a.shape for a in args])
    except ValueError:
        raise InvalidInput("Incompatible shapes: " + " vs. ".join(dims(a.shape) for a in args)) from None


def check_reduction_axes(x, *, axis=None, **_):
    """Every axis in `axis` (None or a tuple) names a dimension of `x`."""
    rank = len(x.shape)
    for a in axis or ():
        if not -rank <= a < max(rank, 1):
            raise InvalidInput(f"Invalid reduction dimension ({a} for input with {rank} dimension(s)")
