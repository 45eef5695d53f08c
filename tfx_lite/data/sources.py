"""Datasets made from values: from_tensor_slices, from_tensors, range, from_generator."""
from __future__ import annotations

import numpy as np

from tfx_lite.data.block import Block, Ragged
from tfx_lite.data.dataset import INFINITE, UNKNOWN, Dataset
from tfx_lite.data.structure import (Structure, as_component, fits, flatten, int64_argument, numpy_value,
                                     spec_of, structure_of)
from tfx_lite.errors import InvalidArgumentError
from tfx_lite.framework import dtypes
from tfx_lite.framework.tensor_shape import TensorShape
from tfx_lite.framework.tensor_spec import TensorSpec
from tfx_lite.ragged.ragged_tensor import RaggedTensor, RaggedTensorSpec


def _components(tensors, what):
    components, treedef = flatten(tensors)
    if not components:
        raise ValueError(f"Dataset.{what}() needs at least one tensor component, got {tensors!r}")
    for c in components:
        if isinstance(c, RaggedTensor) and (what != "from_tensor_slices" or c.ragged_rank != 1):
            raise NotImplementedError(
                f"Dataset.{what}() of a RaggedTensor of ragged_rank {c.ragged_rank} is not supported by "
                "tfx_lite (only from_tensor_slices of ragged_rank 1, whose elements are its rows)")
    return [_ragged_source(c) if isinstance(c, RaggedTensor) else as_component(c) for c in components], treedef


def _ragged_source(rt):
    """A RaggedTensor of ragged_rank 1 as a host value whose slices are its rows."""
    if not rt._is_eager():
        raise TypeError(f"A symbolic tensor cannot be a dataset element outside its function: {rt!r}")
    return Ragged(as_component(rt.flat_values), np.asarray(rt.row_splits._value))


class _TensorSliceDataset(Dataset):
    """The elements are the slices of every component along its first axis; a RaggedTensor's
    are its rows (dense arrays of varying length, whose spec is a RaggedTensorSpec of
    ragged_rank 0, as in TF), so a dataset with one comes one element per block."""
    _random_access = True

    def __init__(self, tensors, name=None):
        arrays, treedef = _components(tensors, "from_tensor_slices")
        for array in arrays:
            if not isinstance(array, Ragged) and array.ndim == 0:
                raise ValueError("Unbatching a tensor is only supported for rank >= 1")
        lengths = [len(a.splits) - 1 if isinstance(a, Ragged) else len(a) for a in arrays]
        if len(set(lengths)) > 1:
            raise ValueError(f"Dimensions {lengths[0]} and {next(n for n in lengths if n != lengths[0])} "
                             "are not compatible")
        self._ragged = any(isinstance(a, Ragged) for a in arrays)
        super().__init__(Structure(treedef, [
            RaggedTensorSpec(TensorShape([None]).concatenate(a.values.shape[1:]),
                             dtypes.as_dtype(a.values.dtype), 0, dtypes.as_dtype(a.splits.dtype))
            if isinstance(a, Ragged) else spec_of(a, batched=True) for a in arrays]), name)
        self._random_access = not self._ragged
        self._arrays = arrays
        self._length = lengths[0]

    def _cardinality(self):
        return self._length

    def _blocks(self, size):
        if self._ragged:
            columns = [a.rows() if isinstance(a, Ragged) else a for a in self._arrays]
            for i in range(self._length):
                yield Block.single([c[i] for c in columns])
            return
        for start in range(0, self._length, size):
            yield Block.stacked(a[start:start + size] for a in self._arrays)

    def _gather(self, indices):
        return Block.stacked(a[indices] for a in self._arrays)


class _TensorDataset(Dataset):
    """A single element."""
    _random_access = True

    def __init__(self, tensors, name=None):
        arrays, treedef = _components(tensors, "from_tensors")
        super().__init__(structure_of(arrays, treedef), name)
        self._arrays = arrays

    def _cardinality(self):
        return 1

    def _blocks(self, size):
        yield Block.single(self._arrays)

    def _gather(self, indices):
        return Block.stacked(a[None][indices] for a in self._arrays)


class _RangeDataset(Dataset):
    """range(start, stop, step) as int64 scalars (or `output_type`)."""
    _random_access = True

    def __init__(self, *args, output_type=dtypes.int64, name=None, dtype=None):
        if not 1 <= len(args) <= 3:
            raise ValueError(f"Dataset.range takes 1 to 3 positional arguments, got {len(args)}")
        values = [int64_argument(a, "range argument") for a in args]
        start, stop, step = (0, values[0], 1) if len(values) == 1 else \
            (values[0], values[1], 1) if len(values) == 2 else values
        if step == 0:
            raise InvalidArgumentError(None, None, "step must be a non-zero integer.")
        self._range = range(start, stop, step)
        dtype = dtypes.as_dtype(dtype if dtype is not None else output_type)
        self._np_dtype = dtype.as_numpy_dtype
        super().__init__(Structure(flatten(0)[1], [TensorSpec([], dtype)]), name)

    def _cardinality(self):
        return len(self._range)

    def _blocks(self, size):
        r = self._range
        for i in range(0, len(r), size):
            part = r[i:i + size]
            yield Block.stacked([np.arange(part.start, part.stop, part.step, dtype=np.int64)
                                 .astype(self._np_dtype, copy=False)])

    def _gather(self, indices):
        values = self._range.start + np.asarray(indices, np.int64) * self._range.step
        return Block.stacked([values.astype(self._np_dtype, copy=False)])


class _GeneratorDataset(Dataset):
    """The values a Python generator yields, checked against `output_signature`; each pass
    calls `generator(*args)` again."""
    _repr_name = "_FlatMapDataset"  # TF builds it as a flat_map over the arguments

    def __init__(self, generator, output_types, output_shapes, args, output_signature, name=None):
        if not callable(generator):
            raise TypeError("`generator` must be a Python callable.")
        if output_signature is not None:
            if output_types is not None or output_shapes is not None:
                raise TypeError("The `output_types` and `output_shapes` arguments must not be specified "
                                "when `output_signature` is specified.")
            structure = Structure.of_spec(output_signature)
        elif output_types is not None:
            types, treedef = flatten(output_types)
            shapes = [None] * len(types) if output_shapes is None else flatten(output_shapes)[0] \
                if len(types) > 1 or isinstance(output_types, (tuple, dict)) else [output_shapes]
            structure = Structure(treedef, [TensorSpec(TensorShape(s), t) for t, s in zip(types, shapes)])
        else:
            raise TypeError("To specify the output signature you need to provide either the "
                            "`output_signature` argument or the `output_types` argument.")
        super().__init__(structure, name)
        self._generator = generator
        # TF hands the generator numpy values: numpy scalars, arrays, bytes
        self._args = tuple(numpy_value(as_component(a)) for a in args) if args is not None else ()

    def _blocks(self, size):
        values = iter(self._generator(*self._args))
        while True:
            try:
                value = next(values)
            except StopIteration:
                return
            except Exception as err:  # TF reports the generator's error as the op's failure
                raise InvalidArgumentError(None, None, f"{type(err).__name__}: {err}") from err
            yield Block.single(self._checked(value))

    def _checked(self, value):
        structure = self._structure
        leaves, treedef = flatten(value)
        if treedef != structure.treedef:
            if structure.treedef.num_leaves == 1 and not isinstance(value, (tuple, dict)):
                leaves = [value]
            else:
                raise InvalidArgumentError(
                    None, None, "TypeError: `generator` yielded an element that did not match the expected "
                    f"structure. The expected structure was {structure.element_spec!r}, but the yielded "
                    f"element was {value!r}.")
        arrays = []
        for leaf, spec in zip(leaves, structure.specs):
            try:
                array = as_component(leaf)
                if spec.dtype is not dtypes.string:
                    if array.dtype.kind in "SUO":
                        raise TypeError
                    array = array.astype(spec.dtype.as_numpy_dtype)  # TF casts: 2.5 -> 2 for int64
            except (TypeError, ValueError):
                raise InvalidArgumentError(
                    None, None, "TypeError: `generator` yielded an element that could not be converted to "
                    f"the expected type. The expected type was {spec.dtype.name}, but the yielded element "
                    f"was {leaf}.") from None
            if not fits(spec, array.shape):
                raise InvalidArgumentError(
                    None, None, f"`generator` yielded an element of shape {tuple(array.shape)} where an "
                    f"element of shape {spec.shape} was expected.")
            arrays.append(array)
        return arrays


__all__ = ["INFINITE", "UNKNOWN"]
