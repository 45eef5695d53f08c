"""tf.strings: TensorFlow's string ops on host string tensors.

A string tensor is an EagerTensor holding a numpy object array of `bytes`. Every op converts its
arguments the TF way and binds a host op of compiler/ops/strings/; errors are TF's, naming the
kernel (`[Op:Substr]`). String ops never enter a traced graph: inside a tf.function they run at
trace time on eager (constant) inputs, and refuse traced (symbolic) ones. Ops that give rows of
different lengths (split, unicode_decode, ...) return RaggedTensors; RaggedTensor inputs are
handled by tfx_lite/ragged/ragged_string_ops.py through the op dispatch.
"""
from __future__ import annotations

import numbers

import numpy as np

from compiler import OpInputError, bind
from compiler.errors import VALUE_DEPENDENT
from compiler.ops.strings.host import StringOpError, host_operand
from compiler.trace import init_scope
from tfx_lite.framework import dtypes, errors
from tfx_lite.framework.composite import CompositeTensor
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.dispatch import add_dispatch_support
from tfx_lite.framework.op_call import invalid_argument, kernel_type_name, op_error
from tfx_lite.framework.tensor import SymbolicTensor, Tensor, wrap

__all__ = [
    "as_string", "bytes_split", "format", "join", "length", "lower", "reduce_join",
    "regex_full_match", "regex_replace", "split", "strip", "substr", "to_hash_bucket_fast",
    "to_number", "unicode_decode", "unicode_encode", "unicode_split", "unsorted_segment_join",
    "upper",
]

# --------------------------------------------------------------------------------------------
# running a host op
# --------------------------------------------------------------------------------------------

class StringOpInTraceError(TypeError, ValueError):
    """A string op was given a traced (symbolic) tensor. A TypeError; also a ValueError that
    says the result depends on tensor values, as tf.data expects of a function it must run
    eagerly (Dataset.map of a function using string ops runs it per element)."""


def _refuse_traced(api: str, tensors) -> None:
    for t in tensors:
        if isinstance(t, SymbolicTensor):
            raise StringOpInTraceError(
                f"{api} cannot run inside a tf.function on a traced tensor ({t.name}): string "
                "tensors live on the host and string ops run eagerly, outside compiled code (the "
                f"result {VALUE_DEPENDENT} that tracing does not have). Call it outside the "
                "tf.function; string constants created inside one work: the op runs while the "
                "function is traced.")


def _run(api: str, tf_name: str, op: str, tensors, *host_values, **attrs):
    """Bind host op `op` on `host_values` (the arrays of `tensors`, maybe boxed), eagerly even
    while a function is traced."""
    _refuse_traced(api, tensors)
    try:
        with init_scope():
            return wrap(bind(op, *host_values, **attrs))
    except StringOpError as err:
        raise getattr(errors, err.kind)(None, None, f"{err.message} [Op:{tf_name}]") from None
    except OpInputError as err:
        raise op_error(tf_name, err) from None


def _values(tensors):
    return [t._value for t in tensors]


def _numeric(t: Tensor):
    """A numeric tensor's array, boxed for a host op."""
    return host_operand(np.asarray(t._value))


def _string(x, tf_name: str, index: int = 0) -> Tensor:
    """A string tensor from `x`; a tensor of another dtype is the kernel's InvalidArgumentError,
    a Python value that is not a string TF's conversion TypeError."""
    if isinstance(x, Tensor):
        if x.dtype is not dtypes.string:
            raise invalid_argument(f"cannot compute {tf_name} as input #{index}(zero-based) was expected "
                                   f"to be a string tensor but is a {kernel_type_name(x.dtype)} tensor",
                                   tf_name)
        return x
    return convert_to_tensor(x, dtype=dtypes.string)


def _text_attr(value, what: str) -> bytes:
    """A static string argument (str or bytes) as bytes."""
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, bytes):
        return value
    raise TypeError(f"{what} must be a string, got {value!r}")


def _attr_error(attr: str, value, allowed: str, tf_name: str):
    return invalid_argument(f"Value for attr '{attr}' of {value} is not in the list of allowed values: "
                            f"{allowed}", tf_name)


def _int_tensor(x, tf_name: str, dtype_hint=None) -> Tensor:
    t = x if isinstance(x, Tensor) else convert_to_tensor(x, dtype_hint=dtype_hint)
    if t.dtype not in (dtypes.int32, dtypes.int64):
        raise _attr_error("T", kernel_type_name(t.dtype), "int32, int64", tf_name)
    return t


def _ragged():
    from tfx_lite.ragged.ragged_tensor import RaggedTensor
    return RaggedTensor


def _from_splits(values: Tensor, splits: Tensor):
    with init_scope():
        return _ragged().from_row_splits(values, splits, validate=False)


def _nest(flat_result, shape):
    """A ragged result of an op that adds one ragged dimension to each element of an input of
    `shape` (rank >= 1): `flat_result` has one row per element; the input's other dimensions
    stay uniform dimensions in front of it (as TF's RaggedTensor.from_tensor gives)."""
    if len(shape) <= 1:
        return flat_result
    RaggedTensor = _ragged()
    result = flat_result
    with init_scope():
        for k in reversed(range(len(shape) - 1)):
            result = RaggedTensor.from_uniform_row_length(result, shape[k + 1],
                                                          nrows=int(np.prod(shape[:k + 1])),
                                                          validate=False)
    return result


# --------------------------------------------------------------------------------------------
# elementwise ops
# --------------------------------------------------------------------------------------------

@add_dispatch_support
def length(input, unit="BYTE", name=None):  # noqa: A002
    """tf.strings.length: bytes (unit="BYTE") or UTF-8 characters ("UTF8_CHAR") of each string."""
    x = _string(input, "StringLength")
    return _run("tf.strings.length", "StringLength", "string_length", [x], x._value, unit=unit)


@add_dispatch_support
def substr(input, pos, len, unit="BYTE", name=None):  # noqa: A002
    """tf.strings.substr: `len` bytes/characters from `pos` (negative: from the end)."""
    x = _string(input, "Substr")
    pos = _int_tensor(pos, "Substr")
    length_ = _int_tensor(len, "Substr", dtype_hint=pos.dtype)
    if length_.dtype is not pos.dtype:
        raise invalid_argument(f"cannot compute Substr as input #2(zero-based) was expected to be a "
                               f"{pos.dtype.name} tensor but is a {length_.dtype.name} tensor", "Substr")
    return _run("tf.strings.substr", "Substr", "substr", [x, pos, length_], x._value,
                np.asarray(pos._value), np.asarray(length_._value), unit=unit)


def _case(api, tf_name, op, input, encoding):  # noqa: A002
    x = _string(input, tf_name)
    return _run(api, tf_name, op, [x], x._value, encoding=encoding)


@add_dispatch_support
def upper(input, encoding="", name=None):  # noqa: A002
    """tf.strings.upper: ASCII letters (no encoding) or all letters (encoding="utf-8")."""
    return _case("tf.strings.upper", "StringUpper", "string_upper", input, encoding)


@add_dispatch_support
def lower(input, encoding="", name=None):  # noqa: A002
    """tf.strings.lower: ASCII letters (no encoding) or all letters (encoding="utf-8")."""
    return _case("tf.strings.lower", "StringLower", "string_lower", input, encoding)


@add_dispatch_support
def strip(input, name=None):  # noqa: A002
    """tf.strings.strip: leading and trailing ASCII whitespace removed."""
    x = _string(input, "StringStrip")
    return _run("tf.strings.strip", "StringStrip", "string_strip", [x], x._value)


def _pattern(value, what):
    """(static bytes or None, tensor) of a pattern/rewrite argument: a Python string is the
    kernel's static form (StaticRegex*)."""
    if isinstance(value, (str, bytes)):
        data = _text_attr(value, what)
        return data, convert_to_tensor(data, dtype=dtypes.string)
    return None, _string(value, what)


@add_dispatch_support
def regex_replace(input, pattern, rewrite, replace_global=True, name=None):  # noqa: A002
    """tf.strings.regex_replace: RE2 `pattern` replaced by `rewrite` (\\1..\\9 insert groups)."""
    static_pattern, p = _pattern(pattern, "pattern")
    static_rewrite, r = _pattern(rewrite, "rewrite")
    tf_name = "StaticRegexReplace" if static_pattern is not None and static_rewrite is not None \
        else "RegexReplace"
    x = _string(input, tf_name)
    return _run("tf.strings.regex_replace", tf_name, "regex_replace", [x, p, r], x._value, p._value,
                r._value, replace_global=bool(replace_global))


@add_dispatch_support
def regex_full_match(input, pattern, name=None):  # noqa: A002
    """tf.strings.regex_full_match: whether each whole string matches the RE2 `pattern`."""
    static_pattern, p = _pattern(pattern, "pattern")
    tf_name = "StaticRegexFullMatch" if static_pattern is not None else "RegexFullMatch"
    x = _string(input, tf_name)
    return _run("tf.strings.regex_full_match", tf_name, "regex_full_match", [x, p], x._value, p._value)


@add_dispatch_support
def to_number(input, out_type=dtypes.float32, name=None):  # noqa: A002
    """tf.strings.to_number: parse each string as `out_type` (float32 by default)."""
    x = _string(input, "StringToNumber")
    return _run("tf.strings.to_number", "StringToNumber", "string_to_number", [x], x._value,
                out_type=dtypes.as_dtype(out_type).name)


@add_dispatch_support
def to_hash_bucket_fast(input, num_buckets, name=None):  # noqa: A002
    """tf.strings.to_hash_bucket_fast: farmhash Fingerprint64 of each string mod `num_buckets`."""
    x = _string(input, "StringToHashBucketFast")
    return _run("tf.strings.to_hash_bucket_fast", "StringToHashBucketFast", "string_to_hash_bucket_fast",
                [x], x._value, num_buckets=int(num_buckets))


@add_dispatch_support
def as_string(input, precision=-1, scientific=False, shortest=False, width=-1, fill="", name=None):  # noqa: A002
    """tf.strings.as_string: each element formatted as C's printf does (TF's AsString)."""
    x = input if isinstance(input, Tensor) else convert_to_tensor(input)
    value = x._value if x.dtype is dtypes.string else _numeric(x)
    return _run("tf.strings.as_string", "AsString", "as_string", [x], value, precision=int(precision),
                scientific=bool(scientific), shortest=bool(shortest), width=int(width), fill=str(fill))


# --------------------------------------------------------------------------------------------
# joining
# --------------------------------------------------------------------------------------------

@add_dispatch_support
def join(inputs, separator="", name=None):
    """tf.strings.join: elementwise concatenation of same-shape (or scalar) string tensors."""
    tensors = [_string(x, "StringJoin", i) for i, x in enumerate(inputs)]
    if not tensors:
        return convert_to_tensor(b"")
    return _run("tf.strings.join", "StringJoin", "string_join", tensors, *_values(tensors),
                separator=_text_attr(separator, "separator"))


def _axes(axis) -> tuple:
    """reduce_join's axes (an int, a list or an integer tensor) as a tuple of ints."""
    if isinstance(axis, numbers.Integral):
        return (int(axis),)
    t = axis if isinstance(axis, Tensor) else convert_to_tensor(axis, dtype=dtypes.int32)
    _refuse_traced("tf.strings.reduce_join", [t])
    if not t.dtype.is_integer:
        raise TypeError(f"Cannot convert {axis!r} to EagerTensor of dtype int32")
    return tuple(int(a) for a in np.asarray(t._value).reshape(-1))


@add_dispatch_support
def reduce_join(inputs, axis=None, keepdims=False, separator="", name=None):
    """tf.strings.reduce_join: join along `axis` (all axes, row-major, by default)."""
    x = inputs if isinstance(inputs, Tensor) else convert_to_tensor(inputs)
    x = _string(x, "ReduceJoin")
    axes = tuple(range(x.ndim - 1, -1, -1)) if axis is None else _axes(axis)
    return _run("tf.strings.reduce_join", "ReduceJoin", "reduce_join", [x], x._value, axes=axes,
                keepdims=bool(keepdims), separator=_text_attr(separator, "separator"))


@add_dispatch_support
def unsorted_segment_join(inputs, segment_ids, num_segments, separator="", name=None):
    """tf.strings.unsorted_segment_join: the strings of each segment joined, in order."""
    x = _string(inputs, "UnsortedSegmentJoin")
    ids = _int_tensor(segment_ids, "UnsortedSegmentJoin")
    count = _int_tensor(num_segments, "UnsortedSegmentJoin")
    _refuse_traced("tf.strings.unsorted_segment_join", [x, ids, count])
    count = int(np.asarray(count._value))
    return _run("tf.strings.unsorted_segment_join", "UnsortedSegmentJoin", "unsorted_segment_join",
                [x, ids], x._value, np.asarray(ids._value), num_segments=count,
                separator=_text_attr(separator, "separator"))


# --------------------------------------------------------------------------------------------
# splitting
# --------------------------------------------------------------------------------------------

@add_dispatch_support
def split(input, sep=None, maxsplit=-1, name=None):  # noqa: A002
    """tf.strings.split: a RaggedTensor of the tokens of each string (a 1-D tensor for a scalar).
    With no `sep`, runs of ASCII whitespace separate tokens; otherwise each `sep` does."""
    x = _string(input, "StringSplitV2")
    sep_t = convert_to_tensor(b"" if sep is None else sep, dtype=dtypes.string)
    _refuse_traced("tf.strings.split", [x, sep_t])
    flat = x._value.reshape(-1)
    values, splits = _run("tf.strings.split", "StringSplitV2", "string_split", [x, sep_t], flat,
                          sep_t._value, maxsplit=int(maxsplit))
    if x.ndim == 0:
        return values
    return _nest(_from_splits(values, splits), x.shape.as_list())


@add_dispatch_support
def bytes_split(input, name=None):  # noqa: A002
    """tf.strings.bytes_split: each string as its single bytes (a RaggedTensor; 1-D for a scalar)."""
    x = _string(input, "StringSplit")
    values, splits = _run("tf.strings.bytes_split", "StringSplit", "bytes_split", [x], x._value)
    if x.ndim == 0:
        return values
    return _nest(_from_splits(values, splits), x.shape.as_list())


# --------------------------------------------------------------------------------------------
# unicode
# --------------------------------------------------------------------------------------------

def _decode(api, input, input_encoding, errors_, replacement_char, replace_control_characters):  # noqa: A002
    x = _string(input, "UnicodeDecode")
    _refuse_traced(api, [x])
    codepoints, splits = _run(api, "UnicodeDecode", "unicode_decode", [x], x._value.reshape(-1),
                              input_encoding=str(input_encoding), errors=str(errors_),
                              replacement_char=int(replacement_char),
                              replace_control_characters=bool(replace_control_characters))
    return x, codepoints, splits


@add_dispatch_support
def unicode_decode(input, input_encoding, errors="replace", replacement_char=0xFFFD,  # noqa: A002
                   replace_control_characters=False, name=None):
    """tf.strings.unicode_decode: int32 code points of each string (a RaggedTensor; a 1-D tensor
    for a scalar)."""
    x, codepoints, splits = _decode("tf.strings.unicode_decode", input, input_encoding, errors,
                                    replacement_char, replace_control_characters)
    if x.ndim == 0:
        return codepoints
    return _nest(_from_splits(codepoints, splits), x.shape.as_list())


def _encode_rows(api, values: Tensor, splits: Tensor, output_encoding, errors_, replacement_char):
    if values.dtype is not dtypes.int32:
        raise invalid_argument("cannot compute UnicodeEncode as input #0(zero-based) was expected to be a "
                               f"int32 tensor but is a {kernel_type_name(values.dtype)} tensor",
                               "UnicodeEncode")
    return _run(api, "UnicodeEncode", "unicode_encode", [values, splits], _numeric(values),
                _numeric(splits), output_encoding=str(output_encoding), errors=str(errors_),
                replacement_char=int(replacement_char))


@add_dispatch_support
def unicode_encode(input, output_encoding, errors="replace", replacement_char=65533, name=None):  # noqa: A002
    """tf.strings.unicode_encode: each row of int32 code points (the last dimension) as a string."""
    x = input if isinstance(input, Tensor) else convert_to_tensor(input)
    api = "tf.strings.unicode_encode"
    _refuse_traced(api, [x])
    shape = x.shape.as_list()
    if not shape:
        raise ValueError("input_tensor's rank must be at least 1.")
    width = shape[-1]
    rows = int(np.prod(shape[:-1]))
    values = x if len(shape) == 1 else convert_to_tensor(np.asarray(x._value).reshape(-1))
    splits = convert_to_tensor(np.arange(rows + 1, dtype=np.int64) * width)
    out = _encode_rows(api, values, splits, output_encoding, errors, replacement_char)
    with init_scope():
        return wrap(out._value.reshape(shape[:-1]))


def unicode_encode_rows(values, row_splits, output_encoding, errors="replace", replacement_char=65533):
    """Rows values[row_splits[i]:row_splits[i + 1]] of int32 code points, each encoded as one
    string (TF's UnicodeEncode kernel; unicode_encode of a RaggedTensor)."""
    return _encode_rows("tf.strings.unicode_encode", values, row_splits, output_encoding, errors,
                        replacement_char)


def _encode_each(api, codepoints: Tensor, encoding, errors_, replacement_char):
    """Each code point as its own string (unicode_split)."""
    count = int(codepoints.shape[0])
    splits = convert_to_tensor(np.arange(count + 1, dtype=np.int64))
    return _encode_rows(api, codepoints, splits, encoding, errors_, replacement_char)


@add_dispatch_support
def unicode_split(input, input_encoding, errors="replace", replacement_char=65533, name=None):  # noqa: A002
    """tf.strings.unicode_split: each string as the substrings of its characters (a RaggedTensor;
    a 1-D tensor for a scalar)."""
    api = "tf.strings.unicode_split"
    x, codepoints, splits = _decode(api, input, input_encoding, errors, replacement_char, False)
    chars = _encode_each(api, codepoints, input_encoding, errors, replacement_char)
    if x.ndim == 0:
        return chars
    return _nest(_from_splits(chars, splits), x.shape.as_list())


# --------------------------------------------------------------------------------------------
# format
# --------------------------------------------------------------------------------------------

@add_dispatch_support
def format(template, inputs, placeholder="{}", summarize=3, name=None):  # noqa: A001
    """tf.strings.format: `template` with each placeholder replaced by the next input, printed as
    TF prints tensors (the first and last `summarize` entries of each dimension)."""
    if isinstance(inputs, (Tensor, CompositeTensor)) or hasattr(inputs, "__tf_tensor__"):
        inputs = [inputs]
    if template.count(placeholder) != len(inputs):
        raise ValueError(f"The template expects {template.count(placeholder)} tensors, but the inputs "
                         f"only has {len(inputs)}. Please ensure the number of placeholders in "
                         "template matches inputs length.")
    tensors = [x if isinstance(x, Tensor) else convert_to_tensor(x) for x in inputs]
    if not tensors:
        return convert_to_tensor(template.encode("utf-8"))
    host = [t._value if t.dtype is dtypes.string else _numeric(t) for t in tensors]
    return _run("tf.strings.format", "StringFormat", "string_format", tensors, *host,
                template=template, placeholder=placeholder, summarize=int(summarize))
