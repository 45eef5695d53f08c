"""TF's math ops (top level and tf.math): elementwise, comparisons, reductions, scans, sorting,
segments, matmul/tensordot/einsum.

Conversion follows TF's eager fast path: a non-tensor operand is converted to the dtype of the
tensor operand and it is a TypeError when it cannot be (`tf.constant(1) - 2.5`); two tensors of
different dtypes are an InvalidArgumentError (TF never promotes). `tf.add` alone converts with a
dtype hint, so there a mismatch is an InvalidArgumentError either way, as in TF. Each op checks
its input dtype against TF's allowed list (InvalidArgumentError naming the allowed types), or
TF's missing CPU kernels (NotFoundError).
"""
from __future__ import annotations

import builtins
import collections

import numpy as np

from compiler.ops.checks import dims
from tfx_lite.framework import dtypes, errors
from tfx_lite.framework.composite import CompositeTensor
from tfx_lite.framework.convert import convert_to_tensor, scalar_tensor
from tfx_lite.framework.dispatch import add_dispatch_support, add_dispatch_support_to
from tfx_lite.framework.op_call import (binary_operands, call, check_same_dtype, invalid_argument,
                                        kernel_type_name, to_tensor)
from tfx_lite.framework.tensor import EagerTensor, Tensor
from tfx_lite.ops.static_args import normalize_axis, static_value

__all__ = [
    "abs", "acos", "acosh", "add", "add_n", "argmax", "argmin", "argsort", "asin", "asinh", "atan",
    "atan2", "atanh", "clip_by_value", "cos", "cosh", "cumsum", "divide", "einsum", "equal", "exp",
    "floor", "greater", "greater_equal", "less", "less_equal", "logical_and", "logical_not",
    "logical_or", "matmul", "maximum", "minimum", "multiply", "negative", "not_equal", "pow",
    "realdiv", "reduce_all", "reduce_any", "reduce_logsumexp", "reduce_max", "reduce_mean",
    "reduce_min", "reduce_prod", "reduce_sum", "round", "scalar_mul", "sigmoid", "sign", "sin",
    "sinh", "sort", "sqrt", "square", "subtract", "tan", "tanh", "tensordot", "truediv",
    "truncatediv", "truncatemod",
]

# Names that only tf.math has (tfx_lite/math.py exports them with the ones above).
MATH_ONLY = [
    "angle", "bessel_i0", "bessel_i0e", "bessel_i1", "bessel_i1e", "betainc", "bincount", "ceil",
    "conj", "count_nonzero", "cumprod", "cumulative_logsumexp", "digamma", "divide_no_nan", "erf",
    "erfc", "erfcinv", "erfinv", "expm1", "floordiv", "floormod", "igamma", "igammac", "imag",
    "is_finite", "is_inf", "is_nan", "is_non_decreasing", "is_strictly_increasing", "lgamma", "log",
    "log1p", "log_sigmoid", "logical_xor", "mod", "multiply_no_nan", "ndtri", "nextafter",
    "polygamma", "real", "reciprocal", "reciprocal_no_nan", "reduce_euclidean_norm", "reduce_std",
    "reduce_variance", "rint", "rsqrt", "segment_max", "segment_mean", "segment_min",
    "segment_prod", "segment_sum", "softplus", "softsign", "squared_difference", "top_k",
    "unsorted_segment_max", "unsorted_segment_mean", "unsorted_segment_min",
    "unsorted_segment_prod", "unsorted_segment_sqrt_n", "unsorted_segment_sum", "xdivy", "xlog1py",
    "xlogy", "zero_fraction", "zeta",
]

# --- dtype rules ------------------------------------------------------------------------------
_d = dtypes
FLOAT = (_d.bfloat16, _d.float16, _d.float32, _d.float64)
COMPLEX = (_d.complex64, _d.complex128)
SINT = (_d.int8, _d.int16, _d.int32, _d.int64)
UINT = (_d.uint8, _d.uint16, _d.uint32, _d.uint64)
INT = SINT + UINT
REAL = FLOAT + INT
NUMERIC = REAL + COMPLEX
ALL = NUMERIC + (_d.bool, _d.string)

class _Types:
    """The dtypes an op accepts: `allowed` is TF's op definition (others: InvalidArgumentError),
    `no_kernel` those TF defines but has no CPU kernel for (NotFoundError)."""

    __slots__ = ("ok", "allowed", "attr", "fixed")

    def __init__(self, allowed, no_kernel=(), attr="T", fixed=False):
        self.allowed = tuple(allowed)
        self.ok = frozenset(allowed) - frozenset(no_kernel)
        self.attr = attr
        self.fixed = fixed  # the input has one fixed type (e.g. bool), not a type attribute

    def fail(self, tf_name, dtype, index=0):
        if self.fixed:
            raise invalid_argument(f"cannot compute {tf_name} as input #{index}(zero-based) was expected to be "
                                   f"a {kernel_type_name(self.allowed[0])} tensor but is a "
                                   f"{kernel_type_name(dtype)} tensor", tf_name)
        if dtype in self.allowed:
            raise errors.NotFoundError(
                None, None, f"Could not find device for node: {{{{node {tf_name}}}}} = "
                            f"{tf_name}[{self.attr}=DT_{kernel_type_name(dtype).upper()}]: no CPU kernel for "
                            f"{tf_name} on {dtype.name}")
        raise invalid_argument(f"Value for attr '{self.attr}' of {kernel_type_name(dtype)} is not in the list "
                               f"of allowed values: {', '.join(kernel_type_name(d) for d in self.allowed)}",
                               tf_name)


def _check(tf_name, x, types: _Types, index=0):
    if x.dtype not in types.ok:
        types.fail(tf_name, x.dtype, index)


class _Typed:
    """Something with a dtype, for checking dtype attributes with the input rules."""
    __slots__ = ("dtype",)

    def __init__(self, dtype):
        self.dtype = dtype


T_NUMERIC = _Types(NUMERIC)
T_REAL = _Types(REAL)
T_FLOAT = _Types(FLOAT)
T_FLOAT_COMPLEX = _Types(FLOAT + COMPLEX)
T_SIGNED = _Types(FLOAT + SINT + COMPLEX)
T_BOOL = _Types((_d.bool,), fixed=True)
T_BITWISE = _Types(INT)
T_ALL = _Types(ALL)
T_MATMUL = _Types(FLOAT + (_d.int32, _d.int64) + UINT + COMPLEX, no_kernel=UINT)


# --- operand conversion -----------------------------------------------------------------------
def _tensor_or_value(x):
    """Tensor-likes (Variables, ...) as Tensors; other values unchanged."""
    if not isinstance(x, Tensor) and hasattr(x, "__tf_tensor__"):
        return convert_to_tensor(x)
    return x


def _convert_like(value, dtype):
    """`value` (not a tensor) as a tensor of `dtype`: TypeError when it cannot be, as in TF
    (convert.py applies TF's refusals: no float to an integer, no number to bool, ...)."""
    kind = type(value)
    if kind is int or kind is float or kind is builtins.bool:
        return scalar_tensor(value, dtype)  # cached; refusals are checked on a cache miss
    try:
        return convert_to_tensor(value, dtype=dtype)
    except ValueError as err:
        if "non-rectangular" in str(err) or "None" in str(err) or isinstance(value, CompositeTensor):
            raise  # (a SparseTensor operand: TF's conversion ValueError)
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dtype.name}") from None


def _operands(tf_name, x, y, mismatch=None):
    """Both operands of a binary op as tensors of one dtype (TF's fast-path conversion)."""
    x = _tensor_or_value(x)
    y = _tensor_or_value(y)
    if isinstance(x, Tensor):
        if not isinstance(y, Tensor):
            y = _convert_like(y, x.dtype)
        elif y.dtype is not x.dtype:
            if mismatch is not None:
                mismatch(x, y)
            check_same_dtype(tf_name, (x, y))
    elif isinstance(y, Tensor):
        x = _convert_like(x, y.dtype)
    else:
        x = to_tensor(x)
        y = _convert_like(y, x.dtype)
    return x, y


def _binary(py_name, tf_name, op, types, doc):
    def fn(x, y, name=None):
        x, y = _operands(tf_name, x, y)
        if x.dtype not in types.ok:
            types.fail(tf_name, x.dtype)
        return call(tf_name, op, x, y)
    fn.__name__ = fn.__qualname__ = py_name
    fn.__doc__ = doc
    return add_dispatch_support(fn)


def _unary(py_name, tf_name, op, types, doc):
    def fn(x, name=None):
        x = to_tensor(x)
        if x.dtype not in types.ok:
            types.fail(tf_name, x.dtype)
        return call(tf_name, op, x)
    fn.__name__ = fn.__qualname__ = py_name
    fn.__doc__ = doc
    return add_dispatch_support(fn)


def _shape(x) -> tuple:
    return tuple(x._value.shape)


# --- binary arithmetic ------------------------------------------------------------------------
_T_ADD = _Types(NUMERIC + (_d.string,))


@add_dispatch_support
def add(x, y, name=None):
    """x + y with broadcasting (strings concatenate). Non-tensors take the other side's dtype."""
    x, y = binary_operands("AddV2", x, y)
    if x.dtype not in _T_ADD.ok:
        _T_ADD.fail("AddV2", x.dtype)
    return call("AddV2", "add", x, y)


def add_reflected(x, y):
    """`y + x` for the reflected operator (`2.5 + t` calls t.__radd__(2.5)): TF converts the
    Python side strictly to the tensor's dtype here (a TypeError for 2.5 and an int tensor),
    where tf.add(2.5, t) is an InvalidArgumentError."""
    x, y = _operands("AddV2", x, y)
    if x.dtype not in _T_ADD.ok:
        _T_ADD.fail("AddV2", x.dtype)
    return call("AddV2", "add", y, x)


subtract = _binary("subtract", "Sub", "sub", T_NUMERIC, "x - y with broadcasting.")
multiply = _binary("multiply", "Mul", "mul", T_NUMERIC, "x * y with broadcasting.")
maximum = _binary("maximum", "Maximum", "maximum", T_REAL, "Elementwise max (NaN propagates).")
minimum = _binary("minimum", "Minimum", "minimum", T_REAL, "Elementwise min (NaN propagates).")
squared_difference = _binary("squared_difference", "SquaredDifference", "squared_difference",
                             _Types(FLOAT + (_d.int32, _d.int64) + COMPLEX),
                             "(x - y) * conj(x - y).")
multiply_no_nan = _binary("multiply_no_nan", "MulNoNan", "multiply_no_nan", T_FLOAT_COMPLEX,
                          "x * y, and 0 where y == 0 (even if x is NaN or infinite).")
xlogy = _binary("xlogy", "Xlogy", "xlogy", T_FLOAT_COMPLEX, "x * log(y), 0 where x == 0.")
xlog1py = _binary("xlog1py", "Xlog1py", "xlog1py", T_FLOAT_COMPLEX, "x * log1p(y), 0 where x == 0.")
xdivy = _binary("xdivy", "Xdivy", "xdivy", T_FLOAT_COMPLEX, "x / y, 0 where x == 0.")


@add_dispatch_support
def atan2(y, x, name=None):
    """atan(y / x), in the quadrant of (x, y)."""
    y, x = _operands("Atan2", y, x)
    _check("Atan2", y, T_FLOAT)
    return call("Atan2", "atan2", y, x)


_T_F32_F64 = _Types((_d.float32, _d.float64))
_nextafter = _binary("nextafter", "NextAfter", "nextafter", _Types((_d.float64, _d.float32)), "")
_igamma = _binary("igamma", "Igamma", "igamma", T_FLOAT, "")
_igammac = _binary("igammac", "Igammac", "igammac", T_FLOAT, "")
_zeta = _binary("zeta", "Zeta", "zeta", _T_F32_F64, "")
_polygamma = _binary("polygamma", "Polygamma", "polygamma", _T_F32_F64, "")


def nextafter(x1, x2, name=None):
    """The next representable value of x1 towards x2."""
    return _nextafter(x1, x2)


def igamma(a, x, name=None):
    """The lower regularized incomplete gamma function P(a, x)."""
    return _igamma(a, x)


def igammac(a, x, name=None):
    """The upper regularized incomplete gamma function Q(a, x)."""
    return _igammac(a, x)


def zeta(x, q, name=None):
    """The Hurwitz zeta function."""
    return _zeta(x, q)


def polygamma(a, x, name=None):
    """The polygamma function of order a at x (NaN where a is not a non-negative integer)."""
    return _polygamma(a, x)


def betainc(a, b, x, name=None):
    """The regularized incomplete beta function I_x(a, b)."""
    a = to_tensor(_tensor_or_value(a))
    b = _convert_like(b, a.dtype) if not isinstance(_tensor_or_value(b), Tensor) else _tensor_or_value(b)
    x = _convert_like(x, a.dtype) if not isinstance(_tensor_or_value(x), Tensor) else _tensor_or_value(x)
    check_same_dtype("Betainc", (a, b, x))
    _check("Betainc", a, _T_F32_F64)
    shape = _shape(a)
    for t in (b, x):
        if _shape(t) and shape and _shape(t) != shape:
            raise invalid_argument(f"Shapes of a, b and x are inconsistent: {dims(_shape(a))} vs. "
                                   f"{dims(_shape(b))} vs. {dims(_shape(x))}", "Betainc")
        shape = shape or _shape(t)
    return call("Betainc", "betainc", a, b, x)


def _truediv_dtype(dtype):
    """TF's truediv: 8/16-bit integers divide in float32, wider ones in float64."""
    if dtype.is_integer:
        return "float32" if dtype.size <= 2 else "float64"
    return None


def _divide_mismatch(x, y):
    raise TypeError(f"`x` and `y` must have the same dtype, got {x.dtype!r} != {y.dtype!r}.")


@add_dispatch_support
def truediv(x, y, name=None):
    """x / y; integers are divided in floating point (int8/int16 -> float32, wider -> float64)."""
    x, y = _operands("RealDiv", x, y, _divide_mismatch)
    dtype = x.dtype
    if dtype.is_integer:
        return call("RealDiv", "truediv", x, y, dtype="float32" if dtype.size <= 2 else "float64")
    if dtype not in T_NUMERIC.ok:
        raise TypeError(f"Invalid dtype {dtype!r} in __truediv__")
    return call("RealDiv", "truediv", x, y)


@add_dispatch_support
def divide(x, y, name=None):
    """x / y (Python's true division: integers give floats)."""
    return truediv(x, y)


@add_dispatch_support
def divide_no_nan(x, y, name=None):
    """x / y, and 0 where y == 0; integers are divided in floating point as in truediv."""
    x, y = _operands("DivNoNan", x, y, _divide_mismatch)
    dtype = x.dtype
    if dtype.is_integer:
        return call("DivNoNan", "divide_no_nan", x, y, dtype=_truediv_dtype(dtype))
    if dtype not in T_FLOAT_COMPLEX.ok:
        raise TypeError(f"Invalid dtype {dtype!r} in divide_no_nan")
    return call("DivNoNan", "divide_no_nan", x, y)


realdiv = _binary("realdiv", "RealDiv", "realdiv", _Types(NUMERIC, no_kernel=INT),
                  "x / y for floating-point and complex tensors.")


def _check_divisor(tf_name, y, original):
    """TF's CPU kernels refuse integer division by zero (checked when the divisor is known)."""
    if type(original) is int:
        zero = original == 0
    else:
        zero = isinstance(y, EagerTensor) and not np.all(np.asarray(y._value))
    if zero:
        if tf_name.startswith("Truncate"):
            raise errors.InternalError(None, None, "Unexpected error in binary operator (only integer "
                                                   f"div and mod should have errors) [Op:{tf_name}]")
        raise invalid_argument("Integer division by zero", tf_name)


def _int_division(py_name, tf_name, op, types, doc):
    def fn(x, y, name=None):
        original = y
        x, y = _operands(tf_name, x, y)
        if x.dtype not in types.ok:
            types.fail(tf_name, x.dtype)
        if x.dtype.is_integer:
            _check_divisor(tf_name, y, original)
        return call(tf_name, op, x, y)
    fn.__name__ = fn.__qualname__ = py_name
    fn.__doc__ = doc
    return add_dispatch_support(fn)


floordiv = _int_division("floordiv", "FloorDiv", "floordiv", _Types(NUMERIC, no_kernel=COMPLEX),
                         "floor(x / y) (Python's //).")
floormod = _int_division("floormod", "FloorMod", "floormod", T_REAL,
                         "x - floor(x / y) * y: the result has the divisor's sign, as Python's %.")
mod = floormod
truncatediv = _int_division("truncatediv", "TruncateDiv", "truncatediv",
                            _Types(NUMERIC, no_kernel=COMPLEX), "x / y rounded towards zero (C's /).")
truncatemod = _int_division("truncatemod", "TruncateMod", "truncatemod",
                            _Types((_d.int32, _d.int64, _d.bfloat16, _d.float16, _d.float32, _d.float64),
                                   no_kernel=(_d.bfloat16, _d.float16)),
                            "The remainder of truncated division (C's %): it has x's sign.")


@add_dispatch_support
def pow(x, y, name=None):  # noqa: A001  (TensorFlow's name)
    """x ** y. Integers to negative integer powers are an error, as in TF."""
    original = y
    x, y = _operands("Pow", x, y)
    if x.dtype not in T_SIGNED.ok:
        T_SIGNED.fail("Pow", x.dtype)
    if x.dtype.is_integer:
        if type(original) is int:
            negative = original < 0
        else:
            negative = isinstance(y, EagerTensor) and bool(np.any(np.asarray(y._value) < 0))
        if negative:
            raise invalid_argument("Integers to negative integer powers are not allowed", "Pow")
    return call("Pow", "pow", x, y)


@add_dispatch_support
def scalar_mul(scalar, x, name=None):
    """scalar * x, where `scalar` must be 0-D."""
    x = _tensor_or_value(x)
    x = x if isinstance(x, Tensor) else to_tensor(x)
    s = _tensor_or_value(scalar)
    s = _convert_like(s, x.dtype) if not isinstance(s, Tensor) else s
    if s._value.shape != ():
        raise ValueError(f"The input scalar must be a 0-D value. Received shape {s.shape}.")
    return multiply(s, x)


# --- comparisons and logic ----------------------------------------------------------------------
equal = _binary("equal", "Equal", "equal", T_ALL, "x == y elementwise (bool).")
not_equal = _binary("not_equal", "NotEqual", "not_equal", T_ALL, "x != y elementwise (bool).")
less = _binary("less", "Less", "less", T_REAL, "x < y elementwise (bool).")
less_equal = _binary("less_equal", "LessEqual", "less_equal", T_REAL, "x <= y elementwise (bool).")
greater = _binary("greater", "Greater", "greater", T_REAL, "x > y elementwise (bool).")
greater_equal = _binary("greater_equal", "GreaterEqual", "greater_equal", T_REAL,
                        "x >= y elementwise (bool).")
logical_and = _binary("logical_and", "LogicalAnd", "logical_and", T_BOOL, "x AND y (bool tensors).")
logical_or = _binary("logical_or", "LogicalOr", "logical_or", T_BOOL, "x OR y (bool tensors).")


@add_dispatch_support
def logical_xor(x, y, name="LogicalXor"):
    """x XOR y (bool tensors)."""
    x, y = _operands("LogicalXor", x, y)
    if x.dtype is not _d.bool:
        T_BOOL.fail("LogicalXor", x.dtype)
    return call("LogicalXor", "logical_xor", x, y)


@add_dispatch_support
def logical_not(x, name=None):
    """NOT x (a bool tensor)."""
    x = to_tensor(x)
    if x.dtype is not _d.bool:
        T_BOOL.fail("LogicalNot", x.dtype)
    return call("LogicalNot", "logical_not", x)


def _bool_or_bitwise(logical, bitwise, tf_names):
    def op(x, y):
        x, y = _operands(tf_names[0], x, y)
        if x.dtype is _d.bool:
            return call(tf_names[0], logical, x, y)
        if x.dtype not in T_BITWISE.ok:
            T_BITWISE.fail(tf_names[1], x.dtype)
        return call(tf_names[1], bitwise, x, y)
    return op


# Used by the `&`, `|`, `^` and `~` operators: logical on bool tensors, bitwise on integers.
logical_and_or_bitwise_and = _bool_or_bitwise("logical_and", "bitwise_and", ("LogicalAnd", "BitwiseAnd"))
logical_or_or_bitwise_or = _bool_or_bitwise("logical_or", "bitwise_or", ("LogicalOr", "BitwiseOr"))
logical_xor_or_bitwise_xor = _bool_or_bitwise("logical_xor", "bitwise_xor", ("LogicalXor", "BitwiseXor"))


def logical_not_or_bitwise_not(x):
    x = to_tensor(x)
    if x.dtype is _d.bool:
        return call("LogicalNot", "logical_not", x)
    if x.dtype not in T_BITWISE.ok:
        T_BITWISE.fail("Invert", x.dtype)
    return call("Invert", "bitwise_not", x)


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """min(max(t, clip_value_min), clip_value_max), keeping t's shape (where min > max: min)."""
    t = _tensor_or_value(t)
    t = t if isinstance(t, Tensor) else to_tensor(t)
    _, hi = _operands("Minimum", t, clip_value_max)
    _, lo = _operands("Maximum", t, clip_value_min)
    if t.dtype not in T_REAL.ok:
        T_REAL.fail("Minimum", t.dtype)
    shape = _shape(t)
    if any(d is None for d in (*shape, *_shape(hi), *_shape(lo))):  # unknown dims: the op checks
        return call("ClipByValue", "clip_by_value", t, lo, hi)
    for tf_name, bound in (("Minimum", hi), ("Maximum", lo)):
        try:
            shape = np.broadcast_shapes(shape, _shape(bound))
        except ValueError:
            raise invalid_argument(f"Incompatible shapes: {dims(shape)} vs. {dims(_shape(bound))}",
                                   tf_name) from None
    if shape != _shape(t):
        raise ValueError(f"Shapes {t.shape} and {tuple(shape)} are incompatible")
    return call("ClipByValue", "clip_by_value", t, lo, hi)


# --- unary ----------------------------------------------------------------------------------------
negative = _unary("negative", "Neg", "neg", T_SIGNED, "-x.")
sign = _unary("sign", "Sign", "sign", T_SIGNED, "-1, 0 or 1 (x / |x| for complex, 0 at 0).")
square = _unary("square", "Square", "square", T_NUMERIC, "x * x.")
sqrt = _unary("sqrt", "Sqrt", "sqrt", T_FLOAT_COMPLEX, "Square root.")
rsqrt = _unary("rsqrt", "Rsqrt", "rsqrt", T_FLOAT_COMPLEX, "1 / sqrt(x).")
exp = _unary("exp", "Exp", "exp", T_FLOAT_COMPLEX, "e ** x.")
expm1 = _unary("expm1", "Expm1", "expm1", T_FLOAT_COMPLEX, "e ** x - 1.")
log = _unary("log", "Log", "log", T_FLOAT_COMPLEX, "Natural logarithm.")
log1p = _unary("log1p", "Log1p", "log1p", T_FLOAT_COMPLEX, "log(1 + x).")
sin = _unary("sin", "Sin", "sin", T_FLOAT_COMPLEX, "Sine.")
cos = _unary("cos", "Cos", "cos", T_FLOAT_COMPLEX, "Cosine.")
tan = _unary("tan", "Tan", "tan", T_FLOAT_COMPLEX, "Tangent.")
asin = _unary("asin", "Asin", "asin", T_FLOAT_COMPLEX, "Inverse sine.")
acos = _unary("acos", "Acos", "acos", T_FLOAT_COMPLEX, "Inverse cosine.")
atan = _unary("atan", "Atan", "atan", T_FLOAT_COMPLEX, "Inverse tangent.")
sinh = _unary("sinh", "Sinh", "sinh", T_FLOAT_COMPLEX, "Hyperbolic sine.")
cosh = _unary("cosh", "Cosh", "cosh", T_FLOAT_COMPLEX, "Hyperbolic cosine.")
tanh = _unary("tanh", "Tanh", "tanh", T_FLOAT_COMPLEX, "Hyperbolic tangent.")
asinh = _unary("asinh", "Asinh", "asinh", T_FLOAT_COMPLEX, "Inverse hyperbolic sine.")
acosh = _unary("acosh", "Acosh", "acosh", T_FLOAT_COMPLEX, "Inverse hyperbolic cosine.")
atanh = _unary("atanh", "Atanh", "atanh", T_FLOAT_COMPLEX, "Inverse hyperbolic tangent.")
sigmoid = _unary("sigmoid", "Sigmoid", "sigmoid", T_FLOAT_COMPLEX, "1 / (1 + exp(-x)).")
rint = _unary("rint", "Rint", "rint", _Types((_d.bfloat16, _d.float16, _d.float32, _d.float64),
                                              no_kernel=(_d.bfloat16, _d.float16)),
              "Round half to even (floats only).")
floor = _unary("floor", "Floor", "floor", T_FLOAT, "Largest integer not greater than x.")
ceil = _unary("ceil", "Ceil", "ceil", T_FLOAT, "Smallest integer not less than x.")
reciprocal = _unary("reciprocal", "Reciprocal", "reciprocal", _Types(FLOAT + SINT + COMPLEX, no_kernel=SINT),
                    "1 / x.")
is_nan = _unary("is_nan", "IsNan", "is_nan", T_FLOAT, "Whether x is NaN.")
is_finite = _unary("is_finite", "IsFinite", "is_finite", T_FLOAT, "Whether x is finite.")
is_inf = _unary("is_inf", "IsInf", "is_inf", T_FLOAT, "Whether x is +-inf.")
erf = _unary("erf", "Erf", "erf", T_FLOAT, "Gauss error function.")
erfc = _unary("erfc", "Erfc", "erfc", T_FLOAT, "Complementary error function.")
erfinv = _unary("erfinv", "Erfinv", "erfinv", T_FLOAT, "Inverse error function.")
erfcinv = _unary("erfcinv", "Erfcinv", "erfcinv", T_FLOAT, "Inverse complementary error function.")
ndtri = _unary("ndtri", "Ndtri", "ndtri", T_FLOAT, "Inverse of the standard normal CDF.")
lgamma = _unary("lgamma", "Lgamma", "lgamma", _Types(FLOAT, no_kernel=(_d.bfloat16,)),
                "log(|gamma(x)|).")
digamma = _unary("digamma", "Digamma", "digamma", _Types(FLOAT, no_kernel=(_d.bfloat16,)),
                 "Derivative of lgamma.")
bessel_i0 = _unary("bessel_i0", "BesselI0", "bessel_i0", T_FLOAT, "Modified Bessel function I0.")
bessel_i0e = _unary("bessel_i0e", "BesselI0e", "bessel_i0e", T_FLOAT, "Scaled modified Bessel I0.")
bessel_i1 = _unary("bessel_i1", "BesselI1", "bessel_i1", T_FLOAT, "Modified Bessel function I1.")
bessel_i1e = _unary("bessel_i1e", "BesselI1e", "bessel_i1e", T_FLOAT, "Scaled modified Bessel I1.")
log_sigmoid = _unary("log_sigmoid", "LogSigmoid", "log_sigmoid", T_FLOAT, "log(sigmoid(x)), stably.")


@add_dispatch_support
def abs(x, name=None):  # noqa: A001  (TensorFlow's name)
    """|x|; complex input gives its real dtype (ComplexAbs)."""
    x = to_tensor(x)
    dtype = x.dtype
    if dtype.is_complex:
        return call("ComplexAbs", "abs", x)
    if dtype not in T_SIGNED.ok:
        T_SIGNED.fail("Abs", dtype)
    return call("Abs", "abs", x)


_T_ROUND = _Types(FLOAT + SINT + COMPLEX, no_kernel=COMPLEX)


@add_dispatch_support
def round(x, name=None):  # noqa: A001  (TensorFlow's name)
    """Round half to even ("banker's rounding"); integers are returned as they are."""
    x = to_tensor(x)
    if x.dtype.is_integer:
        return x
    _check("Round", x, _T_ROUND)
    return call("Round", "round", x)


@add_dispatch_support
def softplus(features, name=None):
    """log(exp(features) + 1)."""
    x = to_tensor(features)
    _check("Softplus", x, T_FLOAT)
    return call("Softplus", "softplus", x)


@add_dispatch_support
def softsign(features, name=None):
    """features / (abs(features) + 1)."""
    x = to_tensor(features)
    _check("Softsign", x, T_FLOAT)
    return call("Softsign", "softsign", x)


_T_DIV_NO_NAN = _Types((_d.float16, _d.float32, _d.bfloat16, _d.float64) + COMPLEX)


@add_dispatch_support
def reciprocal_no_nan(x, name=None):
    """1 / x, and 0 where x == 0 (float and complex tensors)."""
    x = to_tensor(x)
    _check("DivNoNan", x, _T_DIV_NO_NAN)
    return call("DivNoNan", "reciprocal_no_nan", x)



@add_dispatch_support
def real(input, name=None):  # noqa: A002
    """The real part; a real tensor is returned as it is."""
    x = to_tensor(input)
    if x.dtype.is_complex:
        return call("Real", "real", x)
    if not x.dtype.is_numeric:
        raise TypeError(f"input must be a numeric tensor, but got tensor with dtype {x.dtype!r}")
    return x


@add_dispatch_support
def imag(input, name=None):  # noqa: A002
    """The imaginary part; zeros for a real tensor."""
    x = to_tensor(input)
    return call("Imag", "imag", x)


@add_dispatch_support
def conj(x, name=None):
    """The complex conjugate; a real tensor is returned as it is."""
    x = to_tensor(x)
    if x.dtype.is_complex:
        return call("Conj", "conj", x)
    if not x.dtype.is_numeric:
        raise TypeError(f"Expected numeric or variant tensor, got dtype {x.dtype!r}")
    return x


@add_dispatch_support
def angle(input, name=None):  # noqa: A002
    """The argument of a complex number; pi for negative reals and 0 otherwise."""
    x = to_tensor(input)
    if x.dtype.is_complex or x.dtype.is_floating:
        return call("Angle", "angle", x)
    raise TypeError(f"`input` must be a floating point or complex tensor, got dtype {x.dtype!r}")


# --- reductions -----------------------------------------------------------------------------------
def _reduction_axes(tf_name, axis, rank):
    """`axis` (None, an int, a list or a tensor) as None or a sorted tuple of distinct axes."""
    if axis is None:
        return None
    if type(axis) is int:  # the common case, fast
        if not -rank <= axis < rank:
            raise invalid_argument(f"Invalid reduction dimension ({axis} for input with {rank} dimension(s)",
                                   tf_name)
        return (axis % rank,)
    value = static_value(axis, "axis")
    values = value if isinstance(value, list) else [value]
    out = []
    for a in values:
        if type(a) is float:
            raise TypeError(f"Cannot convert {a!r} to EagerTensor of dtype int32")
        a = int(a)
        if not -rank <= a < rank:
            raise invalid_argument(f"Invalid reduction dimension ({a} for input with {rank} dimension(s)",
                                   tf_name)
        a %= rank
        if a in out:
            raise invalid_argument(f"Invalid reduction arguments: Axes contains duplicate dimension: {a}",
                                   tf_name)
        out.append(a)
    return tuple(sorted(out))


def _reduce(tf_name, op, types, input_tensor, axis, keepdims):
    x = to_tensor(input_tensor)
    if x.dtype not in types.ok:
        types.fail(tf_name, x.dtype)
    if axis is None and not keepdims:
        return call(tf_name, op, x)  # the op's defaults: all axes, no kept dims
    return call(tf_name, op, x, axis=_reduction_axes(tf_name, axis, x.ndim), keepdims=bool(keepdims))


_T_MINMAX = _Types(REAL)


@add_dispatch_support
def reduce_sum(input_tensor, axis=None, keepdims=False, name=None):
    """Sum over `axis` (None: all axes), in the input's dtype."""
    return _reduce("Sum", "reduce_sum", T_NUMERIC, input_tensor, axis, keepdims)


@add_dispatch_support
def reduce_prod(input_tensor, axis=None, keepdims=False, name=None):
    """Product over `axis`."""
    return _reduce("Prod", "reduce_prod", T_NUMERIC, input_tensor, axis, keepdims)


@add_dispatch_support
def reduce_mean(input_tensor, axis=None, keepdims=False, name=None):
    """Mean over `axis`; integer tensors give a (truncated) integer mean, as in TF."""
    return _reduce("Mean", "reduce_mean", T_NUMERIC, input_tensor, axis, keepdims)


@add_dispatch_support
def reduce_max(input_tensor, axis=None, keepdims=False, name=None):
    """Max over `axis` (-inf, or the dtype's lowest value, for an empty reduction)."""
    return _reduce("Max", "reduce_max", _T_MINMAX, input_tensor, axis, keepdims)


@add_dispatch_support
def reduce_min(input_tensor, axis=None, keepdims=False, name=None):
    """Min over `axis` (inf, or the dtype's highest value, for an empty reduction)."""
    return _reduce("Min", "reduce_min", _T_MINMAX, input_tensor, axis, keepdims)


_T_ANY = _Types((_d.bool,), fixed=True)


@add_dispatch_support
def reduce_any(input_tensor, axis=None, keepdims=False, name=None):
    """Logical OR over `axis` (bool tensors only)."""
    return _reduce("Any", "reduce_any", _T_ANY, input_tensor, axis, keepdims)


@add_dispatch_support
def reduce_all(input_tensor, axis=None, keepdims=False, name=None):
    """Logical AND over `axis` (bool tensors only)."""
    return _reduce("All", "reduce_all", _T_ANY, input_tensor, axis, keepdims)


@add_dispatch_support
def reduce_logsumexp(input_tensor, axis=None, keepdims=False, name=None):
    """log(sum(exp(x))) over `axis`, computed stably."""
    return _reduce("Max", "reduce_logsumexp", T_FLOAT, input_tensor, axis, keepdims)


def _moment(tf_name, op, input_tensor, axis, keepdims):
    x = to_tensor(input_tensor)
    if x.dtype.is_integer:
        raise TypeError("Input must be either real or complex. Received integer input.")
    return _reduce(tf_name, op, T_FLOAT_COMPLEX, x, axis, keepdims)


@add_dispatch_support
def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    """Variance over `axis` (mean of |x - mean|^2; real for complex input)."""
    return _moment("Mean", "reduce_variance", input_tensor, axis, keepdims)


@add_dispatch_support
def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    """Standard deviation over `axis`."""
    return _moment("Mean", "reduce_std", input_tensor, axis, keepdims)


@add_dispatch_support
def reduce_euclidean_norm(input_tensor, axis=None, keepdims=False, name=None):
    """sqrt(sum(x * conj(x))) over `axis`, in the input's dtype."""
    return _reduce("EuclideanNorm", "reduce_euclidean_norm", T_NUMERIC, input_tensor, axis, keepdims)


def count_nonzero(input, axis=None, keepdims=None, dtype=dtypes.int64, name=None):  # noqa: A002
    """The number of non-zero (non-empty, for strings) entries over `axis`, as `dtype`."""
    x = to_tensor(input)
    axes = _reduction_axes("Sum", axis, x.ndim)
    dtype = dtypes.as_dtype(dtype)
    if x.dtype is _d.string:
        flags = np.vectorize(len, otypes=[np.int64])(x._value) != 0 if x._value.size else \
            np.zeros(x._value.shape, bool)
        return convert_to_tensor(np.sum(flags, axis=axes, keepdims=bool(keepdims)).astype(dtype.as_numpy_dtype))
    return call("CountNonzero", "count_nonzero", x, axis=axes, keepdims=bool(keepdims), dtype=dtype.name)


def zero_fraction(value, name=None):
    """The fraction of zeros in `value` (float32)."""
    return call("ZeroFraction", "zero_fraction", to_tensor(value))


def _monotonic(tf_name, op, x):
    x = to_tensor(x)
    if not (x.dtype.is_floating or x.dtype.is_integer):
        if x.dtype.is_complex:
            raise invalid_argument("Value for attr 'T' of complex is not in the list of allowed values", "Less")
        raise TypeError(f"Expected x to be numeric, not {x.dtype!r}")
    return call(tf_name, op, x)


def is_non_decreasing(x, name=None):
    """Whether x (flattened) never decreases; True for fewer than two entries."""
    return _monotonic("IsNonDecreasing", "is_non_decreasing", x)


def is_strictly_increasing(x, name=None):
    """Whether x (flattened) always increases; True for fewer than two entries."""
    return _monotonic("IsStrictlyIncreasing", "is_strictly_increasing", x)


_T_ARG = _Types(REAL + (_d.bool,))
_ARG_OUTPUT = {"ArgMax": _Types((_d.int16, _d.uint16, _d.int32, _d.int64), attr="output_type"),
               "ArgMin": _Types((_d.int32, _d.int64), attr="output_type")}


def _arg_reduce(tf_name, op, input, axis, output_type):
    x = to_tensor(input)
    _check(tf_name, x, _T_ARG)
    output_type = dtypes.as_dtype(output_type)
    _check(tf_name, _Typed(output_type), _ARG_OUTPUT[tf_name])
    if axis is None:
        axis = 0
    else:
        value = static_value(axis, "axis")
        if isinstance(value, list) or isinstance(value, builtins.float):
            raise TypeError("axis must be int or Tensor with integer datatype")
        axis = int(value)
    rank = x.ndim
    axis = normalize_axis(axis, rank, tf_name,
                          f"Expected dimension in the range [{-rank}, {rank}), but got {axis}")
    return call(tf_name, op, x, axis=axis, output_type=output_type.name)


def argmax(input, axis=None, output_type=dtypes.int64, name=None):  # noqa: A002
    """Index of the largest value along `axis` (default 0); ties give the first index."""
    return _arg_reduce("ArgMax", "argmax", input, axis, output_type)


def argmin(input, axis=None, output_type=dtypes.int64, name=None):  # noqa: A002
    """Index of the smallest value along `axis` (default 0); ties give the first index."""
    return _arg_reduce("ArgMin", "argmin", input, axis, output_type)


# --- scans ----------------------------------------------------------------------------------------
def _scan(tf_name, op, types, x, axis, exclusive, reverse):
    x = to_tensor(x)
    _check(tf_name, x, types)
    axis = int(static_value(axis, "axis"))
    rank = x.ndim
    axis = normalize_axis(axis, rank, tf_name,
                          f"ScanOp: Expected scan axis in the range [{-rank}, {rank}), but got {axis}")
    return call(tf_name, op, x, axis=axis, exclusive=bool(exclusive), reverse=bool(reverse))


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """Cumulative sum along `axis`; `exclusive` leaves out the current entry, `reverse` runs
    from the end."""
    return _scan("Cumsum", "cumsum", T_NUMERIC, x, axis, exclusive, reverse)


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    """Cumulative product along `axis` (see cumsum)."""
    return _scan("Cumprod", "cumprod", T_NUMERIC, x, axis, exclusive, reverse)


def cumulative_logsumexp(x, axis=0, exclusive=False, reverse=False, name=None):
    """Cumulative log-sum-exp along `axis` (see cumsum)."""
    return _scan("CumulativeLogsumexp", "cumulative_logsumexp", T_FLOAT, x, axis, exclusive, reverse)


# --- sorting --------------------------------------------------------------------------------------
TopKV2 = collections.namedtuple("TopKV2", ["values", "indices"])
_T_TOPK = _Types(REAL)
_T_INDEX = _Types((_d.int16, _d.int32, _d.int64), attr="index_type")


def top_k(input, k=1, sorted=True, index_type=dtypes.int32, name=None):  # noqa: A002
    """The k largest entries of the last axis and their indices (ties: lower index first)."""
    x = to_tensor(input)
    _check("TopKV2", x, _T_TOPK)
    index_type = dtypes.as_dtype(index_type)
    _check("TopKV2", _Typed(index_type), _T_INDEX)
    k = int(static_value(k, "k"))
    shape = _shape(x)
    if not shape:
        raise invalid_argument(f"input must be >= 1-D, got shape {dims(shape)}", "TopKV2")
    if k < 0:
        raise invalid_argument(f"Need k >= 0, got {k}", "TopKV2")
    if shape[-1] < k:
        raise invalid_argument(f"input must have at least k columns. Had {shape[-1]}, needed {k}", "TopKV2")
    values, indices = call("TopKV2", "top_k", x, k=k, index_type=index_type.name)
    return TopKV2(values, indices)


def _sort_args(values, axis, direction):
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError(f"Argument `direction` should be one of ASCENDING, DESCENDING. Received: "
                         f"direction={direction}")
    x = to_tensor(values)
    _check("TopKV2", x, _T_TOPK)
    axis = int(static_value(axis, "axis"))
    rank = x.ndim
    axis = normalize_axis(axis, rank, "StridedSlice",
                          f"slice index {axis} of dimension 0 out of bounds (axis {axis} for a tensor of "
                          f"rank {rank})")
    return x, axis, direction == "DESCENDING"


def sort(values, axis=-1, direction="ASCENDING", name=None):
    """Sorted along `axis`; NaNs come first in both directions, as in TF."""
    x, axis, descending = _sort_args(values, axis, direction)
    return call("Sort", "sort", x, axis=axis, descending=descending)


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    """Indices (int32) that sort `values` along `axis`; equal values keep their order."""
    x, axis, descending = _sort_args(values, axis, direction)
    return call("ArgSort", "argsort", x, axis=axis, descending=descending)


# --- n-ary ------------------------------------------------------------------------------------------
def add_n(inputs, name=None):
    """The sum of a list of tensors of one dtype and shape."""
    if isinstance(inputs, Tensor):
        inputs = list(inputs)
    try:
        inputs = list(inputs)
    except TypeError:
        inputs = []
    if not inputs:
        raise ValueError("Inputs must be an iterable of at least one Tensor/IndexedSlices with the "
                         "same dtype and shape.")
    tensors = [to_tensor(_tensor_or_value(t)) for t in inputs]
    first = tensors[0]
    if len(tensors) == 1:
        return first
    _check("AddN", first, T_NUMERIC)
    check_same_dtype("AddN", tensors)
    shape = _shape(first)
    for i, t in enumerate(tensors[1:], 1):
        if _shape(t) != shape:
            raise invalid_argument(f"Inputs to operation AddN of type AddN must have the same size and shape.  "
                                   f"Input 0: {dims(shape)} != input {i}: {dims(_shape(t))}", "AddN")
    return call("AddN", "add_n", *tensors)


# --- segments -------------------------------------------------------------------------------------
_T_SEGMENT_IDS = _Types((_d.int32, _d.int64), attr="Tindices")


def _concrete_ids(tf_name, ids):
    if not isinstance(ids, EagerTensor):
        raise TypeError(f"tf.math.{tf_name}: segment_ids must have known values here (the output "
                        "size depends on them); inside tf.function use unsorted_segment_* with "
                        "num_segments")
    return np.asarray(ids._value)


def _sorted_segments(tf_name, data, segment_ids, types):
    data = to_tensor(data)
    ids = to_tensor(segment_ids)
    _check(tf_name, data, types)
    _check(tf_name, ids, _T_SEGMENT_IDS)
    if ids.ndim != 1:
        raise invalid_argument("segment_ids should be a vector.", tf_name)
    if not data.ndim or _shape(ids)[0] != _shape(data)[0]:
        raise invalid_argument("segment_ids should be the same size as dimension 0 of input.", tf_name)
    values = _concrete_ids(tf_name, ids)
    n = int(values[-1]) + 1 if values.size else 0
    if values.size and values[0] < 0:
        raise invalid_argument(f"Segment id {int(values[0])} out of range [0, {n}), possibly because "
                               "'segment_ids' input is not sorted.", tf_name)
    if values.size > 1 and np.any(values[1:] < values[:-1]):
        raise invalid_argument("segment ids are not increasing", tf_name)
    return data, ids, n


def segment_sum(data, segment_ids, name=None):
    """Sums of the rows of `data` with the same (sorted) segment id; empty segments give 0."""
    data, ids, n = _sorted_segments("SegmentSum", data, segment_ids, T_NUMERIC)
    return call("SegmentSum", "segment_sum", data, ids, num_segments=n)


def segment_prod(data, segment_ids, name=None):
    data, ids, n = _sorted_segments("SegmentProd", data, segment_ids, T_NUMERIC)
    return call("SegmentProd", "segment_prod", data, ids, num_segments=n)


def segment_max(data, segment_ids, name=None):
    data, ids, n = _sorted_segments("SegmentMax", data, segment_ids, T_REAL)
    return call("SegmentMax", "segment_max", data, ids, num_segments=n, empty_zero=True)


def segment_min(data, segment_ids, name=None):
    data, ids, n = _sorted_segments("SegmentMin", data, segment_ids, T_REAL)
    return call("SegmentMin", "segment_min", data, ids, num_segments=n, empty_zero=True)


def segment_mean(data, segment_ids, name=None):
    """Means per segment (integers: truncated); empty segments give 0."""
    data, ids, n = _sorted_segments("SegmentMean", data, segment_ids, T_NUMERIC)
    return call("SegmentMean", "segment_mean", data, ids, num_segments=n)


def _unsorted_segments(tf_name, data, segment_ids, num_segments, types):
    data = to_tensor(data)
    ids = to_tensor(segment_ids)
    _check(tf_name, data, types)
    _check(tf_name, ids, _T_SEGMENT_IDS)
    n = int(static_value(num_segments, "num_segments"))
    if n < 0:
        raise invalid_argument(f"num_segments must be non-negative, got {n}", tf_name)
    if _shape(data)[:ids.ndim] != _shape(ids):
        raise invalid_argument(f"data.shape = {dims(_shape(data))} does not start with segment_ids.shape = "
                               f"{dims(_shape(ids))}", tf_name)
    if isinstance(ids, EagerTensor):
        values = np.asarray(ids._value).reshape(-1)
        bad = np.nonzero(values >= n)[0]
        if bad.size:
            raise invalid_argument(f"segment_ids[{int(bad[0])}] = {int(values[bad[0]])} is out of range "
                                   f"[0, {n})", tf_name)
    return data, ids, n


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    """Sums of the entries of `data` per segment id (ids index data's leading axes); negative
    ids are dropped."""
    data, ids, n = _unsorted_segments("UnsortedSegmentSum", data, segment_ids, num_segments, T_NUMERIC)
    return call("UnsortedSegmentSum", "segment_sum", data, ids, num_segments=n)


def unsorted_segment_prod(data, segment_ids, num_segments, name=None):
    data, ids, n = _unsorted_segments("UnsortedSegmentProd", data, segment_ids, num_segments, T_NUMERIC)
    return call("UnsortedSegmentProd", "segment_prod", data, ids, num_segments=n)


def unsorted_segment_max(data, segment_ids, num_segments, name=None):
    """Maxima per segment; empty segments give the dtype's lowest value."""
    data, ids, n = _unsorted_segments("UnsortedSegmentMax", data, segment_ids, num_segments, T_REAL)
    return call("UnsortedSegmentMax", "segment_max", data, ids, num_segments=n)


def unsorted_segment_min(data, segment_ids, num_segments, name=None):
    data, ids, n = _unsorted_segments("UnsortedSegmentMin", data, segment_ids, num_segments, T_REAL)
    return call("UnsortedSegmentMin", "segment_min", data, ids, num_segments=n)


def unsorted_segment_mean(data, segment_ids, num_segments, name=None):
    """Means per segment, divided as truediv does (integers give floats); empty segments: 0."""
    data, ids, n = _unsorted_segments("UnsortedSegmentSum", data, segment_ids, num_segments, T_NUMERIC)
    dtype = _truediv_dtype(data.dtype) or data.dtype.name
    return call("UnsortedSegmentSum", "segment_mean", data, ids, num_segments=n, dtype=dtype)


def unsorted_segment_sqrt_n(data, segment_ids, num_segments, name=None):
    """Sums per segment divided by sqrt(count)."""
    data, ids, n = _unsorted_segments("UnsortedSegmentSum", data, segment_ids, num_segments,
                                      T_FLOAT_COMPLEX)
    return call("UnsortedSegmentSum", "segment_sqrt_n", data, ids, num_segments=n)


def bincount(arr, weights=None, minlength=None, maxlength=None, dtype=dtypes.int32, name=None,
             axis=None, binary_output=False):
    """Counts of each value in `arr` (or sums of `weights`), of length max(arr) + 1 bounded by
    minlength/maxlength. axis=-1 counts each row of a 2-D `arr` separately."""
    x = to_tensor(arr)
    if not x.dtype.is_integer:
        from tfx_lite.ops.array_ops import cast
        x = cast(x, _d.int32)
    elif x.dtype not in (_d.int32, _d.int64):
        raise invalid_argument(f"Value for attr 'Tidx' of {x.dtype.name} is not in the list of allowed values: "
                               "int32, int64", "DenseBincount")
    if axis not in (None, 0, -1):
        raise ValueError(f"Unsupported axis value {axis}. Only 0 and -1 are currently supported.")
    batched = axis == -1 and x.ndim == 2
    if isinstance(x, EagerTensor):
        values = np.asarray(x._value)
        if values.size and values.min() < 0:
            raise invalid_argument("Input arr must be non-negative!", "DenseBincount")
        size = int(values.max()) + 1 if values.size else 0
        if minlength is not None:
            size = builtins.max(size, int(static_value(minlength)))
        if maxlength is not None:
            size = builtins.min(size, int(static_value(maxlength)))
    elif minlength is not None and maxlength is not None and \
            int(static_value(minlength)) == int(static_value(maxlength)):
        size = int(static_value(maxlength))
    else:
        raise TypeError("tf.math.bincount: inside tf.function, pass minlength == maxlength so the "
                        "output size is known")
    if weights is None:
        out_dtype = dtypes.as_dtype(dtype)
        w = _ones_like(x, out_dtype)
    else:
        w = to_tensor(weights)
        if _shape(w) != _shape(x):
            raise invalid_argument(f"Input arr and weights must have the same shape: {dims(_shape(x))} vs. "
                                   f"{dims(_shape(w))}", "DenseBincount")
    return call("DenseBincount", "bincount", x, w, size=size, binary_output=bool(binary_output),
                batched=batched)


def _ones_like(x, dtype):
    return convert_to_tensor(np.ones(_shape(x), dtype.as_numpy_dtype))


# --- contractions ---------------------------------------------------------------------------------
def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, output_type=None, grad_a=False, grad_b=False, name=None):
    """The matrix product of the last two axes of a and b (leading axes broadcast as batches)."""
    if transpose_a and adjoint_a:
        raise ValueError("Only one of `transpose_a` and `adjoint_a` can be True. Received "
                         f"`transpose_a`={transpose_a}, `adjoint_a`={adjoint_a}.")
    if transpose_b and adjoint_b:
        raise ValueError("Only one of `transpose_b` and `adjoint_b` can be True. Received "
                         f"`transpose_b`={transpose_b}, `adjoint_b`={adjoint_b}.")
    a, b = binary_operands("MatMul", a, b)
    # Shapes are checked by the op itself (compiler/ops/linalg.py), off the hot path.
    tf_name = "BatchMatMulV2" if len(a._value.shape) > 2 or len(b._value.shape) > 2 else "MatMul"
    if a.dtype not in T_MATMUL.ok:
        T_MATMUL.fail(tf_name, a.dtype)
    if output_type is not None and dtypes.as_dtype(output_type) is not a.dtype:
        raise errors.NotFoundError(None, None, f"Could not find device for node: {{{{node BatchMatMulV3}}}} "
                                               f"= BatchMatMulV3[Ta={a.dtype.name}, Tout="
                                               f"{dtypes.as_dtype(output_type).name}]")
    if transpose_a or transpose_b or adjoint_a or adjoint_b:
        return call(tf_name, "matmul", a, b, transpose_a=bool(transpose_a), transpose_b=bool(transpose_b),
                    adjoint_a=bool(adjoint_a), adjoint_b=bool(adjoint_b))
    return call(tf_name, "matmul", a, b)  # the op's defaults: no transposes


def _contraction_axes(axes, rank_a, rank_b, a):
    value = static_value(axes, "axes")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"`axes` must be at least 0. Received: axes={value}.")
        if value > rank_a or value > rank_b:
            raise ValueError(f"`axes` must not be larger than the number of dimensions of tensor {a}. "
                             f"Received {value}, vs tensor dimensions {rank_a}.")
        return tuple(range(rank_a - value, rank_a)), tuple(range(value))
    if not isinstance(value, list) or len(value) != 2:
        raise ValueError(f"`axes` must be an integer or have length 2. Received {value}.")
    a_axes, b_axes = ([v] if isinstance(v, int) else list(v) for v in value)
    if len(a_axes) != len(b_axes):
        raise ValueError(f"Different number of contraction axes `a` and `b`, {len(a_axes)} != {len(b_axes)}.")
    for axes_, rank in ((a_axes, rank_a), (b_axes, rank_b)):
        for d in axes_:
            if not -rank <= d < rank:
                raise invalid_argument(f"axis {d} is out of range for a tensor of rank {rank}", "Tensordot")
    return tuple(int(d) % rank_a for d in a_axes), tuple(int(d) % rank_b for d in b_axes)


def tensordot(a, b, axes, name=None):
    """Sum of products over `axes` (an int N: a's last N axes with b's first N; or a pair of
    axis lists)."""
    a = to_tensor(_tensor_or_value(a))
    b = to_tensor(_tensor_or_value(b))
    check_same_dtype("MatMul", (a, b))
    _check("MatMul", a, T_MATMUL)
    axes = _contraction_axes(axes, a.ndim, b.ndim, a)
    return call("MatMul", "tensordot", a, b, axes=axes)


def einsum(equation, *inputs, **kwargs):
    """Einstein summation over `inputs` as `equation` says (numpy's notation, with '...')."""
    tensors = [to_tensor(_tensor_or_value(t)) for t in inputs]
    equation = equation.replace(" ", "")
    expected = len(equation.split("->")[0].split(","))
    if expected != len(tensors):
        raise ValueError(f'Got {len(tensors)} inputs for equation "{equation}", expecting {expected}')
    check_same_dtype("Einsum", tensors)
    return call("Einsum", "einsum", *tensors, equation=equation)


def cast(x, dtype, name=None):
    from tfx_lite.ops.array_ops import cast as array_cast
    return array_cast(x, dtype)


add_dispatch_support_to(globals(), __all__ + MATH_ONLY)
