"""keras.callbacks: History, the progress bar, EarlyStopping, LearningRateScheduler and
LambdaCallback, called by fit at the begin and end of training, epochs and batches."""
from __future__ import annotations

import sys
import time

import numpy as np

__all__ = ["Callback", "CallbackList", "History", "ProgbarLogger", "EarlyStopping",
           "LearningRateScheduler", "LambdaCallback", "ModelCheckpoint", "TensorBoard"]


class Callback:
    def __init__(self):
        self.model = None
        self.params = {}

    def set_model(self, model):
        self.model = model

    def set_params(self, params):
        self.params = params

    def on_train_begin(self, logs=None): pass
    def on_train_end(self, logs=None): pass
    def on_epoch_begin(self, epoch, logs=None): pass
    def on_epoch_end(self, epoch, logs=None): pass
    def on_train_batch_begin(self, batch, logs=None): pass
    def on_train_batch_end(self, batch, logs=None): pass


class History(Callback):
    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)


def _format(logs):
    parts = []
    for key, value in logs.items():
        value = float(np.asarray(value))
        parts.append(f"{key}: {value:.4f}" if abs(value) >= 1e-3 or value == 0 else f"{key}: {value:.4e}")
    return " - ".join(parts)


class ProgbarLogger(Callback):
    """Keras' per-epoch progress: `Epoch 1/10` then `7/7 ━━━━━━━━━━━━━━━━━━━━ 0s 2ms/step - loss: 0.1234`
    (verbose=1, redrawn per batch) or `7/7 - 0s - 2ms/step - loss: 0.1234` (verbose=2)."""

    WIDTH = 20

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()
        if self.params.get("verbose") == 1:
            print(f"Epoch {epoch + 1}/{self.params.get('epochs')}")

    def _line(self, step, logs, final):
        total = self.params.get("steps") or step
        elapsed = time.perf_counter() - self._start
        per_step = elapsed / max(step, 1)
        timing = f"{elapsed:.0f}s {per_step * 1000:.0f}ms/step"
        if self.params.get("verbose") == 2:
            return f"{step}/{total} - {elapsed:.0f}s - {per_step * 1000:.0f}ms/step - {_format(logs)}"
        done = int(self.WIDTH * step / max(total, 1))
        bar = "━" * done + ("╺" if done < self.WIDTH else "") + "━" * max(self.WIDTH - done - 1, 0)
        return f"{step}/{total} {bar} {timing} - {_format(logs)}"

    def on_train_batch_end(self, batch, logs=None):
        if self.params.get("verbose") == 1:
            sys.stdout.write("\r" + self._line(batch + 1, logs or {}, False))
            sys.stdout.flush()

    def on_epoch_end(self, epoch, logs=None):
        steps = self.params.get("steps")
        line = self._line(steps, logs or {}, True)
        if self.params.get("verbose") == 1:
            sys.stdout.write("\r" + line + "\n")
        elif self.params.get("verbose") == 2:
            print(f"Epoch {epoch + 1}/{self.params.get('epochs')}\n{line}")


class CallbackList:
    def __init__(self, callbacks, model, history, progbar, verbose, epochs, steps):
        self.callbacks = list(callbacks or []) + ([progbar] if progbar else []) + [history]
        params = {"verbose": verbose, "epochs": epochs, "steps": steps}
        for callback in self.callbacks:
            callback.set_model(model)
            callback.set_params(params)

    def _call(self, hook, *args):
        for callback in self.callbacks:
            getattr(callback, hook)(*args)

    def on_train_begin(self): self._call("on_train_begin", None)
    def on_train_end(self): self._call("on_train_end", None)
    def on_epoch_begin(self, epoch): self._call("on_epoch_begin", epoch, None)
    def on_epoch_end(self, epoch, logs): self._call("on_epoch_end", epoch, logs)
    def on_train_batch_begin(self, step): self._call("on_train_batch_begin", step, None)
    def on_train_batch_end(self, step, logs): self._call("on_train_batch_end", step, logs)


class EarlyStopping(Callback):
    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto",
                 baseline=None, restore_best_weights=False, start_from_epoch=0):
        super().__init__()
        self.monitor, self.min_delta, self.patience = monitor, abs(min_delta), patience
        self.verbose, self.baseline = verbose, baseline
        self.restore_best_weights, self.start_from_epoch = restore_best_weights, start_from_epoch
        if mode not in ("auto", "min", "max"):
            mode = "auto"
        if mode == "auto":
            mode = "max" if ("acc" in monitor or monitor.endswith("auc")) else "min"
        self.mode = mode
        self.stopped_epoch = 0

    def _better(self, value, reference):
        if self.mode == "min":
            return value < reference - self.min_delta
        return value > reference + self.min_delta

    def on_train_begin(self, logs=None):
        self.wait = 0
        self.stopped_epoch = 0
        self.best = np.inf if self.mode == "min" else -np.inf
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch, logs=None):
        value = (logs or {}).get(self.monitor)
        if value is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self.model.get_weights()
        self.wait += 1
        if self._better(value, self.best):
            self.best, self.best_epoch = value, epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._better(value, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True
            if self.restore_best_weights and self.best_weights is not None:
                self.model.set_weights(self.best_weights)

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")


class LearningRateScheduler(Callback):
    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule, self.verbose = schedule, verbose

    def on_epoch_begin(self, epoch, logs=None):
        try:
            lr = self.schedule(epoch, float(np.asarray(self.model.optimizer.learning_rate)))
        except TypeError:
            lr = self.schedule(epoch)
        self.model.optimizer.learning_rate = float(lr)
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {float(lr)}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = float(np.asarray(self.model.optimizer.learning_rate))


class LambdaCallback(Callback):
    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None, on_train_end=None,
                 on_train_batch_begin=None, on_train_batch_end=None, **kwargs):
        super().__init__()
        for name, fn in dict(on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end,
                             on_train_begin=on_train_begin, on_train_end=on_train_end,
                             on_train_batch_begin=on_train_batch_begin,
                             on_train_batch_end=on_train_batch_end).items():
            if fn is not None:
                setattr(self, name, fn)

from tfx_lite.keras.callbacks_checkpoint import ModelCheckpoint  # noqa: E402
from tfx_lite.keras.tensorboard import TensorBoard  # noqa: E402
