"""A tensor bundle: named arrays in two files, as TF's checkpoints are laid out.

    <prefix>.index                   a manifest: each key's dtype and shape, the data file's
                                     sha256, and what the writer adds (the object graph)
    <prefix>.data-00000-of-00001     the arrays (.npz, see arrays_file.py)

tf.train.Checkpoint, SavedModel variables, Keras weights and compat.v1's Saver all write this.
`BundleReader` checks both files completely when it opens them, so a restore either has every
value or raises before assigning any.
"""
from __future__ import annotations

import os

import numpy as np

from tfx_lite.framework import errors
from tfx_lite.saving import arrays_file, manifest

FORMAT = "tfx_lite.tensor_bundle"
VERSION = 1


def index_path(prefix) -> str:
    return f"{prefix}.index"


def data_path(prefix) -> str:
    return f"{prefix}.data-00000-of-00001"


def dumps(values: dict, **extra) -> tuple[bytes, bytes]:
    """(index bytes, data bytes) of a bundle of `values` (key -> array); `extra` goes into the index."""
    keys = list(values)
    data, entries = arrays_file.dumps([values[k] for k in keys])
    body = {"data_sha256": manifest.sha256(data),
            "keys": [{"key": k, **entry} for k, entry in zip(keys, entries)], **extra}
    return manifest.dumps(FORMAT, VERSION, body), data


def write_bundle(prefix, values: dict, **extra) -> str:
    """Write `values` (key -> array) under `prefix`; `extra` entries go into the index."""
    directory = os.path.dirname(os.fspath(prefix))
    if directory:
        os.makedirs(directory, exist_ok=True)
    index, data = dumps(values, **extra)
    manifest.write_atomically(data_path(prefix), data)  # the index, written last, commits the bundle
    manifest.write_atomically(index_path(prefix), index)
    return os.fspath(prefix)


def exists(prefix) -> bool:
    return os.path.isfile(index_path(prefix))


def _not_found(prefix):
    return errors.NotFoundError(None, None, "Unsuccessful TensorSliceReader constructor: Failed to find "
                                            f"any matching files for {prefix}")


class BundleReader:
    """The arrays of a bundle, all read and checked on opening: from the files at `prefix`, or
    (`from_bytes`) from the two members of an archive."""

    def __init__(self, prefix):
        self.prefix = os.fspath(prefix)
        index = index_path(prefix)
        index_bytes = manifest.read_bytes(index, missing=lambda _: _not_found(prefix))
        data_bytes = manifest.read_bytes(data_path(prefix), missing=lambda p: manifest.corrupt(
            p, f"missing: the index {index} lists the arrays stored in this file"))
        self._read(index_bytes, index, data_bytes, data_path(prefix))

    @classmethod
    def from_bytes(cls, index_bytes: bytes, index_name: str, data_bytes: bytes, data_name: str):
        reader = cls.__new__(cls)
        reader.prefix = index_name
        reader._read(index_bytes, index_name, data_bytes, data_name)
        return reader

    def _read(self, index_bytes, index, data_bytes, data):
        self.index_name = index
        body = manifest.loads(index_bytes, index, FORMAT, VERSION)
        entries = body.get("keys") if isinstance(body, dict) else None
        if not isinstance(entries, list) or not all(
                isinstance(e, dict) and isinstance(e.get("key"), str) and isinstance(e.get("dtype"), str)
                and isinstance(e.get("shape"), list) for e in entries):
            raise manifest.corrupt(index, "its key list is malformed")
        try:
            for e in entries:
                np.dtype(_numpy_dtype(e["dtype"]))
        except (TypeError, ValueError) as err:
            raise manifest.corrupt(index, f"unknown dtype in its key list ({err})") from None
        arrays = arrays_file.loads(data_bytes, data, entries, body.get("data_sha256"))
        self._values = {e["key"]: a for e, a in zip(entries, arrays)}
        self.body = body

    def values(self) -> dict:
        """Every key's array (a new dict)."""
        return dict(self._values)

    def keys(self) -> list[str]:
        return list(self._values)

    def __contains__(self, key) -> bool:
        return key in self._values

    def get(self, key) -> np.ndarray:
        try:
            return self._values[key]
        except KeyError:
            raise errors.NotFoundError(None, None, f"Key {key} not found in checkpoint") from None


def _numpy_dtype(name):
    from tfx_lite.framework.dtypes import as_dtype
    return as_dtype(name).as_numpy_dtype
