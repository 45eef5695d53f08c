"""tf.keras.metrics: Keras 3's stateful metrics (TensorFlow backend numerics) on tfx_lite.

A metric keeps its state in non-trainable `tf.Variable`s made by `add_variable` (in `__init__`,
or on the first update for metrics whose shapes come from the data); `update_state` changes
them with `assign`/`assign_add`, so inside a `tf.function` the updates become outputs of the
traced graph that are written back after each call. `result()` reads them, `reset_state()`
zeroes them, `metric(y_true, y_pred)` updates and returns the result.

"accuracy"/"acc" in `compile(metrics=[...])` is resolved from the shapes by
`get_metric(identifier, y_true, y_pred)` (Keras 3's rule, see its docstring)."""
from __future__ import annotations

import collections
import inspect

import numpy as np

import tfx_lite as tf
from tfx_lite.keras import activations as _activations
from tfx_lite.keras import losses as _losses
from tfx_lite.keras.losses import (apply_mask, binary_crossentropy, categorical_crossentropy,
                                   categorical_hinge, hinge, kl_divergence,
                                   log_cosh, mean_absolute_error, mean_absolute_percentage_error,
                                   mean_squared_error, mean_squared_logarithmic_error, poisson,
                                   sparse_categorical_crossentropy, squared_hinge,
                                   squeeze_or_expand_to_same_rank)
from tfx_lite.keras.utils import as_tensor, auto_name, deserialize_object, epsilon, floatx, get_keras_mask, \
    get_object, get_object_name, to_snake_case

class _CompiledWhenEager:
    """Runs `fn` through its own `tf.function` when called eagerly, so a metric's many small
    ops become one XLA program (compiled once per input signature, not once per op and shape);
    inside a trace it is inlined into the caller's graph. Arguments must be tensors, variables
    or hashable Python values."""

    def __init__(self, fn):
        self._fn = fn
        self._compiled = tf.function(fn, reduce_retracing=True)

    def __call__(self, *args):
        return self._compiled(*args) if tf.executing_eagerly() else self._fn(*args)


_AGGREGATIONS = {"none": tf.VariableAggregation.NONE, "sum": tf.VariableAggregation.SUM,
                 "mean": tf.VariableAggregation.MEAN,
                 "only_first_replica": tf.VariableAggregation.ONLY_FIRST_REPLICA}


# --- base -------------------------------------------------------------------------------------
class Metric:
    """Base class. Subclasses make their state in `__init__` with `self.add_variable(...)`,
    update it in `update_state` and compute the value in `result`."""

    def __init__(self, dtype=None, name=None):
        self.name = name or auto_name(self.__class__.__name__)
        self._dtype = tf.as_dtype(dtype or floatx())
        self._variables = []
        self._metrics = []

    def __setattr__(self, name, value):
        # Track sub-metrics and variables set as attributes, as Keras' Tracker does.
        if "_metrics" in self.__dict__:
            if isinstance(value, Metric) and value is not self and \
                    not any(value is m for m in self._metrics):
                self._metrics.append(value)
            elif isinstance(value, tf.Variable) and not any(value is v for v in self._variables):
                self._variables.append(value)
        object.__setattr__(self, name, value)

    @property
    def dtype(self):
        return self._dtype.name

    def add_variable(self, shape, initializer="zeros", dtype=None, aggregation="sum", name=None):
        """A non-trainable state variable named '<metric name>/<name>'."""
        if "_variables" not in self.__dict__:
            raise RuntimeError("You forgot to call `super().__init__()` in the `__init__()` method. "
                               "Go add it!")
        dtype = tf.as_dtype(dtype or self._dtype)
        shape = tuple(int(d) for d in shape) if shape is not None else ()
        value = _initial_value(initializer, shape, dtype)
        if isinstance(aggregation, str):
            aggregation = _AGGREGATIONS[aggregation.lower()]
        with tf.name_scope(self.name.replace("/", ">")):
            variable = tf.Variable(value, trainable=False, name=name, dtype=dtype,
                                   synchronization=tf.VariableSynchronization.ON_READ,
                                   aggregation=aggregation)
        self._variables.append(variable)
        return variable

    def add_weight(self, shape=(), initializer=None, dtype=None, name=None):
        return self.add_variable(shape=shape, initializer=initializer or "zeros", dtype=dtype,
                                 name=name)

    @property
    def variables(self):
        variables = list(self._variables)
        for metric in self._metrics:
            variables.extend(metric.variables)
        return variables

    # TF 2 names for the same list (a metric has no trainable weights)
    weights = non_trainable_weights = non_trainable_variables = variables

    @property
    def trainable_weights(self):
        return []

    trainable_variables = trainable_weights

    def update_state(self, *args, **kwargs):
        raise NotImplementedError

    def result(self):
        raise NotImplementedError

    def reset_state(self):
        for v in self.variables:
            v.assign(tf.zeros(v.shape, dtype=v.dtype))

    def reset_states(self):  # TF 2's name
        self.reset_state()

    def __call__(self, *args, **kwargs):
        if "_variables" not in self.__dict__:
            raise RuntimeError("You forgot to call `super().__init__()` in the `__init__()` method. "
                               "Go add it!")
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{self.__class__.__name__} name={self.name}>"

    __str__ = __repr__


def _initial_value(initializer, shape, dtype):
    if initializer is None or initializer in ("zeros", "Zeros"):
        return np.zeros(shape, dtype.as_numpy_dtype)
    if initializer in ("ones", "Ones"):
        return np.ones(shape, dtype.as_numpy_dtype)
    if isinstance(initializer, (str, dict)):
        from tfx_lite.keras import initializers
        initializer = initializers.get(initializer)
    if callable(initializer):  # an initializer object or function: (shape, dtype) -> value
        return initializer(shape, dtype=dtype)
    return np.broadcast_to(np.asarray(initializer, dtype.as_numpy_dtype), shape).copy()


# --- reductions (keras/src/metrics/reduction_metrics.py) --------------------------------------
def _reduce_to_samplewise_values(values, sample_weight, reduce_fn, dtype):
    mask = get_keras_mask(values)
    values = as_tensor(values, dtype)
    if sample_weight is not None:
        sample_weight = as_tensor(sample_weight, dtype)
        if mask is not None:
            sample_weight = apply_mask(sample_weight, mask, dtype=dtype, reduction="sum")
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_ndim = len(sample_weight.shape)
        values_ndim = len(values.shape)
        if values_ndim > weight_ndim:
            values = reduce_fn(values, axis=list(range(weight_ndim, values_ndim)))
        sample_weight = tf.broadcast_to(sample_weight, tf.shape(values))
        values = values * sample_weight
        if weight_ndim > 1:
            sample_weight = reduce_fn(sample_weight, axis=list(range(1, weight_ndim)))
    values_ndim = len(values.shape)
    if values_ndim > 1:
        values = reduce_fn(values, axis=list(range(1, values_ndim)))
    return values, sample_weight


class Sum(Metric):
    """The (weighted) sum of the values seen."""

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", dtype=self._dtype, name="total")

    def update_state(self, values, sample_weight=None):
        values, _ = _reduce_to_samplewise_values(values, sample_weight, tf.reduce_sum, self._dtype)
        self.total.assign_add(tf.reduce_sum(values))

    def reset_state(self):
        self.total.assign(tf.zeros([], self.total.dtype))

    def result(self):
        return tf.cast(tf.convert_to_tensor(self.total), self._dtype)


class Mean(Metric):
    """The (weighted) mean of the values seen: `total / count`."""

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", dtype=self._dtype, name="total")
        self.count = self.add_variable(shape=(), initializer="zeros", dtype=self._dtype, name="count")

    def update_state(self, values, sample_weight=None):
        values, sample_weight = _reduce_to_samplewise_values(values, sample_weight, tf.reduce_mean,
                                                             self._dtype)
        self.total.assign_add(tf.reduce_sum(values))
        if sample_weight is not None:
            num_samples = tf.reduce_sum(sample_weight)
        elif len(values.shape) >= 1:
            num_samples = tf.shape(values)[0]
        else:
            num_samples = 1
        self.count.assign_add(tf.cast(num_samples, self._dtype))

    def reset_state(self):
        self.total.assign(tf.zeros([], self.total.dtype))
        self.count.assign(tf.zeros([], self.count.dtype))

    def result(self):
        return tf.math.divide_no_nan(tf.convert_to_tensor(self.total),
                                     tf.cast(tf.convert_to_tensor(self.count), self._dtype))


class MeanMetricWrapper(Mean):
    """The mean of `fn(y_true, y_pred, **kwargs)` (per-sample values) over everything seen."""

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        mask = get_keras_mask(y_pred)
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        sample_weight = apply_mask(sample_weight, mask, dtype=self._dtype, reduction="sum")
        return super().update_state(values, sample_weight=sample_weight)

    def get_config(self):
        config = {"name": self.name, "dtype": self.dtype}
        if type(self) is MeanMetricWrapper:
            config["fn"] = _losses.serialize(self._fn) if inspect.isfunction(self._fn) \
                else get_object_name(self._fn)
            config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if cls is MeanMetricWrapper and isinstance(config.get("fn"), (str, dict)):
            fn = config["fn"]
            name = fn["config"] if isinstance(fn, dict) else fn
            config["fn"] = _FUNCTIONS.get(name) or _losses.deserialize(fn)
        return cls(**config)


class _ConfiguredWrapper(MeanMetricWrapper):
    """A built-in MeanMetricWrapper: its config is name, dtype and `_config_keys`."""
    _config_keys: tuple = ()

    def get_config(self):
        config = {"name": self.name, "dtype": self.dtype}
        config.update({k: getattr(self, k) for k in self._config_keys})
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)


# --- accuracy functions (keras/src/metrics/accuracy_metrics.py) --------------------------------
def _floatx():
    return tf.as_dtype(floatx())


def accuracy(y_true, y_pred):
    y_pred = as_tensor(y_pred)
    y_true = as_tensor(y_true, y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return tf.cast(tf.equal(y_true, y_pred), _floatx())


def binary_accuracy(y_true, y_pred, threshold=0.5):
    y_pred = as_tensor(y_pred)
    y_true = as_tensor(y_true)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    y_pred = tf.cast(tf.greater(y_pred, tf.cast(threshold, y_pred.dtype)), y_true.dtype)
    return tf.cast(tf.equal(y_true, y_pred), _floatx())


def categorical_accuracy(y_true, y_pred):
    y_true = tf.argmax(as_tensor(y_true), axis=-1)
    y_pred = as_tensor(y_pred)
    y_true = as_tensor(y_true, y_pred.dtype)
    y_true_org_shape = tf.shape(y_true)
    reshape_matches = False
    if len(y_true.shape) == len(y_pred.shape):
        y_true = tf.squeeze(y_true, -1)
        reshape_matches = True
    y_pred = tf.argmax(y_pred, axis=-1)
    if y_pred.dtype != y_true.dtype:
        y_pred = tf.cast(y_pred, y_true.dtype)
    matches = tf.cast(tf.equal(y_true, y_pred), _floatx())
    if reshape_matches:
        matches = tf.reshape(matches, y_true_org_shape)
    return matches


def sparse_categorical_accuracy(y_true, y_pred):
    y_pred = as_tensor(y_pred)
    y_true = as_tensor(y_true, y_pred.dtype)
    y_true_org_shape = tf.shape(y_true)
    reshape_matches = False
    if len(y_true.shape) == len(y_pred.shape) and y_true.shape[-1] == 1:
        y_true = tf.squeeze(y_true, -1)
        reshape_matches = True
    y_pred = tf.argmax(y_pred, axis=-1)
    if y_pred.dtype != y_true.dtype:
        y_pred = tf.cast(y_pred, y_true.dtype)
    matches = tf.cast(tf.equal(y_true, y_pred), _floatx())
    if reshape_matches:
        matches = tf.reshape(matches, y_true_org_shape)
    if len(matches.shape) > 1 and matches.shape[-1] == 1:
        matches = tf.squeeze(matches, -1)
    return matches


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    y_pred = as_tensor(y_pred)
    y_true = tf.argmax(as_tensor(y_true, y_pred.dtype), axis=-1)
    y_true_org_shape = tf.shape(y_true)
    reshape_matches = False
    if len(y_pred.shape) > 2:
        y_pred = tf.reshape(y_pred, [-1, y_pred.shape[-1]])
    if len(y_true.shape) > 1:
        reshape_matches = True
        y_true = tf.reshape(y_true, [-1])
    matches = tf.cast(tf.math.in_top_k(tf.cast(y_true, tf.int32), y_pred, k), _floatx())
    if reshape_matches:
        matches = tf.reshape(matches, y_true_org_shape)
    return matches


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    y_pred = as_tensor(y_pred)
    y_true = as_tensor(y_true, y_pred.dtype if from_sorted_ids else tf.int32)
    y_true_org_shape = tf.shape(y_true)
    reshape_matches = False
    if len(y_pred.shape) > 2:
        y_pred = tf.reshape(y_pred, [-1, y_pred.shape[-1]])
    if len(y_true.shape) > 1:
        reshape_matches = True
        y_true = tf.reshape(y_true, [-1])
    if from_sorted_ids:
        matches = tf.reduce_any(tf.equal(tf.expand_dims(y_true, axis=1), y_pred[:, :k]), axis=1)
    else:
        matches = tf.math.in_top_k(y_true, y_pred, k)
    matches = tf.cast(matches, _floatx())
    if reshape_matches:
        matches = tf.reshape(matches, y_true_org_shape)
    return matches


# --- mean-of-a-function metrics ---------------------------------------------------------------
class Accuracy(_ConfiguredWrapper):
    """How often `y_pred` equals `y_true`."""

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(fn=accuracy, name=name, dtype=dtype)


class BinaryAccuracy(_ConfiguredWrapper):
    """How often `y_pred > threshold` matches the binary label."""
    _config_keys = ("threshold",)

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(fn=binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold


class CategoricalAccuracy(_ConfiguredWrapper):
    """How often argmax(y_pred) is argmax(y_true) (one-hot labels)."""

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(fn=categorical_accuracy, name=name, dtype=dtype)


class SparseCategoricalAccuracy(_ConfiguredWrapper):
    """How often argmax(y_pred) is the integer label."""

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(fn=sparse_categorical_accuracy, name=name, dtype=dtype)


class TopKCategoricalAccuracy(_ConfiguredWrapper):
    _config_keys = ("k",)

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(fn=top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k


class SparseTopKCategoricalAccuracy(_ConfiguredWrapper):
    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None,
                 from_sorted_ids=False):
        super().__init__(fn=sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k,
                         from_sorted_ids=from_sorted_ids)
        self.k = k
        self.from_sorted_ids = from_sorted_ids

    def get_config(self):
        config = {"name": self.name, "dtype": self.dtype, "k": self.k}
        if self.from_sorted_ids:
            config["from_sorted_ids"] = True
        return config


class MeanSquaredError(_ConfiguredWrapper):
    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(fn=mean_squared_error, name=name, dtype=dtype)


class MeanAbsoluteError(_ConfiguredWrapper):
    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(fn=mean_absolute_error, name=name, dtype=dtype)


class MeanAbsolutePercentageError(_ConfiguredWrapper):
    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(fn=mean_absolute_percentage_error, name=name, dtype=dtype)


class MeanSquaredLogarithmicError(_ConfiguredWrapper):
    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(fn=mean_squared_logarithmic_error, name=name, dtype=dtype)


def cosine_similarity(y_true, y_pred, axis=-1):
    """sum(l2_normalize(y_true) * l2_normalize(y_pred), axis): the similarity itself (the loss
    `losses.cosine_similarity` is its negative)."""
    return -_losses.cosine_similarity(y_true, y_pred, axis=axis)


class CosineSimilarity(_ConfiguredWrapper):
    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(fn=cosine_similarity, name=name, dtype=dtype, axis=axis)


class LogCoshError(_ConfiguredWrapper):
    def __init__(self, name="logcosh", dtype=None):
        super().__init__(fn=log_cosh, name=name, dtype=dtype)


class RootMeanSquaredError(Mean):
    """sqrt of the (weighted) mean of squared errors."""

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = as_tensor(y_true, self._dtype)
        y_pred = as_tensor(y_pred, self._dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return super().update_state(tf.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self):
        return tf.sqrt(super().result())


class Hinge(_ConfiguredWrapper):
    def __init__(self, name="hinge", dtype=None):
        super().__init__(fn=hinge, name=name, dtype=dtype)


class SquaredHinge(_ConfiguredWrapper):
    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(fn=squared_hinge, name=name, dtype=dtype)


class CategoricalHinge(_ConfiguredWrapper):
    def __init__(self, name="categorical_hinge", dtype=None):
        super().__init__(fn=categorical_hinge, name=name, dtype=dtype)


class KLDivergence(_ConfiguredWrapper):
    def __init__(self, name="kl_divergence", dtype=None):
        super().__init__(fn=kl_divergence, name=name, dtype=dtype)


class Poisson(_ConfiguredWrapper):
    def __init__(self, name="poisson", dtype=None):
        super().__init__(fn=poisson, name=name, dtype=dtype)


class BinaryCrossentropy(_ConfiguredWrapper):
    _config_keys = ("from_logits", "label_smoothing")

    def __init__(self, name="binary_crossentropy", dtype=None, from_logits=False, label_smoothing=0):
        super().__init__(binary_crossentropy, name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing


class CategoricalCrossentropy(_ConfiguredWrapper):
    _config_keys = ("from_logits", "label_smoothing", "axis")

    def __init__(self, name="categorical_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0, axis=-1):
        super().__init__(categorical_crossentropy, name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class SparseCategoricalCrossentropy(_ConfiguredWrapper):
    _config_keys = ("from_logits", "ignore_class", "axis")

    def __init__(self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False,
                 ignore_class=None, axis=-1):
        super().__init__(sparse_categorical_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, ignore_class=ignore_class, axis=axis)
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis


# --- confusion-matrix metrics (keras/src/metrics/metrics_utils.py) ----------------------------
NEG_INF = -1e10
TP, FP, TN, FN = "true_positives", "false_positives", "true_negatives", "false_negatives"


def _to_list(x):
    return list(x) if isinstance(x, (list, tuple, np.ndarray)) else [x]


def _parse_init_thresholds(thresholds, default_threshold=0.5):
    if thresholds is not None:
        bad = [t for t in _to_list(thresholds) if t is None or t < 0 or t > 1]
        if bad:
            raise ValueError(f"Threshold values must be in [0, 1]. Received: {bad}")
    return _to_list(default_threshold if thresholds is None else thresholds)


def is_evenly_distributed_thresholds(thresholds):
    num_thresholds = len(thresholds)
    if num_thresholds < 3:
        return False
    even = np.arange(num_thresholds, dtype=np.float32) / (num_thresholds - 1)
    return bool(np.allclose(thresholds, even, atol=epsilon()))


def _filter_top_k(x, k):
    """x with everything but the top k of the last axis set to NEG_INF."""
    _, top_k_idx = tf.math.top_k(x, k)
    depth = x.shape[-1] if x.shape[-1] is not None else tf.shape(x)[-1]
    top_k_mask = tf.reduce_sum(tf.one_hot(top_k_idx, depth, axis=-1, dtype=x.dtype), axis=-2)
    return x * top_k_mask + NEG_INF * (1 - top_k_mask)


def update_confusion_matrix_variables(variables_to_update, y_true, y_pred, thresholds, top_k=None,
                                      class_id=None, sample_weight=None, multi_label=False,
                                      label_weights=None, thresholds_distributed_evenly=False,
                                      _runner=None):
    """Add the (weighted) counts of `y_pred > threshold` against `y_true` (cast to bool), one
    per threshold, to the variables in `variables_to_update` (keys TP, FP, TN, FN).
    `_runner`: a `_CompiledWhenEager` of `_update_counts` to run the arithmetic through."""
    if multi_label and label_weights is not None:
        raise ValueError("`label_weights` for multilabel data should be handled outside of "
                         "`update_confusion_matrix_variables` when `multi_label` is True.")
    if not variables_to_update:
        return
    invalid = [k for k in variables_to_update if k not in (TP, FP, TN, FN)]
    if invalid:
        raise ValueError(f'Invalid keys: "{invalid}". Valid variable key options are: '
                         f'"{[TP, FP, TN, FN]}"')
    keys = tuple(variables_to_update)
    variables = tuple(variables_to_update[k] for k in keys)
    y_true, y_pred = as_tensor(y_true), as_tensor(y_pred)
    sample_weight = None if sample_weight is None else as_tensor(sample_weight)
    label_weights = None if label_weights is None else as_tensor(label_weights)
    if class_id is not None and len(y_pred.shape) == 1:
        raise ValueError("When class_id is provided, y_pred must be a 2D array with shape "
                         f"(num_samples, num_classes), found shape: {y_pred.shape}")
    thresholds = tuple(float(t) for t in _to_list(thresholds))
    (_runner or _update_counts)(keys, variables, y_true, y_pred, sample_weight, label_weights,
                                thresholds, top_k, class_id, bool(multi_label),
                                bool(thresholds_distributed_evenly))


def _update_counts(keys, variables, y_true, y_pred, sample_weight, label_weights, thresholds,
                   top_k, class_id, multi_label, thresholds_distributed_evenly):
    variable_dtype = variables[0].dtype
    y_true = tf.cast(y_true, variable_dtype)
    y_pred = tf.cast(y_pred, variable_dtype)
    thresholds_with_epsilon = thresholds_distributed_evenly and (thresholds[0] < 0.0 or
                                                                 thresholds[-1] > 1.0)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = tf.expand_dims(tf.cast(sample_weight, variable_dtype), axis=-1)
        _, sample_weight = squeeze_or_expand_to_same_rank(y_true, sample_weight, expand_rank_1=False)
    if top_k is not None:
        y_pred = _filter_top_k(y_pred, top_k)
    if class_id is not None:
        y_true = y_true[..., class_id, None]
        y_pred = y_pred[..., class_id, None]
    if label_weights is not None:
        label_weights = tf.cast(label_weights, variable_dtype)
    variables = dict(zip(keys, variables))
    if thresholds_distributed_evenly:
        _update_bucketed(variables, y_true, y_pred, len(thresholds), multi_label,
                         sample_weight, label_weights, thresholds_with_epsilon)
    else:
        _update_by_comparison(variables, y_true, y_pred, tf.constant(thresholds, variable_dtype),
                              multi_label, sample_weight, label_weights)


def _update_bucketed(variables, y_true, y_pred, num_thresholds, multi_label, sample_weight,
                     label_weights, thresholds_with_epsilon):
    """Evenly spaced thresholds: each prediction falls in one bucket; the count above a
    threshold is a reversed cumulative sum of bucket counts (O(T + N))."""
    weights = 1.0
    if sample_weight is not None:
        weights = tf.broadcast_to(tf.cast(sample_weight, y_pred.dtype), tf.shape(y_pred))
        if not multi_label:
            weights = tf.reshape(weights, [-1])
    if label_weights is not None:
        lw = tf.broadcast_to(tf.expand_dims(label_weights, 0), tf.shape(y_pred))
        if not multi_label:
            lw = tf.reshape(lw, [-1])
        weights = weights * lw
    y_pred = tf.clip_by_value(y_pred, 0.0, 1.0)
    y_true = tf.cast(tf.cast(y_true, tf.bool), y_true.dtype)
    if not multi_label:
        y_true = tf.reshape(y_true, [-1])
        y_pred = tf.reshape(y_pred, [-1])
    true_labels = y_true * weights
    false_labels = (1.0 - y_true) * weights
    buckets = tf.math.ceil(y_pred * (tf.cast(num_thresholds, y_pred.dtype) - 1)) - 1
    if thresholds_with_epsilon:
        buckets = tf.nn.relu(buckets)
    buckets = tf.cast(buckets, tf.int32)
    if multi_label:
        # one segment sum over all labels: label j's buckets are offset by j * num_thresholds
        true_labels, false_labels = tf.transpose(true_labels), tf.transpose(false_labels)
        buckets = tf.transpose(buckets)
        num_labels = buckets.shape[0]  # static: the variables' shapes fixed it
        offsets = tf.expand_dims(tf.range(num_labels) * num_thresholds, 1)
        ids = tf.where(buckets >= 0, buckets + offsets, -tf.ones_like(buckets))

        def bucket_sums(labels):
            sums = tf.math.unsorted_segment_sum(tf.reshape(labels, [-1]), tf.reshape(ids, [-1]),
                                                num_labels * num_thresholds)
            return tf.reshape(sums, [num_labels, num_thresholds])
        tp = tf.transpose(tf.cumsum(bucket_sums(true_labels), axis=1, reverse=True))
        fp = tf.transpose(tf.cumsum(bucket_sums(false_labels), axis=1, reverse=True))
        total_true = tf.reduce_sum(true_labels, axis=1)
        total_false = tf.reduce_sum(false_labels, axis=1)
    else:
        tp = tf.cumsum(tf.math.unsorted_segment_sum(true_labels, buckets, num_thresholds),
                       reverse=True)
        fp = tf.cumsum(tf.math.unsorted_segment_sum(false_labels, buckets, num_thresholds),
                       reverse=True)
        total_true = tf.reduce_sum(true_labels)
        total_false = tf.reduce_sum(false_labels)
    counts = {TP: lambda: tp, FP: lambda: fp, TN: lambda: total_false - fp,
              FN: lambda: total_true - tp}
    for key, variable in variables.items():
        variable.assign(variable + counts[key]())


def _update_by_comparison(variables, y_true, y_pred, thresholds, multi_label, sample_weight,
                          label_weights):
    """Any thresholds: compare every prediction with every threshold."""
    if multi_label:
        preds = tf.expand_dims(y_pred, 0)
        labels = tf.expand_dims(tf.cast(y_true, tf.bool), 0)
        thresholds = tf.reshape(thresholds, [-1] + [1] * len(y_pred.shape))
    else:
        preds = tf.reshape(y_pred, [1, -1])
        labels = tf.reshape(tf.cast(y_true, tf.bool), [1, -1])
        thresholds = tf.reshape(thresholds, [-1, 1])
    pred_is_pos = tf.greater(preds, thresholds)
    label_is_pos = tf.broadcast_to(labels, tf.shape(pred_is_pos))
    weights = None
    if sample_weight is not None:
        weights = tf.broadcast_to(tf.cast(sample_weight, y_pred.dtype), tf.shape(y_pred))
        weights = tf.expand_dims(weights, 0) if multi_label else tf.reshape(weights, [1, -1])
    if label_weights is not None and not multi_label:
        lw = tf.reshape(tf.broadcast_to(tf.expand_dims(label_weights, 0), tf.shape(y_pred)), [1, -1])
        weights = lw if weights is None else weights * lw

    def count(label, pred, variable):
        both = tf.logical_and(label, pred)
        if weights is not None:
            both = tf.where(both, tf.broadcast_to(tf.cast(weights, variable.dtype), tf.shape(both)),
                            tf.zeros(tf.shape(both), variable.dtype))
        else:
            both = tf.cast(both, variable.dtype)
        variable.assign(variable + tf.reduce_sum(both, 1))

    pred_is_neg = tf.logical_not(pred_is_pos)
    label_is_neg = tf.logical_not(label_is_pos)
    conditions = {TP: (label_is_pos, pred_is_pos), FN: (label_is_pos, pred_is_neg),
                  FP: (label_is_neg, pred_is_pos), TN: (label_is_neg, pred_is_neg)}
    for key, variable in variables.items():
        count(*conditions[key], variable)


class _ConfusionMatrixConditionCount(Metric):
    _condition = None

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = _parse_init_thresholds(thresholds, default_threshold=0.5)
        self._thresholds_distributed_evenly = is_evenly_distributed_thresholds(self.thresholds)
        self.accumulator = self.add_variable(shape=(len(self.thresholds),), name="accumulator")
        self._update_counts = _CompiledWhenEager(_update_counts)

    def update_state(self, y_true, y_pred, sample_weight=None):
        update_confusion_matrix_variables(
            {self._condition: self.accumulator}, y_true, y_pred, thresholds=self.thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            sample_weight=sample_weight, _runner=self._update_counts)

    def result(self):
        value = tf.convert_to_tensor(self.accumulator)
        return value[0] if len(self.thresholds) == 1 else value

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds}


class TruePositives(_ConfusionMatrixConditionCount):
    _condition = TP


class FalsePositives(_ConfusionMatrixConditionCount):
    _condition = FP


class TrueNegatives(_ConfusionMatrixConditionCount):
    _condition = TN


class FalseNegatives(_ConfusionMatrixConditionCount):
    _condition = FN


class _PrecisionRecall(Metric):
    _second = None  # FP for precision, FN for recall

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        default_threshold = 0.5 if top_k is None else NEG_INF
        self.thresholds = _parse_init_thresholds(thresholds, default_threshold=default_threshold)
        self._thresholds_distributed_evenly = is_evenly_distributed_thresholds(self.thresholds)
        shape = (len(self.thresholds),)
        self.true_positives = self.add_variable(shape=shape, name=TP)
        setattr(self, self._second, self.add_variable(shape=shape, name=self._second))
        self._update_counts = _CompiledWhenEager(_update_counts)

    def update_state(self, y_true, y_pred, sample_weight=None):
        update_confusion_matrix_variables(
            {TP: self.true_positives, self._second: getattr(self, self._second)}, y_true, y_pred,
            thresholds=self.thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly, top_k=self.top_k,
            class_id=self.class_id, sample_weight=sample_weight, _runner=self._update_counts)

    def result(self):
        tp = tf.convert_to_tensor(self.true_positives)
        other = tf.convert_to_tensor(getattr(self, self._second))
        result = tf.math.divide_no_nan(tp, tp + other)
        return result[0] if len(self.thresholds) == 1 else result

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds, "top_k": self.top_k,
                "class_id": self.class_id}


class Precision(_PrecisionRecall):
    """TP / (TP + FP) at each threshold (0.5 by default)."""
    _second = FP


class Recall(_PrecisionRecall):
    """TP / (TP + FN) at each threshold (0.5 by default)."""
    _second = FN


_CURVES = {"roc": "ROC", "pr": "PR", "prgain": "PRGAIN"}
_SUMMATIONS = {"interpolation": "interpolation", "minoring": "minoring", "majoring": "majoring"}


class AUC(Metric):
    """Area under the ROC or PR curve, from TP/FP/TN/FN counted at `num_thresholds` thresholds
    and summed as Keras does (Riemann sum with trapezoids; PR with Davis & Goadrich's
    interpolation)."""

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation", name=None,
                 dtype=None, thresholds=None, multi_label=False, num_labels=None, label_weights=None,
                 from_logits=False):
        curve_key = str(curve).lower()
        if curve_key not in _CURVES:
            raise ValueError(f'Invalid AUC curve value: "{curve}". Expected values are '
                             '["PR", "ROC", "PRGAIN"]')
        summation_key = str(summation_method).lower()
        if summation_key not in _SUMMATIONS:
            raise ValueError(f'Invalid AUC summation method value: "{summation_method}". Expected '
                             'values are ["interpolation", "majoring", "minoring"]')
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            self.num_thresholds = len(thresholds) + 2
            thresholds = sorted(thresholds)
            self._thresholds_distributed_evenly = is_evenly_distributed_thresholds(
                np.array([0.0] + thresholds + [1.0]))
        else:
            if num_thresholds <= 1:
                raise ValueError("Argument `num_thresholds` must be an integer > 1. "
                                 f"Received: num_thresholds={num_thresholds}")
            self.num_thresholds = num_thresholds
            thresholds = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._thresholds_distributed_evenly = True
        self._thresholds = np.array([0.0 - epsilon()] + list(thresholds) + [1.0 + epsilon()])
        self.curve = _CURVES[curve_key]
        self.summation_method = _SUMMATIONS[summation_key]
        super().__init__(name=name, dtype=dtype)
        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = None if label_weights is None else as_tensor(label_weights, self._dtype)
        self._label_weights_config = label_weights
        self._from_logits = from_logits
        self._update_counts = _CompiledWhenEager(_update_counts)
        self._compute_result = _CompiledWhenEager(self._result)
        self._built = False
        if self.multi_label:
            if num_labels:
                self._build([None, num_labels])
        else:
            if num_labels:
                raise ValueError("`num_labels` is needed only when `multi_label` is True.")
            self._build(None)

    @property
    def thresholds(self):
        return list(self._thresholds)

    def _build(self, shape):
        if self.multi_label:
            if len(shape) != 2:
                raise ValueError("`y_pred` must have rank 2 when `multi_label=True`. Found rank "
                                 f"{len(shape)}. Full shape received for `y_pred`: {shape}")
            self._num_labels = shape[1]
            variable_shape = [self.num_thresholds, self._num_labels]
        else:
            variable_shape = [self.num_thresholds]
        self._build_input_shape = shape
        self.true_positives = self.add_variable(shape=variable_shape, name=TP)
        self.false_positives = self.add_variable(shape=variable_shape, name=FP)
        self.true_negatives = self.add_variable(shape=variable_shape, name=TN)
        self.false_negatives = self.add_variable(shape=variable_shape, name=FN)
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = as_tensor(y_pred)
        if not self._built:
            self._build(list(y_pred.shape))
        label_weights = None if self.multi_label else self.label_weights
        if self._from_logits:
            y_pred = _activations.sigmoid(y_pred)
        update_confusion_matrix_variables(
            {TP: self.true_positives, TN: self.true_negatives, FP: self.false_positives,
             FN: self.false_negatives}, y_true, y_pred, self._thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            sample_weight=sample_weight, multi_label=self.multi_label, label_weights=label_weights,
            _runner=self._update_counts)

    def _average_labels(self, by_threshold):
        if self.multi_label:
            by_label = tf.reduce_sum(by_threshold, axis=0)
            if self.label_weights is None:
                return tf.reduce_mean(by_label)
            return tf.math.divide_no_nan(tf.reduce_sum(by_label * self.label_weights),
                                         tf.reduce_sum(self.label_weights))
        return tf.reduce_sum(by_threshold)

    def interpolate_pr_auc(self):
        """PR AUC with precision interpolated between thresholds (Davis & Goadrich 2006)."""
        return self._interpolate_pr_auc(tf.convert_to_tensor(self.true_positives),
                                        tf.convert_to_tensor(self.false_positives),
                                        tf.convert_to_tensor(self.false_negatives))

    def _interpolate_pr_auc(self, tp, fp, fn):
        n = self.num_thresholds
        dtp = tp[: n - 1] - tp[1:]
        p = tp + fp
        dp = p[: n - 1] - p[1:]
        prec_slope = tf.math.divide_no_nan(dtp, tf.maximum(dp, 0.0))
        intercept = tp[1:] - prec_slope * p[1:]
        safe_p_ratio = tf.where(tf.logical_and(p[: n - 1] > 0, p[1:] > 0),
                                tf.math.divide_no_nan(p[: n - 1], tf.maximum(p[1:], 0.0)),
                                tf.ones_like(p[1:]))
        pr_auc_increment = tf.math.divide_no_nan(
            prec_slope * (dtp + intercept * tf.math.log(safe_p_ratio)),
            tf.maximum(tp[1:] + fn[1:], 0.0))
        return self._average_labels(pr_auc_increment)

    def result(self):
        if not self._built:  # multi_label without num_labels, before any update
            return tf.zeros([], self._dtype)
        return self._compute_result(self.true_positives, self.false_positives,
                                    self.true_negatives, self.false_negatives)

    def _result(self, *variables):
        tp, fp, tn, fn = [tf.convert_to_tensor(v) for v in variables]
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._interpolate_pr_auc(tp, fp, fn)
        n = self.num_thresholds
        recall = tf.math.divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = tf.math.divide_no_nan(fp, fp + tn), recall
        elif self.curve == "PR":
            x, y = recall, tf.math.divide_no_nan(tp, tp + fp)
        else:  # PRGAIN
            scaling_factor = tf.math.divide_no_nan(tp + fn, tn + fp)
            recall_gain = 1.0 - scaling_factor * tf.math.divide_no_nan(fn, tp)
            precision_gain = 1.0 - scaling_factor * tf.math.divide_no_nan(fp, tp)
            no_tp = tf.equal(tp, 0.0)
            recall_gain = tf.where(no_tp, tf.zeros_like(recall_gain), recall_gain)
            precision_gain = tf.where(no_tp, tf.ones_like(precision_gain), precision_gain)
            x, y = tf.maximum(recall_gain, 0.0), precision_gain
        if self.summation_method == "interpolation":
            heights = (y[: n - 1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = tf.minimum(y[: n - 1], y[1:])
        else:
            heights = tf.maximum(y[: n - 1], y[1:])
        return self._average_labels((x[: n - 1] - x[1:]) * heights)

    def reset_state(self):
        if self._built:
            for v in (self.true_positives, self.false_positives, self.true_negatives,
                      self.false_negatives):
                v.assign(tf.zeros(v.shape, v.dtype))

    def get_config(self):
        label_weights = self._label_weights_config
        if label_weights is not None:
            label_weights = [float(w) for w in np.asarray(label_weights).reshape(-1)]
        config = {"num_thresholds": self.num_thresholds, "curve": self.curve,
                  "summation_method": self.summation_method, "multi_label": self.multi_label,
                  "num_labels": self.num_labels, "label_weights": label_weights,
                  "from_logits": self._from_logits}
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return {**super().get_config(), **config}


# --- lookup -----------------------------------------------------------------------------------
_CLASSES = [Metric, Mean, Sum, MeanMetricWrapper, MeanSquaredError, RootMeanSquaredError,
            MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError,
            CosineSimilarity, LogCoshError, AUC, FalseNegatives, FalsePositives, Precision, Recall,
            TrueNegatives, TruePositives, Hinge, SquaredHinge, CategoricalHinge, KLDivergence,
            Poisson, BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy,
            Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
            TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy]
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in _CLASSES}
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in _CLASSES})
ALL_OBJECTS_DICT.update({
    "bce": BinaryCrossentropy, "BCE": BinaryCrossentropy, "mse": MeanSquaredError,
    "MSE": MeanSquaredError, "mae": MeanAbsoluteError, "MAE": MeanAbsoluteError,
    "mape": MeanAbsolutePercentageError, "MAPE": MeanAbsolutePercentageError,
    "msle": MeanSquaredLogarithmicError, "MSLE": MeanSquaredLogarithmicError})

# The metric functions (keras.metrics.<fn>), for MeanMetricWrapper configs.
_FUNCTIONS = {fn.__name__: fn for fn in [
    accuracy, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy,
    top_k_categorical_accuracy, sparse_top_k_categorical_accuracy, mean_squared_error,
    mean_absolute_error, mean_absolute_percentage_error, mean_squared_logarithmic_error,
    binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy, hinge,
    squared_hinge, categorical_hinge, kl_divergence, poisson, log_cosh, cosine_similarity]}
# What `deserialize` finds by name: the classes and aliases, then the functions.
_BY_NAME = collections.ChainMap(ALL_OBJECTS_DICT, _FUNCTIONS)
# TF 2 short names of the functions
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kl_divergence
logcosh = log_cosh


def serialize(metric):
    if inspect.isfunction(metric):
        return {"module": "builtins", "class_name": "function", "config": metric.__name__,
                "registered_name": "function"}
    return {"module": "keras.metrics", "class_name": metric.__class__.__name__,
            "config": metric.get_config(), "registered_name": None}


def deserialize(config, custom_objects=None):
    return deserialize_object(config, _BY_NAME, custom_objects, "metric")


def get(identifier):
    """A metric from a name ('mse', 'auc', 'CategoricalAccuracy': a new instance), a
    serialized config, a class, a function or an instance. For compile's 'accuracy' see
    `get_metric`."""
    return get_object(identifier, ALL_OBJECTS_DICT, deserialize, "metric")


def get_metric(identifier, y_true, y_pred):
    """What `compile(metrics=[identifier])` makes for an output (Keras 3's
    compile_utils.get_metric). `y_true`/`y_pred`: tensors, or their shapes.

    "accuracy"/"acc" (any case) pick from the shapes: BinaryAccuracy when y_pred's last
    dimension is 1; SparseCategoricalAccuracy when y_true has a lower rank than y_pred, or a last
    dimension of 1 against several; CategoricalAccuracy otherwise. (The loss plays no part, as in
    Keras 3; TF 2's tf.keras looked at the loss function too.) A string names the metric as
    given ('acc', 'mse'); a function is wrapped in a MeanMetricWrapper."""
    if identifier is None:
        raise ValueError("Expected metric, received `None`")
    if str(identifier).lower() not in ("accuracy", "acc"):
        metric_obj = get(identifier)
    else:
        is_binary, is_sparse = _losses.is_binary_or_sparse_categorical(y_true, y_pred)
        cls = (BinaryAccuracy if is_binary else
               SparseCategoricalAccuracy if is_sparse else CategoricalAccuracy)
        metric_obj = cls(name=str(identifier))
    metric_name = identifier if isinstance(identifier, str) else get_object_name(metric_obj)
    if not isinstance(metric_obj, Metric):
        metric_obj = MeanMetricWrapper(metric_obj)
    metric_obj.name = metric_name
    return metric_obj


resolve_accuracy = get_metric

__all__ = ([c.__name__ for c in _CLASSES] + sorted(_FUNCTIONS)
           + ["get", "get_metric", "resolve_accuracy", "serialize", "deserialize",
              "update_confusion_matrix_variables"])
