"""Property-based: random shapes and dtypes through elementwise, reduction and shape ops,
compared with numpy, including the dtype of every result (TF keeps the input dtype where numpy
would promote, e.g. int32 sums)."""
import os

import numpy as np
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import tfx_lite as tf

DTYPES = [np.float16, np.float32, np.float64, np.int8, np.int16, np.int32, np.int64, np.uint8]
FLOATS = [np.float16, np.float32, np.float64]
# Examples explore freely on a developer's machine and are fixed in CI, where a run must be
# reproducible.
SETTINGS = settings(max_examples=40, deadline=None, derandomize=bool(os.environ.get("CI")))


def arrays(dtypes=DTYPES, min_dims=0, max_dims=4, min_side=1):
    def elements(dtype):
        if np.dtype(dtype).kind == "f":
            return st.floats(-100, 100, width=np.dtype(dtype).itemsize * 8, allow_nan=False)
        info = np.iinfo(dtype)
        return st.integers(max(info.min, -20), min(info.max, 20))
    return st.sampled_from(dtypes).flatmap(lambda dt: hnp.arrays(
        dt, hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=4),
        elements=elements(dt)))


def check(got, want, dtype=None):
    want = np.asarray(want)
    dtype = np.dtype(dtype or want.dtype)
    assert got.dtype.as_numpy_dtype == dtype, f"dtype {got.dtype.name}, expected {dtype.name}"
    assert tuple(got.shape) == want.shape
    tol = {np.float16: 1e-2, np.float32: 1e-5}.get(dtype.type, 1e-12)
    np.testing.assert_allclose(got.numpy().astype(np.float64), want.astype(np.float64), rtol=tol, atol=tol)


BINARY = [(tf.add, np.add), (tf.subtract, np.subtract), (tf.multiply, np.multiply),
          (tf.maximum, np.maximum), (tf.minimum, np.minimum)]
UNARY = [(tf.negative, np.negative), (tf.abs, np.abs), (tf.square, np.square)]


@SETTINGS
@given(st.data(), st.sampled_from(BINARY))
def test_binary_elementwise_with_broadcasting(data, ops):
    x = data.draw(arrays(DTYPES, max_dims=3))
    # a second operand of the same dtype, broadcastable against the first
    shape = data.draw(hnp.broadcastable_shapes(x.shape, max_dims=3, min_side=1))
    y = data.draw(hnp.arrays(x.dtype, shape, elements=st.integers(0, 5).map(x.dtype.type)))
    ours, ref = ops
    with np.errstate(over="ignore"):
        want = ref(x, y).astype(x.dtype)
    check(ours(tf.constant(x), tf.constant(y)), want, x.dtype)


@SETTINGS
@given(arrays(DTYPES), st.sampled_from(UNARY))
def test_unary_elementwise(x, ops):
    ours, ref = ops
    if x.dtype.kind == "u" and ref in (np.negative, np.abs):
        return  # TF has no Neg/Abs kernels for unsigned integers
    with np.errstate(over="ignore"):
        check(ours(tf.constant(x)), ref(x).astype(x.dtype), x.dtype)


@SETTINGS
@given(arrays(FLOATS), st.sampled_from([np.exp, np.tanh, np.sin, np.cos]))
def test_float_unary_math(x, ref):
    ours = {np.exp: tf.exp, np.tanh: tf.tanh, np.sin: tf.sin, np.cos: tf.cos}[ref]
    x = np.clip(x, -5, 5).astype(x.dtype)
    check(ours(tf.constant(x)), ref(x.astype(np.float64)).astype(x.dtype), x.dtype)


REDUCTIONS = [(tf.reduce_sum, np.sum), (tf.reduce_max, np.max), (tf.reduce_min, np.min),
              (tf.reduce_prod, np.prod)]


@SETTINGS
@given(st.data(), st.sampled_from(REDUCTIONS), st.booleans())
def test_reductions_keep_the_input_dtype(data, ops, keepdims):
    x = data.draw(arrays(DTYPES, min_dims=1))
    axis = data.draw(st.none() | st.integers(-x.ndim, x.ndim - 1))
    ours, ref = ops
    if ref is np.prod:
        x = np.clip(x, -2, 2).astype(x.dtype)
    with np.errstate(over="ignore"):
        if x.dtype.kind == "f":  # accumulate in float64, round once to the input dtype
            want = np.asarray(ref(x.astype(np.float64), axis=axis, keepdims=keepdims)).astype(x.dtype)
        else:  # integers wrap around in their own dtype, in TF as in numpy
            want = np.asarray(ref(x, axis=axis, keepdims=keepdims, **({} if ref in (np.max, np.min)
                                                                        else {"dtype": x.dtype})))
    check(ours(tf.constant(x), axis=axis, keepdims=keepdims), want, x.dtype)


@SETTINGS
@given(arrays(FLOATS, min_dims=1), st.booleans())
def test_reduce_mean_of_floats(x, keepdims):
    want = np.mean(x.astype(np.float64), axis=0, keepdims=keepdims).astype(x.dtype)
    check(tf.reduce_mean(tf.constant(x), axis=0, keepdims=keepdims), want, x.dtype)


@SETTINGS
@given(arrays(DTYPES, min_dims=1), st.data())
def test_shape_ops(x, data):
    t = tf.constant(x)
    check(tf.reshape(t, [-1]), x.reshape(-1))
    perm = data.draw(st.permutations(range(x.ndim)))
    check(tf.transpose(t, perm), np.transpose(x, perm))
    axis = data.draw(st.integers(-x.ndim - 1, x.ndim))
    check(tf.expand_dims(t, axis), np.expand_dims(x, axis))
    check(tf.squeeze(tf.expand_dims(t, 0), [0]), x)
    check(tf.concat([t, t], axis=0), np.concatenate([x, x], axis=0))
    check(tf.stack([t, t], axis=-1), np.stack([x, x], axis=-1))
    reps = data.draw(st.lists(st.integers(1, 2), min_size=x.ndim, max_size=x.ndim))
    check(tf.tile(t, reps), np.tile(x, reps))
    assert tf.shape(t).numpy().tolist() == list(x.shape) and tf.shape(t).dtype == tf.int32
    assert int(tf.size(t)) == x.size and int(tf.rank(t)) == x.ndim


@SETTINGS
@given(arrays(DTYPES, min_dims=1, max_dims=3), st.data())
def test_slicing_matches_numpy(x, data):
    key = tuple(data.draw(st.one_of(
        st.integers(-n, n - 1),
        st.builds(slice, st.none() | st.integers(-n - 1, n + 1), st.none() | st.integers(-n - 1, n + 1),
                  st.none() | st.sampled_from([-2, -1, 1, 2])))) for n in x.shape)
    check(tf.constant(x)[key], x[key])
