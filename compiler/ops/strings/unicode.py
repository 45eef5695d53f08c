"""Strings to and from Unicode code points: TF's UnicodeDecode and UnicodeEncode."""
from __future__ import annotations

import codecs

import numpy as np

from compiler.ops.strings.host import StringOpError, check_allowed, host_op, string_array, with_row_splits

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


def _decode_one(s: bytes, codec, errors, replacement_char, replace_control_characters):
    points = []
    for ch in s.decode(codec, "tfx_lite_strings_mark"):
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
    return points


@host_op("unicode_decode")
def unicode_decode(x, *, input_encoding, errors, replacement_char, replace_control_characters):
    """Decode each string of a tensor (flattened) into int32 code points: (code points, int64
    row splits)."""
    check_allowed("unicode_decode", "errors", errors, ("strict", "replace", "ignore"))
    codec = _codec("unicode_decode", input_encoding)
    _check_replacement("unicode_decode", replacement_char)
    return with_row_splits((_decode_one(s, codec, errors, replacement_char, replace_control_characters)
                            for s in x.reshape(-1)), np.int32)


_OUTPUT_CODECS = {"UTF-8": "utf-8", "UTF-16-BE": "utf-16-be", "UTF-32-BE": "utf-32-be"}


@host_op("unicode_encode")
def unicode_encode(values, splits, *, output_encoding, errors, replacement_char):
    """Encode each row (values[splits[i]:splits[i+1]]) of int32 code points into a string."""
    check_allowed("unicode_encode", "errors", errors, ("ignore", "replace", "strict"))
    check_allowed("unicode_encode", "output_encoding", output_encoding, tuple(_OUTPUT_CODECS))
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
    return string_array(out)
