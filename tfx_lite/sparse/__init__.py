"""tf.sparse: SparseTensor and the ops on it (tf.SparseTensorSpec is top level only, as in TF)."""
from tfx_lite.sparse import sparse_dispatch as _sparse_dispatch
from tfx_lite.sparse.sparse_ops import (
    add, concat, expand_dims, eye, fill_empty_rows, from_dense, map_values, maximum, minimum,
    reduce_max, reduce_sum, reorder, reset_shape, reshape, retain, slice, sparse_dense_matmul,
    split, to_dense, to_indicator, transpose,
)
from tfx_lite.sparse.sparse_tensor import SparseTensor

_sparse_dispatch.register()

__all__ = ["SparseTensor", "add", "concat", "expand_dims", "eye", "fill_empty_rows", "from_dense",
           "map_values", "maximum", "minimum", "reduce_max", "reduce_sum", "reorder",
           "reset_shape", "reshape", "retain", "slice", "sparse_dense_matmul", "split", "to_dense",
           "to_indicator", "transpose"]
