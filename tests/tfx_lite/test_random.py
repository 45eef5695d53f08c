"""tf.random: TF's seed rules, Generators, stateless ops, dtypes/shapes/errors as TF gives them,
and distribution statistics. Values come from JAX's PRNG (not TF's Philox), so tests check
determinism, ranges and statistics, never TF's exact numbers (see tfx_lite/ops/random_ops.py).

Expected dtypes, shapes, states and error types below were printed by TensorFlow 2.21."""
import math

import numpy as np
import pytest

import tfx_lite as tf
from compiler import GraphBuilder, REGISTRY

N = 10_000


@pytest.fixture(autouse=True)
def _no_global_seed():
    tf.random.set_seed(None)
    yield
    tf.random.set_seed(None)


def np_(x):
    return np.asarray(x.numpy())


# --------------------------------------------------------------------------- seed rules

def test_no_seeds_is_nondeterministic():
    a, b = np_(tf.random.uniform([8])), np_(tf.random.uniform([8]))
    assert not np.array_equal(a, b)


def test_global_seed_makes_the_sequence_reproducible():
    tf.random.set_seed(1)
    a, b, n = tf.random.uniform([4]), tf.random.uniform([4]), tf.random.normal([4])
    tf.random.set_seed(1)
    a2, b2, n2 = tf.random.uniform([4]), tf.random.uniform([4]), tf.random.normal([4])
    np.testing.assert_array_equal(np_(a), np_(a2))
    np.testing.assert_array_equal(np_(b), np_(b2))
    np.testing.assert_array_equal(np_(n), np_(n2))
    assert not np.array_equal(np_(a), np_(b))


def test_different_global_seeds_differ():
    tf.random.set_seed(1)
    a = np_(tf.random.uniform([4]))
    tf.random.set_seed(2)
    assert not np.array_equal(a, np_(tf.random.uniform([4])))


def test_op_seed_without_global_seed_is_deterministic_per_program():
    a, b = np_(tf.random.uniform([4], seed=5)), np_(tf.random.uniform([4], seed=5))
    assert not np.array_equal(a, b)  # same op, same seeds: the kernel's state advances
    tf.random.set_seed(None)  # clears the kernel state, as in TF
    np.testing.assert_array_equal(a, np_(tf.random.uniform([4], seed=5)))
    np.testing.assert_array_equal(b, np_(tf.random.uniform([4], seed=5)))


def test_op_seed_and_global_seed():
    tf.random.set_seed(3)
    x1, x2 = np_(tf.random.uniform([4], seed=5)), np_(tf.random.uniform([4], seed=5))
    y = np_(tf.random.uniform([4], seed=6))
    assert not np.array_equal(x1, x2) and not np.array_equal(x1, y)
    tf.random.set_seed(3)
    np.testing.assert_array_equal(x1, np_(tf.random.uniform([4], seed=5)))
    np.testing.assert_array_equal(x2, np_(tf.random.uniform([4], seed=5)))
    tf.random.set_seed(4)
    assert not np.array_equal(x1, np_(tf.random.uniform([4], seed=5)))


def test_op_seed_stream_is_per_op_and_dtype():
    # TF keeps one stateful kernel per (op, dtype, seeds): other ops do not advance it.
    tf.random.set_seed(1)
    a = np_(tf.random.uniform([3], seed=7))
    tf.random.set_seed(1)
    tf.random.normal([3], seed=7)
    tf.random.uniform([3], seed=7, dtype=tf.float64)
    np.testing.assert_array_equal(a, np_(tf.random.uniform([3], seed=7)))


def test_op_seeds_drawn_after_set_seed_match_tensorflow():
    from tfx_lite.ops.random_ops import get_seed
    tf.random.set_seed(1)
    assert get_seed(None) == (1, 577090037)
    assert get_seed(None) == (1, 271041745)
    assert get_seed(3) == (1, 3)
    tf.random.set_seed(0)
    assert get_seed(0) == (0, 2147483647)
    tf.random.set_seed(None)
    assert get_seed(None) == (None, None)
    assert get_seed(3) == (87654321, 3)


def test_set_seed_accepts_tensors_and_odd_values():
    tf.random.set_seed(tf.constant(3))
    a = np_(tf.random.uniform([2]))
    tf.random.set_seed(3)
    np.testing.assert_array_equal(a, np_(tf.random.uniform([2])))
    for seed in (-5, 2 ** 70, 1.5):
        tf.random.set_seed(seed)
        assert tf.random.uniform([2]).shape == [2]
    tf.random.uniform([2], seed=2 ** 40)
    tf.random.uniform([2], seed=-3)
    tf.random.uniform([2], seed=tf.constant(3))
    with pytest.raises(TypeError):
        tf.random.uniform([2], seed="a")


@pytest.mark.parametrize("fn", [
    lambda s: tf.random.normal([5], seed=s),
    lambda s: tf.random.truncated_normal([5], seed=s),
    lambda s: tf.random.uniform([5], maxval=1000, dtype=tf.int64, seed=s),
    lambda s: tf.random.categorical([[0.0, 0.0, 0.0]], 20, seed=s),
    lambda s: tf.random.shuffle(tf.constant(np.arange(20)), seed=s),
    lambda s: tf.random.gamma([5], 1.0, seed=s),
    lambda s: tf.random.poisson([5], 3.0, seed=s),
], ids=["normal", "truncated_normal", "uniform_int", "categorical", "shuffle", "gamma", "poisson"])
def test_every_stateful_op_follows_the_seed_rules(fn):
    tf.random.set_seed(11)
    a, b = np_(fn(2)), np_(fn(2))
    assert not np.array_equal(a, b)
    tf.random.set_seed(11)
    np.testing.assert_array_equal(a, np_(fn(2)))
    np.testing.assert_array_equal(b, np_(fn(2)))


# --------------------------------------------------------------------------- stateless

def test_stateless_ops_are_deterministic():
    for fn in (tf.random.stateless_uniform, tf.random.stateless_normal,
               tf.random.stateless_truncated_normal):
        a = np_(fn([3, 4], seed=[1, 2]))
        np.testing.assert_array_equal(a, np_(fn([3, 4], seed=[1, 2])))
        np.testing.assert_array_equal(a, np_(fn([3, 4], seed=tf.constant([1, 2], tf.int64))))
        assert not np.array_equal(a, np_(fn([3, 4], seed=[1, 3])))
        assert not np.array_equal(a, np_(fn([3, 4], seed=[2, 1])))
    tf.random.set_seed(5)  # the global seed plays no part
    b = np_(tf.random.stateless_uniform([3, 4], seed=[1, 2]))
    np.testing.assert_array_equal(b, np_(tf.random.stateless_uniform([3, 4], seed=[1, 2])))


def test_stateless_categorical_gamma_poisson_binomial_shuffle():
    l = [[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]]
    for fn in (lambda s: tf.random.stateless_categorical(l, 10, seed=s),
               lambda s: tf.random.stateless_gamma([3, 2], seed=s, alpha=[1.0, 2.0]),
               lambda s: tf.random.stateless_poisson([6], seed=s, lam=3.0),
               lambda s: tf.random.stateless_binomial([6], seed=s, counts=10.0, probs=0.5),
               lambda s: tf.random.experimental.stateless_shuffle(np.arange(10), seed=s)):
        np.testing.assert_array_equal(np_(fn([3, 4])), np_(fn([3, 4])))
        assert not np.array_equal(np_(fn([3, 4])), np_(fn([4, 3])))


def test_stateless_split_and_fold_in():
    s = tf.random.split([1, 2], 3)
    assert s.dtype == tf.int32 and s.shape == [3, 2]
    np.testing.assert_array_equal(np_(s), np_(tf.random.experimental.stateless_split([1, 2], 3)))
    assert len({tuple(r) for r in np_(s)}) == 3
    s64 = tf.random.split(tf.constant([1, 2], tf.int64))
    assert s64.dtype == tf.int64 and s64.shape == [2, 2]
    f = tf.random.fold_in([1, 2], 3)
    assert f.dtype == tf.int32 and f.shape == [2] and int(np_(f)[1]) == 3
    assert tf.random.fold_in([1, 2], tf.constant(3, tf.int64)).dtype == tf.int64
    assert not np.array_equal(np_(tf.random.fold_in([1, 2], 3)), np_(tf.random.fold_in([1, 2], 4)))
    for seed in np_(s):
        tf.random.stateless_uniform([2], seed=seed)


def test_stateless_full_range_integers():
    for dtype in (tf.int32, tf.int64, tf.uint32, tf.uint64):
        x = tf.random.stateless_uniform([1000], seed=[1, 2], minval=None, maxval=None, dtype=dtype)
        assert x.dtype == dtype
        values = np_(x)
        if dtype.is_unsigned:
            assert values.max() > np.iinfo(values.dtype).max // 2
        else:
            assert values.min() < 0 < values.max()


# --------------------------------------------------------------------------- Generator

def test_generator_from_seed_is_deterministic_and_advances():
    g1, g2 = tf.random.Generator.from_seed(1), tf.random.Generator.from_seed(1)
    a, b = np_(g1.normal([4])), np_(g1.normal([4]))
    assert not np.array_equal(a, b)
    np.testing.assert_array_equal(a, np_(g2.normal([4])))
    np.testing.assert_array_equal(b, np_(g2.normal([4])))
    assert not np.array_equal(a, np_(tf.random.Generator.from_seed(2).normal([4])))


def test_generator_state_advances_as_tensorflow_reports():
    g = tf.random.Generator.from_seed(1)
    assert isinstance(g.state, tf.Variable) and g.state.dtype == tf.int64 and g.algorithm == 1
    assert g.state.name == "StateVar:0"
    np.testing.assert_array_equal(g.state.numpy(), [1, 0, 0])
    g.uniform([3])
    np.testing.assert_array_equal(g.state.numpy(), [769, 0, 0])
    g.uniform([10])
    np.testing.assert_array_equal(g.state.numpy(), [3329, 0, 0])
    g.normal([1000])
    np.testing.assert_array_equal(g.state.numpy(), [259329, 0, 0])
    g.make_seeds(3), g.make_seeds(), g.split(2)
    np.testing.assert_array_equal(g.state.numpy(), [260865, 0, 0])
    g = tf.random.Generator.from_state([-1, 5, 7], "philox")
    g.uniform([3])  # the 128-bit counter carries into the second word
    np.testing.assert_array_equal(g.state.numpy(), [767, 6, 7])


def test_generator_state_from_seeds_as_tensorflow():
    cases = [(1, [1, 0, 0]), (-1, [-1, -1, -1]), (2 ** 64 + 3, [3, 1, 0]), ([1, 2], [0, 1, 2]),
             ([1, 2, 3, 4], [1, 2, 3]), (1.5, [0, 0, 1])]
    for seed, state in cases:
        np.testing.assert_array_equal(tf.random.Generator.from_seed(seed).state.numpy(), state)
    g = tf.random.Generator.from_seed(1, alg="threefry")
    assert g.algorithm == 2
    np.testing.assert_array_equal(g.state.numpy(), [1, 0])
    assert tf.random.Generator.from_seed(1, alg=tf.random.Algorithm.AUTO_SELECT).algorithm == 3
    np.testing.assert_array_equal(tf.random.create_rng_state(1, "philox").numpy(), [1, 0, 0])
    np.testing.assert_array_equal(
        tf.random.experimental.create_rng_state(1, "threefry").numpy(), [1, 0])
    np.testing.assert_array_equal(
        tf.random.Generator.from_key_counter(5, [1, 2], "philox").state.numpy(), [1, 2, 5])
    with pytest.raises(ValueError, match="unsupported value foo"):
        tf.random.Generator.from_seed(1, alg="foo")
    with pytest.raises(ValueError):
        tf.random.Generator(state=[1, 2], alg=1)


def test_generator_reset_copy_skip_and_key():
    g = tf.random.Generator.from_seed(7)
    a = np_(g.uniform([5]))
    g.reset_from_seed(7)
    np.testing.assert_array_equal(a, np_(g.uniform([5])))
    c = tf.random.Generator(copy_from=g)
    np.testing.assert_array_equal(np_(c.normal([3])), np_(g.normal([3])))
    g.reset([1, 2, 3])
    np.testing.assert_array_equal(g.state.numpy(), [1, 2, 3])
    assert int(g.key) == 3 and g.key.dtype == tf.int64
    old = g.skip(5)
    np.testing.assert_array_equal(old.numpy(), [1, 2, 3])
    np.testing.assert_array_equal(g.state.numpy(), [1 + 5 * 256, 2, 3])
    v = tf.Variable(np.array([0, 0, 9], np.int64))
    g2 = tf.random.Generator(state=v, alg="philox")
    g2.uniform([2])
    np.testing.assert_array_equal(v.numpy(), [512, 0, 9])  # the generator uses the variable


def test_generator_make_seeds_and_split():
    g = tf.random.Generator.from_seed(1)
    seeds = g.make_seeds(3)
    assert seeds.dtype == tf.int64 and seeds.shape == [2, 3]
    np.testing.assert_array_equal(np_(seeds)[1], [0, 0, 0])
    assert g.make_seeds().shape == [2, 1]
    parts = g.split(3)
    assert len(parts) == 3 and all(isinstance(p, tf.random.Generator) for p in parts)
    states = [p.state.numpy() for p in parts]
    assert all(s[0] == 0 and s[1] == 0 for s in states)
    values = [tuple(np_(p.uniform([4]))) for p in parts]
    assert len(set(values)) == 3
    assert g.split(0) == []
    tf.random.stateless_uniform([2], seed=seeds[:, 0])


def test_generator_dtypes_and_errors():
    g = tf.random.Generator.from_seed(1)
    assert g.uniform([2], maxval=10, dtype=tf.int32).dtype == tf.int32
    assert g.uniform([2], minval=None, maxval=None, dtype=tf.int32).dtype == tf.int32
    assert g.uniform_full_int([2]).dtype == tf.uint64
    assert g.uniform_full_int([2], dtype=tf.int32).dtype == tf.int32
    assert g.normal([2], dtype=tf.float64).dtype == tf.float64
    assert g.truncated_normal([2, 3]).shape == [2, 3]
    assert g.uniform([]).shape == []
    assert g.normal([2], mean=[[0.0], [1.0]]).shape == [2, 2]
    assert g.binomial([2], counts=[5.0, 6.0], probs=[0.5, 0.5]).dtype == tf.int32
    with pytest.raises(ValueError, match="minval and maxval must be both"):
        g.uniform([2], dtype=tf.int32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Need minval < maxval"):
        g.uniform([2], dtype=tf.int32, minval=5, maxval=3)
    with pytest.raises(tf.errors.InvalidArgumentError):
        g.uniform([-2])
    with pytest.raises(tf.errors.InvalidArgumentError):
        g.uniform(3)
    with pytest.raises(tf.errors.InvalidArgumentError):
        g.uniform_full_int([2], dtype=tf.float32)
    with pytest.raises(TypeError):
        g.normal([2], dtype=tf.int32)
    with pytest.raises(TypeError):
        g.uniform([2], dtype=tf.bool)


def test_generator_values_in_range_and_statistics():
    g = tf.random.Generator.from_seed(3)
    u = np_(g.uniform([N], minval=-1.0, maxval=3.0))
    assert u.min() >= -1.0 and u.max() < 3.0 and abs(u.mean() - 1.0) < 0.05
    i = np_(g.uniform([N], minval=-3, maxval=4, dtype=tf.int64))
    assert set(i.tolist()) == set(range(-3, 4))
    n = np_(g.normal([N], mean=2.0, stddev=3.0))
    assert abs(n.mean() - 2.0) < 0.1 and abs(n.std() - 3.0) < 0.1
    t = np_(g.truncated_normal([N], stddev=2.0))
    assert np.abs(t).max() <= 4.0 and abs(t.mean()) < 0.06


def test_global_generator():
    g = tf.random.get_global_generator()
    assert g is tf.random.get_global_generator()
    assert g is tf.random.experimental.get_global_generator()
    tf.random.set_seed(1)  # set_seed leaves the global generator alone, as in TF
    assert tf.random.get_global_generator() is g
    mine = tf.random.Generator.from_seed(5)
    try:
        tf.random.set_global_generator(mine)
        assert tf.random.get_global_generator() is mine
    finally:
        tf.random.experimental.set_global_generator(g)
    a = tf.random.Generator.from_non_deterministic_state()
    b = tf.random.Generator.from_non_deterministic_state()
    assert not np.array_equal(a.state.numpy(), b.state.numpy())
    assert tf.random.experimental.Generator is tf.random.Generator
    assert tf.random.experimental.Algorithm is tf.random.Algorithm
    assert tf.random.Algorithm.PHILOX.value == 1 and tf.random.Algorithm.THREEFRY.value == 2


# --------------------------------------------------------------------------- dtypes and shapes

@pytest.mark.parametrize("make, dtype, shape", [
    (lambda: tf.random.uniform([2, 3]), "float32", [2, 3]),
    (lambda: tf.random.uniform((2, 3), dtype=tf.float64), "float64", [2, 3]),
    (lambda: tf.random.uniform([2], maxval=10, dtype=tf.int32), "int32", [2]),
    (lambda: tf.random.uniform([2], maxval=10, dtype="int64"), "int64", [2]),
    (lambda: tf.random.uniform([2], maxval=10, dtype=tf.float16), "float16", [2]),
    (lambda: tf.random.uniform([2], maxval=10, dtype=tf.bfloat16), "bfloat16", [2]),
    (lambda: tf.random.uniform([2], maxval=np.int64(10), dtype=tf.int32), "int32", [2]),
    (lambda: tf.random.uniform([2], minval=tf.zeros([3, 1]), maxval=5.0), "float32", [3, 2]),
    (lambda: tf.random.uniform(tf.constant([2, 3])), "float32", [2, 3]),
    (lambda: tf.random.uniform(tf.constant([2, 3], tf.int64)), "float32", [2, 3]),
    (lambda: tf.random.uniform(tf.TensorShape([2, 3])), "float32", [2, 3]),
    (lambda: tf.random.uniform(np.array([2, 3])), "float32", [2, 3]),
    (lambda: tf.random.uniform([np.int64(2), 3]), "float32", [2, 3]),
    (lambda: tf.random.uniform([tf.constant(2), 3]), "float32", [2, 3]),
    (lambda: tf.random.uniform([]), "float32", []),
    (lambda: tf.random.uniform(()), "float32", []),
    (lambda: tf.random.uniform([0, 3]), "float32", [0, 3]),
    (lambda: tf.random.normal([2, 3]), "float32", [2, 3]),
    (lambda: tf.random.normal([2], dtype=tf.float64), "float64", [2]),
    (lambda: tf.random.normal([2], dtype=tf.float16), "float16", [2]),
    (lambda: tf.random.normal([2], mean=tf.zeros([3, 1])), "float32", [3, 2]),
    (lambda: tf.random.normal([2], mean=1, stddev=2), "float32", [2]),
    (lambda: tf.random.normal([2], mean=tf.constant(1, tf.float64), dtype=tf.float64), "float64", [2]),
    (lambda: tf.random.truncated_normal([2, 3]), "float32", [2, 3]),
    (lambda: tf.random.truncated_normal([2], dtype=tf.float64), "float64", [2]),
    (lambda: tf.random.categorical([[0.0, 1.0, 2.0]], 5), "int64", [1, 5]),
    (lambda: tf.random.categorical([[0.0, 1.0, 2.0]], 5, dtype=tf.int32), "int32", [1, 5]),
    (lambda: tf.random.categorical(tf.constant([[0.0, 1.0]], tf.float64), 5), "int64", [1, 5]),
    (lambda: tf.random.categorical([[0.0, 1.0, 2.0]], 0), "int64", [1, 0]),
    (lambda: tf.random.categorical([[0.0, 1.0, 2.0]], tf.constant(2)), "int64", [1, 2]),
    (lambda: tf.random.categorical(tf.zeros([0, 3]), 2), "int64", [0, 2]),
    (lambda: tf.random.shuffle([1, 2, 3]), "int32", [3]),
    (lambda: tf.random.shuffle(5), "int32", []),
    (lambda: tf.random.shuffle([[1, 2], [3, 4], [5, 6]]), "int32", [3, 2]),
    (lambda: tf.random.shuffle(["a", "b", "c"]), "string", [3]),
    (lambda: tf.random.shuffle([]), "float32", [0]),
    (lambda: tf.random.gamma([2], 1.0), "float32", [2]),
    (lambda: tf.random.gamma([2], [1.0, 2.0]), "float32", [2, 2]),
    (lambda: tf.random.gamma([2], [1.0, 2.0], beta=[[1.0], [2.0]]), "float32", [2, 2, 2]),
    (lambda: tf.random.gamma([2], 1, dtype=tf.float64), "float64", [2]),
    (lambda: tf.random.poisson([2], 1.0), "float32", [2]),
    (lambda: tf.random.poisson([2], [1.0, 2.0], dtype=tf.int64), "int64", [2, 2]),
    (lambda: tf.random.poisson([2], [1, 2]), "float32", [2, 2]),
    (lambda: tf.random.stateless_uniform([2], seed=[1, 2]), "float32", [2]),
    (lambda: tf.random.stateless_uniform([2], seed=[1, 2], maxval=10, dtype=tf.int32), "int32", [2]),
    (lambda: tf.random.stateless_uniform([2], seed=[1, 2], minval=None, maxval=None, dtype=tf.uint64),
     "uint64", [2]),
    (lambda: tf.random.stateless_uniform([2], seed=[1, 2], minval=[0.0, 1.0], maxval=5.0), "float32", [2]),
    (lambda: tf.random.stateless_normal([2], seed=[1, 2], mean=[1.0, 2.0]), "float32", [2]),
    (lambda: tf.random.stateless_truncated_normal([2], seed=[1, 2]), "float32", [2]),
    (lambda: tf.random.stateless_categorical([[0.0, 1.0]], 3, seed=[1, 2]), "int64", [1, 3]),
    (lambda: tf.random.stateless_categorical([[0.0, 1.0]], 3, seed=[1, 2], dtype=tf.int32), "int32", [1, 3]),
    (lambda: tf.random.stateless_gamma([2], seed=[1, 2], alpha=[1.0, 2.0]), "float32", [2]),
    (lambda: tf.random.stateless_poisson([2], seed=[1, 2], lam=[1.0, 2.0]), "int32", [2]),
    (lambda: tf.random.stateless_poisson([2], seed=[1, 2], lam=[1.0, 2.0], dtype=tf.float32), "float32", [2]),
    (lambda: tf.random.stateless_binomial([2], seed=[1, 2], counts=[5, 6], probs=0.5), "int32", [2]),
    (lambda: tf.random.experimental.stateless_shuffle([1, 2, 3], seed=[1, 2]), "int32", [3]),
])
def test_dtype_and_shape_as_tensorflow(make, dtype, shape):
    out = make()
    assert out.dtype.name == dtype
    assert list(out.shape) == shape


@pytest.mark.parametrize("make, error, message", [
    (lambda: tf.random.uniform([2], dtype=tf.int32), ValueError, "Must specify maxval for integer dtype tf.int32"),
    (lambda: tf.random.uniform([2], maxval=10, dtype=tf.uint8), ValueError, "Accepted dtypes are (tf.float16"),
    (lambda: tf.random.uniform([2], maxval=10, dtype=tf.int16), ValueError, "got invalid value"),
    (lambda: tf.random.uniform([2], maxval=10, dtype=tf.bool), ValueError, "got invalid value"),
    (lambda: tf.random.uniform([2], minval=5, maxval=5, dtype=tf.int32), tf.errors.InvalidArgumentError,
     "Need minval < maxval, got 5 >= 5 [Op:RandomUniformInt]"),
    (lambda: tf.random.uniform([2], minval=tf.constant(6), maxval=5, dtype=tf.int32),
     tf.errors.InvalidArgumentError, "Need minval < maxval, got 6 >= 5"),
    (lambda: tf.random.uniform([2], minval=[0, 1], maxval=[5, 6], dtype=tf.int32),
     tf.errors.InvalidArgumentError, "minval must be 0-D, got shape [2]"),
    (lambda: tf.random.uniform([2], minval=[0.0, 1.0, 2.0], maxval=5.0), tf.errors.InvalidArgumentError,
     "Incompatible shapes: [2] vs. [3]"),
    (lambda: tf.random.uniform([2], maxval=10.5, dtype=tf.int32), TypeError, "Cannot convert 10.5"),
    (lambda: tf.random.uniform([2], maxval=tf.constant(10.0, tf.float64)), ValueError, "requested dtype float32"),
    (lambda: tf.random.uniform([-1]), tf.errors.InvalidArgumentError, "Dimension -1 must be >= 0"),
    (lambda: tf.random.uniform([2, None]), ValueError, "onvert"),
    (lambda: tf.random.uniform(3), tf.errors.InvalidArgumentError, "shape must be a vector of {int32,int64}, got shape []"),
    (lambda: tf.random.uniform([[2, 3]]), tf.errors.InvalidArgumentError, "got shape [1,2]"),
    (lambda: tf.random.uniform([2.0, 3.0]), tf.errors.InvalidArgumentError, "Value for attr 'T' of float"),
    (lambda: tf.random.uniform(tf.constant([2.0, 3.0])), tf.errors.InvalidArgumentError, "int32, int64"),
    (lambda: tf.random.uniform("a"), tf.errors.InvalidArgumentError, "of string is not in the list"),
    (lambda: tf.random.uniform(tf.TensorShape([2, None])), ValueError, "partially known TensorShape (2, None)"),
    (lambda: tf.random.normal([2], dtype=tf.int32), TypeError, "Cannot convert 0.0 to EagerTensor of dtype int32"),
    (lambda: tf.random.normal([2], mean=1, stddev=1, dtype=tf.int32), tf.errors.InvalidArgumentError,
     "Value for attr 'dtype' of int32"),
    (lambda: tf.random.normal([2], mean=[1.0, 2.0, 3.0]), tf.errors.InvalidArgumentError,
     "Incompatible shapes: [2] vs. [3]"),
    (lambda: tf.random.normal([2], mean=tf.constant(1, tf.float64)), ValueError, "requested dtype float32"),
    (lambda: tf.random.truncated_normal([2], dtype=tf.int32), TypeError, "Cannot convert 0.0"),
    (lambda: tf.random.truncated_normal([2], mean=[1.0, 2.0, 3.0]), tf.errors.InvalidArgumentError,
     "Incompatible shapes"),
    (lambda: tf.random.categorical([[0.0, 1.0, 2.0]], 5, dtype=tf.int16), ValueError,
     "Accepted dtypes are (tf.int32, tf.int64)."),
    (lambda: tf.random.categorical([0.0, 1.0, 2.0], 5), tf.errors.InvalidArgumentError,
     "logits should be a matrix, got shape [3] [Op:Multinomial]"),
    (lambda: tf.random.categorical([[[0.0, 1.0, 2.0]]], 5), tf.errors.InvalidArgumentError, "got shape [1,1,3]"),
    (lambda: tf.random.categorical([[0, 1, 2]], 5), tf.errors.NotFoundError, "Could not find device"),
    (lambda: tf.random.categorical([[0.0, 1.0, 2.0]], -1), tf.errors.InvalidArgumentError,
     "num_samples should be non-negative, got -1"),
    (lambda: tf.random.categorical([[0.0, 1.0, 2.0]], 2.5), TypeError, "Cannot convert 2.5"),
    (lambda: tf.random.categorical(tf.zeros([2, 0]), 2), tf.errors.InvalidArgumentError,
     "num_classes should be positive, got 0"),
    (lambda: tf.random.gamma([2], 1, dtype=tf.int32), ValueError, "not inexact"),
    (lambda: tf.random.stateless_uniform([2], seed=[1, 2], dtype=tf.int32), ValueError,
     "must be both None or not None"),
    (lambda: tf.random.stateless_uniform([2], seed=[1, 2], minval=0, maxval=None, dtype=tf.int32), ValueError,
     "must be both None or not None"),
    (lambda: tf.random.stateless_uniform([2], seed=[1, 2], minval=None, maxval=None), ValueError,
     "unsupported type"),
    (lambda: tf.random.stateless_uniform([2], seed=[1, 2], maxval=10, dtype=tf.uint8), ValueError,
     "tf.uint32, tf.uint64)."),
    (lambda: tf.random.stateless_uniform([2], seed=[1, 2], minval=0, maxval=10, dtype=tf.uint32), ValueError,
     "Please don't use unsigned integers"),
    (lambda: tf.random.stateless_uniform([2], seed=[1, 2], minval=5, maxval=5, dtype=tf.int32),
     tf.errors.InvalidArgumentError, "Need minval < maxval, got 5 >= 5 [Op:StatelessRandomUniformIntV2]"),
    (lambda: tf.random.stateless_uniform([2], seed=[1, 2, 3]), tf.errors.InvalidArgumentError,
     "seed must have shape [2], not [3]"),
    (lambda: tf.random.stateless_uniform([2], seed=1), tf.errors.InvalidArgumentError,
     "seed must have shape [2], not []"),
    (lambda: tf.random.stateless_uniform([2], seed=[[1, 2]]), tf.errors.InvalidArgumentError,
     "not [1,2]"),
    (lambda: tf.random.stateless_uniform([2], seed=[1.0, 2.0]), tf.errors.InvalidArgumentError,
     "Value for attr 'Tseed' of float is not in the list of allowed values: int32, int64"),
    (lambda: tf.random.stateless_uniform([2], seed=tf.constant([1, 2], tf.uint32)),
     tf.errors.InvalidArgumentError, "'Tseed' of uint32"),
    (lambda: tf.random.stateless_normal([2], seed=[1, 2], dtype=tf.int32), TypeError, "Cannot convert 0.0"),
])
def test_errors_as_tensorflow(make, error, message):
    with pytest.raises(error) as info:
        make()
    assert type(info.value) is error
    assert message in str(info.value)


# --------------------------------------------------------------------------- values and statistics

def test_uniform_ranges_and_statistics():
    tf.random.set_seed(1)
    u = np_(tf.random.uniform([N]))
    assert u.min() >= 0.0 and u.max() < 1.0
    assert abs(u.mean() - 0.5) < 0.02 and abs(u.std() - math.sqrt(1 / 12)) < 0.01
    v = np_(tf.random.uniform([N], minval=-2.0, maxval=6.0))
    assert v.min() >= -2.0 and v.max() < 6.0 and abs(v.mean() - 2.0) < 0.15
    assert v.min() < -1.9 and v.max() > 5.9
    w = np_(tf.random.uniform([N // 2, 2], minval=[0.0, 10.0], maxval=[1.0, 20.0]))
    assert w[:, 0].max() < 1.0 and w[:, 1].min() >= 10.0
    i = np_(tf.random.uniform([N], minval=-5, maxval=5, dtype=tf.int32))
    assert i.dtype == np.int32 and set(i.tolist()) == set(range(-5, 5))
    counts = np.bincount(i + 5)
    assert counts.min() > N / 10 * 0.85
    big = np_(tf.random.uniform([N], minval=0, maxval=2 ** 40, dtype=tf.int64))
    assert big.dtype == np.int64 and big.max() > 2 ** 39 and big.min() >= 0
    h = np_(tf.random.uniform([N], dtype=tf.float16)).astype(np.float32)
    assert h.min() >= 0.0 and h.max() < 1.0


def test_normal_statistics():
    tf.random.set_seed(2)
    n = np_(tf.random.normal([N]))
    assert abs(n.mean()) < 0.04 and abs(n.std() - 1.0) < 0.03
    m = np_(tf.random.normal([N], mean=5.0, stddev=0.5, dtype=tf.float64))
    assert m.dtype == np.float64 and abs(m.mean() - 5.0) < 0.02 and abs(m.std() - 0.5) < 0.02
    s = np_(tf.random.stateless_normal([N], seed=[3, 4], mean=-1.0, stddev=2.0))
    assert abs(s.mean() + 1.0) < 0.08 and abs(s.std() - 2.0) < 0.06


def test_truncated_normal_is_bounded_by_two_stddev():
    tf.random.set_seed(3)
    t = np_(tf.random.truncated_normal([N], mean=1.0, stddev=3.0))
    assert t.min() >= 1.0 - 6.0 and t.max() <= 1.0 + 6.0
    assert t.min() < 1.0 - 5.5 and t.max() > 1.0 + 5.5
    assert abs(t.mean() - 1.0) < 0.08
    # the standard normal truncated to (-2, 2) has std 0.8796
    assert abs(t.std() / 3.0 - 0.8796) < 0.02
    s = np_(tf.random.stateless_truncated_normal([N], seed=[1, 1]))
    assert np.abs(s).max() <= 2.0
    z = np_(tf.random.truncated_normal([4], stddev=0.0))
    np.testing.assert_array_equal(z, 0.0)


def test_categorical_frequencies():
    tf.random.set_seed(4)
    probs = np.array([0.1, 0.2, 0.7])
    logits = np.log(np.stack([probs, probs[::-1]])).astype(np.float32)
    draws = np_(tf.random.categorical(logits, N))
    assert draws.shape == (2, N) and draws.dtype == np.int64
    np.testing.assert_allclose(np.bincount(draws[0], minlength=3) / N, probs, atol=0.02)
    np.testing.assert_allclose(np.bincount(draws[1], minlength=3) / N, probs[::-1], atol=0.02)
    only = np_(tf.random.categorical([[0.0, -np.inf, -np.inf]], 50))
    np.testing.assert_array_equal(only, 0)
    # no class possible: TF's CPU kernel answers num_classes
    np.testing.assert_array_equal(np_(tf.random.categorical([[-np.inf] * 3], 5)), 3)


def test_shuffle_is_a_permutation_of_rows():
    tf.random.set_seed(5)
    x = np.arange(100)
    s = np_(tf.random.shuffle(x))
    assert sorted(s.tolist()) == list(range(100)) and not np.array_equal(s, x)
    rows = np.arange(30).reshape(10, 3)
    r = np_(tf.random.shuffle(rows))
    assert sorted(map(tuple, r.tolist())) == sorted(map(tuple, rows.tolist()))
    words = np_(tf.random.shuffle(["a", "b", "c", "d", "e"]))
    assert sorted(words.tolist()) == [b"a", b"b", b"c", b"d", b"e"]
    assert int(tf.random.shuffle(5)) == 5


def test_gamma_and_poisson_statistics():
    tf.random.set_seed(6)
    g = np_(tf.random.gamma([N], alpha=3.0, beta=2.0))
    assert g.min() > 0 and abs(g.mean() - 1.5) < 0.05 and abs(g.var() - 0.75) < 0.06
    p = np_(tf.random.poisson([N], lam=4.0))
    assert p.dtype == np.float32 and abs(p.mean() - 4.0) < 0.1 and abs(p.var() - 4.0) < 0.25
    assert np.array_equal(p, np.round(p))
    b = np_(tf.random.stateless_binomial([N], seed=[1, 2], counts=10.0, probs=0.3))
    assert b.min() >= 0 and b.max() <= 10 and abs(b.mean() - 3.0) < 0.08
    pt = np_(tf.random.stateless_parameterized_truncated_normal([N], seed=[1, 2], means=1.0,
                                                                stddevs=2.0, minvals=0.0, maxvals=3.0))
    assert pt.min() >= 0.0 and pt.max() <= 3.0


# --------------------------------------------------------------------------- the op table

def test_random_ops_are_pure_table_entries_marked_rng():
    for name in ("random_uniform", "random_normal", "random_truncated_normal",
                 "random_categorical", "random_shuffle", "random_uniform_full_int"):
        assert REGISTRY[name].effect == "rng"


def test_random_ops_trace_into_graph_nodes_with_seed_inputs():
    with GraphBuilder("f") as builder:
        x = tf.random.uniform([2, 3], seed=1)
        y = tf.random.stateless_normal([4], seed=[1, 2])
    assert x.shape == [2, 3] and x.dtype == tf.float32 and y.shape == [4]
    ops = [node.op for node in builder.graph.nodes]
    assert "random_uniform" in ops and "random_normal" in ops
