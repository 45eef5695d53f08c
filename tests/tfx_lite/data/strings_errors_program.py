"""tf.strings errors: the exception type, the stable first line of the message and the kernel
named in it (run by tests/tfx_lite/test_strings.py; strings_errors_program.tf.txt is what
TensorFlow 2.21 printed)."""
import re
import sys
if sys.argv[1] == "tf":
    import tensorflow as tf
else:
    import tfx_lite as tf

S = tf.strings


def attempt(label, fn):
    try:
        r = fn()
    except Exception as e:  # noqa: BLE001 -- the program reports what was raised
        text = re.sub(r"^\{\{function_node [^}]*\}\} ", "", str(e))
        line = text.splitlines()[0] if text else ""
        line = re.sub(r"( \[Op:\w+\])?( name: .*)?$", "", line)
        op = re.search(r"\[Op:(\w+)\]", text)
        print(f"{label}: {type(e).__name__}" + (" (an OpError)" if isinstance(e, tf.errors.OpError) else ""))
        print("   ", line)
        if op:
            print("    op:", op.group(1))
        return
    print(f"{label}: no error, {r!r}")


attempt("length of int", lambda: S.length([1, 2]))
attempt("length of int tensor", lambda: S.length(tf.constant([1, 2])))
attempt("length bad unit", lambda: S.length(["a"], unit="CHAR"))
attempt("substr out of range", lambda: S.substr(["Hello", "World"], 6, 1))
attempt("substr negative out of range", lambda: S.substr(["Hello", "World"], -6, 1))
attempt("substr out of range second", lambda: S.substr(["Hello", "Wo"], 3, 1))
attempt("substr out of range scalar", lambda: S.substr("Hello", 6, 1))
attempt("substr out of range 2d", lambda: S.substr([["Hello", "World"], ["abc", "de"]], 3, 1))
attempt("substr empty string negative", lambda: S.substr([""], -1, 1))
attempt("substr utf8 out of range", lambda: S.substr(["héllo", "语言ab"], 5, 2, unit="UTF8_CHAR"))
attempt("substr utf8 negative out of range", lambda: S.substr(["héllo"], -6, 1, unit="UTF8_CHAR"))
attempt("substr utf8 negative pos and len", lambda: S.substr(["Hello"], -2, -1, unit="UTF8_CHAR"))
attempt("substr broadcast out of range 1d", lambda: S.substr("ab", [0, 3], [1, 2]))
attempt("substr broadcast out of range 2d", lambda: S.substr([["Hello", "World"], ["abc", "de"]], [[0, 3]], [[1, 2]]))
attempt("substr broadcast utf8 out of range", lambda: S.substr("héllo", [0, 9], [1, 2], unit="UTF8_CHAR"))
attempt("substr broadcast utf8 out of range 2d", lambda: S.substr([["héllo"]], [[0, 9]], [[1, 2]], unit="UTF8_CHAR"))
attempt("substr pos/len shapes", lambda: S.substr(["Hello", "World"], [0, 1, 2], 1))
attempt("substr pos/len shapes 2", lambda: S.substr(["Hello", "World"], [0, 1], [1, 2, 3]))
attempt("substr pos shape vs len scalar", lambda: S.substr([["Hello", "World"], ["ab", "cd"]], [0, 1], 1))
attempt("substr incompatible", lambda: S.substr(["a", "b", "c"], [0, 1], [1, 2]))
attempt("substr 3d broadcast", lambda: S.substr([[["Hello", "World"]]], [[[0]], [[1]]], [[[1]], [[2]]]))
attempt("substr float pos", lambda: S.substr(["Hello"], 1.0, 2))
attempt("substr pos/len dtypes", lambda: S.substr(["abc"], tf.constant([0], tf.int64), tf.constant([1], tf.int32)))
attempt("substr bad unit", lambda: S.substr(["Hello"], 1, 2, unit="X"))
attempt("upper bad encoding", lambda: S.upper(["a"], encoding="latin1"))
attempt("lower UTF-8 spelling", lambda: S.lower(["a"], encoding="UTF-8"))
attempt("split sep int", lambda: S.split(["a,b"], sep=1))
attempt("split sep not scalar", lambda: S.split(["a b"], sep=["a", "b"]))
attempt("join shapes", lambda: S.join([["a", "b"], ["x", "y", "z"]]))
attempt("join shapes 2", lambda: S.join([[["a"], ["b"]], ["x", "y"]]))
attempt("join int", lambda: S.join([["a"], [1]]))
attempt("reduce_join axis out of range", lambda: S.reduce_join([["a", "b"]], axis=2))
attempt("reduce_join negative axis out of range", lambda: S.reduce_join([["a", "b"]], axis=-3))
attempt("reduce_join scalar axis", lambda: S.reduce_join("abc", axis=0))
attempt("reduce_join duplicate axis", lambda: S.reduce_join([["a", "b"]], axis=[1, 1]))
attempt("reduce_join duplicate negative axis", lambda: S.reduce_join([["a", "b"]], axis=[1, -1]))
attempt("reduce_join int", lambda: S.reduce_join([1, 2]))
attempt("reduce_join float axis", lambda: S.reduce_join([["a"]], axis=1.0))
for text in ["abc", "", " ", "1.5f", "1,5", "1 2", "1e", "1_000", "١", "0x", ".", "e5", "+-1", "infin"]:
    attempt(f"to_number float32 {text!r}", lambda: S.to_number([text]))
for text in ["3.0", "2147483648", "-2147483649", "0x10", "", "1e3", "99999999999999999999"]:
    attempt(f"to_number int32 {text!r}", lambda: S.to_number([text], tf.int32))
attempt("to_number int64 overflow", lambda: S.to_number(["9223372036854775808"], tf.int64))
attempt("to_number uint32 negative", lambda: S.to_number(["-1"], tf.uint32))
attempt("to_number uint32 -0", lambda: S.to_number(["-0"], tf.uint32))
attempt("to_number uint64 overflow", lambda: S.to_number(["18446744073709551616"], tf.uint64))
attempt("to_number second element", lambda: S.to_number(["1", "x"]))
attempt("to_number int16", lambda: S.to_number(["1"], tf.int16))
attempt("to_number string", lambda: S.to_number(["1"], tf.string))
attempt("to_number of int", lambda: S.to_number([1]))
attempt("as_string scientific and shortest", lambda: S.as_string([1.0], scientific=True, shortest=True))
attempt("as_string int scientific", lambda: S.as_string([1], scientific=True))
attempt("as_string int shortest", lambda: S.as_string([1], shortest=True))
attempt("as_string int precision", lambda: S.as_string([1], precision=2))
attempt("as_string bool precision", lambda: S.as_string([True], precision=2))
attempt("as_string bool shortest", lambda: S.as_string([True], shortest=True))
attempt("as_string fill x", lambda: S.as_string([1.5], width=12, fill="x"))
attempt("as_string fill 2 chars", lambda: S.as_string([1.5], width=12, fill="00"))
attempt("format count", lambda: S.format("a{}b{}", [tf.constant(1)]))
attempt("format no placeholder", lambda: S.format("abc", [tf.constant(1)]))
attempt("format python int", lambda: S.format("a{}", 5))
attempt("regex_full_match bad pattern", lambda: S.regex_full_match(["abc"], "a("))
attempt("regex_full_match bad pattern tensor", lambda: S.regex_full_match(["abc"], tf.constant("a(")))
attempt("regex_full_match int pattern", lambda: S.regex_full_match(["ab"], 1))
attempt("regex_replace pattern not scalar", lambda: S.regex_replace(["ab"], tf.constant(["a", "b"]), "x"))
attempt("regex_replace int input", lambda: S.regex_replace([1], "a", "b"))
for pattern in ["(", "a)", "[a", "[z-a]", "*a", "a**", "a++", "a\\", "\\m", "(?=b)", "(?<x>a)", "(a)\\1",
                "a{1001}", "(?<=a)b", "(?!a)", "(?#c)"]:
    attempt(f"regex_replace pattern {pattern!r}", lambda: S.regex_replace(["ab"], pattern, "x"))
attempt("regex_replace bad pattern tensor", lambda: S.regex_replace(["ab"], tf.constant("("), "x"))
attempt("unicode_decode strict", lambda: S.unicode_decode([b"a\xffb"], "UTF-8", errors="strict"))
attempt("unicode_decode bad encoding", lambda: S.unicode_decode(["a"], "foo"))
attempt("unicode_decode bad errors", lambda: S.unicode_decode(["a"], "UTF-8", errors="bad"))
attempt("unicode_decode replacement range", lambda: S.unicode_decode([b"\xff"], "UTF-8", replacement_char=0x110000))
attempt("unicode_split strict", lambda: S.unicode_split([b"\xc3"], "UTF-8", errors="strict"))
attempt("unicode_encode strict", lambda: S.unicode_encode([[104, -1]], "UTF-8", errors="strict"))
attempt("unicode_encode int64", lambda: S.unicode_encode(tf.constant([[104]], tf.int64), "UTF-8"))
attempt("unicode_encode float", lambda: S.unicode_encode([[104.0]], "UTF-8"))
attempt("unicode_encode scalar", lambda: S.unicode_encode(104, "UTF-8"))
attempt("unicode_encode bad encoding", lambda: S.unicode_encode([[104]], "UTF-8X"))
attempt("unicode_encode replacement range", lambda: S.unicode_encode([[104, -1]], "UTF-8", replacement_char=-1))
attempt("to_hash_bucket_fast 0 buckets", lambda: S.to_hash_bucket_fast(["a"], 0))
attempt("equal incompatible", lambda: tf.equal(tf.constant(["a", "b"]), tf.constant(["a", "b", "c"])))
attempt("equal int", lambda: tf.equal(tf.constant(["a"]), 1))
attempt("== int", lambda: tf.constant(["a"]) == 1)
attempt("cast string to int", lambda: tf.cast(tf.constant(["1"]), tf.int32))
