"""Fashion-MNIST, from the four gzipped IDX files in `<keras home>/datasets/fashion-mnist/`."""
import gzip
import os

import numpy as np

from tfx_lite.keras.datasets import _cache

_BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
_FILES = ["train-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz",
          "t10k-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz"]


def load_data():
    """Loads Fashion-MNIST: `(x_train, y_train), (x_test, y_test)`, uint8 NumPy arrays of shapes
    (60000, 28, 28), (60000,), (10000, 28, 28), (10000,). Labels 0-9: T-shirt/top, Trouser,
    Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot."""
    folder = _cache.datasets_dir("fashion-mnist")
    paths = [_cache.get_file(f, _BASE + f, cache_subdir="fashion-mnist", manual_hint=(
        f"Download it yourself and put it at {os.path.join(folder, f)} (the folder {folder} "
        f"needs all four files: {', '.join(_FILES)})")) for f in _FILES]

    def read(path, offset):  # IDX: 8-byte (labels) / 16-byte (images) header, then uint8 data
        with gzip.open(path, "rb") as f:
            return np.frombuffer(f.read(), np.uint8, offset=offset)

    y_train = read(paths[0], 8)
    x_train = read(paths[1], 16).reshape(len(y_train), 28, 28)
    y_test = read(paths[2], 8)
    x_test = read(paths[3], 16).reshape(len(y_test), 28, 28)
    return (x_train, y_train), (x_test, y_test)


__all__ = ["load_data"]
