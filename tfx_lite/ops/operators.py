"""Python operators on Tensors and Variables, each one the TF op of the same meaning.

Installed once, after the ops exist (as TF's math_ops does with its operator overrides)."""
from __future__ import annotations

from tfx_lite.framework.tensor import Tensor
from tfx_lite.ops import math_ops
from tfx_lite.variables import Variable


def _binary(fn):
    def forward(self, other):
        return fn(self, other)

    def reverse(self, other):
        return fn(other, self)

    return forward, reverse


def _not_comparable(other):
    return other is None or not isinstance(other, (Tensor, Variable, int, float, complex, bool, list, tuple)) \
        and not hasattr(other, "__array__")


def _eq(self, other):
    if _not_comparable(other):
        return False
    return math_ops.equal(self, other)


def _ne(self, other):
    if _not_comparable(other):
        return True
    return math_ops.not_equal(self, other)


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
             "pos": lambda x: x}
    for cls in (Tensor, Variable):
        for name, fn in binary.items():
            forward, reverse = _binary(fn)
            setattr(cls, f"__{name}__", forward)
            setattr(cls, f"__r{name}__", reverse)
        for name, fn in comparisons.items():
            setattr(cls, f"__{name}__", _binary(fn)[0])
        for name, fn in unary.items():
            setattr(cls, f"__{name}__", fn)
        cls.__eq__ = _eq
        cls.__ne__ = _ne
    Tensor.__getitem__ = slicing.getitem
