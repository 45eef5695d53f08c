"""String ops: host (numpy) implementations over arrays of Python `bytes`.

JAX has no string type, so a string tensor is a numpy object array of bytes that lives on the
host. Each op here is registered like any other (`bind` runs it), but its JAX implementation
only refuses: `bind` sends an op whose operands include an object array to its `host_impl`.
Numeric operands of ops that make strings (as_string, string_format, unicode_encode) have no
string operand to take them there, so callers pass them boxed with `host_operand` (a 0-d object
array holding the numpy array, which keeps its dtype).

Outputs: string results are object arrays of bytes; numeric results are device arrays, like the
results of every other op. Refusals raise `StringOpError` with TensorFlow's kernel message; its
`kind` names TF's error class when it is not InvalidArgumentError.

Regular expressions follow RE2's syntax (TensorFlow's engine), translated to Python's `re`
(see `translate_re2`), and RE2's replacement rules (`\\0`..`\\9`, `\\\\`; global replacement
skips an empty match right after the previous match).
"""
from __future__ import annotations

import codecs
import fractions
import functools
import math
import re
import sys
import unicodedata

import jax.numpy as jnp
import numpy as np

from compiler.errors import OpInputError
from compiler.ops.checks import dims
from compiler.ops.registry import defop


class StringOpError(OpInputError):
    """A string kernel refused its inputs; `kind` is TF's error class ("InvalidArgumentError",
    "OutOfRangeError" or "UnimplementedError")."""

    def __init__(self, op: str, message: str, kind: str = "InvalidArgumentError"):
        super().__init__(op, message)
        self.kind = kind


def host_operand(array):
    """A numeric numpy array boxed as a 0-d object array, so that `bind` takes the host path."""
    box = np.empty((), dtype=object)
    box[()] = np.asarray(array)
    return box


def _unbox(x):
    if isinstance(x, np.ndarray) and x.dtype == object and x.ndim == 0 and isinstance(x[()], np.ndarray):
        return x[()]
    return np.asarray(x)


def _out(result):
    """Host results as op results: bytes arrays stay on the host, numbers go to the device."""
    if isinstance(result, tuple):
        return tuple(_out(r) for r in result)
    if result.dtype == object:
        return result
    return jnp.asarray(result)


def _strings(values, shape=None) -> np.ndarray:
    """An object array of bytes from a list."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out if shape is None else out.reshape(shape)


def host_op(name):
    """Register `fn` (a numpy function of unboxed inputs) as the host implementation of op
    `name`; its JAX implementation refuses (strings never reach JAX)."""
    def register(fn):
        def refuse(*args, **attrs):
            raise TypeError(f"op {name!r} runs on the host (string tensors): it has no JAX kernel")

        @functools.wraps(fn)
        def host(*args, **attrs):
            return _out(fn(*[_unbox(a) for a in args], **attrs))

        refuse.__doc__ = fn.__doc__
        defop(name, host_impl=host, host_only=True)(refuse)
        return fn
    return register


def _text(data: bytes) -> str:
    """Bytes in an error message, as TF's Python layer decodes the message."""
    return data.decode("utf-8", "replace")


def _allowed(op, attr, value, allowed):
    if value not in allowed:
        raise StringOpError(op, f"Value for attr '{attr}' of \"{value}\" is not in the list of "
                                f"allowed values: " + ", ".join(f'"{a}"' for a in allowed))


# --------------------------------------------------------------------------------------------
# length, substr
# --------------------------------------------------------------------------------------------

_TRAIL = bytes(range(0x80, 0xC0))  # UTF-8 continuation bytes
_NOT_TRAIL = bytes(b for b in range(256) if not 0x80 <= b < 0xC0)


def _utf8_len(s: bytes) -> int:
    """TF's UTF8_CHAR count: the bytes that are not continuation bytes."""
    return len(s) - len(s.translate(None, _NOT_TRAIL))


@host_op("string_length")
def string_length(x, *, unit):
    """Length of each string in bytes (unit BYTE) or UTF-8 characters (UTF8_CHAR)."""
    _allowed("string_length", "unit", unit, ("BYTE", "UTF8_CHAR"))
    count = len if unit == "BYTE" else _utf8_len
    flat = x.reshape(-1)
    return np.fromiter((count(s) for s in flat), dtype=np.int32, count=flat.size).reshape(x.shape)


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
    where = f"string b'{_text(s)}' at index {index}" if unit == "BYTE" else f"string at index {index}"
    return StringOpError("substr", f"pos {pos} out of range for {where}")


@host_op("substr")
def substr(x, pos, length, *, unit):
    """TF's Substr: same-shape, scalar-position or (up to 2-D) broadcast forms."""
    _allowed("substr", "unit", unit, ("BYTE", "UTF8_CHAR"))
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
        return _strings(out, x.shape)
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
    return _strings(out, shape)


# --------------------------------------------------------------------------------------------
# case, strip, split, join
# --------------------------------------------------------------------------------------------

def _map_strings(x, fn):
    flat = x.reshape(-1)
    return _strings([fn(s) for s in flat], x.shape)


def _check_encoding(op, encoding):
    if encoding not in ("", "utf-8"):
        raise StringOpError(op, f"only utf-8 or '' (no encoding) is supported, received {encoding}")


def _unicode_case(fn):
    def convert(s: bytes) -> bytes:
        return fn(s.decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape")
    return convert


@host_op("string_upper")
def string_upper(x, *, encoding):
    """Upper case: ASCII letters only (no encoding), or Unicode's full mapping ("utf-8")."""
    _check_encoding("string_upper", encoding)
    return _map_strings(x, bytes.upper if not encoding else _unicode_case(str.upper))


@host_op("string_lower")
def string_lower(x, *, encoding):
    """Lower case: ASCII letters only (no encoding), or Unicode's full mapping ("utf-8")."""
    _check_encoding("string_lower", encoding)
    return _map_strings(x, bytes.lower if not encoding else _unicode_case(str.lower))


@host_op("string_strip")
def string_strip(x):
    """Leading and trailing ASCII whitespace removed."""
    return _map_strings(x, bytes.strip)


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


@host_op("string_split")
def string_split(x, sep, *, maxsplit):
    """Split each string of a 1-D tensor: (tokens, int64 row splits). An empty `sep` splits on
    runs of whitespace (no empty tokens); otherwise every `sep` delimits (Python's bytes.split)."""
    if sep.ndim != 0:
        raise StringOpError("string_split", f"sep must be a scalar, got shape: {dims(sep.shape)}")
    if x.ndim != 1:
        raise StringOpError("string_split", f"input must be a vector, got shape: {dims(x.shape)}")
    sep = sep[()]
    tokens, splits = [], [0]
    for s in x:
        if maxsplit == 0:
            parts = [s]
        elif sep:
            parts = s.split(sep, maxsplit if maxsplit > 0 else -1)
        else:
            parts = _split_whitespace(s, maxsplit)
        tokens += parts
        splits.append(len(tokens))
    return _strings(tokens), np.asarray(splits, dtype=np.int64)


@host_op("bytes_split")
def bytes_split(x):
    """Each string of a 1-D tensor as its single bytes: (bytes, int64 row splits)."""
    pieces, splits = [], [0]
    for s in x.reshape(-1):
        pieces += [s[i:i + 1] for i in range(len(s))]
        splits.append(len(pieces))
    return _strings(pieces), np.asarray(splits, dtype=np.int64)


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
    return _strings(out, shape)


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
    out = _strings([separator.join(row) for row in rows], kept_shape)
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


# --------------------------------------------------------------------------------------------
# numbers <-> strings
# --------------------------------------------------------------------------------------------

_FLOAT_SYNTAX = re.compile(
    rb"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)"
    rb"(?:[pP][+-]?\d+)?|inf|infinity|nan(?:\([0-9A-Za-z_]*\))?)", re.IGNORECASE)
_INT_SYNTAX = re.compile(rb"[+-]?[0-9]+")
_UINT_SYNTAX = re.compile(rb"\+?[0-9]+")
_INT_RANGE = {"int32": (-2 ** 31, 2 ** 31 - 1), "int64": (-2 ** 63, 2 ** 63 - 1),
              "uint32": (0, 2 ** 32 - 1), "uint64": (0, 2 ** 64 - 1)}


def _parse_float(text: bytes):
    """The value of a float literal as TF's parser reads it, as a Python float (None if not
    one), and the literal for exact rounding to float32."""
    if not _FLOAT_SYNTAX.fullmatch(text):
        return None
    body = text.lstrip(b"+-")
    negative = text.startswith(b"-")
    lower = body.lower()
    if lower.startswith(b"nan"):
        return -math.nan if negative else math.nan
    if lower.startswith(b"inf"):
        return -math.inf if negative else math.inf
    if lower.startswith(b"0x"):
        value = float.fromhex(body.decode())
        return -value if negative else value
    return float(text)


def _to_float32(text: bytes, value: float) -> np.float32:
    """`value` (the double nearest to the literal `text`) rounded to float32 as a direct
    decimal-to-float32 conversion would: only a double exactly halfway between two float32
    values can round differently, and the literal decides that case."""
    with np.errstate(over="ignore"):
        f = np.float32(value)
    if not math.isfinite(value) or float(f) == value or not math.isfinite(float(f)):
        return f
    with np.errstate(over="ignore"):
        other = np.nextafter(f, np.float32(math.copysign(math.inf, value - float(f))))
    middle = (float(f) + float(other)) / 2
    if middle != value or b"x" in text.lower():
        return f
    exact = fractions.Fraction(text.strip().decode())
    if exact == fractions.Fraction(middle):
        return f
    closer_to_other = abs(exact - fractions.Fraction(float(other))) < abs(exact - fractions.Fraction(float(f)))
    return other if closer_to_other else f


@host_op("string_to_number")
def string_to_number(x, *, out_type):
    """Parse each string as a number of `out_type` (TF's syntax: surrounding ASCII whitespace,
    hex and inf/nan for floats, decimal digits only for integers, overflow refused)."""
    _out_types = ("float32", "float64", "int32", "int64", "uint32", "uint64")
    if out_type not in _out_types:
        names = {"float32": "float", "float64": "double"}
        raise StringOpError("string_to_number", f"Value for attr 'out_type' of {names.get(out_type, out_type)} "
                                                "is not in the list of allowed values: float, double, int32, "
                                                "int64, uint32, uint64")
    flat = x.reshape(-1)
    out = np.empty(flat.size, dtype=out_type)
    floating = out_type.startswith("float")
    for i, s in enumerate(flat):
        text = s.strip(_WHITESPACE)
        value = None
        if floating:
            value = _parse_float(text)
            if value is not None and out_type == "float32":
                value = _to_float32(text, value)
        elif (_UINT_SYNTAX if out_type.startswith("u") else _INT_SYNTAX).fullmatch(text):
            value = int(text)
            low, high = _INT_RANGE[out_type]
            if not low <= value <= high:
                value = None
        if value is None:
            shown = _text(s.split(b"\0")[0])
            raise StringOpError("string_to_number", f"StringToNumberOp could not correctly convert "
                                                    f"string: {shown}")
        out[i] = value
    return out.reshape(x.shape)


_FLOAT_KINDS = ("float16", "bfloat16", "float32", "float64", "complex64", "complex128")
_KERNEL_NAMES = {"float32": "float", "float64": "double", "float16": "half", "object": "string"}


@host_op("as_string")
def as_string(x, *, precision, scientific, shortest, width, fill):
    """TF's AsString: each element through a printf format built from the attributes."""
    dtype = x.dtype.name if x.dtype != object else "object"
    name = _KERNEL_NAMES.get(dtype, dtype)
    if dtype not in _FLOAT_KINDS and dtype != "object":
        if scientific or shortest:
            raise StringOpError("as_string", f"scientific and shortest format not supported for datatype {name}")
        if precision >= 0:
            raise StringOpError("as_string", f"precision not supported for datatype {name}")
    if len(fill) > 1:
        raise StringOpError("as_string", "Fill string must be one or fewer characters")
    if scientific and shortest:
        raise StringOpError("as_string", "Cannot select both scientific and shortest notation")
    spec = "%"
    if fill:
        if fill not in " +-0#":
            raise StringOpError("as_string", f'Fill argument not supported: "{fill}"')
        spec += fill
    if width > -1:
        spec += str(width)
    flat = x.reshape(-1)
    if dtype == "bool":
        return _strings([b"true" if v else b"false" for v in flat.tolist()], x.shape)
    if dtype == "object":
        bspec = (spec + "s").encode()
        return _strings([bspec % s for s in flat], x.shape)
    if dtype in _FLOAT_KINDS:
        if precision > -1:
            spec += f".{precision}"
        spec += "g" if shortest else "e" if scientific else "f"
        if dtype.startswith("complex"):
            return _strings([f"({spec},{spec})".__mod__((v.real, v.imag)).encode()
                             for v in flat.tolist()], x.shape)
        return _strings([(spec % v).encode() for v in flat.astype(np.float64).tolist()], x.shape)
    spec += "d"
    return _strings([(spec % v).encode() for v in flat.tolist()], x.shape)


# --- tf.strings.format: TF's Tensor::SummarizeValue --------------------------------------------

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
    return np.array("".join(out).encode("utf-8", "surrogateescape"), dtype=object)


def _summarize_input(x, count):
    text = summarize(x, count)
    # bytes of a string element pass through unchanged: carried here as latin-1 characters
    return text.encode("latin-1", "replace").decode("utf-8", "surrogateescape") \
        if x.dtype == object else text


# --------------------------------------------------------------------------------------------
# unicode
# --------------------------------------------------------------------------------------------

_INVALID = "\udfff"  # marks an invalid sequence while decoding (never produced by a valid one)


def _mark_invalid(err):
    return _INVALID, err.end


codecs.register_error("tfx_lite_strings_mark", _mark_invalid)


def _codec(op, encoding):
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise StringOpError(op, f"Could not create converter for input encoding: {encoding}") from None


def _check_replacement(op, replacement_char):
    if not 0 <= replacement_char <= 0x10FFFF:
        raise StringOpError(op, "replacement_char out of unicode codepoint range")


@host_op("unicode_decode")
def unicode_decode(x, *, input_encoding, errors, replacement_char, replace_control_characters):
    """Decode each string of a tensor (flattened) into int32 code points: (code points, int64
    row splits)."""
    _allowed("unicode_decode", "errors", errors, ("strict", "replace", "ignore"))
    codec = _codec("unicode_decode", input_encoding)
    _check_replacement("unicode_decode", replacement_char)
    points, splits = [], [0]
    for s in x.reshape(-1):
        text = s.decode(codec, "tfx_lite_strings_mark")
        for ch in text:
            if ch == _INVALID:
                if errors == "strict":
                    raise StringOpError("unicode_decode", "Invalid formatting on input string")
                if errors == "replace":
                    points.append(replacement_char)
                continue
            c = ord(ch)
            if replace_control_characters and c < 0x20:
                c = replacement_char
            points.append(c)
        splits.append(len(points))
    return np.asarray(points, dtype=np.int32), np.asarray(splits, dtype=np.int64)


_OUTPUT_CODECS = {"UTF-8": "utf-8", "UTF-16-BE": "utf-16-be", "UTF-32-BE": "utf-32-be"}


@host_op("unicode_encode")
def unicode_encode(values, splits, *, output_encoding, errors, replacement_char):
    """Encode each row (values[splits[i]:splits[i+1]]) of int32 code points into a string."""
    _allowed("unicode_encode", "errors", errors, ("ignore", "replace", "strict"))
    _allowed("unicode_encode", "output_encoding", output_encoding, tuple(_OUTPUT_CODECS))
    _check_replacement("unicode_encode", replacement_char)
    replacement = "\ufffd" if 0xD800 <= replacement_char <= 0xDFFF else chr(replacement_char)
    codec = _OUTPUT_CODECS[output_encoding]
    points = np.asarray(values).tolist()
    bounds = np.asarray(splits).tolist()
    out = []
    for i in range(len(bounds) - 1):
        chars = []
        for c in points[bounds[i]:bounds[i + 1]]:
            if 0 <= c <= 0x10FFFF and not 0xD800 <= c <= 0xDFFF:
                chars.append(chr(c))
            elif errors == "strict":
                raise StringOpError("unicode_encode", "Code point is out of range for Unicode, or is a surrogate.")
            elif errors == "replace":
                chars.append(replacement)
        out.append("".join(chars).encode(codec))
    return _strings(out)


# --------------------------------------------------------------------------------------------
# hashing: farmhash's Fingerprint64 (TF's StringToHashBucketFast)
# --------------------------------------------------------------------------------------------

_M64 = (1 << 64) - 1
_K0, _K1, _K2 = 0xc3a5c85c97cb3127, 0xb492b66fbe98f273, 0x9ae16a3b2f90404f


def _rot(v, s):
    return v if s == 0 else ((v >> s) | (v << (64 - s))) & _M64


def _fetch64(s, i):
    return int.from_bytes(s[i:i + 8], "little")


def _fetch32(s, i):
    return int.from_bytes(s[i:i + 4], "little")


def _shift_mix(v):
    return v ^ (v >> 47)


def _hash16(u, v, mul):
    a = ((u ^ v) * mul) & _M64
    a ^= a >> 47
    b = ((v ^ a) * mul) & _M64
    b ^= b >> 47
    return (b * mul) & _M64


def _hash_0_to_16(s, n):
    if n >= 8:
        mul = _K2 + n * 2
        a = (_fetch64(s, 0) + _K2) & _M64
        b = _fetch64(s, n - 8)
        c = (_rot(b, 37) * mul + a) & _M64
        d = ((_rot(a, 25) + b) * mul) & _M64
        return _hash16(c, d, mul)
    if n >= 4:
        mul = _K2 + n * 2
        a = _fetch32(s, 0)
        return _hash16((n + (a << 3)) & _M64, _fetch32(s, n - 4), mul)
    if n > 0:
        y = s[0] + (s[n >> 1] << 8)
        z = n + (s[n - 1] << 2)
        return (_shift_mix(((y * _K2) ^ (z * _K0)) & _M64) * _K2) & _M64
    return _K2


def _hash_17_to_32(s, n):
    mul = _K2 + n * 2
    a = (_fetch64(s, 0) * _K1) & _M64
    b = _fetch64(s, 8)
    c = (_fetch64(s, n - 8) * mul) & _M64
    d = (_fetch64(s, n - 16) * _K2) & _M64
    return _hash16((_rot((a + b) & _M64, 43) + _rot(c, 30) + d) & _M64,
                   (a + _rot((b + _K2) & _M64, 18) + c) & _M64, mul)


def _hash_33_to_64(s, n):
    mul = _K2 + n * 2
    a = (_fetch64(s, 0) * _K2) & _M64
    b = _fetch64(s, 8)
    c = (_fetch64(s, n - 8) * mul) & _M64
    d = (_fetch64(s, n - 16) * _K2) & _M64
    y = (_rot((a + b) & _M64, 43) + _rot(c, 30) + d) & _M64
    z = _hash16(y, (a + _rot((b + _K2) & _M64, 18) + c) & _M64, mul)
    e = (_fetch64(s, 16) * mul) & _M64
    f = _fetch64(s, 24)
    g = ((y + _fetch64(s, n - 32)) * mul) & _M64
    h = ((z + _fetch64(s, n - 24)) * mul) & _M64
    return _hash16((_rot((e + f) & _M64, 43) + _rot(g, 30) + h) & _M64,
                   (e + _rot((f + a) & _M64, 18) + g) & _M64, mul)


def _weak32(s, i, a, b):
    w, x, y, z = _fetch64(s, i), _fetch64(s, i + 8), _fetch64(s, i + 16), _fetch64(s, i + 24)
    a = (a + w) & _M64
    b = _rot((b + a + z) & _M64, 21)
    c = a
    a = (a + x + y) & _M64
    b = (b + _rot(a, 44)) & _M64
    return (a + z) & _M64, (b + c) & _M64


def fingerprint64(s: bytes) -> int:
    """farmhash::Fingerprint64 (farmhashna::Hash64)."""
    n = len(s)
    if n <= 16:
        return _hash_0_to_16(s, n)
    if n <= 32:
        return _hash_17_to_32(s, n)
    if n <= 64:
        return _hash_33_to_64(s, n)
    seed = 81
    x = seed
    y = (seed * _K1 + 113) & _M64
    z = (_shift_mix((y * _K2 + 113) & _M64) * _K2) & _M64
    v = (0, 0)
    w = (0, 0)
    x = (x * _K2 + _fetch64(s, 0)) & _M64
    end = ((n - 1) // 64) * 64
    last64 = end + ((n - 1) & 63) - 63
    i = 0
    while True:
        x = (_rot((x + y + v[0] + _fetch64(s, i + 8)) & _M64, 37) * _K1) & _M64
        y = (_rot((y + v[1] + _fetch64(s, i + 48)) & _M64, 42) * _K1) & _M64
        x ^= w[1]
        y = (y + v[0] + _fetch64(s, i + 40)) & _M64
        z = (_rot((z + w[0]) & _M64, 33) * _K1) & _M64
        v = _weak32(s, i, (v[1] * _K1) & _M64, (x + w[0]) & _M64)
        w = _weak32(s, i + 32, (z + w[1]) & _M64, (y + _fetch64(s, i + 16)) & _M64)
        z, x = x, z
        i += 64
        if i == end:
            break
    mul = _K1 + ((z & 0xFF) << 1)
    i = last64
    w = ((w[0] + ((n - 1) & 63)) & _M64, w[1])
    v = ((v[0] + w[0]) & _M64, v[1])
    w = ((w[0] + v[0]) & _M64, w[1])
    x = (_rot((x + y + v[0] + _fetch64(s, i + 8)) & _M64, 37) * mul) & _M64
    y = (_rot((y + v[1] + _fetch64(s, i + 48)) & _M64, 42) * mul) & _M64
    x ^= (w[1] * 9) & _M64
    y = (y + v[0] * 9 + _fetch64(s, i + 40)) & _M64
    z = (_rot((z + w[0]) & _M64, 33) * mul) & _M64
    v = _weak32(s, i, (v[1] * mul) & _M64, (x + w[0]) & _M64)
    w = _weak32(s, i + 32, (z + w[1]) & _M64, (y + _fetch64(s, i + 16)) & _M64)
    z, x = x, z
    return _hash16((_hash16(v[0], w[0], mul) + _shift_mix(y) * _K0 + z) & _M64,
                   (_hash16(v[1], w[1], mul) + x) & _M64, mul)


@host_op("string_to_hash_bucket_fast")
def string_to_hash_bucket_fast(x, *, num_buckets):
    """Fingerprint64 of each string modulo `num_buckets`, as int64."""
    if num_buckets < 1:
        raise StringOpError("string_to_hash_bucket_fast", f"Value for attr 'num_buckets' of {num_buckets} "
                                                          "must be at least minimum 1")
    flat = x.reshape(-1)
    return np.asarray([fingerprint64(s) % num_buckets for s in flat], dtype=np.int64).reshape(x.shape)


# --------------------------------------------------------------------------------------------
# regular expressions (RE2 syntax)
# --------------------------------------------------------------------------------------------

class Re2SyntaxError(ValueError):
    """A pattern RE2 refuses (`str` is RE2's error text), or one this translation cannot
    express in Python's `re`."""


_WORD = "0-9A-Za-z_"
_BAD_BYTES = "\udc80-\udcff"  # invalid UTF-8 bytes (decoded with surrogateescape): RE2 never matches them
_PERL_CLASSES = {"d": "0-9", "s": "\\t\\n\\f\\r ", "w": _WORD}
_POSIX_CLASSES = {
    "alnum": "0-9A-Za-z", "alpha": "A-Za-z", "ascii": "\\x00-\\x7f", "blank": "\\t ",
    "cntrl": "\\x00-\\x1f\\x7f", "digit": "0-9", "graph": "!-~", "lower": "a-z",
    "print": " -~", "punct": "!-/:-@\\[-`{-~", "space": "\\t\\n\\v\\f\\r ", "upper": "A-Z",
    "word": _WORD, "xdigit": "0-9A-Fa-f",
}
_WORD_BOUNDARY = f"(?:(?<=[{_WORD}])(?![{_WORD}])|(?<![{_WORD}])(?=[{_WORD}]))"
_NOT_WORD_BOUNDARY = f"(?:(?<=[{_WORD}])(?=[{_WORD}])|(?<![{_WORD}])(?![{_WORD}]))"
_SIMPLE_ESCAPES = {"a": "\\x07", "f": "\\x0c", "t": "\\t", "n": "\\n", "r": "\\r", "v": "\\x0b"}


@functools.lru_cache(maxsize=None)
def _category_runs() -> tuple:
    """(first, last, category) runs covering every code point (Python's unicodedata)."""
    runs, start, current = [], 0, unicodedata.category("\0")
    for c in range(1, 0x110000):
        cat = unicodedata.category(chr(c))
        if cat != current:
            runs.append((start, c - 1, current))
            start, current = c, cat
    runs.append((start, 0x10FFFF, current))
    return tuple(runs)


@functools.lru_cache(maxsize=None)
def _category_ranges(category: str) -> str:
    """A character-class body with every code point of a Unicode general category (one letter:
    the whole major class)."""
    if category == "Any":
        return "\\x00-\\U0010ffff"
    merged: list = []
    for first, last, cat in _category_runs():
        if cat == category or (len(category) == 1 and cat[0] == category):
            if merged and merged[-1][1] == first - 1:
                merged[-1][1] = last
            else:
                merged.append([first, last])
    return "".join(_class_char(a) + ("" if a == b else "-" + _class_char(b)) for a, b in merged)


_CATEGORIES = {"C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me",
               "Mn", "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S",
               "Sc", "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs", "Any"}


def _class_char(c: int) -> str:
    return "\\U%08x" % c


class _Translator:
    """One pass over an RE2 pattern, writing the Python `re` equivalent."""

    def __init__(self, pattern: str):
        self.p = pattern
        self.i = 0
        self.out: list = []
        # per open group: (the flags in force outside it, its enclosing level's `inline`)
        self.stack: list = []
        self.flags = {"m": False, "s": False, "U": False}
        # groups opened for "(?flags)" at this level: closed before "|" and reopened after it,
        # closed with the enclosing group (RE2's flags last to the end of the group)
        self.inline: list = []
        self.can_repeat = False  # an atom precedes (a repetition operator may follow)
        self.last_repeat = None  # the text of a repetition that just ended

    def fail(self, text):
        raise Re2SyntaxError(text)

    def run(self) -> str:
        p = self.p
        while self.i < len(p):
            c = p[self.i]
            if c == "\\":
                self.escape()
            elif c == "[":
                self.char_class()
            elif c == "(":
                self.open_group()
            elif c == ")":
                self.close_group()
            elif c in "*+?{":
                self.repetition()
                continue
            elif c == "|":
                self.out.append(")" * len(self.inline) + "|" + "".join(self.inline))
                self.i += 1
                self.can_repeat = False
            elif c == ".":
                self.atom(f"[^{_BAD_BYTES}]" if self.flags["s"] else f"[^\\n{_BAD_BYTES}]", 1)
            elif c == "^":
                self.atom("(?m:^)" if self.flags["m"] else "(?:^)", 1)
            elif c == "$":
                self.atom("(?m:$)" if self.flags["m"] else "(?:\\Z)", 1)
            else:
                self.atom(re.escape(c), 1)
            self.last_repeat = None
        if self.stack:
            self.fail(f"missing ): {p}")
        self.out.append(")" * len(self.inline))
        return "".join(self.out)

    def atom(self, text, width):
        self.out.append(text)
        self.i += width
        self.can_repeat = True

    # --- escapes ------------------------------------------------------------------------------
    def escape(self):
        p, i = self.p, self.i
        if i + 1 >= len(p):
            self.fail("trailing \\")
        c = p[i + 1]
        if c in "123456789":
            if c in "1234567" and i + 2 < len(p) and p[i + 2] in "01234567":
                self.octal(i + 1)
                return
            self.fail(f"invalid escape sequence: \\{c}")
        if c == "0":
            self.octal(i + 1)
            return
        if c in "dswDSW":
            body = _PERL_CLASSES[c.lower()]
            self.atom(f"[{body}]" if c.islower() else f"[^{body}{_BAD_BYTES}]", 2)
            return
        if c == "b":
            self.atom(_WORD_BOUNDARY, 2)
            return
        if c == "B":
            self.atom(_NOT_WORD_BOUNDARY, 2)
            return
        if c == "A":
            self.atom("(?:\\A)", 2)
            return
        if c == "z":
            self.atom("(?:\\Z)", 2)
            return
        if c == "C":
            self.atom("(?s:.)", 2)  # RE2: any byte; here: any character
            return
        if c == "Q":
            end = p.find("\\E", i + 2)
            literal = p[i + 2:] if end < 0 else p[i + 2:end]
            self.out.append("".join(re.escape(ch) for ch in literal))
            self.i = len(p) if end < 0 else end + 2
            self.can_repeat = bool(literal)
            return
        if c == "E":
            self.i += 2
            return
        if c in "pP":
            body, width, negate = self.unicode_class(i)
            self.atom(f"[^{body}{_BAD_BYTES}]" if negate else f"[{body}]", width)
            return
        if c == "x":
            code, width = self.hex_escape(i)
            self.atom(re.escape(chr(code)), width)
            return
        if c in _SIMPLE_ESCAPES:
            self.atom(_SIMPLE_ESCAPES[c], 2)
            return
        if ord(c) < 0x80 and not c.isalnum():
            self.atom(re.escape(c), 2)
            return
        self.fail(f"invalid escape sequence: \\{c}")

    def octal(self, start):
        p, j = self.p, start
        while j < len(p) and j < start + 3 and p[j] in "01234567":
            j += 1
        self.atom(re.escape(chr(int(p[start:j], 8))), j - self.i)

    def hex_escape(self, i):
        p = self.p
        if i + 2 < len(p) and p[i + 2] == "{":
            end = p.find("}", i + 3)
            digits = p[i + 3:end] if end > 0 else ""
            if end < 0 or not digits or not all(d in "0123456789abcdefABCDEF" for d in digits):
                self.fail(f"invalid escape sequence: {p[i:end + 1 if end > 0 else len(p)]}")
            if int(digits, 16) > 0x10FFFF:
                self.fail(f"invalid escape sequence: {p[i:end]}")
            return int(digits, 16), end + 1 - i
        digits = p[i + 2:i + 4]
        if len(digits) != 2 or not all(d in "0123456789abcdefABCDEF" for d in digits):
            self.fail(f"invalid escape sequence: {p[i:i + 4]}")
        return int(digits, 16), 4

    def unicode_class(self, i):
        """(class body, width, negated) of \\pX, \\p{Name}, \\p{^Name}, \\PX at p[i]."""
        p = self.p
        negate = p[i + 1] == "P"
        if i + 2 >= len(p):
            self.fail(f"invalid escape sequence: {p[i:]}")
        if p[i + 2] == "{":
            end = p.find("}", i + 3)
            if end < 0:
                self.fail(f"invalid character class range: {p[i:]}")
            name, width = p[i + 3:end], end + 1 - i
        else:
            name, width = p[i + 2], 3
        if name.startswith("^"):
            name, negate = name[1:], not negate
        if name not in _CATEGORIES:  # also RE2's script names: not available in Python
            self.fail(f"invalid character class range: {p[i:i + width]}")
        return _category_ranges(name), width, negate

    # --- character classes --------------------------------------------------------------------
    def char_class(self):
        p, start = self.p, self.i
        j = start + 1
        negate = j < len(p) and p[j] == "^"
        if negate:
            j += 1
        items, first = [], True
        while True:
            if j >= len(p):
                self.fail(f"missing ]: {p[start:]}")
            c = p[j]
            if c == "]" and not first:
                j += 1
                break
            first = False
            if c == "[" and p.startswith("[:", j):
                end = p.find(":]", j + 2)
                name = p[j + 2:end] if end > 0 else None
                negated = bool(name) and name.startswith("^")
                if negated:
                    name = name[1:]
                if name in _POSIX_CLASSES:
                    if negated:
                        self.fail(f"invalid character class range: {p[j:end + 2]} (not supported)")
                    items.append(_POSIX_CLASSES[name])
                    j = end + 2
                    continue
                if end > 0:
                    self.fail(f"invalid character class range: {p[j:end + 2]}")
            if c == "\\":
                if j + 1 >= len(p):
                    self.fail("trailing \\")
                e = p[j + 1]
                if e in "dswDSW":
                    body = _PERL_CLASSES[e.lower()]
                    items.append(body if e.islower() else "\\" + e)  # \D \S \W: Python's own
                    j += 2
                    continue
                if e in "pP":
                    body, width, negated = self.unicode_class(j)
                    if negated:
                        self.fail(f"invalid character class range: {p[j:j + width]} (a negated "
                                  "Unicode class inside [...] is not supported)")
                    items.append(body)
                    j += width
                    continue
                if e == "x":
                    code, width = self.hex_escape(j)
                elif e in _SIMPLE_ESCAPES:
                    code, width = ord(_SIMPLE_ESCAPES[e].encode().decode("unicode_escape")), 2
                elif e in "01234567":
                    k = j + 1
                    while k < len(p) and k < j + 4 and p[k] in "01234567":
                        k += 1
                    code, width = int(p[j + 1:k], 8), k - j
                elif ord(e) < 0x80 and not e.isalnum():
                    code, width = ord(e), 2
                else:
                    self.fail(f"invalid escape sequence: \\{e}")
            else:
                code, width = ord(c), 1
            # a range lo-hi?
            if j + width + 1 < len(p) and p[j + width] == "-" and p[j + width + 1] != "]":
                k = j + width + 1
                if p[k] == "\\":
                    e = p[k + 1] if k + 1 < len(p) else ""
                    if e == "x":
                        high, hw = self.hex_escape(k)
                    elif e in _SIMPLE_ESCAPES:
                        high, hw = ord(_SIMPLE_ESCAPES[e].encode().decode("unicode_escape")), 2
                    elif e and ord(e) < 0x80 and not e.isalnum():
                        high, hw = ord(e), 2
                    elif e in "dswDSWpP":
                        self.fail(f"invalid escape sequence: \\{e}")
                    else:
                        self.fail(f"invalid character class range: {p[j:k + 2]}")
                else:
                    high, hw = ord(p[k]), 1
                if high < code:
                    self.fail(f"invalid character class range: {p[j:k + hw]}")
                items.append(_class_char(code) + "-" + _class_char(high))
                j = k + hw
                continue
            items.append(_class_char(code))
            j += width
        body = "".join(items)
        if negate:
            self.out.append(f"[^{body}{_BAD_BYTES}]")
        else:
            self.out.append(f"[{body}]" if body else "(?!)")
        self.i = j
        self.can_repeat = True

    # --- groups ---------------------------------------------------------------------------------
    def open_group(self):
        p, i = self.p, self.i
        if not p.startswith("(?", i):
            self.push("(")
            self.i += 1
            return
        if p.startswith("(?P<", i):
            end = p.find(">", i + 4)
            name = p[i + 4:end] if end > 0 else ""
            if end < 0 or not name or not all(ch.isalnum() or ch == "_" for ch in name):
                self.fail(f"invalid named capture group: {p[i:end + 1 if end > 0 else len(p)]}")
            self.push("(")  # RE2 allows a name twice, Python does not; rewrites use numbers
            self.i = end + 1
            return
        j = i + 2
        on, negate, seen = [], False, False
        while j < len(p) and p[j] not in ":)":
            ch = p[j]
            if ch == "-" and not negate:
                negate = True
            elif ch in "imsU":
                on.append(("-" if negate else "") + ch)
                seen = True
            else:
                self.fail(f"invalid perl operator: {p[i:j + 1]}")
            j += 1
        if j >= len(p):
            self.fail(f"missing ): {p}")
        if p[j] == ")" and not seen or negate and not any(f.startswith("-") for f in on):
            self.fail(f"invalid perl operator: {p[i:j + 1]}")
        new_flags = dict(self.flags)
        for f in on:
            new_flags[f[-1]] = not f.startswith("-")
        python_flags = "".join(f for f in on if not f.startswith("-") and f in "i")
        python_off = "".join(f[-1] for f in on if f.startswith("-") and f[-1] in "i")
        header = "(?" + python_flags + ("-" + python_off if python_off else "") + ":" \
            if python_flags or python_off else "(?:"
        if p[j] == ":":
            self.push(header, new_flags)
            self.i = j + 1
            return
        # "(?flags)": in force to the end of the enclosing group
        self.out.append(header)
        self.flags = new_flags
        self.inline.append(header)
        self.i = j + 1
        self.can_repeat = False

    def push(self, header, new_flags=None):
        self.out.append(header)
        self.stack.append((dict(self.flags), self.inline))
        self.inline = []
        if new_flags is not None:
            self.flags = new_flags
        self.can_repeat = False

    def close_group(self):
        if not self.stack:
            self.fail(f"unexpected ): {self.p}")
        self.out.append(")" * len(self.inline) + ")")
        self.flags, self.inline = self.stack.pop()
        self.i += 1
        self.can_repeat = True

    # --- repetition -----------------------------------------------------------------------------
    def repetition(self):
        p, i = self.p, self.i
        c = p[i]
        if c == "{":
            m = re.compile(r"\{(\d+)(,(\d*))?\}").match(p, i)
            if m is None:  # not a repetition: a literal "{"
                self.atom("\\{", 1)
                self.last_repeat = None
                return
            low = int(m.group(1))
            high = low if m.group(2) is None else (int(m.group(3)) if m.group(3) else None)
            if low > 1000 or (high is not None and (high > 1000 or high < low)):
                self.fail(f"invalid repetition size: {m.group(0)}")
            text, width = m.group(0), m.end() - i
        else:
            text, width = c, 1
        if self.last_repeat is not None:
            self.fail(f"bad repetition operator: {self.last_repeat}{text}")
        if not self.can_repeat:
            self.fail(f"missing argument to repetition operator: {text}" if c == "{"
                      else f"no argument for repetition operator: {text}")
        lazy = i + width < len(p) and p[i + width] == "?"
        self.out.append(p[i:i + width] + ("?" if lazy != self.flags["U"] else ""))  # (?U): swapped
        if lazy:
            width += 1
        self.i += width
        self.last_repeat = p[i:i + width]


@functools.lru_cache(maxsize=256)
def compile_re2(pattern: bytes):
    """The compiled Python regex for an RE2 pattern (bytes, UTF-8), or Re2SyntaxError."""
    try:
        text = pattern.decode("utf-8")
    except UnicodeDecodeError:
        raise Re2SyntaxError("invalid UTF-8") from None
    translated = _Translator(text).run()
    try:
        return re.compile(translated)
    except re.error as err:
        raise Re2SyntaxError(str(err)) from None


def _regex(op, pattern: bytes):
    try:
        return compile_re2(pattern)
    except Re2SyntaxError as err:
        raise StringOpError(op, f"Invalid pattern: {_text(pattern)}, error: {err}") from None


def _max_submatch(rewrite: bytes) -> int:
    top = 0
    for m in re.finditer(rb"\\(.)", rewrite, re.DOTALL):
        if m.group(1).isdigit():
            top = max(top, int(m.group(1)))
    return top


def _rewrite(rewrite: str, match) -> tuple:
    """RE2::Rewrite: (text, ok); \\0-\\9 insert groups, \\\\ a backslash; any other escape stops
    the rewrite (ok false) after what was written so far."""
    out, i = [], 0
    while i < len(rewrite):
        c = rewrite[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        nxt = rewrite[i + 1] if i + 1 < len(rewrite) else ""
        if nxt.isdigit() and nxt.isascii():
            out.append(match.group(int(nxt)) or "")
        elif nxt == "\\":
            out.append("\\")
        else:
            return "".join(out), False
        i += 2
    return "".join(out), True


def _replace_one(regex, text: str, rewrite: str, replace_global: bool) -> str:
    if not replace_global:
        m = regex.search(text)
        if m is None:
            return text
        piece, ok = _rewrite(rewrite, m)
        return text[:m.start()] + piece + text[m.end():] if ok else text
    out, p, lastend, count = [], 0, -1, 0
    while p <= len(text):
        m = regex.search(text, p)
        if m is None:
            break
        if p < m.start():
            out.append(text[p:m.start()])
        if m.start() == lastend and m.start() == m.end():
            # RE2: no empty match right after the previous match; step over one character
            if p < len(text):
                out.append(text[p])
            p += 1
            continue
        out.append(_rewrite(rewrite, m)[0])
        p = lastend = m.end()
        count += 1
    if count == 0:
        return text
    out.append(text[p:])
    return "".join(out)


@host_op("regex_replace")
def regex_replace(x, pattern, rewrite, *, replace_global):
    """RE2's Replace (first match) or GlobalReplace of `pattern` by `rewrite` in each string."""
    for name, value in (("Pattern", pattern), ("Rewrite", rewrite)):
        if value.ndim != 0:
            raise StringOpError("regex_replace", f"{name} must be scalar, but received {dims(value.shape)}")
    pattern, rewrite = pattern[()], rewrite[()]
    regex = _regex("regex_replace", pattern)
    if _max_submatch(rewrite) > regex.groups:  # RE2 leaves the strings unchanged
        return x.copy()
    template = rewrite.decode("utf-8", "surrogateescape")

    def replace(s: bytes) -> bytes:
        text = s.decode("utf-8", "surrogateescape")
        return _replace_one(regex, text, template, replace_global).encode("utf-8", "surrogateescape")
    return _map_strings(x, replace)


@host_op("regex_full_match")
def regex_full_match(x, pattern):
    """Whether each whole string matches `pattern` (RE2 syntax)."""
    if pattern.ndim != 0:
        raise StringOpError("regex_full_match", f"Pattern must be scalar, but received {dims(pattern.shape)}")
    regex = _regex("regex_full_match", pattern[()])
    flat = x.reshape(-1)
    return np.fromiter((regex.fullmatch(s.decode("utf-8", "surrogateescape")) is not None for s in flat),
                       dtype=bool, count=flat.size).reshape(x.shape)
