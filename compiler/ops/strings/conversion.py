"""Numbers from and to strings: TF's StringToNumber (its parsing rules and float32 rounding)
and AsString (printf formats)."""
from __future__ import annotations

import fractions
import math
import re

import numpy as np

from compiler.ops.strings.host import StringOpError, host_op, message_text, string_array

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
        text = s.strip()  # ASCII whitespace
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
            shown = message_text(s.split(b"\0")[0])
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
        return string_array([b"true" if v else b"false" for v in flat.tolist()], x.shape)
    if dtype == "object":
        bspec = (spec + "s").encode()
        return string_array([bspec % s for s in flat], x.shape)
    if dtype in _FLOAT_KINDS:
        if precision > -1:
            spec += f".{precision}"
        spec += "g" if shortest else "e" if scientific else "f"
        if dtype.startswith("complex"):
            return string_array([f"({spec},{spec})".__mod__((v.real, v.imag)).encode()
                             for v in flat.tolist()], x.shape)
        return string_array([(spec % v).encode() for v in flat.astype(np.float64).tolist()], x.shape)
    spec += "d"
    return string_array([(spec % v).encode() for v in flat.tolist()], x.shape)
