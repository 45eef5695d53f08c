"""tf.TensorArray eagerly (TF's in-place list, its checks and messages) and inside tf.function
(a buffer of static size), through tf.while_loop and tf.cond, and its gradients."""
from program import rounded, run_unwrapped as trun, tf


def TA(*args, **kwargs):
    return tf.TensorArray(*args, **kwargs)


def traced(f, *args):
    return lambda: rounded(tf.function(f)(*args))


def eager(f):
    return lambda: rounded(f())


print("--- eager ---")
ta = TA(tf.float32, size=3)
print(ta.size(), ta.dtype, ta.element_shape, ta.dynamic_size, ta.flow, ta.handle)
ta.write(0, [1.0, 2.0])
print(ta.size(), ta.element_shape, rounded(ta.read(0)))
trun("read unwritten, shape unknown", lambda: TA(tf.float32, size=3).read(0))
trun("read past the end", lambda: TA(tf.float32, size=3).read(5))
trun("read negative", lambda: TA(tf.float32, size=3).read(-1))
trun("write past the end", lambda: TA(tf.float32, size=3).write(3, 1.0))
trun("write negative", lambda: TA(tf.float32, size=3).write(-1, 1.0))
trun("write int32 into float32", lambda: TA(tf.float32, size=3).write(0, tf.constant(1)))
trun("write string", lambda: TA(tf.float32, size=3).write(0, "a"))
trun("write Python int", eager(lambda: TA(tf.float32, size=3).write(0, 1).read(0)))
trun("shape mismatch", lambda: TA(tf.float32, size=3).write(0, [1.0, 2.0]).write(1, [1.0, 2.0, 3.0]))
trun("element_shape mismatch", lambda: TA(tf.float32, size=2, element_shape=[2]).write(0, [1.0, 2.0, 3.0]))
trun("partial element_shape", lambda: TA(tf.float32, size=2, element_shape=[None, 2]).write(0, [[1.0, 2.0]]).element_shape)
trun("stack, some written", eager(lambda: TA(tf.float32, size=3).write(1, [1.0, 2.0]).stack()))
trun("stack empty", eager(lambda: TA(tf.float32, size=0).stack()))
trun("stack empty, element_shape", lambda: TA(tf.float32, size=0, element_shape=[2]).stack().shape)
trun("stack unwritten", lambda: TA(tf.float32, size=2).stack())
trun("stack unwritten, element_shape", eager(lambda: TA(tf.float32, size=2, element_shape=[3]).stack()))
trun("unstack scalar", lambda: TA(tf.float32, size=0).unstack(1.0))
trun("unstack dynamic", eager(lambda: TA(tf.float32, size=0, dynamic_size=True).unstack([1.0, 2.0]).stack()))
trun("unstack past static size", lambda: TA(tf.float32, size=1).unstack([1.0, 2.0]))
trun("unstack shorter", eager(lambda: TA(tf.float32, size=3).unstack([1.0, 2.0]).stack()))
trun("unstack ints", eager(lambda: TA(tf.float32, size=2).unstack([1, 2]).stack()))
c = TA(tf.float32, size=2).write(0, 1.0).write(1, 2.0)
trun("clear_after_read: read", eager(lambda: c.read(0)))
trun("clear_after_read: read again", lambda: c.read(0))
trun("clear_after_read: stack", eager(lambda: c.stack()))
c = TA(tf.float32, size=2, clear_after_read=False).write(0, 1.0)
trun("read twice", eager(lambda: [c.read(0), c.read(0)]))
trun("overwrite", eager(lambda: c.write(0, 3.0).read(0)))
d = TA(tf.int32, size=0, dynamic_size=True).write(4, 7)
trun("dynamic_size write", eager(lambda: [d.size(), d.stack(), d.read(2)]))
trun("gather", eager(lambda: TA(tf.float32, size=3).unstack([1.0, 2.0, 3.0]).gather([2, 0])))
trun("gather unwritten", eager(lambda: TA(tf.float32, size=3).write(0, 1.0).gather([1])))
trun("scatter", eager(lambda: TA(tf.float32, size=3).scatter([2, 0], [5.0, 6.0]).stack()))
trun("scatter past the end", lambda: TA(tf.float32, size=3).scatter([3], [5.0]))
trun("scatter dynamic_size", eager(lambda: TA(tf.float32, size=0, dynamic_size=True).scatter([3], [5.0]).stack()))
trun("concat", eager(lambda: TA(tf.float32, size=2, infer_shape=False).write(0, [1.0, 2.0]).write(1, [3.0]).concat()))
trun("concat scalars", lambda: TA(tf.float32, size=2).write(0, 1.0).write(1, 2.0).concat())
trun("split", eager(lambda: TA(tf.float32, size=2).split([1.0, 2.0, 3.0], [1, 2]).read(1)))
trun("split dynamic_size", eager(lambda: TA(tf.float32, size=0, dynamic_size=True).split([1.0, 2.0, 3.0], [1, 2]).size()))
trun("split bad lengths", lambda: TA(tf.float32, size=2).split([1.0, 2.0, 3.0], [1, 1]))
trun("split scalar", lambda: TA(tf.float32, size=2).split(1.0, [1, 1]))
trun("split size mismatch", lambda: TA(tf.float32, size=3).split([1.0, 2.0, 3.0], [1, 2]))
trun("identity", eager(lambda: TA(tf.float32, size=2).write(0, 1.0).identity().read(0)))
trun("close", lambda: (lambda t: (t.close(), rounded(t.size())))(TA(tf.float32, size=2)))
trun("infer_shape=False", eager(lambda: TA(tf.float32, size=2, infer_shape=False).write(0, [1.0]).write(1, [1.0, 2.0]).read(1)))
trun("infer_shape=False stack", lambda: TA(tf.float32, size=2, infer_shape=False).write(0, [1.0]).write(1, [1.0, 2.0]).stack())
trun("size tensor", eager(lambda: TA(tf.float32, size=tf.constant(2)).size()))
trun("no size", lambda: TA(tf.float32))
trun("index tensors", eager(lambda: TA(tf.float32, size=2).write(tf.constant(1), 1.0).read(tf.constant(1, tf.int64))))
trun("dtype by name", lambda: TA("int64", size=1).dtype)
trun("strings", eager(lambda: TA(tf.string, size=1).write(0, "ab").stack()))
i, ta = tf.while_loop(lambda i, ta: i < 3, lambda i, ta: (i + 1, ta.write(i, tf.cast(i, tf.float32) * 2.0)),
                      [0, TA(tf.float32, size=3)])
print("eager while_loop", rounded(i), rounded(ta.stack()))

print("--- tf.function ---")
trun("write, stack", traced(lambda: TA(tf.float32, size=3).write(0, 1.0).write(2, 3.0).stack()))
trun("size", traced(lambda: TA(tf.float32, size=3).size()))
trun("write int32", traced(lambda: TA(tf.float32, size=3).write(0, tf.constant(1)).stack()))
trun("shape mismatch", traced(lambda: TA(tf.float32, size=3).write(0, [1.0, 2.0]).write(1, [1.0]).stack()))
trun("element_shape mismatch", traced(lambda: TA(tf.float32, size=3, element_shape=[2]).write(1, [1.0]).stack()))
trun("write past the end", traced(lambda: TA(tf.float32, size=3).write(3, 1.0).stack()))
trun("write negative", traced(lambda: TA(tf.float32, size=3).write(-1, 1.0).stack()))
trun("read past the end", traced(lambda: TA(tf.float32, size=3).write(0, 1.0).read(4)))
trun("read unwritten", traced(lambda: TA(tf.float32, size=3).write(0, 1.0).read(1)))
trun("read, nothing written", traced(lambda: TA(tf.float32, size=3).read(1)))
trun("stack, nothing written", traced(lambda: TA(tf.float32, size=3).stack()))
trun("stack, nothing written, element_shape", traced(lambda: TA(tf.float32, size=3, element_shape=[2]).stack()))
trun("stack empty", traced(lambda: TA(tf.float32, size=0).stack()))
trun("stack empty, element_shape", traced(lambda: TA(tf.float32, size=0, element_shape=[2]).stack()))
trun("dynamic_size write", traced(lambda: TA(tf.float32, size=0, dynamic_size=True).write(2, 1.0).stack()))
trun("dynamic_size size", traced(lambda: TA(tf.float32, size=0, dynamic_size=True).write(2, 1.0).size()))
trun("read twice", traced(lambda: (lambda t: (t.read(0), t.read(0)))(TA(tf.float32, size=1).write(0, 1.0))))
trun("unstack dynamic", traced(lambda: TA(tf.float32, size=0, dynamic_size=True).unstack([1.0, 2.0]).stack()))
trun("unstack into size 0", traced(lambda: TA(tf.float32, size=0).unstack([1.0, 2.0]).stack()))
trun("unstack shorter", traced(lambda: TA(tf.float32, size=3).unstack([1.0, 2.0]).stack()))
trun("unstack scalar", traced(lambda: TA(tf.float32, size=3).unstack(1.0).stack()))
trun("gather", traced(lambda: TA(tf.float32, size=3).unstack([1.0, 2.0, 3.0]).gather([2, 0])))
trun("scatter", traced(lambda: TA(tf.float32, size=3).scatter([2, 0], [5.0, 6.0]).stack()))
trun("scatter past the end", traced(lambda: TA(tf.float32, size=3).scatter([3], [5.0]).stack()))
trun("concat", traced(lambda: TA(tf.float32, size=2).write(0, [1.0, 2.0]).write(1, [3.0, 4.0]).concat()))
trun("concat scalars", traced(lambda: TA(tf.float32, size=2).write(0, 1.0).write(1, 2.0).concat()))
trun("split", traced(lambda: TA(tf.float32, size=2).split([1.0, 2.0, 3.0, 4.0], [2, 2]).stack()))
trun("identity", traced(lambda: TA(tf.float32, size=2).write(0, 1.0).identity().stack()))
trun("size from tf.shape", traced(lambda x: TA(tf.float32, size=tf.shape(x)[0]).unstack(x).stack(), tf.constant([1.0, 2.0])))
trun("element_shape [None]", traced(lambda: TA(tf.float32, size=2, element_shape=[None]).write(0, [1.0]).write(1, [2.0]).stack()))
trun("no size", traced(lambda: TA(tf.float32).size()))
trun("symbolic index", traced(lambda i: TA(tf.float32, size=3).write(i, 5.0).stack(), tf.constant(1)))
trun("symbolic index read", traced(lambda i: TA(tf.float32, size=3).unstack([1.0, 2.0, 3.0]).read(i), tf.constant(2)))
trun("int64 index", traced(lambda: TA(tf.float32, size=3).write(tf.constant(1, tf.int64), 5.0).stack()))
shapes = []


@tf.function
def element_shapes():
    t = TA(tf.float32, size=2)
    shapes.append(str(t.element_shape))
    t = t.write(0, [1.0, 2.0])
    shapes.append(str(t.element_shape))
    return t.stack()


element_shapes()
print("element_shape before and after a write", shapes)


@tf.function
def fibonacci(n):
    t = TA(tf.float32, size=0, dynamic_size=True).unstack([0.0, 1.0])
    for i in range(2, n):
        t = t.write(i, t.read(i - 1) + t.read(i - 2))
    return t.stack()


print("fibonacci", rounded(fibonacci(7)))


@tf.function
def loop(x):
    t = TA(tf.float32, size=3, element_shape=[2])

    def body(i, t):
        return i + 1, t.write(i, tf.cast(i, tf.float32) * x)
    _, t = tf.while_loop(lambda i, t: i < 3, body, [0, t])
    return t.stack()


print("while_loop", rounded(loop(tf.constant([1.0, 2.0]))))


@tf.function
def branch(p):
    t = TA(tf.float32, size=2, element_shape=[])
    t = tf.cond(p, lambda: t.write(0, 1.0), lambda: t.write(1, 2.0))
    return t.stack()


print("cond", rounded(branch(tf.constant(True))), rounded(branch(tf.constant(False))))

print("--- gradients ---")
x = tf.constant([1.0, 2.0])


def grad_of_stack(x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        t = TA(tf.float32, size=2).write(0, x * 2.0).write(1, x * x)
        loss = tf.reduce_sum(t.stack() * [[1.0], [3.0]])
    return tape.gradient(loss, x)


print("write, stack", rounded(grad_of_stack(x)), rounded(tf.function(grad_of_stack)(x)))


def grad_of_loop(x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        t = TA(tf.float32, size=3, element_shape=[2])
        _, t = tf.while_loop(lambda i, t: i < 3,
                             lambda i, t: (i + 1, t.write(i, tf.cast(i, tf.float32) * x * x)),
                             (0, t), maximum_iterations=3)
        loss = tf.reduce_sum(t.stack() * [[1.0], [2.0], [3.0]])
    return tape.gradient(loss, x)


print("while_loop", rounded(grad_of_loop(x)), rounded(tf.function(grad_of_loop)(x)))


def grad_of_read(x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        t = TA(tf.float32, size=3).unstack(x * x).scatter([0], [x[1] * 5.0])
        loss = t.read(0) + t.read(2) * 3.0 + tf.reduce_sum(t.gather([1, 2]))
    return tape.gradient(loss, x)


print("unstack, scatter, read, gather", rounded(grad_of_read(tf.constant([1.0, 2.0, 3.0]))),
      rounded(tf.function(grad_of_read)(tf.constant([1.0, 2.0, 3.0]))))
