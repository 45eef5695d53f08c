"""CIFAR-10, from the `cifar-10-batches-py` folder of `cifar-10-python.tar.gz` in the Keras cache.

Looked for, in order: `<datasets>/cifar-10-batches-py/` (tf.keras 2's layout, and what one gets by
unpacking the tarball there by hand), `<datasets>/cifar-10-batches-py-target/cifar-10-batches-py/`
(Keras 3's layout, so an existing Keras 3 cache is reused), `<datasets>/cifar-10-python.tar.gz`
(unpacked in place); else the tarball is downloaded to that last path and unpacked.
"""
import os
import pickle

import numpy as np

from tfx_lite.keras.datasets import _cache

_ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
_SHA256 = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"
_FOLDER = "cifar-10-batches-py"
_ARCHIVE = "cifar-10-python.tar.gz"

# The only globals a CIFAR batch pickle needs (a dict of bytes keys, lists, and numpy uint8 arrays);
# same allow-list as Keras 3's RestrictedUnpickler, numpy < 2 and >= 2 spellings.
_ALLOWED_GLOBALS = frozenset({
    ("numpy", "ndarray"), ("numpy", "dtype"),
    ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
})


class _RestrictedUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) in _ALLOWED_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(
            f"Refusing to deserialize `{module}.{name}` while loading a Keras dataset. "
            "The file may be corrupted or malicious.")


def load_batch(fpath, label_key="labels"):
    """One CIFAR batch file -> (data (N, 3, 32, 32) uint8, labels list)."""
    # The CIFAR-10 batches are Python 2 pickles: that is the dataset's published format (Keras reads
    # them the same way), so they are unpickled with encoding="bytes" -- but through an unpickler
    # that only admits the numpy array globals above, so a tampered file cannot run code.
    with open(fpath, "rb") as f:
        d = _RestrictedUnpickler(f, encoding="bytes").load()
    d = {(k.decode("utf8") if isinstance(k, bytes) else k): v for k, v in d.items()}
    data = np.asarray(d["data"], dtype=np.uint8)
    return data.reshape(data.shape[0], 3, 32, 32), d[label_key]


def _batches_dir():
    datadir = _cache.datasets_dir()
    for cand in (os.path.join(datadir, _FOLDER),
                 os.path.join(datadir, "cifar-10-batches-py-target", _FOLDER)):
        if os.path.isfile(os.path.join(cand, "test_batch")):
            return cand
    archive = os.path.join(datadir, _ARCHIVE)
    if not os.path.exists(archive):
        _cache.download(
            _ORIGIN, archive, _SHA256,
            manual_hint=(f"Download it yourself and put it at {archive} , or unpack it so that "
                         f"{os.path.join(datadir, _FOLDER)} holds data_batch_1..5 and test_batch."))
    _cache.extract_tar(archive, datadir)
    return os.path.join(datadir, _FOLDER)


def load_data():
    """Loads CIFAR-10: `(x_train, y_train), (x_test, y_test)`, uint8 NumPy arrays of shapes
    (50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), (10000, 1) (channels_last). Labels 0-9:
    airplane, automobile, bird, cat, deer, dog, frog, horse, ship, truck."""
    path = _batches_dir()
    parts = [load_batch(os.path.join(path, f"data_batch_{i}")) for i in range(1, 6)]
    x_train = np.concatenate([x for x, _ in parts]).astype(np.uint8)
    y_train = np.concatenate([np.asarray(y, dtype=np.uint8) for _, y in parts])
    x_test, y_test = load_batch(os.path.join(path, "test_batch"))
    y_train = y_train.reshape(len(y_train), 1)
    y_test = np.asarray(y_test).reshape(len(y_test), 1).astype(np.uint8)
    x_train = x_train.transpose(0, 2, 3, 1)  # channels_last, tfx_lite's only image format
    x_test = x_test.astype(np.uint8).transpose(0, 2, 3, 1)
    return (x_train, y_train), (x_test, y_test)


__all__ = ["load_data"]
