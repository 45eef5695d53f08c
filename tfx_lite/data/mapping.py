"""map, filter and flat_map."""
from __future__ import annotations

import numpy as np

from tfx_lite.data.block import Block
from tfx_lite.data.dataset import Dataset, UnaryDataset
from tfx_lite.data.dataset_function import DatasetFunction, describe, scalar_bool
from tfx_lite.data.nest import call_on_element


class _MapDataset(UnaryDataset):
    """Elements through `map_func`; tuples are unpacked into its arguments, as in TF."""

    def __init__(self, input_dataset, map_func, name=None):
        self._input = input_dataset
        self._function = DatasetFunction(map_func, input_dataset, "map")
        super().__init__(self._function.output, name)
        self._random_access = input_dataset._random_access and self._function.batch_safe

    def _blocks(self, size):
        index = 0
        for block in self._input._blocks(size):
            yield from self._function.apply(block, index)
            index += block.size

    def _gather(self, indices):
        return next(self._function.apply(self._input._gather(indices), 0))


class _ParallelMapDataset(_MapDataset):
    """map with num_parallel_calls: the same results in the same order (blocks are already
    vectorised, which is where parallelism pays)."""


class _FilterDataset(Dataset):
    def __init__(self, input_dataset, predicate, name=None):
        self._input = input_dataset
        self._function = DatasetFunction(predicate, input_dataset, "filter")
        scalar_bool(self._function.output)
        super().__init__(input_dataset._structure, name)

    def _inputs(self):
        return [self._input]

    def _blocks(self, size):
        index = 0
        for block in self._input._blocks(size):
            results = list(self._function.apply(block, index))
            if len(results) == 1 and results[0].count is not None:
                mask = np.asarray(results[0].arrays[0])
            else:
                mask = np.array([bool(np.asarray(r.arrays[0])) for r in results])
            index += block.size
            if mask.all():
                yield block
            elif mask.any():
                yield Block.stacked(a[mask] for a in block.host().arrays)


class _FlatMapDataset(Dataset):
    """Each element through `map_func`, which returns a dataset; their elements in turn. The
    function runs in Python for each element (it builds datasets, which a trace cannot hold)."""

    def __init__(self, input_dataset, map_func, name=None):
        input_dataset._structure.refuse_ragged("flat_map")
        self._input = input_dataset
        self._map_func = map_func
        super().__init__(self._call(input_dataset._placeholder_element(), "a placeholder")._structure, name)

    def _call(self, element, index):
        out = call_on_element(self._map_func, element)
        if not isinstance(out, Dataset):
            raise TypeError(f"The function {describe(self._map_func)} of Dataset.flat_map must return a "
                            f"tf.data.Dataset, got {type(out).__name__} for element {index}")
        return out

    def _inputs(self):
        return [self._input]

    def _blocks(self, size):
        for index, element in enumerate(self._input._elements()):
            yield from self._call(element, index)._blocks(size)
