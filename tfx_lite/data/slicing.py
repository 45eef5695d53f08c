"""repeat, take, skip and shard."""
from __future__ import annotations

import numpy as np

from tfx_lite.data.block import Cursor
from tfx_lite.data.dataset import INFINITE, UNKNOWN, UnaryDataset
from tfx_lite.data.structure import int64_argument


class _Unary(UnaryDataset):
    """Of the input's structure; each subclass counts its own elements."""

    def __init__(self, input_dataset, name=None):
        super().__init__(input_dataset._structure, name)
        self._input = input_dataset


class _RepeatDataset(_Unary):
    """`count` passes over the input (forever when None or -1)."""

    def __init__(self, input_dataset, count=None, name=None):
        super().__init__(input_dataset, name)
        self._count = -1 if count is None else int64_argument(count, "count")
        n = input_dataset._cardinality()
        self._random_access = input_dataset._random_access and self._count >= 0 and n >= 0

    def _cardinality(self):
        n = self._input._cardinality()
        if self._count == 0 or n == 0:
            return 0
        if self._count < 0:
            return INFINITE
        return n * self._count if n >= 0 else n

    def _blocks(self, size):
        done = 0
        while self._count < 0 or done < self._count:
            produced = False
            for block in self._input._blocks(size):
                produced = True
                yield block
            done += 1
            if not produced:  # an empty input repeated forever is still empty
                return

    def _gather(self, indices):
        return self._input._gather(np.asarray(indices) % self._input._cardinality())


class _Counted(_Unary):
    """take / skip: `count` elements at the front (-1: all of them)."""

    def __init__(self, input_dataset, count, name=None):
        super().__init__(input_dataset, name)
        self._count = int64_argument(count, "count")
        self._random_access = input_dataset._random_access


class _TakeDataset(_Counted):

    def _cardinality(self):
        n = self._input._cardinality()
        if self._count < 0:
            return n
        if n == INFINITE:
            return self._count
        if n == UNKNOWN:
            return UNKNOWN
        return min(n, self._count)

    def _blocks(self, size):
        if self._count < 0:
            yield from self._input._blocks(size)
            return
        if self._count == 0:
            return
        cursor = Cursor(self._input._blocks(min(size, self._count)))
        left = self._count
        while left and cursor.available():
            block = cursor.take(left)
            left -= block.size
            yield block

    def _gather(self, indices):
        return self._input._gather(indices)


class _SkipDataset(_Counted):

    def _cardinality(self):
        n = self._input._cardinality()
        if n < 0:
            return n
        if self._count < 0:
            return 0
        return max(n - self._count, 0)

    def _blocks(self, size):
        cursor = Cursor(self._input._blocks(size))
        if self._count < 0:
            while cursor.available():
                cursor.take(size)
            return
        cursor.skip(self._count)
        while cursor.available():
            yield cursor.take(size)

    def _gather(self, indices):
        return self._input._gather(np.asarray(indices) + self._count)


class _ShardDataset(_Unary):
    """Every `num_shards`-th element, starting at `index`."""

    def __init__(self, input_dataset, num_shards, index, name=None):
        super().__init__(input_dataset, name)
        self._shards = int64_argument(num_shards, "num_shards")
        self._index = int64_argument(index, "index")
        if self._shards <= 0:
            raise ValueError(f"num_shards must be > 0, got {self._shards}")
        if not 0 <= self._index < self._shards:
            raise ValueError(f"index must be >= 0 and < num_shards ({self._shards}), got {self._index}")

    def _cardinality(self):
        n = self._input._cardinality()
        if n < 0:
            return n
        return n // self._shards + (1 if n % self._shards > self._index else 0)

    def _blocks(self, size):
        position = 0
        for block in self._input._blocks(size):
            for element in block.elements():
                if position % self._shards == self._index:
                    yield block.single(element)
                position += 1
