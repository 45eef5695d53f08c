"""Argument handling the layer families share: Keras' tuple/padding/data_format normalization,
activation and initializer look-up and serialization, and the batch size of a tensor whose batch
dimension may be unknown (a `keras.Input`)."""
from __future__ import annotations

import numbers

import tfx_lite as tf
from tfx_lite.keras import initializers


def activation(identifier):
    from tfx_lite.keras import activations
    return activations.get(identifier)


def serialize_activation(fn):
    from tfx_lite.keras import activations
    return activations.serialize(fn)


def initializer(identifier):
    return initializers.get(identifier)


def serialize_initializer(init):
    if init is None:
        return None
    if hasattr(init, "get_config"):
        return initializers.serialize(init)
    return getattr(init, "__name__", str(init))


def serialize_plain(obj):
    """Regularizers/constraints: None, a name, or Keras' object config."""
    if obj is None or isinstance(obj, str):
        return obj
    if hasattr(obj, "get_config"):
        return {"module": type(obj).__module__, "class_name": type(obj).__name__,
                "config": obj.get_config(), "registered_name": None}
    return getattr(obj, "__name__", str(obj))


def normalize_tuple(value, n, name, allow_zero=False):
    """Keras' `standardize_tuple`: an int or n ints -> a tuple of n ints (positive ones)."""
    if isinstance(value, numbers.Integral):
        result = (int(value),) * n
    else:
        try:
            result = tuple(int(v) for v in value)
        except TypeError:
            raise ValueError(f"The `{name}` argument must be a tuple of {n} integers. "
                             f"Received {name}={value}") from None
        if len(result) != n:
            raise ValueError(f"The `{name}` argument must be a tuple of {n} integers. "
                             f"Received {name}={value}")
    bad = [v for v in result if (v < 0 if allow_zero else v <= 0)]
    if bad:
        req = "`>= 0`" if allow_zero else "`> 0`"
        raise ValueError(f"The `{name}` argument must be a tuple of {n} integers. Received {name}={value}, "
                         f"including values {set(bad)} that do not satisfy {req}")
    return result


def normalize_padding(value, allow_causal=False):
    padding = str(value).lower()
    allowed = ("valid", "same", "causal") if allow_causal else ("valid", "same")
    if padding not in allowed:
        raise ValueError(f"The `padding` argument must be a list/tuple or one of {allowed}. "
                         f"Received: {value}")
    return padding


def normalize_data_format(value):
    if value is None:
        return "channels_last"
    data_format = str(value).lower()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError("The `data_format` argument must be one of {'channels_first', 'channels_last'}. "
                         f"Received: data_format={value}")
    return data_format


def tf_data_format(data_format, n):
    """'channels_last' -> 'NWC' / 'NHWC'; 'channels_first' -> 'NCW' / 'NCHW'."""
    spatial = {1: "W", 2: "HW", 3: "DHW"}[n]
    return f"N{spatial}C" if data_format == "channels_last" else f"NC{spatial}"


def batch_size(x):
    """The batch dimension: a Python int when known, else a scalar tensor (`tf.shape(x)[0]`)."""
    b = x.shape[0]
    return b if b is not None else tf.shape(x)[0]


def shape_of(dims):
    """A shape from Python ints and scalar tensors: a tuple when all are known, else a tensor."""
    if all(isinstance(d, numbers.Integral) for d in dims):
        return tuple(int(d) for d in dims)
    return tf.stack([tf.cast(d, tf.int32) if isinstance(d, tf.Tensor) else tf.constant(int(d), tf.int32)
                     for d in dims])


def cast_inputs(x, dtype):
    """Layer inputs in the layer's compute dtype (Keras autocasts float inputs)."""
    if x.dtype != dtype:
        return tf.cast(x, dtype)
    return x
