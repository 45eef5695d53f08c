"""model.save / load_model and save_weights / load_weights: round trips and clear errors."""
import json
import zipfile

import numpy as np
import pytest

import tfx_lite as tf

keras = tf.keras


def test_seed_19_sequential_round_trip(tmp_path):
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2, kernel_initializer="ones"),
                              keras.layers.Dense(1, kernel_initializer="ones")])
    path = tmp_path / "exname_of_file.keras"
    model.save(path)
    restored = keras.models.load_model(path)
    # TF 2.21 (seed 19): tf.Tensor([[12.]], shape=(1, 1), dtype=float32)
    assert str(restored(tf.constant([[2.0, 2.0, 2.0]]))) == "tf.Tensor([[12.]], shape=(1, 1), dtype=float32)"
    with zipfile.ZipFile(path) as archive:
        assert set(archive.namelist()) == {"config.json", "metadata.json", "model.weights.index", "model.weights.data-00000-of-00001"}
        assert json.loads(archive.read("config.json"))["class_name"] == "Sequential"


def test_functional_model_with_compile_config_round_trips(tmp_path):
    inp = keras.Input(shape=(4,))
    a = keras.layers.Dense(3, activation="relu")(inp)
    b = keras.layers.Dense(3)(inp)
    out = keras.layers.Dense(1)(keras.layers.Concatenate()([a, b]))
    model = keras.Model(inp, out)
    model.compile(optimizer="adam", loss="mse")
    x = np.linspace(0, 1, 20, dtype=np.float32).reshape(5, 4)
    model.save(tmp_path / "f.keras")
    restored = keras.models.load_model(tmp_path / "f.keras")
    np.testing.assert_allclose(restored(x).numpy(), model(x).numpy(), rtol=1e-6)
    assert type(restored).__name__ == "Functional" and type(restored.optimizer).__name__ == "Adam"
    restored.fit(x, np.zeros((5, 1), np.float32), epochs=1, verbose=0)  # compiled again on load


def test_custom_layer_needs_custom_objects_or_registration(tmp_path):
    class Scale(keras.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")

        def call(self, x):
            return x * self.w * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    model = keras.Sequential([keras.Input(shape=(2,)), Scale(3.0)])
    model.save(tmp_path / "c.keras")
    with pytest.raises(TypeError, match="Could not locate class 'Scale'"):
        keras.models.load_model(tmp_path / "c.keras")
    restored = keras.models.load_model(tmp_path / "c.keras", custom_objects={"Scale": Scale})
    assert restored(np.ones((1, 2), np.float32)).numpy().tolist() == [[3.0, 3.0]]
    keras.saving.register_keras_serializable(package="test")(Scale)
    assert keras.models.load_model(tmp_path / "c.keras").layers[0].factor == 3.0


def test_weights_round_trip_and_mismatch_errors(tmp_path):
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
    model.save_weights(tmp_path / "w.weights.h5")
    original = model.get_weights()
    model.set_weights([np.zeros((3, 2)), np.zeros(2)])
    model.load_weights(tmp_path / "w.weights.h5")
    for a, b in zip(model.get_weights(), original):
        np.testing.assert_array_equal(a, b)
    other = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match=r"has shape \(3, 2\) but the model's '.*kernel' has shape \(4, 2\)"):
        other.load_weights(tmp_path / "w.weights.h5")
    bigger = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="holds 2 weights but model .* has 4"):
        bigger.load_weights(tmp_path / "w.weights.h5")


def test_corrupt_or_wrong_files_are_refused(tmp_path):
    (tmp_path / "junk.keras").write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="not a zip archive"):
        keras.models.load_model(tmp_path / "junk.keras")
    with pytest.raises(FileNotFoundError):
        keras.models.load_model(tmp_path / "missing.keras")
    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="must end in `.keras`"):
        model.save(tmp_path / "model.h5")
    model.save_weights(tmp_path / "only.weights.h5")
    import shutil
    shutil.copy(tmp_path / "only.weights.h5", tmp_path / "only.keras")
    with pytest.raises(ValueError, match="no config.json"):
        keras.models.load_model(tmp_path / "only.keras")


def test_weights_are_a_checkpoint_bundle_and_restore_into_an_unbuilt_model(tmp_path):
    from tfx_lite.saving.bundle import BundleReader

    def make():
        return keras.Sequential([keras.layers.Dense(2), keras.layers.Dense(1)])

    model = make()
    x = np.array([[1.0, -2.0, 0.5]], np.float32)
    expected = model(x).numpy()
    model.save_weights(tmp_path / "m.weights.h5")
    with zipfile.ZipFile(tmp_path / "m.weights.h5") as archive:  # the format of tf.train.Checkpoint
        reader = BundleReader.from_bytes(archive.read("model.weights.index"), "index",
                                         archive.read("model.weights.data-00000-of-00001"), "data")
    tf.train.Checkpoint(root=model).write(str(tmp_path / "ck"))
    assert sorted(reader.keys()) == sorted(k for k, _ in tf.train.list_variables(str(tmp_path / "ck"))
                                           if k != "_CHECKPOINTABLE_OBJECT_GRAPH")
    later = make()  # no weights yet: they take the file's values when the model builds
    later.load_weights(tmp_path / "m.weights.h5")
    np.testing.assert_array_equal(later(x).numpy(), expected)
    compiled = make()  # a checkpoint prefix of a compiled model (optimizer state included) loads too
    compiled.compile(optimizer="adam", loss="mse")
    compiled(x)
    tf.train.Checkpoint(root=compiled).write(str(tmp_path / "compiled"))
    compiled.load_weights(str(tmp_path / "ck"))
    np.testing.assert_array_equal(compiled(x).numpy(), expected)


def test_a_failing_load_weights_changes_nothing(tmp_path):
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2), keras.layers.Dense(4)])
    model.save_weights(tmp_path / "w.weights.h5")
    other = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2), keras.layers.Dense(5)])
    before = other.get_weights()
    with pytest.raises(ValueError, match=r"has shape \(2, 4\) but the model's '.*kernel' has shape \(2, 5\)"):
        other.load_weights(tmp_path / "w.weights.h5")
    for a, b in zip(other.get_weights(), before):
        np.testing.assert_array_equal(a, b)  # the first layer, which matched, was not assigned either


def test_training_continues_after_load_model_as_if_never_saved(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 4)).astype(np.float32)
    y = (x @ np.array([[1.0], [-2.0], [0.5], [3.0]], np.float32)).astype(np.float32)

    def fit(model):
        return model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0).history["loss"]

    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    fit(model)
    model.save(tmp_path / "m.keras")
    continued = fit(model)
    restored = keras.models.load_model(tmp_path / "m.keras")
    assert restored.optimizer.iterations.numpy() == 8
    np.testing.assert_allclose(fit(restored), continued, rtol=1e-6)
    fresh_optimizer = keras.models.load_model(tmp_path / "m.keras", compile=False)
    fresh_optimizer.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    assert not np.allclose(fit(fresh_optimizer), continued, rtol=1e-3)  # Adam's moments matter
