"""tf.nn beyond the recorded cases (tests/tf_reference/nn_cases.py): dropout statistics, NCHW
layouts (TF's CPU kernels refuse them, so they are checked against NHWC), transposed convolutions
against the gradient of the forward one, inputs that crash TF's oneDNN kernels, tracing."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import tfx_lite as tf
from compiler import REGISTRY, GraphBuilder, TensorType
from tfx_lite.framework.tensor import SymbolicTensor


def rand(*shape, seed=0):
    return np.random.RandomState(seed).randn(*shape).astype(np.float32)


def nchw(x):
    return np.transpose(x, (0, 3, 1, 2))


def nhwc(x):
    return np.transpose(np.asarray(x), (0, 2, 3, 1))


# --- dropout: the random values cannot match TF's, its contract can -----------------------------
def test_dropout_keeps_about_one_minus_rate_and_scales_kept_values():
    x = tf.constant(rand(20000) + 3.0)
    for rate in (0.1, 0.5, 0.8):
        y = tf.nn.dropout(x, rate).numpy()
        kept = y != 0
        assert abs(kept.mean() - (1 - rate)) < 0.02
        np.testing.assert_allclose(y[kept], x.numpy()[kept] / (1 - rate), rtol=1e-6)


def test_dropout_preserves_the_mean():
    y = tf.nn.dropout(tf.ones([50000]), 0.3).numpy()
    assert abs(y.mean() - 1.0) < 0.02


def test_dropout_noise_shape_broadcasts_the_mask():
    y = tf.nn.dropout(tf.ones([64, 8]), 0.5, noise_shape=[64, 1]).numpy()
    assert set(np.unique(y)) <= {0.0, 2.0}
    assert (y == y[:, :1]).all()  # whole rows kept or dropped
    y = tf.nn.dropout(tf.ones([8, 64]), 0.5, noise_shape=[1, None]).numpy()
    assert (y == y[:1, :]).all()  # whole columns


def test_dropout_rate_tensor_and_dtypes():
    for dtype in (tf.float16, tf.bfloat16, tf.float32, tf.float64):
        y = tf.nn.dropout(tf.ones([100], dtype), tf.constant(0.5))
        assert y.dtype == dtype
        assert set(np.unique(y.numpy().astype(np.float64))) <= {0.0, 2.0}


def test_dropout_is_reproducible_under_the_global_seed():
    tf.random.set_seed(7)
    a = tf.nn.dropout(tf.ones([100]), 0.5, seed=3).numpy()
    b = tf.nn.dropout(tf.ones([100]), 0.5, seed=3).numpy()
    tf.random.set_seed(7)
    c = tf.nn.dropout(tf.ones([100]), 0.5, seed=3).numpy()
    np.testing.assert_array_equal(a, c)
    assert (a != b).any()  # successive calls draw new masks, as in TF


def test_dropout_rate_zero_is_identity():
    x = rand(4, 5)
    np.testing.assert_array_equal(tf.nn.dropout(x, 0.0).numpy(), x)


# --- NCHW layouts -----------------------------------------------------------------------------
@pytest.mark.parametrize("strides,padding,dilations", [
    (1, "SAME", 1), (2, "VALID", 1), ([1, 2], "SAME", 1), (1, "VALID", 2),
    (1, [[0, 0], [1, 2], [0, 1], [0, 0]], 1),
])
def test_conv2d_nchw_matches_nhwc(strides, padding, dilations):
    x, w = rand(2, 7, 6, 3), rand(3, 2, 3, 4, seed=1)
    want = tf.nn.conv2d(x, w, strides, padding, dilations=dilations).numpy()
    if isinstance(padding, list):
        padding = [padding[0], padding[3], padding[1], padding[2]]
    got = tf.nn.conv2d(nchw(x), w, strides, padding, data_format="NCHW", dilations=dilations)
    np.testing.assert_allclose(nhwc(got), want, rtol=1e-5, atol=1e-5)


def test_conv1d_ncw_matches_nwc():
    x, w = rand(2, 9, 3), rand(3, 3, 5, seed=1)
    want = tf.nn.conv1d(x, w, 2, "SAME").numpy()
    got = tf.nn.conv1d(np.transpose(x, (0, 2, 1)), w, 2, "SAME", data_format="NCW").numpy()
    np.testing.assert_allclose(np.transpose(got, (0, 2, 1)), want, rtol=1e-5, atol=1e-5)


def test_pools_and_depthwise_and_bias_add_nchw():
    x = rand(2, 6, 5, 3)
    for fn in (tf.nn.max_pool2d, tf.nn.avg_pool2d):
        want = fn(x, 3, 2, "SAME").numpy()
        got = fn(nchw(x), 3, 2, "SAME", data_format="NCHW")
        np.testing.assert_allclose(nhwc(got), want, rtol=1e-6, atol=1e-6)
    w = rand(2, 2, 3, 2, seed=1)
    want = tf.nn.depthwise_conv2d(x, w, [1, 1, 1, 1], "SAME").numpy()
    got = tf.nn.depthwise_conv2d(nchw(x), w, [1, 1, 1, 1], "SAME", data_format="NCHW")
    np.testing.assert_allclose(nhwc(got), want, rtol=1e-5, atol=1e-5)
    bias = np.array([1.0, 2.0, 3.0], np.float32)
    got = tf.nn.bias_add(nchw(x), bias, data_format="NCHW")
    np.testing.assert_allclose(nhwc(got), x + bias, rtol=1e-6)


def test_conv2d_transpose_nchw_matches_nhwc():
    y, w = rand(1, 3, 3, 4), rand(3, 3, 2, 4, seed=1)
    want = tf.nn.conv2d_transpose(y, w, [1, 6, 6, 2], 2).numpy()
    got = tf.nn.conv2d_transpose(nchw(y), w, [1, 2, 6, 6], 2, data_format="NCHW")
    np.testing.assert_allclose(nhwc(got), want, rtol=1e-5, atol=1e-5)


# --- transposed convolution is the gradient of convolution ----------------------------------------
@pytest.mark.parametrize("in_size,k,stride,padding,dilation", [
    (4, 3, 2, "SAME", 1), (5, 3, 2, "SAME", 1), (5, 2, 2, "VALID", 1), (6, 3, 3, "VALID", 1),
    (7, 3, 2, "VALID", 1), (5, 3, 1, "SAME", 2), (6, 2, 1, "VALID", 2), (5, 4, 2, "SAME", 1),
    (5, 3, 1, [[0, 0], [2, 1], [0, 2], [0, 0]], 1), (6, 3, 2, [[0, 0], [1, 0], [1, 1], [0, 0]], 1),
])
def test_conv2d_transpose_is_the_input_gradient_of_conv2d(in_size, k, stride, padding, dilation):
    x, w = rand(2, in_size, in_size, 3), rand(k, k, 3, 4, seed=1)
    out = tf.nn.conv2d(x, w, stride, padding, dilations=dilation)
    dy = rand(*out.shape, seed=2)
    conv = REGISTRY["conv"].impl
    pads = padding if isinstance(padding, str) else tuple(tuple(p) for p in padding[1:3])
    _, vjp = jax.vjp(lambda v: conv(v, jnp.asarray(w), strides=(stride, stride), padding=pads,
                                     dilations=(dilation, dilation)), jnp.asarray(x))
    want = np.asarray(vjp(jnp.asarray(dy))[0])
    got = tf.nn.conv2d_transpose(dy, w, x.shape, stride, padding, dilations=dilation).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)


# --- errors TF's oneDNN kernels crash or misbehave on -------------------------------------------
@pytest.mark.parametrize("make", [
    lambda: tf.nn.conv2d(tf.ones([5, 5, 1]), tf.ones([2, 2, 1, 1]), 1, "SAME"),  # TF aborts
    lambda: tf.nn.conv1d(tf.ones([5, 1]), tf.ones([2, 1, 1]), 1, "SAME"),
    lambda: tf.nn.conv2d(tf.ones([1, 5, 5, 1]), tf.ones([6, 6, 1, 1]), 1, "VALID"),  # TF: garbage
    lambda: tf.nn.conv2d(tf.ones([1, 5, 5, 1]), tf.ones([2, 2, 1, 1]), 1, [[1, 0], [1, 1], [1, 1], [0, 0]]),
    lambda: tf.nn.conv2d(tf.ones([1, 5, 5, 1]), tf.ones([2, 2, 1, 1]), 1, [[0, 0], [1, -1], [1, 1], [0, 0]]),
    lambda: tf.nn.max_pool2d(tf.ones([1, 4, 4, 1]), 5, 1, "VALID"),  # TF crashes
    lambda: tf.nn.depthwise_conv2d(tf.ones([4, 4, 2]), tf.ones([2, 2, 2, 3]), [1, 1, 1, 1], "SAME"),
    lambda: tf.nn.conv2d_transpose(tf.ones([1, 2, 2, 3]), tf.ones([2, 2, 1, 3]), [1, 6, 6, 1], 2, "VALID"),
    lambda: tf.nn.conv2d_transpose(tf.ones([1, 2, 2, 3]), tf.ones([2, 2, 1, 2]), [1, 4, 4, 1], 2),
    lambda: tf.nn.conv2d_transpose(tf.ones([1, 2, 2, 3]), tf.ones([2, 2, 1, 3]), [2, 4, 4, 1], 2),
    lambda: tf.nn.softmax(tf.constant(1.0)),
])
def test_invalid_shapes_raise_invalid_argument(make):
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        make()
    assert "Traceback" not in str(info.value) and "jax" not in str(info.value).lower()


def test_error_messages_name_the_problem():
    with pytest.raises(tf.errors.InvalidArgumentError, match="input must be at least 4-dimensional"):
        tf.nn.conv2d(tf.ones([5, 5, 1]), tf.ones([2, 2, 1, 1]), 1, "SAME")
    with pytest.raises(tf.errors.InvalidArgumentError, match="input depth must be evenly divisible"):
        tf.nn.conv2d(tf.ones([1, 5, 5, 3]), tf.ones([2, 2, 2, 1]), 1, "SAME")
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Computed output size would be negative.*\[Op:Conv2D\]"):
        tf.nn.conv2d(tf.ones([1, 5, 5, 1]), tf.ones([6, 6, 1, 1]), 1, "VALID")
    with pytest.raises(tf.errors.InvalidArgumentError, match="not in the list of allowed values"):
        tf.nn.conv2d(tf.ones([1, 5, 5, 1]), tf.ones([2, 2, 1, 1]), 1, "same")


def test_sparse_xent_out_of_range_tensor_labels_give_nan():
    # Label values held in a tensor are not inspected (no device sync): NaN, as TF's GPU kernel.
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(tf.constant([0, 5]), [[1., 2.], [3., 4.]]).numpy()
    assert np.isfinite(loss[0]) and np.isnan(loss[1])


def test_variables_are_accepted():
    v = tf.Variable([[-1.0, 2.0]])
    np.testing.assert_array_equal(tf.nn.relu(v).numpy(), [[0.0, 2.0]])
    np.testing.assert_allclose(tf.nn.softmax(v).numpy().sum(), 1.0, rtol=1e-6)


# --- gradients of the implementations (what autodiff runs) -----------------------------------
def test_cross_entropy_gradients_are_softmax_minus_labels():
    logits = jnp.asarray(rand(4, 5))
    labels = jnp.asarray([0, 4, 2, 1])
    sparse = REGISTRY["sparse_softmax_cross_entropy"].impl
    grad = jax.grad(lambda z: sparse(labels, z).sum())(logits)
    want = jax.nn.softmax(logits) - jax.nn.one_hot(labels, 5)
    np.testing.assert_allclose(grad, want, rtol=1e-5, atol=1e-6)
    dense = REGISTRY["softmax_cross_entropy"].impl
    onehot = jax.nn.one_hot(labels, 5)
    grad = jax.grad(lambda z: dense(onehot, z).sum())(logits)
    np.testing.assert_allclose(grad, want, rtol=1e-5, atol=1e-6)


def test_pool_and_norm_gradients_are_finite():
    x = jnp.asarray(rand(1, 5, 5, 2))
    for name, attrs in (("max_pool", {}), ("avg_pool", {})):
        impl = REGISTRY[name].impl
        g = jax.grad(lambda v: impl(v, ksize=(2, 2), strides=(2, 2), padding="SAME", **attrs).sum())(x)
        assert np.isfinite(np.asarray(g)).all()
    g = jax.grad(lambda v: REGISTRY["moments"].impl(v, axis=(0, 1, 2))[1].sum())(x)
    assert np.isfinite(np.asarray(g)).all()


# --- tracing: the same checks, reported as ValueError while a graph is built -----------------
def trace(fn, *shapes):
    with GraphBuilder("f") as builder:
        args = [SymbolicTensor(builder.param(TensorType(s, np.float32), f"a{i}")) for i, s in enumerate(shapes)]
        out = fn(*args)
    return out


def test_traced_ops_infer_shapes():
    out = trace(lambda x, w: tf.nn.relu(tf.nn.conv2d(x, w, 2, "SAME")), (2, 7, 7, 3), (3, 3, 3, 8))
    assert tuple(out.shape) == (2, 4, 4, 8)
    out = trace(lambda x: tf.nn.max_pool2d(x, 2, 2, "VALID"), (1, 6, 6, 1))
    assert tuple(out.shape) == (1, 3, 3, 1)
    mean, var = trace(lambda x: tf.nn.moments(x, [0, 1, 2]), (2, 3, 3, 4))
    assert tuple(mean.shape) == (4,) and tuple(var.shape) == (4,)
    loss = trace(lambda z: tf.nn.softmax_cross_entropy_with_logits(labels=tf.nn.softmax(z), logits=z), (4, 5))
    assert tuple(loss.shape) == (4,)


def test_traced_shape_errors_are_value_errors():
    with pytest.raises(ValueError, match="input depth must be evenly divisible"):
        trace(lambda x, w: tf.nn.conv2d(x, w, 1, "SAME"), (1, 5, 5, 3), (2, 2, 2, 1))
