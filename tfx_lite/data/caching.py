"""cache: the first complete pass is kept (in memory, or in files named after `filename`) and
later passes replay it. A pass that stops early keeps nothing, as in TF."""
from __future__ import annotations

import json
import os

import numpy as np

from tfx_lite.data.block import Block
from tfx_lite.data.dataset import UnaryDataset
from tfx_lite.errors import NotFoundError


class CacheDataset(UnaryDataset):
    def __init__(self, input_dataset, filename="", name=None):
        super().__init__(input_dataset._structure, name)
        self._input = input_dataset
        self._filename = os.fspath(filename)
        if self._filename:
            input_dataset._structure.refuse_ragged("cache (to a file)")
        self._memory = None

    def _blocks(self, size):
        cached = self._memory if not self._filename else self._read()
        if cached is not None:
            yield from cached
            return
        kept = []
        for block in self._input._blocks(size):
            kept.append(block.host())
            yield block
        if self._filename:
            self._write(kept)
        else:
            self._memory = kept

    # Files: `<filename>.index` (JSON: how many blocks, which are single elements) and
    # `<filename>.data-00000-of-00001` (an .npz archive of the component arrays).
    def _paths(self):
        return self._filename + ".index", self._filename + ".data-00000-of-00001"

    def _read(self):
        index_path, data_path = self._paths()
        if not os.path.exists(index_path):
            return None
        with open(index_path) as f:
            index = json.load(f)
        if index.get("element_spec") != repr(self.element_spec):
            raise ValueError(f"The cache {self._filename!r} holds elements {index.get('element_spec')}, but the "
                             f"dataset's elements are {self.element_spec!r}; remove the cache files to rebuild it.")
        with np.load(data_path, allow_pickle=False) as data:
            return [Block([data[f"b{i}_{c}"] for c in range(len(self._structure.specs))], count)
                    for i, count in enumerate(index["counts"])]

    def _write(self, blocks):
        index_path, data_path = self._paths()
        directory = os.path.dirname(os.path.abspath(self._filename))
        if not os.path.isdir(directory):
            raise NotFoundError(None, None, f"Failed to create a directory: {directory}; No such file or directory")
        arrays = {f"b{i}_{c}": a for i, block in enumerate(blocks) for c, a in enumerate(block.arrays)}
        with open(data_path, "wb") as f:
            np.savez(f, **arrays)
        with open(index_path, "w") as f:
            json.dump({"element_spec": repr(self.element_spec), "counts": [b.count for b in blocks]}, f)
