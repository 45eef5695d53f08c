"""tf.data.Dataset sources: from_tensor_slices, from_tensors, range and from_generator
(run by tests/tfx_lite/test_dataset_programs.py; dataset_sources_program.tf.txt is what TensorFlow 2.21 printed)."""
from program import tf
import numpy as np


def rnd(a):
    a = np.asarray(a)
    return np.round(a, 5).tolist() if a.dtype.kind == "f" else a.tolist()


def leaf(t):
    return f"{rnd(t.numpy())} {t.dtype.name} {t.shape}"


def fmt(e):
    if isinstance(e, dict):
        return "{" + ", ".join(f"{k!r}: {fmt(v)}" for k, v in e.items()) + "}"
    if isinstance(e, tuple):
        return "(" + ", ".join(fmt(v) for v in e) + ")"
    return leaf(e)


def npfmt(e):
    if isinstance(e, dict):
        return "{" + ", ".join(f"{k!r}: {npfmt(v)}" for k, v in e.items()) + "}"
    if isinstance(e, tuple):
        return "(" + ", ".join(npfmt(v) for v in e) + ")"
    return f"{type(e).__name__}:{e.dtype.name}:{rnd(e)}"


def show(name, ds):
    print("==", name)
    print(ds)
    print(ds.element_spec)
    for e in ds:
        print(" ", fmt(e))
    print("  numpy:", [npfmt(e) for e in ds.as_numpy_iterator()])
    print("  cardinality:", ds.cardinality().numpy(), ds.cardinality().dtype.name)
    try:
        print("  len:", len(ds))
    except TypeError as e:
        print("  len:", type(e).__name__, str(e).splitlines()[0])


# from_tensor_slices
show("int64 vector", tf.data.Dataset.from_tensor_slices(np.array([3, 1, 2])))
show("int32 matrix", tf.data.Dataset.from_tensor_slices(np.arange(6, dtype=np.int32).reshape(3, 2)))
show("float64", tf.data.Dataset.from_tensor_slices(np.array([0.5, 1.25, -2.0])))
show("float32 3d", tf.data.Dataset.from_tensor_slices(np.arange(8, dtype=np.float32).reshape(2, 2, 2) / 4))
show("uint8", tf.data.Dataset.from_tensor_slices(np.array([[0, 255], [7, 8]], dtype=np.uint8)))
show("bool", tf.data.Dataset.from_tensor_slices(np.array([True, False])))
show("python int list", tf.data.Dataset.from_tensor_slices([1, 2, 3]))
show("python float list", tf.data.Dataset.from_tensor_slices([1.5, 2.0]))
show("python nested list", tf.data.Dataset.from_tensor_slices([[1, 2], [3, 4], [5, 6]]))
show("tf tensor", tf.data.Dataset.from_tensor_slices(tf.constant([[1.0, 2.0], [3.0, 4.0]])))
show("tf int tensor", tf.data.Dataset.from_tensor_slices(tf.range(4)))
show("tuple", tf.data.Dataset.from_tensor_slices((np.arange(3), np.array([1.0, 2.0, 3.0], dtype=np.float32))))
show("nested tuple", tf.data.Dataset.from_tensor_slices(
    ((np.arange(2), np.ones((2, 3), dtype=np.float32)), np.array([7, 8], dtype=np.int32))))
show("dict", tf.data.Dataset.from_tensor_slices(
    {"b": np.array([1, 2]), "a": np.array([[0.5], [1.5]], dtype=np.float32)}))
show("tuple of dict", tf.data.Dataset.from_tensor_slices(
    ({"x": np.arange(4).reshape(2, 2), "y": np.array([1.0, 2.0])}, np.array([0, 1], dtype=np.int32))))
show("list of arrays", tf.data.Dataset.from_tensor_slices([np.arange(3), np.arange(3) * 2]))
show("empty", tf.data.Dataset.from_tensor_slices(np.zeros((0, 2), dtype=np.float32)))

# from_tensors
show("from_tensors vector", tf.data.Dataset.from_tensors(np.array([1, 2, 3])))
show("from_tensors scalar", tf.data.Dataset.from_tensors(5))
show("from_tensors float", tf.data.Dataset.from_tensors(2.5))
show("from_tensors tuple", tf.data.Dataset.from_tensors((tf.constant([1.0, 2.0]), 3)))
show("from_tensors dict", tf.data.Dataset.from_tensors({"k": np.zeros((2, 2), dtype=np.float32), "a": 1}))

# range
show("range 5", tf.data.Dataset.range(5))
show("range 2 6", tf.data.Dataset.range(2, 6))
show("range 1 10 3", tf.data.Dataset.range(1, 10, 3))
show("range 5 0 -2", tf.data.Dataset.range(5, 0, -2))
show("range empty", tf.data.Dataset.range(3, 1))
show("range int32", tf.data.Dataset.range(4, output_type=tf.int32))
show("range float32", tf.data.Dataset.range(0, 3, output_type=tf.float32))
show("range 0", tf.data.Dataset.range(0))


# from_generator
def gen_scalars():
    for i in range(4):
        yield i * 2


def gen_vectors():
    for n in range(1, 4):
        yield np.arange(n, dtype=np.float32)


def gen_tuples():
    for i in range(3):
        yield i, np.full((2,), i, dtype=np.float32)


def gen_dicts():
    for i in range(2):
        yield {"id": i, "v": [float(i), float(i) + 0.5]}


show("gen scalars", tf.data.Dataset.from_generator(
    gen_scalars, output_signature=tf.TensorSpec(shape=(), dtype=tf.int64)))
show("gen int32", tf.data.Dataset.from_generator(
    gen_scalars, output_signature=tf.TensorSpec(shape=(), dtype=tf.int32)))
show("gen vectors", tf.data.Dataset.from_generator(
    gen_vectors, output_signature=tf.TensorSpec(shape=(None,), dtype=tf.float32)))
show("gen tuples", tf.data.Dataset.from_generator(
    gen_tuples, output_signature=(tf.TensorSpec(shape=(), dtype=tf.int32),
                                  tf.TensorSpec(shape=(2,), dtype=tf.float32))))
show("gen dicts", tf.data.Dataset.from_generator(
    gen_dicts, output_signature={"id": tf.TensorSpec(shape=(), dtype=tf.int64),
                                 "v": tf.TensorSpec(shape=(2,), dtype=tf.float32)}))


def gen_args(n, scale):
    print("  gen_args called with", type(n).__name__, n.dtype.name, int(n), type(scale).__name__, float(scale))
    for i in range(int(n)):
        yield i * scale


show("gen args", tf.data.Dataset.from_generator(
    gen_args, args=(3, 0.5), output_signature=tf.TensorSpec(shape=(), dtype=tf.float32)))
lst = [[1, 2], [3, 4, 5]]
show("gen lambda", tf.data.Dataset.from_generator(
    lambda: iter(lst), output_signature=tf.TensorSpec(shape=[None], dtype=tf.int64)))

# element_spec objects
spec = tf.data.Dataset.range(3).element_spec
print(type(spec).__name__, spec.shape, spec.dtype, spec.dtype.name, spec.name)
spec = tf.data.Dataset.from_tensor_slices(np.zeros((4, 2, 3), dtype=np.float32)).element_spec
print(spec.shape, spec.shape.as_list(), spec.shape.rank, repr(spec))
print(spec == tf.TensorSpec([2, 3], tf.float32), spec == tf.TensorSpec([2, 3], tf.float64))
print(isinstance(tf.data.Dataset.range(3), tf.data.Dataset))
