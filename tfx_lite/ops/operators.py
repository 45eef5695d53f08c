"""Python operators on Tensors and Variables, each one the TF op of the same meaning.

Installed once, after the ops exist (as TF's math_ops does with its operator overrides)."""
from __future__ import annotations

import numpy as np

from tfx_lite.framework.composite import CompositeTensor
from tfx_lite.framework.convert import constant, convert_to_tensor
from tfx_lite.framework.op_call import check_same_dtype, to_tensor
from tfx_lite.ops.static_args import is_tensor_like
from tfx_lite.framework.tensor import Tensor
from tfx_lite.ops import math_ops
from tfx_lite.variables import Variable


def _binary(fn, name=None):
    reflected = f"__r{name}__"

    def forward(self, other):
        try:
            return fn(self, other)
        except (TypeError, ValueError):
            # A composite with the reflected operator takes over (TF: dense * SparseTensor)
            if isinstance(other, CompositeTensor) and hasattr(type(other), reflected):
                return NotImplemented
            raise

    def reverse(self, other):
        return fn(other, self)

    return forward, reverse


def _compare(op, if_incompatible):
    """TF's `==`/`!=`: None compares unequal, and shapes that do not broadcast give a scalar
    answer instead of an error (TF's incompatible_shape_error=False)."""

    def compare(self, other):
        if other is None:
            return if_incompatible
        x = to_tensor(self)
        # Unlike arithmetic, a Python operand converts strictly to the tensor's dtype (TF).
        y = to_tensor(other) if is_tensor_like(other) else convert_to_tensor(other, dtype=x.dtype)
        if x.dtype is not y.dtype:
            check_same_dtype("Equal", (x, y))
        try:
            np.broadcast_shapes(x._value.shape, y._value.shape)
        except ValueError:
            return constant(if_incompatible)
        return op(x, y)

    return compare


def install():
    from tfx_lite.ops import slicing
    binary = {
        "add": math_ops.add, "sub": math_ops.subtract, "mul": math_ops.multiply,
        "truediv": math_ops.truediv, "floordiv": math_ops.floordiv, "mod": math_ops.floormod,
        "pow": math_ops.pow, "matmul": math_ops.matmul,
        "and": math_ops.logical_and_or_bitwise_and, "or": math_ops.logical_or_or_bitwise_or,
        "xor": math_ops.logical_xor_or_bitwise_xor,
    }
    comparisons = {"lt": math_ops.less, "le": math_ops.less_equal, "gt": math_ops.greater,
                   "ge": math_ops.greater_equal}
    unary = {"neg": math_ops.negative, "abs": math_ops.abs, "invert": math_ops.logical_not_or_bitwise_not,
             }
    for cls in (Tensor, Variable):
        for name, fn in binary.items():
            forward, reverse = _binary(fn, name)
            setattr(cls, f"__{name}__", forward)
            setattr(cls, f"__r{name}__", reverse)
        for name, fn in comparisons.items():
            setattr(cls, f"__{name}__", _binary(fn)[0])
        for name, fn in unary.items():
            setattr(cls, f"__{name}__", fn)
        cls.__radd__ = lambda self, other: math_ops.add_reflected(self, other)
        cls.__eq__ = _compare(math_ops.equal, False)
        cls.__ne__ = _compare(math_ops.not_equal, True)
    Tensor.__getitem__ = slicing.getitem
