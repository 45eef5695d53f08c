"""Sparse (COO) kernels: TF's SparseTensor ops on the components of a sparse tensor, indices
(int64 [N, rank]) and values ([N]), with the dense shape as a static attribute.

Output sizes are static: ops whose number of output values depends on the data (sparse + sparse,
slicing, from_dense) are planned on the host by the front end, which then gathers the values with
`sparse_take` and `sparse_merge_values` here, so gradients still flow into the values.
Indices out of the dense shape are dropped by scatters, never wrapped (front ends check them
eagerly, with TensorFlow's messages).
"""
from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np

from compiler.ops.registry import defop


def _columns(indices, shape):
    """The index columns, negative entries moved out of bounds (so scatters drop them)."""
    return tuple(jnp.where(indices[:, k] < 0, shape[k], indices[:, k]) for k in range(len(shape)))


def _linear(indices, dims, columns):
    """Row-major position of each index within the dimensions `columns` of sizes `dims`."""
    lin = jnp.zeros(indices.shape[:1], jnp.int64)
    for k, size in zip(columns, dims):
        lin = lin * size + indices[:, k]
    return lin


def _to_dense_host(indices, values, default, *, shape):
    out = np.full(shape, np.asarray(default).reshape(()).item(), dtype=object)
    for i, v in zip(np.asarray(indices).tolist(), np.asarray(values).tolist()):
        out[tuple(i)] = v
    return out


@defop("sparse_to_dense", host_impl=_to_dense_host)
def sparse_to_dense(indices, values, default, *, shape):
    """A dense tensor of `shape` filled with the scalar `default`, `values` written at `indices`
    (a repeated index keeps its last value, as TF's kernel does without validation)."""
    default = jnp.asarray(default, values.dtype).reshape(())
    if not shape:
        return values[-1] if values.shape[0] else default
    out = jnp.full(shape, default, values.dtype)
    return out.at[_columns(indices, shape)].set(values, mode="drop")


@defop("sparse_dense_add")
def sparse_dense_add(indices, values, dense):
    """`dense` with `values` added at `indices` (repeated indices add up)."""
    dense = jnp.asarray(dense)
    if not dense.shape:
        return dense + jnp.sum(values)
    return dense.at[_columns(indices, dense.shape)].add(values, mode="drop")


@defop("sparse_dense_matmul")
def sparse_dense_matmul(indices, values, b, *, shape, adjoint_a, adjoint_b):
    """A @ B for A sparse [m, k] (or its adjoint) and B dense: gather B's rows at the column
    indices, scale them by the values and sum them into the output rows."""
    indices, values, b = jnp.asarray(indices), jnp.asarray(values), jnp.asarray(b)
    rows, cols = indices[:, 0], indices[:, 1]
    m, _ = shape
    if adjoint_a:
        rows, cols, m = cols, rows, shape[1]
        values = jnp.conj(values)
    if adjoint_b:
        b = jnp.conj(b.T)
    if values.shape[0] == 0:
        return jnp.zeros((m, b.shape[1]), jnp.result_type(values, b))
    picked = jnp.take(b, cols, axis=0, mode="fill", fill_value=0)
    return jax.ops.segment_sum(values[:, None] * picked, rows, num_segments=m)


def _reorder_host(indices, values):
    indices = np.asarray(indices)
    if indices.shape[0] == 0 or indices.shape[1] == 0:
        return indices, values
    order = np.lexsort(indices.T[::-1])
    return indices[order], np.asarray(values)[order]


@defop("sparse_reorder", host_impl=_reorder_host)
def sparse_reorder(indices, values):
    """Indices in row-major (canonical) order, and their values; a stable sort, so repeated
    indices keep their relative order."""
    indices, values = jnp.asarray(indices), jnp.asarray(values)
    rank = indices.shape[1]
    if indices.shape[0] == 0 or rank == 0:
        return indices, values
    order = jnp.lexsort(tuple(indices[:, k] for k in reversed(range(rank))))
    return indices[order], values[order]


@defop("sparse_reshape")
def sparse_reshape(indices, *, shape, new_shape):
    """The indices of the same dense positions in a tensor of `new_shape` (same size)."""
    lin = _linear(indices, shape, range(len(shape)))
    out = []
    for size in reversed(new_shape):
        out.append(lin % size if size else lin)
        lin = lin // size if size else lin
    return jnp.stack(out[::-1], axis=1) if out else jnp.zeros((indices.shape[0], 0), jnp.int64)


@defop("sparse_reduce")
def sparse_reduce(indices, values, *, shape, axes, keepdims, reducer):
    """Sum or max of the values over `axes` into a dense result. For "max", only the values
    present take part, and an output position with none is 0 (TF's SparseReduceMax)."""
    kept = [d for d in range(len(shape)) if d not in axes]
    dims = [shape[d] for d in kept]
    count = math.prod(dims)
    lin = _linear(indices, dims, kept)
    if reducer == "sum":
        out = jax.ops.segment_sum(values, lin, num_segments=count)
    else:
        out = jax.ops.segment_max(values, lin, num_segments=count)
        present = jax.ops.segment_sum(jnp.ones(values.shape, jnp.int32), lin, num_segments=count)
        out = jnp.where(present > 0, out, jnp.zeros((), values.dtype))
    final = [1 if d in axes else shape[d] for d in range(len(shape))] if keepdims else dims
    return out.reshape(final)


@defop("sparse_dense_cwise")
def sparse_dense_cwise(indices, values, dense, *, shape, kind):
    """values (kind: "mul" or "div") dense at each index, `dense` broadcasting to the dense
    shape `shape`."""
    indices, values, dense = jnp.asarray(indices), jnp.asarray(values), jnp.asarray(dense)
    offset = len(shape) - dense.ndim
    if dense.ndim == 0:
        picked = jnp.broadcast_to(dense, values.shape)
    else:
        picked = dense[tuple(jnp.zeros_like(indices[:, 0]) if dense.shape[k] == 1
                             else indices[:, offset + k] for k in range(dense.ndim))]
    if kind == "mul":
        return values * picked
    if jnp.issubdtype(values.dtype, jnp.integer):  # C++ integer division: truncation
        return jax.lax.div(values, picked)
    return values / picked


def _take_host(values, positions, fill):
    values, positions = np.asarray(values), np.asarray(positions)
    out = np.full(positions.shape, np.asarray(fill).reshape(()).item(), dtype=object)
    inside = positions < len(values)
    out[inside] = values[positions[inside]]
    return out


@defop("sparse_take", host_impl=_take_host)
def sparse_take(values, positions, fill):
    """values[positions], the scalar `fill` where a position is out of range (the front ends'
    host plans use len(values) for "no value here")."""
    values = jnp.asarray(values)
    fill = jnp.asarray(fill, values.dtype).reshape(())
    if values.shape[0] == 0:
        return jnp.broadcast_to(fill, positions.shape)
    picked = jnp.take(values, positions, mode="fill", fill_value=0)
    return jnp.where(positions < values.shape[0], picked, fill)


@defop("sparse_merge_values")
def sparse_merge_values(a, b, pos_a, pos_b, *, kind):
    """The values of a union of two sparse tensors: a[pos_a] (kind) b[pos_b], where a missing
    side (position out of range) counts as 0; kind is "add", "maximum" or "minimum"."""
    zero = jnp.zeros((), a.dtype)
    va = sparse_take(a, pos_a, zero)
    vb = sparse_take(b, pos_b, zero)
    if kind == "add":
        return va + vb
    return getattr(jnp, kind)(va, vb)
