"""Keras fit/evaluate/predict on tf.data.Dataset inputs, with fixed initial weights and no shuffling
(run by tests/tfx_lite/test_dataset_programs.py; dataset_fit_program.tf.txt is what TensorFlow 2.21 with
Keras 3 printed)."""
from program import tf
import numpy as np

tf.keras.utils.set_random_seed(0)

x = ((np.arange(30, dtype=np.float32).reshape(10, 3) % 5) - 2) / 2
y = (x @ np.array([[0.5], [-1.0], [0.25]], dtype=np.float32) + 0.06).astype(np.float32)
w0 = [
    np.array([[0.2, -0.1, 0.3, 0.05], [-0.25, 0.15, 0.1, -0.2], [0.1, 0.2, -0.3, 0.25]], dtype=np.float32),
    np.array([0.01, -0.02, 0.03, 0.0], dtype=np.float32),
    np.array([[0.3], [-0.2], [0.25], [0.1]], dtype=np.float32),
    np.array([0.05], dtype=np.float32),
]


def rnd(v, decimals=5):
    return np.round(np.asarray(v, dtype=np.float64), decimals).tolist()


# Weights are printed to 4 decimals (losses and predictions to 5): the data constants were chosen so that
# no printed value lies within ~3.5e-7 of a rounding boundary under TensorFlow.


def fresh_model():
    model = tf.keras.Sequential([tf.keras.Input(shape=(3,)), tf.keras.layers.Dense(4, activation="relu"),
                                 tf.keras.layers.Dense(1)])
    model.set_weights(w0)
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")
    return model


ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(4)
print(ds.element_spec)
print(int(ds.cardinality()), [b[0].shape[0] for b in ds])

model = fresh_model()
history = model.fit(ds, epochs=3, verbose=0)
print("history keys", sorted(history.history))
print("loss", [round(v, 5) for v in history.history["loss"]])
print("epochs", history.epoch)
print("weights", [rnd(w, 4) for w in model.get_weights()])
ev = model.evaluate(ds, verbose=0)
print("evaluate", type(ev).__name__, round(ev, 5))
ev = model.evaluate(ds, verbose=0, return_dict=True)
print("evaluate dict", {k: round(v, 5) for k, v in ev.items()})
pred = model.predict(ds.map(lambda xb, yb: xb), verbose=0)
print("predict", type(pred).__name__, pred.dtype.name, pred.shape, rnd(pred.ravel()))
pred2 = model.predict(ds, verbose=0)
print("predict on (x, y) batches equal", pred2.shape, bool(np.allclose(pred, pred2)))
pred3 = model.predict(x, batch_size=4, verbose=0)
print("predict on numpy equal", bool(np.allclose(pred, pred3, atol=1e-6)))

model = fresh_model()
history = model.fit(ds, epochs=2, validation_data=ds, verbose=0)
print("validation keys", sorted(history.history))
print("validation loss", [round(v, 5) for v in history.history["loss"]])
print("validation val_loss", [round(v, 5) for v in history.history["val_loss"]])

model = fresh_model()
history = model.fit(ds.repeat(), steps_per_epoch=2, epochs=2, verbose=0)
print("repeat loss", [round(v, 5) for v in history.history["loss"]])
print("repeat weights", [rnd(w, 4) for w in model.get_weights()])

model = fresh_model()
history = model.fit(ds.map(lambda xb, yb: (xb * 2.0, yb)).prefetch(tf.data.AUTOTUNE), epochs=2, verbose=0)
print("map prefetch loss", [round(v, 5) for v in history.history["loss"]])

model = fresh_model()
model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse", metrics=["mae"])
unbatched = tf.data.Dataset.from_tensor_slices((x, y))
history = model.fit(unbatched.batch(5, drop_remainder=True), epochs=2, verbose=0,
                    validation_data=unbatched.batch(3))
print("metrics keys", sorted(history.history))
print("metrics", {k: [round(v, 5) for v in vs] for k, vs in sorted(history.history.items())})
print("weights", [rnd(w, 4) for w in model.get_weights()])
