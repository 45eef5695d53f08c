"""Keras layers and models: building, weight tracking and order, the functional API, Sequential,
subclassed models. Expected values were printed by TF 2.21 / Keras 3.15.1 for the same code."""
import numpy as np
import pytest

import tfx_lite as tf

keras = tf.keras


def _arange_weights(model):
    return [np.arange(np.prod(w.shape.as_list()), dtype=np.float32).reshape(w.shape.as_list()) / 10
            for w in model.weights]


def test_functional_model_matches_keras():
    inp = keras.Input(shape=(3,))
    h = keras.layers.Dense(4, name="hidden")(inp)
    out = keras.layers.Dense(2, name="out")(h)
    m = keras.Model(inp, out)
    assert type(m).__name__ == "Functional"
    assert [layer.name for layer in m.layers][1:] == ["hidden", "out"]
    assert [w.path for w in m.weights] == ["hidden/kernel", "hidden/bias", "out/kernel", "out/bias"]
    assert [tuple(w.shape.as_list()) for w in m.weights] == [(3, 4), (4,), (4, 2), (2,)]
    assert tuple(m.output.shape.as_list()) == (None, 2)
    m.set_weights(_arange_weights(m))
    np.testing.assert_allclose(m(np.ones((2, 3), np.float32)).numpy(),
                               [[2.56, 3.38], [2.56, 3.38]], rtol=1e-6)  # Keras 3.15.1


def test_sequential_builds_with_an_input_shape_or_on_first_call():
    s = keras.Sequential([keras.layers.Dense(3, input_shape=(2,)), keras.layers.Dense(1)])
    assert s.built and [w.name for w in s.weights] == ["kernel", "bias", "kernel", "bias"]
    s2 = keras.Sequential([keras.layers.Dense(3), keras.layers.Dense(1)])
    assert not s2.built and len(s2.weights) == 0
    s2(np.ones((4, 2), np.float32))
    assert s2.built and len(s2.weights) == 4 and s2.count_params() == 13  # Keras 3.15.1


def test_a_variable_set_on_a_model_is_a_weight_as_in_tf2():
    class Sub(keras.Model):
        def __init__(self):
            super().__init__()
            self.v = tf.Variable(2.0)
            self.d = keras.layers.Dense(1)

        def call(self, x, training=None):
            return self.d(x) * self.v

    sub = Sub()
    sub(np.ones((1, 2), np.float32))
    # Keras 3 tracks only the Dense weights (2); TF 2's Keras tracked the tf.Variable too (DESIGN.md).
    assert [tuple(v.shape.as_list()) for v in sub.trainable_variables] == [(), (2, 1), (1,)]


def test_trainable_false_moves_weights_to_non_trainable():
    d = keras.layers.Dense(2)
    d.build((None, 3))
    d.trainable = False
    assert (len(d.trainable_weights), len(d.non_trainable_weights)) == (0, 2)  # Keras 3.15.1
    d.trainable = True
    assert len(d.trainable_weights) == 2


def test_training_argument_reaches_nested_layers():
    seen = []

    class Probe(keras.layers.Layer):
        def call(self, x, training=None):
            seen.append(training)
            return x

    class Outer(keras.Model):
        def __init__(self):
            super().__init__()
            self.probe = Probe()

        def call(self, x, training=None):
            return self.probe(x)

    model = Outer()
    model(np.ones((1, 1), np.float32), training=True)
    model(np.ones((1, 1), np.float32), training=False)
    model(np.ones((1, 1), np.float32))
    assert seen == [True, False, None]


def test_set_weights_checks_count_and_shapes():
    d = keras.layers.Dense(2)
    d.build((None, 3))
    with pytest.raises(ValueError, match="expecting 2 weights"):
        d.set_weights([np.zeros((3, 2))])
    with pytest.raises(ValueError, match=r"weight shape \(3, 2\) is not compatible"):
        d.set_weights([np.zeros((2, 2)), np.zeros(2)])


def test_summary_lists_layers_shapes_and_counts(capsys):
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(4, name="h"),
                              keras.layers.Dense(1, name="o")], name="tiny")
    model.summary()
    text = capsys.readouterr().out
    assert 'Model: "tiny"' in text
    assert "│ h (Dense)" in text and "(None, 4)" in text and "│            16 │" in text
    assert " Total params: 21 (84.00 B)" in text  # Keras 3.15.1's totals line


def test_layer_call_inside_tf_function_and_gradient():
    layer = keras.layers.Dense(2, activation="relu", kernel_initializer="ones")
    x = tf.constant([[1.0, 2.0, 3.0]])

    @tf.function
    def f(x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(layer(x) ** 2)
        return tape.gradient(loss, layer.trainable_variables)

    gk, gb = f(x)
    np.testing.assert_allclose(gk.numpy(), [[6.0, 6.0], [12.0, 12.0], [18.0, 18.0]])
    np.testing.assert_allclose(gb.numpy(), [6.0, 6.0])
