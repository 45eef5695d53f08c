"""Ops that split strings into rows of pieces, or join pieces: split, bytes_split, join,
reduce_join, unsorted_segment_join."""
from __future__ import annotations

import numpy as np

from compiler.ops.checks import dims
from compiler.ops.strings.host import StringOpError, host_op, string_array, with_row_splits

_WHITESPACE = b" \t\n\v\f\r"


def _split_whitespace(s: bytes, maxsplit: int):
    """TF's SplitV2 on whitespace: once `maxsplit` tokens are taken, the rest of the string
    (leading whitespace removed, possibly empty) is the last token."""
    if maxsplit < 0:
        return s.split()
    out, text = [], s.lstrip(_WHITESPACE)
    while text:
        i = 0
        while i < len(text) and text[i] not in _WHITESPACE:
            i += 1
        out.append(text[:i])
        text = text[i:].lstrip(_WHITESPACE)
        if len(out) == maxsplit:
            out.append(text)
            break
    return out


def _split_one(s: bytes, sep: bytes, maxsplit: int):
    if maxsplit == 0:
        return [s]
    if sep:
        return s.split(sep, maxsplit if maxsplit > 0 else -1)
    return _split_whitespace(s, maxsplit)


@host_op("string_split")
def string_split(x, sep, *, maxsplit):
    """Split each string of a 1-D tensor: (tokens, int64 row splits). An empty `sep` splits on
    runs of whitespace (no empty tokens); otherwise every `sep` delimits (Python's bytes.split)."""
    if sep.ndim != 0:
        raise StringOpError("string_split", f"sep must be a scalar, got shape: {dims(sep.shape)}")
    if x.ndim != 1:
        raise StringOpError("string_split", f"input must be a vector, got shape: {dims(x.shape)}")
    return with_row_splits(_split_one(s, sep[()], maxsplit) for s in x)


@host_op("bytes_split")
def bytes_split(x):
    """Each string of a 1-D tensor as its single bytes: (bytes, int64 row splits)."""
    return with_row_splits([s[i:i + 1] for i in range(len(s))] for s in x.reshape(-1))


@host_op("string_join")
def string_join(*inputs, separator):
    """Elementwise join of same-shape (or scalar) string tensors."""
    shape = None
    for x in inputs:
        if x.ndim:
            if shape is None:
                shape = x.shape
            elif x.shape != shape:
                raise StringOpError("string_join", f"Input shapes do not match: {dims(shape)} vs. "
                                                   f"{dims(x.shape)}")
    shape = () if shape is None else shape
    size = int(np.prod(shape))
    columns = [np.broadcast_to(x, shape).reshape(-1) if x.ndim == 0 else x.reshape(-1) for x in inputs]
    out = [separator.join(c[i] for c in columns) for i in range(size)]
    return string_array(out, shape)


@host_op("reduce_join")
def reduce_join(x, *, axes, keepdims, separator):
    """Join along `axes` (an empty tuple: nothing): the first listed axis varies fastest."""
    rank = x.ndim
    used, normal = set(), []
    for a in axes:
        if not -rank <= a < rank:
            raise StringOpError("reduce_join", f"Invalid reduction dimension {a} for input with "
                                               f"{rank} dimension(s)", "OutOfRangeError")
        n = a % rank
        if n in used:
            raise StringOpError("reduce_join", f"Duplicate reduction dimension {a}")
        used.add(n)
        normal.append(n)
    if not normal:
        return x.copy()
    kept = [d for d in range(rank) if d not in used]
    moved = np.transpose(x, kept + normal[::-1])
    kept_shape = [x.shape[d] for d in kept]
    rows = moved.reshape(int(np.prod(kept_shape)), -1)
    out = string_array([separator.join(row) for row in rows], kept_shape)
    if keepdims:
        out = out.reshape([1 if d in used else x.shape[d] for d in range(rank)])
    return out


@host_op("unsorted_segment_join")
def unsorted_segment_join(x, segment_ids, *, num_segments, separator):
    """Join the slices of `x` (along its leading `segment_ids.ndim` dimensions) by segment id,
    in row-major order; empty segments give ""."""
    ids = np.asarray(segment_ids).astype(np.int64)
    if x.shape[:ids.ndim] != ids.shape:
        raise StringOpError("unsorted_segment_join", f"segment_ids.shape = {dims(ids.shape)} does not "
                                                     f"match data.shape = {dims(x.shape)} prefix")
    if num_segments < 0:
        raise StringOpError("unsorted_segment_join", "Number of segments cannot be negative.")
    inner = x.shape[ids.ndim:]
    rows = x.reshape((ids.size,) + inner)
    flat_ids = ids.reshape(-1)
    parts: list = [[] for _ in range(num_segments)]
    for i, sid in enumerate(flat_ids.tolist()):
        if sid >= num_segments:
            raise StringOpError("unsorted_segment_join", f"segment_ids[{i}] = {sid} is out of range "
                                                         f"[0, {num_segments})")
        if sid >= 0:
            parts[sid].append(rows[i])
    out = np.empty((num_segments,) + inner, dtype=object)
    for s in range(num_segments):
        for index in np.ndindex(*inner):
            out[(s,) + index] = separator.join(r[index] if inner else r for r in parts[s])
    return out
