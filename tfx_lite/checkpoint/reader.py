"""tf.train.load_checkpoint / list_variables: a checkpoint's values by key."""
from __future__ import annotations

import json
import os

import numpy as np

from tfx_lite.framework import errors
from tfx_lite.framework.dtypes import as_dtype, string
from tfx_lite.checkpoint.state import latest_checkpoint
from tfx_lite.saving.bundle import BundleReader
from tfx_lite.saving.object_graph import OBJECT_GRAPH_KEY


def checkpoint_prefix(path) -> str:
    """A checkpoint prefix, or a directory's latest checkpoint."""
    path = os.fspath(path)
    if os.path.isdir(path):
        latest = latest_checkpoint(path)
        if latest is None:
            raise ValueError(f"Couldn't find 'checkpoint' file or checkpoints in given directory {path}")
        return latest
    return path


class CheckpointReader:
    """TF's CheckpointReader over a tfx_lite checkpoint."""

    def __init__(self, prefix):
        self._bundle = BundleReader(checkpoint_prefix(prefix))
        self._graph = self._bundle.body.get("object_graph")

    def _keys(self) -> list[str]:
        keys = self._bundle.keys()
        return keys + [OBJECT_GRAPH_KEY] if self._graph is not None else keys

    def has_tensor(self, key) -> bool:
        return key in self._keys()

    def get_tensor(self, key):
        if key == OBJECT_GRAPH_KEY and self._graph is not None:
            return json.dumps(self._graph).encode()
        if key not in self._bundle:
            raise errors.NotFoundError(None, None, f"Key {key} not found in checkpoint")
        return np.copy(self._bundle.get(key))

    def get_variable_to_shape_map(self) -> dict:
        return {k: ([] if k == OBJECT_GRAPH_KEY else list(self._bundle.get(k).shape)) for k in self._keys()}

    def get_variable_to_dtype_map(self) -> dict:
        return {k: (string if k == OBJECT_GRAPH_KEY else as_dtype(self._bundle.get(k).dtype)) for k in self._keys()}


def load_checkpoint(ckpt_dir_or_file) -> CheckpointReader:
    return CheckpointReader(ckpt_dir_or_file)


def list_variables(ckpt_dir_or_file) -> list:
    """(key, shape) of every value in the checkpoint, sorted by key."""
    return sorted(load_checkpoint(ckpt_dir_or_file).get_variable_to_shape_map().items())


def load_variable(ckpt_dir_or_file, name):
    return load_checkpoint(ckpt_dir_or_file).get_tensor(name)
