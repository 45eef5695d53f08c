"""Ops on the bytes or UTF-8 characters of each string: length, substr, upper/lower, strip."""
from __future__ import annotations

import numpy as np

from compiler.ops.checks import dims
from compiler.ops.strings.host import (StringOpError, check_allowed, elementwise, host_op,
                                       message_text, string_array, utf8_bytes, utf8_text)

_NOT_TRAIL = bytes(b for b in range(256) if not 0x80 <= b < 0xC0)  # all but UTF-8 continuation bytes


def _utf8_len(s: bytes) -> int:
    """TF's UTF8_CHAR count: the bytes that are not continuation bytes."""
    return len(s) - len(s.translate(None, _NOT_TRAIL))


@host_op("string_length")
def string_length(x, *, unit):
    """Length of each string in bytes (unit BYTE) or UTF-8 characters (UTF8_CHAR)."""
    check_allowed("string_length", "unit", unit, ("BYTE", "UTF8_CHAR"))
    return elementwise(x, len if unit == "BYTE" else _utf8_len, np.int32)


def _forward(s: bytes, n: int, p: int):
    size, count = len(s), 0
    while count < n and p < size:
        p += 1
        while p < size and 0x80 <= s[p] < 0xC0:
            p += 1
        count += 1
    return p, count == n


def _back(s: bytes, n: int, p: int):
    count = 0
    while count < n and p > 0:
        p -= 1
        while p > 0 and 0x80 <= s[p] < 0xC0:
            p -= 1
        count += 1
    return p, count == n


def _substr_one(s: bytes, pos: int, length: int, unit: str):
    """TF's Substr of one string, or None when `pos` is out of range."""
    if unit == "BYTE":
        p = pos + len(s) if pos < 0 else pos
        if not 0 <= p <= len(s):
            return None
        return s[p:] if length < 0 else s[p:p + length]
    if pos >= 0:
        start, ok = _forward(s, pos, 0)
        if not ok:
            return None
        end, _ = _forward(s, length, start)
        return s[start:end]
    skip = max(-pos - length, 0)
    end, ok = _back(s, skip, len(s))
    if not ok:
        return None
    start, ok = _back(s, -pos - skip, end)
    if not ok:
        return None
    return s[start:end]


def _substr_error(s, pos, unit, index):
    where = f"string b'{message_text(s)}' at index {index}" if unit == "BYTE" else f"string at index {index}"
    return StringOpError("substr", f"pos {pos} out of range for {where}")


@host_op("substr")
def substr(x, pos, length, *, unit):
    """TF's Substr: same-shape, scalar-position or (up to 2-D) broadcast forms."""
    check_allowed("substr", "unit", unit, ("BYTE", "UTF8_CHAR"))
    pos, length = np.asarray(pos), np.asarray(length)
    if pos.shape != length.shape:
        raise StringOpError("substr", f"pos and len should have the same shape, got: "
                                      f"{dims(pos.shape)} vs. {dims(length.shape)}")
    if x.shape == pos.shape or pos.ndim == 0:
        flat = x.reshape(-1)
        ps = np.broadcast_to(pos, x.shape).reshape(-1).tolist()
        ls = np.broadcast_to(length, x.shape).reshape(-1).tolist()
        out = []
        for i, (s, p, n) in enumerate(zip(flat, ps, ls)):
            r = _substr_one(s, p, n, unit)
            if r is None:
                raise _substr_error(s, p, unit, i)
            out.append(r)
        return string_array(out, x.shape)
    try:
        shape = np.broadcast_shapes(x.shape, pos.shape)
    except ValueError:
        raise StringOpError("substr", f"Incompatible shapes: {dims(x.shape)} vs. {dims(pos.shape)}") from None
    if len(shape) not in (1, 2):
        raise StringOpError("substr", f"Substr broadcast not implemented for {len(shape)} dimensions",
                            "UnimplementedError")
    xs = np.broadcast_to(x, shape)
    ps, ls = np.broadcast_to(pos, shape), np.broadcast_to(length, shape)
    out = []
    for index in np.ndindex(*shape):
        s, p = xs[index], int(ps[index])
        r = _substr_one(s, p, int(ls[index]), unit)
        if r is None:
            if len(shape) == 1:
                raise _substr_error(s, p, unit, index[0])
            if unit == "BYTE":
                raise _substr_error(s, p, unit, f"({index[0]}, {index[1]})")
            raise _substr_error(s, p, unit, index[0])
        out.append(r)
    return string_array(out, shape)


def _check_encoding(op, encoding):
    if encoding not in ("", "utf-8"):
        raise StringOpError(op, f"only utf-8 or '' (no encoding) is supported, received {encoding}")


def _unicode_case(fn):
    def convert(s: bytes) -> bytes:
        return utf8_bytes(fn(utf8_text(s)))
    return convert


@host_op("string_upper")
def string_upper(x, *, encoding):
    """Upper case: ASCII letters only (no encoding), or Unicode's full mapping ("utf-8")."""
    _check_encoding("string_upper", encoding)
    return elementwise(x, bytes.upper if not encoding else _unicode_case(str.upper))


@host_op("string_lower")
def string_lower(x, *, encoding):
    """Lower case: ASCII letters only (no encoding), or Unicode's full mapping ("utf-8")."""
    _check_encoding("string_lower", encoding)
    return elementwise(x, bytes.lower if not encoding else _unicode_case(str.lower))


@host_op("string_strip")
def string_strip(x):
    """Leading and trailing ASCII whitespace removed."""
    return elementwise(x, bytes.strip)
