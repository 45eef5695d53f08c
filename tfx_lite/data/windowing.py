"""window: each element is a window of consecutive input elements, given as a structure of
datasets (one per component), as in TF; `flat_map` turns windows back into tensors."""
from __future__ import annotations

import numpy as np

from tfx_lite.data.block import stack
from tfx_lite.data.dataset import INFINITE, UNKNOWN, Dataset
from tfx_lite.data.sources import _TensorSliceDataset
from tfx_lite.data.structure import Structure, int64_argument
from tfx_lite.errors import InvalidArgumentError
from tfx_lite.framework.tensor_shape import TensorShape


class DatasetSpec:
    """The type of a dataset-valued element: its element spec (tf.data.DatasetSpec)."""

    def __init__(self, element_spec, dataset_shape=()):
        self._element_spec = element_spec
        self._dataset_shape = TensorShape(dataset_shape)

    element_spec = property(lambda self: self._element_spec)

    def __eq__(self, other):
        return isinstance(other, DatasetSpec) and repr(self) == repr(other)

    def __hash__(self):
        return hash(repr(self))

    def __repr__(self):
        return f"DatasetSpec({self._element_spec!r}, {self._dataset_shape!r})"


class _WindowDataset(Dataset):
    def __init__(self, input_dataset, size, shift=None, stride=1, drop_remainder=False, name=None):
        input_dataset._structure.refuse_ragged("window", rows=True)
        self._input = input_dataset
        self._size = int64_argument(size, "size")
        self._shift = self._size if shift is None else int64_argument(shift, "shift")
        self._stride = int64_argument(stride, "stride")
        for value, what in ((self._size, "Window size"), (self._shift, "Window shift"),
                            (self._stride, "Window stride")):
            if value <= 0:
                raise InvalidArgumentError(None, None, f"{what} must be greater than zero.")
        self._drop_remainder = bool(drop_remainder)
        structure = input_dataset._structure
        self._window_specs = Structure(structure.treedef, [DatasetSpec(s) for s in structure.specs])
        super().__init__(structure, name)

    @property
    def element_spec(self):
        return self._window_specs.element_spec

    def _inputs(self):
        return [self._input]

    def _cardinality(self):
        n = self._input._cardinality()
        if n < 0:
            return n if n == UNKNOWN else INFINITE
        span = (self._size - 1) * self._stride + 1
        if self._drop_remainder:
            return 0 if n < span else (n - span) // self._shift + 1
        return -(-n // self._shift)

    def _blocks(self, size):
        raise TypeError("The elements of a window dataset are datasets, which cannot be batched or mapped as "
                        "tensors; use `flat_map(lambda window: window.batch(n))` to turn windows into tensors.")

    def _element_components(self):
        return self._blocks(0)

    def _windows(self):
        span = (self._size - 1) * self._stride + 1
        buffer, base, start = [], 0, 0
        for position, element in enumerate(self._input._element_components()):
            buffer.append(element)
            while start + span - 1 <= position:
                yield buffer[start - base:start - base + span:self._stride]
                start += self._shift
                drop = min(start - base, len(buffer))
                del buffer[:drop]
                base += drop
        end = base + len(buffer)
        while not self._drop_remainder and start < end:
            yield buffer[start - base::self._stride]
            start += self._shift

    def _window_element(self, elements):
        columns = stack(elements, "window") if elements else \
            [np.zeros([0] + [d or 0 for d in s.shape], s.dtype.as_numpy_dtype) for s in self._structure.specs]
        return self._structure.unflatten([_VariantDataset(column) for column in columns])

    def _elements(self):
        for window in self._windows():
            yield self._window_element(window)

    def _placeholder_element(self):
        return self._window_element([])


class _VariantDataset(_TensorSliceDataset):
    """A window: a dataset over the window's elements (TF's name for a dataset held in a tensor)."""
