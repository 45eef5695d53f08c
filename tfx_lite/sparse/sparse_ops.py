"""The tf.sparse functions, with TensorFlow's semantics, dtypes and errors.

Ops with a fixed output size (to_dense, sparse_dense_matmul, reduce_sum/reduce_max to a dense
result, reorder, reshape, transpose, concat, expand_dims, sparse (op) dense) are computations on
the components through the op table, so they also trace into a tf.function; they need the static
dense shape there (the SparseTensorSpec's). Ops whose number of values depends on the indices
(sparse + sparse, maximum/minimum, slice, split, retain, fill_empty_rows, from_dense,
output_is_sparse reductions) plan the result on the host, eagerly, and gather the values through
the op table, so gradients still reach the values.

Indices are checked eagerly, as TF's kernels check them, with TF's messages; a SparseTensor
remembers the checks it passed (its components never change).
"""
from __future__ import annotations

import builtins
import math

import numpy as np

from compiler.errors import VALUE_DEPENDENT
from compiler.ops.checks import dims as dims_text
from tfx_lite.framework import dtypes, errors
from tfx_lite.framework.convert import convert_to_tensor, scalar_tensor
from tfx_lite.framework.op_call import call, invalid_argument, to_tensor
from tfx_lite.framework.tensor import EagerTensor, Tensor
from tfx_lite.framework.tensor_shape import TensorShape
from tfx_lite.ops.static_args import static_value
from tfx_lite.sparse.sparse_tensor import SparseTensor, dtype_mismatch, not_allowed

__all__ = [
    "add", "concat", "expand_dims", "eye", "fill_empty_rows", "from_dense", "map_values",
    "maximum", "minimum", "reduce_max", "reduce_sum", "reorder", "reset_shape", "reshape",
    "retain", "slice", "sparse_dense_matmul", "split", "to_dense", "to_indicator", "transpose",
]

# TF's type lists, as its "not in the list of allowed values" messages print them.
_NUMBER_TYPES = ("float, double, int32, uint8, int16, int8, complex64, int64, qint8, quint8, "
                 "qint32, bfloat16, qint16, quint16, uint16, complex128, half, uint32, uint64")
_REAL_TYPES = "float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, uint32, uint64"


# --- helpers --------------------------------------------------------------------------------------
def _sparse(x) -> SparseTensor:
    if not isinstance(x, SparseTensor):
        raise TypeError("Input must be a SparseTensor.")
    return x


def _dims(st: SparseTensor, what: str) -> tuple:
    """The static dense shape, which XLA needs: known eagerly, and from the spec when traced."""
    shape = st.shape
    if not shape.is_fully_defined():
        raise ValueError(f"{what} needs the dense shape of its SparseTensor to be known when the "
                         f"function is traced, got {shape}")
    return tuple(shape.as_list())


def _host(t: Tensor, what: str) -> np.ndarray:
    """A value on the host, for ops whose result size follows it: eager, or computed from
    constants inside a traced function."""
    if isinstance(t, EagerTensor):
        return np.asarray(t._value)
    from tfx_lite.ops.array_ops import constant_value
    value = constant_value(t)
    if value is not None:
        return np.asarray(value)
    raise TypeError(f"{what} inside a tf.function: the size of its result {VALUE_DEPENDENT} (a "
                    "sparse tensor's indices or values), which XLA cannot compile; call it eagerly, "
                    "or use an op with a fixed result size (tf.sparse.to_dense, "
                    "sparse_dense_matmul, reduce_sum)")


def _check(st: SparseTensor, key, check) -> None:
    """Run `check(host_indices)` once per SparseTensor and `key`, eagerly (traced indices have
    no value to check)."""
    if st._checked is not None and key in st._checked:
        return
    if not isinstance(st.indices, EagerTensor):
        return
    check(np.asarray(st.indices._value))
    st._checked = (st._checked or frozenset()) | {key}


def _index_text(row) -> str:
    return "[" + ",".join(str(int(v)) for v in row) + "]"


def _first_out_of_bounds(host: np.ndarray, dims) -> int | None:
    if host.size == 0:
        return None
    bad = ((host < 0) | (host >= np.asarray(dims, np.int64))).any(axis=1)
    return int(np.argmax(bad)) if bad.any() else None


def _first_unordered(host: np.ndarray):
    """(i, repeated) for the first row not after the previous one in row-major order, or None."""
    if len(host) < 2:
        return None
    if host.shape[1] == 0:
        return 1, True
    diff = host[1:] - host[:-1]
    nonzero = diff != 0
    first = np.argmax(nonzero, axis=1)
    differs = nonzero.any(axis=1)
    bad = ~differs | (diff[np.arange(len(diff)), first] < 0)
    if not bad.any():
        return None
    i = int(np.argmax(bad))
    return i + 1, not bool(differs[i])


def _is_ordered(host: np.ndarray) -> bool:
    """Row-major order, repeats allowed (what TF's merging kernels assume)."""
    if len(host) < 2 or host.shape[1] == 0:
        return True
    diff = host[1:] - host[:-1]
    nonzero = diff != 0
    first = np.argmax(nonzero, axis=1)
    return not (nonzero.any(axis=1) & (diff[np.arange(len(diff)), first] < 0)).any()


def _int64(values) -> EagerTensor:
    return convert_to_tensor(np.asarray(values, np.int64))


def _indices_tensor(host: np.ndarray, rank: int) -> EagerTensor:
    host = np.ascontiguousarray(host, np.int64)
    return convert_to_tensor(host if host.ndim == 2 else host.reshape(-1, rank))


def _make(indices, values: Tensor, dims) -> SparseTensor:
    """A result SparseTensor: indices as a host array or tensor, a static dense shape."""
    dims = [int(d) for d in dims]
    if isinstance(indices, np.ndarray):
        indices = _indices_tensor(indices, len(dims))
    return SparseTensor._from_parts(indices, values, _int64(dims), TensorShape(dims))


def _zero(dtype: dtypes.DType) -> Tensor:
    if dtype is dtypes.string:
        return convert_to_tensor(b"")
    return scalar_tensor(False if dtype is dtypes.bool else 0, dtype)


def _take(tf_name: str, values: Tensor, positions, fill=None) -> Tensor:
    """values[positions] (through the op table: gradients reach `values`); a position equal to
    len(values) gives `fill`."""
    fill = _zero(values.dtype) if fill is None else fill
    return call(tf_name, "sparse_take", values, _int64(positions), fill)


def _ints(value, what: str) -> list:
    value = static_value(value, what)
    return [int(v) for v in (value if isinstance(value, list) else [value])]


def _default(st: SparseTensor, value, tf_name: str, index: int) -> Tensor:
    """A default value of the sparse tensor's dtype: a tensor of another dtype is the kernel's
    InvalidArgumentError, a Python value that does not convert a TypeError."""
    if value is None:
        return _zero(st.dtype)
    if not isinstance(value, Tensor) and hasattr(value, "__tf_tensor__"):
        value = convert_to_tensor(value)
    if isinstance(value, Tensor):
        if value.dtype is not st.dtype:
            raise dtype_mismatch(tf_name, index, st.dtype, value.dtype)
        return value
    return convert_to_tensor(value, dtype=st.dtype)


# --- conversion -----------------------------------------------------------------------------------
def to_dense(sp_input, default_value=None, validate_indices=True, name=None):
    """The dense tensor: `values` at `indices`, `default_value` (zero) elsewhere. With
    `validate_indices`, indices must be in bounds, sorted and unique (TF's checks, eagerly)."""
    sp = _sparse(sp_input)
    dims = _dims(sp, "tf.sparse.to_dense")
    default = _default(sp, default_value, "SparseToDense", 3)
    if default.ndim != 0:
        raise invalid_argument("default_value should be a scalar.", "SparseToDense")
    if validate_indices:
        _check(sp, ("ordered", dims), lambda host: _check_ordered(host, dims))
    else:
        _check(sp, ("in_bounds", dims), lambda host: _check_in_bounds(host, dims))
    return call("SparseToDense", "sparse_to_dense", sp.indices, sp.values, default, shape=dims)


def _check_ordered(host, dims):
    oob = _first_out_of_bounds(host, dims)
    order = _first_unordered(host)
    if oob is not None and (order is None or oob <= order[0]):
        raise invalid_argument(f"indices[{oob}] = {_index_text(host[oob])} is out of bounds: need "
                               f"0 <= index < {_index_text(dims)}", "SparseToDense")
    if order is not None:
        i, repeated = order
        if repeated:
            raise invalid_argument(f"indices[{i}] = {_index_text(host[i])} is repeated", "SparseToDense")
        raise invalid_argument(f"indices[{i}] = {_index_text(host[i])} is out of order. Many sparse ops "
                               "require sorted indices.\n    Use `tf.sparse.reorder` to create a "
                               "correctly ordered copy.\n\n", "SparseToDense")


def _check_in_bounds(host, dims):
    if _first_out_of_bounds(host, dims) is not None:
        raise invalid_argument(f"Indices are not valid (out of bounds).  Shape: {dims_text(dims)}",
                               "SparseToDense")


def from_dense(tensor, name=None):
    """The SparseTensor of the non-zero elements of `tensor` (row-major order). Eager-only: the
    number of values depends on the data."""
    x = to_tensor(tensor)
    if x.ndim == 0:
        raise invalid_argument("WhereOp : Unhandled input dimensions: 0", "Where")
    host = _host(x, "tf.sparse.from_dense")
    indices = np.argwhere(host != (b"" if x.dtype is dtypes.string else 0))
    values = call("GatherNd", "gather_nd", x, _indices_tensor(indices, x.ndim), batch_dims=0)
    return _make(indices, values, host.shape)


def to_indicator(sp_input, vocab_size, name=None):
    """A dense bool tensor [..., vocab_size]: True at (indices[i][:-1], values[i])."""
    from tfx_lite.ops import array_ops
    sp = _sparse(sp_input)
    dims = _dims(sp, "tf.sparse.to_indicator")
    vocab = int(static_value(vocab_size, "vocab_size"))
    ids = array_ops.cast(sp.values, dtypes.int64)
    indices = array_ops.concat([sp.indices[:, :-1], array_ops.expand_dims(ids, 1)], 1)
    out_dims = list(dims[:-1]) + [vocab]
    flags = array_ops.ones_like(ids, dtype=dtypes.bool)
    return to_dense(_make(indices, flags, out_dims), default_value=False, validate_indices=False)


# --- merging two sparse tensors (add, maximum, minimum) -----------------------------------------
def _merge_plan(a: np.ndarray, b: np.ndarray):
    """TF's merge of two index lists (each assumed in row-major order): equal indices pair up,
    the rest interleave. (indices, position in a, position in b); len(a) / len(b) mark a
    missing side."""
    na, nb = len(a), len(b)
    if not (_is_ordered(a) and _is_ordered(b)):
        return _merge_walk(a, b)
    rank = a.shape[1]
    # Pair the k-th occurrence of an index in a with its k-th occurrence in b: a stable sort of
    # (index, occurrence) keys then does what the kernel's merge does.
    both = np.concatenate([a, b]).reshape(-1, rank)
    occurrence = np.concatenate([_occurrence(a), _occurrence(b)])
    keys = np.concatenate([both, occurrence[:, None]], axis=1)
    order = np.lexsort(keys.T[::-1]) if len(keys) else np.zeros(0, np.int64)
    keys = keys[order]
    new = np.ones(len(keys), bool)
    if len(keys) > 1:
        new[1:] = (keys[1:] != keys[:-1]).any(axis=1)
    group = np.cumsum(new) - 1
    count = int(new.sum())
    pos_a = np.full(count, na, np.int64)
    pos_b = np.full(count, nb, np.int64)
    from_a = order < na
    pos_a[group[from_a]] = order[from_a]
    pos_b[group[~from_a]] = order[~from_a] - na
    return both[order][new], pos_a, pos_b


def _occurrence(host: np.ndarray) -> np.ndarray:
    """How many equal indices come before each one (indices in order, so repeats are adjacent)."""
    n = len(host)
    if n == 0:
        return np.zeros(0, np.int64)
    new = np.ones(n, bool)
    new[1:] = (host[1:] != host[:-1]).any(axis=1) if host.shape[1] else False
    starts = np.maximum.accumulate(np.where(new, np.arange(n), 0))
    return np.arange(n) - starts


def _merge_walk(a: np.ndarray, b: np.ndarray):
    """The kernel's merge, step by step (for indices out of order, where its result follows the
    given order)."""
    la, lb = [tuple(r) for r in a.tolist()], [tuple(r) for r in b.tolist()]
    na, nb = len(la), len(lb)
    out, pa, pb = [], [], []
    i = j = 0
    while i < na and j < nb:
        if la[i] < lb[j]:
            out.append(la[i]), pa.append(i), pb.append(nb)
            i += 1
        elif lb[j] < la[i]:
            out.append(lb[j]), pa.append(na), pb.append(j)
            j += 1
        else:
            out.append(la[i]), pa.append(i), pb.append(j)
            i += 1
            j += 1
    for k in range(i, na):
        out.append(la[k]), pa.append(k), pb.append(nb)
    for k in range(j, nb):
        out.append(lb[k]), pa.append(na), pb.append(k)
    rank = a.shape[1]
    return (np.asarray(out, np.int64).reshape(-1, rank), np.asarray(pa, np.int64),
            np.asarray(pb, np.int64))


def _check_pair(tf_name: str, a: SparseTensor, b: SparseTensor, what: str):
    if b.dtype is not a.dtype:
        raise dtype_mismatch(tf_name, 4, a.dtype, b.dtype)
    ra, rb = a.indices.shape[1], b.indices.shape[1]
    if ra is not None and rb is not None and ra != rb:
        raise invalid_argument(f"Input indices must have the same dimension, got {ra} and {rb}", tf_name)
    dims_a, dims_b = _dims(a, what), _dims(b, what)
    for d, (x, y) in enumerate(zip(dims_a, dims_b)):
        if x != y:
            raise invalid_argument(f"Operands' shapes do not match: got {x} and {y} for dimension {d}",
                                   tf_name)
    return dims_a


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


def _threshold(value, dtype: dtypes.DType) -> Tensor:
    if not isinstance(value, Tensor) and hasattr(value, "__tf_tensor__"):
        value = convert_to_tensor(value)
    if isinstance(value, Tensor):
        if value.dtype is not dtype:
            raise ValueError(f"threshold: Tensor conversion requested dtype {dtype.name} for Tensor "
                             f"with dtype {value.dtype.name}: {value!r}")
        return value
    return convert_to_tensor(value, dtype=dtype)


def _add_sparse(a: SparseTensor, b: SparseTensor, threshold) -> SparseTensor:
    threshold = _threshold(threshold, a.dtype.real_dtype)
    dims = _check_pair("SparseAdd", a, b, "tf.sparse.add")
    ha, hb = _host(a.indices, "tf.sparse.add"), _host(b.indices, "tf.sparse.add")
    indices, pos_a, pos_b = _merge_plan(ha, hb)
    values = call("SparseAdd", "sparse_merge_values", a.values, b.values, _int64(pos_a),
                  _int64(pos_b), kind="add")
    summed = (pos_a < len(ha)) & (pos_b < len(hb))
    if summed.any():  # sums below the threshold (and NaN sums) are dropped; single values never
        limit = _host(threshold, "tf.sparse.add").item()
        sums = np.abs(_host(values, "tf.sparse.add"))
        keep = ~summed | (limit <= sums)
        if not keep.all():
            indices = indices[keep]
            values = _take("SparseAdd", values, np.nonzero(keep)[0])
    return _make(indices, values, dims)


def _add_dense(sp: SparseTensor, dense) -> Tensor:
    tf_name = "SparseTensorDenseAdd"
    if not isinstance(dense, Tensor) and hasattr(dense, "__tf_tensor__"):
        dense = convert_to_tensor(dense)
    if isinstance(dense, Tensor):
        if dense.dtype is not sp.dtype:
            raise dtype_mismatch(tf_name, 3, sp.dtype, dense.dtype)
    else:
        dense = convert_to_tensor(dense, dtype=sp.dtype)
    if not (sp.dtype.is_integer or sp.dtype.is_floating or sp.dtype.is_complex):
        raise not_allowed(tf_name, sp.dtype, _NUMBER_TYPES)
    dims = _dims(sp, "tf.sparse.add")
    dense_dims = tuple(dense.shape.as_list())
    if len(dims) != len(dense_dims):
        raise invalid_argument(f"Two operands have different ranks; received: {len(dims)} and "
                               f"{len(dense_dims)}", tf_name)
    for d, (x, y) in enumerate(zip(dims, dense_dims)):
        if y is not None and x != y:
            raise invalid_argument(f"Dimension {d} does not equal (no broadcasting is supported): "
                                   f"sparse side {x} vs dense side {y}", tf_name)

    def check(host):
        row = _first_out_of_bounds(host, dims)
        if row is not None:
            bad = (host[row] < 0) | (host[row] >= np.asarray(dims))
            d = int(np.argmax(bad))
            raise invalid_argument(f"Sparse tensor has an invalid index on dimension {d}: "
                                   f"a_indices({row},{d}) = {host[row, d]}, dense tensor shape: "
                                   f"{' '.join(str(x) for x in dims)}", tf_name)
    _check(sp, ("in_bounds", dims), check)
    return call(tf_name, "sparse_dense_add", sp.indices, sp.values, dense)


def _extremum(op: str, tf_name: str, sp_a, sp_b) -> SparseTensor:
    a, b = _sparse(sp_a), _sparse(sp_b)
    dims = _check_pair(tf_name, a, b, f"tf.sparse.{op}")
    if not (a.dtype.is_integer or a.dtype.is_floating):
        raise not_allowed(tf_name, a.dtype, _NUMBER_TYPES)
    indices, pos_a, pos_b = _merge_plan(_host(a.indices, f"tf.sparse.{op}"),
                                        _host(b.indices, f"tf.sparse.{op}"))
    values = call(tf_name, "sparse_merge_values", a.values, b.values, _int64(pos_a),
                  _int64(pos_b), kind=op)
    return _make(indices, values, dims)


def maximum(sp_a, sp_b, name=None):
    """Elementwise maximum of two SparseTensors of one shape (a missing value counts as 0)."""
    return _extremum("maximum", "SparseSparseMaximum", sp_a, sp_b)


def minimum(sp_a, sp_b, name=None):
    """Elementwise minimum of two SparseTensors of one shape (a missing value counts as 0)."""
    return _extremum("minimum", "SparseSparseMinimum", sp_a, sp_b)


# --- reductions -----------------------------------------------------------------------------------
def _axes(axis, rank: int, tf_name: str) -> tuple:
    if axis is None:
        return tuple(range(rank))
    axes = []
    for a in _ints(axis, "axis"):
        if not -rank <= a < rank:
            raise invalid_argument(f"Invalid reduction dimension {a}, for input with {rank} "
                                   "dimensions.", tf_name)
        axes.append(a % rank)
    return tuple(sorted(set(axes)))


def _reduce(kind: str, sp_input, axis, keepdims, output_is_sparse):
    if not isinstance(sp_input, SparseTensor):
        raise AttributeError(f"'{type(sp_input).__name__}' object has no attribute 'indices'")
    sp = sp_input
    tf_name = ("SparseReduceSum" if kind == "sum" else "SparseReduceMax") + \
        ("Sparse" if output_is_sparse else "")
    dtype = sp.dtype
    if kind == "sum" and not (dtype.is_integer or dtype.is_floating or dtype.is_complex):
        raise not_allowed(tf_name, dtype, _NUMBER_TYPES)
    if kind == "max" and not (dtype.is_integer or dtype.is_floating):
        raise not_allowed(tf_name, dtype, _REAL_TYPES)
    dims = _dims(sp, f"tf.sparse.reduce_{kind}")
    axes = _axes(axis, len(dims), tf_name)
    keepdims = bool(keepdims)
    if not output_is_sparse:
        return call(tf_name, "sparse_reduce", sp.indices, sp.values, shape=dims, axes=axes,
                    keepdims=keepdims, reducer=kind)
    host = _host(sp.indices, f"tf.sparse.reduce_{kind}(output_is_sparse=True)")
    kept = [d for d in range(len(dims)) if d not in axes]
    keys = host[:, kept]
    if len(keys):
        groups, ids = np.unique(keys, axis=0, return_inverse=True)
    else:
        groups, ids = keys, np.zeros(0, np.int64)
    op, attrs = ("segment_sum", {}) if kind == "sum" else ("segment_max", {"empty_zero": True})
    values = call(tf_name, op, sp.values, _int64(ids.reshape(-1)), num_segments=len(groups), **attrs)
    if keepdims:
        indices = np.zeros((len(groups), len(dims)), np.int64)
        indices[:, kept] = groups
        out_dims = [1 if d in axes else dims[d] for d in range(len(dims))]
    else:
        indices, out_dims = groups, [dims[d] for d in kept]
    return _make(indices, values, out_dims)


def reduce_sum(sp_input, axis=None, keepdims=None, output_is_sparse=False, name=None):
    """Sum over `axis` (all axes for None); a dense Tensor, or a SparseTensor of the positions
    that had values with `output_is_sparse`."""
    return _reduce("sum", sp_input, axis, keepdims, output_is_sparse)


def reduce_max(sp_input, axis=None, keepdims=None, output_is_sparse=False, name=None):
    """Maximum over `axis` of the values present (implicit zeros take no part; a position with
    no values gives 0)."""
    return _reduce("max", sp_input, axis, keepdims, output_is_sparse)


# --- products and elementwise ops with a dense operand -------------------------------------------
def sparse_dense_matmul(sp_a, b, adjoint_a=False, adjoint_b=False, name=None):
    """A @ B with A a rank-2 SparseTensor (or B one, computed as (B' A')')."""
    if isinstance(b, SparseTensor):
        from tfx_lite.ops.array_ops import transpose as dense_transpose
        if adjoint_a != adjoint_b:
            return dense_transpose(sparse_dense_matmul(b, sp_a, adjoint_a, adjoint_b))
        return dense_transpose(sparse_dense_matmul(b, sp_a, adjoint_a=not adjoint_a,
                                                   adjoint_b=not adjoint_b))
    sp = _sparse(sp_a)
    b = to_tensor(b)
    tf_name = "SparseTensorDenseMatMul"
    adjoint_a, adjoint_b = bool(adjoint_a), bool(adjoint_b)
    if b.dtype is not sp.dtype:
        raise dtype_mismatch(tf_name, 3, sp.dtype, b.dtype)
    if sp.dtype in (dtypes.string, dtypes.bool):
        raise errors.NotFoundError(
            None, None, f"Could not find device for node: {{{{node {tf_name}}}}} = {tf_name}"
                        f"[T=DT_{sp.dtype.name.upper()}, Tindices=DT_INT64, "
                        f"adjoint_a={str(adjoint_a).lower()}, adjoint_b={str(adjoint_b).lower()}]")
    dims = _dims(sp, "tf.sparse.sparse_dense_matmul")
    if len(dims) != 2:
        raise invalid_argument("Tensor 'a_shape' must have 2 elements", tf_name)
    if b.ndim != 2:
        raise invalid_argument("Tensor 'b' is not a matrix", tf_name)
    inner_left = dims[0 if adjoint_a else 1]
    inner_right = b.shape[1 if adjoint_b else 0]
    if inner_right is not None and inner_left != inner_right:
        raise invalid_argument(
            f"Cannot multiply A and B because inner dimension does not match: {inner_left} vs. "
            f"{inner_right}.  Did you forget a transpose?  Dimensions of A: [{dims[0]}, {dims[1]}).  "
            f"Dimensions of B: {dims_text(b.shape.as_list())}", tf_name)
    lhs = 1 if adjoint_a else 0

    def check(host):
        if host.size == 0:
            return
        m, k = host[:, lhs], host[:, 1 - lhs]
        bad_k = (k < 0) | (k >= dims[1 - lhs])
        bad_m = (m < 0) | (m >= dims[lhs])
        bad = bad_k | bad_m
        if bad.any():
            i = int(np.argmax(bad))
            if bad_k[i]:
                raise invalid_argument(f"k ({k[i]}) from index[{i},{1 - lhs}] out of bounds "
                                       f"(>={dims[1 - lhs]})", tf_name)
            raise invalid_argument(f"m ({m[i]}) from index[{i},{lhs}] out of bounds (>={dims[lhs]})",
                                   tf_name)
    _check(sp, ("matmul", dims, adjoint_a), check)
    return call(tf_name, "sparse_dense_matmul", sp.indices, sp.values, b, shape=dims,
                adjoint_a=adjoint_a, adjoint_b=adjoint_b)


def _operand(y, dtype: dtypes.DType) -> Tensor:
    """The dense operand of `sparse * y` / `sparse / y`, converted to the sparse dtype."""
    if not isinstance(y, Tensor) and hasattr(y, "__tf_tensor__"):
        y = convert_to_tensor(y)
    if isinstance(y, Tensor):
        if y.dtype is not dtype:
            raise ValueError(f"y: Tensor conversion requested dtype {dtype.name} for Tensor with "
                             f"dtype {y.dtype.name}: {y!r}")
        return y
    return convert_to_tensor(y, dtype=dtype)


def _cwise_values(op: str, sp: SparseTensor, y: Tensor) -> Tensor:
    tf_name = "SparseDenseCwiseMul" if op == "mul" else "SparseDenseCwiseDiv"
    dtype = sp.dtype
    if dtype.is_complex:
        raise errors.NotFoundError(None, None, f"Could not find device for node: {{{{node {tf_name}}}}} "
                                               f"= {tf_name}[T=DT_{dtype.name.upper()}]")
    if not (dtype.is_integer or dtype.is_floating):
        raise not_allowed(tf_name, dtype, _NUMBER_TYPES)
    dims = _dims(sp, "a sparse * dense operation")
    dense_dims = y.shape.as_list()
    aligned = dims[len(dims) - len(dense_dims):] if len(dense_dims) <= len(dims) else None
    if aligned is None or any(d is not None and d != 1 and d != s
                              for d, s in zip(dense_dims, aligned)):
        raise invalid_argument(f"SparseDenseBinaryOpShared broadcasts dense to sparse only; got "
                               f"incompatible shapes: {dims_text(dims)} vs. {dims_text(dense_dims)}",
                               tf_name)

    def check(host):
        if _first_out_of_bounds(host, dims) is not None:
            raise invalid_argument("Provided indices are out-of-bounds w.r.t. dense side with "
                                   "broadcasted shape", tf_name)
    _check(sp, ("in_bounds", dims), check)
    if op == "div" and isinstance(y, EagerTensor) and isinstance(sp.indices, EagerTensor):
        dense = np.asarray(y._value)
        if not dense.all() and not _picked(np.asarray(sp.indices._value), dense).all():
            raise invalid_argument("SparseDenseCwiseDiv cannot divide by zero,but input dense "
                                   "tensor contains zero ", tf_name)
    return call(tf_name, "sparse_dense_cwise", sp.indices, sp.values, y, shape=dims, kind=op)


def _picked(host: np.ndarray, dense: np.ndarray) -> np.ndarray:
    """The dense operand's elements at the sparse indices (dense broadcast to the sparse shape)."""
    offset = host.shape[1] - dense.ndim
    return dense[tuple(np.zeros(len(host), np.int64) if dense.shape[k] == 1 else host[:, offset + k]
                       for k in range(dense.ndim))]


def sparse_dense_cwise(op: str, sp: SparseTensor, y) -> SparseTensor:
    """`sp * y` or `sp / y` (TF's __div__: integers divide with truncation) at sp's indices."""
    y = _operand(y, sp.dtype)
    return SparseTensor._from_parts(sp.indices, _cwise_values(op, sp, y), sp.dense_shape, sp.shape)


_TRUEDIV = {
    dtypes.uint8: dtypes.float32, dtypes.int8: dtypes.float32, dtypes.uint16: dtypes.float32,
    dtypes.int16: dtypes.float32, dtypes.uint32: dtypes.float64, dtypes.int32: dtypes.float64,
    dtypes.uint64: dtypes.float64, dtypes.int64: dtypes.float64, dtypes.bfloat16: None,
    dtypes.float16: None, dtypes.float32: None, dtypes.float64: None, dtypes.complex64: None,
    dtypes.complex128: None,
}


def sparse_dense_truediv(sp: SparseTensor, y) -> SparseTensor:
    """`sp / y`: integers divide in floating point, as tf.truediv does."""
    from tfx_lite.ops.array_ops import cast
    y = _operand(y, sp.dtype)
    if sp.dtype not in _TRUEDIV:
        raise TypeError(f"Invalid dtype {sp.dtype!r} in __truediv__. Expected one of "
                        f"{{{', '.join(repr(d) for d in _TRUEDIV)}}}.")
    target = _TRUEDIV[sp.dtype]
    if target is not None:
        sp = SparseTensor._from_parts(sp.indices, cast(sp.values, target), sp.dense_shape, sp.shape)
        y = cast(y, target)
    return SparseTensor._from_parts(sp.indices, _cwise_values("div", sp, y), sp.dense_shape, sp.shape)


# --- reordering and reshaping ---------------------------------------------------------------------
def reorder(sp_input, name=None):
    """The same SparseTensor with its indices in row-major order (a stable sort)."""
    sp = _sparse(sp_input)
    indices, values = call("SparseReorder", "sparse_reorder", sp.indices, sp.values)
    return SparseTensor._from_parts(indices, values, sp.dense_shape, sp.shape)


def reshape(sp_input, shape, name=None):
    """The same values in a dense shape of the same size (one dimension may be -1)."""
    sp = _sparse(sp_input)
    tf_name = "SparseReshape"
    dims = _dims(sp, "tf.sparse.reshape")
    new = _ints(shape, "shape") if not isinstance(shape, TensorShape) else \
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
    return _make(indices, sp.values, new)


def transpose(sp_input, perm=None, name=None):
    """Dimensions permuted by `perm` (reversed by default); the result is in row-major order."""
    from tfx_lite.ops import array_ops
    sp = _sparse(sp_input)
    dims = _dims(sp, "tf.sparse.transpose")
    perm = list(reversed(range(len(dims)))) if perm is None else _ints(perm, "perm")
    indices = array_ops.gather(sp.indices, perm, axis=1)
    indices, values = call("SparseReorder", "sparse_reorder", indices, sp.values)
    return _make(indices, values, [dims[p] for p in perm])


def expand_dims(sp_input, axis=None, name=None):
    """A dimension of size 1 inserted at `axis` (-1 by default: last)."""
    from tfx_lite.ops import array_ops
    sp = _sparse(sp_input)
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
    one = _int64([1])
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
    inputs = [_sparse(x) for x in sp_inputs]
    if len(inputs) == 1:
        return inputs[0]
    tf_name = "SparseConcat"
    n = len(inputs)
    for k, x in enumerate(inputs[1:], 1):
        if x.dtype is not inputs[0].dtype:
            raise dtype_mismatch(tf_name, n + k, inputs[0].dtype, x.dtype)
    all_dims = [_dims(x, "tf.sparse.concat") for x in inputs]
    rank = len(all_dims[0])
    for k, d in enumerate(all_dims[1:], 1):
        if len(d) != rank:
            raise invalid_argument(f"Ranks of all input tensors must match: expected {rank} but got "
                                   f"{len(d)} at position {k}", tf_name)
    axis = int(static_value(axis, "axis"))
    if not -rank <= axis < rank:
        raise invalid_argument(f"Concat dimension must be in range [{-rank}, {rank}), got {axis}",
                               tf_name)
    axis %= rank
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
        pieces.append(math_ops.add(x.indices, _int64(shift)) if offset else x.indices)
        offset += d[axis]
    indices = array_ops.concat(pieces, 0)
    values = array_ops.concat([x.values for x in inputs], 0)
    indices, values = call(tf_name, "sparse_reorder", indices, values)
    out = list(all_dims[0])
    out[axis] = offset
    return _make(indices, values, out)


# --- selecting values (eager-only: the number of values depends on the indices) -----------------
def slice(sp_input, start, size, name=None):  # noqa: A001  (TF's name)
    """The values with start <= index < start + size, re-based at `start`; the dense shape is
    cut at the input's."""
    sp = _sparse(sp_input)
    tf_name = "SparseSlice"
    dims = _dims(sp, "tf.sparse.slice")
    rank = len(dims)
    start, size = _ints(start, "start"), _ints(size, "size")
    for what, v in (("start", start), ("size", size)):
        if len(v) != rank:
            raise invalid_argument(f"Expected {what} to be a vector of length {rank} but got length "
                                   f"{len(v)}", tf_name)
    host = _host(sp.indices, "tf.sparse.slice")
    lo, hi = np.asarray(start, np.int64), np.asarray(start, np.int64) + np.asarray(size, np.int64)
    keep = ((host >= lo) & (host < hi)).all(axis=1) if rank else np.ones(len(host), bool)
    positions = np.nonzero(keep)[0]
    out_dims = [builtins.max(builtins.min(s + z, d) - s, 0) for s, z, d in zip(start, size, dims)]
    return _make(host[keep] - lo, _take(tf_name, sp.values, positions), out_dims)


def split(sp_input=None, num_split=None, axis=None, name=None):
    """`num_split` SparseTensors along `axis`; the first dim % num_split pieces are one longer."""
    sp = _sparse(sp_input)
    dims = _dims(sp, "tf.sparse.split")
    num = int(static_value(num_split, "num_split"))
    axis = int(static_value(axis, "axis"))
    if not -len(dims) <= axis < len(dims):
        raise invalid_argument(f"Split dimension must be in range [{-len(dims)}, {len(dims)}), got "
                               f"{axis}", "SparseSplit")
    axis %= len(dims)
    base, extra = divmod(dims[axis], num)
    pieces, begin = [], 0
    for k in range(num):
        length = base + (1 if k < extra else 0)
        start = [0] * len(dims)
        start[axis] = begin
        size = list(dims)
        size[axis] = length
        pieces.append(slice(sp, start, size))
        begin += length
    return pieces


def retain(sp_input, to_retain):
    """The values (and their indices) where the bool vector `to_retain` is true."""
    sp = _sparse(sp_input)
    keep = to_tensor(to_retain)
    keep.shape.with_rank(1)
    n, m = sp.values.shape[0], keep.shape[0]
    if n is not None and m is not None and n != m:
        raise ValueError(f"Dimensions {n} and {m} are not compatible")
    positions = np.nonzero(_host(keep, "tf.sparse.retain"))[0]
    host = _host(sp.indices, "tf.sparse.retain")
    return SparseTensor._from_parts(_indices_tensor(host[positions], host.shape[1]),
                                    _take("SparseRetain", sp.values, positions), sp.dense_shape,
                                    sp.shape)


def fill_empty_rows(sp_input, default_value, name=None):
    """(SparseTensor with `default_value` at [row, 0, ...] for each row that had no value, rows
    in order; bool vector of the rows that were empty)."""
    sp = _sparse(sp_input)
    default = convert_to_tensor(default_value, dtype=sp.dtype)
    dims = _dims(sp, "tf.sparse.fill_empty_rows")
    host = _host(sp.indices, "tf.sparse.fill_empty_rows")
    rows = dims[0]
    empty = np.ones(rows, bool)
    empty[host[:, 0][(host[:, 0] >= 0) & (host[:, 0] < rows)]] = False
    new_rows = np.nonzero(empty)[0]
    added = np.zeros((len(new_rows), len(dims)), np.int64)
    added[:, 0] = new_rows
    indices = np.concatenate([host, added]).reshape(-1, len(dims))
    positions = np.concatenate([np.arange(len(host)), np.full(len(new_rows), len(host))])
    order = np.argsort(indices[:, 0], kind="stable")
    values = _take("SparseFillEmptyRows", sp.values, positions[order], default)
    return _make(indices[order], values, dims), convert_to_tensor(empty)


def reset_shape(sp_input, new_shape=None):
    """The same values with another dense shape: `new_shape` (no smaller than the current one),
    or the tightest shape holding the indices."""
    sp = _sparse(sp_input)
    if new_shape is None:
        host = _host(sp.indices, "tf.sparse.reset_shape")
        dims = (host.max(axis=0) + 1).tolist() if len(host) else [0] * host.shape[1]
        return _make(sp.indices, sp.values, dims)
    new = _ints(new_shape, "new_shape")
    dims = _dims(sp, "tf.sparse.reset_shape")
    if len(new) != len(dims):
        raise ValueError(f"Shapes {TensorShape(new)} and {TensorShape(dims)} must have the same rank")
    if any(n < d for n, d in zip(new, dims)):
        raise ValueError("Requested new_shape should have dimension sizes >= sp_input.shape.  Found "
                         f"new_shape ({np.asarray(dims)}), sp_input.shape ({np.asarray(new)}).")
    return _make(sp.indices, sp.values, new)


# --- building -------------------------------------------------------------------------------------
def eye(num_rows, num_columns=None, dtype=dtypes.float32, name=None):
    """A sparse identity matrix [num_rows, num_columns]."""
    from tfx_lite.ops import array_ops
    rows = int(static_value(num_rows, "num_rows"))
    cols = rows if num_columns is None else int(static_value(num_columns, "num_columns"))
    k = builtins.min(rows, cols)
    diagonal = np.arange(k, dtype=np.int64)
    return _make(np.stack([diagonal, diagonal], axis=1), array_ops.ones([k], dtype), [rows, cols])


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
    return SparseTensor._from_parts(first.indices, op(*args, **kwargs), first.dense_shape, first.shape)


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
