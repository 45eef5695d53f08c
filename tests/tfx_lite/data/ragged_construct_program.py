"""tf.RaggedTensor construction: tf.ragged.constant and the RaggedTensor.from_* factories, the
attributes and conversions of each result, and the validation errors
(run by tests/tfx_lite/test_ragged.py; ragged_construct_program.tf.txt is what TensorFlow 2.21 printed)."""
from program import tf
import numpy as np


def err(what, fn, message=True):
    """Prints the error's type and (where TF's text is not an op trace) its message's first line."""
    try:
        r = fn()
        print(what, "-> no error:", r)
    except Exception as e:  # noqa: BLE001
        text = (str(e).splitlines() or [""])[0] if message else ""
        print(f"{what} -> {type(e).__name__} {text}".rstrip())


def show(name, rt):
    print("==", name)
    print(rt)
    print(repr(rt))
    print(" shape", rt.shape, "dtype", rt.dtype, "ragged_rank", rt.ragged_rank, "splits", rt.row_splits.dtype)
    print(" values", rt.values)
    print(" flat_values", rt.flat_values)
    print(" row_splits", rt.row_splits)
    print(" nested_row_splits", [s.numpy().tolist() for s in rt.nested_row_splits])
    print(" row_lengths", rt.row_lengths())
    print(" nrows", rt.nrows())
    print(" value_rowids", rt.value_rowids())
    print(" bounding_shape", rt.bounding_shape())
    print(" to_list", rt.to_list())
    print(" numpy", repr(rt.numpy()))
    print(" to_tensor", rt.to_tensor())
    print(" isinstance", isinstance(rt, tf.RaggedTensor), "is_tensor", tf.is_tensor(rt))


digits = tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []])
show("constant int", digits)
show("constant float", tf.ragged.constant([[1.5, 2.0], [-0.25]]))
show("constant dtype float64", tf.ragged.constant([[1, 2], [3]], dtype=tf.float64))
show("constant int64 dtype", tf.ragged.constant([[1], [2, 3]], dtype=tf.int64))
show("constant bool", tf.ragged.constant([[True], [False, True], []]))
show("constant strings", tf.ragged.constant([["a", "bc"], [], ["def"]]))
show("constant empty rows", tf.ragged.constant([[], [], []]))
show("constant ragged_rank 2", tf.ragged.constant([[[1, 2], [3]], [], [[4], [], [5, 6, 7]]]))
show("constant ragged_rank 3", tf.ragged.constant([[[[1], [2, 3]]], [[[4]], []]]))
show("constant inner uniform", tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1))
show("constant inner_shape", tf.ragged.constant([[[1, 2]], [], [[3, 4], [5, 6]]], inner_shape=(2,)))
show("constant uniform rows", tf.ragged.constant([[1, 2], [3, 4]]))
show("constant row_splits_dtype int32", tf.ragged.constant([[1, 2], [3]], row_splits_dtype=tf.int32))

show("from_row_splits", tf.RaggedTensor.from_row_splits(values=[3, 1, 4, 1, 5, 9, 2, 6], row_splits=[0, 4, 4, 7, 8, 8]))
show("from_row_lengths", tf.RaggedTensor.from_row_lengths(values=[3, 1, 4, 1, 5, 9, 2, 6], row_lengths=[4, 0, 3, 1, 0]))
show("from_value_rowids", tf.RaggedTensor.from_value_rowids(values=[3, 1, 4, 1, 5, 9, 2, 6],
                                                            value_rowids=[0, 0, 0, 0, 2, 2, 2, 3], nrows=5))
show("from_value_rowids no nrows", tf.RaggedTensor.from_value_rowids(values=[1.0, 2.0, 3.0], value_rowids=[0, 2, 2]))
show("from_row_starts", tf.RaggedTensor.from_row_starts(values=[3, 1, 4, 1, 5, 9, 2, 6], row_starts=[0, 4, 4, 7, 8]))
show("from_row_limits", tf.RaggedTensor.from_row_limits(values=[3, 1, 4, 1, 5, 9, 2, 6], row_limits=[4, 4, 7, 8, 8]))
show("from_row_splits 2d values", tf.RaggedTensor.from_row_splits(values=np.arange(6.0).reshape(3, 2),
                                                                  row_splits=[0, 1, 3]))
show("from_nested_row_splits", tf.RaggedTensor.from_nested_row_splits(
    flat_values=[3, 1, 4, 1, 5, 9, 2, 6], nested_row_splits=([0, 1, 1, 5], [0, 3, 3, 5, 6, 8])))
show("from_nested_row_lengths", tf.RaggedTensor.from_nested_row_lengths(
    flat_values=[3, 1, 4, 1, 5, 9, 2, 6], nested_row_lengths=([1, 0, 4], [3, 0, 2, 1, 2])))
show("from_row_splits int32 splits", tf.RaggedTensor.from_row_splits(
    tf.constant([1, 2, 3]), tf.constant([0, 1, 3], dtype=tf.int32)))
show("from_tensor", tf.RaggedTensor.from_tensor([[1, 2, 0], [3, 0, 0], [4, 5, 6]]))
show("from_tensor lengths", tf.RaggedTensor.from_tensor([[1, 2, 0], [3, 0, 0], [4, 5, 6]], lengths=[2, 1, 0]))
show("from_tensor padding", tf.RaggedTensor.from_tensor([[1, 2, 0], [3, 0, 0], [4, 5, 6]], padding=0))
show("from_tensor float padding", tf.RaggedTensor.from_tensor(np.array([[1.5, -1.0], [-1.0, -1.0]], np.float32),
                                                              padding=-1.0))
show("from_tensor 3d ragged_rank 2", tf.RaggedTensor.from_tensor(np.arange(8).reshape(2, 2, 2), ragged_rank=2))

print("== to_tensor variants")
print(digits.to_tensor(default_value=-1))
print(digits.to_tensor(shape=[3, 2]))
print(digits.to_tensor(shape=[6, 5], default_value=7))
print(digits.to_tensor(shape=[None, 6]))
print(tf.ragged.constant([[1.5], []]).to_tensor())
print(tf.ragged.constant([["x"], []]).to_tensor())
print(tf.ragged.constant([[[1, 2], [3]], [], [[4]]]).to_tensor())

print("== validation errors")
err("splits not starting at 0", lambda: tf.RaggedTensor.from_row_splits([1, 2, 3], [1, 2, 3], validate=True))
err("splits decreasing", lambda: tf.RaggedTensor.from_row_splits([1, 2, 3], [0, 2, 1, 3], validate=True))
err("last split != nvalues", lambda: tf.RaggedTensor.from_row_splits([1, 2, 3], [0, 1, 2], validate=True))
err("row_lengths sum != nvalues", lambda: tf.RaggedTensor.from_row_lengths([1, 2, 3], [1, 1], validate=True))
err("negative row_lengths", lambda: tf.RaggedTensor.from_row_lengths([1, 2, 3], [4, -1], validate=True))
err("value_rowids decreasing", lambda: tf.RaggedTensor.from_value_rowids([1, 2, 3], [1, 0, 0], validate=True))
err("float splits", lambda: tf.RaggedTensor.from_row_splits([1, 2, 3], [0.0, 3.0]))
err("2d splits", lambda: tf.RaggedTensor.from_row_splits([1, 2, 3], [[0, 3]]))
err("scalar values", lambda: tf.RaggedTensor.from_row_splits(5, [0, 1]), message=False)
err("inconsistent nesting depth", lambda: tf.ragged.constant([[1, 2], [[3]]]))
err("scalar and list mixed", lambda: tf.ragged.constant([1, [2]]))
err("ragged_rank too large", lambda: tf.ragged.constant([[1, 2], [3]], ragged_rank=2))
err("inner_shape mismatch", lambda: tf.ragged.constant([[1, 2], [3]], inner_shape=(2,)))
err("bad row_splits_dtype", lambda: tf.ragged.constant([[1, 2], [3]], row_splits_dtype=tf.float32))
err("string as int dtype", lambda: tf.ragged.constant([["a"], []], dtype=tf.int32))
err("RaggedTensor() direct", lambda: tf.RaggedTensor([1, 2], [0, 2]))
err("to_tensor shape rank mismatch", lambda: digits.to_tensor(shape=[5, 4, 3]), message=False)
