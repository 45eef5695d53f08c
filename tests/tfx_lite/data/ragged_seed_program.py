"""The issue's seed program and variations on it: ragged arithmetic, row means, concat, tile and map_fn,
and how ragged tensors of floats, large values and strings print (numpy-style wrapping and float formats)
(run by tests/tfx_lite/test_ragged.py; ragged_seed_program.tf.txt is what TensorFlow 2.21 printed)."""
import sys
if sys.argv[1] == "tf":
    import tensorflow as tf
else:
    import tfx_lite as tf
import numpy as np

digits = tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []])
words = tf.ragged.constant([["So", "long"], ["thanks", "for", "all", "the", "fish"]])
print(tf.add(digits, 3))
print(tf.reduce_mean(digits, axis=1))
print(tf.concat([digits, [[5, 3]]], axis=0))
print(tf.tile(digits, [1, 2]))
print(tf.map_fn(tf.math.square, digits))

print("== variations")
print(digits[0])
print(digits[1:3])
print(tf.reduce_sum(digits, axis=1))
print(tf.reduce_max(digits, axis=1))
print(tf.cast(digits, tf.float32) / 4)  # 4: XLA CPU rounds vectorised float32 division by 3 differently
print(tf.concat([digits, digits], axis=1))
print(tf.map_fn(lambda r: tf.reduce_sum(r), digits, fn_output_signature=tf.int32))
print(words)
print(words.to_tensor())
print(words[1, 2])
print(tf.ragged.constant([[u"caf\u00e9"], []]))

print("== printing")
print(tf.ragged.constant([[1.5, 2.0], [], [1e-05, -0.5]]))
print(tf.ragged.constant([[np.nan, np.inf, -np.inf], [0.1]]))
print(tf.ragged.constant([[1e10, 1.0], [3.25]]))
print(tf.ragged.constant([[1e-10, 1.0]], dtype=tf.float64))
print(tf.ragged.constant([[0.1, 0.2], [1 / 3]], dtype=tf.float64))
print(tf.ragged.constant([[1.0, 2.0], [3.0]], dtype=tf.float16))
print(tf.ragged.constant([[123456789, -5], [7]], dtype=tf.int64))
print(tf.ragged.constant([list(range(30)), [], list(range(100, 125))]))
print(tf.ragged.constant([[float(i) / 7 for i in range(12)], [2.5]]))
print(tf.ragged.constant([list(range(2000))]))
print(tf.ragged.range(tf.range(12)))
print(tf.ragged.constant([[[1.5, 2.0], [3.0]], [[4.25]]]))
print(tf.ragged.constant([["a" * 30, "b" * 30, "c" * 30], ["d"]]))
print(tf.ragged.constant([[True, False] * 10, []]))
print(tf.ragged.constant([[1, 2]], dtype=tf.uint8))
print(tf.ragged.constant([[1 + 2j, 3j]], dtype=tf.complex64))
print(str(digits) == repr(digits))
print(tf.ragged.constant([[], []], dtype=tf.int32))
print(tf.ragged.constant([[[]], []]))
