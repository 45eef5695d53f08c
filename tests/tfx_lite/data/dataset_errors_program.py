"""tf.data.Dataset errors: which exception type, raised when (construction or iteration), and the message
where TensorFlow's text is short and stable (run by tests/tfx_lite/test_dataset_programs.py;
dataset_errors_program.tf.txt is what TensorFlow 2.21 printed)."""
from program import tf
import numpy as np

D = tf.data.Dataset


def report(stage, e, message, contains):
    print(f"  {stage}: {type(e).__name__}" + (" (an OpError)" if isinstance(e, tf.errors.OpError) else ""))
    if message:
        print("   ", str(e).splitlines()[0])
    for text in contains:
        print("    contains", repr(text), text in str(e))


def attempt(label, build, message=False, contains=()):
    """Builds the dataset (errors here are construction errors), then iterates it (iteration errors)."""
    print("==", label)
    try:
        ds = build()
    except Exception as e:
        report("construct", e, message, contains)
        return
    print("  constructed")
    got = []
    try:
        for v in ds:
            got.append(np.asarray(v.numpy()).tolist())
        print("  iterated", got)
    except Exception as e:
        print("  before error", got)
        report("iterate", e, message, contains)


# from_tensor_slices
attempt("slices mismatched lengths", lambda: D.from_tensor_slices((np.arange(3), np.arange(4))), True)
attempt("slices mismatched dict", lambda: D.from_tensor_slices({"a": np.arange(3), "b": np.arange(2)}), True)
attempt("slices scalar", lambda: D.from_tensor_slices(5), True)
attempt("slices tuple with scalar", lambda: D.from_tensor_slices((np.arange(2), 5)), True)
attempt("slices non-rectangular", lambda: D.from_tensor_slices([[1, 2], [3]]), True)

# zip
attempt("zip non-dataset", lambda: D.zip((D.range(3), 5)), True)
attempt("zip list", lambda: D.zip([D.range(3), D.range(3)]), True)

# batch of differently shaped elements fails when iterated
attempt("batch different shapes", lambda: D.range(1, 4).map(lambda x: tf.fill([x], x)).batch(2))
attempt("batch size 0", lambda: D.range(3).batch(0), contains=["Batch size must be greater than zero."])
attempt("padded_batch too small", lambda: D.range(1, 4).map(lambda x: tf.fill([x], x)).padded_batch(
    2, padded_shapes=[2]), contains=["Attempted to pad to a smaller size than the input element."])


# from_generator
def gen_str():
    yield "abc"


def gen_shape():
    yield np.arange(3)


def gen_scalar():
    yield 1


def gen_list():
    yield [1, 2]


def gen_raise():
    yield 1
    yield 2
    raise ValueError("boom in generator")


def gen_float():
    yield 1.5
    yield np.float32(2.7)
    yield -1.9


attempt("generator wrong dtype", lambda: D.from_generator(gen_str, output_signature=tf.TensorSpec([], tf.int64)),
        contains=["`generator` yielded an element that could not be converted to the expected type. "
                  "The expected type was int64, but the yielded element was abc."])
attempt("generator wrong shape", lambda: D.from_generator(gen_shape, output_signature=tf.TensorSpec([2], tf.int64)),
        contains=["`generator` yielded an element of shape (3,) where an element of shape (2,) was expected."])
attempt("generator wrong rank", lambda: D.from_generator(gen_list, output_signature=tf.TensorSpec([], tf.int64)),
        contains=["`generator` yielded an element of shape (2,) where an element of shape () was expected."])
pair_spec = (tf.TensorSpec([], tf.int64), tf.TensorSpec([], tf.int64))
attempt("generator wrong structure", lambda: D.from_generator(gen_scalar, output_signature=pair_spec),
        contains=["`generator` yielded an element that did not match the expected structure."])
attempt("generator list for tuple", lambda: D.from_generator(gen_list, output_signature=pair_spec),
        contains=["`generator` yielded an element that did not match the expected structure."])
attempt("generator raises", lambda: D.from_generator(gen_raise, output_signature=tf.TensorSpec([], tf.int64)),
        contains=["ValueError: boom in generator"])
attempt("generator floats for int64", lambda: D.from_generator(gen_float, output_signature=tf.TensorSpec([], tf.int64)))
attempt("generator without signature", lambda: D.from_generator(gen_scalar), True)
attempt("generator not callable", lambda: D.from_generator([1, 2], output_signature=tf.TensorSpec([], tf.int64)),
        True)


# map / filter / reduce functions
def raising(x):
    raise ValueError("boom in map")


attempt("map raises ValueError", lambda: D.range(3).map(raising), contains=["boom in map"])
attempt("map returns None", lambda: D.range(3).map(lambda x: None))
attempt("map returns object", lambda: D.range(3).map(lambda x: object()),
        contains=["Unsupported return value from function passed to Dataset.map()"])
attempt("map too few parameters", lambda: D.zip((D.range(3), D.range(3))).map(lambda x: x),
        contains=["takes 1 positional argument but 2 were given"])
attempt("map too many parameters", lambda: D.range(3).map(lambda x, y: x),
        contains=["missing 1 required positional argument: 'y'"])
attempt("map not callable", lambda: D.range(3).map(5), True)
attempt("map calls numpy", lambda: D.range(3).map(lambda x: x.numpy()))
attempt("map fails at run time", lambda: D.range(2, 4).map(lambda x: tf.reshape(tf.fill([x], x), [2])))
attempt("filter non-bool", lambda: D.range(3).filter(lambda x: x), True)
attempt("filter vector", lambda: D.range(3).filter(lambda x: tf.stack([x > 0, x > 1])), True)
attempt("reduce state dtype", lambda: D.range(3).reduce(0, lambda a, x: a + x))
attempt("unbatch scalars", lambda: D.range(3).unbatch(), True)
attempt("concatenate dtypes", lambda: D.range(3).concatenate(D.from_tensor_slices([1.0])), True)
attempt("concatenate structures", lambda: D.range(3).concatenate(D.zip((D.range(3), D.range(3)))), True)

# arguments
attempt("take float", lambda: D.range(3).take(1.5), True)
attempt("take string", lambda: D.range(3).take("a"), True)
attempt("skip float", lambda: D.range(3).skip(0.5), True)
attempt("repeat float", lambda: D.range(3).repeat(1.5), True)
attempt("range float", lambda: D.range(1.5), True)
attempt("window size 0", lambda: D.range(3).window(0), contains=["Window size must be greater than zero."])
attempt("shuffle buffer 0", lambda: D.range(3).shuffle(0),
        contains=["buffer_size must be greater than zero or UNKNOWN_CARDINALITY"])

# len
for label, ds in [("len infinite", D.range(3).repeat()), ("len filter", D.range(3).filter(lambda x: x > 0)),
                  ("len generator", D.from_generator(gen_scalar, output_signature=tf.TensorSpec([], tf.int64)))]:
    print("==", label)
    try:
        len(ds)
    except Exception as e:
        report("len", e, True, ())
print("== subscript")
try:
    D.range(3)[0]
except Exception as e:
    report("index", e, True, ())
print("== abstract Dataset()")
try:
    D()
except Exception as e:
    report("construct", e, False, ())

# iterators
print("== iterators")
ds = D.range(2)
first = next(iter(ds))
print(first)
print(first.numpy(), first.dtype.name, next(iter(ds)).numpy(), "fresh iterators restart")
it = iter(ds)
print(isinstance(it, tf.data.Iterator), it.element_spec)
print(next(it).numpy(), next(it).numpy())
for _ in range(2):
    try:
        next(it)
        print("no StopIteration")
    except StopIteration as e:
        print("StopIteration", repr(str(e)), e.args)
it = iter(ds)
v = it.get_next()
print(v, it.get_next().numpy())
try:
    it.get_next()
    print("no error")
except Exception as e:
    print(type(e).__name__, isinstance(e, tf.errors.OutOfRangeError), isinstance(e, tf.errors.OpError),
          getattr(e, "error_code", None), "End of sequence" in str(e))
for label, src in [("for loop ends", D.range(3)), ("for loop empty", D.range(0))]:
    print(label, [int(x) for x in src])
nit = D.range(2).as_numpy_iterator()
print(isinstance(nit, tf.data.NumpyIterator), next(nit), next(nit))
try:
    next(nit)
except StopIteration as e:
    print("numpy StopIteration", repr(e))
print(list(nit), list(iter(D.range(0))))
inf = iter(D.range(2).repeat())
print([int(next(inf)) for _ in range(5)])
