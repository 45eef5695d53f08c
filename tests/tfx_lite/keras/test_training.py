"""compile / fit / evaluate / predict / train_on_batch against Keras 3.15.1 (TF 2.21)."""
import numpy as np
import pytest

import tfx_lite as tf
from tests.tfx_lite.tf_programs import assert_prints_what_tf_printed

keras = tf.keras


def test_fit_evaluate_predict_match_keras():
    """A small classifier with fixed initial weights, SGD and Adam: history, evaluate, predict,
    train_on_batch and final weights as Keras 3.15.1 printed them."""
    assert_prints_what_tf_printed("keras_fit_program")


def _linear_model():
    class Linear(keras.Model):
        def __init__(self):
            super().__init__()
            self.w = tf.Variable(5.0)
            self.b = tf.Variable(0.0)

        def call(self, x):
            return self.w * x + self.b

    return Linear()


@pytest.mark.parametrize("run_eagerly", [False, True])
def test_seed_linear_model_reaches_w3_b2(run_eagerly):
    x = np.linspace(-2, 2, 201).astype(np.float32)
    y = x * 3.0 + 2.0
    model = _linear_model()
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss=keras.losses.mean_squared_error,
                  run_eagerly=run_eagerly)
    history = model.fit(x, y, epochs=10, batch_size=1000, verbose=0)
    # TF 2.21 (seed 21): the first three epochs' losses
    np.testing.assert_allclose(history.history["loss"][:3], [9.38667, 5.43580, 3.17371], rtol=1e-5)
    model.fit(x, y, epochs=100, batch_size=1000, verbose=0)
    np.testing.assert_allclose([model.w.numpy(), model.b.numpy()], [3.0, 2.0], atol=1e-3)


@pytest.mark.parametrize("seed", [0, 1])
def test_separable_problem_reaches_full_accuracy(seed):
    keras.utils.set_random_seed(seed)  # initial weights and shuffling
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(300, 2)).astype(np.float32)
    x = x[np.abs(x[:, 0] + x[:, 1]) > 0.2][:200]  # a margin around the boundary
    y = (x[:, 0] + x[:, 1] > 0).astype(np.int64)
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(2)])
    model.compile(optimizer=keras.optimizers.Adam(0.05),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    model.fit(x, y, epochs=40, batch_size=32, verbose=0)
    loss, accuracy = model.evaluate(x, y, verbose=0)
    assert accuracy == 1.0 and loss < 0.1


def test_train_step_is_one_compiled_function_with_the_update_inside():
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.ones((8, 3), np.float32), np.zeros((8, 2), np.float32)
    model.fit(x, y, batch_size=4, epochs=2, verbose=0)
    train = model._steps["train"]
    assert train.experimental_get_tracing_count() == 1
    text = tf.dump_ir(train, (tf.constant(x[:4]), tf.constant(y[:4])))
    assert "vjp(" in text and "matmul(" in text


def test_validation_split_history_and_early_stopping():
    x = np.arange(40, dtype=np.float32).reshape(20, 2) / 40
    y = x.sum(axis=1, keepdims=True)
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")  # lr 0: val_loss never improves
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=2)
    history = model.fit(x, y, epochs=10, batch_size=5, validation_split=0.25, callbacks=[stop], verbose=0)
    assert set(history.history) == {"loss", "val_loss"}
    assert len(history.history["loss"]) == 3  # epoch 0 sets the best, then 2 epochs of patience
    assert stop.stopped_epoch == 2


def test_progress_bar_prints_keras_style(capsys):
    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.ones((6, 1), np.float32), np.ones((6, 1), np.float32), batch_size=3, epochs=1, verbose=1)
    text = capsys.readouterr().out
    assert "Epoch 1/1" in text and "2/2 ━━━━━━━━━━━━━━━━━━━━" in text and "loss: " in text


def test_fit_before_compile_is_an_error():
    model = keras.Sequential([keras.layers.Dense(1)])
    with pytest.raises(RuntimeError, match="You must call `compile\\(\\)`"):
        model.fit(np.ones((2, 1)), np.ones((2, 1)))
