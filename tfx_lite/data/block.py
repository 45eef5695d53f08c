"""Blocks: how elements move through a pipeline. A block holds consecutive elements, either
stacked along a new leading axis (so a slice, a gather, a vectorised map or a batch works on
all of them at once) or, when `count` is None, a single element as is (a batch, say, or an
element whose shape differs from its neighbours')."""
from __future__ import annotations

import numpy as np

from tfx_lite.errors import InvalidArgumentError


class Ragged:
    """A ragged component on the host (a batch of ragged rows): flat `values` cut into rows by
    `splits` (row i is values[splits[i]:splits[i + 1]]). Blocks holding one are single."""
    __slots__ = ("values", "splits")

    def __init__(self, values, splits):
        self.values = values
        self.splits = splits

    def rows(self):
        return [self.values[a:b] for a, b in zip(self.splits[:-1], self.splits[1:])]


def _host_array(a):
    return a if isinstance(a, (np.ndarray, Ragged)) else np.asarray(a)


def _stack_one(a):
    if isinstance(a, Ragged):
        out = np.empty(1, object)
        out[0] = a
        return out
    return np.asarray(a)[None]


class Block:
    __slots__ = ("arrays", "count")

    def __init__(self, arrays, count):
        self.arrays = tuple(arrays)
        self.count = count

    @classmethod
    def stacked(cls, arrays):
        arrays = tuple(arrays)
        return cls(arrays, len(arrays[0]) if arrays else 0)

    @classmethod
    def single(cls, arrays):
        return cls(arrays, None)

    @property
    def size(self) -> int:
        return 1 if self.count is None else self.count

    def host(self) -> "Block":
        """The same block with numpy arrays (results of compiled functions live on the device)."""
        if all(isinstance(a, (np.ndarray, Ragged)) for a in self.arrays):
            return self
        return Block(tuple(_host_array(a) for a in self.arrays), self.count)

    def elements(self):
        """The flat components of each element."""
        if self.count is None:
            yield self.arrays
            return
        arrays = self.host().arrays
        for i in range(self.count):
            yield tuple(a[i] for a in arrays)

    def slice(self, start, stop) -> "Block":
        if self.count is None:
            return self
        return Block(tuple(a[start:stop] for a in self.host().arrays), stop - start)

    def as_stacked(self) -> "Block":
        if self.count is not None:
            return self
        return Block(tuple(_stack_one(a) for a in self.arrays), 1)


def stack(elements, what="batch") -> tuple:
    """Stack flat elements along a new axis, with TF's error when their shapes differ."""
    first = elements[0]
    for index, element in enumerate(elements[1:], 1):
        for component, (a, b) in enumerate(zip(first, element)):
            if np.shape(a) != np.shape(b):
                raise InvalidArgumentError(
                    None, None,
                    f"Cannot {what} tensors with different shapes in component {component}. First element "
                    f"had shape {list(np.shape(a))} and element {index} had shape {list(np.shape(b))}.")
    return tuple(np.stack([np.asarray(e[c]) for e in elements]) for c in range(len(first)))


def concatenate(blocks) -> Block:
    """The elements of `blocks` stacked in one block."""
    if len(blocks) == 1:
        return blocks[0].as_stacked()
    if all(b.count is not None for b in blocks):
        shapes = {tuple(a.shape[1:] for a in b.arrays) for b in blocks}
        if len(shapes) == 1:
            columns = zip(*(b.host().arrays for b in blocks))
            return Block.stacked(np.concatenate(c) for c in columns)
    elements = [e for b in blocks for e in b.elements()]
    return Block.stacked(stack(elements))


class Cursor:
    """Reads a stream of blocks in pieces of any size."""

    def __init__(self, blocks):
        self._blocks = iter(blocks)
        self._block = None
        self._offset = 0

    def available(self) -> int:
        """Elements left in the current block (0 at the end of the stream)."""
        while self._block is None or self._offset >= self._block.size:
            self._block = next(self._blocks, None)
            self._offset = 0
            if self._block is None:
                return 0
        return self._block.size - self._offset

    def take(self, count) -> Block:
        """Up to `count` elements from the current block (call `available` first)."""
        block, start = self._block, self._offset
        stop = min(start + count, block.size)
        self._offset = stop
        if start == 0 and stop == block.size:
            return block
        return block.slice(start, stop)

    def read(self, count):
        """The next `count` elements (fewer at the end) as a list of blocks."""
        parts, wanted = [], count
        while wanted and self.available():
            part = self.take(wanted)
            parts.append(part)
            wanted -= part.size
        return parts

    def skip(self, count) -> int:
        skipped = 0
        while skipped < count and self.available():
            skipped += self.take(count - skipped).size
        return skipped

