"""tf.strings on dense string tensors: values, dtypes, shapes and printed forms (run by
tests/tfx_lite/test_strings.py; strings_program.tf.txt is what TensorFlow 2.21 printed)."""
from program import tf

S = tf.strings


def show(label, fn):
    try:
        r = fn()
    except Exception as e:  # noqa: BLE001 -- the program reports what was raised
        print(label, "raised", type(e).__name__)
        return
    print("==", label)
    if isinstance(r, tf.Tensor):
        print(r)
        print(repr(r), r.dtype.name, r.shape)
    else:
        print(repr(r))


words = tf.constant(["Hello", "héllo", "语言", "😀 emoji", ""])
grid = tf.constant([["abc", "123"], ["def", "456"]])

# string tensors: printing, equality, host implementations of array ops
show("scalar", lambda: tf.constant("So"))
show("utf8 print", lambda: tf.constant([["a", "语言"]]))
show("empty", lambda: tf.constant([], tf.string))
show("empty 2x0", lambda: tf.constant([[], []], tf.string))
show("eq str", lambda: words == "Hello")
show("ne str", lambda: words != "Hello")
show("eq bytes", lambda: tf.equal(words, b"\xc3\xa9"))
show("eq list", lambda: tf.constant(["a", "b"]) == ["a", "x"])
show("eq broadcast", lambda: tf.equal(grid, tf.constant([["abc"], ["456"]])))
show("eq incompatible ==", lambda: tf.constant(["a", "b"]) == tf.constant(["a", "b", "c"]))
show("eq none", lambda: tf.constant(["a"]) == None)  # noqa: E711
show("add", lambda: words + "!")
show("radd", lambda: "<" + words)
show("concat", lambda: tf.concat([words, ["x"]], 0))
show("stack", lambda: tf.stack([grid, grid], axis=1))
show("gather", lambda: tf.gather(words, [2, 0, 2]))
show("gather_nd", lambda: tf.gather_nd(grid, [[1, 0], [0, 1]]))
show("reshape", lambda: tf.reshape(grid, [4]))
show("transpose", lambda: tf.transpose(grid))
show("where", lambda: tf.where([True, False], tf.constant(["a", "b"]), tf.constant(["c", "d"])))
show("boolean_mask", lambda: tf.boolean_mask(words, [True, False, True, False, True]))
show("slice", lambda: words[1:3])
show("index", lambda: grid[1, 0])
show("tile", lambda: tf.tile(tf.constant(["a", "b"]), [2]))
show("expand_dims", lambda: tf.expand_dims(words, 0))
show("fill", lambda: tf.fill([2], "x"))
show("zeros_like", lambda: tf.zeros_like(words))
show("unique", lambda: tf.unique(tf.constant(["b", "a", "b"])).y)
show("reverse", lambda: tf.reverse(words, [0]))
show("identity", lambda: tf.identity(grid))
show("size", lambda: tf.size(words))
show("shape", lambda: tf.shape(grid))

# length
show("length", lambda: S.length(words))
show("length utf8", lambda: S.length(words, unit="UTF8_CHAR"))
show("length invalid utf8", lambda: S.length([b"\xff\xfeab"], unit="UTF8_CHAR"))
show("length scalar", lambda: S.length("abc"))
show("length 2d", lambda: S.length(grid))
show("length empty", lambda: S.length(tf.constant([], tf.string)))

# substr
show("substr", lambda: S.substr(["Hello", "World"], 1, 3))
show("substr negative pos", lambda: S.substr(["Hello", "World"], -3, 2))
show("substr elementwise", lambda: S.substr(["Hello", "World"], [0, 1], [1, 2]))
show("substr broadcast scalar input", lambda: S.substr("Hello", [0, 1, 2], [1, 2, 3]))
show("substr broadcast 2d", lambda: S.substr([["Hello", "World"], ["abc", "de"]], [[0, 1]], [[1, 2]]))
show("substr scalar pos 2d", lambda: S.substr(grid, 1, 1))
show("substr pos at end", lambda: S.substr(["Hello"], 5, 1))
show("substr long len", lambda: S.substr(["Hello"], 2, 100))
show("substr negative len", lambda: S.substr(["Hello"], 2, -1))
show("substr negative pos and len", lambda: S.substr(["Hello"], -2, -1))
show("substr bytes of utf8", lambda: S.substr(["héllo"], 1, 1))
show("substr utf8", lambda: S.substr(["héllo", "语言ab"], 1, 2, unit="UTF8_CHAR"))
show("substr utf8 negative", lambda: S.substr(["héllo", "语言ab"], -3, 2, unit="UTF8_CHAR"))
show("substr utf8 negative len", lambda: S.substr(["Hello"], 1, -1, unit="UTF8_CHAR"))
show("substr utf8 long", lambda: S.substr(["héllo"], -2, 100, unit="UTF8_CHAR"))
show("substr utf8 broadcast", lambda: S.substr("héllo", [0, 1], [1, 2], unit="UTF8_CHAR"))
show("substr int64", lambda: S.substr(["Hello", "World"], tf.constant(1, tf.int64), 2))
show("substr empty", lambda: S.substr(tf.constant([], tf.string), 0, 1))
show("substr empty string", lambda: S.substr([""], 0, 1))

# upper, lower, strip
show("upper", lambda: S.upper(["héllo Wörld", "abc", "语言", ""]))
show("upper utf-8", lambda: S.upper(["héllo Wörld ß ǆ", "abc"], encoding="utf-8"))
show("lower", lambda: S.lower(["HÉLLO", "ABC"]))
show("lower utf-8", lambda: S.lower(["HÉLLO İ Σ", "ABC"], encoding="utf-8"))
show("strip", lambda: S.strip(["  a b  ", "\t\nx\r\v\f", "", "\u00a0y\u00a0"]))
show("strip scalar", lambda: S.strip(" x "))

# split of a scalar (dense), bytes_split / unicode_split / unicode_decode of a scalar
show("split scalar", lambda: S.split("  hello   world  "))
show("split scalar sep", lambda: S.split("a,b,,c", ","))
show("split scalar maxsplit", lambda: S.split("a b c", maxsplit=1))
show("bytes_split scalar", lambda: S.bytes_split("héllo"))
show("unicode_split scalar", lambda: S.unicode_split("Gö😀", "UTF-8"))
show("unicode_decode scalar", lambda: S.unicode_decode("héllo", "UTF-8"))

# join, reduce_join
show("join", lambda: S.join(["a", "b"]))
show("join tensors", lambda: S.join([["a", "b"], ["c", "d"]], separator="-"))
show("join broadcast scalar", lambda: S.join([["a", "b"], "x", words[:2]], separator="+"))
show("join one", lambda: S.join([["a", "b"]]))
show("join none", lambda: S.join([]))
show("reduce_join", lambda: S.reduce_join(grid))
show("reduce_join axis 0", lambda: S.reduce_join(grid, axis=0))
show("reduce_join axis -1", lambda: S.reduce_join(grid, axis=-1, separator=" "))
show("reduce_join keepdims", lambda: S.reduce_join(grid, axis=1, keepdims=True))
show("reduce_join all keepdims", lambda: S.reduce_join(grid, keepdims=True))
show("reduce_join axes 0,1", lambda: S.reduce_join(grid, axis=[0, 1]))
show("reduce_join axes 1,0", lambda: S.reduce_join(grid, axis=[1, 0]))
show("reduce_join axis tensor", lambda: S.reduce_join(grid, axis=tf.constant(1)))
show("reduce_join no axes", lambda: S.reduce_join(grid, axis=[]))
show("reduce_join scalar", lambda: S.reduce_join("abc"))
show("reduce_join empty", lambda: S.reduce_join(tf.constant([], tf.string)))
show("reduce_join empty rows", lambda: S.reduce_join(tf.constant([[], []], tf.string), axis=1, separator=","))
cube = tf.constant([[["a", "b"], ["c", "d"]], [["e", "f"], ["g", "h"]]])
show("reduce_join 3d axis 1", lambda: S.reduce_join(cube, axis=1, separator="."))
show("reduce_join 3d axes 0,2", lambda: S.reduce_join(cube, axis=[0, 2], separator="."))
show("unsorted_segment_join", lambda: S.unsorted_segment_join(["this", "a", "test", "is"], [0, 1, 1, 0], 2, " "))
show("unsorted_segment_join 2d", lambda: S.unsorted_segment_join(
    [["Y", "q", "c"], ["Y", "6", "6"], ["p", "G", "a"]], [1, 0, 1], 3, separator=":"))

# to_number
show("to_number", lambda: S.to_number(["1.55", "3", "-2e3", " 4 ", "inf", "-inf", "nan", "0x10", "1e40",
                                       "1.5e-50", "+7", ".5", "5.", "infinity", "0x1.8p1", "nan(12)"]))
show("to_number float32 rounding", lambda: S.to_number(["0.1", "16777217", "3.4028235e38", "1e-45", "1e-46"]))
show("to_number float64", lambda: S.to_number(["1.55", "1e300", "0.1"], tf.float64))
show("to_number int32", lambda: S.to_number(["3", " 3 ", "-3", "+3", "2147483647", "-2147483648", "010"], tf.int32))
show("to_number int64", lambda: S.to_number(["9223372036854775807", "-9223372036854775808"], tf.int64))
show("to_number uint32", lambda: S.to_number(["4294967295", "+5"], tf.uint32))
show("to_number scalar", lambda: S.to_number("7", tf.int32))
show("to_number 2d", lambda: S.to_number([["7", "8"]], tf.float64))
show("to_number empty", lambda: S.to_number(tf.constant([], tf.string)))

# as_string
f32 = tf.constant([0.0, -0.0, 1.0, 1.5, 3.14159265, 1e10, 1e-10, 123456.789, 1e20, float("inf"), float("-inf"),
                   float("nan"), 0.1, 1 / 3, 1e-5, 100000.0, 1000000.0])
show("as_string float32", lambda: S.as_string(f32))
show("as_string float64", lambda: S.as_string(tf.cast(f32, tf.float64)))
show("as_string float16", lambda: S.as_string(tf.cast(f32, tf.float16)))
show("as_string bfloat16", lambda: S.as_string(tf.cast(f32, tf.bfloat16)))
show("as_string precision", lambda: S.as_string(f32, precision=2))
show("as_string precision 0", lambda: S.as_string([1.5, 2.5, -0.5], precision=0))
show("as_string scientific", lambda: S.as_string(f32, scientific=True))
show("as_string scientific precision", lambda: S.as_string(f32, scientific=True, precision=3))
show("as_string shortest", lambda: S.as_string(f32, shortest=True))
show("as_string shortest precision", lambda: S.as_string(f32, shortest=True, precision=3))
show("as_string width", lambda: S.as_string(f32[:4], width=12))
show("as_string fill 0", lambda: S.as_string(f32[:4], width=12, fill="0"))
show("as_string fill +", lambda: S.as_string([1.5, -1.5], fill="+", width=10))
show("as_string fill -", lambda: S.as_string([1.5, -1.5], fill="-", width=10))
show("as_string fill #", lambda: S.as_string([1.0], fill="#", precision=0))
show("as_string fill space", lambda: S.as_string([5, -5], fill=" "))
show("as_string int32", lambda: S.as_string([0, -5, 42, 2147483647]))
show("as_string int32 width", lambda: S.as_string([0, -5, 42], width=5, fill="0"))
show("as_string int64", lambda: S.as_string(tf.constant([-9223372036854775808, 5], tf.int64)))
show("as_string uint8", lambda: S.as_string(tf.constant([255, 5], tf.uint8)))
show("as_string uint16", lambda: S.as_string(tf.constant([65535], tf.uint16), width=8, fill="0"))
show("as_string int8", lambda: S.as_string(tf.constant([-128, 5], tf.int8)))
show("as_string bool", lambda: S.as_string([True, False], width=7))
show("as_string string", lambda: S.as_string(["a", "b"], width=3))
show("as_string complex64", lambda: S.as_string(tf.constant([1 + 2j, -1.5 - 0.25j], tf.complex64)))
show("as_string complex128", lambda: S.as_string(tf.constant([1 + 2j], tf.complex128), precision=1))
show("as_string scalar", lambda: S.as_string(3.5))
show("as_string 2d", lambda: S.as_string([[1, 2], [3, 4]]))
show("as_string empty", lambda: S.as_string(tf.constant([], tf.float32)))
show("as_string f64 big", lambda: S.as_string(tf.constant([1e100, 1.5e-300, 123456789.123456789], tf.float64)))
show("as_string f32 shortest", lambda: S.as_string(tf.constant([1.5e-30, 123456789.0, 0.000123, 1e16, 1e15, 1e-4,
                                                                  12345678], tf.float32), shortest=True))

# format
show("format", lambda: S.format("tensor: {}, suffix", tf.range(5)))
show("format two", lambda: S.format("a: {}, b: {}", (tf.range(2), tf.constant([1.5, 2.0]))))
show("format summarized", lambda: S.format("{}", tf.range(10)))
show("format summarize 2", lambda: S.format("{}", tf.range(10), summarize=2))
show("format summarize -1", lambda: S.format("{}", tf.range(10), summarize=-1))
show("format summarize 0", lambda: S.format("{}", tf.range(10), summarize=0))
show("format 2d", lambda: S.format("{}", tf.reshape(tf.range(6), [2, 3])))
show("format 2d big", lambda: S.format("{}", tf.reshape(tf.range(100), [10, 10])))
show("format 3d", lambda: S.format("{}", tf.reshape(tf.range(8), [2, 2, 2])))
show("format 4d summarize 1", lambda: S.format("{}", tf.reshape(tf.range(120), [2, 3, 4, 5]), summarize=1))
show("format strings", lambda: S.format("x{}y", tf.constant(["a", "b c"])))
show("format string scalar", lambda: S.format("x{}y", tf.constant("hé")))
show("format escapes", lambda: S.format("{}", tf.constant([b"\x01\x7f\t\r\n", b"\xff", "it's", 'a"b', "x\\y"])))
show("format float32", lambda: S.format("{}", tf.constant([1.5, 0.1, 1e10, 1e-7, 3.0, 1 / 3, 123456789.0]),
                                        summarize=-1))
show("format float64", lambda: S.format("{}", tf.constant([1.5, 0.1, 1e10, 1e-7, 3.0, 1 / 3, 1e16], tf.float64),
                                        summarize=-1))
show("format float16", lambda: S.format("{}", tf.constant([1.5, 0.1], tf.float16)))
show("format bfloat16", lambda: S.format("{}", tf.constant([0.1, 1e10], tf.bfloat16)))
show("format nan inf", lambda: S.format("{}", tf.constant([float("nan"), float("inf"), -float("inf"), -0.0])))
show("format negative nan", lambda: S.format("{}", -tf.constant([float("nan")], tf.float64)))
show("format bool", lambda: S.format("{}", tf.constant([True, False])))
show("format int types", lambda: S.format("{} {} {}", [tf.constant([1, 200], tf.uint8),
                                                         tf.constant([-100], tf.int8),
                                                         tf.constant([2 ** 40], tf.int64)]))
show("format complex", lambda: S.format("{}", tf.constant([[1 + 2j, 3j], [1, 2]])))
show("format scalar", lambda: S.format("{}", tf.constant(7)))
show("format empty", lambda: S.format("{}", tf.constant([], tf.int32)))
show("format empty 2x0", lambda: S.format("{}", tf.zeros([2, 0])))
show("format placeholder", lambda: S.format("a%sb", [tf.constant(1)], placeholder="%s"))
show("format no inputs", lambda: S.format("abc", []))
show("format python values", lambda: S.format("a{} b{}", [5, [[1, 2]]]))
show("format variable", lambda: S.format("v={}", tf.Variable([1, 2])))

# unicode
show("unicode_encode dense", lambda: S.unicode_encode([[104, 105], [233, 0]], "UTF-8"))
show("unicode_encode 1d", lambda: S.unicode_encode([104, 105], "UTF-8"))
show("unicode_encode 3d", lambda: S.unicode_encode([[[104, 105]], [[233, 33]]], "UTF-8"))
show("unicode_encode invalid", lambda: S.unicode_encode([[104, -1, 0xD800, 0x110000]], "UTF-8"))
show("unicode_encode ignore", lambda: S.unicode_encode([[104, -1, 0xD800, 0x110000]], "UTF-8", errors="ignore"))
show("unicode_encode replacement", lambda: S.unicode_encode([[104, -1]], "UTF-8", replacement_char=63))
show("unicode_encode UTF-16-BE", lambda: S.unicode_encode([[104, 128522]], "UTF-16-BE"))
show("unicode_encode UTF-32-BE", lambda: S.unicode_encode([[104, 128522]], "UTF-32-BE"))
show("unicode_encode empty rows", lambda: S.unicode_encode(tf.zeros([2, 0], tf.int32), "UTF-8"))
show("unicode_encode empty 1d", lambda: S.unicode_encode(tf.constant([], tf.int32), "UTF-8"))

# to_hash_bucket_fast
show("to_hash_bucket_fast", lambda: S.to_hash_bucket_fast(["Hello", "TensorFlow", "2.x", ""], 3))
show("to_hash_bucket_fast long", lambda: S.to_hash_bucket_fast(["x" * n for n in (7, 15, 31, 63, 64, 65, 200)],
                                                                2 ** 62))
