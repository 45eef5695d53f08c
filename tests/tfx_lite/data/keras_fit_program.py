"""compile/fit/evaluate/predict/train_on_batch of a small classifier with fixed initial weights
(run by tests/tfx_lite/keras/test_training.py; keras_fit_program.tf.txt is what Keras 3.15.1 printed)."""
import sys
if sys.argv[1] == "tf":
    import keras
else:
    import tfx_lite as tf
    keras = tf.keras
import numpy as np
x = (np.arange(24, dtype=np.float32).reshape(8, 3) % 7 - 3) / 3
y = np.array([0, 1, 2, 0, 1, 2, 0, 1])
model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(4, activation="relu"), keras.layers.Dense(3)])
model.set_weights([((np.arange(np.prod(w.shape), dtype=np.float32).reshape(w.shape) % 5) - 2) / 4 for w in model.weights])
for opt in ("sgd", "adam"):
    m = model
    m.set_weights([((np.arange(np.prod(w.shape), dtype=np.float32).reshape(w.shape) % 5) - 2) / 4 for w in model.weights])
    m.compile(optimizer=keras.optimizers.SGD(0.1) if opt == "sgd" else keras.optimizers.Adam(0.05),
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    h = m.fit(x, y, batch_size=4, epochs=3, shuffle=False, verbose=0)
    print(opt, {k: [round(v, 5) for v in vs] for k, vs in h.history.items()})
    print(opt, "evaluate", [round(v, 5) for v in m.evaluate(x, y, verbose=0)])
    print(opt, "predict", np.round(m.predict(x[:2], verbose=0), 4).tolist())
    print(opt, "train_on_batch", [round(float(v), 5) for v in m.train_on_batch(x[:4], y[:4])])
    print(opt, "weights", [np.round(w, 4).tolist() for w in m.get_weights()][3])
