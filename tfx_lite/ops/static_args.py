"""Turning TF arguments that must be known when an op runs (axes, shapes, sizes) into the
hashable Python values the op table takes as attributes."""
from __future__ import annotations

import numpy as np

from compiler.fold import static_value as _folded
from tfx_lite.framework.op_call import invalid_argument
from tfx_lite.framework.tensor import EagerTensor, SymbolicTensor, Tensor


def known_array(t):
    """The numpy value of tensor `t` when it is known while a function is traced (an eager
    tensor, or a symbolic one computed from shapes and constants), else None."""
    if isinstance(t, SymbolicTensor):
        value = _folded(t._value)
        return None if value is None else np.asarray(value)
    return np.asarray(t._value)


def static_value(x, what: str = "argument"):
    """A Python int/list from an int, list, numpy array or eager tensor."""
    if isinstance(x, SymbolicTensor):
        raise TypeError(f"{what} must be known when the function is traced, got the symbolic "
                        f"tensor {x}; pass a Python value or a constant instead")
    if isinstance(x, EagerTensor):
        x = x.numpy()
    if hasattr(x, "__tf_tensor__"):
        x = x.__tf_tensor__(None, None).numpy()
    if isinstance(x, np.ndarray):
        return x.tolist()
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, (list, tuple)):
        return [static_value(v, what) for v in x]
    return x


def static_scalar(x, what: str = "argument"):
    """A Python number from a scalar-like argument (a one-element list or tensor included)."""
    value = static_value(x, what)
    if isinstance(value, list):
        value = np.asarray(value).item()
    return value


def normalize_axis(axis: int, rank: int, tf_name: str, message: str) -> int:
    """`axis` in [0, rank); outside [-rank, rank), op `tf_name`'s InvalidArgumentError saying
    `message`."""
    if not -rank <= axis < rank:
        raise invalid_argument(message, tf_name)
    return axis % rank


def axis_attr(axis, rank: int | None = None):
    """`axis` as None or a tuple of ints (negative axes kept, or made positive given `rank`)."""
    if axis is None:
        return None
    value = static_value(axis, "axis")
    axes = tuple(int(a) for a in (value if isinstance(value, list) else [value]))
    if rank is not None:
        for a in axes:
            if not -rank <= a < max(rank, 1):
                raise invalid_argument(f"Invalid reduction dimension ({a} for input with {rank} dimension(s)")
        axes = tuple(a % rank if rank else a for a in axes)
    return axes


def int_attr(x, what: str = "argument") -> int:
    """An int from an int-like scalar argument (a one-element list or tensor included)."""
    return int(static_scalar(x, what))


def shape_attr(shape, what: str = "shape") -> tuple:
    """A shape as a tuple of ints (-1 allowed where the op allows it)."""
    from tfx_lite.framework.tensor_shape import TensorShape
    if isinstance(shape, TensorShape):
        return tuple(-1 if d is None else d for d in shape.as_list())
    value = static_value(shape, what)
    if isinstance(value, int):
        return (value,)
    return tuple(int(-1 if d is None else d) for d in value)


def is_tensor_like(x) -> bool:
    return isinstance(x, Tensor) or hasattr(x, "__tf_tensor__")
