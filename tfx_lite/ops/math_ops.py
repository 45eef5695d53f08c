"""TF's math ops (top level and tf.math): elementwise, comparisons, reductions, matmul."""
from __future__ import annotations

from tfx_lite.framework import dtypes
from tfx_lite.framework.op_call import binary_operands, call, call_binary, to_tensor
from tfx_lite.ops.static_args import axis_attr

__all__ = ["add", "subtract", "multiply", "truediv", "divide", "floordiv", "pow", "maximum",
           "negative", "abs", "equal", "not_equal", "less", "less_equal", "greater",
           "greater_equal", "logical_and", "logical_or", "logical_not", "logical_xor",
           "reduce_sum", "reduce_max", "argmax", "matmul"]


def add(x, y, name=None):
    return call_binary("AddV2", "add", x, y)


def subtract(x, y, name=None):
    return call_binary("Sub", "sub", x, y)


def multiply(x, y, name=None):
    return call_binary("Mul", "mul", x, y)


def maximum(x, y, name=None):
    return call_binary("Maximum", "maximum", x, y)


def _reduce(tf_name, op, input_tensor, axis, keepdims):
    x = to_tensor(input_tensor)
    return call(tf_name, op, x, axis=axis_attr(axis, x.ndim), keepdims=bool(keepdims))


def reduce_sum(input_tensor, axis=None, keepdims=False, name=None):
    return _reduce("Sum", "reduce_sum", input_tensor, axis, keepdims)


def reduce_max(input_tensor, axis=None, keepdims=False, name=None):
    return _reduce("Max", "reduce_max", input_tensor, axis, keepdims)


def argmax(input, axis=None, output_type=dtypes.int64, name=None):
    x = to_tensor(input)
    axis = 0 if axis is None else axis_attr(axis, x.ndim)[0]
    return call("ArgMax", "argmax", x, axis=axis, output_type=dtypes.as_dtype(output_type).name)


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, output_type=None, grad_a=False, grad_b=False, name=None):
    a, b = binary_operands("MatMul", a, b)
    return call("MatMul", "matmul", a, b, transpose_a=transpose_a, transpose_b=transpose_b,
                adjoint_a=adjoint_a, adjoint_b=adjoint_b)


def truediv(x, y, name=None):
    x, y = binary_operands("RealDiv", x, y)
    if x.dtype.is_integer:  # TF divides integers in floating point (int8/16 -> float32, else float64)
        target = dtypes.float32 if x.dtype.size <= 2 else dtypes.float64
        x, y = cast(x, target), cast(y, target)
    return call("RealDiv", "truediv", x, y)


divide = truediv


def floordiv(x, y, name=None):
    return call_binary("FloorDiv", "floordiv", x, y)


def floormod(x, y, name=None):
    return call_binary("FloorMod", "floormod", x, y)


mod = floormod


def pow(x, y, name=None):  # noqa: A001
    return call_binary("Pow", "pow", x, y)


def negative(x, name=None):
    return call("Neg", "neg", to_tensor(x))


def abs(x, name=None):  # noqa: A001
    return call("Abs", "abs", to_tensor(x))


def equal(x, y, name=None):
    return call_binary("Equal", "equal", x, y)


def not_equal(x, y, name=None):
    return call_binary("NotEqual", "not_equal", x, y)


def less(x, y, name=None):
    return call_binary("Less", "less", x, y)


def less_equal(x, y, name=None):
    return call_binary("LessEqual", "less_equal", x, y)


def greater(x, y, name=None):
    return call_binary("Greater", "greater", x, y)


def greater_equal(x, y, name=None):
    return call_binary("GreaterEqual", "greater_equal", x, y)


def logical_and(x, y, name=None):
    return call_binary("LogicalAnd", "logical_and", x, y)


def logical_or(x, y, name=None):
    return call_binary("LogicalOr", "logical_or", x, y)


def logical_xor(x, y, name="LogicalXor"):
    return call_binary("LogicalXor", "logical_xor", x, y)


def logical_not(x, name=None):
    return call("LogicalNot", "logical_not", to_tensor(x))


def _bool_or_bitwise(logical, bitwise, tf_names):
    def op(x, y):
        x, y = binary_operands(tf_names[0], x, y)
        if x.dtype is dtypes.bool:
            return call(tf_names[0], logical, x, y)
        return call(tf_names[1], bitwise, x, y)
    return op


logical_and_or_bitwise_and = _bool_or_bitwise("logical_and", "bitwise_and", ("LogicalAnd", "BitwiseAnd"))
logical_or_or_bitwise_or = _bool_or_bitwise("logical_or", "bitwise_or", ("LogicalOr", "BitwiseOr"))
logical_xor_or_bitwise_xor = _bool_or_bitwise("logical_xor", "bitwise_xor", ("LogicalXor", "BitwiseXor"))


def logical_not_or_bitwise_not(x):
    x = to_tensor(x)
    return call("LogicalNot", "logical_not", x) if x.dtype is dtypes.bool else call("Invert", "bitwise_not", x)


def cast(x, dtype, name=None):
    from tfx_lite.ops.array_ops import cast as array_cast
    return array_cast(x, dtype)
