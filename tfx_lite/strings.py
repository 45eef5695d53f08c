"""tf.strings: string ops on host string tensors (tfx_lite/ops/string_ops.py)."""
from tfx_lite.ops.string_ops import (  # noqa: F401
    as_string, bytes_split, format, join, length, lower, reduce_join, regex_full_match,
    regex_replace, split, strip, substr, to_hash_bucket_fast, to_number, unicode_decode,
    unicode_encode, unicode_split, unsorted_segment_join, upper,
)

__all__ = ["as_string", "bytes_split", "format", "join", "length", "lower", "reduce_join",
           "regex_full_match", "regex_replace", "split", "strip", "substr", "to_hash_bucket_fast",
           "to_number", "unicode_decode", "unicode_encode", "unicode_split",
           "unsorted_segment_join", "upper"]

from tfx_lite.ragged import ragged_string_ops  # noqa: E402,F401  (registers the ragged handlers)

del ragged_string_ops
