"""tf.print (TF's logging_ops.print_v2).

The text is built as TF builds it: each argument becomes a template (a Python string is its own
template; anything else is `pprint.pformat` of the structure with every tensor replaced by a
placeholder, the quotes around placeholders removed), and the tensors fill the placeholders,
written as TF writes tensors (compiler/ops/strings/tensor_summary.py). A lone scalar string
tensor prints raw. Eagerly the text is written at once (formatted on the host: no kernel is
compiled for a template that changes with each call's Python values); inside a tf.function the
`print` op (compiler/ops/io.py) is recorded, and it prints at every call with the call's values.
String tensors are host-side constants, so they are written into the template at trace time.
"""
from __future__ import annotations

import collections
import pprint
import random
import sys

import numpy as np

from compiler import bind
from compiler.ops.io import format_print, write_text
from compiler.trace import current_builder
from tfx_lite.framework import dtypes
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.tensor import Tensor

__all__ = ["print_"]


def _stream_name(output_stream) -> str:
    if output_stream is sys.stdout:
        return "stdout"
    if output_stream is sys.stderr:
        return "stderr"
    if output_stream in ("stdout", "stderr"):  # what the text form of the op holds
        return output_stream
    raise ValueError(
        f"Unsupported output stream, logging level, or file: {output_stream!r}. Supported streams "
        "are sys.stdout and sys.stderr (tfx_lite does not support logging levels or file:// "
        "paths).")


def _is_tensor_like(x) -> bool:
    from tfx_lite.variables import Variable
    return isinstance(x, (Tensor, Variable))


def _sparse_type():
    from tfx_lite.sparse.sparse_tensor import SparseTensor
    return SparseTensor


def _placeholder_for(text: str) -> str:
    """TF's _generate_placeholder_string: "{}" plus random digits until it is not in `text`."""
    placeholder, rng = "{}", random.Random(5)
    while placeholder in text:
        placeholder += str(rng.randint(0, 9))
    return placeholder


def _sorted_items(mapping):
    try:
        return sorted(mapping.items())
    except TypeError:
        return list(mapping.items())


def _map(x, leaf):
    """`x` with `leaf` applied to each non-container value, containers rebuilt; dict values are
    visited in sorted key order (nest.flatten's order, which pprint prints)."""
    if isinstance(x, collections.OrderedDict):
        return collections.OrderedDict((k, _map(v, leaf)) for k, v in _sorted_items(x))
    if isinstance(x, dict):
        mapped = {k: _map(v, leaf) for k, v in _sorted_items(x)}
        return {k: mapped[k] for k in x}
    if isinstance(x, tuple) and hasattr(x, "_fields"):
        return type(x)(*[_map(v, leaf) for v in x])
    if isinstance(x, (list, tuple)):
        return type(x)(_map(v, leaf) for v in x)
    return leaf(x)


def print_(*inputs, **kwargs):
    """tf.print(*inputs, output_stream=sys.stderr, summarize=3, sep=" ", end="\\n", name=None)."""
    output_stream = kwargs.pop("output_stream", sys.stderr)
    summarize = kwargs.pop("summarize", 3)
    sep = kwargs.pop("sep", " ")
    end = kwargs.pop("end", "\n")
    kwargs.pop("name", None)
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments for tf.print: {kwargs}")
    stream = _stream_name(output_stream)
    summarize = -1 if summarize is None else int(summarize)

    if (len(inputs) == 1 and isinstance(inputs[0], Tensor) and inputs[0].dtype is dtypes.string
            and inputs[0].ndim == 0):  # a lone scalar string prints raw
        value = inputs[0].numpy()
        text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
        if current_builder() is None:
            write_text(text + end, stream)
        else:
            bind("print", template=((text,),), stream=stream, summarize=summarize, sep=sep, end=end)
        return None

    sparse = _sparse_type()
    free = [_map(x, lambda v: "" if _is_tensor_like(v) or isinstance(v, sparse) else v) for x in inputs]
    placeholder = _placeholder_for(" ".join(pprint.pformat(x) for x in free))

    tensors: list = []

    def leaf(v):
        if isinstance(v, sparse):
            tensors.extend([v.indices, v.values, v.dense_shape])
            return f"SparseTensor(indices={placeholder}, values={placeholder}, shape={placeholder})"
        if _is_tensor_like(v):
            tensors.append(convert_to_tensor(v))
            return placeholder
        return v

    templates = [x if isinstance(x, str) else pprint.pformat(_map(x, leaf)) for x in inputs]
    quoted = "'" + placeholder + "'"
    templates = [t.replace(quoted, placeholder) for t in templates]

    # Each item's text pieces around its tensors; string tensors (host constants) are written in.
    template, numeric = [], []
    tensors_iter = iter(tensors)
    for text in templates:
        pieces = text.split(placeholder)
        merged = [pieces[0]]
        for piece in pieces[1:]:
            t = next(tensors_iter)
            if t.dtype is dtypes.string:
                merged[-1] += _string_text(t, summarize) + piece
            else:
                numeric.append(t)
                merged.append(piece)
        template.append(tuple(merged))
    template = tuple(template)

    if current_builder() is None:
        write_text(format_print([np.asarray(t._value) for t in numeric], template=template,
                                summarize=summarize, sep=sep, end=end), stream)
    else:
        bind("print", *[t._value for t in numeric], template=template, stream=stream,
             summarize=summarize, sep=sep, end=end)
    return None


def _string_text(t, summarize) -> str:
    from compiler.ops.strings.tensor_summary import _summarize_input
    return _summarize_input(np.asarray(t._value, dtype=object), summarize)


print_.__name__ = "print"
