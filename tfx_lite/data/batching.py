"""batch, padded_batch, unbatch and rebatch."""
from __future__ import annotations

import numpy as np

from tfx_lite.data.block import Block, Cursor, Ragged, concatenate, stack
from tfx_lite.data.dataset import INFINITE, UNKNOWN, Dataset, UnaryDataset
from tfx_lite.data.structure import Structure, as_component, flatten
from tfx_lite.errors import DataLossError, InvalidArgumentError
from tfx_lite.framework import dtypes
from tfx_lite.framework.tensor_shape import TensorShape
from tfx_lite.framework.tensor_spec import TensorSpec
from tfx_lite.ragged.ragged_tensor import RaggedTensorSpec


def _positive(value, what):
    value = int(as_component(value))
    if value <= 0:
        raise InvalidArgumentError(None, None, f"{what} must be greater than zero.")
    return value


def _batched_cardinality(count, batch_size, drop_remainder):
    if count < 0:
        return count
    return count // batch_size if drop_remainder else -(-count // batch_size)


def _batched_structure(structure, batch_size, drop_remainder):
    dim = batch_size if drop_remainder else None

    def batched(s):
        shape = TensorShape([dim]).concatenate(s.shape)
        if isinstance(s, RaggedTensorSpec):  # ragged rows batch into a RaggedTensor
            return RaggedTensorSpec(shape, s.dtype, s.ragged_rank + 1, s.row_splits_dtype)
        return TensorSpec(shape, s.dtype)
    return structure.map_specs(batched)


class _BatchDataset(Dataset):
    def __init__(self, input_dataset, batch_size, drop_remainder=False, name=None):
        input_dataset._structure.refuse_ragged("batch")
        self._input = input_dataset
        self._batch_size = _positive(batch_size, "Batch size")
        self._drop_remainder = bool(drop_remainder)
        self._ragged = input_dataset._structure.has_ragged()
        super().__init__(_batched_structure(input_dataset._structure, self._batch_size, self._drop_remainder),
                         name)

    def _inputs(self):
        return [self._input]

    def _cardinality(self):
        return _batched_cardinality(self._input._cardinality(), self._batch_size, self._drop_remainder)

    def _blocks(self, size):
        cursor = Cursor(self._input._blocks(self._batch_size))
        while True:
            parts = cursor.read(self._batch_size)
            if not parts:
                return
            if sum(p.size for p in parts) < self._batch_size and self._drop_remainder:
                return
            yield self._batch(parts)

    def _batch(self, parts):
        if self._ragged:
            return _ragged_batch(parts, self._input._structure)
        return Block.single(concatenate(parts).arrays)


def _ragged_batch(parts, structure):
    """A batch whose ragged-row components become RaggedTensors (values and row splits); the
    other components stack as in any batch."""
    elements = [e for p in parts for e in p.elements()]
    ragged = [isinstance(spec, RaggedTensorSpec) for spec in structure.specs]
    dense = stack([tuple(np.zeros(()) if r else a for r, a in zip(ragged, e)) for e in elements])
    columns = []
    for c, spec in enumerate(structure.specs):
        if ragged[c]:
            rows = [np.asarray(e[c]) for e in elements]
            splits = np.cumsum([0] + [len(r) for r in rows]).astype(spec.row_splits_dtype.as_numpy_dtype)
            columns.append(Ragged(np.concatenate(rows), splits))
        else:
            columns.append(dense[c])
    return Block.single(columns)


class _DenseToRaggedDataset(UnaryDataset):
    """ragged_batch's input, as in TF: components of a known rank whose shape is not fully known
    become ragged rows (RaggedTensorSpec of ragged_rank 0, `row_splits_dtype`); the values are
    unchanged. Scalars and components of a fully known shape stay dense, so they batch densely."""
    _repr_name = "_MapDataset"

    def __init__(self, input_dataset, row_splits_dtype, name=None):
        input_dataset._structure.refuse_ragged("ragged_batch")
        row_splits_dtype = dtypes.as_dtype(row_splits_dtype)

        def ragged(spec):
            if isinstance(spec, RaggedTensorSpec) or spec.shape.rank is None or spec.shape.is_fully_defined():
                return spec
            rank = max(axis for axis, size in enumerate(spec.shape.as_list()) if size is None)
            if rank > 0:
                raise NotImplementedError(
                    f"Dataset.ragged_batch of elements {spec!r} (a dimension after the first unknown, so the "
                    f"batches would be RaggedTensors of ragged_rank {rank + 1}) is not supported by tfx_lite")
            return RaggedTensorSpec(spec.shape, spec.dtype, 0, row_splits_dtype)
        super().__init__(input_dataset._structure.map_specs(ragged), name)
        self._input = input_dataset

    def _blocks(self, size):
        return self._input._blocks(size)


class _ParallelBatchDataset(_BatchDataset):
    pass


class _PaddedBatchDataset(_BatchDataset):
    """Each component padded to the largest shape in its batch, or to `padded_shapes` (whose
    None dimensions take the largest), with `padding_values` (0, False or b'')."""

    def __init__(self, input_dataset, batch_size, padded_shapes=None, padding_values=None, drop_remainder=False,
                 name=None):
        structure = input_dataset._structure
        for spec in structure.specs:
            if isinstance(spec, RaggedTensorSpec):
                raise TypeError("`padded_batch` is only supported for datasets that produce tensor elements but "
                                "type spec of elements in the input dataset is not a subclass of TensorSpec: "
                                f"`{spec!r}`.")
        for spec in structure.specs:
            if spec.shape.rank is None and padded_shapes is None:
                raise ValueError("You must provide `padded_shapes` argument because component has unknown rank.")
        shapes = [s.shape for s in structure.specs] if padded_shapes is None else \
            [TensorShape(s) for s in _like(structure, padded_shapes, "padded_shapes")]
        for spec, shape in zip(structure.specs, shapes):
            if shape.rank != spec.shape.rank or any(p is not None and d is not None and p < d
                                                    for p, d in zip(shape.dims, spec.shape.dims)):
                raise ValueError(f"The padded shape {shape} is not compatible with the shape {spec.shape} "
                                 "of the corresponding input component.")
        self._shapes = shapes
        values = [None] * len(structure.specs) if padding_values is None else \
            _like(structure, padding_values, "padding_values")
        self._values = [_default_padding(s.dtype) if v is None else as_component(v)
                        for s, v in zip(structure.specs, values)]
        super().__init__(input_dataset, batch_size, drop_remainder, name)
        self._ragged = False
        self._structure = Structure(structure.treedef, [
            TensorSpec(TensorShape([self._batch_size if self._drop_remainder else None]).concatenate(shape),
                       spec.dtype) for spec, shape in zip(structure.specs, shapes)])

    def _batch(self, parts):
        elements = [e for p in parts for e in p.elements()]
        columns = []
        for c, (shape, value) in enumerate(zip(self._shapes, self._values)):
            arrays = [np.asarray(e[c]) for e in elements]
            largest = np.max([a.shape for a in arrays], axis=0) if arrays[0].ndim else ()
            target = [int(m) if d is None else d for d, m in zip(shape.dims, largest)]
            for a in arrays:
                if any(s > t for s, t in zip(a.shape, target)):
                    raise DataLossError(None, None, f"Attempted to pad to a smaller size than the input "
                                                           f"element. Element shape {list(a.shape)}, padded "
                                                           f"shape {target}.")
            out = np.full([len(arrays), *target], value, dtype=arrays[0].dtype)
            for i, a in enumerate(arrays):
                out[(i, *(slice(0, s) for s in a.shape))] = a
            columns.append(out)
        return Block.single(columns)


def _like(structure, values, what):
    leaves, treedef = flatten(values)
    if treedef == structure.treedef:
        return leaves
    if structure.treedef.num_leaves == 1:
        return [values]
    raise ValueError(f"`{what}` must have the structure of the dataset elements {structure!r}, got {values!r}")


def _default_padding(dtype):
    if dtype is dtypes.string:
        return b""
    return np.zeros((), dtype.as_numpy_dtype)


class _UnbatchDataset(Dataset):
    """The elements of each batch in turn; a RaggedTensor component gives its rows (ragged rows,
    RaggedTensorSpec of ragged_rank 0, as in TF)."""

    def __init__(self, input_dataset, name=None):
        structure = input_dataset._structure
        for spec in structure.specs:
            if isinstance(spec, RaggedTensorSpec) and spec.ragged_rank == 0:
                raise NotImplementedError(
                    f"Dataset.unbatch is not supported by tfx_lite for datasets whose elements hold a ragged row "
                    f"({spec!r}); element_spec={structure.element_spec!r}")
            if spec.shape.rank == 0:
                raise ValueError("Cannot unbatch an input with scalar components.")
        self._input = input_dataset
        self._ragged = structure.has_ragged()

        def unbatched(s):
            if isinstance(s, RaggedTensorSpec):
                return RaggedTensorSpec(s.shape[1:], s.dtype, s.ragged_rank - 1, s.row_splits_dtype)
            return TensorSpec(s.shape[1:], s.dtype)
        super().__init__(structure.map_specs(unbatched), name)

    def _inputs(self):
        return [self._input]

    def _cardinality(self):
        count = self._input._cardinality()
        batch = {s.shape[0] for s in self._input._structure.specs}
        if count >= 0 and len(batch) == 1 and None not in batch:
            return count * batch.pop()
        return INFINITE if count == INFINITE else UNKNOWN

    def _blocks(self, size):
        for block in self._input._blocks(1):
            for element in block.elements():
                if self._ragged:
                    yield from _ragged_unbatch(element)
                    continue
                lengths = {len(a) for a in element}
                if len(lengths) > 1:
                    raise InvalidArgumentError(None, None, "Input element must have the same batch size in each "
                                                           f"component. Component 0 had size {len(element[0])} but "
                                                           f"component 1 had size {len(element[1])}.")
                yield Block.stacked(element)


def _ragged_unbatch(element):
    columns = [a.rows() if isinstance(a, Ragged) else a for a in element]
    lengths = [len(c) for c in columns]
    if len(set(lengths)) > 1:
        raise InvalidArgumentError(None, None, "Input element must have the same batch size in each component. "
                                               f"Component 0 had size {lengths[0]} but component 1 had size "
                                               f"{lengths[1]}.")
    for i in range(lengths[0]):
        yield Block.single([c[i] for c in columns])


class _RebatchDataset(_BatchDataset):
    """rebatch(n): the same as unbatch().batch(n)."""

    def __init__(self, input_dataset, batch_size, drop_remainder=False, name=None):
        super().__init__(_UnbatchDataset(input_dataset), batch_size, drop_remainder, name)


__all__ = ["stack"]
