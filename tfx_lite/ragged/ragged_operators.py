"""Python operators on RaggedTensors: each one the TF op of the same meaning, which dispatches
to the ragged handlers (as TF's ragged_operators does)."""
from __future__ import annotations

from tfx_lite.ops import math_ops
from tfx_lite.ragged.ragged_elementwise import binary_handler
from tfx_lite.ragged.ragged_tensor import RaggedTensor


def _equality(op, if_incompatible):
    """`==` / `!=`: elementwise when the partitions match, else a Python bool (TF)."""
    def compare(self, other):
        if other is None:
            return if_incompatible
        try:
            return op(self, other)
        except Exception:  # noqa: BLE001  (TF answers a Python bool for incompatible operands)
            return if_incompatible
    return compare


def install():
    binary = {
        "add": math_ops.add, "sub": math_ops.subtract, "mul": math_ops.multiply,
        "truediv": math_ops.truediv, "floordiv": math_ops.floordiv, "mod": math_ops.floormod,
        "pow": math_ops.pow,
        # logical on bool values, bitwise on integers, as on Tensors
        "and": binary_handler(math_ops.logical_and_or_bitwise_and),
        "or": binary_handler(math_ops.logical_or_or_bitwise_or),
        "xor": binary_handler(math_ops.logical_xor_or_bitwise_xor),
    }
    for name, fn in binary.items():
        setattr(RaggedTensor, f"__{name}__", lambda self, other, fn=fn: fn(self, other))
        setattr(RaggedTensor, f"__r{name}__", lambda self, other, fn=fn: fn(other, self))
    for name, fn in {"lt": math_ops.less, "le": math_ops.less_equal, "gt": math_ops.greater,
                     "ge": math_ops.greater_equal}.items():
        setattr(RaggedTensor, f"__{name}__", lambda self, other, fn=fn: fn(self, other))
    RaggedTensor.__neg__ = lambda self: math_ops.negative(self)
    RaggedTensor.__abs__ = lambda self: math_ops.abs(self)
    RaggedTensor.__invert__ = lambda self: self.with_flat_values(~self.flat_values)
    RaggedTensor.__eq__ = _equality(math_ops.equal, False)
    RaggedTensor.__ne__ = _equality(math_ops.not_equal, True)
