"""tf.TensorArray, in two implementations chosen when one is created (as TF chooses between its
eager and graph TensorArrays):

- eagerly (no trace active): `_EagerTensorArray`, a Python list of eager tensors that methods
  change in place and return `self`, with TF's eager checks and error messages (a copy of TF's
  `_EagerTensorArray`);
- while a function is traced: `_TracedTensorArray`, a functional array over one dense buffer of
  shape [capacity, *element_shape] with a static capacity, as XLA needs. `write`, `scatter`,
  `unstack`, `split` return a new TensorArray over an updated buffer (TF's `ta = ta.write(i, x)`);
  `stack` is the buffer. Its ops are the public tfx_lite ops, so they appear in the IR and are
  differentiated like any other.

Both are JAX pytrees, so `tf.while_loop`, `tf.cond` and `tf.function` carry them:
- traced: children `(buffer,)` (or `()` before the first write, when the element shape is not
  known yet); aux data `(dtype, capacity, element_shape, dynamic_size, infer_shape, lineage)`.
  `lineage` is a token shared by every TensorArray derived from the same original (by write,
  scatter, unflattening, ...), so a loop body's result has the loop variable's treedef;
- eager: no children; the aux data is the TensorArray itself (it is changed in place, so an eager
  `tf.while_loop` body returns the very object it was given).

tf.while_loop completes a traced TensorArray loop value from an iteration traced on the side
(`_loop_var_from_first_iteration`: the element shape its writes reveal; for dynamic_size, the
elements written per iteration, counted by `recording_writes`, times the trip count).
"""
from __future__ import annotations

import contextlib
import operator

import jax
import numpy as np

from compiler import current_builder
from tfx_lite.framework import dtypes, errors
from tfx_lite.framework.convert import constant, convert_to_tensor
from tfx_lite.framework.op_call import invalid_argument, kernel_type_name
from tfx_lite.framework.tensor import EagerTensor, Tensor
from tfx_lite.framework.tensor_shape import TensorShape, as_shape
from tfx_lite.ops.static_args import known_array

__all__ = ["TensorArray", "recording_writes"]


def _ops():
    from tfx_lite.ops import array_ops
    return array_ops


class TensorArray:
    """tf.TensorArray: a list of tensors of one dtype, written and read by index.

    `TensorArray(...)` makes an `_EagerTensorArray` when no trace is active and a
    `_TracedTensorArray` inside a traced function; both are instances of this class."""

    def __new__(cls, *args, **kwargs):
        if cls is TensorArray:
            cls = _EagerTensorArray if current_builder() is None else _TracedTensorArray
        return object.__new__(cls)

    @property
    def dtype(self):
        """The data type of this TensorArray."""
        return self._dtype

    @property
    def element_shape(self) -> TensorShape:
        """The shape of the elements (as far as known)."""
        return self._element_shape

    @property
    def dynamic_size(self) -> bool:
        """Whether writes may grow the TensorArray past its size."""
        return self._dynamic_size

    @property
    def handle(self):
        return None

    @property
    def flow(self):
        """For compatibility (TF eager: a dummy int32 zero)."""
        return constant(0, dtypes.int32)

    def grad(self, source, flow=None, name=None):
        raise NotImplementedError("TensorArray.grad is not supported: gradients flow through "
                                  "TensorArray operations like through any other op")


def _zeros(shape: TensorShape, dtype):
    if not shape.is_fully_defined():
        raise ValueError(f"Cannot convert a partially known TensorShape {shape} to a Tensor.")
    return _ops().zeros(shape.as_list(), dtype)


def _holds_tensor(value) -> bool:
    return isinstance(value, Tensor) or (isinstance(value, (list, tuple)) and
                                         any(_holds_tensor(v) for v in value))


def _value(value, dtype) -> Tensor:
    """`value` as a tensor, a Python value taking the TensorArray's dtype where it fits. A list
    holding tensors is stacked, so that a recording tape sees it (as TF's auto-packing)."""
    if isinstance(value, (list, tuple)) and _holds_tensor(value):
        return _ops().stack([_value(v, dtype) for v in value])
    return convert_to_tensor(value, dtype_hint=dtype)


# --- eager -----------------------------------------------------------------------------------

_CAPTURED = ("Attempting to build a graph-mode TF2-style TensorArray from either an eager-mode "
             "TensorArray or a TF1-style TensorArray.  This is not currently supported.  You may "
             "be attempting to capture a TensorArray inside a tf.function or tf.data map "
             "function. Instead, construct a new TensorArray inside the function.")


@jax.tree_util.register_pytree_node_class
class _EagerTensorArray(TensorArray):
    """TF's eager TensorArray: a list of eager tensors (None: not written), changed in place."""

    def __init__(self, dtype, size=None, dynamic_size=None, clear_after_read=None,
                 tensor_array_name=None, handle=None, flow=None, infer_shape=True,
                 element_shape=None, colocate_with_first_write_call=True, name=None):
        if handle is not None:
            raise ValueError("TensorArray handles are not supported when eager execution is "
                             "enabled.")
        if size is None:
            raise ValueError("Size must be declared for TensorArrays when eager execution is "
                             "enabled.")
        self._dtype = dtypes.as_dtype(dtype)
        self._dynamic_size = bool(dynamic_size)
        self._infer_shape = infer_shape
        self._element_shape = as_shape(element_shape)
        self._clear_after_read = True if clear_after_read is None else clear_after_read
        self._previously_read = set()
        if isinstance(size, EagerTensor):
            size = size.numpy()
        self._list = [None] * int(size)

    def __repr__(self):
        return f"<tfx_lite.tensor_array.TensorArray object at {id(self):#x}>"

    def tree_flatten(self):
        return (), self

    @classmethod
    def tree_unflatten(cls, aux, children):
        return aux

    def _check_eager(self):
        if current_builder() is not None:
            raise NotImplementedError(_CAPTURED)

    @staticmethod
    def _index(index):
        return index.numpy() if isinstance(index, EagerTensor) else index

    def identity(self):
        return self

    def read(self, index, name=None):
        """The element at `index`; with clear_after_read (the default) it is then cleared."""
        self._check_eager()
        index = self._index(index)
        if index < 0:
            raise errors.OutOfRangeError(
                None, None, "Reading from negative indices (index %d) is not allowed." % index)
        if index >= len(self._list):
            raise errors.OutOfRangeError(None, None, "Tried to read from index %d but array size "
                                         "is: %d " % (index, len(self._list)))
        tensor = self._list[index]
        if tensor is None:
            if index in self._previously_read:
                raise errors.InvalidArgumentError(
                    None, None, "Could not read index %d twice because it was cleared after a "
                    "previous read (perhaps try setting clear_after_read = false?)" % index)
            tensor = self._maybe_zero(index)
        if self._clear_after_read:
            self._list[index] = None
            self._previously_read.add(index)
        return tensor

    def _write(self, index, value):
        index = self._index(index)
        if index < 0:
            raise errors.OutOfRangeError(
                None, None, "Writing to negative indices (index %d) is not allowed." % index)
        size = len(self._list)
        if index >= size:
            if not self._dynamic_size:
                raise errors.OutOfRangeError(None, None, "Tried to write to index %d but array is "
                                             "not resizeable and size is: %d " % (index, size))
            self._list.extend(None for _ in range(index - size + 1))
        value = _value(value, self._dtype)
        if value.dtype is not self._dtype:
            raise errors.InvalidArgumentError(
                None, None, "TensorArray dtype is %s but Op is trying to write dtype %s " %
                (self._dtype.name, value.dtype.name))
        if not self._element_shape.is_compatible_with(value.shape):
            raise ValueError("Incompatible shape for value (%s), expected (%s)" %
                             (value.shape, self._element_shape))
        if self._infer_shape:
            self._element_shape = self._element_shape.merge_with(value.shape)
        self._list[index] = value

    def write(self, index, value, name=None):
        """Writes `value` at `index` (in place) and returns this TensorArray."""
        self._check_eager()
        self._write(index, value)
        return self

    def _maybe_zero(self, index):
        value = self._list[index]
        if value is None:
            value = self._list[index] = _zeros(self._element_shape, self._dtype)
        return value

    def _stacked(self, tensors):
        """tf.stack of the elements (recorded by tapes), in the TensorArray's dtype."""
        ops = _ops()
        return ops.stack([t if t.dtype is self._dtype else ops.cast(t, self._dtype)
                          for t in tensors])

    def stack(self, name=None):
        """All elements stacked; unwritten ones are zeros of the element shape."""
        self._check_eager()
        for i in range(len(self._list)):
            self._maybe_zero(i)
        if self._list:
            return self._stacked(self._list)
        if self._element_shape.is_fully_defined():
            return _zeros(TensorShape([0]) + self._element_shape, self._dtype)
        return constant([], self._dtype)

    def gather(self, indices, name=None):
        """The elements at `indices`, stacked."""
        self._check_eager()
        return self._stacked([self._maybe_zero(i) for i in self._index(indices)])

    def concat(self, name=None):
        """All elements concatenated along their first dimension."""
        self._check_eager()
        tensors = [self._maybe_zero(i) for i in range(len(self._list))]
        for i, t in enumerate(tensors):
            if t.ndim == 0:
                raise errors.InvalidArgumentError(
                    None, None, "Concat saw a scalar shape at index %d but requires at least "
                    "vectors." % i)
        return _ops().concat(tensors, 0)

    def unstack(self, value, name=None):
        """The slices of `value` along its first dimension become the elements."""
        self._check_eager()
        tensors = _ops().unstack(_value(value, self._dtype))
        if len(tensors) > len(self._list) and not self._dynamic_size:
            raise ValueError("Cannot unstack %d tensors into a TensorArray of static size %d " %
                             (len(tensors), len(self._list)))
        self._list = tensors
        return self

    def scatter(self, indices, value, name=None):
        """Writes the slices of `value` at `indices`."""
        self._check_eager()
        for index, v in zip(self._index(indices), _ops().unstack(_value(value, self._dtype))):
            self._write(index, v)
        return self

    def split(self, value, lengths, name=None):
        """Splits `value` along its first dimension into pieces of `lengths`: the elements."""
        self._check_eager()
        value = _value(value, self._dtype)
        lengths = convert_to_tensor(lengths)
        total = int(np.sum(lengths.numpy()))
        if lengths.shape.rank != 1:
            raise errors.InvalidArgumentError(None, None, "Expected lengths to be a vector, "
                                              "received shape: %s " % lengths.shape.as_list())
        if value.shape.rank == 0:
            raise errors.InvalidArgumentError(
                None, None, "Expected value to be at least a vector, but received shape: %s " %
                value.shape.as_list())
        if total != value.shape[0]:
            raise errors.InvalidArgumentError(
                None, None, "Expected sum of lengths to be equal to values.shape[0], but sum of "
                "lengths is %d and value's shape is: %s " % (total, value.shape.as_list()))
        if not self._dynamic_size and lengths.shape[0] != len(self._list):
            raise errors.InvalidArgumentError(
                None, None, "TensorArray's size is not equal to the size of lengths (%d vs. %d), "
                "and the TensorArray is not marked as dynamically resizeable." %
                (len(self._list), lengths.shape[0]))
        self._list = _ops().split(value, lengths.numpy().tolist())
        return self

    def size(self, name=None):
        """The number of elements, an int32 scalar."""
        return constant(len(self._list), dtypes.int32)

    def close(self, name=None):
        del self._list[:]


# --- traced ----------------------------------------------------------------------------------

class _Lineage:
    """Identity token shared by a traced TensorArray and every one derived from it."""
    __slots__ = ()


_RECORDERS: list[dict] = []


@contextlib.contextmanager
def recording_writes():
    """While active, the yielded dict counts, per lineage token (`ta._lineage`), the elements
    written by traced `write` (1), `scatter` (the number of indices), `unstack` (the value's
    length) and `split` (the number of pieces). tf.while_loop uses it to learn how far a
    dynamic_size TensorArray grows in one iteration. Nested recorders all count."""
    counts: dict = {}
    _RECORDERS.append(counts)
    try:
        yield counts
    finally:
        _RECORDERS.remove(counts)


def _record(lineage, n: int) -> None:
    for counts in _RECORDERS:
        counts[lineage] = counts.get(lineage, 0) + n


def _static_int(x):
    """A Python int for a Python int, an eager tensor or a symbolic one whose value is known at
    trace time; else None."""
    if isinstance(x, Tensor):
        value = known_array(x)
        return None if value is None else int(value)
    return operator.index(x)


def _shape_text(shape: TensorShape) -> str:
    """A shape as TF's kernels print it: <unknown> or [?,2]."""
    if shape.rank is None:
        return "<unknown>"
    return "[" + ",".join("?" if d is None else str(d) for d in shape.dims) + "]"


@jax.tree_util.register_pytree_node_class
class _TracedTensorArray(TensorArray):
    """A functional TensorArray over a dense buffer [capacity, *element_shape] (None until the
    element shape is known): every write returns a new TensorArray of the same lineage."""

    def __init__(self, dtype, size=None, dynamic_size=None, clear_after_read=None,
                 tensor_array_name=None, handle=None, flow=None, infer_shape=True,
                 element_shape=None, colocate_with_first_write_call=True, name=None):
        if handle is not None or flow is not None:
            raise ValueError("tf.TensorArray: `handle` and `flow` are not supported")
        if size is None:
            raise ValueError("Argument `size` must be provided if argument `flow` is not "
                             "provided.")
        capacity = _static_int(size)
        if capacity is None:
            raise ValueError(
                f"tf.TensorArray: the size ({size!r}) is not known when the function is traced, "
                "and XLA needs a static size for the TensorArray's buffer: pass a Python int or a "
                "tensor computed from static shapes (e.g. tf.shape(x)[0] of an input of fixed "
                "shape)")
        if capacity < 0:
            raise ValueError(f"tf.TensorArray: size must be >= 0, got {capacity}")
        dtype = dtypes.as_dtype(dtype)
        shape = as_shape(element_shape)
        buffer = _zeros(TensorShape([capacity]) + shape, dtype) if shape.is_fully_defined() \
            else None
        self._set(dtype, capacity, shape, bool(dynamic_size), infer_shape, _Lineage(), buffer)

    def _set(self, dtype, capacity, element_shape, dynamic_size, infer_shape, lineage, buffer):
        self._dtype = dtype
        self._capacity = capacity
        self._element_shape = element_shape
        self._dynamic_size = dynamic_size
        self._infer_shape = infer_shape
        self._lineage = lineage
        self._buffer = buffer

    def _derive(self, buffer, capacity=None, element_shape=None):
        """A TensorArray of the same lineage over `buffer`."""
        ta = object.__new__(_TracedTensorArray)
        ta._set(self._dtype, self._capacity if capacity is None else capacity,
                self._element_shape if element_shape is None else element_shape,
                self._dynamic_size, self._infer_shape, self._lineage, buffer)
        return ta

    def tree_flatten(self):
        dims = self._element_shape.dims
        aux = (self._dtype, self._capacity, None if dims is None else tuple(dims),
               self._dynamic_size, self._infer_shape, self._lineage)
        return ((self._buffer,) if self._buffer is not None else ()), aux

    @classmethod
    def tree_unflatten(cls, aux, children):
        dtype, capacity, shape, dynamic_size, infer_shape, lineage = aux
        ta = object.__new__(cls)
        ta._set(dtype, capacity, TensorShape(shape), dynamic_size, infer_shape, lineage,
                children[0] if children else None)
        return ta

    def __repr__(self):
        text = (f"TensorArray(dtype={self._dtype.name}, size={self._capacity}, "
                f"element_shape={self._element_shape}")
        if self._buffer is None:
            text += ", no buffer yet: its element shape is known at its first write"
        return text + ")"

    # hooks for tf.while_loop

    def _with_buffer(self, element_shape, capacity: int) -> "_TracedTensorArray":
        """A TensorArray of the same lineage with a zeros buffer [capacity, *element_shape]
        (element_shape fully defined and compatible with this one's). For one that has a buffer
        already, its elements are kept (the same element shape, grown to `capacity`). Used when a
        loop body's first iteration reveals the element shape of a loop variable."""
        shape = as_shape(element_shape)
        if not shape.is_fully_defined() or not self._element_shape.is_compatible_with(shape):
            raise ValueError(f"TensorArray._with_buffer: element shape {shape} is not fully "
                             f"defined or not compatible with {self._element_shape}")
        if self._buffer is not None:
            if shape != self._element_shape or capacity < self._capacity:
                raise ValueError(f"TensorArray._with_buffer: has a buffer of element shape "
                                 f"{self._element_shape} and size {self._capacity} already")
            return self._grown(capacity - self._capacity)
        return self._derive(_zeros(TensorShape([capacity]) + shape, self._dtype), capacity, shape)

    def _grown(self, extra: int) -> "_TracedTensorArray":
        """A TensorArray of the same lineage whose capacity is `capacity + extra`, the new
        elements zeros. Only meaningful for dynamic_size (which is not checked)."""
        if extra < 0:
            raise ValueError(f"TensorArray._grown: extra must be >= 0, got {extra}")
        if extra == 0:
            return self
        buffer = self._buffer
        if buffer is not None:
            pad = _zeros(TensorShape([extra]) + self._element_shape, self._dtype)
            buffer = _ops().concat([buffer, pad], 0)
        return self._derive(buffer, self._capacity + extra)

    # the protocol tf.while_loop completes its initial loop values with (see
    # control_flow_ops._completed_by_first_iteration)

    def _loop_var_needs_first_iteration(self) -> bool:
        return self._buffer is None or self._dynamic_size

    def _loop_var_from_first_iteration(self, after_one_iteration, writes, trip_count):
        """This TensorArray with the element shape its first iteration's writes revealed and,
        for dynamic_size, room for what the whole loop writes (elements per iteration times the
        trip count, which must then be known when the function is traced)."""
        ta = self
        per_iteration = writes.get(self._lineage, 0)
        if self._dynamic_size and per_iteration:
            if trip_count is None:
                raise ValueError(
                    "tf.TensorArray(dynamic_size=True) is written in a loop whose number of "
                    "iterations is not known when the function is traced: inside a traced "
                    "function a TensorArray is a buffer of static size (XLA); pass size=, or loop "
                    "over a range or tensor whose length is known, or give the loop "
                    "maximum_iterations")
            ta = ta._grown(per_iteration * trip_count)
        if ta._buffer is None and isinstance(after_one_iteration, _TracedTensorArray) and \
                after_one_iteration._buffer is not None:
            ta = ta._with_buffer(after_one_iteration._element_shape, ta._capacity)
        return ta

    # checks

    @staticmethod
    def _indices(indices, op: str, what: str = "indices"):
        """(their values as a list when known at trace time, else None; an int32 tensor)."""
        t = convert_to_tensor(indices, dtype_hint=dtypes.int32)
        if t.dtype is not dtypes.int32:
            raise TypeError(f"Input '{what}' of '{op}' Op has type {t.dtype.name} that does not "
                            "match expected type of int32.")
        value = known_array(t)
        return (None if value is None else np.reshape(value, -1).tolist()), t

    def _index(self, index, op: str):
        """(its value when known at trace time, else None; an int32 scalar tensor)."""
        values, t = self._indices(index, op, "index")
        return (None if values is None else values[0]), t

    def _checked(self, value) -> Tensor:
        value = _value(value, self._dtype)
        if value.dtype is not self._dtype:
            raise invalid_argument("Invalid data types; op elements "
                                   f"{kernel_type_name(value.dtype)} but list elements "
                                   f"{kernel_type_name(self._dtype)}")
        return value

    def _materialised(self, shape: TensorShape) -> "_TracedTensorArray":
        """This TensorArray, with a buffer for elements of `shape` (created when missing)."""
        if self._buffer is not None and shape != self._element_shape and not self._infer_shape:
            raise ValueError(
                f"tf.TensorArray: an element of shape {shape} cannot join elements of shape "
                f"{self._element_shape}: inside a traced function the elements share one "
                "dense buffer and must all have the same shape")
        if not self._element_shape.is_compatible_with(shape):
            raise ValueError(f"Inconsistent shapes: saw {shape} but expected "
                             f"{self._element_shape}")
        if self._buffer is not None:
            return self
        if not shape.is_fully_defined():
            raise ValueError(f"tf.TensorArray: elements of shape {shape} (not fully defined) "
                             "cannot be stored in an XLA buffer; pass a fully defined "
                             "element_shape")
        return self._with_buffer(self._element_shape.merge_with(shape), self._capacity)

    def _need_buffer(self, what: str):
        if self._buffer is None:
            shape = _shape_text(self._element_shape)
            if what == "read":
                message = ("Trying to read an uninitialized tensor but element_shape is not fully "
                           f"defined: {shape} and no list element is set.")
            elif self._capacity == 0:
                message = ("Tried to stack elements of an empty list with non-fully-defined "
                           f"element_shape: {shape}")
            else:
                message = ("Tried to stack list which only contains uninitialized tensors and has "
                           f"a non-fully-defined element_shape: {shape}")
            raise invalid_argument(message)

    def _check_read(self, indices):
        for i in indices or ():
            if not 0 <= i < self._capacity:
                raise invalid_argument(f"Trying to access element {i} in a list with "
                                       f"{self._capacity} elements.")

    def _fit(self, last: int, message: str) -> "_TracedTensorArray":
        """This TensorArray grown (dynamic_size) to hold element `last`, or an error."""
        if last < self._capacity:
            return self
        if not self._dynamic_size:
            raise invalid_argument(message)
        return self._grown(last + 1 - self._capacity)

    def _check_dynamic_write(self):
        """A write at an index unknown at trace time into an empty buffer would be lost (XLA
        drops out-of-range updates): refuse it, unless tf.while_loop is recording writes to size
        the buffer (see recording_writes)."""
        if self._capacity == 0 and not _RECORDERS:
            raise ValueError(
                "tf.TensorArray: a write at an index not known when the function is traced, into "
                "a TensorArray of size 0: inside a traced function a TensorArray is a buffer of "
                "static size (XLA), which such a write cannot grow; pass size= (at least the "
                "number of elements written)")

    # the API

    def identity(self):
        return self

    def read(self, index, name=None):
        """The element at `index` (zeros if never written). A dynamic index out of range reads
        zeros (TF raises at run time)."""
        i, t = self._index(index, "TensorListGetItem")
        self._need_buffer("read")
        self._check_read(None if i is None else [i])
        return _ops().gather(self._buffer, t)

    def write(self, index, value, name=None):
        """A new TensorArray with `value` at `index`. A static index past the size grows a
        dynamic_size array; a dynamic one past the capacity is dropped (TF raises or grows at
        run time)."""
        i, t = self._index(index, "TensorListSetItem")
        value = self._checked(value)
        ta = self._materialised(value.shape)
        if i is None:
            ta._check_dynamic_write()
        else:
            message = f"Trying to modify element {i} in a list with {ta._capacity} elements."
            if i < 0:
                raise invalid_argument(message)
            ta = ta._fit(i, message)
        ops = _ops()
        buffer = ops.tensor_scatter_nd_update(ta._buffer, ops.reshape(t, [1, 1]),
                                              ops.expand_dims(value, 0))
        _record(self._lineage, 1)
        return ta._derive(buffer)

    def stack(self, name=None):
        """All elements stacked: the buffer."""
        self._need_buffer("stack")
        return self._buffer

    def gather(self, indices, name=None):
        """The elements at `indices`, stacked."""
        values, t = self._indices(indices, "TensorListGather")
        self._need_buffer("read")
        self._check_read(values)
        return _ops().gather(self._buffer, t)

    def concat(self, name=None):
        """All elements concatenated along their first dimension."""
        self._need_buffer("stack")
        if self._element_shape.rank == 0:
            raise invalid_argument("Concat saw a scalar shape at index 0 but requires at least "
                                   "vectors.")
        dims = self._element_shape.as_list()
        return _ops().reshape(self._buffer, [self._capacity * dims[0]] + dims[1:])

    def _replaced(self, value: Tensor, n: int) -> "_TracedTensorArray":
        """A TensorArray whose elements are value's n slices along axis 0."""
        if not self._dynamic_size and n != self._capacity:
            raise invalid_argument(f"Operation expected a list with {self._capacity} elements but "
                                   f"got a list with {n} elements.")
        shape = TensorShape(value.shape.dims[1:])
        if not self._element_shape.is_compatible_with(shape):
            raise ValueError(f"Inconsistent shapes: saw {shape} but expected "
                             f"{self._element_shape}")
        _record(self._lineage, n)
        return self._derive(value, n, shape)

    def unstack(self, value, name=None):
        """A new TensorArray whose elements are the slices of `value` along axis 0 (its length
        must equal the size unless dynamic_size)."""
        value = self._checked(value)
        if value.shape.rank == 0:
            raise invalid_argument("Tensor must be at least a vector, but saw shape: []")
        if value.shape[0] is None:
            raise ValueError("tf.TensorArray.unstack: the value's first dimension must be known "
                             "when the function is traced")
        return self._replaced(value, value.shape[0])

    def scatter(self, indices, value, name=None):
        """A new TensorArray with the slices of `value` at `indices` (static indices past the
        size grow a dynamic_size array; dynamic ones past the capacity are dropped)."""
        values, t = self._indices(indices, "TensorListScatterIntoExistingList")
        value = self._checked(value)
        if value.shape.rank == 0:
            raise invalid_argument("Tensor must be at least a vector, but saw shape: []")
        ta = self._materialised(TensorShape(value.shape.dims[1:]))
        if values is None:
            ta._check_dynamic_write()
        elif values:
            if min(values) < 0:
                raise invalid_argument(f"Trying to modify element {min(values)} in a list with "
                                       f"{ta._capacity} elements.")
            last = max(values)
            ta = ta._fit(last, f"Operation expected a list with {ta._capacity} elements but got "
                               f"a list with {last + 1} elements.")
        ops = _ops()
        buffer = ops.tensor_scatter_nd_update(ta._buffer, ops.reshape(t, [-1, 1]), value)
        _record(self._lineage, t.shape.num_elements() or 0)
        return ta._derive(buffer)

    def split(self, value, lengths, name=None):
        """A new TensorArray whose elements are the pieces of `value` of `lengths` along axis 0;
        the lengths must be known at trace time and equal (one dense buffer)."""
        value = self._checked(value)
        lengths = _ops().constant_value(convert_to_tensor(lengths))
        if lengths is None:
            raise ValueError("tf.TensorArray.split: the lengths must be known when the function "
                             "is traced")
        lengths = np.asarray(lengths)
        if lengths.ndim != 1:
            raise invalid_argument("Expected lengths to be a vector, received shape: %s " %
                                   list(lengths.shape))
        if value.shape.rank == 0:
            raise invalid_argument("Expected value to be at least a vector, but received "
                                   "shape: [] ")
        if int(lengths.sum()) != value.shape[0]:
            raise invalid_argument("Expected sum of lengths to be equal to values.shape[0], but "
                                   "sum of lengths is %d and value's shape is: %s " %
                                   (int(lengths.sum()), value.shape.as_list()))
        if len(set(lengths.tolist())) > 1:
            raise ValueError(f"tf.TensorArray.split: pieces of different lengths "
                             f"{lengths.tolist()} cannot share one dense buffer inside a traced "
                             "function; use equal lengths")
        n = len(lengths)
        rest = value.shape.as_list()[1:]
        pieces = _ops().reshape(value, [n, int(lengths[0]) if n else 0] + rest)
        return self._replaced(pieces, n)

    def size(self, name=None):
        """The size (the buffer's capacity), an int32 scalar."""
        return constant(self._capacity, dtypes.int32)

    def close(self, name=None):
        return None
