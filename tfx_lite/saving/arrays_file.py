"""Arrays in one `.npz` file, checked against what a manifest recorded (sha256 of the file, and
per array its dtype and shape). Members are named by position (`0.npy`, `1.npy`, ...); any other
member name, a path above all, is refused before numpy reads the archive."""
from __future__ import annotations

import io
import zipfile

import numpy as np

from tfx_lite.framework.dtypes import as_dtype
from tfx_lite.saving.manifest import corrupt, sha256


_NPY_HEADER_LIMIT = 65536  # numpy's .npy header is at most this long


def _storable(array: np.ndarray) -> np.ndarray:
    """numpy's .npy header cannot name ml_dtypes' types (bfloat16, float8): store their bits."""
    array = array if array.flags.c_contiguous else array.copy(order="C")
    if array.dtype == object:
        raise TypeError("tfx_lite saves numeric and boolean tensors only; a string tensor cannot be "
                        "written without pickling (store it as bytes in your own file)")
    if array.dtype.kind == "V" or type(array.dtype).__module__.startswith("ml_dtypes"):
        return array.view(f"u{array.dtype.itemsize}")
    return array


def dumps(arrays: list) -> tuple[bytes, list[dict]]:
    """(the .npz bytes, per array {"dtype", "shape"}) of a list of arrays."""
    arrays = [np.asarray(a) for a in arrays]
    buffer = io.BytesIO()
    np.savez(buffer, **{str(i): _storable(a) for i, a in enumerate(arrays)})
    return buffer.getvalue(), [{"dtype": as_dtype(a.dtype).name, "shape": list(a.shape)} for a in arrays]


def loads(data: bytes, path, entries: list[dict], checksum: str) -> list[np.ndarray]:
    """The arrays of an .npz written by `dumps`, each checked against its entry."""
    if sha256(data) != checksum:
        raise corrupt(path, "checksum mismatch: the file is truncated or was modified after it was written")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError) as err:
        raise corrupt(path, f"not a readable .npz archive ({err})") from None
    expected = {f"{i}.npy" for i in range(len(entries))}
    for name in names:
        if name not in expected:
            listed = f"only 0.npy .. {len(entries) - 1}.npy" if entries else "no members"
            raise corrupt(path, f"unexpected member {name!r} in the archive (expected {listed})")
    if len(names) != len(set(names)) or set(names) != expected:
        raise corrupt(path, f"the archive holds {len(names)} arrays, its manifest lists {len(entries)}")
    for info in archive.infolist():  # no member may unpack to more than its array (a zip bomb)
        entry = entries[int(info.filename[:-4])]
        size = int(np.prod(entry["shape"], dtype=np.int64)) * np.dtype(as_dtype(entry["dtype"]).as_numpy_dtype).itemsize
        if info.file_size > size + _NPY_HEADER_LIMIT:
            raise corrupt(path, f"member {info.filename} unpacks to {info.file_size} bytes, more than its "
                                f"array ({size} bytes) needs")
    arrays = []
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as stored:
            for i, entry in enumerate(entries):
                array = stored[str(i)]
                dtype = np.dtype(as_dtype(entry["dtype"]).as_numpy_dtype)
                if array.dtype != dtype:
                    if array.dtype.kind != "u" or array.dtype.itemsize != dtype.itemsize:
                        raise corrupt(path, f"array {i} is {array.dtype.name}, its manifest says {entry['dtype']}")
                    array = array.view(dtype)
                if list(array.shape) != list(entry["shape"]):
                    raise corrupt(path, f"array {i} has shape {list(array.shape)}, its manifest says "
                                        f"{entry['shape']}")
                arrays.append(array)
    except (ValueError, OSError, zipfile.BadZipFile, EOFError) as err:
        raise corrupt(path, f"an array is not readable ({err})") from None
    return arrays
