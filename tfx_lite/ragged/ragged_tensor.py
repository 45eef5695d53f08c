"""tf.RaggedTensor: rows of different lengths, stored as TF stores them: a flat `values` tensor
(itself ragged for ragged_rank > 1) partitioned into rows by `row_splits` (row i is
values[row_splits[i]:row_splits[i + 1]]).

The components are ordinary Tensors, so every computation on a ragged tensor is a computation on
its values and splits through the op table: it runs eagerly, traces into a tf.function, and
GradientTape gradients flow through the values. Ops whose output size depends on the row
lengths (tiling rows, slicing inside rows, ...) read the splits on the host and are eager-only.
"""
from __future__ import annotations

import numpy as np

from tfx_lite.framework import dtypes, errors
from tfx_lite.framework.composite import CompositeTensor, TypeSpec
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.tensor import EagerTensor, Tensor
from tfx_lite.framework.tensor_shape import TensorShape, as_shape
from tfx_lite.framework.tensor_spec import TensorSpec


class RaggedTensor(CompositeTensor):
    """A ragged tensor: `values` partitioned into rows by `row_splits`."""

    __slots__ = ("_values", "_row_splits", "_uniform_row_length", "_rowids", "__weakref__")

    def __init__(self, values, row_splits, internal=False, uniform_row_length=None):
        if not internal:
            raise ValueError("RaggedTensor constructor is private; please use one of the factory "
                             "methods instead (e.g., RaggedTensor.from_row_lengths())")
        self._values = values
        self._row_splits = row_splits
        self._uniform_row_length = uniform_row_length  # a static int when every row has it
        self._rowids = None

    # --- factories ----------------------------------------------------------------------------
    @classmethod
    def from_row_splits(cls, values, row_splits, name=None, validate=True):
        values = _as_values(values)
        row_splits = _as_splits(row_splits, "row_splits")
        if validate:
            _validate_splits(row_splits, values, "from_row_splits")
        return cls(values, row_splits, internal=True)

    @classmethod
    def from_row_lengths(cls, values, row_lengths, name=None, validate=True):
        from tfx_lite.ops import array_ops, math_ops
        values = _as_values(values)
        lengths = _as_splits(row_lengths, "row_lengths")
        if validate and isinstance(lengths, EagerTensor):
            host = np.asarray(lengths._value)
            if (host < 0).any():
                raise errors.InvalidArgumentError(None, None, "Arguments to from_row_lengths do not form "
                                                  "a valid RowPartition.")
        zero = array_ops.zeros([1], lengths.dtype)
        splits = array_ops.concat([zero, math_ops.cumsum(lengths)], 0)
        if validate:
            _validate_splits(splits, values, "from_row_lengths")
        return cls(values, splits, internal=True)

    @classmethod
    def from_row_starts(cls, values, row_starts, name=None, validate=True):
        from tfx_lite.ops import array_ops
        values = _as_values(values)
        starts = _as_splits(row_starts, "row_starts")
        splits = array_ops.concat([starts, array_ops.reshape(_nvals(values, starts.dtype), [1])], 0)
        return cls.from_row_splits(values, splits, validate=validate)

    @classmethod
    def from_row_limits(cls, values, row_limits, name=None, validate=True):
        from tfx_lite.ops import array_ops
        values = _as_values(values)
        limits = _as_splits(row_limits, "row_limits")
        splits = array_ops.concat([array_ops.zeros([1], limits.dtype), limits], 0)
        return cls.from_row_splits(values, splits, validate=validate)

    @classmethod
    def from_value_rowids(cls, values, value_rowids, nrows=None, name=None, validate=True):
        from tfx_lite.ops import array_ops, math_ops
        values = _as_values(values)
        rowids = _as_splits(value_rowids, "value_rowids")
        if nrows is None:
            host = _host(rowids, "RaggedTensor.from_value_rowids without nrows")
            nrows = int(host[-1]) + 1 if host.size else 0
        nrows_t = convert_to_tensor(nrows, dtype=rowids.dtype)
        if validate and isinstance(rowids, EagerTensor):
            host = np.asarray(rowids._value)
            if host.size and ((np.diff(host) < 0).any() or host[0] < 0 or host[-1] >= int(nrows_t)):
                raise errors.InvalidArgumentError(None, None, "Arguments to from_value_rowids do not "
                                                  "form a valid RowPartition.")
        counts = math_ops.unsorted_segment_sum(array_ops.ones_like(rowids), rowids, nrows_t)
        splits = array_ops.concat([array_ops.zeros([1], rowids.dtype), math_ops.cumsum(counts)], 0)
        return cls.from_row_splits(values, splits, validate=validate)

    @classmethod
    def from_nested_row_splits(cls, flat_values, nested_row_splits, name=None, validate=True):
        return _nested(cls.from_row_splits, flat_values, nested_row_splits, "nested_row_splits", validate)

    @classmethod
    def from_nested_row_lengths(cls, flat_values, nested_row_lengths, name=None, validate=True):
        return _nested(cls.from_row_lengths, flat_values, nested_row_lengths, "nested_row_lengths", validate)

    @classmethod
    def from_nested_value_rowids(cls, flat_values, nested_value_rowids, nested_nrows=None, name=None,
                                 validate=True):
        nested_nrows = nested_nrows or [None] * len(nested_value_rowids)
        return _nested(lambda values, part, validate: cls.from_value_rowids(values, *part, validate=validate),
                       flat_values, list(zip(nested_value_rowids, nested_nrows)), "nested_value_rowids", validate)

    @classmethod
    def from_uniform_row_length(cls, values, uniform_row_length, nrows=None, validate=True, name=None):
        from tfx_lite.ops import array_ops
        values = _as_values(values)
        length = int(uniform_row_length)
        nvals = values.shape[0]
        if nrows is None:
            nrows = nvals // length if length else 0
        splits = array_ops.range(0, int(nrows) * length + 1, max(length, 1), dtype=dtypes.int64) \
            if length else array_ops.zeros([int(nrows) + 1], dtypes.int64)
        if validate and nvals is not None and int(nrows) * length != nvals:
            raise errors.InvalidArgumentError(None, None, "uniform_row_length must evenly divide the "
                                              "number of values")
        return cls(values, splits, internal=True, uniform_row_length=length)

    @classmethod
    def from_tensor(cls, tensor, lengths=None, padding=None, ragged_rank=1, name=None,
                    row_splits_dtype=dtypes.int64):
        from tfx_lite.ragged.ragged_conversion import from_tensor
        return from_tensor(tensor, lengths, padding, ragged_rank, row_splits_dtype)

    # --- components ---------------------------------------------------------------------------
    values = property(lambda self: self._values)
    row_splits = property(lambda self: self._row_splits)

    @property
    def flat_values(self):
        values = self._values
        while isinstance(values, RaggedTensor):
            values = values._values
        return values

    @property
    def nested_row_splits(self) -> tuple:
        splits, rt = [], self
        while isinstance(rt, RaggedTensor):
            splits.append(rt._row_splits)
            rt = rt._values
        return tuple(splits)

    @property
    def ragged_rank(self) -> int:
        return len(self.nested_row_splits)

    @property
    def dtype(self) -> dtypes.DType:
        return self.flat_values.dtype

    @property
    def row_splits_dtype(self) -> dtypes.DType:
        return self._row_splits.dtype

    @property
    def shape(self) -> TensorShape:
        nrows = self._row_splits.shape[0]
        nrows = None if nrows is None else nrows - 1
        dims, rt = [nrows], self
        while isinstance(rt, RaggedTensor):
            dims.append(rt._uniform_row_length)
            rt = rt._values
        return TensorShape(dims + list(rt.shape[1:]))

    def get_shape(self) -> TensorShape:
        return self.shape

    @property
    def ndim(self) -> int:
        return self.shape.rank

    @property
    def device(self) -> str:
        return self.flat_values.device

    def _is_eager(self) -> bool:
        return all(isinstance(t, EagerTensor) for t in self._to_components())

    # --- derived partitions -------------------------------------------------------------------
    def nrows(self, out_type=None, name=None):
        from tfx_lite.ops import array_ops
        nrows = array_ops.shape(self._row_splits, out_type=self._row_splits.dtype)[0] - 1
        return nrows if out_type is None else array_ops.cast(nrows, out_type)

    def row_starts(self, name=None):
        return self._row_splits[:-1]

    def row_limits(self, name=None):
        return self._row_splits[1:]

    def row_lengths(self, axis=1, name=None):
        if axis == 0:
            return self.nrows()
        if axis == 1:
            return self._row_splits[1:] - self._row_splits[:-1]
        if isinstance(self._values, RaggedTensor):
            return self.with_values(self._values.row_lengths(axis - 1))
        from tfx_lite.ops import array_ops
        shape = array_ops.shape(self._values, out_type=self._row_splits.dtype)
        return self.with_values(array_ops.fill(array_ops.shape(self._values)[:1], shape[axis - 1]))

    def nested_row_lengths(self, name=None) -> tuple:
        lengths, rt = [], self
        while isinstance(rt, RaggedTensor):
            lengths.append(rt.row_lengths())
            rt = rt._values
        return tuple(lengths)

    def value_rowids(self, name=None):
        """The row of each value. Eagerly computed on the host and kept; traced, a count at each
        position of the rows that ended before it (a scatter of the inner splits and a cumsum,
        which traces with an unknown number of values)."""
        rowids = self._rowids
        if rowids is not None:
            return rowids
        from tfx_lite.ops import array_ops, math_ops
        splits = self._row_splits
        if isinstance(splits, EagerTensor):  # on the host: no kernel to compile per shape
            self._rowids = convert_to_tensor(host_positions(np.asarray(splits._value))[0])
            return self._rowids
        nvals = _nvals(self._values, splits.dtype)
        inner = splits[1:-1]
        marks = array_ops.tensor_scatter_nd_add(
            array_ops.zeros(array_ops.reshape(nvals + 1, [1]), splits.dtype),
            array_ops.reshape(inner, [-1, 1]), array_ops.ones_like(inner))
        return math_ops.cumsum(marks)[:-1]

    def nested_value_rowids(self, name=None) -> tuple:
        rowids, rt = [], self
        while isinstance(rt, RaggedTensor):
            rowids.append(rt.value_rowids())
            rt = rt._values
        return tuple(rowids)

    def bounding_shape(self, axis=None, name=None, out_type=None):
        from tfx_lite.ops import array_ops
        out_type = dtypes.as_dtype(out_type) if out_type is not None else self._row_splits.dtype
        dims = [int(self.nrows())]
        rt = self
        while isinstance(rt, RaggedTensor):
            lengths = np.asarray(_host(rt.row_lengths(), "RaggedTensor.bounding_shape"))
            dims.append(int(lengths.max()) if lengths.size else 0)
            rt = rt._values
        dims += [int(d) for d in rt.shape[1:]]
        shape = convert_to_tensor(np.array(dims), dtype=out_type)
        if axis is None:
            return shape
        return array_ops.gather(shape, axis)

    # --- rebuilding ---------------------------------------------------------------------------
    def with_values(self, new_values):
        new_values = _as_values(new_values)
        result = RaggedTensor(new_values, self._row_splits, internal=True,
                              uniform_row_length=self._uniform_row_length)
        result._rowids = self._rowids  # the same partition
        return result

    def with_flat_values(self, new_values):
        if isinstance(self._values, RaggedTensor):
            return self.with_values(self._values.with_flat_values(new_values))
        return self.with_values(new_values)

    def with_row_splits_dtype(self, dtype):
        from tfx_lite.ops import array_ops
        dtype = dtypes.as_dtype(dtype)
        if dtype not in (dtypes.int32, dtypes.int64):
            raise ValueError(f"dtype must be int32 or int64, got {dtype!r}")
        values = self._values
        if isinstance(values, RaggedTensor):
            values = values.with_row_splits_dtype(dtype)
        return RaggedTensor(values, array_ops.cast(self._row_splits, dtype), internal=True)

    def merge_dims(self, outer_axis, inner_axis):
        from tfx_lite.ragged.ragged_conversion import merge_dims
        return merge_dims(self, outer_axis, inner_axis)

    # --- conversion ---------------------------------------------------------------------------
    def to_tensor(self, default_value=None, name=None, shape=None):
        from tfx_lite.ragged.ragged_conversion import to_tensor
        return to_tensor(self, default_value, shape)

    def to_sparse(self, name=None):
        from tfx_lite.ragged.ragged_conversion import to_sparse
        return to_sparse(self)

    def to_list(self):
        if not self._is_eager():
            raise ValueError("to_list can only be used in eager mode.")
        splits = np.asarray(self._row_splits._value).tolist()
        if isinstance(self._values, RaggedTensor):
            inner = self._values.to_list()
        else:
            inner = np.asarray(self._values._value).tolist()
        return [inner[splits[i]:splits[i + 1]] for i in range(len(splits) - 1)]

    def numpy(self):
        """TF's numpy form: rows of different lengths in an object array, equal rows stacked."""
        if not self._is_eager():
            raise ValueError("RaggedTensor.numpy() is only supported in eager mode.")
        values = self._values.numpy() if isinstance(self._values, RaggedTensor) \
            else np.asarray(self._values._value)
        splits = np.asarray(self._row_splits._value)
        rows = [values[splits[i]:splits[i + 1]] for i in range(len(splits) - 1)]
        if not rows:
            return np.zeros((0, 0) + values.shape[1:], dtype=values.dtype)
        if any(len(row) != len(rows[0]) for row in rows):
            out = np.empty(len(rows), dtype=object)
            out[:] = rows
            return out
        return np.array(rows)

    def __repr__(self):
        if self._is_eager():
            with np.printoptions(formatter={"all": _formatter}):
                text = _formatter(self.numpy())
            return f"<tf.RaggedTensor {text}>"
        return f"tf.RaggedTensor(values={self._values}, row_splits={self._row_splits})"

    def __bool__(self):
        raise TypeError("RaggedTensor may not be used as a boolean.")

    def __hash__(self):
        raise TypeError("RaggedTensor is unhashable.")

    def __len__(self):
        nrows = self.shape[0]
        if nrows is None:
            raise TypeError("len() of a RaggedTensor with an unknown number of rows")
        return nrows

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __getitem__(self, key):
        from tfx_lite.ragged.ragged_getitem import ragged_getitem
        return ragged_getitem(self, key)

    # --- composite protocol -------------------------------------------------------------------
    @property
    def _type_spec(self) -> RaggedTensorSpec:
        return RaggedTensorSpec(self.shape, self.dtype, self.ragged_rank, self.row_splits_dtype,
                                flat_values_spec=None)

    def _to_components(self) -> list:
        return [self.flat_values, *self.nested_row_splits]


class RaggedTensorSpec(TypeSpec):
    """tf.RaggedTensorSpec: the type of a RaggedTensor (its shape has None for ragged dims)."""

    __slots__ = ("_shape", "_dtype", "_ragged_rank", "_row_splits_dtype", "_flat_values_spec")

    def __init__(self, shape=None, dtype=dtypes.float32, ragged_rank=None,
                 row_splits_dtype=dtypes.int64, flat_values_spec=None):
        self._shape = as_shape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._row_splits_dtype = dtypes.as_dtype(row_splits_dtype)
        self._flat_values_spec = flat_values_spec
        rank = self._shape.rank
        if ragged_rank is None:
            if rank is None:
                raise ValueError("Must specify ragged_rank or a shape with a known rank.")
            ragged_rank = rank - 1
        if not isinstance(ragged_rank, int):
            raise TypeError(f"ragged_rank must be an int, got {ragged_rank!r}")
        if rank is not None and not 0 <= ragged_rank < max(rank, 1):
            raise ValueError(f"ragged_rank must be non-negative and less than {rank}; got {ragged_rank}")
        self._ragged_rank = ragged_rank

    shape = property(lambda self: self._shape)
    dtype = property(lambda self: self._dtype)
    ragged_rank = property(lambda self: self._ragged_rank)
    row_splits_dtype = property(lambda self: self._row_splits_dtype)
    flat_values_spec = property(lambda self: self._flat_values_spec)
    value_type = property(lambda self: RaggedTensor)

    @classmethod
    def from_value(cls, value):
        return value._type_spec

    def _serialize(self) -> tuple:
        return (self._shape, self._dtype, self._ragged_rank, self._row_splits_dtype)

    def _compatible(self, other) -> bool:
        return (self._dtype == other._dtype and self._ragged_rank == other._ragged_rank
                and self._row_splits_dtype == other._row_splits_dtype
                and self._shape.is_compatible_with(other._shape))

    @property
    def _component_specs(self) -> list:
        if self._shape.rank is None:
            raise NotImplementedError(
                f"{self!r} has an unknown rank; tfx_lite traces ragged tensors of a known rank")
        inner = list(self._shape)[self._ragged_rank + 1:]
        specs = [TensorSpec([None] + inner, self._dtype)]
        nrows = self._shape[0]
        specs.append(TensorSpec([None if nrows is None else nrows + 1], self._row_splits_dtype))
        specs += [TensorSpec([None], self._row_splits_dtype) for _ in range(self._ragged_rank - 1)]
        return specs

    def _from_components(self, components):
        flat_values, *splits = components
        if not splits:
            return flat_values
        return RaggedTensor.from_nested_row_splits(flat_values, splits, validate=False)

    def __repr__(self):
        return (f"RaggedTensorSpec({self._shape!r}, {self._dtype!r}, {self._ragged_rank}, "
                f"{self._row_splits_dtype!r})")


# --- helpers ----------------------------------------------------------------------------------

def _formatter(x):
    """TF's element formatter for printing: numpy's array2string with commas."""
    if isinstance(x, np.ndarray):
        if x.size != 0:
            return np.array2string(x, separator=", ")
        return repr(x.tolist())
    return str(x)


def _nested(factory, flat_values, partitions, what, validate):
    """`flat_values` partitioned by each of `partitions`, innermost last, with `factory`."""
    if isinstance(partitions, (Tensor, np.ndarray)):
        raise TypeError(f"{what} must be a list of Tensors")
    result = _as_values(flat_values)
    for part in reversed(partitions):
        result = factory(result, part, validate=validate)
    return result


def _as_values(values):
    if isinstance(values, RaggedTensor):
        return values
    values = convert_to_tensor(values)
    if values.shape.rank == 0:
        raise errors.InvalidArgumentError(None, None, "values must have rank at least 1; got a scalar")
    return values


def _as_splits(value, what):
    if isinstance(value, Tensor):
        tensor = value
    else:
        tensor = convert_to_tensor(value, dtype_hint=dtypes.int64)
    if tensor.dtype not in (dtypes.int32, dtypes.int64):
        raise ValueError(f"{what} must have dtype int32 or int64")
    if tensor.shape.rank != 1:
        raise ValueError(f"Shape {tensor.shape} must have rank 1")
    return tensor


def _nvals(values, dtype):
    """The number of (outer) values, as a scalar tensor of `dtype`."""
    from tfx_lite.ops import array_ops
    if isinstance(values, RaggedTensor):
        return values.nrows(out_type=dtype)
    return array_ops.shape(values, out_type=dtype)[0]


def _validate_splits(splits, values, factory):
    """TF's checks of a row partition, made eagerly (a traced partition is trusted)."""
    if not isinstance(splits, EagerTensor):
        return
    host = np.asarray(splits._value)
    nvals = _nvals(values, splits.dtype)
    problem = None
    if host.size == 0:
        raise ValueError("row_splits must have at least one element")
    if host[0] != 0:
        problem = "Arguments to from_row_splits do not form a valid RaggedTensor:zero"
    elif (np.diff(host) < 0).any():
        problem = "Arguments to from_row_splits do not form a valid RaggedTensor:monotonic."
    elif isinstance(nvals, EagerTensor) and host[-1] != int(nvals):
        problem = "Arguments to _from_row_partition do not form a valid RaggedTensor"
    if problem:
        raise errors.InvalidArgumentError(None, None, problem)


def host_positions(splits: np.ndarray) -> tuple:
    """(the row of each value, its position in its row), from row splits on the host."""
    rowids = np.repeat(np.arange(len(splits) - 1, dtype=splits.dtype), np.diff(splits))
    return rowids, np.arange(len(rowids), dtype=splits.dtype) - splits[rowids]


def _host(tensor, what):
    """A tensor's value on the host, for ops whose output size follows it (eager-only)."""
    if isinstance(tensor, EagerTensor):
        return np.asarray(tensor._value)
    from compiler.errors import VALUE_DEPENDENT
    raise TypeError(f"{what} inside a tf.function: the result's size depends on the ragged "
                    f"tensor's row lengths ({VALUE_DEPENDENT}); call it eagerly, or pass a "
                    "dense tensor")


def is_ragged(x) -> bool:
    return isinstance(x, RaggedTensor)
