"""tf.linalg (matmul, einsum and tensordot are tf.math's functions, eye is array_ops')."""
from tfx_lite.ops.array_ops import eye  # noqa: F401
from tfx_lite.ops.math_ops import einsum, matmul, tensordot  # noqa: F401
from tfx_lite.ops.linalg_ops import (  # noqa: F401
    adjoint, band_part, cholesky, cholesky_solve, cross, det, diag, diag_part, eig, eigh, eigvals, eigvalsh,
    expm, global_norm, inv, l2_normalize, logdet, lstsq, lu, lu_matrix_inverse, lu_reconstruct, lu_solve,
    matrix_rank, matrix_transpose, matvec, norm, normalize, pinv, qr, set_diag, slogdet, solve, svd, tensor_diag,
    tensor_diag_part, trace, triangular_solve)
