"""tf.data.Dataset.shuffle: only order-independent properties are printed (tfx_lite's random order differs
from TensorFlow's). Run by tests/tfx_lite/test_dataset_programs.py; dataset_shuffle_program.tf.txt is what
TensorFlow 2.21 printed."""
from program import tf
import numpy as np


def order(ds):
    return [int(v) for v in ds.as_numpy_iterator()]


D = tf.data.Dataset

# permutations for several buffer sizes
for n, buf in [(10, 1), (10, 2), (10, 5), (10, 10), (10, 100), (37, 8), (1, 4), (0, 3)]:
    o = order(D.range(n).shuffle(buf))
    print("buffer", n, buf, "permutation", sorted(o) == list(range(n)), "len", len(o))

# buffer_size=1 is the identity
print("buffer 1 identity", all(order(D.range(20).shuffle(1)) == list(range(20)) for _ in range(3)))

# with buffer_size=k, output i is one of the first i + k inputs
for k in [2, 3, 7]:
    ok_first, ok_window = True, True
    ds = D.range(50).shuffle(k)
    for _ in range(10):
        o = order(ds)
        ok_first = ok_first and o[0] < k
        ok_window = ok_window and all(v < i + k for i, v in enumerate(o))
    print("buffer", k, "first < k", ok_first, "window bound", ok_window)

# seeds
a = order(D.range(100).shuffle(100, seed=3))
b = order(D.range(100).shuffle(100, seed=3))
print("op seed rebuilt equal", a == b, "is permutation", sorted(a) == list(range(100)), "not identity",
      a != list(range(100)))
print("op seeds 3 and 4 differ", a != order(D.range(100).shuffle(100, seed=4)))
seeded = D.range(100).shuffle(100, seed=3)
e1, e2 = order(seeded), order(seeded)
rebuilt = D.range(100).shuffle(100, seed=3)
f1, f2 = order(rebuilt), order(rebuilt)
print("seeded epochs differ", e1 != e2, "epoch 1 equal", e1 == f1, "epoch 2 equal", e2 == f2, "equals a", e1 == a)

# reshuffle_each_iteration
ds = D.range(100).shuffle(100)
print("reshuffle default differ", order(ds) != order(ds))
ds = D.range(100).shuffle(100, reshuffle_each_iteration=True)
print("reshuffle True differ", order(ds) != order(ds))
ds = D.range(100).shuffle(100, reshuffle_each_iteration=False)
print("reshuffle False equal", order(ds) == order(ds))
ds = D.range(100).shuffle(100, seed=7, reshuffle_each_iteration=False)
print("reshuffle False seeded equal", order(ds) == order(ds) == order(D.range(100).shuffle(
    100, seed=7, reshuffle_each_iteration=False)))
print("unseeded builds differ", order(D.range(100).shuffle(100)) != order(D.range(100).shuffle(100)))

# global seed
tf.random.set_seed(5)
g1 = order(D.range(100).shuffle(100).map(lambda x: x * 2))
tf.random.set_seed(5)
g2 = order(D.range(100).shuffle(100).map(lambda x: x * 2))
print("global seed equal", g1 == g2, "even permutation", sorted(g1) == list(range(0, 200, 2)))
tf.random.set_seed(5)
h1 = order(D.range(100).shuffle(100, seed=1))
tf.random.set_seed(5)
h2 = order(D.range(100).shuffle(100, seed=1))
print("global and op seed equal", h1 == h2)

# shuffle then batch
sb = D.range(10).shuffle(10).batch(4)
print(sb)
print(sb.element_spec, int(sb.cardinality()))
batches = [v.numpy() for v in sb]
print("batch shapes", [b.shape for b in batches], [b.dtype.name for b in batches])
print("union", sorted(np.concatenate(batches).tolist()) == list(range(10)))
sbd = D.range(10).shuffle(3).batch(4, drop_remainder=True)
print(sbd.element_spec, int(sbd.cardinality()), [v.shape for v in sbd])

# shuffle then repeat
sr = D.range(20).shuffle(20).repeat(2)
o = order(sr)
print("repeat len", len(o), "epoch 1 permutation", sorted(o[:20]) == list(range(20)),
      "epoch 2 permutation", sorted(o[20:]) == list(range(20)), "epochs differ", o[:20] != o[20:])
srf = D.range(20).shuffle(20, reshuffle_each_iteration=False).repeat(2)
o = order(srf)
print("no reshuffle repeat epochs equal", o[:20] == o[20:], sorted(o[:20]) == list(range(20)))
rs = D.range(5).repeat(3).shuffle(15)
o = order(rs)
print("repeat then shuffle counts", sorted(o) == sorted(list(range(5)) * 3))

# structure is kept together
z = D.zip((D.range(30), D.range(30).map(lambda x: x * 10))).shuffle(30)
pairs = [(int(p), int(q)) for p, q in z.as_numpy_iterator()]
print("pairs aligned", all(q == 10 * p for p, q in pairs), sorted(p for p, _ in pairs) == list(range(30)))
dd = D.from_tensor_slices({"a": np.arange(6), "b": np.arange(6) * 2.0}).shuffle(6)
items = list(dd.as_numpy_iterator())
print("dict aligned", all(it["b"] == 2 * it["a"] for it in items), sorted(int(it["a"]) for it in items),
      sorted(items[0].keys()), type(items[0]["a"]).__name__, type(items[0]["b"]).__name__)

# element_spec, repr and cardinality
s = D.range(10).shuffle(4)
print(s)
print(s.element_spec)
print(int(s.cardinality()), len(s))
s2 = D.from_tensor_slices((np.zeros((5, 2), dtype=np.float32), np.arange(5, dtype=np.int32))).shuffle(5, seed=0)
print(s2)
print(int(s2.cardinality()))
print(int(D.range(3).repeat().shuffle(10).cardinality()),
      int(D.range(9).filter(lambda x: x > 2).shuffle(3).cardinality()))
first = next(iter(D.range(1000).shuffle(10)))
print("first", first.dtype.name, first.shape, 0 <= int(first) < 10)
t = [int(v) for v in D.range(100).shuffle(100).take(5)]
print("take 5 distinct", len(set(t)) == 5, all(0 <= v < 100 for v in t))
