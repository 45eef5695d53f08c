"""ModelCheckpoint (files, best-only, weights-only, verbose text) and TensorBoard (event files
read back by a pure-Python TFRecord/protobuf reader)."""
import glob
import os
import struct

import numpy as np
import pytest

import tfx_lite as tf
from tfx_lite.keras.tensorboard import EventFileWriter, crc32c, read_events

keras = tf.keras


def _data():
    x = np.linspace(0, 1, 40, dtype=np.float32).reshape(20, 2)
    y = (x.sum(1, keepdims=True) > 1).astype(np.float32)
    return x, y


def _model(metrics=("accuracy",)):
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=list(metrics))
    return model


# --- ModelCheckpoint -----------------------------------------------------------------------------

def test_checkpoint_every_epoch_formats_epoch_and_logs(tmp_path, capsys):
    x, y = _data()
    model = _model()
    pattern = str(tmp_path / "m-{epoch:02d}-{val_loss:.2f}.keras")
    history = model.fit(x, y, epochs=2, batch_size=5, validation_data=(x, y), verbose=0,
                        callbacks=[keras.callbacks.ModelCheckpoint(pattern, verbose=1)])
    expected = [pattern.format(epoch=e + 1, val_loss=history.history["val_loss"][e]) for e in range(2)]
    assert sorted(glob.glob(str(tmp_path / "*.keras"))) == expected
    restored = keras.models.load_model(expected[-1])
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
    out = capsys.readouterr().out
    assert (f"\nEpoch 1: saving model to {expected[0]}\n\nEpoch 1: finished saving model to {expected[0]}\n"
            in out)
    assert f"\nEpoch 2: saving model to {expected[1]}\n" in out


def test_checkpoint_best_only_and_verbose_messages(tmp_path, capsys):
    path = str(tmp_path / "best.keras")
    cb = keras.callbacks.ModelCheckpoint(path, monitor="val_loss", save_best_only=True, verbose=1)
    cb.set_model(_model())
    saves = []
    cb.model.save = lambda filepath, overwrite=True: saves.append(filepath)
    for epoch, val_loss in enumerate([0.5, 0.25, 0.3, 0.125]):
        cb.on_epoch_begin(epoch)
        cb.on_epoch_end(epoch, {"loss": 1.0, "val_loss": val_loss})
    assert saves == [path, path, path]  # epochs 1, 2 and 4
    assert cb.best == 0.125
    # Keras 3.15.1: the first "best" is None (not inf)
    assert capsys.readouterr().out == (
        f"\nEpoch 1: val_loss improved from None to 0.50000, saving model to {path}\n"
        f"\nEpoch 1: finished saving model to {path}\n"
        f"\nEpoch 2: val_loss improved from 0.50000 to 0.25000, saving model to {path}\n"
        f"\nEpoch 2: finished saving model to {path}\n"
        "\nEpoch 3: val_loss did not improve from 0.25000\n"
        f"\nEpoch 4: val_loss improved from 0.25000 to 0.12500, saving model to {path}\n"
        f"\nEpoch 4: finished saving model to {path}\n")


@pytest.mark.parametrize("monitor, mode, values, saved", [
    ("val_accuracy", "auto", [0.5, 0.75, 0.6], [0, 1]),     # auto: max for accuracy
    ("val_auc", "auto", [0.5, 0.4, 0.9], [0, 2]),
    ("loss", "auto", [0.5, 0.75, 0.1], [0, 2]),
    ("val_mse", "auto", [0.5, 0.75, 0.1], [0, 2]),
    ("val_loss", "max", [0.5, 0.75, 0.6], [0, 1]),
    ("val_accuracy", "min", [0.5, 0.75, 0.4], [0, 2]),
])
def test_checkpoint_modes(tmp_path, monitor, mode, values, saved):
    cb = keras.callbacks.ModelCheckpoint(str(tmp_path / "e{epoch}.keras"), monitor=monitor, mode=mode,
                                         save_best_only=True)
    cb.set_model(_model())
    saves = []
    cb.model.save = lambda filepath, overwrite=True: saves.append(filepath)
    for epoch, value in enumerate(values):
        cb.on_epoch_end(epoch, {monitor: value})
    assert saves == [str(tmp_path / f"e{e + 1}.keras") for e in saved]


def test_checkpoint_initial_value_threshold(tmp_path, capsys):
    cb = keras.callbacks.ModelCheckpoint(str(tmp_path / "b.keras"), save_best_only=True, verbose=1,
                                         initial_value_threshold=0.2)
    cb.set_model(_model())
    cb.model.save = lambda filepath, overwrite=True: pytest.fail("saved")
    cb.on_epoch_end(0, {"val_loss": 0.3})
    assert capsys.readouterr().out == "\nEpoch 1: val_loss did not improve from 0.20000\n"


def test_checkpoint_missing_monitor_warns_and_saves(tmp_path):
    x, y = _data()
    path = tmp_path / "b.keras"
    with pytest.warns(UserWarning, match="Can save best model only with val_loss available."):
        _model().fit(x, y, epochs=1, verbose=0,
                     callbacks=[keras.callbacks.ModelCheckpoint(str(path), save_best_only=True)])
    assert path.exists()


def test_checkpoint_weights_only(tmp_path):
    x, y = _data()
    model = _model()
    path = str(tmp_path / "ckpt" / "w-{epoch}.weights.h5")  # the folder is made
    model.fit(x, y, epochs=2, verbose=0,
              callbacks=[keras.callbacks.ModelCheckpoint(path, save_weights_only=True)])
    assert sorted(os.listdir(tmp_path / "ckpt")) == ["w-1.weights.h5", "w-2.weights.h5"]
    other = _model()
    other.load_weights(str(tmp_path / "ckpt" / "w-2.weights.h5"))
    for a, b in zip(other.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_checkpoint_filepath_checks():
    with pytest.raises(ValueError, match=r"must end in `.keras`"):
        keras.callbacks.ModelCheckpoint("model.h5x")
    with pytest.raises(ValueError, match=r"must end in `.weights.h5`"):
        keras.callbacks.ModelCheckpoint("model.keras", save_weights_only=True)
    with pytest.raises(ValueError, match="Unrecognized save_freq"):
        keras.callbacks.ModelCheckpoint("model.keras", save_freq="batch")


def test_checkpoint_save_freq_batches(tmp_path):
    x, y = _data()
    path = str(tmp_path / "e{epoch}-b{batch}.keras")
    _model().fit(x, y, epochs=2, batch_size=5, verbose=0,  # 4 batches an epoch
                 callbacks=[keras.callbacks.ModelCheckpoint(path, save_freq=3)])
    # batches seen: 3 (epoch 1, batch 3), then 1 + 2 (epoch 2, batch 2)
    assert sorted(os.listdir(tmp_path)) == ["e1-b3.keras", "e2-b2.keras"]


def test_checkpoint_bad_format_key(tmp_path):
    cb = keras.callbacks.ModelCheckpoint(str(tmp_path / "{nope}.keras"))
    cb.set_model(_model())
    with pytest.raises(KeyError, match="Failed to format this callback filepath"):
        cb.on_epoch_end(0, {"loss": 1.0})


# --- event files ---------------------------------------------------------------------------------

def test_crc32c_check_value():
    assert crc32c(b"123456789") == 0xE3069283  # the CRC-32C check value
    assert crc32c(b"") == 0


def test_event_writer_reads_back_as_tensorflow_does(tmp_path):
    writer = EventFileWriter(tmp_path)
    writer.add_scalar("epoch_loss", 0.25, 0)
    writer.add_scalar("epoch_accuracy", 0.1, 1)
    writer.add_scalar("batch_loss", -3.5, 2 ** 40)
    writer.add_histogram("dense/kernel/histogram", [1.0, 2.0, 2.0, 4.0], 3)
    writer.close()
    (path,) = glob.glob(str(tmp_path / "events.out.tfevents.*"))
    events = read_events(path)
    # TF 2.21 tensorflow.python.summary.summary_iterator on this file printed
    # [step, file_version, (tag, simple_value) | (tag, num, min, max, sum, sum_squares, sum(bucket))]:
    tf_parsed = [[0, "brain.Event:2"],
                 [0, "", ("epoch_loss", 0.25)],
                 [1, "", ("epoch_accuracy", 0.10000000149011612)],
                 [1099511627776, "", ("batch_loss", -3.5)],
                 [3, "", ("dense/kernel/histogram", 4.0, 1.0, 4.0, 9.0, 25.0, 4.0)]]
    ours = []
    for e in events:
        row = [e["step"], e.get("file_version", "")]
        for v in e.get("summary", []):
            if "histo" in v:
                h = v["histo"]
                row.append((v["tag"], h["num"], h["min"], h["max"], h["sum"], h["sum_squares"], sum(h["bucket"])))
            else:
                row.append((v["tag"], v["simple_value"]))
        ours.append(row)
    assert ours == tf_parsed
    assert all(e["wall_time"] > 1e9 for e in events)


def test_reader_detects_corruption(tmp_path):
    writer = EventFileWriter(tmp_path)
    writer.add_scalar("x", 1.0, 0)
    writer.close()
    data = bytearray(open(writer.path, "rb").read())
    data[-6] ^= 0xFF
    open(writer.path, "wb").write(bytes(data))
    with pytest.raises(ValueError, match="corrupt record data"):
        read_events(writer.path)
    assert struct.unpack("<Q", bytes(data[:8]))[0] > 0


# --- TensorBoard ---------------------------------------------------------------------------------

def _scalars(directory):
    (path,) = glob.glob(os.path.join(directory, "events.out.tfevents.*"))
    events = read_events(path)
    assert events[0]["file_version"] == "brain.Event:2"
    found = {}
    for e in events[1:]:
        for v in e["summary"]:
            found.setdefault(v["tag"], []).append((e["step"], v.get("simple_value", "histo")))
    return found


def test_tensorboard_two_epochs_with_validation(tmp_path):
    x, y = _data()
    model = _model()
    log_dir = tmp_path / "logs"
    history = model.fit(x, y, epochs=2, batch_size=5, validation_data=(x, y), verbose=0,
                        callbacks=[keras.callbacks.TensorBoard(log_dir=str(log_dir))])
    assert sorted(os.listdir(log_dir)) == ["train", "validation"]
    h = history.history
    f32 = lambda values: [float(np.float32(v)) for v in values]  # noqa: E731 — simple_value is a float
    train = _scalars(log_dir / "train")
    assert set(train) == {"epoch_loss", "epoch_accuracy", "epoch_learning_rate"}
    assert train["epoch_loss"] == list(enumerate(f32(h["loss"])))
    assert train["epoch_accuracy"] == list(enumerate(f32(h["accuracy"])))
    assert train["epoch_learning_rate"] == [(0, float(np.float32(0.01))), (1, float(np.float32(0.01)))]
    val = _scalars(log_dir / "validation")
    assert val == {"epoch_loss": list(enumerate(f32(h["val_loss"]))),
                   "epoch_accuracy": list(enumerate(f32(h["val_accuracy"])))}


def test_tensorboard_batch_scalars_and_histograms(tmp_path):
    x, y = _data()
    model = _model()
    model.fit(x, y, epochs=2, batch_size=5, verbose=0,  # 4 batches an epoch; no validation
              callbacks=[keras.callbacks.TensorBoard(log_dir=str(tmp_path), update_freq=3, histogram_freq=1)])
    assert os.listdir(tmp_path) == ["train"]
    train = _scalars(tmp_path / "train")
    assert [step for step, _ in train["batch_loss"]] == [3, 6]
    assert [step for step, _ in train["batch_accuracy"]] == [3, 6]
    dense = model.layers[0].name  # e.g. dense_3: names count up across tests
    assert train[f"{dense}/kernel/histogram"] == [(0, "histo"), (1, "histo")]
    assert train[f"{dense}/bias/histogram"] == [(0, "histo"), (1, "histo")]
