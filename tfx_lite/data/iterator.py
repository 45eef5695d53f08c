"""Iterators over a dataset: `iter(dataset)` gives eager tensors, `as_numpy_iterator` numpy."""
from __future__ import annotations

from tfx_lite.errors import OutOfRangeError


class OwnedIterator:
    """One pass over a dataset (tf.data's OwnedIterator)."""

    def __init__(self, dataset):
        self._dataset = dataset
        self._elements = self._start(dataset)

    @property
    def element_spec(self):
        return self._dataset.element_spec

    def __iter__(self):
        return self

    def _start(self, dataset):
        return dataset._elements()

    def __next__(self):
        return next(self._elements)

    def get_next(self):
        try:
            return next(self)
        except StopIteration:
            raise OutOfRangeError(None, None, "End of sequence") from None

    def next(self):
        return next(self)


class NumpyIterator(OwnedIterator):
    def _start(self, dataset):
        numpy = dataset._structure.numpy
        return (numpy(c) for c in dataset._element_components())

    def __repr__(self):
        return "<tfx_lite NumpyIterator>"
