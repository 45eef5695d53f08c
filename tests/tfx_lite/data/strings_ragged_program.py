"""tf.strings with RaggedTensors: ops that return ragged results (split, unicode_decode,
unicode_split, bytes_split) and string ops applied to ragged string tensors (run by
tests/tfx_lite/test_strings.py; strings_ragged_program.tf.txt is what TensorFlow 2.21 printed)."""
from program import tf

S = tf.strings


def show(label, fn):
    try:
        r = fn()
    except Exception as e:  # noqa: BLE001 -- the program reports what was raised
        print(f"{label}: {type(e).__name__}")
        return
    print("==", label)
    print(r)
    if isinstance(r, tf.RaggedTensor):
        print(" ", r.dtype.name, r.shape, r.ragged_rank, r.row_splits.dtype.name, r.to_list())
    elif isinstance(r, tf.Tensor):
        print(" ", repr(r), r.dtype.name, r.shape)


words = tf.ragged.constant([["So", "long"], ["thanks", "for", "all", "the", "fish"]])
nested = tf.ragged.constant([[["a", "b"], ["c"]], [[], ["d", "e", "f"]]])

# ops returning ragged tensors
show("split", lambda: S.split(["hello world", "a  b c", "", "   "]))
show("split whitespace kinds", lambda: S.split(["a\tb\nc\rd\ve\ff  g", "a\u00a0b c\u2003d"]))
show("split sep", lambda: S.split(["1<>2<><>3", "<>x<>", ""], sep="<>"))
show("split maxsplit", lambda: S.split(["a b c d", "x", "  a  b  c  ", "a b"], maxsplit=1))
show("split maxsplit 2", lambda: S.split(["a b"], maxsplit=2))
show("split maxsplit sep", lambda: S.split(["a,b,,c,d"], sep=",", maxsplit=2))
show("split maxsplit 0", lambda: S.split(["  a b c", ""], maxsplit=0))
show("split empty sep", lambda: S.split(["a b"], sep=""))
show("split sep tensor", lambda: S.split(["a,b"], sep=tf.constant(",")))
show("split utf8", lambda: S.split(["语言 héllo 😀"]))
show("split 2d", lambda: S.split([["a b", "c"], ["d e f", ""]]))
show("split 3d", lambda: S.split([[["a b"]], [["c"]]]))
show("split empty", lambda: S.split(tf.constant([], tf.string)))
show("bytes_split", lambda: S.bytes_split(["hello", "é", ""]))
show("bytes_split 2d", lambda: S.bytes_split([["ab"], ["c"]]))
show("bytes_split empty", lambda: S.bytes_split(tf.constant([], tf.string)))
show("unicode_decode", lambda: S.unicode_decode(["Göödnight", "😊", ""], "UTF-8"))
show("unicode_decode 2d", lambda: S.unicode_decode([["ab", "语"], ["", "x"]], "UTF-8"))
show("unicode_decode 3d", lambda: S.unicode_decode([[["ab"]]], "UTF-8"))
show("unicode_decode invalid", lambda: S.unicode_decode(
    [b"a\xffb", b"\xc3", b"\xe8\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf"], "UTF-8"))
show("unicode_decode ignore", lambda: S.unicode_decode([b"a\xffb", b"\xc3", b"\xed\xa0\x80"], "UTF-8",
                                                       errors="ignore"))
show("unicode_decode replacement", lambda: S.unicode_decode([b"a\xffb"], "UTF-8", replacement_char=63))
show("unicode_decode surrogate replacement", lambda: S.unicode_decode([b"\xff"], "UTF-8", replacement_char=0xD800))
show("unicode_decode control", lambda: S.unicode_decode([b"a\x01\x00b\x1f\x7f"], "UTF-8",
                                                        replace_control_characters=True))
show("unicode_decode UTF8 alias", lambda: S.unicode_decode(["aé"], "UTF8"))
show("unicode_decode latin-1", lambda: S.unicode_decode([b"a\xe9"], "ISO-8859-1"))
show("unicode_decode UTF-16-BE", lambda: S.unicode_decode([b"\x00a\xd8=\xde\n", b"a"], "UTF-16-BE"))
show("unicode_decode empty", lambda: S.unicode_decode(tf.constant([], tf.string), "UTF-8"))
show("unicode_split", lambda: S.unicode_split(["Göö", "😊", ""], "UTF-8"))
show("unicode_split invalid", lambda: S.unicode_split([b"a\xffb"], "UTF-8"))
show("unicode_split ignore", lambda: S.unicode_split([b"a\xffb"], "UTF-8", errors="ignore"))
show("unicode_split 2d", lambda: S.unicode_split([["hé"], ["x"]], "UTF-8"))

# ragged inputs
show("substr", lambda: S.substr(words, 0, 2))
show("length", lambda: S.length(words))
show("length utf8", lambda: S.length(tf.ragged.constant([["héllo"], []]), unit="UTF8_CHAR"))
show("upper", lambda: S.upper(words))
show("lower utf-8", lambda: S.lower(tf.ragged.constant([["ÉA"], ["B"]]), encoding="utf-8"))
show("strip", lambda: S.strip(tf.ragged.constant([[" a "], []])))
show("regex_replace", lambda: S.regex_replace(words, "o", "0"))
show("regex_full_match", lambda: S.regex_full_match(words, ".o.*"))
show("to_number", lambda: S.to_number(tf.ragged.constant([["1", "2.5"], []])))
show("to_number int64", lambda: S.to_number(tf.ragged.constant([["1"], ["2", "3"]]), tf.int64))
show("as_string", lambda: S.as_string(tf.ragged.constant([[1, 2], [3]])))
show("as_string float", lambda: S.as_string(tf.ragged.constant([[1.5], []]), precision=1))
show("to_hash_bucket_fast", lambda: S.to_hash_bucket_fast(words, 10))
show("equal", lambda: words == "So")
show("split ragged", lambda: S.split(tf.ragged.constant([["a b", "c"], ["d e f"]])))
show("split ragged maxsplit", lambda: S.split(tf.ragged.constant([["a b c"], []]), maxsplit=1))
show("bytes_split ragged", lambda: S.bytes_split(tf.ragged.constant([["ab"], []])))
show("unicode_decode ragged", lambda: S.unicode_decode(tf.ragged.constant([["hé", "x"], []]), "UTF-8"))
show("unicode_split ragged", lambda: S.unicode_split(tf.ragged.constant([["hé"], []]), "UTF-8"))
show("unicode_encode ragged", lambda: S.unicode_encode(
    tf.ragged.constant([[71, 246, 246, 100, 110, 105, 103, 104, 116], [128522]]), "UTF-8"))
show("unicode_encode ragged empty row", lambda: S.unicode_encode(tf.ragged.constant([[], [65]], dtype=tf.int32),
                                                                 "UTF-8"))
show("unicode_encode ragged 3d", lambda: S.unicode_encode(tf.ragged.constant([[[65, 66], [67]], [[68]]]), "UTF-8"))
show("unicode round trip", lambda: S.unicode_encode(S.unicode_decode(words, "UTF-8"), "UTF-8"))
show("join", lambda: S.join([words, "!"]))
show("join two", lambda: S.join([words, words], separator="-"))
show("reduce_join", lambda: S.reduce_join(words))
show("reduce_join keepdims", lambda: S.reduce_join(words, keepdims=True))
show("reduce_join axis 0", lambda: S.reduce_join(words, axis=0, separator="|"))
show("reduce_join axis 1", lambda: S.reduce_join(words, axis=1, separator=" "))
show("reduce_join axis 1 keepdims", lambda: S.reduce_join(words, axis=1, separator=" ", keepdims=True))
show("reduce_join axis -1", lambda: S.reduce_join(words, axis=-1, separator=" "))
show("reduce_join axes 0,1", lambda: S.reduce_join(words, axis=[0, 1], separator="."))
show("reduce_join 3d axis 2", lambda: S.reduce_join(nested, axis=2, separator="."))
show("reduce_join 3d axis 1", lambda: S.reduce_join(nested, axis=1, separator="."))
show("reduce_join 3d axis 0", lambda: S.reduce_join(nested, axis=0, separator="."))
show("reduce_join uniform inner", lambda: S.reduce_join(
    tf.ragged.constant([[["a", "b"]], [["c", "d"], ["e", "f"]]], ragged_rank=1), axis=2))
show("format", lambda: S.format("x={}", words))
show("format two", lambda: S.format("x={} y={}", [words, tf.constant([1, 2])]))
show("format summarize", lambda: S.format("{}", tf.ragged.constant([[1], [2, 3, 4, 5, 6], [], [], [7], [8, 9]]),
                                          summarize=2))
show("format quotes", lambda: S.format("{}", tf.ragged.constant([["a'b", "c\\d"], []])))
show("format floats", lambda: S.format("{}", tf.ragged.constant([[1.5, 2.0], []])))

# errors
show("join partitions", lambda: S.join([words, tf.ragged.constant([["a"], ["b"]])]))
show("unicode_encode scalar", lambda: S.unicode_encode(104, "UTF-8"))
