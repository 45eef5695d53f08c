"""The same values in another layout: tf.sparse.reorder, reshape, transpose, expand_dims,
concat and reset_shape. All trace but reset_shape without a new shape (which reads the indices
on the host)."""
from __future__ import annotations

import math

import numpy as np

from compiler.ops.checks import dims as dims_text
from tfx_lite.framework.op_call import call, invalid_argument
from tfx_lite.framework.tensor import Tensor
from tfx_lite.framework.tensor_shape import TensorShape
from tfx_lite.ops.static_args import static_value
from tfx_lite.sparse.sparse_arguments import (
    host_value, sparse_input, static_axis, static_dims, static_ints,
)
from tfx_lite.sparse.sparse_kernel_errors import dtype_mismatch
from tfx_lite.sparse.sparse_results import int64_tensor, make_sparse
from tfx_lite.sparse.sparse_tensor import SparseTensor


def reorder(sp_input, name=None):
    """The same SparseTensor with its indices in row-major order (a stable sort)."""
    sp = sparse_input(sp_input)
    indices, values = call("SparseReorder", "sparse_reorder", sp.indices, sp.values)
    return SparseTensor._from_parts(indices, values, sp.dense_shape, sp.shape)


def reshape(sp_input, shape, name=None):
    """The same values in a dense shape of the same size (one dimension may be -1)."""
    sp = sparse_input(sp_input)
    tf_name = "SparseReshape"
    dims = static_dims(sp, "tf.sparse.reshape")
    new = static_ints(shape, "shape") if not isinstance(shape, TensorShape) else \
        [-1 if d is None else d for d in shape.as_list()]
    unknown = [i for i, d in enumerate(new) if d == -1]
    if len(unknown) > 1:
        raise invalid_argument(f"only one output dimension may be -1, not both {unknown[0]} and "
                               f"{unknown[1]}", tf_name)
    for i, d in enumerate(new):
        if d < -1:
            raise invalid_argument(f"size {i} must be non-negative, not {d}", tf_name)
    size = math.prod(dims)
    known = math.prod(d for d in new if d != -1)
    if unknown:
        if known == 0 or size % known:
            raise invalid_argument(
                f"Input to reshape is a SparseTensor with {size} dense values, but the requested "
                f"shape requires a multiple of {known}. input_shape={dims_text(dims)} "
                f"output_shape={dims_text([1 if d == -1 else d for d in new])}", tf_name)
        new[unknown[0]] = size // known
    elif known != size:
        raise invalid_argument(f"Input to reshape is a tensor with {size} dense values, but the "
                               f"requested shape has {known}. input_shape={dims_text(dims)} "
                               f"output_shape={dims_text(new)}", tf_name)
    indices = call(tf_name, "sparse_reshape", sp.indices, shape=dims, new_shape=tuple(new))
    return make_sparse(indices, sp.values, new)


def transpose(sp_input, perm=None, name=None):
    """Dimensions permuted by `perm` (reversed by default); the result is in row-major order."""
    from tfx_lite.ops import array_ops
    sp = sparse_input(sp_input)
    dims = static_dims(sp, "tf.sparse.transpose")
    perm = list(reversed(range(len(dims)))) if perm is None else static_ints(perm, "perm")
    indices = array_ops.gather(sp.indices, perm, axis=1)
    indices, values = call("SparseReorder", "sparse_reorder", indices, sp.values)
    return make_sparse(indices, values, [dims[p] for p in perm])


def expand_dims(sp_input, axis=None, name=None):
    """A dimension of size 1 inserted at `axis` (-1 by default: last)."""
    from tfx_lite.ops import array_ops
    sp = sparse_input(sp_input)
    rank = sp.shape.rank
    axis = -1 if axis is None else axis
    if isinstance(axis, Tensor):
        axis = int(static_value(axis, "axis"))
    if not isinstance(axis, int):
        raise TypeError("axis must be an integer value in range [-rank(sp_input) - 1, rank(sp_input)]")
    at = axis if axis >= 0 else axis + rank + 1
    if not 0 <= at <= rank:
        raise invalid_argument(f"Expected size[1] in [0, {rank}], but got {at}", "Slice")
    ones = array_ops.ones_like(sp.indices[:, :1])
    indices = array_ops.concat([sp.indices[:, :at], ones - ones, sp.indices[:, at:]], 1)
    one = int64_tensor([1])
    dense_shape = array_ops.concat([sp.dense_shape[:at], one, sp.dense_shape[at:]], 0)
    dims = sp.shape.as_list()
    return SparseTensor._from_parts(indices, sp.values, dense_shape,
                                    TensorShape(dims[:at] + [1] + dims[at:]))


def concat(axis, sp_inputs, expand_nonconcat_dims=False, name=None):
    """SparseTensors joined along `axis` (other dimensions equal, or with
    `expand_nonconcat_dims` the largest of each); the result is in row-major order."""
    from tfx_lite.ops import array_ops, math_ops
    if isinstance(sp_inputs, tuple):
        raise TypeError("object of type 'generator' has no len()")  # TF's own tuple handling
    if not isinstance(sp_inputs, list):
        raise TypeError("Inputs must be a list or tuple.")
    inputs = [sparse_input(x) for x in sp_inputs]
    if len(inputs) == 1:
        return inputs[0]
    tf_name = "SparseConcat"
    n = len(inputs)
    for k, x in enumerate(inputs[1:], 1):
        if x.dtype is not inputs[0].dtype:
            raise dtype_mismatch(tf_name, n + k, inputs[0].dtype, x.dtype)
    all_dims = [static_dims(x, "tf.sparse.concat") for x in inputs]
    rank = len(all_dims[0])
    for k, d in enumerate(all_dims[1:], 1):
        if len(d) != rank:
            raise invalid_argument(f"Ranks of all input tensors must match: expected {rank} but got "
                                   f"{len(d)} at position {k}", tf_name)
    axis = static_axis(axis, rank, "Concat", tf_name)
    if expand_nonconcat_dims:
        largest = [max(d[j] for d in all_dims) for j in range(rank)]
        all_dims = [tuple(d[j] if j == axis else largest[j] for j in range(rank)) for d in all_dims]
    else:
        for k, d in enumerate(all_dims[1:], 1):
            for j in range(rank):
                if j != axis and d[j] != all_dims[0][j]:
                    raise invalid_argument(f"Input shapes must match: expected {all_dims[0][j]} for "
                                           f"dimension {j} but got {d[j]} at position {k}", tf_name)
    pieces, offset = [], 0
    for x, d in zip(inputs, all_dims):
        shift = [0] * rank
        shift[axis] = offset
        pieces.append(math_ops.add(x.indices, int64_tensor(shift)) if offset else x.indices)
        offset += d[axis]
    indices = array_ops.concat(pieces, 0)
    values = array_ops.concat([x.values for x in inputs], 0)
    indices, values = call(tf_name, "sparse_reorder", indices, values)
    out = list(all_dims[0])
    out[axis] = offset
    return make_sparse(indices, values, out)


def reset_shape(sp_input, new_shape=None):
    """The same values with another dense shape: `new_shape` (no smaller than the current one),
    or the tightest shape holding the indices."""
    sp = sparse_input(sp_input)
    if new_shape is None:
        host = host_value(sp.indices, "tf.sparse.reset_shape")
        dims = (host.max(axis=0) + 1).tolist() if len(host) else [0] * host.shape[1]
        return make_sparse(sp.indices, sp.values, dims)
    new = static_ints(new_shape, "new_shape")
    dims = static_dims(sp, "tf.sparse.reset_shape")
    if len(new) != len(dims):
        raise ValueError(f"Shapes {TensorShape(new)} and {TensorShape(dims)} must have the same rank")
    if any(n < d for n, d in zip(new, dims)):
        raise ValueError("Requested new_shape should have dimension sizes >= sp_input.shape.  Found "
                         f"new_shape ({np.asarray(dims)}), sp_input.shape ({np.asarray(new)}).")
    return make_sparse(sp.indices, sp.values, new)
