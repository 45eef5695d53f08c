"""TF1 graph mode and Session.run errors (issue 8, parts 1-2; tfx_lite refuses placeholders of unknown
rank and has no Operation objects yet, so those cases are left out): the exception type and the first
line of the message (TF's "{{function_node ...}}" prefix and " name: " suffix removed).
session_errors_program.tf.txt is what TensorFlow 2.21 printed."""
from program import v1 as tf
tf.disable_eager_execution()
import re

import numpy as np


def first_line(e):
    """The first informative line: for an OpError, TF's "Graph execution error:" preamble
    (the "Detected at node ..." traceback and "Node: '...'" lines) is skipped; memory
    addresses are masked."""
    text = re.sub(r"^\{\{function_node [^}]*\}\} ", "", str(e))
    lines = text.splitlines()
    if isinstance(e, tf.errors.OpError):
        lines = [line for line in lines
                 if line.strip() and not line.startswith(("Graph execution error", "Detected at node",
                                                          "    File ", "Node: "))]
    line = re.sub(r" name: ?$", "", lines[0] if lines else "")
    return re.sub(r" at 0x[0-9a-fA-F]+", " at 0x...", line)


def run(what, fn, message=True):
    try:
        result = fn()
    except Exception as e:  # noqa: BLE001
        kind = type(e).__name__ + (" (an OpError)" if isinstance(e, tf.errors.OpError) else "")
        print(what, "->", kind)
        if message:
            print("   ", first_line(e))
        return None
    print(what, "->", repr(result))
    return result


x = tf.placeholder(tf.float32, shape=[None, 2])
xs = tf.placeholder(tf.float32, shape=[3])
xi = tf.placeholder(tf.int32, shape=[])
named = tf.placeholder(tf.float32, shape=[2], name="inp")
y = x * 2.0
k = tf.constant(1.0)

other = tf.Graph()
with other.as_default():
    foreign = tf.constant(5.0)
    foreign_p = tf.placeholder(tf.float32, shape=[])
    foreign_sum = foreign + 1.0

sess = tf.Session()
print("# unfed placeholders")
run("unfed placeholder", lambda: sess.run(x))
run("unfed placeholder via op", lambda: sess.run(y))
run("unfed scalar int placeholder", lambda: sess.run(xi + 1))
run("unfed named placeholder", lambda: sess.run(named))
def _catch(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return e
    return None


e = _catch(lambda: sess.run(x))
print("unfed is InvalidArgumentError", isinstance(e, tf.errors.InvalidArgumentError))
print("unfed is OpError", isinstance(e, tf.errors.OpError))
print("unfed error_code", e.error_code, "INVALID_ARGUMENT", tf.errors.INVALID_ARGUMENT)
print("feeding the placeholder fixes it", sess.run(y, feed_dict={x: [[1.0, 2.0]]}))

print("# feed shapes")
run("wrong rank", lambda: sess.run(y, feed_dict={x: [1.0, 2.0]}))
run("wrong inner dim", lambda: sess.run(y, feed_dict={x: [[1.0, 2.0, 3.0]]}))
run("wrong fixed dim", lambda: sess.run(xs, feed_dict={xs: [1.0, 2.0]}))
run("scalar into [3]", lambda: sess.run(xs, feed_dict={xs: 1.0}))
run("vector into scalar", lambda: sess.run(xi, feed_dict={xi: [1, 2]}))
run("ragged list", lambda: sess.run(y, feed_dict={x: [[1.0, 2.0], [3.0]]}))

print("# feed dtypes")
run("string into float32", lambda: sess.run(y, feed_dict={x: [["a", "b"]]}))
run("string scalar into int32", lambda: sess.run(xi, feed_dict={xi: "abc"}))
run("float into int32", lambda: sess.run(xi, feed_dict={xi: 1.5}))
run("float array into int32", lambda: sess.run(xi, feed_dict={xi: np.float32(2.7)}))
run("None as feed value", lambda: sess.run(y, feed_dict={x: None}))
run("tensor as feed value", lambda: sess.run(y, feed_dict={x: tf.constant([[1.0, 2.0]])}))

print("# feed keys")
run("feed key from another graph", lambda: sess.run(k, feed_dict={foreign_p: 1.0}))
run("feed key is an int", lambda: sess.run(k, feed_dict={3: 1.0}))
run("feed key is None", lambda: sess.run(k, feed_dict={None: 1.0}))
run("feed key unknown name", lambda: sess.run(k, feed_dict={"nope:0": 1.0}))
run("feed_dict not a dict", lambda: sess.run(k, feed_dict=[(x, [[1.0, 2.0]])]))

print("# fetches")
run("fetch None", lambda: sess.run(None))
run("fetch None in list", lambda: sess.run([k, None]))
run("fetch int", lambda: sess.run(3))
run("fetch float", lambda: sess.run(1.5))
run("fetch numpy array", lambda: sess.run(np.ones(2)))
run("fetch object", lambda: sess.run(object()))
run("fetch unknown name", lambda: sess.run("nope:0"))
run("fetch set", lambda: sess.run({k}))
run("fetch tensor from another graph", lambda: sess.run(foreign))
run("fetch list mixing graphs", lambda: sess.run([k, foreign]))

print("# sessions and graphs")
run("fresh Session().run of other-graph tensor", lambda: tf.Session().run(foreign_sum))
run("Session(graph=other).run of default-graph tensor", lambda: tf.Session(graph=other).run(k))
run("Session(graph=other).run ok", lambda: tf.Session(graph=other).run(foreign_sum))
run("eval without default session", lambda: k.eval())
run("eval of unfed placeholder with session", lambda: x.eval(session=sess))
with tf.Session(graph=other) as osess:
    run("eval of default-graph tensor under other-graph session", lambda: k.eval())
    run("eval explicit mismatched session", lambda: foreign.eval(session=sess))
with other.as_default():
    run("op on tensors from two graphs", lambda: foreign + k, message=False)
run("op on tensors from two graphs (default)", lambda: k + foreign, message=False)

print("# closed session")
sess.close()
run("run after close", lambda: sess.run(k))
run("eval after close", lambda: k.eval(session=sess))
