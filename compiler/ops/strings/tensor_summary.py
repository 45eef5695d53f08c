"""tf.strings.format (TF's StringFormat) and the tensor text it writes: TF's
Tensor::SummarizeValue."""
from __future__ import annotations

import math
import sys

import numpy as np

from compiler.ops.strings.host import StringOpError, host_op, utf8_bytes, utf8_text

def _float_text(v: float, single: bool) -> str:
    """TF's shortest round-tripping text of a float (%.6g/%.9g for float, %.15g/%.17g for
    double); subnormals print as 0 (TF's kernels flush them)."""
    if math.isnan(v):
        return "-nan" if math.copysign(1.0, v) < 0 else "nan"
    if v != 0 and abs(v) < (np.finfo(np.float32).tiny if single else sys.float_info.min):
        v = math.copysign(0.0, v)
    short, long_ = (6, 9) if single else (15, 17)
    text = "%.*g" % (short, v)
    parsed = float(text)
    if (np.float32(parsed) != np.float32(v)) if single else parsed != v:
        text = "%.*g" % (long_, v)
    return text


def _c_escape(s: bytes) -> str:
    """absl::Utf8SafeCEscape: C escapes for quotes, backslash and control bytes; bytes of
    0x80 and above unchanged."""
    out = []
    for b in s:
        if b in _C_ESCAPES:
            out.append(_C_ESCAPES[b])
        elif b < 0x20 or b == 0x7F:
            out.append("\\%03o" % b)
        else:
            out.append(chr(b) if b < 0x80 else bytes([b]).decode("latin-1"))
    return "".join(out)


_C_ESCAPES = {0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t", 0x22: '\\"', 0x27: "\\'", 0x5C: "\\\\"}


def _element_printer(dtype: np.dtype):
    name = dtype.name if dtype != object else "object"
    if name == "object":
        return lambda v: '"' + _c_escape(v) + '"'
    if name == "bool":
        return lambda v: "1" if v else "0"
    if name in ("float16", "bfloat16", "float32"):
        return lambda v: _float_text(float(v), True)
    if name == "float64":
        return lambda v: _float_text(float(v), False)
    if dtype.kind in "iu":
        return lambda v: str(int(v))
    return None


def _spacing(dim, ndims):
    if dim == ndims - 1:
        return " "
    return "\n" * (ndims - dim - 1) + " " * (dim + 1)


def summarize(value: np.ndarray, summarize_: int) -> str:
    """TF's Tensor::SummarizeValue(summarize, print_v2=true), as tf.strings.format and tf.print
    write a tensor: the first and last `summarize` entries of each dimension (-1: all)."""
    num = value.size
    limit = num if summarize_ < 0 else min(summarize_, num)
    printer = _element_printer(value.dtype)
    flat = value.reshape(-1)
    if printer is None:  # TF prints "?" for these (complex, ...)
        text = " ".join("?" for _ in range(limit)) + ("..." if limit < num else "")
        return f"[{text}]" if value.ndim else text
    if value.ndim == 0:
        return " ".join(printer(flat[i]) for i in range(limit)) + ("..." if num > limit else "")
    shape = value.shape
    ndims = len(shape)
    parts: list = []

    def dim(d, start):
        if d == ndims:
            parts.append(printer(flat[start]))
            return
        parts.append("[")
        count = shape[d]
        step = int(np.prod(shape[d + 1:]))
        end_start = max(limit, count - limit)
        for i in range(min(limit, count)):
            if i > 0:
                parts.append(_spacing(d, ndims))
            dim(d + 1, start + step * i)
        if count > 2 * limit:
            parts.append(_spacing(d, ndims))
            parts.append("...")
        for i in range(end_start, count):
            parts.append(_spacing(d, ndims))
            dim(d + 1, start + step * i)
        parts.append("]")

    dim(0, 0)
    return "".join(parts)


@host_op("string_format")
def string_format(*inputs, template, placeholder, summarize):
    """TF's StringFormat: each placeholder of `template` replaced by a summary of the next
    input."""
    pieces = template.split(placeholder)
    if len(pieces) != len(inputs) + 1:
        raise StringOpError("string_format", f"num placeholders in template and num inputs must match: "
                                             f"{len(pieces) - 1} vs. {len(inputs)}")
    out = [pieces[0]]
    for x, piece in zip(inputs, pieces[1:]):
        out.append(_summarize_input(x, summarize))
        out.append(piece)
    return np.array(utf8_bytes("".join(out)), dtype=object)


def _summarize_input(x, count):
    text = summarize(x, count)
    # bytes of a string element pass through unchanged: carried here as latin-1 characters
    return utf8_text(text.encode("latin-1", "replace")) if x.dtype == object else text
