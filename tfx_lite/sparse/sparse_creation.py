"""New SparseTensors: tf.sparse.eye, and map_values (an op applied to the values of
SparseTensors that share their indices)."""
from __future__ import annotations

import numpy as np

from compiler.ops.checks import dims as dims_text
from tfx_lite.framework import dtypes, errors
from tfx_lite.framework.op_call import invalid_argument
from tfx_lite.framework.tensor import EagerTensor
from tfx_lite.ops.static_args import static_value
from tfx_lite.sparse.sparse_results import make_sparse, replace_values
from tfx_lite.sparse.sparse_tensor import SparseTensor


def eye(num_rows, num_columns=None, dtype=dtypes.float32, name=None):
    """A sparse identity matrix [num_rows, num_columns]."""
    from tfx_lite.ops import array_ops
    rows = int(static_value(num_rows, "num_rows"))
    cols = rows if num_columns is None else int(static_value(num_columns, "num_columns"))
    k = min(rows, cols)
    diagonal = np.arange(k, dtype=np.int64)
    return make_sparse(np.stack([diagonal, diagonal], axis=1), array_ops.ones([k], dtype),
                       [rows, cols])


def map_values(op, *args, **kwargs):
    """`op` applied to the values of the SparseTensors among the arguments (all with the same
    indices and dense shape), in a SparseTensor of those indices."""
    found = []

    def replace(x):
        if isinstance(x, SparseTensor):
            found.append(x)
            return x.values
        if isinstance(x, (list, tuple)):
            return type(x)(replace(v) for v in x)
        if isinstance(x, dict):
            return {k: replace(v) for k, v in x.items()}
        return x

    args = replace(list(args))
    kwargs = replace(kwargs)
    if not found:
        raise ValueError("No SparseTensor in argument list of map_values")
    first = found[0]
    for other in found[1:]:
        _assert_same_layout(first, other)
    return replace_values(first, op(*args, **kwargs))


def _assert_same_layout(a: SparseTensor, b: SparseTensor):
    if not all(isinstance(t, EagerTensor) for t in (a.indices, b.indices, a.dense_shape, b.dense_shape)):
        return
    for x, y in ((a.indices, b.indices), (a.dense_shape, b.dense_shape)):
        hx, hy = np.asarray(x._value), np.asarray(y._value)
        if hx.shape != hy.shape:
            raise invalid_argument(f"Incompatible shapes: {dims_text(hx.shape)} vs. {dims_text(hy.shape)}",
                                   "Equal")
        if not np.array_equal(hx, hy):
            raise errors.InvalidArgumentError(None, None, "assertion failed: the SparseTensors "
                                                          "passed to map_values differ in indices or dense shape")
