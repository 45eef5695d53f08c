"""tf.data.Dataset: the base class and its methods; each method returns a dataset of one kind
(sources.py, transforms in the sibling modules).

A dataset yields blocks of elements (block.py) from `_blocks(size)`, one fresh pass per call,
preferring blocks of `size` elements. Datasets that can also fetch any elements by position
(`_random_access`) implement `_gather(indices)`; shuffle and map use it to work on index blocks."""
from __future__ import annotations

import numpy as np

from tfx_lite.framework import dtypes
from tfx_lite.framework.convert import convert_to_tensor

AUTOTUNE = -1
INFINITE = -1
UNKNOWN = -2

# Elements fetched at once when a pipeline is iterated element by element.
ELEMENT_BLOCK = 64


class Dataset:
    _random_access = False
    _repr_name = None  # what TF's repr calls this kind of dataset, when not the class name

    def __init__(self, structure, name=None):
        self._structure = structure
        self._name = name

    # -------------------------------------------------------------- what subclasses provide
    def _blocks(self, size):
        raise NotImplementedError

    def _cardinality(self) -> int:
        return UNKNOWN

    def _gather(self, indices):
        raise NotImplementedError

    def _inputs(self):
        return []

    # -------------------------------------------------------------- element access
    @property
    def element_spec(self):
        return self._structure.element_spec

    def __iter__(self):
        from tfx_lite.data.iterator import OwnedIterator
        return OwnedIterator(self)

    def _element_components(self):
        """The flat components of each element of one pass."""
        for block in self._blocks(ELEMENT_BLOCK):
            yield from block.elements()

    def _elements(self):
        """The elements of one pass, as iteration gives them."""
        structure = self._structure
        for components in self._element_components():
            yield structure.tensors(components)

    def _placeholder_element(self):
        """An element of the right structure filled with zeros (unknown dimensions are 0), on
        which functions that cannot be traced discover what they return."""
        return self._structure.tensors(
            [np.zeros([d or 0 for d in s.shape], s.dtype.as_numpy_dtype) for s in self._structure.specs])

    def as_numpy_iterator(self):
        from tfx_lite.data.iterator import NumpyIterator
        return NumpyIterator(self)

    def __bool__(self):
        return True

    def __len__(self):
        cardinality = self._cardinality()
        if cardinality == INFINITE:
            raise TypeError("The dataset is infinite.")
        if cardinality == UNKNOWN:
            raise TypeError("The dataset length is unknown.")
        return cardinality

    def cardinality(self):
        return convert_to_tensor(np.int64(self._cardinality()))

    def __repr__(self):
        return f"<{self._repr_name or type(self).__name__} element_spec={self.element_spec!r}>"

    # -------------------------------------------------------------- sources
    @staticmethod
    def from_tensor_slices(tensors, name=None):
        return sources._TensorSliceDataset(tensors, name)

    @staticmethod
    def from_tensors(tensors, name=None):
        return sources._TensorDataset(tensors, name)

    @staticmethod
    def range(*args, **kwargs):
        return sources._RangeDataset(*args, **kwargs)

    @staticmethod
    def from_generator(generator, output_types=None, output_shapes=None, args=None, output_signature=None,
                       name=None):
        return sources._GeneratorDataset(generator, output_types, output_shapes, args, output_signature, name)

    @staticmethod
    def zip(*datasets, name=None):
        if len(datasets) == 1:
            datasets = datasets[0]
        return combining._ZipDataset(datasets, name)

    # -------------------------------------------------------------- transformations
    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        return mapping._MapDataset(self, map_func, name) if num_parallel_calls is None else \
            mapping._ParallelMapDataset(self, map_func, name)

    def filter(self, predicate, name=None):
        return mapping._FilterDataset(self, predicate, name)

    def flat_map(self, map_func, name=None):
        return mapping._FlatMapDataset(self, map_func, name)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True, name=None):
        return shuffling._ShuffleDataset(self, buffer_size, seed, reshuffle_each_iteration, name)

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None, deterministic=None, name=None):
        return batching._BatchDataset(self, batch_size, drop_remainder, name) if num_parallel_calls is None \
            else batching._ParallelBatchDataset(self, batch_size, drop_remainder, name)

    def padded_batch(self, batch_size, padded_shapes=None, padding_values=None, drop_remainder=False, name=None):
        return batching._PaddedBatchDataset(self, batch_size, padded_shapes, padding_values, drop_remainder,
                                            name)

    def ragged_batch(self, batch_size, drop_remainder=False, row_splits_dtype=dtypes.int64, name=None):
        return batching._BatchDataset(batching._DenseToRaggedDataset(self, row_splits_dtype), batch_size,
                                      drop_remainder, name)

    def unbatch(self, name=None):
        return batching._UnbatchDataset(self, name)

    def rebatch(self, batch_size, drop_remainder=False, name=None):
        return batching._RebatchDataset(self, batch_size, drop_remainder, name)

    def repeat(self, count=None, name=None):
        return slicing._RepeatDataset(self, count, name)

    def take(self, count, name=None):
        return slicing._TakeDataset(self, count, name)

    def skip(self, count, name=None):
        return slicing._SkipDataset(self, count, name)

    def shard(self, num_shards, index, name=None):
        return slicing._ShardDataset(self, num_shards, index, name)

    def concatenate(self, dataset, name=None):
        return combining._ConcatenateDataset(self, dataset, name)

    def enumerate(self, start=0, name=None):
        count = sources._RangeDataset(start, np.iinfo(np.int64).max, dtype=dtypes.int64)
        return combining._ZipDataset((count, self), name)

    def window(self, size, shift=None, stride=1, drop_remainder=False, name=None):
        return windowing._WindowDataset(self, size, shift, stride, drop_remainder, name)

    def cache(self, filename="", name=None):
        return caching.CacheDataset(self, filename, name)

    def prefetch(self, buffer_size, name=None):
        return prefetching._PrefetchDataset(self, buffer_size, name)

    def apply(self, transformation_func):
        dataset = transformation_func(self)
        if not isinstance(dataset, Dataset):
            raise TypeError(f"`transformation_func` must return a `tf.data.Dataset` object. Got {type(dataset)}.")
        return dataset

    def with_options(self, options, name=None):
        return self

    def options(self):
        from tfx_lite.data.experimental import Options
        return Options()

    def reduce(self, initial_state, reduce_func, name=None):
        from tfx_lite.data.reducing import reduce
        return reduce(self, initial_state, reduce_func)


class UnaryDataset(Dataset):
    """A transformation of one dataset (`self._input`): its elements count as the input's unless
    the subclass says otherwise."""

    def _inputs(self):
        return [self._input]

    def _cardinality(self):
        return self._input._cardinality()


from tfx_lite.data import (batching, caching, combining, mapping, prefetching, shuffling,  # noqa: E402
                           slicing, sources, windowing)

