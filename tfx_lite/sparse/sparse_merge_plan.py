"""TF's merge of two SparseTensors' index lists (for add, maximum and minimum), planned on the
host: the merged indices and, for each, the position of its value in either input."""
from __future__ import annotations

import numpy as np

from tfx_lite.sparse.sparse_index_checks import is_ordered


def merge_plan(a: np.ndarray, b: np.ndarray):
    """TF's merge of two index lists (each assumed in row-major order): equal indices pair up,
    the rest interleave. (indices, position in a, position in b); len(a) / len(b) mark a
    missing side."""
    na, nb = len(a), len(b)
    if not (is_ordered(a) and is_ordered(b)):
        return _merge_walk(a, b)
    rank = a.shape[1]
    # Pair the k-th occurrence of an index in a with its k-th occurrence in b: a stable sort of
    # (index, occurrence) keys then does what the kernel's merge does.
    both = np.concatenate([a, b]).reshape(-1, rank)
    occurrence = np.concatenate([_occurrence(a), _occurrence(b)])
    keys = np.concatenate([both, occurrence[:, None]], axis=1)
    order = np.lexsort(keys.T[::-1]) if len(keys) else np.zeros(0, np.int64)
    keys = keys[order]
    new = np.ones(len(keys), bool)
    if len(keys) > 1:
        new[1:] = (keys[1:] != keys[:-1]).any(axis=1)
    group = np.cumsum(new) - 1
    count = int(new.sum())
    pos_a = np.full(count, na, np.int64)
    pos_b = np.full(count, nb, np.int64)
    from_a = order < na
    pos_a[group[from_a]] = order[from_a]
    pos_b[group[~from_a]] = order[~from_a] - na
    return both[order][new], pos_a, pos_b


def _occurrence(host: np.ndarray) -> np.ndarray:
    """How many equal indices come before each one (indices in order, so repeats are adjacent)."""
    n = len(host)
    if n == 0:
        return np.zeros(0, np.int64)
    new = np.ones(n, bool)
    new[1:] = (host[1:] != host[:-1]).any(axis=1) if host.shape[1] else False
    starts = np.maximum.accumulate(np.where(new, np.arange(n), 0))
    return np.arange(n) - starts


def _merge_walk(a: np.ndarray, b: np.ndarray):
    """The kernel's merge, step by step (for indices out of order, where its result follows the
    given order)."""
    la, lb = [tuple(r) for r in a.tolist()], [tuple(r) for r in b.tolist()]
    na, nb = len(la), len(lb)
    out, pa, pb = [], [], []
    i = j = 0
    while i < na and j < nb:
        if la[i] < lb[j]:
            out.append(la[i]), pa.append(i), pb.append(nb)
            i += 1
        elif lb[j] < la[i]:
            out.append(lb[j]), pa.append(na), pb.append(j)
            j += 1
        else:
            out.append(la[i]), pa.append(i), pb.append(j)
            i += 1
            j += 1
    for k in range(i, na):
        out.append(la[k]), pa.append(k), pb.append(nb)
    for k in range(j, nb):
        out.append(lb[k]), pa.append(na), pb.append(k)
    rank = a.shape[1]
    return (np.asarray(out, np.int64).reshape(-1, rank), np.asarray(pa, np.int64),
            np.asarray(pb, np.int64))
