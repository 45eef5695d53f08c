"""zip and concatenate."""
from __future__ import annotations

import numpy as np

from tfx_lite.data.block import Block, Cursor
from tfx_lite.data.dataset import INFINITE, UNKNOWN, Dataset
from tfx_lite.data.structure import Structure, common_structure, flatten


class _ZipDataset(Dataset):
    """Elements of several datasets side by side (a nested structure of datasets), until the
    shortest ends."""

    def __init__(self, datasets, name=None):
        leaves, treedef = flatten(datasets)
        for leaf in leaves:
            if not isinstance(leaf, Dataset):
                raise TypeError("Invalid input to `zip`. Inputs are expected to be (nested) structures of "
                                "`tf.data.Dataset` objects. Python `list` is not supported and you should "
                                "use `tuple` instead." if isinstance(leaf, list) else
                                "Invalid input to `zip`. Inputs are expected to be (nested) structures of "
                                f"`tf.data.Dataset` objects but encountered object of type {type(leaf)}.")
        self._datasets = leaves
        structures = [d._structure.element_spec for d in leaves]
        super().__init__(Structure.of_spec(treedef.unflatten(structures), ragged=True), name)
        self._random_access = all(d._random_access for d in leaves)

    def _inputs(self):
        return list(self._datasets)

    def _cardinality(self):
        counts = [d._cardinality() for d in self._datasets]
        known = [c for c in counts if c >= 0]
        if known:
            return min(known) if UNKNOWN not in counts or min(known) == 0 else UNKNOWN
        return UNKNOWN if UNKNOWN in counts else INFINITE

    def _blocks(self, size):
        cursors = [Cursor(d._blocks(size)) for d in self._datasets]
        while True:
            available = [c.available() for c in cursors]
            if not all(available):
                return
            step = min(available)
            yield _join([c.take(step) for c in cursors])

    def _gather(self, indices):
        return _join([d._gather(indices) for d in self._datasets])


def _join(parts):
    if all(p.count is None for p in parts):
        return Block.single([a for p in parts for a in p.arrays])
    return Block.stacked([a for p in parts for a in p.as_stacked().arrays])


class _ConcatenateDataset(Dataset):
    def __init__(self, input_dataset, dataset_to_concatenate, name=None):
        if not isinstance(dataset_to_concatenate, Dataset):
            raise TypeError(f"Dataset.concatenate needs a tf.data.Dataset, got {type(dataset_to_concatenate).__name__}")
        structure = common_structure(input_dataset._structure, dataset_to_concatenate._structure)
        super().__init__(structure, name)
        self._first, self._second = input_dataset, dataset_to_concatenate
        self._random_access = input_dataset._random_access and dataset_to_concatenate._random_access and \
            input_dataset._cardinality() >= 0 and input_dataset._structure == dataset_to_concatenate._structure

    def _inputs(self):
        return [self._first, self._second]

    def _cardinality(self):
        a, b = self._first._cardinality(), self._second._cardinality()
        if INFINITE in (a, b):
            return INFINITE
        if UNKNOWN in (a, b):
            return UNKNOWN
        return a + b

    def _blocks(self, size):
        yield from self._first._blocks(size)
        yield from self._second._blocks(size)

    def _gather(self, indices):
        indices = np.asarray(indices)
        n = self._first._cardinality()
        first = indices < n
        if first.all():
            return self._first._gather(indices)
        if not first.any():
            return self._second._gather(indices - n)
        a = self._first._gather(indices[first]).host().arrays
        b = self._second._gather(indices[~first] - n).host().arrays
        out = []
        for x, y in zip(a, b):
            merged = np.empty((len(indices),) + x.shape[1:], x.dtype)
            merged[first], merged[~first] = x, y
            out.append(merged)
        return Block.stacked(out)
