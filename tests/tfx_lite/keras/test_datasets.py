"""tf.keras.datasets: load_data() on tiny files of the real formats, written into a temp KERAS_HOME.
The network is never touched: the download function is monkeypatched to fail (or copy) instantly."""
import gzip
import os
import pickle
import shutil
import tarfile
import urllib.error

import numpy as np
import pytest

import tfx_lite as tf  # noqa: F401
from tfx_lite.keras import datasets
from tfx_lite.keras.datasets import _cache, cifar10, fashion_mnist, mnist


@pytest.fixture
def calls():
    """The (origin, target) of each download tried."""
    return []


@pytest.fixture
def home(tmp_path, monkeypatch, calls):
    """A fresh KERAS_HOME, and a download that fails at once as on a machine without network."""
    kh = tmp_path / "kh"
    monkeypatch.setenv("KERAS_HOME", str(kh))

    def offline(origin, target):
        calls.append((origin, target))
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(_cache, "_urlretrieve", offline)
    return kh


def _rng_u8(shape, seed):
    return np.random.default_rng(seed).integers(0, 256, size=shape, dtype=np.uint8)


# ---------------------------------------------------------------- mnist

def _write_mnist(path, n_train=5, n_test=3):
    arrays = dict(x_train=_rng_u8((n_train, 28, 28), 0), y_train=_rng_u8((n_train,), 1) % 10,
                  x_test=_rng_u8((n_test, 28, 28), 2), y_test=_rng_u8((n_test,), 3) % 10)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, **arrays)
    return arrays


def test_mnist_reads_cache(home, calls):
    ref = _write_mnist(home / "datasets" / "mnist.npz")
    (x_train, y_train), (x_test, y_test) = datasets.mnist.load_data()
    for name, got in [("x_train", x_train), ("y_train", y_train), ("x_test", x_test), ("y_test", y_test)]:
        assert got.dtype == np.uint8
        np.testing.assert_array_equal(got, ref[name])
    assert x_train.shape == (5, 28, 28) and y_train.shape == (5,)
    assert x_test.shape == (3, 28, 28) and y_test.shape == (3,)
    assert calls == []


def test_mnist_custom_path_name(home):
    ref = _write_mnist(home / "datasets" / "my_mnist.npz", 2, 1)
    (x_train, _), _ = mnist.load_data(path="my_mnist.npz")
    np.testing.assert_array_equal(x_train, ref["x_train"])


def test_mnist_path_with_folder_is_refused_as_keras3(home):
    with pytest.raises(ValueError, match="Paths are no longer accepted"):
        mnist.load_data(path=os.path.join("sub", "mnist.npz"))


def test_mnist_offline_error_names_url_and_path(home, calls):
    with pytest.raises(datasets.DatasetDownloadError) as ei:
        mnist.load_data()
    msg = str(ei.value)
    expected = str(home / "datasets" / "mnist.npz")
    assert isinstance(ei.value, OSError)
    assert msg.startswith("URL fetch failure on " + mnist._ORIGIN)
    assert expected in msg
    assert calls == [(mnist._ORIGIN, expected)]
    assert not os.path.exists(expected)


def test_mnist_download_then_cached(home, monkeypatch, tmp_path):
    src = tmp_path / "served.npz"
    ref = _write_mnist(src, 4, 2)

    def fake_fetch(origin, target):  # stands in for urllib: "serves" a local file
        shutil.copyfile(src, target)

    monkeypatch.setattr(_cache, "_urlretrieve", fake_fetch)
    # The published hash guards a fresh download: the tiny file does not match it.
    with pytest.raises(ValueError, match="does not match"):
        mnist.load_data()
    assert not (home / "datasets" / "mnist.npz").exists()
    monkeypatch.setattr(mnist, "_SHA256", _cache._sha256(src))
    (x_train, _), (_, y_test) = mnist.load_data()
    np.testing.assert_array_equal(x_train, ref["x_train"])
    np.testing.assert_array_equal(y_test, ref["y_test"])
    assert (home / "datasets" / "mnist.npz").exists()


def test_default_home_is_dot_keras(tmp_path, monkeypatch):
    monkeypatch.delenv("KERAS_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert _cache.keras_home() == str(tmp_path / ".keras")
    assert _cache.datasets_dir() == str(tmp_path / ".keras" / "datasets")


# ---------------------------------------------------------------- fashion_mnist

def _idx(data, header):
    return gzip.compress(header + data.tobytes())


def _write_fashion(folder, n_train=4, n_test=2):
    folder.mkdir(parents=True, exist_ok=True)
    ref = dict(x_train=_rng_u8((n_train, 28, 28), 4), y_train=_rng_u8((n_train,), 5) % 10,
               x_test=_rng_u8((n_test, 28, 28), 6), y_test=_rng_u8((n_test,), 7) % 10)
    for prefix, x, y in [("train", ref["x_train"], ref["y_train"]), ("t10k", ref["x_test"], ref["y_test"])]:
        n = len(y)
        lab_header = (2049).to_bytes(4, "big") + n.to_bytes(4, "big")
        img_header = (2051).to_bytes(4, "big") + n.to_bytes(4, "big") + (28).to_bytes(4, "big") * 2
        (folder / f"{prefix}-labels-idx1-ubyte.gz").write_bytes(_idx(y, lab_header))
        (folder / f"{prefix}-images-idx3-ubyte.gz").write_bytes(_idx(x, img_header))
    return ref


def test_fashion_mnist_reads_cache(home, calls):
    ref = _write_fashion(home / "datasets" / "fashion-mnist")
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    for name, got in [("x_train", x_train), ("y_train", y_train), ("x_test", x_test), ("y_test", y_test)]:
        assert got.dtype == np.uint8
        np.testing.assert_array_equal(got, ref[name])
    assert x_train.shape == (4, 28, 28) and y_test.shape == (2,)
    assert calls == []


def test_fashion_mnist_offline_error_names_missing_file(home, calls):
    folder = home / "datasets" / "fashion-mnist"
    _write_fashion(folder)
    (folder / "t10k-images-idx3-ubyte.gz").unlink()
    with pytest.raises(datasets.DatasetDownloadError) as ei:
        fashion_mnist.load_data()
    msg = str(ei.value)
    url = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/t10k-images-idx3-ubyte.gz"
    assert msg.startswith("URL fetch failure on " + url)
    assert str(folder / "t10k-images-idx3-ubyte.gz") in msg
    assert len(calls) == 1


# ---------------------------------------------------------------- cifar10

def _cifar_batch(n, seed):
    # The published format: a pickle of {b"data": (n, 3072) uint8 array, b"labels": [...], ...} with
    # bytes keys (the real files are Python 2 pickles). Protocol 3 writes bytes as bytes, as Python 2's
    # str opcodes read with encoding="bytes"; Python 3's protocol 2 would need `_codecs.encode`.
    data = _rng_u8((n, 3 * 32 * 32), seed)
    labels = [int(v) for v in _rng_u8((n,), seed + 100) % 10]
    blob = pickle.dumps({b"batch_label": b"fake", b"labels": labels, b"data": data,
                         b"filenames": [b"f%d.png" % i for i in range(n)]}, protocol=3)
    return blob, data, labels


def _write_cifar(folder, sizes=(2, 1, 3, 2, 1), n_test=2):
    folder.mkdir(parents=True, exist_ok=True)
    xs, ys = [], []
    for i, n in enumerate(sizes, 1):
        blob, data, labels = _cifar_batch(n, i)
        (folder / f"data_batch_{i}").write_bytes(blob)
        xs.append(data)
        ys += labels
    blob, x_test, y_test = _cifar_batch(n_test, 9)
    (folder / "test_batch").write_bytes(blob)
    chw = lambda d: d.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)  # noqa: E731
    return chw(np.concatenate(xs)), np.array(ys, np.uint8), chw(x_test), np.array(y_test, np.uint8)


def _check_cifar(ref):
    (x_train, y_train), (x_test, y_test) = cifar10.load_data()
    assert x_train.shape == (9, 32, 32, 3) and x_test.shape == (2, 32, 32, 3)
    assert y_train.shape == (9, 1) and y_test.shape == (2, 1)
    for got in (x_train, y_train, x_test, y_test):
        assert got.dtype == np.uint8
    np.testing.assert_array_equal(x_train, ref[0])
    np.testing.assert_array_equal(y_train[:, 0], ref[1])
    np.testing.assert_array_equal(x_test, ref[2])
    np.testing.assert_array_equal(y_test[:, 0], ref[3])


def test_cifar10_reads_extracted_folder(home, calls):
    ref = _write_cifar(home / "datasets" / "cifar-10-batches-py")
    _check_cifar(ref)
    assert calls == []


def test_cifar10_reads_keras3_layout(home):
    ref = _write_cifar(home / "datasets" / "cifar-10-batches-py-target" / "cifar-10-batches-py")
    _check_cifar(ref)


def test_cifar10_unpacks_tarball(home, tmp_path, calls):
    ref = _write_cifar(tmp_path / "src" / "cifar-10-batches-py")
    (home / "datasets").mkdir(parents=True)
    with tarfile.open(home / "datasets" / "cifar-10-python.tar.gz", "w:gz") as t:
        t.add(tmp_path / "src" / "cifar-10-batches-py", arcname="cifar-10-batches-py")
    _check_cifar(ref)
    assert (home / "datasets" / "cifar-10-batches-py" / "test_batch").is_file()
    assert calls == []


def test_cifar10_offline_error_names_paths(home):
    with pytest.raises(datasets.DatasetDownloadError) as ei:
        cifar10.load_data()
    msg = str(ei.value)
    assert msg.startswith("URL fetch failure on https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz")
    assert str(home / "datasets" / "cifar-10-python.tar.gz") in msg
    assert str(home / "datasets" / "cifar-10-batches-py") in msg


class _Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


def test_cifar10_refuses_pickle_with_other_globals(home):
    folder = home / "datasets" / "cifar-10-batches-py"
    _write_cifar(folder)
    (folder / "test_batch").write_bytes(pickle.dumps({b"data": _Evil(), b"labels": []}, protocol=3))
    with pytest.raises(pickle.UnpicklingError, match="Refusing to deserialize"):
        cifar10.load_data()


def test_tf_keras_datasets_namespace():
    import tfx_lite.keras.datasets as ds
    assert ds.mnist.load_data is mnist.load_data
    assert issubclass(ds.DatasetDownloadError, OSError)
