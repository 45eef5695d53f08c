"""tf.data.Dataset with ragged elements: from_tensor_slices of a RaggedTensor (its rows), batch
and ragged_batch into RaggedTensors, map over rows, and the transformations around them
(run by tests/tfx_lite/test_dataset_programs.py; dataset_ragged_program.tf.txt is what TensorFlow 2.21 printed)."""
import numpy as np

from program import run, tf


def items(ds):
    return [repr(e) for e in ds]


def numpy(ds):
    return list(ds.as_numpy_iterator())


rt = tf.ragged.constant([[1, 2, 3], [4], [], [5, 6]])
ds = tf.data.Dataset.from_tensor_slices(rt)
print("== rows")
print(ds)
print(ds.element_spec)
print(int(ds.cardinality()), len(ds))
for e in ds:
    print(repr(e))
print(numpy(ds))

print("== rows beside dense components")
pairs = tf.data.Dataset.from_tensor_slices((rt, tf.constant([1., 2., 3., 4.])))
print(pairs)
for e in pairs:
    print(e)
named = tf.data.Dataset.from_tensor_slices({"a": rt, "b": tf.constant([1, 2, 3, 4])})
print(named)
print(numpy(named))
run("rows of another length", lambda: tf.data.Dataset.from_tensor_slices((rt, tf.constant([1, 2, 3]))))
floats = tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[1.5], []]))
print(floats, numpy(floats))
inner = tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[[1, 2]], [[3, 4], [5, 6]]], ragged_rank=1))
print(inner)
print(items(inner))
print(items(inner.batch(2)))
int32_splits = tf.data.Dataset.from_tensor_slices(
    tf.RaggedTensor.from_row_lengths([1, 2, 3], tf.constant([1, 2], tf.int32)))
print(int32_splits, int32_splits.batch(2))
print(items(int32_splits.batch(2)))

print("== batch")
b = ds.batch(3)
print(b, int(b.cardinality()))
for e in b:
    print(repr(e))
print(numpy(b))
b = ds.batch(3, drop_remainder=True)
print(b, int(b.cardinality()))
print(items(b))
b = pairs.batch(2)
print(b)
for e in b:
    print(e)
print(items(named.batch(3)))
strings = tf.data.Dataset.from_tensor_slices(tf.ragged.constant([["a", "b"], ["c"]]))
print(strings, numpy(strings.batch(2)))

print("== ragged_batch")
uniform = tf.data.Dataset.from_tensor_slices(tf.constant([[1, 2], [3, 4], [5, 6]]))
print(uniform.ragged_batch(2))
print(items(uniform.ragged_batch(2)))
print(tf.data.Dataset.range(5).ragged_batch(2), numpy(tf.data.Dataset.range(5).ragged_batch(2)))
ranges = tf.data.Dataset.range(1, 5).map(lambda x: tf.range(x))
print(ranges)
print(ranges.ragged_batch(3), items(ranges.ragged_batch(3)))
print(ranges.ragged_batch(3, drop_remainder=True), items(ranges.ragged_batch(3, drop_remainder=True)))
filled = tf.data.Dataset.range(3).map(lambda x: tf.fill([2], x))
print(filled.ragged_batch(2), items(filled.ragged_batch(2)))
blocks = tf.data.Dataset.range(1, 4).map(lambda x: tf.fill([x, 2], x))
print(blocks.ragged_batch(2), items(blocks.ragged_batch(2)))
print(blocks.ragged_batch(2, row_splits_dtype=tf.int32))
print(ds.ragged_batch(2, row_splits_dtype=tf.int32), items(ds.ragged_batch(2)))
with_lengths = tf.data.Dataset.range(1, 4).map(lambda x: (tf.range(x), x))
print(with_lengths.ragged_batch(2))
print(items(with_lengths.ragged_batch(2)))

print("== map over rows")
m = ds.map(lambda x: x * 2)
print(m, numpy(m))
m = ds.map(tf.reduce_sum)
print(m, numpy(m))
m = ds.map(lambda x: tf.shape(x))
print(m, numpy(m))
m = pairs.map(lambda x, y: (tf.cast(tf.size(x), tf.float32) + y, x))
print(m, numpy(m))
print(numpy(ds.filter(lambda x: tf.size(x) > 0)))
run("batch of mapped rows (dense again)", lambda: items(ds.map(lambda x: x + 1).batch(2)), message=False)
print(items(ds.map(lambda x: x + 1).ragged_batch(2)))
print(ds.reduce(np.int32(0), lambda s, x: s + tf.reduce_sum(x)))
print(numpy(ds.flat_map(lambda x: tf.data.Dataset.from_tensors(x))))

print("== around rows and ragged batches")
b = ds.batch(2)
for d in (ds, b):
    print(numpy(d.take(2)), numpy(d.skip(1)), numpy(d.repeat(2)), numpy(d.repeat().take(5)))
    print(sorted(repr(np.asarray(x).tolist()) for x in d.shuffle(10, seed=1).as_numpy_iterator()))
    print(numpy(d.prefetch(2)), numpy(d.prefetch(tf.data.AUTOTUNE)), numpy(d.shard(2, 0)), numpy(d.cache()))
    print(tf.data.Dataset.zip((d, d)), numpy(tf.data.Dataset.zip((d, d))))
    print(d.enumerate(), numpy(d.enumerate()))
    print(d.concatenate(d), numpy(d.concatenate(d)))
    run("concatenate with dense", lambda: d.concatenate(tf.data.Dataset.from_tensor_slices([[1, 2]])))
    run("padded_batch", lambda: d.padded_batch(2))
print(b.unbatch(), numpy(b.unbatch()))
print(b.rebatch(3), numpy(b.rebatch(3)))
print(pairs.batch(3).unbatch(), numpy(pairs.batch(3).unbatch()))
print(numpy(ds.batch(2).unbatch().batch(3)))
