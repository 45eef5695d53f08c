"""tf.data.Dataset transformations: map, filter, zip, concatenate, take/skip, repeat, enumerate,
batch/padded_batch/unbatch/rebatch, window, cache, prefetch, reduce, apply and cardinality
(run by tests/tfx_lite/test_dataset_programs.py; dataset_transforms_program.tf.txt is what TensorFlow 2.21 printed)."""
import os
import tempfile
from program import tf
import numpy as np


def rnd(a):
    a = np.asarray(a)
    return np.round(a, 5).tolist() if a.dtype.kind == "f" else a.tolist()


def fmt(e):
    if isinstance(e, dict):
        return "{" + ", ".join(f"{k!r}: {fmt(v)}" for k, v in e.items()) + "}"
    if isinstance(e, tuple):
        return "(" + ", ".join(fmt(v) for v in e) + ")"
    return f"{rnd(e.numpy())} {e.dtype.name} {e.shape}"


def card(ds):
    return int(ds.cardinality().numpy())


def show(name, ds, elements=True):
    print("==", name)
    print(ds)
    print(ds.element_spec)
    if elements:
        for e in ds:
            print(" ", fmt(e))
    print("  cardinality:", card(ds))


r5 = tf.data.Dataset.range(5)

# map
show("map x*2", r5.map(lambda x: x * 2))
show("map cast", r5.map(lambda x: tf.cast(x, tf.float32) / 2))
show("map const", r5.take(2).map(lambda x: 1))
pairs = tf.data.Dataset.from_tensor_slices((np.arange(3), np.array([10.0, 20.0, 30.0], dtype=np.float32)))
show("map unpack tuple", pairs.map(lambda a, b: tf.cast(a, tf.float32) + b))
show("map return tuple", r5.take(3).map(lambda x: (x, x * x)))
show("map return list", r5.take(2).map(lambda x: [x, x + 1]))
show("map swap", pairs.map(lambda a, b: (b, a)))
dicts = tf.data.Dataset.from_tensor_slices({"a": np.array([1, 2, 3]), "b": np.array([0.5, 1.5, 2.5])})
show("map dict in", dicts.map(lambda d: tf.cast(d["a"], tf.float64) * d["b"]))
show("map dict out", r5.take(2).map(lambda x: {"y": x + 1, "x": tf.cast(x, tf.float32)}))
show("map dict to dict", dicts.map(lambda d: {"sum": tf.cast(d["a"], tf.float64) + d["b"], "a": d["a"]}))
show("map tuple with dict", tf.data.Dataset.from_tensor_slices(({"f": np.arange(2)}, np.array([1, 0]))).map(
    lambda feats, label: (feats["f"] * 10, label)))
show("map parallel", r5.map(lambda x: x + 100, num_parallel_calls=tf.data.AUTOTUNE))
show("map parallel 2", r5.map(lambda x: x - 1, num_parallel_calls=2))


def traced(x):
    print("  tracing map fn:", x.shape, x.dtype.name)
    return x * 3


print("before map")
traced_ds = r5.map(traced)
print("after map")
show("map traced", traced_ds)
print("second iteration:", list(traced_ds.as_numpy_iterator()))
batched_trace = r5.batch(2).map(traced)
show("map traced batched", batched_trace)


def traced2(a, b):
    print("  tracing tuple fn:", a.shape, a.dtype.name, b.shape, b.dtype.name)
    return a


show("map traced tuple", pairs.map(traced2))

# filter
show("filter even", tf.data.Dataset.range(10).filter(lambda x: x % 2 == 0))
show("filter tuple", pairs.filter(lambda a, b: b > 15.0))
show("filter dict", dicts.filter(lambda d: d["a"] != 2))
show("filter none", r5.filter(lambda x: x > 100))

# zip
a = tf.data.Dataset.range(4)
b = tf.data.Dataset.from_tensor_slices(np.array([1.0, 2.0, 3.0], dtype=np.float32))
c = tf.data.Dataset.range(10, 16)
show("zip tuple", tf.data.Dataset.zip((a, b)))
show("zip varargs", tf.data.Dataset.zip(a, c))
show("zip nested", tf.data.Dataset.zip((a, (b, c))))
show("zip dict", tf.data.Dataset.zip({"first": a, "second": c}))
show("zip infinite", tf.data.Dataset.zip((a.repeat(), b)))
show("zip map", tf.data.Dataset.zip((a, c)).map(lambda x, y: x * y))

# concatenate
show("concatenate", a.concatenate(c))
show("concatenate shapes", tf.data.Dataset.from_tensor_slices([[1, 2]]).concatenate(
    tf.data.Dataset.from_tensor_slices([[3, 4, 5]])))
show("concatenate tuple", pairs.concatenate(pairs.take(1)))

# take / skip
r10 = tf.data.Dataset.range(10)
show("take 3", r10.take(3))
show("take 20", r10.take(20))
show("take 0", r10.take(0))
show("take -1", r10.take(-1))
show("skip 7", r10.skip(7))
show("skip 20", r10.skip(20))
show("skip -1", r10.skip(-1))
show("skip 0", r10.skip(0))
show("skip take", r10.skip(2).take(3))

# repeat
show("repeat 2", tf.data.Dataset.range(3).repeat(2))
show("repeat 0", tf.data.Dataset.range(3).repeat(0))
show("repeat forever", tf.data.Dataset.range(3).repeat(), elements=False)
show("repeat take", tf.data.Dataset.range(3).repeat().take(7))
show("repeat -1", tf.data.Dataset.range(3).repeat(-1).take(4))
show("repeat skip", tf.data.Dataset.range(3).repeat().skip(2), elements=False)
show("filter repeat", r10.filter(lambda x: x < 2).repeat(2))

# enumerate
show("enumerate", tf.data.Dataset.from_tensor_slices(np.array([7, 8, 9], dtype=np.int32)).enumerate())
show("enumerate start", b.enumerate(start=5))
show("enumerate tuple", pairs.enumerate())

# batch
r7 = tf.data.Dataset.range(7)
show("batch 3", r7.batch(3))
show("batch 3 drop", r7.batch(3, drop_remainder=True))
show("batch 10", r7.batch(10))
show("batch 10 drop", r7.batch(10, drop_remainder=True))
show("batch tuple", pairs.batch(2))
show("batch dict", dicts.batch(2, drop_remainder=True))
show("batch matrix", tf.data.Dataset.from_tensor_slices(np.arange(12, dtype=np.float32).reshape(6, 2)).batch(4))
show("batch batch", tf.data.Dataset.range(8).batch(2).batch(2))
show("batch filter", r10.filter(lambda x: x > 3).batch(4))
show("batch repeat", r7.repeat().batch(3), elements=False)
show("batch parallel", r7.batch(3, num_parallel_calls=tf.data.AUTOTUNE))

# padded_batch
ragged = tf.data.Dataset.range(1, 6).map(lambda x: tf.fill([x], x))
show("ragged source", ragged)
show("padded_batch", ragged.padded_batch(2))
show("padded_batch shapes", ragged.padded_batch(2, padded_shapes=[6]))
show("padded_batch values", ragged.padded_batch(3, padding_values=tf.constant(-1, tf.int64)))
show("padded_batch drop", ragged.padded_batch(2, padded_shapes=(None,), drop_remainder=True))
show("padded_batch fixed", r7.map(lambda x: tf.fill([2], tf.cast(x, tf.float32))).padded_batch(3))
show("padded_batch tuple", ragged.map(lambda x: (x, tf.cast(tf.size(x), tf.int32))).padded_batch(
    2, padded_shapes=([None], []), padding_values=(tf.constant(9, tf.int64), 0)))
show("padded_batch 2d", tf.data.Dataset.range(1, 4).map(lambda x: tf.ones([x, 2], tf.float32)).padded_batch(
    2, padded_shapes=[4, None]))

# unbatch / rebatch
show("unbatch", r7.batch(3).unbatch())
show("unbatch tuple", pairs.batch(2).unbatch())
show("unbatch matrix", tf.data.Dataset.from_tensors(np.arange(6).reshape(3, 2)).unbatch())
show("rebatch", r7.batch(4).rebatch(2))
show("rebatch drop", r7.batch(4).rebatch(3, drop_remainder=True))

# window
w = tf.data.Dataset.range(7).window(3)
print("== window")
print(w)
print(w.element_spec)
print("  cardinality:", card(w))
for win in w:
    print(" ", win, isinstance(win, tf.data.Dataset), win.element_spec,
          list(win.as_numpy_iterator()), [v.numpy().tolist() for v in win.batch(10)])
for kwargs in [dict(size=3, shift=1), dict(size=3, shift=2, drop_remainder=True), dict(size=2, shift=3),
               dict(size=3, shift=1, stride=2), dict(size=3, shift=1, stride=2, drop_remainder=True),
               dict(size=4, drop_remainder=True)]:
    w = tf.data.Dataset.range(7).window(**kwargs)
    print("== window", sorted(kwargs.items()), card(w))
    print("  ", [list(win.as_numpy_iterator()) for win in w])
wt = pairs.window(2)
print("== window tuple")
print(wt.element_spec)
for wa, wb in wt:
    print("  ", list(wa.as_numpy_iterator()), rnd(list(wb.as_numpy_iterator())))
flat = tf.data.Dataset.range(6).window(3, shift=1, drop_remainder=True).flat_map(lambda win: win.batch(3))
show("window flat_map", flat)

# cache
calls = []


def counted():
    calls.append(1)
    for i in range(4):
        yield i


src = tf.data.Dataset.from_generator(counted, output_signature=tf.TensorSpec([], tf.int64))
show("cache memory", src.cache(), elements=False)
cached = src.map(lambda x: x * 10).cache()
print("  first:", list(cached.as_numpy_iterator()), "calls:", len(calls))
print("  second:", list(cached.as_numpy_iterator()), "calls:", len(calls))
uncached = src.map(lambda x: x * 10)
print("  uncached:", list(uncached.as_numpy_iterator()), list(uncached.as_numpy_iterator()), "calls:", len(calls))
print("  cache cardinality:", card(r7.cache()))
with tempfile.TemporaryDirectory() as d:
    calls.clear()
    fcached = src.cache(os.path.join(d, "cache"))
    print(fcached)
    print("  file first:", list(fcached.as_numpy_iterator()), "calls:", len(calls))
    print("  file second:", list(fcached.as_numpy_iterator()), "calls:", len(calls))
    fcached2 = src.cache(os.path.join(d, "cache"))
    print("  file new dataset:", list(fcached2.as_numpy_iterator()), "calls:", len(calls))

# prefetch
show("prefetch 2", r5.prefetch(2))
show("prefetch autotune", r5.map(lambda x: x + 1).batch(2).prefetch(tf.data.AUTOTUNE))
show("prefetch infinite", r5.repeat().prefetch(1), elements=False)

# reduce
s = r5.reduce(np.int64(0), lambda acc, x: acc + x)
print("reduce sum", s.numpy(), s.dtype.name, s.shape)
s = b.reduce(tf.constant(0.0), lambda acc, x: acc + x)
print("reduce float", rnd(s.numpy()), s.dtype.name)
st = r5.reduce((np.int64(0), np.int64(1)), lambda state, x: (state[0] + 1, state[1] * (x + 1)))
print("reduce tuple", [(v.numpy().tolist(), v.dtype.name) for v in st])
st = pairs.reduce((tf.constant(0, tf.int64), tf.constant(0.0)), lambda state, e: (state[0] + e[0], state[1] + e[1]))
print("reduce tuple elements", [rnd(v.numpy()) for v in st])
print("reduce empty", r5.take(0).reduce(np.int64(42), lambda acc, x: acc + x).numpy())

# apply
def add_one_batch(ds):
    return ds.map(lambda x: x + 1).batch(2)


show("apply", r5.apply(add_one_batch))
show("apply lambda", r5.apply(lambda ds: ds.filter(lambda x: x > 2)))

# cardinality constants
print("INFINITE_CARDINALITY", tf.data.INFINITE_CARDINALITY, type(tf.data.INFINITE_CARDINALITY).__name__)
print("UNKNOWN_CARDINALITY", tf.data.UNKNOWN_CARDINALITY)
print("AUTOTUNE", tf.data.AUTOTUNE, tf.data.experimental.AUTOTUNE)
print("experimental constants", tf.data.experimental.INFINITE_CARDINALITY, tf.data.experimental.UNKNOWN_CARDINALITY)
ec = tf.data.experimental.cardinality(r10.repeat())
print("experimental.cardinality", ec.numpy(), ec.dtype.name, ec.shape)
print("experimental.cardinality filter", tf.data.experimental.cardinality(r10.filter(lambda x: x > 1)).numpy())
print("experimental.cardinality take", tf.data.experimental.cardinality(r10.take(4)).numpy())
print("is infinite", (r10.repeat().cardinality() == tf.data.INFINITE_CARDINALITY).numpy())
print("is unknown", (r10.filter(lambda v: v >= 0).cardinality() == tf.data.UNKNOWN_CARDINALITY).numpy())
print("len", len(r10), len(r10.batch(3)), len(r10.batch(3, drop_remainder=True)), len(r10.map(lambda x: x)))
print("chain", card(r10.repeat(3).skip(4).take(20).batch(4)), card(r10.repeat().take(3).repeat(2)),
      card(r10.filter(lambda x1: x1 > 0).take(0)), card(r10.filter(lambda x2: x2 > 0).repeat()),
      card(r10.repeat().filter(lambda x3: x3 > 0)), card(r10.repeat().skip(3)), card(r10.take(0).repeat()))
