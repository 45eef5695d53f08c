import ml_dtypes
import numpy as np

from compiler.types import TensorType, dtype_from_short_name, short_dtype_name


def test_short_forms_print_like_jaxpr_types():
    assert str(TensorType((4, None), np.float32)) == "f32[4,?]"
    assert str(TensorType((), ml_dtypes.bfloat16)) == "bf16[]"
    assert str(TensorType((2,), object)) == "str[2]"


def test_short_names_round_trip():
    for dtype in (np.float16, np.int8, np.uint64, np.complex128, np.bool_, ml_dtypes.bfloat16):
        assert dtype_from_short_name(short_dtype_name(dtype)) == np.dtype(dtype)


def test_types_compare_by_shape_and_dtype():
    assert TensorType((1, 2), np.int32) == TensorType([1, 2], "int32")
    assert TensorType((1, 2), np.int32) != TensorType((1, 2), np.int64)
    assert len({TensorType((1,), np.int32), TensorType((1,), np.int32)}) == 1
