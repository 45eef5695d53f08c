"""tf.sparse.add, maximum and minimum. sparse + dense is dense and traces; sparse (op) sparse
merges the two index lists on the host (eager-only) and combines the values through the op
table."""
from __future__ import annotations

import numpy as np

from tfx_lite.framework.op_call import call, invalid_argument
from tfx_lite.framework.tensor import Tensor
from tfx_lite.sparse.sparse_arguments import (
    converted_argument, host_value, kernel_input, sparse_input, static_dims,
)
from tfx_lite.sparse.sparse_index_checks import check_once, first_out_of_bounds
from tfx_lite.sparse.sparse_kernel_errors import NUMBER_TYPES, dtype_mismatch, not_allowed
from tfx_lite.sparse.sparse_merge_plan import merge_plan
from tfx_lite.sparse.sparse_results import int64_tensor, make_sparse, take_values
from tfx_lite.sparse.sparse_tensor import SparseTensor


def add(a, b, threshold=0):
    """a + b where at least one is a SparseTensor: sparse + sparse is sparse (sums whose
    magnitude is below `threshold` dropped), sparse + dense is dense."""
    a_sparse, b_sparse = isinstance(a, SparseTensor), isinstance(b, SparseTensor)
    if not a_sparse and not b_sparse:
        raise TypeError("At least one input should be SparseTensor; do you mean to use tf.add()?")
    if a_sparse and b_sparse:
        return _add_sparse(a, b, threshold)
    if b_sparse:
        a, b = b, a
    return _add_dense(a, b)


def maximum(sp_a, sp_b, name=None):
    """Elementwise maximum of two SparseTensors of one shape (a missing value counts as 0)."""
    return _extremum("maximum", "SparseSparseMaximum", sp_a, sp_b)


def minimum(sp_a, sp_b, name=None):
    """Elementwise minimum of two SparseTensors of one shape (a missing value counts as 0)."""
    return _extremum("minimum", "SparseSparseMinimum", sp_a, sp_b)


def _check_pair(tf_name: str, a: SparseTensor, b: SparseTensor, what: str):
    if b.dtype is not a.dtype:
        raise dtype_mismatch(tf_name, 4, a.dtype, b.dtype)
    ra, rb = a.indices.shape[1], b.indices.shape[1]
    if ra is not None and rb is not None and ra != rb:
        raise invalid_argument(f"Input indices must have the same dimension, got {ra} and {rb}", tf_name)
    dims_a, dims_b = static_dims(a, what), static_dims(b, what)
    if not dims_a:  # TF's kernels refuse rank 0 (SparseAdd's message has TF's typo)
        raise invalid_argument("Tesors must not be empty" if tf_name == "SparseAdd"
                               else "Tensors must not be empty", tf_name)
    for d, (x, y) in enumerate(zip(dims_a, dims_b)):
        if x != y:
            raise invalid_argument(f"Operands' shapes do not match: got {x} and {y} for dimension {d}",
                                   tf_name)
    return dims_a


def _add_sparse(a: SparseTensor, b: SparseTensor, threshold) -> SparseTensor:
    threshold = converted_argument(threshold, a.dtype.real_dtype, "threshold")
    dims = _check_pair("SparseAdd", a, b, "tf.sparse.add")
    ha, hb = host_value(a.indices, "tf.sparse.add"), host_value(b.indices, "tf.sparse.add")
    indices, pos_a, pos_b = merge_plan(ha, hb)
    values = call("SparseAdd", "sparse_merge_values", a.values, b.values, int64_tensor(pos_a),
                  int64_tensor(pos_b), kind="add")
    summed = (pos_a < len(ha)) & (pos_b < len(hb))
    if summed.any():  # sums below the threshold (and NaN sums) are dropped; single values never
        limit = host_value(threshold, "tf.sparse.add").item()
        sums = np.abs(host_value(values, "tf.sparse.add"))
        keep = ~summed | (limit <= sums)
        if not keep.all():
            indices = indices[keep]
            values = take_values("SparseAdd", values, np.nonzero(keep)[0])
    return make_sparse(indices, values, dims)


def _add_dense(sp: SparseTensor, dense) -> Tensor:
    tf_name = "SparseTensorDenseAdd"
    dense = kernel_input(dense, sp.dtype, tf_name, 3)
    if not (sp.dtype.is_integer or sp.dtype.is_floating or sp.dtype.is_complex):
        raise not_allowed(tf_name, sp.dtype, NUMBER_TYPES)
    dims = static_dims(sp, "tf.sparse.add")
    dense_dims = tuple(dense.shape.as_list())
    if len(dims) != len(dense_dims):
        raise invalid_argument(f"Two operands have different ranks; received: {len(dims)} and "
                               f"{len(dense_dims)}", tf_name)
    for d, (x, y) in enumerate(zip(dims, dense_dims)):
        if y is not None and x != y:
            raise invalid_argument(f"Dimension {d} does not equal (no broadcasting is supported): "
                                   f"sparse side {x} vs dense side {y}", tf_name)

    def check(host):
        row = first_out_of_bounds(host, dims)
        if row is not None:
            bad = (host[row] < 0) | (host[row] >= np.asarray(dims))
            d = int(np.argmax(bad))
            raise invalid_argument(f"Sparse tensor has an invalid index on dimension {d}: "
                                   f"a_indices({row},{d}) = {host[row, d]}, dense tensor shape: "
                                   f"{' '.join(str(x) for x in dims)}", tf_name)
    check_once(sp, ("in_bounds", dims), check)
    return call(tf_name, "sparse_dense_add", sp.indices, sp.values, dense)


def _extremum(op: str, tf_name: str, sp_a, sp_b) -> SparseTensor:
    a, b = sparse_input(sp_a), sparse_input(sp_b)
    dims = _check_pair(tf_name, a, b, f"tf.sparse.{op}")
    if not (a.dtype.is_integer or a.dtype.is_floating):
        raise not_allowed(tf_name, a.dtype, NUMBER_TYPES)
    indices, pos_a, pos_b = merge_plan(host_value(a.indices, f"tf.sparse.{op}"),
                                       host_value(b.indices, f"tf.sparse.{op}"))
    values = call(tf_name, "sparse_merge_values", a.values, b.values, int64_tensor(pos_a),
                  int64_tensor(pos_b), kind=op)
    return make_sparse(indices, values, dims)
