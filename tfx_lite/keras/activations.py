"""tf.keras.activations (Keras 3 names and numerics, TensorFlow backend).

`softmax` and `sigmoid` remember the logits they were given (Keras sets `_keras_logits` on the
output): the cross-entropy losses then compute from those logits, as Keras does, instead of
clipping saturated probabilities."""
from __future__ import annotations

import types

import tfx_lite as tf
from tfx_lite.keras.utils import TensorAttribute, as_tensor, get_object

_KERAS_LOGITS = TensorAttribute()


def keras_logits(output):
    """The logits a Keras softmax/sigmoid computed `output` from, or None."""
    return _KERAS_LOGITS.get(output)


def _zeros(x):
    return tf.zeros_like(x)


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """max(x, 0), with an optional slope below the threshold and a cap (Keras' ReLU op)."""
    x = as_tensor(x)
    if negative_slope != 0.0:
        if max_value is None and threshold == 0:
            return tf.nn.leaky_relu(x, alpha=negative_slope)
        negative_part = tf.nn.relu(-x + threshold) if threshold != 0 else tf.nn.relu(-x)
    clip_max = max_value is not None
    if threshold != 0:
        x = tf.where(tf.greater(x, tf.cast(threshold, x.dtype)), x, _zeros(x))
    elif max_value == 6:
        x = tf.nn.relu6(x)
        clip_max = False
    else:
        x = tf.nn.relu(x)
    if clip_max:
        x = tf.clip_by_value(x, tf.cast(0.0, x.dtype), tf.cast(max_value, x.dtype))
    if negative_slope != 0.0:
        x = x - negative_slope * negative_part
    return x


def leaky_relu(x, negative_slope=0.2):
    return tf.nn.leaky_relu(as_tensor(x), alpha=negative_slope)


def relu6(x):
    return tf.nn.relu6(as_tensor(x))


def _over_axes(fn, x, axis):
    """Keras' softmax/log_softmax over None (every element) or a tuple of axes."""
    if axis is None:
        return tf.reshape(fn(tf.reshape(x, [-1]), axis=-1), tf.shape(x))
    if isinstance(axis, (tuple, list)):
        rank = len(x.shape)
        axis = [a % rank for a in axis]
        keep = [d for d in range(rank) if d not in axis]
        order = [*keep, *axis]
        transposed = tf.transpose(x, order)
        flat = tf.reshape(transposed, [*[x.shape[d] for d in keep], -1])
        out = tf.reshape(fn(flat, axis=-1), tf.shape(transposed))
        return tf.transpose(out, sorted(range(rank), key=order.__getitem__))
    return fn(x, axis=axis)


def softmax(x, axis=-1):
    x = as_tensor(x)
    output = _over_axes(tf.nn.softmax, x, axis)
    _KERAS_LOGITS.set(output, x)
    return output


def log_softmax(x, axis=-1):
    return _over_axes(tf.nn.log_softmax, as_tensor(x), axis)


def elu(x, alpha=1.0):
    x = as_tensor(x)
    res = tf.nn.elu(x)
    return res if alpha == 1 else tf.where(x > 0, res, alpha * res)


def selu(x):
    return tf.nn.selu(as_tensor(x))


def softplus(x):
    return tf.math.softplus(as_tensor(x))


def softsign(x):
    return tf.nn.softsign(as_tensor(x))


def soft_shrink(x, threshold=0.5):
    x = as_tensor(x)
    return tf.where(x > threshold, x - threshold,
                    tf.where(x < -threshold, x + threshold, _zeros(x)))


def sparse_plus(x):
    x = as_tensor(x)
    return tf.where(x <= -1, _zeros(x), tf.where(x < 1, (1 / 4) * tf.pow(x + 1, 2), x))


def silu(x):
    return tf.nn.silu(as_tensor(x))


swish = silu


def squareplus(x, b=4):
    x = as_tensor(x)
    b = tf.cast(b, x.dtype)
    return (x + tf.sqrt(tf.square(x) + b)) / 2


def gelu(x, approximate=False):
    return tf.nn.gelu(as_tensor(x), approximate=approximate)


def celu(x, alpha=1.0):
    x = as_tensor(x)
    return tf.maximum(x, 0.0) + alpha * tf.math.expm1(tf.minimum(x, 0.0) / alpha)


def glu(x, axis=-1):
    x = as_tensor(x)
    if x.shape[axis] % 2 != 0:
        raise ValueError(f"axis size must be divisible by 2. Received: x.shape={x.shape} with "
                         f"axis={axis}")
    x1, x2 = tf.split(x, num_or_size_splits=2, axis=axis)
    return x1 * tf.sigmoid(x2)


def tanh(x):
    return tf.tanh(as_tensor(x))


def tanh_shrink(x):
    x = as_tensor(x)
    return x - tf.tanh(x)


def hard_tanh(x):
    return tf.clip_by_value(as_tensor(x), -1.0, 1.0)


def hard_shrink(x, threshold=0.5):
    x = as_tensor(x)
    return tf.where(tf.abs(x) > threshold, x, _zeros(x))


def threshold(x, threshold, default_value):
    x = as_tensor(x)
    return tf.where(x > threshold, x, tf.cast(default_value, x.dtype))


def sigmoid(x):
    x = as_tensor(x)
    output = tf.sigmoid(x)
    _KERAS_LOGITS.set(output, x)
    return output


def exponential(x):
    return tf.exp(as_tensor(x))


def hard_sigmoid(x):
    x = as_tensor(x)
    return tf.nn.relu6(x + tf.constant(3.0, x.dtype)) / tf.constant(6.0, x.dtype)


def log_sigmoid(x):
    return tf.math.log_sigmoid(as_tensor(x))


def sparse_sigmoid(x):
    x = as_tensor(x)
    return tf.where(x <= -1, tf.constant(0.0, x.dtype),
                    tf.where(x >= 1, tf.constant(1.0, x.dtype), 0.5 * (x + 1)))


def hard_silu(x):
    x = as_tensor(x)
    return x * hard_sigmoid(x)


hard_swish = hard_silu


def linear(x):
    return x


def mish(x):
    x = as_tensor(x)
    return x * tf.tanh(tf.math.softplus(x))


def sparsemax(x, axis=-1):
    logits = as_tensor(x)
    rank = len(logits.shape)
    logits_sorted = tf.sort(logits, direction="DESCENDING", axis=axis)
    logits_cumsum = tf.cumsum(logits_sorted, axis=axis)
    r = tf.range(1, tf.shape(logits)[axis] + 1, dtype=logits.dtype)
    r_shape = [1] * rank
    r_shape[axis] = -1
    r = tf.reshape(r, r_shape)
    support = logits_sorted - (logits_cumsum - 1) / r > 0
    logits_cumsum_safe = tf.where(support, logits_cumsum, _zeros(logits_cumsum))
    k = tf.reduce_sum(tf.cast(support, logits.dtype), axis=axis, keepdims=True)
    tau = (tf.reduce_sum(logits_cumsum_safe, axis=axis, keepdims=True) - 1) / k
    return tf.maximum(logits - tau, 0.0)


_FUNCTIONS = [relu, leaky_relu, relu6, softmax, celu, elu, selu, softplus, softsign, squareplus,
              soft_shrink, sparse_plus, silu, gelu, glu, tanh, tanh_shrink, threshold, sigmoid,
              sparse_sigmoid, exponential, hard_sigmoid, hard_silu, hard_tanh, hard_shrink, linear,
              mish, log_softmax, log_sigmoid, sparsemax]
ALL_OBJECTS_DICT = {fn.__name__: fn for fn in _FUNCTIONS}
ALL_OBJECTS_DICT["swish"] = silu
ALL_OBJECTS_DICT["hard_swish"] = hard_silu
_NAMES = {fn: name for name, fn in ALL_OBJECTS_DICT.items() if name == fn.__name__}


def serialize(activation):
    """A built-in activation's name ('relu'); other callables as Keras' object config."""
    name = _NAMES.get(activation)
    if name is not None:
        return name
    if hasattr(activation, "get_config"):
        return {"module": type(activation).__module__, "class_name": type(activation).__name__,
                "config": activation.get_config(), "registered_name": None}
    if isinstance(activation, types.FunctionType):
        raise ValueError(f"Unknown activation function '{activation}' cannot be serialized due to "
                         "invalid function name. Make sure to use an activation name that matches "
                         "the references defined in activations.py")
    raise ValueError(f"Could not serialize activation: {activation!r}")


def deserialize(config, custom_objects=None):
    if isinstance(config, str):
        obj = (custom_objects or {}).get(config) or ALL_OBJECTS_DICT.get(config)
        if obj is None:
            raise ValueError(f"Could not interpret activation function identifier: {config}")
        return obj
    if isinstance(config, dict):
        function = config.get("class_name") == "function"
        return deserialize(config.get("config") if function else config.get("class_name"),
                           custom_objects)
    raise ValueError(f"Could not interpret activation function identifier: {config}")


def get(identifier):
    """None -> linear; a name ('relu', 'swish'); a serialized config; or any callable."""
    if identifier is None:
        return linear
    return get_object(identifier, ALL_OBJECTS_DICT, deserialize, "activation function", instantiate_classes=False)


__all__ = sorted(ALL_OBJECTS_DICT) + ["get", "serialize", "deserialize"]
