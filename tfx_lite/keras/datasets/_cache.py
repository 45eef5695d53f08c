"""The Keras dataset cache: where `load_data()` looks for files, and the one download it tries.

Layout as Keras 3: `$KERAS_HOME/datasets/` (else `~/.keras/datasets/`, else `/tmp/.keras/datasets/`
when the home folder is not writable). `KERAS_HOME` is read at call time, not import time.
A file already in the cache is used as is (Keras re-downloads a cached file whose sha256 does not
match; here a file someone placed by hand is trusted, since there may be no network to fetch another),
while a fresh download is checked against the published hash.
"""
import hashlib
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.request

_TIMEOUT_S = 10.0


class DatasetDownloadError(OSError):
    """A dataset file is not in the cache and downloading it failed (e.g. no network).

    Keras raises a bare `Exception("URL fetch failure on ...")`; this is an `OSError` (so still an
    `Exception`) with the same message start, plus the exact path where to put the file by hand.
    """


def keras_home():
    if "KERAS_HOME" in os.environ:
        return os.path.expanduser(os.environ["KERAS_HOME"])
    base = os.path.expanduser("~")
    if not os.access(base, os.W_OK):
        base = "/tmp"
    return os.path.join(base, ".keras")


def datasets_dir(subdir=None):
    """`<keras home>/datasets[/subdir]`, created if missing (falls back to /tmp/.keras as Keras)."""
    base = keras_home()
    if os.path.isdir(base) and not os.access(base, os.W_OK):
        base = os.path.join(tempfile.gettempdir(), ".keras")
    path = os.path.join(base, "datasets", *([subdir] if subdir else []))
    try:
        os.makedirs(path, exist_ok=True)
    except OSError:
        pass  # read-only cache: files placed there can still be read
    return path


def check_fname(fname):
    fname = os.fspath(fname)
    if os.sep in fname or (os.altsep and os.altsep in fname):
        raise ValueError(
            "Paths are no longer accepted as the `fname` argument. To specify the file's parent "
            f"directory, use the `cache_dir` argument. Received: fname={fname}")
    return fname


def _sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _urlretrieve(origin, target):
    """Fetches `origin` into `target` (through a temp file, so a failure leaves nothing behind)."""
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".download-")
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(origin, timeout=_TIMEOUT_S) as r:
            shutil.copyfileobj(r, out)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def download(origin, target, file_hash=None, manual_hint=None):
    """Downloads `origin` to `target`; raises DatasetDownloadError saying where to put it by hand."""
    print(f"Downloading data from {origin}")
    try:
        _urlretrieve(origin, target)
    except Exception as e:  # no network, DNS failure, HTTP error, timeout, disk full, ...
        if isinstance(e, urllib.error.HTTPError):
            reason = f"{e.code} -- {e.msg}"
        elif isinstance(e, urllib.error.URLError):
            reason = str(e.reason)
        else:
            reason = f"{type(e).__name__}: {e}"
        hint = manual_hint or f"Download it yourself and put it at {target}"
        raise DatasetDownloadError(
            f"URL fetch failure on {origin}: {reason}\n"
            f"The file is not in the Keras cache and could not be downloaded (offline?). {hint}"
        ) from e
    if file_hash is not None and _sha256(target) != file_hash:
        os.remove(target)
        raise ValueError(
            f"Incomplete or corrupted file detected. The sha256 file hash of the download from "
            f"{origin} does not match the provided value of {file_hash}.")
    return target


def get_file(fname, origin, cache_subdir=None, file_hash=None, manual_hint=None):
    """The cached `<datasets>/[cache_subdir/]fname`, downloaded from `origin` when absent."""
    target = os.path.join(datasets_dir(cache_subdir), check_fname(fname))
    if not os.path.exists(target):
        download(origin, target, file_hash, manual_hint)
    return target


def extract_tar(archive, dest):
    """Extracts a .tar(.gz) into `dest`, refusing absolute paths, `..` and links out of `dest`."""
    with tarfile.open(archive) as t:
        t.extractall(dest, filter="data")
