"""shuffle: TF's buffer semantics. The buffer holds the next `buffer_size` elements; each
output is a uniformly chosen buffer entry, whose place the next input element takes. Over a
dataset with random access only the indices go through the buffer, and the elements are then
gathered a block at a time."""
from __future__ import annotations

import secrets

import numpy as np

from tfx_lite.data.block import Block
from tfx_lite.data.dataset import UnaryDataset
from tfx_lite.data.structure import as_component
from tfx_lite.errors import InvalidArgumentError
from tfx_lite.ops.random_ops import get_seed


def buffer_order(count, buffer_size, rng, chunk):
    """The shuffled order of indices 0..count-1, `chunk` indices at a time."""
    if buffer_size >= count:
        order = rng.permutation(count)
        for start in range(0, count, chunk):
            yield order[start:start + chunk]
        return
    buffer = list(range(buffer_size))
    incoming = buffer_size
    for start in range(0, count, chunk):
        n = min(chunk, count - start)
        out = np.empty(n, np.int64)
        picks = rng.random(n)
        for i in range(n):
            j = int(picks[i] * len(buffer))
            out[i] = buffer[j]
            if incoming < count:
                buffer[j] = incoming
                incoming += 1
            else:
                buffer[j] = buffer[-1]
                buffer.pop()
        yield out


def buffer_shuffle(blocks, buffer_size, rng):
    """Shuffle a stream of blocks element by element through the buffer."""
    buffer = []
    for block in blocks:
        for element in block.elements():
            if len(buffer) < buffer_size:
                buffer.append(element)
                continue
            j = int(rng.random() * len(buffer))
            out, buffer[j] = buffer[j], element
            yield Block.single(out)
    while buffer:
        j = int(rng.random() * len(buffer))
        out = buffer[j]
        buffer[j] = buffer[-1]
        buffer.pop()
        yield Block.single(out)


class _ShuffleDataset(UnaryDataset):
    def __init__(self, input_dataset, buffer_size, seed=None, reshuffle_each_iteration=True, name=None):
        buffer_size = int(as_component(buffer_size))
        if buffer_size == -1:  # tf.data.AUTOTUNE is not a buffer size: TF reads it as "all"
            buffer_size = np.iinfo(np.int64).max
        if buffer_size <= 0:
            raise InvalidArgumentError(None, None, "buffer_size must be greater than zero or UNKNOWN_CARDINALITY")
        super().__init__(input_dataset._structure, name)
        self._input = input_dataset
        self._buffer_size = buffer_size
        seed1, seed2 = get_seed(None if seed is None else int(as_component(seed)))
        # without seeds, fresh entropy for this dataset (then the passes follow from it, as seeded ones do)
        self._seeds = [secrets.randbits(64)] if seed1 is None else [seed1, seed2]
        self._reshuffle = reshuffle_each_iteration
        self._passes = 0

    def _rng(self):
        iteration = self._passes if self._reshuffle else 0
        self._passes += 1
        return np.random.default_rng([*self._seeds, iteration])

    def _blocks(self, size):
        rng = self._rng()
        source = self._input
        count = source._cardinality()
        if source._random_access and count >= 0:
            for indices in buffer_order(count, self._buffer_size, rng, size):
                yield source._gather(indices)
        else:
            yield from buffer_shuffle(source._blocks(size), self._buffer_size, rng)
