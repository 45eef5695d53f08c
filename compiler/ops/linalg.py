"""linalg ops: products, decompositions, solves, norms and matrix helpers (TF's tf.linalg).

Matrices are the two innermost dimensions; leading dimensions are batch dimensions. Half-precision
inputs are computed in float32 (LAPACK has no half kernels) and cast back. Shape checks raise
InvalidInput while tracing, with TF's kernel messages (the same check is the op's `explain`).
"""
from __future__ import annotations

import jax
import jax.numpy as jnp
import jax.scipy.linalg as jsl
import numpy as np
from jax import lax

from compiler.ops.checks import InvalidInput, check_reduction_axes, checked, dims
from compiler.ops.precision import upcast
from compiler.ops.registry import defop


def _check_matmul(a, b, *, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False):
    """TF's MatMul (both inputs of rank <= 2) and BatchMatMulV2 shape rules and messages."""
    ra, rb = len(a.shape), len(b.shape)
    batched = ra > 2 or rb > 2
    if ra < 2 or rb < 2:
        if not batched:
            raise InvalidInput(f"In[0] and In[1] ndims must be == 2: {min(ra, rb)}")
        raise InvalidInput(f"In[{0 if ra < 2 else 1}] ndims must be >= 2: {min(ra, rb)}")
    if batched:
        try:
            np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
        except ValueError:
            raise InvalidInput(f"In[0] and In[1] must have compatible batch dimensions: {dims(a.shape)} "
                               f"vs. {dims(b.shape)}") from None
    k_a = a.shape[-2] if (transpose_a or adjoint_a) else a.shape[-1]
    k_b = b.shape[-1] if (transpose_b or adjoint_b) else b.shape[-2]
    if k_a != k_b:
        raise InvalidInput(f"Matrix size-incompatible: In[0]: {dims(a.shape)}, In[1]: {dims(b.shape)}")


@defop("matmul", explain=checked(_check_matmul))
def matmul(a, b, *, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False):
    _check_matmul(a, b, transpose_a=transpose_a, transpose_b=transpose_b, adjoint_a=adjoint_a,
                  adjoint_b=adjoint_b)
    if transpose_a or adjoint_a:
        a = jnp.swapaxes(a, -1, -2)
        a = jnp.conj(a) if adjoint_a else a
    if transpose_b or adjoint_b:
        b = jnp.swapaxes(b, -1, -2)
        b = jnp.conj(b) if adjoint_b else b
    return jnp.matmul(a, b)


def _square(name="Input matrix"):
    def check(a, *rest, **_):
        if len(a.shape) < 2:
            raise InvalidInput(f"Input tensor 0 must have rank >= 2, got {len(a.shape)}")
        if a.shape[-1] != a.shape[-2]:
            raise InvalidInput(f"{name} must be square.")
    return check


_check_square = _square()


def _adj(x):
    return jnp.conj(jnp.swapaxes(x, -1, -2))


def _diag(x):
    return jnp.diagonal(x, axis1=-2, axis2=-1)


# --- inverses, determinants, solves ------------------------------------------------------------
def _lu_solve_batched(lu, perm, b):
    """Solve with an LU factorization from lax.linalg.lu (batch dimensions shared)."""
    b = jnp.take_along_axis(b, perm[..., :, None].astype(jnp.int32), axis=-2) if b.ndim == lu.ndim else b
    y = lax.linalg.triangular_solve(lu, b, left_side=True, lower=True, unit_diagonal=True)
    return lax.linalg.triangular_solve(lu, y, left_side=True, lower=False)


@defop("matrix_inverse", explain=checked(_check_square))
def matrix_inverse(a, *, adjoint=False):
    """(inverse, invertible): `invertible` is false when an LU pivot is exactly zero (TF's check)."""
    _check_square(a)
    x = upcast(a)
    if adjoint:
        x = _adj(x)
    n = x.shape[-1]
    if n == 0 or x.size == 0:
        return jnp.zeros(a.shape, a.dtype), jnp.asarray(True)
    lu, _, perm = lax.linalg.lu(x)
    eye = jnp.broadcast_to(jnp.eye(n, dtype=x.dtype), x.shape)
    inv = _lu_solve_batched(lu, perm, eye)
    ok = jnp.all(jnp.abs(_diag(lu)) > 0)
    return inv.astype(a.dtype), ok


@defop("matrix_determinant", explain=checked(_check_square))
def matrix_determinant(a):
    _check_square(a)
    x = upcast(a)
    if x.shape[-1] == 0:
        return jnp.ones(a.shape[:-2], a.dtype)
    return jnp.linalg.det(x).astype(a.dtype)


@defop("log_matrix_determinant", explain=checked(_check_square))
def log_matrix_determinant(a):
    """(sign, log |det|); log |det| is real-valued but has the input's dtype, as in TF."""
    _check_square(a)
    x = upcast(a)
    if x.shape[-1] == 0:
        return jnp.ones(a.shape[:-2], a.dtype), jnp.zeros(a.shape[:-2], a.dtype)
    sign, logdet = jnp.linalg.slogdet(x)
    return sign.astype(a.dtype), logdet.astype(a.dtype)


@defop("logdet", explain=checked(_check_square))
def logdet(a):
    """log det of a Hermitian positive definite matrix, through its Cholesky factor (as TF)."""
    _check_square(a)
    chol = jnp.linalg.cholesky(upcast(a))
    return (2.0 * jnp.sum(jnp.log(jnp.real(_diag(chol))), axis=-1)).astype(a.dtype)


def _check_solve(a, b, **_):
    _check_square(a)
    if len(a.shape) != len(b.shape):
        raise InvalidInput("All input tensors must have the same rank.")
    if tuple(a.shape[:-2]) != tuple(b.shape[:-2]):
        raise InvalidInput("All input tensors must have the same outer dimensions.")
    if a.shape[-1] != b.shape[-2]:
        raise InvalidInput("Input matrix and rhs are incompatible.")


@defop("matrix_solve", explain=checked(_check_solve))
def matrix_solve(a, b, *, adjoint=False):
    """(solution, invertible), like matrix_inverse."""
    _check_solve(a, b)
    x, rhs = upcast(a), upcast(b)
    if adjoint:
        x = _adj(x)
    if x.shape[-1] == 0 or rhs.size == 0:
        return jnp.zeros(b.shape, b.dtype), jnp.asarray(True)
    lu, _, perm = lax.linalg.lu(x)
    out = _lu_solve_batched(lu, perm, rhs)
    return out.astype(b.dtype), jnp.all(jnp.abs(_diag(lu)) > 0)


def _check_triangular(a, b, **_):
    _check_square(a)
    if len(b.shape) < 2:
        raise InvalidInput(f"Input tensor 1 must have rank >= 2, got {len(b.shape)}")
    if a.shape[-1] != b.shape[-2]:
        raise InvalidInput(f"Incompatible matrix dimensions: {dims(a.shape)} vs. {dims(b.shape)}")
    try:
        np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    except ValueError:
        raise InvalidInput(f"Incompatible batch dimensions: {dims(a.shape)} vs. {dims(b.shape)}") from None


@defop("triangular_solve", explain=checked(_check_triangular))
def triangular_solve(a, b, *, lower=True, adjoint=False):
    """TF's MatrixTriangularSolve: only the `lower` (or upper) triangle of `a` is read; batch
    dimensions broadcast."""
    _check_triangular(a, b)
    batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    x = jnp.broadcast_to(upcast(a), batch + a.shape[-2:])
    rhs = jnp.broadcast_to(upcast(b), batch + b.shape[-2:])
    if rhs.size == 0 or x.shape[-1] == 0:
        return jnp.zeros(batch + b.shape[-2:], b.dtype)
    out = lax.linalg.triangular_solve(x, rhs, left_side=True, lower=lower, transpose_a=adjoint,
                                      conjugate_a=adjoint)
    return out.astype(b.dtype)


@defop("cholesky", explain=checked(_check_square))
def cholesky(a):
    """Lower Cholesky factor (only the lower triangle of `a` is read; NaNs when not PD)."""
    _check_square(a)
    x = upcast(a)
    if x.shape[-1] == 0:
        return a
    return jnp.linalg.cholesky(x, symmetrize_input=False).astype(a.dtype)


@defop("cholesky_solve", explain=checked(_check_triangular))
def cholesky_solve(chol, rhs):
    _check_triangular(chol, rhs)
    c, b = upcast(chol), upcast(rhs)
    y = lax.linalg.triangular_solve(c, b, left_side=True, lower=True)
    x = lax.linalg.triangular_solve(c, y, left_side=True, lower=True, transpose_a=True, conjugate_a=True)
    return x.astype(rhs.dtype)


def _check_lstsq(a, b, **_):
    if len(a.shape) < 2:
        raise InvalidInput(f"Input matrix must have rank >= 2, got {len(a.shape)}")
    if len(b.shape) < 2:
        raise InvalidInput(f"Input rhs must have rank >= 2, got {len(b.shape)}")
    if a.shape[-2] != b.shape[-2]:
        raise InvalidInput(f"Incompatible shapes: matrix {dims(a.shape)} vs. rhs {dims(b.shape)}")


@defop("lstsq", explain=checked(_check_lstsq))
def lstsq(a, b, *, l2_regularizer=0.0, fast=True):
    """TF's matrix_solve_ls: normal equations through Cholesky when `fast`, else the minimum-norm
    least-squares solution."""
    _check_lstsq(a, b)
    x, rhs = upcast(a), upcast(b)
    m, n = x.shape[-2:]
    if fast:
        if m >= n:
            gram = jnp.matmul(_adj(x), x)
            if l2_regularizer:
                gram = gram + l2_regularizer * jnp.eye(n, dtype=x.dtype)
            chol = jnp.linalg.cholesky(gram)
            out = cholesky_solve(chol, jnp.matmul(_adj(x), rhs))
        else:
            gram = jnp.matmul(x, _adj(x))
            if l2_regularizer:
                gram = gram + l2_regularizer * jnp.eye(m, dtype=x.dtype)
            chol = jnp.linalg.cholesky(gram)
            out = jnp.matmul(_adj(x), cholesky_solve(chol, rhs))
    else:
        u, s, vh = jnp.linalg.svd(x, full_matrices=False)
        cutoff = jnp.finfo(s.dtype).eps * max(m, n) * jnp.max(s, axis=-1, keepdims=True)
        s_inv = jnp.where(s > cutoff, 1 / jnp.where(s > cutoff, s, 1), 0)
        out = jnp.matmul(_adj(vh), s_inv[..., :, None].astype(x.dtype) * jnp.matmul(_adj(u), rhs))
    return out.astype(b.dtype)


# --- decompositions ---------------------------------------------------------------------------
def _check_matrix(a, **_):
    if len(a.shape) < 2:
        raise InvalidInput(f"Input tensor 0 must have rank >= 2, got {len(a.shape)}")


@defop("qr", explain=checked(_check_matrix))
def qr(a, *, full_matrices=False):
    _check_matrix(a)
    q, r = jnp.linalg.qr(upcast(a), mode="complete" if full_matrices else "reduced")
    return q.astype(a.dtype), r.astype(a.dtype)


@defop("svd", explain=checked(_check_matrix))
def svd(a, *, full_matrices=False, compute_uv=True):
    """TF's order: (s, u, v) with v (not v^H); only s when not compute_uv."""
    _check_matrix(a)
    x = upcast(a)
    real = jnp.real(jnp.zeros((), a.dtype)).dtype
    if not compute_uv:
        return jnp.linalg.svd(x, compute_uv=False).astype(real)
    u, s, vh = jnp.linalg.svd(x, full_matrices=full_matrices)
    return s.astype(real), u.astype(a.dtype), _adj(vh).astype(a.dtype)


@defop("self_adjoint_eig", explain=checked(_check_square))
def self_adjoint_eig(a):
    """(eigenvalues ascending, eigenvectors as columns), reading only the lower triangle; the
    eigenvalues have the input's dtype (complex for a complex input), as in TF."""
    _check_square(a)
    w, v = jnp.linalg.eigh(upcast(a), UPLO="L", symmetrize_input=False)
    return w.astype(a.dtype), v.astype(a.dtype)


@defop("self_adjoint_eigvals", explain=checked(_check_square))
def self_adjoint_eigvals(a):
    _check_square(a)
    w = jnp.linalg.eigvalsh(upcast(a), UPLO="L", symmetrize_input=False)
    return w.astype(a.dtype)


def _complex_of(dtype):
    return jnp.complex128 if dtype in (jnp.float64, jnp.complex128) else jnp.complex64


@defop("eig", explain=checked(_check_square))
def eig(a):
    _check_square(a)
    w, v = jnp.linalg.eig(upcast(a))
    return w.astype(_complex_of(a.dtype)), v.astype(_complex_of(a.dtype))


@defop("eigvals", explain=checked(_check_square))
def eigvals(a):
    _check_square(a)
    return jnp.linalg.eigvals(upcast(a)).astype(_complex_of(a.dtype))


@defop("lu", explain=checked(_check_square))
def lu(a, *, output_idx_type="int32"):
    """TF's Lu: packed LU factors and the row permutation p (a[p] = L @ U)."""
    _check_square(a)
    packed, _, perm = lax.linalg.lu(upcast(a))
    return packed.astype(a.dtype), perm.astype(jnp.dtype(output_idx_type))


def _lu_parts(packed):
    n = packed.shape[-1]
    lower = jnp.tril(packed, -1) + jnp.eye(n, dtype=packed.dtype)
    return lower, jnp.triu(packed)


@defop("lu_reconstruct")
def lu_reconstruct(packed, perm):
    lower, upper = _lu_parts(upcast(packed))
    prod = jnp.matmul(lower, upper)
    inverse = jnp.argsort(perm, axis=-1)
    return jnp.take_along_axis(prod, inverse[..., :, None], axis=-2).astype(packed.dtype)


@defop("lu_solve")
def lu_solve(packed, perm, rhs):
    x, b = upcast(packed), upcast(rhs)
    b = jnp.take_along_axis(jnp.broadcast_to(b, x.shape[:-2] + b.shape[-2:]),
                            perm[..., :, None].astype(jnp.int32), axis=-2)
    y = lax.linalg.triangular_solve(x, b, left_side=True, lower=True, unit_diagonal=True)
    return lax.linalg.triangular_solve(x, y, left_side=True, lower=False).astype(rhs.dtype)


@defop("matrix_exponential", explain=checked(_check_square))
def matrix_exponential(a):
    _check_square(a)
    x = upcast(a)
    if x.shape[-1] == 0:
        return a
    flat = x.reshape((-1,) + x.shape[-2:])
    out = jax.vmap(jsl.expm)(flat) if flat.shape[0] else flat
    return out.reshape(x.shape).astype(a.dtype)


@defop("pinv", explain=checked(_check_matrix))
def pinv(a, *, rcond=None):
    """TF's pinv: SVD, singular values below rcond * max(s) are dropped."""
    _check_matrix(a)
    x = upcast(a)
    m, n = x.shape[-2:]
    if rcond is None:
        rcond = 10.0 * max(m, n) * float(jnp.finfo(x.dtype).eps)
    u, s, vh = jnp.linalg.svd(x, full_matrices=False)
    cutoff = rcond * jnp.max(s, axis=-1, keepdims=True)
    s = jnp.where(s > cutoff, s, jnp.inf)
    out = jnp.matmul(_adj(vh) / s[..., None, :].astype(x.dtype), _adj(u))
    return out.astype(a.dtype)


@defop("matrix_rank", explain=checked(_check_matrix))
def matrix_rank(a, *, tol=None):
    _check_matrix(a)
    x = upcast(a)
    s = jnp.linalg.svd(x, compute_uv=False)
    if tol is None:
        tol = float(jnp.finfo(x.dtype).eps) * max(x.shape[-2:]) * jnp.max(s, axis=-1, keepdims=True)
    return jnp.sum((s > tol).astype(jnp.int32), axis=-1, dtype=jnp.int32)


# --- diagonals and bands ----------------------------------------------------------------------
def _offset(d, max_len, rows, cols, align):
    """TF's MatrixDiagV3 offset of diagonal d inside its row of the packed diagonals."""
    left_super = align in ("LEFT_LEFT", "LEFT_RIGHT")
    left_sub = align in ("LEFT_LEFT", "RIGHT_LEFT")
    if (d >= 0 and left_super) or (d <= 0 and left_sub):
        return 0
    diag_len = min(rows + min(0, d), cols - max(0, d))
    return max_len - diag_len


def _offsets(d, max_len, rows, cols, align):
    d = np.asarray(d)
    return np.array([_offset(int(v), max_len, rows, cols, align) for v in d.reshape(-1)],
                    dtype=np.int64).reshape(d.shape)


def _diag_sizes(diagonal_shape, k, num_rows, num_cols):
    lo, hi = k
    max_len = diagonal_shape[-1]
    min_rows = max_len - min(hi, 0)
    min_cols = max_len + max(lo, 0)
    if num_rows != -1 and num_rows < min_rows:
        raise InvalidInput(f"The number of rows is too small.")
    if num_cols != -1 and num_cols < min_cols:
        raise InvalidInput(f"The number of columns is too small.")
    if num_rows == -1 and num_cols == -1:
        num_rows = num_cols = max(min_rows, min_cols)
    elif num_rows == -1:
        num_rows = min_rows
    elif num_cols == -1:
        num_cols = min_cols
    if num_rows != min_rows and num_cols != min_cols:
        raise InvalidInput("The number of rows or columns is not consistent with the specified d_lower, "
                           "d_upper, and diagonal.")
    return num_rows, num_cols


def _check_matrix_diag(diagonal, *, k, num_rows=-1, num_cols=-1, **_):
    lo, hi = k
    if lo > hi:
        raise InvalidInput(f"lower_diag_index must not be larger than upper_diag_index: {lo} > {hi}")
    need = 1 if lo == hi else 2
    if len(diagonal.shape) < need:
        raise InvalidInput(f"diagonal must be at least {need}-dim, received shape: {dims(diagonal.shape)}")
    if lo != hi and diagonal.shape[-2] != hi - lo + 1:
        raise InvalidInput(f"The number of diagonals provided in the input does not match the lower_diag_index "
                           f"and upper_diag_index range. Expected {hi - lo + 1}, got {diagonal.shape[-2]}")
    _diag_sizes(diagonal.shape, k, num_rows, num_cols)


@defop("matrix_diag", explain=checked(_check_matrix_diag))
def matrix_diag(diagonal, *, k=(0, 0), num_rows=-1, num_cols=-1, padding_value=0, align="RIGHT_LEFT"):
    """TF's MatrixDiagV3: a batch of matrices with the given diagonals k[0]..k[1]."""
    _check_matrix_diag(diagonal, k=k, num_rows=num_rows, num_cols=num_cols)
    lo, hi = k
    rows, cols = _diag_sizes(diagonal.shape, k, num_rows, num_cols)
    max_len = diagonal.shape[-1]
    diags = diagonal if lo != hi else diagonal[..., None, :]
    i = np.arange(rows)[:, None]
    j = np.arange(cols)[None, :]
    d = j - i
    which = np.clip(hi - d, 0, hi - lo)
    pos = np.minimum(i, j) + _offsets(d, max_len, rows, cols, align)
    inside = (d >= lo) & (d <= hi) & (pos < max_len)
    pos = np.clip(pos, 0, max(max_len - 1, 0))
    if max_len == 0:
        return jnp.full(diagonal.shape[:-1 if lo == hi else -2] + (rows, cols), padding_value, diagonal.dtype)
    picked = diags[..., which, pos]
    return jnp.where(inside, picked, jnp.asarray(padding_value, diagonal.dtype))


def _diag_part_len(shape, k):
    lo, hi = k
    rows, cols = shape[-2:]
    return min(rows + min(hi, 0), cols - max(lo, 0))


def _check_diag_range(x, k, what="input"):
    lo, hi = k
    if len(x.shape) < 2:
        raise InvalidInput(f"{what} must be at least 2-dim, received shape: {dims(x.shape)}")
    rows, cols = x.shape[-2:]
    if lo > hi:
        raise InvalidInput(f"lower_diag_index must not be larger than upper_diag_index: {lo} > {hi}")
    for index in (lo, hi):
        if not ((-rows < index < cols) or index == 0):
            raise InvalidInput(f"Diagonal index {index} is out of bound: it must be between {-rows} and {cols}")


def _check_diag_part(x, *, k=(0, 0), **_):
    _check_diag_range(x, k)


@defop("matrix_diag_part", explain=checked(_check_diag_part))
def matrix_diag_part(x, *, k=(0, 0), padding_value=0, align="RIGHT_LEFT"):
    """TF's MatrixDiagPartV3: diagonals k[0]..k[1], from the top one down, aligned by `align`."""
    _check_diag_part(x, k=k)
    lo, hi = k
    rows, cols = x.shape[-2:]
    max_len = _diag_part_len(x.shape, k)
    r = np.arange(hi - lo + 1)[:, None]
    q = np.arange(max(max_len, 0))[None, :]
    d = hi - r
    offset = _offsets(d, max_len, rows, cols, align)
    p = q - offset
    i = p + np.maximum(0, -d)
    j = p + np.maximum(0, d)
    diag_len = np.minimum(rows + np.minimum(0, d), cols - np.maximum(0, d))
    inside = (p >= 0) & (p < diag_len)
    i = np.clip(i, 0, max(rows - 1, 0))
    j = np.clip(j, 0, max(cols - 1, 0))
    if rows == 0 or cols == 0 or max_len <= 0:
        out = jnp.full(x.shape[:-2] + (hi - lo + 1, max(max_len, 0)), padding_value, x.dtype)
    else:
        out = jnp.where(inside, x[..., i, j], jnp.asarray(padding_value, x.dtype))
    return out[..., 0, :] if lo == hi else out


def _check_set_diag(x, diagonal, *, k=(0, 0), **_):
    _check_diag_range(x, k)
    lo, hi = k
    max_len = _diag_part_len(x.shape, k)
    expected = tuple(x.shape[:-2]) + ((max_len,) if lo == hi else (hi - lo + 1, max_len))
    if tuple(diagonal.shape) != expected:
        raise InvalidInput("Either first dimensions of diagonal don't match input.shape[:-2], or "
                           "diagonal.shape[:-1] is not equal to the longests diagonal in range "
                           "[lower_diag_index:upper_diag_index].\nInput shape: "
                           f"{dims(x.shape)}\nDiagonal shape: {dims(diagonal.shape)}\nExpected diagonal shape: "
                           f"{dims(expected)}")


@defop("matrix_set_diag", explain=checked(_check_set_diag))
def matrix_set_diag(x, diagonal, *, k=(0, 0), align="RIGHT_LEFT"):
    _check_set_diag(x, diagonal, k=k)
    lo, hi = k
    rows, cols = x.shape[-2:]
    max_len = _diag_part_len(x.shape, k)
    diags = diagonal if lo != hi else diagonal[..., None, :]
    i = np.arange(rows)[:, None]
    j = np.arange(cols)[None, :]
    d = j - i
    which = np.clip(hi - d, 0, hi - lo)
    pos = np.minimum(i, j) + _offsets(d, max_len, rows, cols, align)
    inside = (d >= lo) & (d <= hi)
    pos = np.clip(pos, 0, max(max_len - 1, 0))
    if max_len <= 0 or rows == 0 or cols == 0:
        return x
    return jnp.where(inside, diags[..., which, pos], x)


def _check_trace(x, **_):
    if len(x.shape) < 2:
        raise InvalidInput(f"input must be at least 2-dim, received shape: {dims(x.shape)}")


@defop("trace", explain=checked(_check_trace))
def trace(x):
    _check_trace(x)
    return jnp.sum(_diag(x), axis=-1, dtype=x.dtype)


@defop("matrix_transpose")
def matrix_transpose(x, *, conjugate=False):
    out = jnp.swapaxes(x, -1, -2)
    return jnp.conj(out) if conjugate else out


def _check_band(x, *, num_lower, num_upper):
    if len(x.shape) < 2:
        raise InvalidInput(f"input must be at least 2-dim, received shape: {dims(x.shape)}")
    rows, cols = x.shape[-2:]
    if num_lower > rows:
        raise InvalidInput(f"num_lower must be negative or less or equal to number of rows ({rows}) got: "
                           f"{num_lower}")
    if num_upper > cols:
        raise InvalidInput(f"num_upper must be negative or less or equal to number of columns ({cols}) got: "
                           f"{num_upper}")


@defop("band_part", explain=checked(_check_band))
def band_part(x, *, num_lower, num_upper):
    _check_band(x, num_lower=num_lower, num_upper=num_upper)
    rows, cols = x.shape[-2:]
    i = np.arange(rows)[:, None]
    j = np.arange(cols)[None, :]
    keep = np.ones((rows, cols), bool)
    if num_lower >= 0:
        keep &= (i - j) <= num_lower
    if num_upper >= 0:
        keep &= (j - i) <= num_upper
    return jnp.where(keep, x, jnp.zeros((), x.dtype))


@defop("eye")
def eye(*, num_rows, num_columns, batch_shape=(), dtype="float32"):
    out = jnp.eye(num_rows, num_columns, dtype=jnp.dtype(dtype))
    return jnp.broadcast_to(out, tuple(batch_shape) + out.shape)


@defop("tensor_diag")
def tensor_diag(x):
    flat = x.reshape(-1)
    return jnp.diag(flat).reshape(x.shape + x.shape)


def _check_tensor_diag_part(x, **_):
    rank = len(x.shape)
    if rank % 2 or tuple(x.shape[:rank // 2]) != tuple(x.shape[rank // 2:]):
        raise InvalidInput(f"Invalid shape {dims(x.shape)}: dimensions must be d_0, ..., d_k, d_0, ..., d_k")


@defop("tensor_diag_part", explain=checked(_check_tensor_diag_part))
def tensor_diag_part(x):
    _check_tensor_diag_part(x)
    half = x.shape[:x.ndim // 2]
    n = int(np.prod(half, dtype=np.int64))
    return jnp.diagonal(x.reshape(n, n)).reshape(half)


# --- products and norms -----------------------------------------------------------------------
def _check_matvec(a, b, *, transpose_a=False, adjoint_a=False):
    if len(a.shape) < 2 or len(b.shape) < 1:
        raise InvalidInput(f"In[0] must be a matrix and In[1] a vector: {dims(a.shape)} vs. {dims(b.shape)}")
    k = a.shape[-2] if (transpose_a or adjoint_a) else a.shape[-1]
    if k != b.shape[-1]:
        raise InvalidInput(f"Matrix size-incompatible: In[0]: {dims(a.shape)}, In[1]: {dims(tuple(b.shape) + (1,))}")


@defop("matvec", explain=checked(_check_matvec))
def matvec(a, b, *, transpose_a=False, adjoint_a=False):
    _check_matvec(a, b, transpose_a=transpose_a, adjoint_a=adjoint_a)
    return matmul(a, b[..., None], transpose_a=transpose_a, adjoint_a=adjoint_a)[..., 0]


def _check_cross(a, b):
    if tuple(a.shape) != tuple(b.shape):
        raise InvalidInput(f"a and b must be the same shape: {dims(a.shape)} vs {dims(b.shape)}")
    if len(a.shape) < 1 or a.shape[-1] != 3:
        raise InvalidInput(f"Inner dimension of a must have size 3: {dims(a.shape)}")


@defop("cross", explain=checked(_check_cross))
def cross(a, b):
    _check_cross(a, b)
    return jnp.cross(a, b)


@defop("norm", explain=checked(check_reduction_axes))
def norm(x, *, ord, axis, keepdims=False):
    """tf.norm, computed as TF writes it (a complex input keeps its dtype for 'euclidean').

    `ord`: 'euclidean', 'fro', 'inf' (np.inf) or a positive number; `axis`: None, (a,) or (a, b)."""
    check_reduction_axes(x, axis=axis)
    is_matrix = axis is not None and len(axis) == 2
    y = upcast(x)
    if ord in ("fro", "euclidean", 2, 2.0):
        if is_matrix and ord in (2, 2.0):
            a0, a1 = (a % x.ndim for a in axis)
            moved = jnp.moveaxis(y, (a0, a1), (-2, -1))
            result = jnp.max(jnp.abs(jnp.linalg.svd(moved, compute_uv=False)), axis=-1)
            if keepdims:
                result = jnp.expand_dims(result, tuple(sorted((a0, a1))))
            return result.astype(x.dtype if not jnp.iscomplexobj(x) else result.dtype)
        result = jnp.sqrt(jnp.sum(y * jnp.conj(y), axis=axis, keepdims=True))
    else:
        result = jnp.abs(y)
        if ord == 1:
            result = jnp.sum(result, axis=None if axis is None else axis[0], keepdims=True)
            if is_matrix:
                result = jnp.max(result, axis=axis[-1], keepdims=True)
        elif ord == "inf":
            if is_matrix:
                result = jnp.sum(result, axis=axis[1], keepdims=True)
            result = jnp.max(result, axis=None if axis is None else axis[0], keepdims=True)
        else:
            p = jnp.asarray(ord, result.dtype)
            result = jnp.sum(result ** p, axis=axis, keepdims=True) ** (jnp.asarray(1.0, result.dtype) / p)
    if not keepdims:
        result = jnp.squeeze(result, axis=axis)
    if jnp.iscomplexobj(x) and not jnp.iscomplexobj(result):
        return result
    return result.astype(x.dtype)


@defop("global_norm")
def global_norm(*tensors):
    half = sum(jnp.sum(upcast(t) * upcast(t) * 0.5).astype(tensors[0].dtype) for t in tensors)
    return jnp.sqrt(half * jnp.asarray(2, tensors[0].dtype))


# einsum and tensordot (also tf.linalg.*) are defined with the math ops.
