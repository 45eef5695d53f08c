"""tf.strings ops taking RaggedTensors: the handlers registered with the op dispatch
(tfx_lite/framework/dispatch.py), as TF's ragged/ragged_string_ops.py defines them.

Elementwise ops and the ops that add a dimension (split, unicode_decode, ...) run on the flat
values and keep the row partition; join maps over the flat values of inputs partitioned alike;
reduce_join along a ragged axis and format join on the host, row by row.
"""
from __future__ import annotations

import re

import numpy as np

from tfx_lite.framework import dtypes
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.dispatch import dispatch_for, dispatch_for_each
from tfx_lite.framework.tensor import Tensor
from tfx_lite.ops import array_ops
from tfx_lite.ops import string_ops as S
from tfx_lite.ragged.ragged_tensor import RaggedTensor, _host, host_positions, is_ragged


def _first(args, kwargs, name="input"):
    """(the first argument, the other positional arguments, the keyword arguments)."""
    if args:
        return args[0], args[1:], kwargs
    kwargs = dict(kwargs)
    return kwargs.pop(name, None), (), kwargs


# --- elementwise, and ops adding a dimension to each element: on the flat values ---------------
def _flat_values_handler(api):
    def handle(*args, **kwargs):
        rt, rest, kwargs = _first(args, kwargs)
        if not is_ragged(rt):
            return NotImplemented
        return rt.with_flat_values(api(rt.flat_values, *rest, **kwargs))
    return handle


dispatch_for_each([S.length, S.substr, S.upper, S.lower, S.strip, S.regex_replace,
                   S.regex_full_match, S.to_number, S.to_hash_bucket_fast, S.as_string, S.split,
                   S.bytes_split, S.unicode_decode, S.unicode_split], _flat_values_handler)


@dispatch_for(S.unicode_encode)
def _unicode_encode(*args, **kwargs):
    rt, rest, kwargs = _first(args, kwargs)
    if not is_ragged(rt):
        return NotImplemented
    if rt.flat_values.shape.rank > 1:
        return rt.with_flat_values(S.unicode_encode(rt.flat_values, *rest, **kwargs))
    if rt.ragged_rank > 1:
        return rt.with_values(S.unicode_encode(rt.values, *rest, **kwargs))
    return S.unicode_encode_rows(rt.values, rt.row_splits, *rest, **kwargs)


# --- join: over the flat values of inputs partitioned alike ------------------------------------
@dispatch_for(S.join)
def _join(inputs, separator="", name=None):
    ragged = [x for x in inputs if is_ragged(x)]
    if not ragged:
        return NotImplemented
    sizes = {int(x.flat_values.shape[0]) for x in ragged}
    if len(sizes) > 1:
        raise ValueError("Input RaggedTensors' flat_values must all have the same outer-dimension "
                         f"size.  Got sizes: {sizes}")
    first = ragged[0]
    for x in ragged[1:]:
        if not _same_splits(first, x):
            raise ValueError("Input RaggedTensors must have the same row partitions (row_splits).")
    flat = [x.flat_values if is_ragged(x) else x for x in inputs]
    return first.with_flat_values(S.join(flat, separator=separator))


def _same_splits(x, y) -> bool:
    xs, ys = x.nested_row_splits, y.nested_row_splits
    return len(xs) == len(ys) and all(
        np.array_equal(_host(a, "tf.strings.join"), _host(b, "tf.strings.join")) for a, b in zip(xs, ys))


# --- reduce_join -------------------------------------------------------------------------------
def _tree(x):
    """A ragged or dense string tensor as nested lists of bytes."""
    if is_ragged(x):
        return x.to_list()
    return np.asarray(x._value).tolist()


def _merge(items, depth, separator):
    """Items (same depth) joined position by position: `depth` levels of lists above the
    strings; a position that an item lacks is left out (a ragged segment join)."""
    if depth == 0:
        return separator.join(items)
    width = max((len(item) for item in items), default=0)
    return [_merge([item[j] for item in items if j < len(item)], depth - 1, separator)
            for j in range(width)]


def _strings_like(tree, ragged_rank):
    """A string tensor from nested lists: a RaggedTensor with `ragged_rank` ragged dimensions
    (0: a dense tensor)."""
    if ragged_rank == 0:
        return convert_to_tensor(_object_array(tree), dtype=dtypes.string)
    nested, values = [], list(tree)
    for _ in range(ragged_rank):
        splits, flat = [0], []
        for row in values:
            splits.append(splits[-1] + len(row))
            flat.extend(row)
        nested.append(convert_to_tensor(np.asarray(splits, np.int64)))
        values = flat
    return RaggedTensor.from_nested_row_splits(convert_to_tensor(_object_array(values), dtype=dtypes.string),
                                               nested, validate=False)


def _object_array(tree):
    array = np.array(tree, dtype=object)
    if array.size == 0 and array.ndim == 1:
        return np.zeros(0, dtype=object)
    return array


def _segment_join(values, segment_ids, num_segments, separator):
    """TF's unsorted_segment_join of `values` (dense or ragged) by row."""
    if not is_ragged(values):
        return S.unsorted_segment_join(values, convert_to_tensor(np.asarray(segment_ids, np.int64)),
                                       num_segments, separator=separator)
    rows = values.to_list()
    groups: list = [[] for _ in range(num_segments)]
    for row, sid in zip(rows, segment_ids):
        groups[sid].append(row)
    depth = values.shape.rank - 1
    merged = [_merge(g, depth, separator.encode() if isinstance(separator, str) else separator)
              for g in groups]
    return _strings_like(merged, values.ragged_rank)


def _reduce_ragged_axis(rt, axis, keepdims, separator):
    if not is_ragged(rt):
        return S.reduce_join(rt, axis=axis, keepdims=keepdims, separator=separator)
    splits = _host(rt.row_splits, "tf.strings.reduce_join")
    lengths = np.diff(splits)
    rowids, columns = host_positions(splits)
    if axis == 0:
        out = _segment_join(rt.values, columns, int(lengths.max()) if lengths.size else 0, separator)
        return array_ops.expand_dims(out, 0) if keepdims else out
    if axis == 1:
        out = _segment_join(rt.values, rowids, len(lengths), separator)
        return array_ops.expand_dims(out, 1) if keepdims else out
    return rt.with_values(_reduce_ragged_axis(rt.values, axis - 1, keepdims, separator))


@dispatch_for(S.reduce_join)
def _reduce_join(inputs, axis=None, keepdims=False, separator="", name=None):
    rt = inputs
    if not is_ragged(rt):
        return NotImplemented
    rank = rt.shape.rank
    if axis is None:
        out = S.reduce_join(rt.flat_values, separator=separator)
        return array_ops.reshape(out, [1] * rank) if keepdims else out
    axes = [int(a) for a in np.asarray(axis._value if isinstance(axis, Tensor) else axis).reshape(-1)]
    if not axes:
        return rt
    for a in axes:
        if not -rank <= a < rank:
            raise ValueError(f"axis={a} out of bounds: expected {-rank}<=axis<{rank}")
    axes = sorted(a % rank for a in axes)
    result = rt
    for a in reversed(axes):  # as TF: the highest axis first, one at a time
        result = _reduce_ragged_axis(result, a, keepdims, separator)
    return result


# --- format ------------------------------------------------------------------------------------
def _ragged_text(rt, summarize):
    """TF's ragged_tensor_to_string: nested lists with ", " between items, strings quoted as
    '...' (quotes and backslashes escaped), numbers as tf.strings.as_string writes them."""
    if summarize is not None and summarize != -1 and not (isinstance(summarize, int) and summarize > 0):
        raise ValueError(f"Expected summarize to be -1 or a positive int, got {summarize!r}")
    flat = rt.flat_values
    if flat.dtype is dtypes.string:
        texts = ["'" + re.sub(rb"(['\\])", rb"\\\1", s).decode("utf-8", "surrogateescape") + "'"
                 for s in np.asarray(flat._value).reshape(-1)]
    else:
        texts = [s.decode() for s in np.asarray(S.as_string(flat)._value).reshape(-1)]
    tree = _tree(rt.with_flat_values(_as_text_tensor(texts, flat.shape.as_list())))
    return _list_text(tree, summarize)


def _as_text_tensor(texts, shape):
    array = np.empty(len(texts), dtype=object)
    array[:] = [t.encode("utf-8", "surrogateescape") for t in texts]
    return convert_to_tensor(array.reshape(shape), dtype=dtypes.string)


def _list_text(tree, summarize):
    if isinstance(tree, bytes):
        return tree.decode("utf-8", "surrogateescape")
    pieces = [_list_text(t, summarize) for t in tree]
    if summarize not in (-1, None) and len(pieces) > 2 * summarize:
        pieces = pieces[:summarize] + ["..."] + pieces[-summarize:]
    return "[" + ", ".join(pieces) + "]"


@dispatch_for(S.format)
def _format(template, inputs, placeholder="{}", summarize=3, name=None):
    if isinstance(inputs, Tensor) or is_ragged(inputs):
        inputs = [inputs]
    if not any(is_ragged(x) for x in inputs):
        return NotImplemented
    pieces = template.split(placeholder)
    if len(inputs) != len(pieces) - 1:
        raise ValueError("num placeholders in template and num inputs must match: "
                         f"{len(pieces) - 1} vs {len(inputs)}")
    out = [pieces[0]]
    for x, piece in zip(inputs, pieces[1:]):
        if is_ragged(x):
            out.append(_ragged_text(x, summarize))
        else:
            text = S.format("{}", [x], summarize=summarize)
            out.append(np.asarray(text._value)[()].decode("utf-8", "surrogateescape"))
        out.append(piece)
    return convert_to_tensor("".join(out).encode("utf-8", "surrogateescape"))
