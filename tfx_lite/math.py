"""tf.math: the math ops that are also top level (tf.math.add is tf.add) and those only tf.math
has (tf.math.log1p, tf.math.is_nan, tf.math.segment_sum, ...). As in TF, sort, argsort, matmul,
tensordot, einsum, clip_by_value, realdiv and truncatediv/truncatemod are top level only."""
from tfx_lite.ops import math_ops as _math_ops
from tfx_lite.ops.math_ops import (  # noqa: F401
    TopKV2, abs, acos, acosh, add, add_n, argmax, argmin, asin, asinh, atan, atan2, atanh, cos, cosh,
    cumsum, divide, equal, exp, floor, greater, greater_equal, less, less_equal, logical_and,
    logical_not, logical_or, maximum, minimum, multiply, negative, not_equal, pow, reduce_all,
    reduce_any, reduce_logsumexp, reduce_max, reduce_mean, reduce_min, reduce_prod, reduce_sum,
    round, scalar_mul, sigmoid, sign, sin, sinh, sqrt, square, subtract, tan, tanh, truediv,
)
from tfx_lite.ops.math_ops import (  # noqa: F401
    angle, bessel_i0, bessel_i0e, bessel_i1, bessel_i1e, betainc, bincount, ceil, conj,
    count_nonzero, cumprod, cumulative_logsumexp, digamma, divide_no_nan, erf, erfc, erfcinv,
    erfinv, expm1, floordiv, floormod, igamma, igammac, imag, is_finite, is_inf, is_nan,
    is_non_decreasing, is_strictly_increasing, lgamma, log, log1p, log_sigmoid, logical_xor, mod,
    multiply_no_nan, ndtri, nextafter, polygamma, real, reciprocal, reciprocal_no_nan,
    reduce_euclidean_norm, reduce_std, reduce_variance, rint, rsqrt, segment_max, segment_mean,
    segment_min, segment_prod, segment_sum, softplus, softsign, squared_difference, top_k,
    unsorted_segment_max, unsorted_segment_mean, unsorted_segment_min, unsorted_segment_prod,
    unsorted_segment_sqrt_n, unsorted_segment_sum, xdivy, xlog1py, xlogy, zero_fraction, zeta,
)

from tfx_lite.ops.nn_ops import in_top_k, l2_normalize, log_softmax, softmax  # noqa: F401,E402

_TOP_LEVEL_ONLY = {"argsort", "clip_by_value", "einsum", "matmul", "realdiv", "sort", "tensordot",
                   "truncatediv", "truncatemod"}
__all__ = sorted([n for n in _math_ops.__all__ if n not in _TOP_LEVEL_ONLY] + _math_ops.MATH_ONLY
                 + ["in_top_k", "l2_normalize", "log_softmax", "softmax"])
