"""The errors TF's sparse kernels raise for inputs of the wrong dtype, with TF's messages."""
from __future__ import annotations

from tfx_lite.framework import dtypes, errors
from tfx_lite.framework.op_call import invalid_argument, kernel_type_name

# TF's type lists, as its "not in the list of allowed values" messages print them.
NUMBER_TYPES = ("float, double, int32, uint8, int16, int8, complex64, int64, qint8, quint8, "
                "qint32, bfloat16, qint16, quint16, uint16, complex128, half, uint32, uint64")
REAL_TYPES = "float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, uint32, uint64"


def dtype_mismatch(tf_name: str, index: int, expected: dtypes.DType, got: dtypes.DType):
    """TF's InvalidArgumentError for an input of a sparse kernel with the wrong dtype."""
    return invalid_argument(f"cannot compute {tf_name} as input #{index}(zero-based) was expected "
                            f"to be a {kernel_type_name(expected)} tensor but is a "
                            f"{kernel_type_name(got)} tensor", tf_name)


def not_allowed(tf_name: str, dtype: dtypes.DType, allowed) -> errors.InvalidArgumentError:
    """TF's InvalidArgumentError for a dtype outside a kernel's type attribute."""
    return errors.InvalidArgumentError(
        None, None, f"Value for attr 'T' of {kernel_type_name(dtype)} is not in the list of "
                    f"allowed values: {allowed}")


def no_kernel(tf_name: str, attrs: str) -> errors.NotFoundError:
    """TF's NotFoundError for a dtype that a kernel is registered for but not built with."""
    return errors.NotFoundError(
        None, None, f"Could not find device for node: {{{{node {tf_name}}}}} = {tf_name}[{attrs}]")
