"""tf.sparse: SparseTensor and the ops on it (tf.SparseTensorSpec is top level only, as in TF)."""
from tfx_lite.sparse import sparse_dispatch as _sparse_dispatch
from tfx_lite.sparse.sparse_conversion import from_dense, to_dense, to_indicator
from tfx_lite.sparse.sparse_creation import eye, map_values
from tfx_lite.sparse.sparse_elementwise import add, maximum, minimum
from tfx_lite.sparse.sparse_matmul import sparse_dense_matmul
from tfx_lite.sparse.sparse_reduction import reduce_max, reduce_sum
from tfx_lite.sparse.sparse_reshaping import (
    concat, expand_dims, reorder, reset_shape, reshape, transpose,
)
from tfx_lite.sparse.sparse_selection import fill_empty_rows, retain, slice, split
from tfx_lite.sparse.sparse_tensor import SparseTensor

_sparse_dispatch.register()

__all__ = ["SparseTensor", "add", "concat", "expand_dims", "eye", "fill_empty_rows", "from_dense",
           "map_values", "maximum", "minimum", "reduce_max", "reduce_sum", "reorder",
           "reset_shape", "reshape", "retain", "slice", "sparse_dense_matmul", "split", "to_dense",
           "to_indicator", "transpose"]
