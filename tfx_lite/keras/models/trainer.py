"""compile / fit / evaluate / predict. The train, test and predict steps are plain Python run
through tfx_lite's `tf.function` (one compiled executable per step, the optimizer update and
metric updates included) unless `run_eagerly=True`, where they run op by op on the tape."""
from __future__ import annotations

import functools

import numpy as np

from tfx_lite.keras.models import data
from tfx_lite.keras.callbacks import CallbackList, History, ProgbarLogger

__all__ = ["Trainer"]


class _DistributedStep:
    """A compiled step fed batches sharded over a strategy's replicas. On several CPU devices
    at most two steps are in flight: XLA:CPU's collectives wait for every device's thread, and
    with many queued steps on few cores a rendezvous can time out (observed with 4 virtual CPUs
    on 2 cores and 256 queued steps, for raw jax.jit steps as well)."""

    def __init__(self, fn, strategy):
        self._fn, self._strategy = fn, strategy
        devices = strategy._devices
        self._throttle = len(devices) > 1 and all(d.platform == "cpu" for d in devices)
        self._previous = None

    def __call__(self, batch):
        if self._throttle and self._previous is not None:
            import jax
            jax.block_until_ready([getattr(t, "_value", t) for t in jax.tree_util.tree_leaves(self._previous)])
        out = self._fn(self._strategy._distribute_batch(batch))
        self._previous = out if self._throttle else None
        return out


def _in_strategy_scope(method):
    """Run `method` in the scope of the tf.distribute strategy the model was created under, so
    variables it creates (optimizer slots, metrics) are replicated like the model's."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        strategy = getattr(self, "_distribute_strategy", None)
        if strategy is None:
            return method(self, *args, **kwargs)
        with strategy.scope():
            return method(self, *args, **kwargs)
    return wrapper


class Trainer:
    def __init__(self):
        from tfx_lite.distribute.context import current_strategy
        # Created in a tf.distribute scope: training is data-parallel over its devices.
        self._distribute_strategy = current_strategy()
        self.compiled = False
        self.optimizer = None
        self.stop_training = False
        self.history = None
        self._steps = {}

    # --- compile ---
    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None,
                weighted_metrics=None, run_eagerly=False, steps_per_execution=1, jit_compile="auto",
                auto_scale_loss=True):
        from tfx_lite.keras import metrics as metrics_module
        from tfx_lite.keras import optimizers
        self.optimizer = optimizers.get(optimizer)
        self.loss = loss
        self._loss_fn = None
        self._loss_tracker = metrics_module.Mean(name="loss")
        self._compiled_metric_ids = list(metrics or [])
        # Made on the first batch: 'accuracy' and 'crossentropy' depend on the shapes.
        self._compiled_metrics = None
        self._compile_config = _compile_config(self.optimizer, loss, metrics)
        self.run_eagerly = bool(run_eagerly)
        self.jit_compile = jit_compile
        self.compiled = True
        self._steps = {}

    def _resolve_compiled(self, batch):
        """Make the compiled loss and metrics for this data (once, before the first step runs:
        their variables are created eagerly, not inside a traced step)."""
        if self._compiled_metrics is not None:
            return
        from tfx_lite.keras import losses as losses_module
        from tfx_lite.keras import metrics as metrics_module
        x, y, _ = data.unpack(batch)
        y_pred = self(x, training=False)
        self._loss_fn = None if self.loss is None else losses_module.get_loss(self.loss, y, y_pred)
        self._compiled_metrics = [metrics_module.get_metric(m, y, y_pred)
                                  for m in self._compiled_metric_ids]

    @property
    def metrics(self):
        if not self.compiled:
            return []
        return [self._loss_tracker] + list(self._compiled_metrics or [])

    @property
    def metrics_names(self):
        return [m.name for m in self.metrics]

    def reset_metrics(self):
        for m in self.metrics:
            m.reset_state()

    def _check_compiled(self, what):
        if not self.compiled:
            raise RuntimeError(f"You must call `compile()` before using the model in `{what}`.")

    # --- steps ---
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        total = None
        if self._loss_fn is not None:
            total = self._loss_fn(y, y_pred, sample_weight=sample_weight)
        for penalty in self.losses:
            total = penalty if total is None else total + penalty
        if total is None:
            raise ValueError("No loss to compute. Provide a `loss` argument in `compile()`.")
        return total

    def _update_metrics(self, loss, x, y, y_pred, sample_weight):
        batch = data.batch_size_of(x)
        self._loss_tracker.update_state(loss, sample_weight=batch)
        for m in self._compiled_metrics:
            m.update_state(y, y_pred, sample_weight=sample_weight)
        return {m.name: m.result() for m in self.metrics}

    def train_step(self, batch):
        from tfx_lite.gradient_tape import GradientTape
        x, y, sample_weight = data.unpack(batch)
        with GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x, y, y_pred, sample_weight)
        variables = self.trainable_variables
        grads = tape.gradient(loss, variables)
        self.optimizer.apply_gradients([(g, v) for g, v in zip(grads, variables) if g is not None])
        return self._update_metrics(loss, x, y, y_pred, sample_weight)

    def test_step(self, batch):
        x, y, sample_weight = data.unpack(batch)
        y_pred = self(x, training=False)
        loss = self.compute_loss(x, y, y_pred, sample_weight, training=False)
        return self._update_metrics(loss, x, y, y_pred, sample_weight)

    def predict_step(self, batch):
        x, _, _ = data.unpack(batch)
        return self(x, training=False)

    def _step_function(self, kind):
        """The step `kind` ('train', 'test', 'predict'): traced once per input signature into
        one compiled executable, or the plain method when running eagerly."""
        step = getattr(self, f"{kind}_step")
        if self.run_eagerly:
            return step
        fn = self._steps.get(kind)
        if fn is None:
            from tfx_lite.function import function
            fn = self._steps[kind] = function(step, reduce_retracing=True)
        strategy = self._distribute_strategy
        if strategy is not None:  # each batch sharded over the replicas: XLA splits the step
            return _DistributedStep(fn, strategy)
        return fn

    @property
    def distribute_strategy(self):
        from tfx_lite.distribute.context import get_strategy
        return self._distribute_strategy or get_strategy()

    # --- loops ---
    @_in_strategy_scope
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1):
        self._check_compiled("fit")
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = data.split(x, y, sample_weight, validation_split)
        batches = data.Batches(x, y, sample_weight, batch_size, shuffle=shuffle, steps=steps_per_epoch)
        self.history = History()
        verbose = 1 if verbose == "auto" else verbose
        callback_list = CallbackList(callbacks, model=self, history=self.history,
                                     progbar=ProgbarLogger() if verbose else None, verbose=verbose,
                                     epochs=epochs, steps=len(batches))
        train = self._step_function("train")
        self.stop_training = False
        callback_list.on_train_begin()
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callback_list.on_epoch_begin(epoch)
            logs = {}
            for step, batch in enumerate(batches.epoch()):
                callback_list.on_train_batch_begin(step)
                self._resolve_compiled(batch)
                logs = train(batch)
                callback_list.on_train_batch_end(step, logs)
                if self.stop_training:
                    break
            epoch_logs = _floats(logs)
            if validation_data is not None and (epoch + 1) % validation_freq == 0:
                val = self.evaluate(*data.as_xy(validation_data), batch_size=validation_batch_size or batch_size,
                                    steps=validation_steps, verbose=0, return_dict=True)
                epoch_logs.update({f"val_{k}": v for k, v in val.items()})
            callback_list.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                break
        callback_list.on_train_end()
        return self.history

    @_in_strategy_scope
    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, return_dict=False):
        self._check_compiled("evaluate")
        batches = data.Batches(x, y, sample_weight, batch_size, shuffle=False, steps=steps)
        test = self._step_function("test")
        self.reset_metrics()
        logs = {}
        for batch in batches.epoch():
            self._resolve_compiled(batch)
            logs = test(batch)
        logs = _floats(logs)
        if verbose and verbose != "auto":
            print(" - ".join(f"{k}: {v:.4f}" for k, v in logs.items()))
        if return_dict:
            return logs
        values = [logs[m.name] for m in self.metrics if m.name in logs]
        return values[0] if len(values) == 1 else values

    @_in_strategy_scope
    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        batches = data.Batches(x, None, None, batch_size, shuffle=False, steps=steps)
        predict = self._step_function("predict")
        outputs = [predict(batch) for batch in batches.epoch()]
        return data.concatenate(outputs)

    @_in_strategy_scope
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        self._check_compiled("train_on_batch")
        batch = data.batch_of(x, y, sample_weight)
        self._resolve_compiled(batch)
        self.reset_metrics()
        logs = _floats(self._step_function("train")(batch))
        return logs if return_dict else _scalar_or_list(logs, self)

    @_in_strategy_scope
    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        self._check_compiled("test_on_batch")
        batch = data.batch_of(x, y, sample_weight)
        self._resolve_compiled(batch)
        self.reset_metrics()
        logs = _floats(self._step_function("test")(batch))
        return logs if return_dict else _scalar_or_list(logs, self)

    @_in_strategy_scope
    def predict_on_batch(self, x):
        return np.asarray(self._step_function("predict")(data.batch_of(x, None, None)))


def _floats(logs):
    return {k: float(np.asarray(v)) for k, v in logs.items()}


def _scalar_or_list(logs, model):
    values = [logs[m.name] for m in model.metrics if m.name in logs]
    return values[0] if len(values) == 1 else values


def _compile_config(optimizer, loss, metrics):
    """What `load_model` passes to compile again: configs, or names; None when a part (a custom
    function) has neither."""
    from tfx_lite.keras import losses, optimizers
    try:
        config = {"optimizer": optimizers.serialize(optimizer)}
        if loss is not None:
            config["loss"] = loss if isinstance(loss, str) else losses.serialize(loss)
        if metrics:
            if not all(isinstance(m, str) for m in metrics):
                return None
            config["metrics"] = list(metrics)
        return config
    except (TypeError, ValueError, AttributeError):
        return None
