"""tf.RaggedTensor array ops: concat/stack/tile, gather/boolean_mask, map_fn and map_flat_values, the
tf.ragged helpers (range, stack, segment ids), tf.shape/size/rank, merge_dims, *_like, expand_dims
(run by tests/tfx_lite/test_ragged.py; ragged_array_ops_program.tf.txt is what TensorFlow 2.21 printed)."""
from program import run, tf  # noqa: F401


rt = tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []])
ft = tf.ragged.constant([[1.5, -2.0], [0.25], [], [4.0, 3.0, -1.0]])
rt2 = tf.ragged.constant([[[1, 2], [3]], [], [[4], [], [5, 6, 7]]])

print("== concat / stack / tile")
run("concat axis 0", lambda: tf.concat([rt, [[5, 3]]], axis=0))
run("concat axis 0 ragged", lambda: tf.concat([rt, rt[:2]], axis=0))
run("concat axis 1", lambda: tf.concat([rt, rt], axis=1))
run("concat axis 1 dense", lambda: tf.concat([rt, tf.zeros([5, 1], tf.int32)], axis=1))
run("concat axis -1", lambda: tf.concat([rt, rt * 10], axis=-1))
run("concat nrows mismatch", lambda: tf.concat([rt, rt[:2]], axis=1))
run("stack axis 0", lambda: tf.stack([rt, rt * 2], axis=0))
run("stack axis 1", lambda: tf.stack([rt, rt * 2], axis=1))
run("ragged.stack", lambda: tf.ragged.stack([[1, 2], [3], rt[0]]))
run("tile [1, 2]", lambda: tf.tile(rt, [1, 2]))
run("tile [2, 1]", lambda: tf.tile(rt, [2, 1]))
run("tile [2, 3]", lambda: tf.tile(tf.ragged.constant([[1, 2], [3]]), [2, 3]))

print("== gather / boolean_mask")
run("gather rows", lambda: tf.gather(rt, [2, 0, 2, 4]))
run("gather ragged indices", lambda: tf.gather(tf.constant([10, 11, 12, 13]), tf.ragged.constant([[3, 0], [], [1]])))
run("gather_nd", lambda: tf.gather_nd(rt, [[0, 1], [2, 2]]))
run("gather batch_dims=1", lambda: tf.gather(rt, tf.ragged.constant([[0, 3], [], [1], [0], []]), batch_dims=1))
run("gather out of range", lambda: tf.gather(rt, [7]), message=False)
run("boolean_mask rows", lambda: tf.boolean_mask(rt, [True, False, True, True, False]))
run("boolean_mask ragged mask", lambda: tf.boolean_mask(rt, rt > 2))
run("ragged.boolean_mask", lambda: tf.ragged.boolean_mask(rt, rt % 2 == 1))
run("ragged.boolean_mask dense", lambda: tf.ragged.boolean_mask(
    tf.constant([[1, 2, 3], [4, 5, 6]]), tf.constant([[True, False, True], [False, False, True]])))

print("== map_fn / map_flat_values")
run("map_fn square", lambda: tf.map_fn(tf.math.square, rt))
run("map_fn row sum", lambda: tf.map_fn(tf.reduce_sum, rt, fn_output_signature=tf.TensorSpec([], tf.int32)))
run("map_fn row mean float", lambda: tf.map_fn(tf.reduce_mean, ft, fn_output_signature=tf.float32))
run("map_fn to ragged", lambda: tf.map_fn(lambda r: r[:2], rt,
                                          fn_output_signature=tf.RaggedTensorSpec([None], tf.int32)))
run("map_flat_values", lambda: tf.ragged.map_flat_values(tf.multiply, rt, 3))
run("map_flat_values two", lambda: tf.ragged.map_flat_values(tf.add, rt, rt))
run("map_flat_values rank2", lambda: tf.ragged.map_flat_values(tf.negative, rt2))

print("== tf.ragged helpers")
run("range", lambda: tf.ragged.range([3, 0, 5]))
run("range starts limits", lambda: tf.ragged.range([0, 5, 8], [3, 3, 12]))
run("range deltas", lambda: tf.ragged.range([0, 10], [10, 0], [3, -4]))
run("range float", lambda: tf.ragged.range([0.5, 1.0], 2.0, 0.5))
run("row_splits_to_segment_ids", lambda: tf.ragged.row_splits_to_segment_ids([0, 2, 2, 5]))
run("segment_ids_to_row_splits", lambda: tf.ragged.segment_ids_to_row_splits([0, 0, 2, 2, 2]))
run("segment_ids_to_row_splits num_segments", lambda: tf.ragged.segment_ids_to_row_splits([0, 1], num_segments=4))
run("tf.shape", lambda: tf.shape(rt))
run("tf.shape rank2", lambda: tf.shape(rt2))
run("tf.size", lambda: tf.size(rt))
run("tf.rank", lambda: tf.rank(rt2))
run("merge_dims(0, 1)", lambda: rt.merge_dims(0, 1))
run("merge_dims rank2 (1, 2)", lambda: rt2.merge_dims(1, 2))
run("merge_dims rank2 (0, -1)", lambda: rt2.merge_dims(0, -1))
run("with_flat_values", lambda: rt.with_flat_values(rt.flat_values * 5))
run("with_values", lambda: rt.with_values(tf.range(8)))
run("ones_like", lambda: tf.ones_like(rt))
run("zeros_like float", lambda: tf.zeros_like(ft))
run("expand_dims axis 0", lambda: tf.expand_dims(rt, 0))
run("expand_dims axis 2", lambda: tf.expand_dims(rt, 2))

