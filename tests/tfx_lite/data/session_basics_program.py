"""TF1 graph mode and Session.run basics (issue 8, parts 1-2): graph tensors' dtype/shape/name,
sess.run fetch structures, placeholders and feeds, default graphs, InteractiveSession and
Tensor.eval. session_basics_program.tf.txt is what TensorFlow 2.21 printed."""
from program import v1 as tf
tf.disable_eager_execution()
import collections
import re

import numpy as np


def run(what, fn):
    try:
        result = fn()
    except Exception as e:  # noqa: BLE001
        kind = type(e).__name__ + (" (an OpError)" if isinstance(e, tf.errors.OpError) else "")
        text = re.sub(r"^\{\{function_node [^}]*\}\} ", "", str(e))
        print(what, "->", kind)
        print("   ", re.sub(r" name: ?$", "", text.splitlines()[0] if text else ""))
        return None
    print(what, "->", repr(result))
    return result


def describe(label, t):
    print(label, t.dtype, t.shape, t.name)


def describe_op(label, t):  # (tfx_lite names constants and placeholders as TF does, not other ops)
    print(label, t.dtype, t.shape)


print("# mode")
print("executing_eagerly", tf.executing_eagerly())

print("# seed program")
a = tf.constant(1)
b = tf.constant(1)
c = a + b
print(tf.executing_eagerly())
sess = tf.Session()
c_ = sess.run(c)
print(c_)
x = tf.placeholder(tf.float32, shape=[None, 2])
w = tf.constant([[1.0], [2.0]])
y = tf.matmul(x, w)
print(sess.run(y, feed_dict={x: [[1.0, 1.0], [3.0, 4.0]]}))
print(sess.run([c, y], feed_dict={x: [[0.5, 0.5]]}))
sess.close()
print("c_", repr(c_), type(c_).__name__)

print("# graph tensors")
tf.reset_default_graph()
k0 = tf.constant(3)
k1 = tf.constant(4.0)
s = k0 + 2
s2 = tf.add(k0, k0)
m = k1 * 2.0
p = tf.placeholder(tf.float32, shape=[None, 2])
named = tf.constant([1, 2, 3], name="three")
named2 = tf.constant([1, 2], name="three")
pn = tf.placeholder(tf.float32, shape=[2], name="inp")
strc = tf.constant("hi")
boolc = tf.constant([True, False])
for label, t in [("k0", k0), ("k1", k1), ("p", p), ("named", named), ("named2", named2), ("pn", pn),
                 ("strc", strc), ("boolc", boolc)]:
    describe(label, t)
for label, t in [("s", s), ("s2", s2), ("m", m)]:
    describe_op(label, t)
print("p.shape.as_list", p.shape.as_list())
print("k0 graph is default", k0.graph is tf.get_default_graph())

print("# fetch structures")
Pair = collections.namedtuple("Pair", ["first", "second"])
with tf.Session() as sess:
    run("single int", lambda: sess.run(k0))
    run("single float", lambda: sess.run(k1))
    run("sum", lambda: sess.run(s))
    run("mul", lambda: sess.run(m))
    run("string", lambda: sess.run(strc))
    run("bool vec", lambda: sess.run(boolc))
    run("named vec", lambda: sess.run(named))
    run("list", lambda: sess.run([k0, k1]))
    run("tuple", lambda: sess.run((k0, s)))
    run("dict", lambda: sess.run({"a": k0, "b": m}))
    run("namedtuple", lambda: sess.run(Pair(k0, k1)))
    run("nested", lambda: sess.run({"x": [k0, (s, m)], "y": Pair(named, {"z": k1})}))
    run("same twice", lambda: sess.run([k0, k0]))
    run("empty list", lambda: sess.run([]))
    run("one-element list", lambda: sess.run([s]))
    run("by name string", lambda: sess.run("Const_1:0"))
    run("by name list", lambda: sess.run(["Const:0", "Const_1:0"]))
    run("int64 const", lambda: sess.run(tf.constant(5, dtype=tf.int64)))
    run("float64 const", lambda: sess.run(tf.constant(1.5, dtype=tf.float64)))
    run("bool scalar", lambda: sess.run(tf.constant(True)))
    run("string vec", lambda: sess.run(tf.constant(["a", "bc"])))
    r = sess.run(k0)
    print("type of scalar result", type(r).__name__, "shape", np.shape(r))
    r = sess.run(named)
    print("type of array result", type(r).__name__, r.dtype)
    print("sess.graph is default", sess.graph is tf.get_default_graph())

print("# placeholders and feeds")
with tf.Session() as sess:
    run("batch 1", lambda: sess.run(p * 2.0, feed_dict={p: [[1.0, 2.0]]}))
    run("batch 3", lambda: sess.run(tf.reduce_sum(p, axis=1),
                                    feed_dict={p: np.ones((3, 2), np.float32)}))
    run("batch 0", lambda: sess.run(tf.shape(p), feed_dict={p: np.zeros((0, 2))}))
    run("fetch the placeholder", lambda: sess.run(pn, feed_dict={pn: [7, 8]}))
    run("feed float64 array into float32", lambda: sess.run(p, feed_dict={p: np.array([[1.5, 2.5]])}))
    run("feed int list into float32", lambda: sess.run(p, feed_dict={p: [[1, 2]]}))
    run("feed by name", lambda: sess.run(p * 1.0, feed_dict={"Placeholder:0": [[3.0, 4.0]]}))
    run("feed named placeholder by name", lambda: sess.run(pn + 1.0, feed_dict={"inp:0": [1.0, 2.0]}))
    run("feed a constant", lambda: sess.run(s, feed_dict={k0: 10}))
    run("feed a constant, fetch it", lambda: sess.run(k0, feed_dict={k0: 10}))
    run("feed an intermediate", lambda: sess.run(s + 1, feed_dict={s: 100}))
    run("feed numpy scalar", lambda: sess.run(k0 * 2, feed_dict={k0: np.int32(21)}))

    d = tf.placeholder_with_default(tf.constant([1.0, 2.0]), shape=[None])
    describe("pwd", d)
    run("pwd not fed", lambda: sess.run(d * 2.0))
    run("pwd fed", lambda: sess.run(d * 2.0, feed_dict={d: [5.0, 6.0, 7.0]}))
    d2 = tf.placeholder_with_default(3, shape=[])
    describe("pwd scalar", d2)
    run("pwd scalar not fed", lambda: sess.run(d2))
    run("pwd scalar fed", lambda: sess.run(d2, feed_dict={d2: 9}))

print("# ops in graph mode")
mx = tf.constant([[1.0, 2.0], [3.0, 4.0]])
mm = tf.matmul(mx, mx)
rs = tf.reduce_sum(mx)
rs0 = tf.reduce_sum(mx, axis=0)
rp = tf.reshape(mx, [4])
rp2 = tf.reshape(p, [-1])
cc = tf.concat([mx, mx], axis=0)
rl = tf.nn.relu(mx - 2.5)
for label, t in [("matmul", mm), ("reduce_sum", rs), ("reduce_sum axis0", rs0), ("reshape", rp),
                 ("reshape placeholder", rp2), ("concat", cc), ("relu", rl)]:
    describe_op(label, t)
with tf.Session() as sess:
    run("matmul", lambda: sess.run(mm))
    run("reduce_sum", lambda: sess.run(rs))
    run("reduce_sum axis0", lambda: sess.run(rs0))
    run("reshape", lambda: sess.run(rp))
    run("reshape placeholder", lambda: sess.run(rp2, feed_dict={p: [[1, 2], [3, 4], [5, 6]]}))
    run("concat", lambda: sess.run(cc))
    run("relu", lambda: sess.run(rl))
    run("all", lambda: sess.run([mm, rs, rl]))

print("# graphs")
g0 = tf.get_default_graph()
print("default graph stable", g0 is tf.get_default_graph())
g = tf.Graph()
with g.as_default():
    print("inside as_default", tf.get_default_graph() is g)
    q = tf.constant(7)
    q2 = tf.constant(8)
    qa = q + q2
    describe("fresh q", q)
    describe("fresh q2", q2)
    describe_op("fresh qa", qa)
    print("q.graph is g", q.graph is g)
    with tf.Session() as sess:
        print("session graph is g", sess.graph is g)
        run("run in fresh graph", lambda: sess.run(qa))
print("after as_default", tf.get_default_graph() is g0)
with tf.Session(graph=g) as sess:
    run("Session(graph=g)", lambda: sess.run(qa))
tf.reset_default_graph()
g1 = tf.get_default_graph()
print("reset gives new graph", g1 is not g0)
r0 = tf.constant(1)
describe("after reset", r0)
describe("after reset 2", tf.constant(2))

print("# InteractiveSession and eval")
isess = tf.InteractiveSession()
print("default session is isess", tf.get_default_session() is isess)
e1 = tf.constant([1, 2]) * 3
run("eval", lambda: e1.eval())
ph = tf.placeholder(tf.float32, shape=[2])
run("eval with feed", lambda: (ph + 1.0).eval(feed_dict={ph: [1.0, 2.0]}))
run("eval explicit session", lambda: e1.eval(session=isess))
isess.close()
print("default session after close is None", tf.get_default_session() is None)

print("# Session as default via with")
with tf.Session() as sess:
    print("get_default_session is sess", tf.get_default_session() is sess)
    run("eval inside with", lambda: r0.eval())
with tf.Session().as_default() as sess2:
    run("eval inside as_default", lambda: (r0 + 1).eval())
print("after with", tf.get_default_session() is None)

print("# closed session")
sess = tf.Session()
run("before close", lambda: sess.run(r0))
sess.close()
run("after close", lambda: sess.run(r0))
run("close twice", lambda: sess.close())
with tf.Session() as sess:
    pass
run("after with block", lambda: sess.run(r0))
