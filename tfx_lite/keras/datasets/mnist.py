"""MNIST handwritten digits, from `<keras home>/datasets/mnist.npz` as Keras 3."""

import numpy as np

from tfx_lite.keras.datasets import _cache

_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"

def load_data(path="mnist.npz"):
    """Loads MNIST: `(x_train, y_train), (x_test, y_test)`, uint8 NumPy arrays of shapes
    (60000, 28, 28), (60000,), (10000, 28, 28), (10000,).

    Args:
        path: file name of the cache entry, relative to `~/.keras/datasets` (a bare name, as
            Keras 3: paths raise ValueError). Downloaded from the Keras mirror when absent.
    """
    fpath = _cache.get_file(path, _ORIGIN, file_hash=_SHA256)
    with np.load(fpath, allow_pickle=False) as f:
        x_train, y_train = f["x_train"], f["y_train"]
        x_test, y_test = f["x_test"], f["y_test"]
    return (x_train, y_train), (x_test, y_test)

__all__ = ["load_data"]
