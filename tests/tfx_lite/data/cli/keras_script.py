"""An unmodified TensorFlow 2 script, for `tfx-lite run` (tests/tfx_lite/test_cli_run.py):
Keras Sequential fit/evaluate/predict, a custom GradientTape loop in tf.function, tf.data.
keras_script.tf.txt is what TensorFlow 2.21 printed (`python keras_script.py`)."""
import sys

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras.layers import Dense

print("tensorflow", tf.__version__.split(".")[0], "args", sys.argv[1:])

x = (np.arange(32, dtype=np.float32).reshape(16, 2) % 5 - 2) / 2
y = x @ np.array([[1.5], [-2.0]], np.float32) + 0.5
ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(4)
print("batches", [list(xb.shape) for xb, _ in ds], ds.element_spec[0].dtype.name)

# Keras: fixed initial weights, so TensorFlow and tfx_lite start from the same point.
model = keras.Sequential([keras.Input(shape=(2,)), layers.Dense(3, activation="relu"), Dense(1)])
model.set_weights([((np.arange(np.prod(w.shape), dtype=np.float32).reshape(w.shape) % 5) - 2) / 4
                   for w in model.weights])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05), loss="mse", metrics=["mae"])
history = model.fit(ds, epochs=3, verbose=0)
print("fit", {k: [round(float(v), 4) for v in vs] for k, vs in sorted(history.history.items())})
print("evaluate", [round(float(v), 4) for v in model.evaluate(x, y, verbose=0)])
print("predict", np.round(model.predict(x[:3], verbose=0).astype(np.float64), 3).tolist())
print("params", model.count_params(), [tuple(w.shape) for w in model.trainable_weights])

# A custom training loop: GradientTape inside tf.function, a Keras optimizer, tf.data batches.
w = tf.Variable([[0.1], [0.2]])
b = tf.Variable(0.0)
opt = tf.keras.optimizers.Adam(learning_rate=0.1)


@tf.function
def train_step(xb, yb):
    with tf.GradientTape() as tape:
        pred = tf.matmul(xb, w) + b
        loss = tf.reduce_mean(tf.square(pred - yb))
    grads = tape.gradient(loss, [w, b])
    opt.apply_gradients(zip(grads, [w, b]))
    return loss


for epoch in range(3):
    losses = [float(train_step(xb, yb)) for xb, yb in ds]
    print("epoch", epoch, round(sum(losses) / len(losses), 4))
print("w", np.round(w.numpy().astype(np.float64), 3).tolist(), "b", round(float(b.numpy()), 3))

# Eager ops and their printed form.
a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
print(tf.reduce_sum(a, axis=0))
print(tf.nn.relu(tf.constant([-1.0, 2.0])))
print(tf.math.reduce_max(a).numpy(), tf.argmax(a, axis=1).numpy().tolist())
with tf.GradientTape() as tape:
    tape.watch(a)
    s = tf.reduce_sum(a * a)
print(tape.gradient(s, a))
print(tf.data.Dataset.range(5).map(lambda i: i * 2).filter(lambda i: i > 2).reduce(tf.constant(0, tf.int64),
                                                                                  lambda s, i: s + i))
