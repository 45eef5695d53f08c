"""tf.SparseTensor and tf.sparse errors: the exception type and, where TensorFlow's text is short
and stable, the first line of the message (TF's "{{function_node ...}}" prefix and " name: "
suffix removed). Run by tests/tfx_lite/test_sparse.py; sparse_errors_program.tf.txt is what
TensorFlow 2.21 printed."""
import re
import sys
if sys.argv[1] == "tf":
    import tensorflow as tf
else:
    import tfx_lite as tf


def attempt(label, fn, message=True):
    try:
        result = fn()
    except Exception as e:  # noqa: BLE001
        kind = type(e).__name__ + (" (an OpError)" if isinstance(e, tf.errors.OpError) else "")
        print(label, "->", kind)
        if message:
            text = re.sub(r"^\{\{function_node [^}]*\}\} ", "", str(e))
            print("   ", re.sub(r" name: ?$", "", text.splitlines()[0] if text else ""))
        return
    print(label, "-> no error:", type(result).__name__)


a = tf.SparseTensor([[0, 0], [1, 2]], [1., 2.], [3, 4])
ai = tf.SparseTensor([[0, 0], [1, 2]], [1, 2], [3, 4])
b = tf.SparseTensor([[0, 1], [1, 0], [1, 3]], [3., 4., 5.], [2, 5])
uns = tf.SparseTensor([[1, 2], [0, 0]], [1, 2], [3, 4])
dup = tf.SparseTensor([[0, 0], [0, 0]], [1, 2], [3, 4])
oob = tf.SparseTensor([[0, 0], [3, 0]], [1, 2], [3, 4])
neg = tf.SparseTensor([[0, 0], [-1, 0]], [1, 2], [3, 4])
strings = tf.SparseTensor([[0, 1]], ["a"], [1, 2])
bools = tf.SparseTensor([[0, 1]], [True], [1, 2])
d = tf.ones([3, 4])

print("# construction")
attempt("float indices", lambda: tf.SparseTensor([[0.5, 1]], [1], [2, 2]))
attempt("int32 indices tensor", lambda: tf.SparseTensor(tf.constant([[0, 1]]), [1], [2, 2]))
attempt("indices rank 1", lambda: tf.SparseTensor([0, 1], [1, 2], [2]))
attempt("values rank 2", lambda: tf.SparseTensor([[0, 1]], [[1]], [2, 2]))
attempt("values scalar", lambda: tf.SparseTensor([[0, 1]], 1, [2, 2]))
attempt("count mismatch", lambda: tf.SparseTensor([[0, 1], [1, 1]], [1, 2, 3], [2, 2]))
attempt("rank mismatch", lambda: tf.SparseTensor([[0, 1]], [1], [2, 2, 2]))
attempt("empty [[]] indices", lambda: tf.SparseTensor([[]], [], [2, 2]))
attempt("float dense_shape", lambda: tf.SparseTensor([[1, 2]], [3.], [3.0, 4]))
attempt("None values", lambda: tf.SparseTensor([[1, 2]], None, [3, 4]))
attempt("dense_shape rank 2", lambda: tf.SparseTensor([[0, 1]], [1], [[2, 2]]), message=False)
attempt("with_values wrong length", lambda: a.with_values([1, 2, 3]))
attempt("set_shape incompatible", lambda: tf.SparseTensor([[0, 0]], [1.], [3, 4]).set_shape([1, 4]))
attempt("from_value of a tensor", lambda: tf.SparseTensor.from_value(d), message=False)
attempt("out-of-bounds indices are accepted", lambda: tf.SparseTensor([[5, 1]], [1], [2, 2]))

print("# to_dense / from_dense / to_indicator")
attempt("unsorted", lambda: tf.sparse.to_dense(uns))
attempt("repeated", lambda: tf.sparse.to_dense(dup))
attempt("out of bounds", lambda: tf.sparse.to_dense(oob))
attempt("negative", lambda: tf.sparse.to_dense(neg))
attempt("out of bounds, no validation", lambda: tf.sparse.to_dense(oob, validate_indices=False))
attempt("negative, no validation", lambda: tf.sparse.to_dense(neg, validate_indices=False))
attempt("unsorted and out of bounds", lambda: tf.sparse.to_dense(tf.SparseTensor([[1, 0], [0, 0], [9, 9]], [1, 2, 3], [3, 4])))
attempt("float default for ints", lambda: tf.sparse.to_dense(ai, default_value=-1.5))
attempt("float tensor default for ints", lambda: tf.sparse.to_dense(ai, default_value=tf.constant(1.5)))
attempt("default not a scalar", lambda: tf.sparse.to_dense(ai, default_value=[1, 2]))
attempt("dense input", lambda: tf.sparse.to_dense(d))
attempt("from_dense scalar", lambda: tf.sparse.from_dense(tf.constant(3)))
attempt("from_dense of a SparseTensor", lambda: tf.sparse.from_dense(a), message=False)
attempt("to_indicator out of vocabulary", lambda: tf.sparse.to_indicator(tf.SparseTensor([[0, 0]], [5], [3, 2]), 4))

print("# add / maximum / minimum")
attempt("two dense", lambda: tf.sparse.add(d, d))
attempt("dtypes", lambda: tf.sparse.add(a, ai))
attempt("shapes", lambda: tf.sparse.add(a, tf.SparseTensor([[0, 0]], [1.], [3, 5])))
attempt("ranks", lambda: tf.sparse.add(a, tf.SparseTensor([[0]], [1.], [3])))
attempt("float64 threshold tensor", lambda: tf.sparse.add(a, a, threshold=tf.constant(0.5, tf.float64)))
attempt("float threshold for ints", lambda: tf.sparse.add(ai, ai, threshold=2.5))
attempt("strings", lambda: tf.sparse.add(strings, strings))
attempt("bools", lambda: tf.sparse.add(bools, bools))
attempt("dense dtype", lambda: tf.sparse.add(a, tf.ones([3, 4], tf.int32)))
attempt("dense rank", lambda: tf.sparse.add(a, tf.ones([4])))
attempt("dense shape", lambda: tf.sparse.add(a, tf.ones([3, 5])))
attempt("dense, strings", lambda: tf.sparse.add(strings, [["x", "y"]]))
attempt("dense, index out of bounds", lambda: tf.sparse.add(tf.SparseTensor([[0, 7]], [2.], [3, 4]), d))
attempt("maximum shapes", lambda: tf.sparse.maximum(a, b))
attempt("maximum dtypes", lambda: tf.sparse.maximum(a, ai))
attempt("minimum strings", lambda: tf.sparse.minimum(strings, strings))

print("# reductions")
attempt("reduce_sum axis 2", lambda: tf.sparse.reduce_sum(a, axis=2))
attempt("reduce_sum axis -3", lambda: tf.sparse.reduce_sum(a, axis=-3))
attempt("reduce_sum strings", lambda: tf.sparse.reduce_sum(strings))
attempt("reduce_sum bools", lambda: tf.sparse.reduce_sum(bools))
attempt("reduce_max bools", lambda: tf.sparse.reduce_max(bools))
attempt("reduce_max complex", lambda: tf.sparse.reduce_max(tf.SparseTensor([[0]], [1j], [2])))
attempt("reduce_sum dense", lambda: tf.sparse.reduce_sum(d), message=False)
attempt("reduce_sum sparse output, axis 2", lambda: tf.sparse.reduce_sum(a, 2, output_is_sparse=True))

print("# sparse_dense_matmul")
attempt("inner dimensions", lambda: tf.sparse.sparse_dense_matmul(a, tf.ones([3, 2])))
attempt("inner dimensions adjoint", lambda: tf.sparse.sparse_dense_matmul(a, tf.ones([4, 2]), adjoint_a=True))
attempt("dtypes", lambda: tf.sparse.sparse_dense_matmul(a, tf.ones([4, 2], tf.float64)))
attempt("rank 3 sparse", lambda: tf.sparse.sparse_dense_matmul(tf.SparseTensor([[0, 0, 0]], [2.], [1, 2, 2]), tf.ones([2, 2])))
attempt("rank 1 dense", lambda: tf.sparse.sparse_dense_matmul(a, tf.ones([4])))
attempt("column out of bounds", lambda: tf.sparse.sparse_dense_matmul(tf.SparseTensor([[0, 5]], [2.], [1, 4]), tf.ones([4, 2])))
attempt("row out of bounds", lambda: tf.sparse.sparse_dense_matmul(tf.SparseTensor([[3, 0]], [2.], [1, 4]), tf.ones([4, 2])))
attempt("negative column", lambda: tf.sparse.sparse_dense_matmul(tf.SparseTensor([[0, -1]], [2.], [1, 4]), tf.ones([4, 2])))
attempt("strings", lambda: tf.sparse.sparse_dense_matmul(strings, tf.constant([["a"], ["b"]])))

print("# sparse (op) dense operators")
attempt("int sparse * 2.5", lambda: ai * 2.5)
attempt("int sparse / 2.5", lambda: ai / 2.5)
attempt("float sparse * int tensor", lambda: a * tf.constant([1, 2, 3, 4]))
attempt("divide by zero", lambda: a / 0.)
attempt("divide by a tensor with a zero elsewhere", lambda: a / tf.constant([1., 0., 1., 1.]))
attempt("divide by a tensor with a zero at an index", lambda: a / tf.constant([1., 1., 0., 1.]))
attempt("bools * True", lambda: bools * True)
attempt("strings * string", lambda: strings * "b")
attempt("complex * complex", lambda: tf.SparseTensor([[0]], [1 + 1j], [2]) * tf.constant([2j, 1]))
attempt("dense of higher rank", lambda: a * tf.ones([2, 3, 4]))
attempt("dense not broadcasting", lambda: a * tf.ones([3]))
attempt("dense [1, 1, 4]", lambda: a * tf.ones([1, 1, 4]))
attempt("index out of bounds", lambda: tf.SparseTensor([[0, 7]], [2.], [3, 4]) * d)
attempt("bool sparse / bool", lambda: bools / True)
attempt("sparse * sparse", lambda: a * a, message=False)
attempt("sparse / sparse", lambda: a / a, message=False)
attempt("2 * sparse", lambda: 2. * a)
attempt("2 / sparse", lambda: 2. / a)
attempt("dense / sparse", lambda: d / a, message=False)
attempt("dense + sparse", lambda: d + a, message=False)
attempt("sparse + dense", lambda: a + d)
attempt("sparse + sparse", lambda: a + a)
attempt("sparse - dense", lambda: a - d, message=False)
attempt("-sparse", lambda: -a)
attempt("abs(sparse)", lambda: abs(a))
attempt("sparse ** 2", lambda: a ** 2)
attempt("sparse // 2", lambda: a // 2)
attempt("sparse[0]", lambda: a[0])
attempt("len(sparse)", lambda: len(a))
attempt("sparse.numpy()", lambda: a.numpy())
attempt("sparse.name", lambda: a.name)
attempt("iterate", lambda: list(a))
attempt("sparse == sparse is identity", lambda: print("   ", a == a, a == tf.SparseTensor.from_value(a)))

print("# dense ops that do not take a SparseTensor (ValueError)")
for label, fn in [("exp", lambda: tf.exp(a)), ("reduce_sum", lambda: tf.reduce_sum(a)),
                  ("matmul", lambda: tf.matmul(a, tf.ones([4, 2]))), ("concat", lambda: tf.concat([a, a], 0)),
                  ("reshape", lambda: tf.reshape(a, [12])), ("convert_to_tensor", lambda: tf.convert_to_tensor(a)),
                  ("constant", lambda: tf.constant(a)), ("zeros_like", lambda: tf.zeros_like(a)),
                  ("ones_like", lambda: tf.ones_like(a)), ("multiply", lambda: tf.multiply(a, d)),
                  ("multiply dense first", lambda: tf.multiply(d, a)), ("add", lambda: tf.add(a, d)),
                  ("saturate_cast", lambda: tf.saturate_cast(a, tf.int32)), ("cos", lambda: tf.cos(a)),
                  ("log", lambda: tf.math.log(a)), ("reduce_max", lambda: tf.reduce_max(a))]:
    attempt(label, fn, message=False)

print("# elementwise ops on the values keep the op's dtype rules")
attempt("sqrt of ints", lambda: tf.math.sqrt(tf.SparseTensor([[0]], [4], [2])), message=False)
attempt("negative of strings", lambda: tf.math.negative(strings), message=False)
attempt("cast strings to int", lambda: tf.cast(strings, tf.int32))

print("# reorder / reshape / slice / retain / concat / transpose / others")
attempt("reorder dense", lambda: tf.sparse.reorder(d))
attempt("reshape two -1", lambda: tf.sparse.reshape(a, [-1, -1]))
attempt("reshape size", lambda: tf.sparse.reshape(a, [5, 3]))
attempt("reshape size with -1", lambda: tf.sparse.reshape(a, [-1, 5]))
attempt("slice start length", lambda: tf.sparse.slice(a, [0], [1, 1]))
attempt("slice size length", lambda: tf.sparse.slice(a, [0, 0], [1]))
attempt("retain wrong length", lambda: tf.sparse.retain(a, [True, False, True]))
attempt("retain rank 2", lambda: tf.sparse.retain(a, [[True, False]]))
attempt("concat shapes", lambda: tf.sparse.concat(1, [a, b]))
attempt("concat ranks", lambda: tf.sparse.concat(0, [a, tf.SparseTensor([[0]], [1.], [3])]))
attempt("concat dtypes", lambda: tf.sparse.concat(0, [a, ai]))
attempt("concat axis", lambda: tf.sparse.concat(2, [a, a]))
attempt("concat dense", lambda: tf.sparse.concat(0, [a, d]))
attempt("concat tuple", lambda: tf.sparse.concat(0, (a, a)))
attempt("concat not a list", lambda: tf.sparse.concat(0, a))
attempt("transpose perm length", lambda: tf.sparse.transpose(a, [0, 1, 2]))
attempt("fill_empty_rows float default for ints", lambda: tf.sparse.fill_empty_rows(ai, 0.5))
attempt("expand_dims axis 5", lambda: tf.sparse.expand_dims(a, 5))
attempt("reset_shape smaller", lambda: tf.sparse.reset_shape(a, [2, 5]))
attempt("map_values without a SparseTensor", lambda: tf.sparse.map_values(tf.ones_like, [1, 2]))
attempt("map_values different layouts", lambda: tf.sparse.map_values(tf.multiply, a, tf.SparseTensor([[0, 0], [1, 1], [2, 2]], [1., 2., 3.], [3, 4])))
