"""tf.RaggedTensor through tf.function (tracing, input_signature, RaggedTensorSpec) and GradientTape
(run by tests/tfx_lite/test_ragged.py; ragged_function_program.tf.txt is what TensorFlow 2.21 printed)."""
from program import run, tf  # noqa: F401


rt = tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []])

print("== tf.function")


@tf.function
def double(x):
    print("  tracing double:", type(x).__name__, x.shape, x.dtype, x.ragged_rank, x.row_splits.dtype)
    return x * 2


print(double(rt))
print(double(tf.ragged.constant([[1, 2], [3], [], [4, 5, 6], [7]])))  # same nrows, other values
print(double(tf.ragged.constant([[1, 2, 3, 4, 5, 6, 7, 8, 9]])))  # other nrows
print(double(tf.ragged.constant([[1.5], []])))  # other dtype
print("tracing count", double.experimental_get_tracing_count())


@tf.function
def rebuild(values, splits):
    r = tf.RaggedTensor.from_row_splits(values, splits)
    print("  tracing rebuild:", r.shape, r.ragged_rank)
    return tf.reduce_sum(r, axis=1), r + 1


sums, plus = rebuild(tf.constant([1.0, 2.0, 3.0, 4.0]), tf.constant([0, 1, 1, 4], tf.int64))
print(sums)
print(plus)
print(type(plus).__name__, isinstance(plus, tf.RaggedTensor), plus.shape, plus.row_splits.dtype)


@tf.function
def parts(x):
    # tfx_lite: a traced to_tensor needs its width (XLA shapes are static); without `shape`
    # it is refused (tests/tfx_lite/test_ragged.py checks that error)
    return x.values, x.row_splits, x.row_lengths(), x.nrows(), x.to_tensor(shape=[5, 4])


for t in parts(rt):
    print(t)

spec = tf.RaggedTensorSpec(shape=[None, None], dtype=tf.int32, ragged_rank=1)
print(spec)
print(spec.shape, spec.dtype, spec.ragged_rank, spec.row_splits_dtype)
print(tf.RaggedTensorSpec.from_value(rt))
print(rt._type_spec)
print(tf.RaggedTensorSpec.from_value(tf.ragged.constant([[[1.0]], []])))
print(spec.is_compatible_with(rt), spec.is_compatible_with(tf.ragged.constant([[1.0]])))


@tf.function(input_signature=[spec])
def row_max(x):
    print("  tracing row_max:", x.shape, x.ragged_rank)
    return tf.reduce_max(x, axis=1)


print(row_max(rt))
print(row_max(tf.ragged.constant([[7, 8], [9]])))
print("row_max tracing count", row_max.experimental_get_tracing_count())
run("row_max float input", lambda: row_max(tf.ragged.constant([[1.0]])), message=False)
run("row_max dense input", lambda: row_max(tf.constant([[1, 2]])), message=False)
print(row_max.get_concrete_function().structured_outputs.shape)


@tf.function
def to_ragged(x):
    # tfx_lite: with `padding` the number of values follows the data, which XLA cannot trace
    # (test_ragged.py checks that error); without it every row keeps its width
    return tf.RaggedTensor.from_tensor(x)


print(to_ragged(tf.constant([[1, 2, 0], [0, 0, 0], [3, 0, 0]])))

print("== GradientTape")
values = tf.constant([1.0, 2.0, 3.0, 4.0])
with tf.GradientTape() as tape:
    tape.watch(values)
    r = tf.RaggedTensor.from_row_splits(values, [0, 3, 3, 4])
    loss = tf.reduce_sum(r * r)
g = tape.gradient(loss, values)
print(type(g).__name__, g)

v = tf.Variable([0.5, -1.0, 2.0])
with tf.GradientTape() as tape:
    r = tf.RaggedTensor.from_row_lengths(v, [2, 1])
    loss = tf.reduce_sum(r * r * tf.ragged.constant([[1.0, 2.0], [3.0]]))
g = tape.gradient(loss, v)
print(type(g).__name__, isinstance(g, tf.Tensor), g)
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(tf.ragged.constant([[1.0, 2.0], [3.0]]) * tf.RaggedTensor.from_row_splits(v, [0, 2, 3]))
print("ragged constant * ragged variable", tf.convert_to_tensor(tape.gradient(loss, v)))  # TF: IndexedSlices
with tf.GradientTape() as tape:
    r = tf.RaggedTensor.from_row_lengths(v, [2, 1])
    loss = tf.reduce_sum(r.to_tensor() ** 2)
print("through to_tensor", tf.convert_to_tensor(tape.gradient(loss, v)))  # TF: IndexedSlices
with tf.GradientTape() as tape:
    r = tf.RaggedTensor.from_row_lengths(v, [2, 1])
    loss = tf.reduce_sum(tf.concat([r, r * 2], axis=1))
print("through concat", tape.gradient(loss, v))
with tf.GradientTape() as tape:
    r = tf.RaggedTensor.from_row_lengths(v, [2, 1])
    loss = tf.reduce_sum(r[0]) + 10 * tf.reduce_sum(r[1:])
print("through indexing", tape.gradient(loss, v))

v2 = tf.Variable([1.0, 2.0, 3.0, 4.0, 5.0])
with tf.GradientTape(persistent=True) as tape:
    r = tf.RaggedTensor.from_row_lengths(v2, [2, 0, 3])
    means = tf.reduce_mean(r, axis=1)
    loss = tf.reduce_sum(tf.where(tf.math.is_nan(means), 0.0, means) * [1.0, 10.0, 100.0])
    loss2 = tf.reduce_sum(tf.reduce_max(r, axis=1) * [1.0, 0.0, 1.0])
print(means)
print("through reduce_mean", tape.gradient(loss, v2))
print("through reduce_max", tape.gradient(loss2, v2))
g = tape.gradient(r, v2)
print(type(g).__name__, g)
