"""tf.strings ops on ragged string tensors (the seed program's substr line) and string ops that
return ragged tensors (split, bytes_split, unicode_decode)
(run by tests/tfx_lite/test_ragged.py; ragged_strings_program.tf.txt is what TensorFlow 2.21 printed)."""
from program import run, tf  # noqa: F401


words = tf.ragged.constant([["So", "long"], ["thanks", "for", "all", "the", "fish"]])
print(tf.strings.substr(words, 0, 2))
run("length", lambda: tf.strings.length(words))
run("upper", lambda: tf.strings.upper(words))
run("join", lambda: tf.strings.reduce_join(words, axis=1, separator=" "))
run("concat", lambda: words + "!")
run("equal", lambda: tf.equal(words, "the"))
run("split", lambda: tf.strings.split(["a b c", "", "de  f"]))
run("split sep", lambda: tf.strings.split(tf.constant(["a,b", "c"]), sep=","))
run("split scalar", lambda: tf.strings.split("x y"))
run("bytes_split", lambda: tf.strings.bytes_split(["ab", "", "c"]))
run("unicode_decode", lambda: tf.strings.unicode_decode(["h\u00e9", "\u20ac"], "UTF-8"))
run("to_number", lambda: tf.strings.to_number(tf.ragged.constant([["1.5", "2"], []])))
run("split then to_tensor", lambda: tf.strings.split(["a b c", "d"]).to_tensor(default_value="-"))
