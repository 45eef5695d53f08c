"""tf.linalg: decompositions, solves, norms and matrix helpers (matmul lives in math_ops).

`inv` and `solve` check, when run eagerly, whether a pivot of the LU factorization is exactly
zero and raise InvalidArgumentError as TF does (inside a traced function they give inf/NaN).
"""
from __future__ import annotations

import collections
import numbers

import numpy as np

from tfx_lite.framework import dtypes, errors
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.op_call import binary_operands, call, check_same_dtype, invalid_argument, to_tensor
from tfx_lite.framework.tensor import EagerTensor
from tfx_lite.ops.array_ops import eye
from tfx_lite.ops.nn_ops import FLOATS, check_dtype, l2_normalize  # noqa: F401  (tf.linalg.l2_normalize)
from tfx_lite.ops.static_args import axis_attr, int_attr, static_scalar, static_value

# tf.linalg names TF also has at top level (tf.norm, tf.eig, tf.eigvals); the other top-level ones
# (tf.eye, tf.matmul, tf.einsum, tf.tensordot) live in array_ops / math_ops.
__all__ = ["norm", "eig", "eigvals"]

LINALG_TYPES = ("float64", "float32", "float16", "complex64", "complex128")
NO_HALF = ("float64", "float32", "complex64", "complex128")

Qr = collections.namedtuple("Qr", ["q", "r"])
Lu = collections.namedtuple("Lu", ["lu", "p"])
LogMatrixDeterminant = collections.namedtuple("LogMatrixDeterminant", ["sign", "log_abs_determinant"])

_TF_ENUM = {"float16": "DT_HALF", "bfloat16": "DT_BFLOAT16"}


def _matrix(x, tf_name, allowed=LINALG_TYPES, no_kernel=()):
    """Convert and check a matrix argument: TF's type list, and TF's 'no kernel' error for half."""
    x = to_tensor(x)
    if x.dtype.name in no_kernel:
        raise errors.NotFoundError(
            None, None, f"Could not find device for node: {{{{node {tf_name}}}}} = {tf_name}"
                        f"[T={_TF_ENUM.get(x.dtype.name, x.dtype.name)}]")
    check_dtype(x, allowed)
    return x


def _raise_if_singular(ok, message, tf_name):
    if isinstance(ok, EagerTensor) and not bool(ok):
        raise invalid_argument(message, tf_name)


# --- inverses, determinants, solves ------------------------------------------------------------
def inv(input, adjoint=False, name=None):  # noqa: A002
    x = _matrix(input, "MatrixInverse")
    out, ok = call("MatrixInverse", "matrix_inverse", x, adjoint=bool(adjoint))
    _raise_if_singular(ok, "Input is not invertible.", "MatrixInverse")
    return out


def det(input, name=None):  # noqa: A002
    x = _matrix(input, "MatrixDeterminant", NO_HALF, ("float16", "bfloat16"))
    return call("MatrixDeterminant", "matrix_determinant", x)


def slogdet(input, name=None):  # noqa: A002
    x = _matrix(input, "LogMatrixDeterminant", NO_HALF, ("float16", "bfloat16"))
    return LogMatrixDeterminant(*call("LogMatrixDeterminant", "log_matrix_determinant", x))


def logdet(matrix, name=None):
    x = _matrix(matrix, "Cholesky", NO_HALF, ("float16", "bfloat16"))
    return call("Cholesky", "logdet", x)


def solve(matrix, rhs, adjoint=False, name=None):
    a, b = binary_operands("MatrixSolve", matrix, rhs)
    check_dtype(a, LINALG_TYPES)
    out, ok = call("MatrixSolve", "matrix_solve", a, b, adjoint=bool(adjoint))
    _raise_if_singular(ok, "Input matrix is not invertible.", "MatrixSolve")
    return out


def triangular_solve(matrix, rhs, lower=True, adjoint=False, name=None):
    a, b = binary_operands("MatrixTriangularSolve", matrix, rhs)
    check_dtype(a, ("float64", "float32", "float16", "bfloat16", "complex64", "complex128"))
    return call("MatrixTriangularSolve", "triangular_solve", a, b, lower=bool(lower), adjoint=bool(adjoint))


def cholesky(input, name=None):  # noqa: A002
    x = _matrix(input, "Cholesky", NO_HALF, ("float16", "bfloat16"))
    return call("Cholesky", "cholesky", x)


def cholesky_solve(chol, rhs, name=None):
    a, b = binary_operands("MatrixTriangularSolve", chol, rhs)
    check_dtype(a, NO_HALF)
    return call("MatrixTriangularSolve", "cholesky_solve", a, b)


def lstsq(matrix, rhs, l2_regularizer=0.0, fast=True, name=None):
    a, b = binary_operands("MatrixSolveLs", matrix, rhs)
    check_dtype(a, NO_HALF)
    reg = float(np.asarray(static_value(l2_regularizer, "l2_regularizer")))
    if not fast and reg != 0:
        raise NotImplementedError("The fast=False option is not implemented with l2_regularizer != 0")
    return call("MatrixSolveLs", "lstsq", a, b, l2_regularizer=reg, fast=bool(fast))


# --- decompositions ---------------------------------------------------------------------------
def qr(input, full_matrices=False, name=None):  # noqa: A002
    x = _matrix(input, "Qr")
    return Qr(*call("Qr", "qr", x, full_matrices=bool(full_matrices)))


def svd(tensor, full_matrices=False, compute_uv=True, name=None):
    x = _matrix(tensor, "Svd")
    out = call("Svd", "svd", x, full_matrices=bool(full_matrices), compute_uv=bool(compute_uv))
    return out


def eigh(tensor, name=None):
    x = _matrix(tensor, "SelfAdjointEigV2")
    return call("SelfAdjointEigV2", "self_adjoint_eig", x)


def eigvalsh(tensor, name=None):
    x = _matrix(tensor, "SelfAdjointEigV2")
    return call("SelfAdjointEigV2", "self_adjoint_eigvals", x)


def eig(tensor, name=None):
    x = _matrix(tensor, "Eig", NO_HALF)
    return call("Eig", "eig", x)


def eigvals(tensor, name=None):
    x = _matrix(tensor, "Eig", NO_HALF)
    return call("Eig", "eigvals", x)


def lu(input, output_idx_type=dtypes.int32, name=None):  # noqa: A002
    x = _matrix(input, "Lu")
    out_type = dtypes.as_dtype(output_idx_type)
    if out_type.name not in ("int32", "int64"):
        raise invalid_argument(f"Value for attr 'output_idx_type' of {out_type.name} is not in the list of "
                               "allowed values: int32, int64")
    return Lu(*call("Lu", "lu", x, output_idx_type=out_type.name))


def lu_reconstruct(lower_upper, perm, validate_args=False, name=None):
    packed = _matrix(lower_upper, "MatMul")
    return call("MatMul", "lu_reconstruct", packed, to_tensor(perm))


def lu_solve(lower_upper, perm, rhs, validate_args=False, name=None):
    packed = _matrix(lower_upper, "MatrixTriangularSolve")
    rhs = to_tensor(rhs, packed.dtype)
    check_same_dtype("MatrixTriangularSolve", (packed, rhs))
    return call("MatrixTriangularSolve", "lu_solve", packed, to_tensor(perm), rhs)


def lu_matrix_inverse(lower_upper, perm, validate_args=False, name=None):
    packed = _matrix(lower_upper, "MatrixTriangularSolve")
    n = packed._value.shape[-1]
    identity = eye(n, batch_shape=tuple(packed._value.shape[:-2]), dtype=packed.dtype)
    return lu_solve(packed, perm, identity)


def expm(input, name=None):  # noqa: A002
    x = _matrix(input, "MatrixExponential", NO_HALF)
    return call("MatrixExponential", "matrix_exponential", x)


def pinv(a, rcond=None, validate_args=False, name=None):
    x = _matrix(a, "Svd", NO_HALF)
    if rcond is not None:
        rcond = float(np.asarray(static_value(rcond, "rcond")))
    return call("Svd", "pinv", x, rcond=rcond)


def matrix_rank(a, tol=None, validate_args=False, name=None):
    x = to_tensor(a, dtypes.float32)
    check_dtype(x, NO_HALF)
    if tol is not None:
        tol = float(np.asarray(static_value(tol, "tol")))
    return call("Svd", "matrix_rank", x, tol=tol)


# --- diagonals, bands, transposes -------------------------------------------------------------
def _k_attr(k):
    value = static_value(k, "k")
    if isinstance(value, list):
        if len(value) == 1:
            return (int(value[0]), int(value[0]))
        if len(value) != 2:
            raise invalid_argument(f"diag_index must have only one or two elements, received {len(value)} "
                                   "elements.")
        return (int(value[0]), int(value[1]))
    return (int(value), int(value))


_ALIGNS = ("LEFT_RIGHT", "RIGHT_LEFT", "LEFT_LEFT", "RIGHT_RIGHT")


def _align(align):
    if align not in _ALIGNS:
        raise invalid_argument(f"Value for attr 'align' of \"{align}\" is not in the list of allowed values: "
                               + ", ".join(f'"{a}"' for a in _ALIGNS))
    return align


def _padding_value(value, dtype):
    value = static_scalar(value, "padding_value")
    return np.asarray(value).astype(dtype.as_numpy_dtype).item()


def diag(diagonal, name="diag", k=0, num_rows=-1, num_cols=-1, padding_value=0, align="RIGHT_LEFT"):
    x = to_tensor(diagonal)
    return call("MatrixDiagV3", "matrix_diag", x, k=_k_attr(k), num_rows=int_attr(num_rows, "num_rows"),
                num_cols=int_attr(num_cols, "num_cols"), padding_value=_padding_value(padding_value, x.dtype),
                align=_align(align))


def diag_part(input, name="diag_part", k=0, padding_value=0, align="RIGHT_LEFT"):  # noqa: A002
    x = to_tensor(input)
    return call("MatrixDiagPartV3", "matrix_diag_part", x, k=_k_attr(k),
                padding_value=_padding_value(padding_value, x.dtype), align=_align(align))


def set_diag(input, diagonal, name="set_diag", k=0, align="RIGHT_LEFT"):  # noqa: A002
    x, d = binary_operands("MatrixSetDiagV3", input, diagonal)
    return call("MatrixSetDiagV3", "matrix_set_diag", x, d, k=_k_attr(k), align=_align(align))


def trace(x, name=None):
    x = to_tensor(x)
    return call("MatrixDiagPartV3", "trace", x)


def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    x = to_tensor(a)
    if x.ndim < 2:
        raise ValueError(f"Argument `a` should be a (batch) matrix with rank >= 2.  Received `a` = "
                         f"{x.numpy() if isinstance(x, EagerTensor) else x} with shape: {tuple(x.shape)}")
    return call("Transpose", "matrix_transpose", x, conjugate=bool(conjugate and x.dtype.is_complex))


def adjoint(matrix, name=None):
    return matrix_transpose(matrix, conjugate=True)


def band_part(input, num_lower, num_upper, name=None):  # noqa: A002
    x = to_tensor(input)
    return call("MatrixBandPart", "band_part", x, num_lower=int_attr(num_lower, "num_lower"),
                num_upper=int_attr(num_upper, "num_upper"))


def tensor_diag(diagonal, name=None):
    return call("Diag", "tensor_diag", to_tensor(diagonal))


def tensor_diag_part(input, name=None):  # noqa: A002
    return call("DiagPart", "tensor_diag_part", to_tensor(input))


# --- products and norms -----------------------------------------------------------------------
def matvec(a, b, transpose_a=False, adjoint_a=False, a_is_sparse=False, b_is_sparse=False, name=None):
    a, b = binary_operands("MatMul", a, b)
    return call("MatMul", "matvec", a, b, transpose_a=bool(transpose_a), adjoint_a=bool(adjoint_a))


def cross(a, b, name=None):
    a, b = binary_operands("Cross", a, b)
    check_dtype(a, ("float16", "bfloat16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8",
                    "uint16", "uint32", "uint64"))
    return call("Cross", "cross", a, b)


def _norm_args(ord, axis):  # noqa: A002
    if axis is not None and not isinstance(axis, (numbers.Integral, list, tuple)):
        axis = static_value(axis, "axis")
    is_matrix = isinstance(axis, (list, tuple)) and len(axis) == 2
    if is_matrix:
        axis = tuple(axis)
        if (not isinstance(axis[0], numbers.Integral) or not isinstance(axis[1], numbers.Integral)
                or axis[0] == axis[1]):
            raise ValueError(f"'axis' must be None, an integer, or a tuple of 2 unique integers, got {axis}")
        supported = ["euclidean", "fro", 1, 2, np.inf]
        if ord not in supported:
            raise ValueError(f"'ord' must be a supported matrix norm in {supported}, got {ord}")
        return ord, tuple(int(a) for a in axis)
    if not (isinstance(axis, numbers.Integral) or axis is None):
        raise ValueError(f"'axis' must be None, an integer, or a tuple of 2 unique integers, got {axis}")
    if isinstance(ord, str):
        if ord != "euclidean":
            raise ValueError(f"'ord' must be a supported vector norm, got {ord}")
    elif not isinstance(ord, numbers.Real) or ord <= 0:
        raise ValueError(f"'ord' must be a supported vector norm, got {ord}")
    return ord, None if axis is None else (int(axis),)


def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None):  # noqa: A002
    ord, axis = _norm_args(ord, axis)  # noqa: A001
    x = to_tensor(tensor)
    check_dtype(x, ("bfloat16", "float16", "float32", "float64", "complex64", "complex128"))
    if isinstance(ord, numbers.Real) and not isinstance(ord, bool):
        ord = "inf" if np.isinf(ord) else float(ord) if ord != int(ord) else int(ord)  # noqa: A001
    return call("Norm", "norm", x, ord=ord, axis=axis_attr(axis, x.ndim), keepdims=bool(keepdims))


def normalize(tensor, ord="euclidean", axis=None, name=None):  # noqa: A002
    x = to_tensor(tensor)
    n = norm(x, ord=ord, axis=axis, keepdims=True)
    return call("RealDiv", "truediv", x, n), n


def global_norm(t_list, name=None):
    if not isinstance(t_list, (list, tuple)) or isinstance(t_list, str):
        raise TypeError(f"`t_list` should be a sequence of tensors. Received {type(t_list)}.")
    tensors = [to_tensor(t) for t in t_list if t is not None]
    if not tensors:
        return convert_to_tensor(0.0)
    check_same_dtype("Pack", tensors)
    check_dtype(tensors[0], FLOATS)
    return call("GlobalNorm", "global_norm", *tensors)
