"""tf.strings against TensorFlow.

The programs in data/ (strings_*_program.py) were run under TensorFlow 2.21; their printed output
is stored next to them (`*.tf.txt`) and tfx_lite must print the same text. The tests below cover
what a program cannot show: string ops inside tf.function and tf.data, and the op table."""
import numpy as np
import pytest

import tfx_lite as tf
from compiler import EAGER_OBSERVERS
from compiler.ops.strings import Re2SyntaxError, compile_re2, fingerprint64
from tests.tfx_lite.tf_programs import assert_prints_what_tf_printed


@pytest.mark.parametrize("name", ["strings_program", "strings_errors_program", "strings_regex_program",
                                  "strings_ragged_program"])
def test_programs_print_what_tf_prints(name):
    assert_prints_what_tf_printed(name)


def test_string_op_on_constants_inside_tf_function_runs_at_trace_time():
    f = tf.function(lambda: tf.strings.length(tf.constant(["ab", "c"])))
    out = f()
    assert out.dtype == tf.int32
    assert out.numpy().tolist() == [2, 1]
    assert f().numpy().tolist() == [2, 1]


def test_string_results_mix_with_traced_values():
    @tf.function
    def f(x):
        tokens = tf.strings.split(tf.constant(["a b", "c d e"]))
        return tf.strings.length(tf.constant(["ab", "c"])) + x, tokens.row_splits

    lengths, splits = f(tf.constant(1))
    assert lengths.numpy().tolist() == [3, 2]
    assert splits.numpy().tolist() == [0, 2, 5]


@pytest.mark.parametrize("call", [
    lambda x: tf.strings.as_string(x),
    lambda x: tf.strings.substr(tf.constant(["abc"]), x, 1),
    lambda x: tf.strings.unicode_encode(tf.reshape(x, [1, 1]), "UTF-8"),
    lambda x: tf.strings.format("{}", x),
])
def test_string_op_refuses_a_traced_tensor(call):
    f = tf.function(call)
    with pytest.raises(TypeError, match=r"tf\.strings\.\w+ cannot run inside a tf.function"):
        f(tf.constant(1))


def test_dataset_map_with_string_ops_runs_per_element():
    ds = tf.data.Dataset.from_tensor_slices(["a b", "c d e"])
    lengths = [t.numpy().tolist() for t in ds.map(lambda s: tf.strings.length(s))]
    assert lengths == [3, 5]
    tokens = [t.numpy().tolist() for t in ds.map(tf.strings.split)]
    assert tokens == [[b"a", b"b"], [b"c", b"d", b"e"]]


def test_string_ops_go_through_bind():
    seen = []

    def observe(op, inputs, attrs, out):
        seen.append(op)

    EAGER_OBSERVERS.append(observe)
    try:
        tf.strings.length(["a"])
        tf.strings.as_string([1.5])
        tf.strings.split(["a b"])
        tf.strings.unicode_encode([[65]], "UTF-8")
    finally:
        EAGER_OBSERVERS.remove(observe)
    assert seen[:4] == ["string_length", "as_string", "string_split", "unicode_encode"]


def test_string_ops_under_a_gradient_tape():
    x = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = x * x
        text = tf.strings.as_string(y, precision=1)
    assert text.numpy() == b"4.0"
    assert float(tape.gradient(y, x)) == 4.0


def test_numeric_results_are_device_arrays_and_strings_host_arrays():
    lengths = tf.strings.length(["ab"])
    assert not isinstance(lengths._value, np.ndarray)
    assert isinstance(tf.strings.upper(["ab"])._value, np.ndarray)


@pytest.mark.parametrize("pattern, text, expected", [
    (r"\w+", "héllo", ["h", "llo"]),  # RE2's \w is ASCII
    (r"a$", "a\n", []),  # RE2's $ is the end of the text
    (r"(?i)É", "é", ["é"]),
    (r"[[:digit:]]+", "a12b3", ["12", "3"]),
    (r"\pN", "1٣x", ["1", "٣"]),
])
def test_re2_translation(pattern, text, expected):
    assert compile_re2(pattern.encode()).findall(text) == expected


@pytest.mark.parametrize("pattern, message", [
    ("a(", "missing ): a("), ("a)", "unexpected ): a)"), ("a**", "bad repetition operator: **"),
    ("(?=x)", "invalid perl operator: (?="), (r"(a)\1", r"invalid escape sequence: \1"),
    ("x{1001}", "invalid repetition size: {1001}"),
])
def test_re2_refusals(pattern, message):
    with pytest.raises(Re2SyntaxError, match=f"^{__import__('re').escape(message)}$"):
        compile_re2.__wrapped__(pattern.encode())


def test_fingerprint64_known_values():
    # TensorFlow: tf.strings.to_hash_bucket_fast(s, 2**63 - 1) for these strings
    assert fingerprint64(b"") % (2 ** 63 - 1) == 0x9ae16a3b2f90404f % (2 ** 63 - 1)
    assert [fingerprint64(s) % 3 for s in (b"Hello", b"TensorFlow", b"2.x", b"")] == [0, 2, 2, 2]
