"""How an op's refusal of its inputs is reported, the same way eagerly and while tracing."""
from __future__ import annotations

import jax
import numpy as np


# In the message of the error raised when a traced shape would depend on tensor values.
VALUE_DEPENDENT = "depends on tensor values"


class OpInputError(Exception):
    """An op's implementation rejected its inputs. Front ends turn this into their own error
    types; `message` says what was wrong and what was expected; `tracing` tells whether it
    happened while a graph was built (TF reports those as ValueError, not as a run-time error)."""

    def __init__(self, op: str, message: str, tracing: bool = False):
        super().__init__(message)
        self.op = op
        self.message = message
        self.tracing = tracing


def rejection(op, shapes_and_dtypes, attrs: dict, err: Exception, tracing: bool) -> OpInputError:
    """The OpInputError for `err`, raised by op `op` on inputs of these (shape, dtype) pairs."""
    if op.explain is not None:
        message = op.explain(*[jax.ShapeDtypeStruct(s, np.dtype(d)) for s, d in shapes_and_dtypes], **attrs)
        if message:
            return OpInputError(op.name, message, tracing)
    return OpInputError(op.name, f"{op.name}: {err}", tracing)
