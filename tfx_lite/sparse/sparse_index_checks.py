"""TF's checks of a SparseTensor's indices, run eagerly on the host as TF's kernels run them; a
SparseTensor remembers the checks it passed (its components never change)."""
from __future__ import annotations

import numpy as np

from tfx_lite.framework.tensor import EagerTensor
from tfx_lite.sparse.sparse_tensor import SparseTensor


def check_once(st: SparseTensor, key, check) -> None:
    """Run `check(host_indices)` once per SparseTensor and `key`, eagerly (traced indices have
    no value to check)."""
    if st._checked is not None and key in st._checked:
        return
    if not isinstance(st.indices, EagerTensor):
        return
    check(np.asarray(st.indices._value))
    st._checked = (st._checked or frozenset()) | {key}


def index_text(row) -> str:
    return "[" + ",".join(str(int(v)) for v in row) + "]"


def first_out_of_bounds(host: np.ndarray, dims) -> int | None:
    if host.size == 0:
        return None
    bad = ((host < 0) | (host >= np.asarray(dims, np.int64))).any(axis=1)
    return int(np.argmax(bad)) if bad.any() else None


def first_unordered(host: np.ndarray):
    """(i, repeated) for the first index not after the previous one in row-major order, or
    None."""
    differs, before = _steps(host)
    bad = ~differs | before
    if not bad.any():
        return None
    i = int(np.argmax(bad))
    return i + 1, not bool(differs[i])


def is_ordered(host: np.ndarray) -> bool:
    """Row-major order, repeats allowed (what TF's merging kernels assume)."""
    return not _steps(host)[1].any()


def _steps(host: np.ndarray):
    """For each index after the first: (differs from the previous one, comes before it in
    row-major order)."""
    if host.shape[1] == 0:
        same = np.zeros(max(len(host) - 1, 0), bool)
        return same, same
    diff = host[1:] - host[:-1]
    nonzero = diff != 0
    first = np.argmax(nonzero, axis=1)
    return nonzero.any(axis=1), diff[np.arange(len(diff)), first] < 0
