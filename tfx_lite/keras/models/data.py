"""Batches for fit/evaluate/predict from arrays or tensors (nested structures of them), or from
an iterable of ready batches: numpy float64 data becomes float32 as in Keras."""
from __future__ import annotations

import math

import jax
import numpy as np

from tfx_lite.framework import dtypes
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.tensor import Tensor
from tfx_lite.ops import array_ops, math_ops

DEFAULT_BATCH_SIZE = 32


def _is_leaf(x):
    return isinstance(x, Tensor) or isinstance(x, np.ndarray) or hasattr(x, "__tf_tensor__")


def _as_array(x):
    if x is None:
        return None
    array = np.asarray(x.numpy() if hasattr(x, "numpy") else x)
    return array.astype(np.float32) if array.dtype == np.float64 else array


def _arrays(structure):
    return jax.tree_util.tree_map(_as_array, structure, is_leaf=_is_leaf)


def _tensors(structure):
    return jax.tree_util.tree_map(lambda a: convert_to_tensor(a), structure)


def _length(structure):
    leaves = jax.tree_util.tree_leaves(structure)
    return len(leaves[0]) if leaves else 0


def unpack(batch):
    """(x, y, sample_weight) of a batch given as x, (x,), (x, y) or (x, y, sample_weight)."""
    if isinstance(batch, tuple):
        if len(batch) == 1:
            return batch[0], None, None
        if len(batch) == 2:
            return batch[0], batch[1], None
        if len(batch) == 3:
            return batch
    return batch, None, None


def batch_size_of(x):
    """The batch size of `x` as a float32 tensor (known while tracing only as a shape)."""
    leaf = jax.tree_util.tree_leaves(x)[0]
    return math_ops.cast(array_ops.shape(leaf)[0], dtypes.float32)


def batch_of(x, y, sample_weight):
    """One batch (x,), (x, y) or (x, y, sample_weight) of tensors."""
    parts = [x] if y is None and sample_weight is None else \
        [x, y] if sample_weight is None else [x, y, sample_weight]
    return tuple(None if p is None else _tensors(_arrays(p)) for p in parts)


class Batches:
    """The batches of one epoch, shuffled again each epoch when `shuffle`."""

    def __init__(self, x, y, sample_weight, batch_size, shuffle=False, steps=None):
        self._iterable = None
        if not isinstance(x, (np.ndarray, list, tuple, dict)) and not _is_leaf(x) and hasattr(x, "__iter__"):
            self._iterable, self._steps = x, steps  # a dataset of ready batches
            self._iterator = None
            if y is not None:
                raise ValueError("`y` argument is not supported when using dataset as input.")
            if _cardinality(x) == -1 and not steps:
                raise ValueError("When providing an infinite dataset, you must specify the number of steps to "
                                 "run (if you did not intend to create an infinite dataset, make sure to not "
                                 "call `repeat()` on the dataset).")
            return
        self._data = tuple(v for v in (_arrays(x), _arrays(y), _arrays(sample_weight)) if v is not None)
        self._n = _length(self._data[0])
        self._batch = batch_size or DEFAULT_BATCH_SIZE
        self._shuffle = shuffle
        self._steps = steps

    def __len__(self):
        if self._iterable is not None:
            if self._steps:
                return self._steps
            return max(_cardinality(self._iterable), 0)
        count = math.ceil(self._n / self._batch)
        return min(count, self._steps) if self._steps else count

    def epoch(self):
        if self._iterable is not None:
            yield from self._iterable_epoch()
            return
        order = np.random.permutation(self._n) if self._shuffle else None
        for i in range(len(self)):
            index = slice(i * self._batch, (i + 1) * self._batch)
            if order is not None:
                index = order[index]
            yield tuple(_tensors(jax.tree_util.tree_map(lambda a: a[index], part)) for part in self._data)


    def _iterable_epoch(self):
        """One epoch of a dataset: a whole pass, or with `steps` the next `steps` batches of one
        iterator kept across epochs (made again when it runs out), as Keras does."""
        if not self._steps:
            for batch in self._iterable:
                yield batch if isinstance(batch, tuple) else (batch,)
            return
        for _ in range(self._steps):
            if self._iterator is None:
                self._iterator = iter(self._iterable)
            batch = next(self._iterator, None)
            if batch is None:
                self._iterator = None
                return
            yield batch if isinstance(batch, tuple) else (batch,)


def _cardinality(iterable) -> int:
    """How many batches an iterable holds: -1 infinite, -2 unknown (tf.data's conventions)."""
    cardinality = getattr(iterable, "cardinality", None)
    if cardinality is not None:
        return int(cardinality())
    return len(iterable) if hasattr(iterable, "__len__") else -2


def split(x, y, sample_weight, fraction):
    """Keras' validation_split: the last `fraction` of the samples (before any shuffling)."""
    if not isinstance(x, (np.ndarray, list, tuple, dict)) and not _is_leaf(x):
        raise ValueError("`validation_split` is only supported for Tensors or NumPy arrays, found following "
                         f"types in the input: [{type(x)}]")
    n = _length(_arrays(x))
    cut = int(n * (1.0 - fraction))
    head = lambda s: None if s is None else jax.tree_util.tree_map(lambda a: a[:cut], _arrays(s))  # noqa: E731
    tail = lambda s: None if s is None else jax.tree_util.tree_map(lambda a: a[cut:], _arrays(s))  # noqa: E731
    validation = tuple(v for v in (tail(x), tail(y), tail(sample_weight)) if v is not None)
    return (head(x), head(y), head(sample_weight)), validation


def as_xy(validation_data):
    if isinstance(validation_data, tuple):
        return validation_data
    return (validation_data,)


def concatenate(outputs):
    arrays = [jax.tree_util.tree_map(lambda t: np.asarray(t), o, is_leaf=_is_leaf) for o in outputs]
    return jax.tree_util.tree_map(lambda *parts: np.concatenate(parts, axis=0), *arrays)
