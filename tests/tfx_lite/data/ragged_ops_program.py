"""tf.RaggedTensor math: elementwise ops and broadcasting against scalars, dense tensors and ragged
tensors, and reductions along each axis
(run by tests/tfx_lite/test_ragged.py; ragged_ops_program.tf.txt is what TensorFlow 2.21 printed)."""
from program import run, tf  # noqa: F401


rt = tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []])
ft = tf.ragged.constant([[1.5, -2.0], [0.25], [], [4.0, 3.0, -1.0]])
rt2 = tf.ragged.constant([[[1, 2], [3]], [], [[4], [], [5, 6, 7]]])

print("== elementwise")
run("add scalar", lambda: tf.add(rt, 3))
run("mul", lambda: rt * 2)
run("rmul", lambda: 2 * rt)
run("neg", lambda: -rt)
run("sub", lambda: 10 - rt)
run("same partition", lambda: rt + rt)
run("square", lambda: tf.math.square(ft))
run("abs", lambda: tf.abs(ft))
run("exp", lambda: tf.exp(tf.ragged.constant([[0.0], [], [1.0, -1.0]])))
run("truediv int", lambda: rt / 2)
run("floordiv", lambda: rt // 2)
run("mod", lambda: rt % 3)
run("pow", lambda: ft ** 2)
run("cast", lambda: tf.cast(rt, tf.float32))
run("greater", lambda: rt > 2)
run("equal", lambda: tf.equal(rt, 1))
run("logical_and", lambda: tf.logical_and(rt > 1, rt < 5))
run("where", lambda: tf.where(rt > 2, rt, -rt))
run("where 1-arg", lambda: tf.where(tf.ragged.constant([[True, False], [], [True]])))
run("maximum", lambda: tf.maximum(rt, 3))
run("minimum ragged", lambda: tf.minimum(rt, rt * 0 + 2))
run("ragged_rank 2 add", lambda: rt2 + 10)
run("dense [nrows, 1]", lambda: rt + tf.constant([[100], [200], [300], [400], [500]]))
run("dense scalar tensor", lambda: rt * tf.constant(3))
run("different partitions", lambda: rt + tf.ragged.constant([[1, 2], [3], [4, 5, 6], [], [7]]))
run("different nrows", lambda: rt + tf.ragged.constant([[1]]))
run("dtype mismatch", lambda: rt + tf.cast(rt, tf.float32), message=False)

print("== reductions")
for name, op in [("sum", tf.reduce_sum), ("mean", tf.reduce_mean), ("max", tf.reduce_max),
                 ("min", tf.reduce_min), ("prod", tf.reduce_prod)]:
    for axis in [0, 1, None, -1]:
        run(f"reduce_{name} axis={axis}", lambda: op(rt, axis=axis))
    run(f"reduce_{name} float axis=1", lambda: op(ft, axis=1))
    run(f"reduce_{name} axis=1 keepdims", lambda: op(rt, axis=1, keepdims=True))
for name, op in [("any", tf.reduce_any), ("all", tf.reduce_all)]:
    for axis in [0, 1, None]:
        run(f"reduce_{name} axis={axis}", lambda: op(rt > 2, axis=axis))
run("reduce_sum rank2 axis=2", lambda: tf.reduce_sum(rt2, axis=2))
run("reduce_sum rank2 axis=1", lambda: tf.reduce_sum(rt2, axis=1))
run("reduce_sum rank2 axis=0", lambda: tf.reduce_sum(rt2, axis=0))
run("reduce_sum rank2 axis=[1, 2]", lambda: tf.reduce_sum(rt2, axis=[1, 2]))
run("reduce_max float64 empty rows", lambda: tf.reduce_max(tf.ragged.constant([[1.0], []], dtype=tf.float64), axis=1))
run("reduce_sum axis=2 out of range", lambda: tf.reduce_sum(rt, axis=2))
run("reduce_variance float axis=1", lambda: tf.math.reduce_variance(ft, axis=1))
run("reduce_std float axis=1", lambda: tf.math.reduce_std(ft, axis=1))

