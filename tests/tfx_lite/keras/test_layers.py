"""The Keras layers of tfx_lite/keras/layers/ against real Keras.

Every case of layer_cases.py was run in TF 2.21 / Keras 3.15.1 by data/keras_layers_reference.py,
which printed data/keras_layers_reference.json: the values there are Keras', not ours. Each case
builds the same layer here, checks Keras' weight names and shapes (and the initial values of the
deterministic weights), sets the same formula weights, and compares the outputs; the symbolic
output shapes for an unknown batch, get_config's keys, tf.function, Dropout, BatchNormalization's
moving statistics, the RNN variants and a gradient through Conv2D + Dense are checked too."""
import inspect
import json
import pathlib

import numpy as np
import pytest

import tfx_lite as tf
from tests.tfx_lite.keras import layer_cases as cases
from tfx_lite.keras.layers import (activation_layers, conv, embedding, merging, normalization, pooling,
                                   preprocessing, regularization, reshaping, rnn)
from tfx_lite.keras.layers.core import Dense
from tfx_lite.keras.layers.input_layer import Input
from tfx_lite.keras.layers.layer import Layer

# Printed by TF 2.21 / Keras 3.15.1 (data/keras_layers_reference.py).
REFERENCE = json.loads((pathlib.Path(__file__).parent / "data" / "keras_layers_reference.json").read_text())
RECORDED = REFERENCE["cases"]
MODULES = (conv, pooling, reshaping, regularization, normalization, embedding, activation_layers, merging,
           preprocessing, rnn)
RTOL, ATOL = 1e-5, 1e-6


def layer_class(name):
    for module in MODULES:
        if hasattr(module, name):
            return getattr(module, name)
    raise AttributeError(name)


def make_layer(case):
    return layer_class(case["cls"])(**case["kwargs"])


RANDOM_INITIALIZERS = ("kernel_initializer", "recurrent_initializer", "embeddings_initializer")


def make_layer_to_fill(case):
    """The case's layer with zeros instead of random initializers: the formula weights replace them,
    and each random initializer compiles per shape (about 0.5 s). The defaults are checked below."""
    cls = layer_class(case["cls"])
    accepted = inspect.signature(cls.__init__).parameters
    kwargs = {k: "zeros" for k in RANDOM_INITIALIZERS if k in accepted}
    kwargs.update(case["kwargs"])
    return cls(**kwargs)


def as_list(out):
    return list(out) if isinstance(out, (list, tuple)) else [out]


def built_layer(name):
    """The case's layer, built by one inference call, with the formula weights set."""
    case = cases.CASES[name]
    layer = make_layer_to_fill(case)
    x = cases.inputs_of(case)
    kwargs = cases.call_kwargs_of(case)
    layer(x, **{k: v for k, v in kwargs.items() if k != "training"})
    if layer.weights:
        layer.set_weights(cases.make_weights([tuple(w.shape.as_list()) for w in layer.weights], case["positive"]))
    return layer, x, kwargs


def assert_outputs(got, want, what=""):
    got = as_list(got)
    assert len(got) == len(want), what
    for g, w in zip(got, want):
        w = np.asarray(w, dtype=np.float32)
        assert tuple(g.shape.as_list()) == w.shape, what
        np.testing.assert_allclose(g.numpy(), w, rtol=RTOL, atol=ATOL, err_msg=what)


# --- every case against Keras ----------------------------------------------------------------------
@pytest.mark.parametrize("name", list(cases.CASES))
def test_outputs_and_weights_match_keras(name):
    case, want = cases.CASES[name], RECORDED[name]
    layer = make_layer_to_fill(case)
    x = cases.inputs_of(case)
    kwargs = cases.call_kwargs_of(case)
    layer(x, **{k: v for k, v in kwargs.items() if k != "training"})
    assert [w.name for w in layer.weights] == want["weight_names"]
    assert [w.shape.as_list() for w in layer.weights] == want["weight_shapes"]
    for index, values in want.get("initial", {}).items():
        np.testing.assert_array_equal(layer.weights[int(index)].numpy(), np.asarray(values, np.float32))
    if layer.weights:
        layer.set_weights(cases.make_weights([tuple(s) for s in want["weight_shapes"]], case["positive"]))
    assert_outputs(layer(x, **kwargs), want["outputs"], name)
    if "weights_after" in want:
        for got, expected in zip(layer.get_weights(), want["weights_after"]):
            np.testing.assert_allclose(got, np.asarray(expected, np.float32), rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("name", list(cases.CASES))
def test_symbolic_output_shapes_match_keras(name):
    case = cases.CASES[name]
    layer = make_layer_to_fill(case)
    inputs = [Input(shape=s[1:], dtype="int32" if isinstance(k, (list, tuple)) else "float32")
              for s, k in case["inputs"]]
    kwargs = {}
    for key, value in case.get("call", {}).items():
        if isinstance(value, dict) and "arrays" in value:
            kwargs[key] = [Input(shape=s[1:]) for s, _ in value["arrays"]]
        elif not isinstance(value, dict):
            kwargs[key] = value
    out = layer(inputs if case["multi"] else inputs[0], **kwargs)
    assert [t.shape.as_list() for t in as_list(out)] == RECORDED[name]["symbolic_shapes"]


def _plain(value):
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


@pytest.mark.parametrize("name", list(cases.CASES))
def test_config_has_keras_keys_and_values(name):
    keras_config = RECORDED[name]["config"]
    config = make_layer(cases.CASES[name]).get_config()
    assert list(config) == list(keras_config)
    for key, value in keras_config.items():
        if key in ("name", "dtype"):
            continue
        if isinstance(value, dict):  # a serialized initializer (its own config is initializers.py's)
            assert config[key]["class_name"] == value["class_name"], key
        else:
            assert _plain(config[key]) == value, key


def test_config_round_trip():
    layer = conv.Conv2D(3, (2, 3), strides=2, padding="same", activation="relu", name="c")
    again = conv.Conv2D.from_config(layer.get_config())
    assert again.get_config() == layer.get_config()
    lstm = rnn.LSTM(4, return_sequences=True, name="l")
    assert rnn.LSTM.from_config(lstm.get_config()).get_config() == lstm.get_config()


# --- tf.function: the same numbers as eagerly --------------------------------------------------------
ONE_PER_CLASS = [name for i, name in enumerate(cases.CASES)
                 if cases.CASES[name]["cls"] not in [cases.CASES[n]["cls"] for n in list(cases.CASES)[:i]]]


@pytest.mark.parametrize("name", ONE_PER_CLASS)
def test_inside_tf_function_matches_eager(name):
    layer, x, kwargs = built_layer(name)
    training = kwargs.pop("training", None)
    eager = as_list(layer(x, training=training, **kwargs) if training is not None else layer(x, **kwargs))
    layer, x, kwargs = built_layer(name)  # fresh weights (BatchNormalization training assigns)
    kwargs.pop("training", None)

    @tf.function
    def run(x, kwargs):
        return layer(x, training=training, **kwargs) if training is not None else layer(x, **kwargs)

    traced = as_list(run(x, kwargs))
    assert len(traced) == len(eager)
    for t, e in zip(traced, eager):
        np.testing.assert_allclose(t.numpy(), e.numpy(), rtol=RTOL, atol=ATOL)


def test_rnn_is_one_loop_node():
    layer, x, _ = built_layer("lstm_seq_state")
    text = tf.dump_ir(tf.function(lambda x: layer(x)), tf.constant(x))
    assert sum("= scan(" in line for line in text.splitlines()) == 1, text


# --- Conv2DTranspose with an unknown batch: the stride-1 convolution gives Keras' numbers -------------
@pytest.mark.parametrize("name", [n for n in cases.CASES if n.startswith("conv2dT")])
def test_conv2d_transpose_unknown_batch_path(name):
    layer, x, _ = built_layer(name)
    x = tf.constant(x)
    sizes = layer._output_sizes(x.shape.as_list()[1:3])
    y = tf.nn.bias_add(layer._dilated_conv(x, x.shape.as_list()[1:3], sizes), layer.bias)
    y = layer.activation(y)
    assert_outputs(y, RECORDED[name]["outputs"], name)


# --- Dropout -----------------------------------------------------------------------------------------
def test_dropout_training_and_inference():
    layer = regularization.Dropout(0.5)
    x = np.ones((64, 64), np.float32)
    assert np.array_equal(layer(x).numpy(), x)
    assert np.array_equal(layer(x, training=False).numpy(), x)
    y = layer(x, training=True).numpy()
    assert set(np.unique(y)) <= {0.0, 2.0}
    assert 0.4 < (y == 0).mean() < 0.6
    assert not np.array_equal(y, layer(x, training=True).numpy())


def test_dropout_noise_shape_and_rate_one():
    layer = regularization.Dropout(0.5, noise_shape=(None, 1, 8))
    y = layer(np.ones((4, 6, 8), np.float32), training=True).numpy()
    assert (y == y[:, :1, :]).all()  # one mask for every step of axis 1
    assert np.array_equal(regularization.Dropout(1.0)(np.ones((2, 2), np.float32), training=True).numpy(),
                          np.zeros((2, 2)))
    with pytest.raises(ValueError, match="Expected a float value between 0 and 1"):
        regularization.Dropout(1.5)


def test_dropout_inside_tf_function():
    layer = regularization.Dropout(0.5)

    @tf.function
    def run(x, training):
        return layer(x, training=training)

    x = tf.ones((32, 32))
    assert np.array_equal(run(x, False).numpy(), x.numpy())
    first, second = run(x, True).numpy(), run(x, True).numpy()
    assert set(np.unique(first)) <= {0.0, 2.0} and 0.35 < (first == 0).mean() < 0.65
    assert not np.array_equal(first, second)  # a random op of the graph: new noise every call


def test_training_flag_reaches_sublayers():
    class Block(Layer):  # a layer holding a Dropout
        def __init__(self):
            super().__init__()
            self.drop = regularization.Dropout(0.5)

        def call(self, x, training=None):
            return self.drop(x)

    x = np.ones((16, 16), np.float32)
    block = Block()
    assert np.array_equal(block(x).numpy(), x)
    assert (block(x, training=True).numpy() == 0).any()


# --- BatchNormalization ----------------------------------------------------------------------------
def _bn_inference(x, weights, axis, epsilon, scale=True, center=True):
    weights = list(weights)
    gamma = weights.pop(0) if scale else 1.0
    beta = weights.pop(0) if center else 0.0
    mean, var = weights
    shape = [1] * x.ndim
    shape[axis] = -1
    r = lambda v: np.reshape(v, shape) if np.ndim(v) else v  # noqa: E731
    return (x - r(mean)) / np.sqrt(r(var) + epsilon) * r(gamma) + r(beta)


@pytest.mark.parametrize("name", ["batchnorm_training", "batchnorm_axis1_training"])
def test_batchnorm_moving_statistics_then_inference(name):
    case, want = cases.CASES[name], RECORDED[name]
    layer, x, kwargs = built_layer(name)
    before = layer.get_weights()
    assert_outputs(layer(x, training=True), want["outputs"])
    after = layer.get_weights()
    for got, expected in zip(after, want["weights_after"]):
        np.testing.assert_allclose(got, np.asarray(expected, np.float32), rtol=RTOL, atol=ATOL)
    trainable = len(layer.trainable_weights)
    np.testing.assert_array_equal(after[:trainable], before[:trainable])  # gamma/beta untouched
    axis = case["kwargs"].get("axis", -1) % x.ndim
    inference = layer(x, training=False).numpy()
    expected = _bn_inference(x, after, axis, case["kwargs"].get("epsilon", 1e-3),
                             case["kwargs"].get("scale", True), case["kwargs"].get("center", True))
    np.testing.assert_allclose(inference, expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_array_equal(layer.get_weights()[trainable:], after[trainable:])  # inference: no update


def test_batchnorm_update_inside_tf_function():
    want = RECORDED["batchnorm_training"]
    layer, x, _ = built_layer("batchnorm_training")

    @tf.function
    def step(x):
        return layer(x, training=True)

    assert_outputs(step(x), want["outputs"])
    for got, expected in zip(layer.get_weights(), want["weights_after"]):
        np.testing.assert_allclose(got, np.asarray(expected, np.float32), rtol=RTOL, atol=ATOL)
    step(x)  # a second call of the same trace updates again
    moving_mean = layer.get_weights()[2]
    batch_mean = x.mean(axis=0)
    np.testing.assert_allclose(moving_mean, 0.9 * np.asarray(want["weights_after"][2]) + 0.1 * batch_mean,
                               rtol=1e-5, atol=1e-6)


def test_batchnorm_weights_trainable_split():
    layer = normalization.BatchNormalization()
    layer(np.ones((2, 3), np.float32))
    assert [w.name for w in layer.trainable_weights] == ["gamma", "beta"]
    assert [w.name for w in layer.non_trainable_weights] == ["moving_mean", "moving_variance"]
    layer.trainable = False
    y = layer(np.arange(6, dtype=np.float32).reshape(2, 3), training=True)  # frozen: inference mode
    np.testing.assert_array_equal(layer.get_weights()[2], np.zeros(3))
    np.testing.assert_allclose(y.numpy(), np.arange(6).reshape(2, 3) / np.sqrt(1 + 1e-3), rtol=1e-6)


# --- RNN variants -----------------------------------------------------------------------------------
def test_rnn_return_state_structure_and_values():
    layer, x, _ = built_layer("lstm_seq_state")
    seq, h, c = layer(x)
    np.testing.assert_allclose(seq.numpy()[:, -1], h.numpy(), rtol=1e-6)
    assert c.shape.as_list() == [2, 2]
    layer, x, kwargs = built_layer("gru_seq_state")
    seq, h = layer(x)
    np.testing.assert_allclose(seq.numpy()[:, -1], h.numpy(), rtol=1e-6)
    # go_backwards == running on the reversed sequence
    back, _, _ = built_layer("lstm_backwards_seq")
    fwd = rnn.LSTM(3, return_sequences=True, kernel_initializer="zeros", recurrent_initializer="zeros")
    fwd(x)
    fwd.set_weights(back.get_weights())
    np.testing.assert_allclose(back(x).numpy(), fwd(x[:, ::-1]).numpy(), rtol=1e-6)


def test_rnn_default_initializers():
    layer = rnn.LSTM(4)
    layer(np.zeros((1, 2, 3), np.float32))
    kernel, recurrent, bias = layer.get_weights()
    np.testing.assert_allclose(recurrent @ recurrent.T, np.eye(4), atol=1e-5)  # orthogonal rows
    limit = np.sqrt(6 / (3 + 16))
    assert np.abs(kernel).max() <= limit
    np.testing.assert_array_equal(bias, np.r_[np.zeros(4), np.ones(4), np.zeros(8)])
    assert layer.units == 4 and layer.cell.units == 4
    assert [w.path for w in layer.weights] == ["lstm_cell/kernel", "lstm_cell/recurrent_kernel", "lstm_cell/bias"]


def test_rnn_gradient_reaches_every_weight():
    layer, x, _ = built_layer("gru")
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(x) ** 2)
    grads = tape.gradient(loss, layer.trainable_weights)
    assert [g.shape.as_list() for g in grads] == [w.shape.as_list() for w in layer.trainable_weights]
    assert all(np.abs(g.numpy()).sum() > 0 for g in grads)


# --- gradients through Conv2D + Dense -----------------------------------------------------------------
def test_gradient_through_conv2d_and_dense():
    c = conv.Conv2D(4, 3, activation="relu")
    flat = reshaping.Flatten()
    d = Dense(2)
    x = tf.constant(cases.make_array((2, 5, 5, 3)))
    with tf.GradientTape() as tape:
        y = d(flat(pooling.MaxPooling2D()(c(x))))
        loss = tf.reduce_mean(y ** 2)
    variables = c.trainable_weights + d.trainable_weights
    grads = tape.gradient(loss, variables)
    assert [g.shape.as_list() for g in grads] == [[3, 3, 3, 4], [4], [4, 2], [2]]
    assert all(np.isfinite(g.numpy()).all() for g in grads)


# --- misc Keras behaviours ---------------------------------------------------------------------------
def test_embedding_default_initializer_and_float_ids():
    layer = embedding.Embedding(100, 8)
    y = layer(np.array([[1.0, 2.0]], np.float32))  # cast to int32 as Keras does
    assert y.shape.as_list() == [1, 2, 8] and y.dtype == tf.float32
    table = layer.embeddings.numpy()
    assert np.abs(table).max() <= 0.05 and table.std() > 0.01
    assert layer.compute_mask(tf.constant([[0, 3]])) is None
    masked = embedding.Embedding(5, 2, mask_zero=True)
    np.testing.assert_array_equal(masked.compute_mask(tf.constant([[0, 3]])).numpy(), [[False, True]])


def test_merge_layers_on_arrays_and_errors():
    a, b = np.ones((2, 3), np.float32), np.full((2, 3), 2.0, np.float32)
    np.testing.assert_array_equal(merging.Add()([a, b]).numpy(), np.full((2, 3), 3.0))
    np.testing.assert_array_equal(merging.concatenate([a, b]).numpy(), np.concatenate([a, b], -1))
    with pytest.raises(ValueError, match="exactly 2 inputs"):
        merging.Subtract()([a, a, a])
    with pytest.raises(ValueError, match="list of inputs"):
        merging.Add()(a)


def test_channels_first_equals_transposed_channels_last():
    x = cases.make_array((2, 6, 5, 3))
    to_first, to_last = (0, 3, 1, 2), (0, 2, 3, 1)
    pairs = [
        (lambda f: conv.Conv2D(4, 3, strides=2, padding="same", data_format=f, kernel_initializer="zeros")),
        (lambda f: conv.Conv2DTranspose(2, 3, strides=2, padding="same", data_format=f,
                                        kernel_initializer="zeros")),
        (lambda f: pooling.MaxPooling2D(data_format=f)),
        (lambda f: pooling.AveragePooling2D(2, padding="same", strides=1, data_format=f)),
    ]
    for make in pairs:
        last, first = make("channels_last"), make("channels_first")
        want = last(x)
        first(np.transpose(x, to_first))
        if last.weights:
            weights = cases.make_weights([tuple(w.shape.as_list()) for w in last.weights])
            last.set_weights(weights)
            first.set_weights(weights)
            want = last(x)
        got = first(np.transpose(x, to_first)).numpy()
        np.testing.assert_allclose(np.transpose(got, to_last), want.numpy(), rtol=1e-5, atol=1e-6)


def test_argument_errors():
    with pytest.raises(ValueError, match="negative_slope"):
        activation_layers.ReLU(negative_slope=-1.0)
    with pytest.raises(ValueError, match="kernel_size"):
        conv.Conv2D(2, (3, 3, 3))
    with pytest.raises(ValueError, match="padding"):
        pooling.MaxPooling2D(padding="full")


def test_functional_stack_shapes():
    inputs = Input(shape=(8, 8, 1))
    h = conv.Conv2D(4, 3, padding="same", activation="relu", kernel_initializer="zeros")(inputs)
    h = normalization.BatchNormalization()(h)
    h = pooling.MaxPooling2D()(h)
    h = conv.Conv2DTranspose(2, 3, strides=2, padding="same", kernel_initializer="zeros")(h)
    h = reshaping.Flatten()(h)
    h = regularization.Dropout(0.2)(h, training=True)
    assert h.shape.as_list() == [None, 128]
    seq = Input(shape=(None, 5))
    gru = rnn.GRU(3, return_sequences=True, kernel_initializer="zeros", recurrent_initializer="zeros")
    assert gru(seq).shape.as_list() == [None, None, 3]


@pytest.mark.parametrize("cls", ["SimpleRNN", "LSTM", "GRU"])
def test_rnn_dropout_only_when_training(cls):
    layer = layer_class(cls)(3, dropout=0.5, recurrent_dropout=0.5, return_sequences=True,
                             kernel_initializer="ones", recurrent_initializer="ones")
    x = cases.make_array((2, 4, 3))
    inference = layer(x).numpy()
    np.testing.assert_array_equal(layer(x, training=False).numpy(), inference)
    for trained in (layer(x, training=True).numpy(),  # eager: step by step
                    tf.function(lambda x: layer(x, training=True))(tf.constant(x)).numpy()):  # one scan
        assert trained.shape == inference.shape and np.isfinite(trained).all()
        assert not np.allclose(trained, inference)
    no_dropout = layer_class(cls)(3, return_sequences=True, kernel_initializer="ones", recurrent_initializer="ones")
    np.testing.assert_allclose(no_dropout(x).numpy(), inference, rtol=1e-6)
