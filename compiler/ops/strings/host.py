"""Host ops: how a string op is registered and what its numpy implementation works with.

JAX has no string type, so a string tensor is a numpy object array of bytes that lives on the
host. A host op is registered like any other (`bind` runs it), but its JAX implementation only
refuses: `bind` sends an op whose operands include an object array to its `host_impl`. Numeric
operands of ops that make strings (as_string, string_format, unicode_encode) have no string
operand to take them there, so callers pass them boxed with `host_operand` (a 0-d object array
holding the numpy array, which keeps its dtype).

Outputs: string results are object arrays of bytes; numeric results are device arrays, like the
results of every other op. Refusals raise `StringOpError` with TensorFlow's kernel message.
"""
from __future__ import annotations

import functools

import jax.numpy as jnp
import numpy as np

from compiler.errors import OpInputError
from compiler.ops.registry import defop


class StringOpError(OpInputError):
    """A string kernel refused its inputs; `kind` is TF's error class ("InvalidArgumentError",
    "OutOfRangeError" or "UnimplementedError")."""

    def __init__(self, op: str, message: str, kind: str = "InvalidArgumentError"):
        super().__init__(op, message)
        self.kind = kind


def host_operand(array):
    """A numeric numpy array boxed as a 0-d object array, so that `bind` takes the host path."""
    box = np.empty((), dtype=object)
    box[()] = np.asarray(array)
    return box


def _unbox(x):
    if isinstance(x, np.ndarray) and x.dtype == object and x.ndim == 0 and isinstance(x[()], np.ndarray):
        return x[()]
    return np.asarray(x)


def _out(result):
    """Host results as op results: bytes arrays stay on the host, numbers go to the device."""
    if isinstance(result, tuple):
        return tuple(_out(r) for r in result)
    if result.dtype == object:
        return result
    return jnp.asarray(result)


def host_op(name):
    """Register `fn` (a numpy function of unboxed inputs) as the host implementation of op
    `name`; its JAX implementation refuses (strings never reach JAX)."""
    def register(fn):
        def refuse(*args, **attrs):
            raise TypeError(f"op {name!r} runs on the host (string tensors): it has no JAX kernel")

        @functools.wraps(fn)
        def host(*args, **attrs):
            return _out(fn(*[_unbox(a) for a in args], **attrs))

        refuse.__doc__ = fn.__doc__
        defop(name, host_impl=host, host_only=True)(refuse)
        return fn
    return register


def string_array(values, shape=None) -> np.ndarray:
    """An object array of bytes from a list."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out if shape is None else out.reshape(shape)


def elementwise(x, fn, dtype=object) -> np.ndarray:
    """`fn` of each element of `x`, in an array of `x`'s shape (of bytes when `dtype` is object)."""
    flat = x.reshape(-1)
    if dtype is object:
        return string_array([fn(s) for s in flat], x.shape)
    return np.fromiter((fn(s) for s in flat), dtype=dtype, count=flat.size).reshape(x.shape)


def with_row_splits(rows, dtype=object):
    """A ragged result: (the items of `rows` concatenated, int64 row splits)."""
    values, splits = [], [0]
    for row in rows:
        values += row
        splits.append(len(values))
    flat = string_array(values) if dtype is object else np.asarray(values, dtype=dtype)
    return flat, np.asarray(splits, dtype=np.int64)


def utf8_text(data: bytes) -> str:
    """Bytes as text; invalid UTF-8 bytes become lone surrogates, so `utf8_bytes` restores them."""
    return data.decode("utf-8", "surrogateescape")


def utf8_bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def message_text(data: bytes) -> str:
    """Bytes in an error message, as TF's Python layer decodes the message."""
    return data.decode("utf-8", "replace")


def check_allowed(op, attr, value, allowed):
    if value not in allowed:
        raise StringOpError(op, f"Value for attr '{attr}' of \"{value}\" is not in the list of "
                                f"allowed values: " + ", ".join(f'"{a}"' for a in allowed))
