"""tf.keras.utils: to_categorical, normalize, set_random_seed, and the small helpers the Keras
modules share (Keras' fuzz factor `epsilon()`, unique default names, values that Keras hangs
on tensors as attributes: the logits behind a softmax/sigmoid output, a loss's mask)."""
from __future__ import annotations

import collections
import random as _py_random
import re
import weakref

import numpy as np

import tfx_lite as tf

_EPSILON = 1e-7  # keras.backend.epsilon()
_FLOATX = "float32"
_RANDOM_SEED = [None]
_NAME_UIDS: collections.defaultdict = collections.defaultdict(int)


def epsilon() -> float:
    """Keras' fuzz factor (1e-7): probabilities are clipped to [epsilon, 1 - epsilon]."""
    return _EPSILON


def floatx() -> str:
    return _FLOATX


# --- names -----------------------------------------------------------------------------------
def to_snake_case(name: str) -> str:
    """'MeanSquaredError' -> 'mean_squared_error', as Keras names objects."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def auto_name(prefix: str) -> str:
    """Keras' default object names: 'auc', then 'auc_1', 'auc_2', ..."""
    prefix = to_snake_case(prefix)
    count = _NAME_UIDS[prefix]
    _NAME_UIDS[prefix] += 1
    return prefix if count == 0 else f"{prefix}_{count}"


def get_object(identifier, objects: dict, deserialize, kind: str, instantiate_classes=True):
    """Keras' `get` for losses, metrics, regularizers and activations: None, a name in
    `objects`, a serialized config (through `deserialize`), a class (instantiated, unless
    `instantiate_classes` is False, as for activations), a function or an instance."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = objects.get(identifier, None)
    else:
        obj = identifier
    if callable(obj):
        return obj() if instantiate_classes and isinstance(obj, type) else obj
    raise ValueError(f"Could not interpret {kind} identifier: {identifier}")


def deserialize_object(config, objects, custom_objects, kind: str):
    """Keras' `deserialize` for losses, metrics and regularizers: a name (looked up in
    `custom_objects`, then `objects`) is that object; a serialized config is a function by its
    name (class_name "function") or the class `class_name` made by its `from_config`."""
    custom_objects = custom_objects or {}
    if isinstance(config, str):
        obj = custom_objects.get(config) or objects.get(config)
        if obj is None:
            raise ValueError(f"Could not interpret {kind} identifier: {config}")
        return obj
    if isinstance(config, dict):
        class_name = config.get("class_name")
        if class_name == "function":
            return deserialize_object(config.get("config", {}), objects, custom_objects, kind)
        cls = custom_objects.get(class_name) or objects.get(class_name)
        if not isinstance(cls, type):
            raise ValueError(f"Could not interpret {kind} identifier: {config}")
        return cls.from_config(config.get("config", {}))
    raise ValueError(f"Could not interpret {kind} identifier: {config}")


def get_object_name(obj) -> str:
    if hasattr(obj, "name"):
        return obj.name
    if hasattr(obj, "__name__"):
        return to_snake_case(obj.__name__)
    return to_snake_case(obj.__class__.__name__)


# --- values attached to tensors -----------------------------------------------------------
class TensorAttribute:
    """A value attached to a tensor object, as Keras sets `tensor._keras_logits` or
    `tensor._keras_mask` (tfx_lite tensors have __slots__, so the value lives here, keyed by
    the tensor's identity, and goes when the tensor does). Works for eager and symbolic
    tensors alike."""

    def __init__(self):
        self._entries: dict = {}

    def set(self, tensor, value) -> None:
        key = id(tensor)
        entries = self._entries

        def forget(ref, key=key):
            entry = entries.get(key)
            if entry is not None and entry[0] is ref:
                del entries[key]
        try:
            ref = weakref.ref(tensor, forget)
        except TypeError:
            return  # not a tensor object (a numpy array): nothing to attach to, as Keras' C types
        entries[key] = (ref, value)

    def get(self, tensor):
        entry = self._entries.get(id(tensor))
        if entry is not None and entry[0]() is tensor:
            return entry[1]
        return None


_KERAS_MASK = TensorAttribute()


def get_keras_mask(tensor):
    """The mask Keras attached to `tensor` (keras.backend.get_keras_mask), or None."""
    return _KERAS_MASK.get(tensor)


def set_keras_mask(tensor, mask) -> None:
    _KERAS_MASK.set(tensor, mask)


# --- conversions -------------------------------------------------------------------------------
def as_tensor(x, dtype=None):
    """keras.ops.convert_to_tensor: a tensor (or variable) of another dtype is cast, Python and
    numpy values are converted; a tensor already of `dtype` comes back as itself."""
    if dtype is not None:
        dtype = tf.as_dtype(dtype)
    if isinstance(x, tf.Tensor):
        return x if dtype is None or x.dtype == dtype else tf.cast(x, dtype)
    if isinstance(x, tf.Variable) or hasattr(x, "__tf_tensor__"):
        x = tf.convert_to_tensor(x)
        return x if dtype is None or x.dtype == dtype else tf.cast(x, dtype)
    if dtype is not None and (dtype.is_integer or dtype == tf.bool):
        return tf.cast(tf.convert_to_tensor(x), dtype)
    if dtype is not None and isinstance(x, (np.ndarray, np.generic)):
        return tf.convert_to_tensor(np.asarray(x).astype(dtype.as_numpy_dtype))
    return tf.convert_to_tensor(x, dtype=dtype)


# --- public utils ---------------------------------------------------------------------------
def to_categorical(x, num_classes=None):
    """Class vector (integers) to a one-hot matrix. A numpy result (float64, as Keras), or a
    float32 tensor for a tensor input; a trailing dimension of 1 is dropped first."""
    if isinstance(x, (tf.Tensor, tf.Variable)):
        x = tf.convert_to_tensor(x)
        shape = list(x.shape)
        if len(shape) > 1 and shape[-1] == 1:
            x = tf.reshape(x, shape[:-1])
        if num_classes is None:
            num_classes = int(tf.reduce_max(x).numpy()) + 1
        return tf.one_hot(tf.cast(x, tf.int64), int(num_classes))
    x = np.array(x, dtype="int64")
    input_shape = x.shape
    if input_shape and input_shape[-1] == 1 and len(input_shape) > 1:
        input_shape = tuple(input_shape[:-1])
    x = x.reshape(-1)
    if not num_classes:
        num_classes = np.max(x) + 1
    batch_size = x.shape[0]
    categorical = np.zeros((batch_size, num_classes))
    categorical[np.arange(batch_size), x] = 1
    return np.reshape(categorical, input_shape + (num_classes,))


def normalize(x, axis=-1, order=2):
    """keras.utils.normalize: numpy in, numpy out (zero norms count as 1); a tensor is
    normalised as keras.ops.normalize (x / max(norm, epsilon))."""
    if isinstance(x, np.ndarray):
        norm = np.atleast_1d(np.linalg.norm(x, order, axis))
        norm[norm == 0] = 1
        axis = axis or -1
        return x / np.expand_dims(norm, axis)
    return normalize_tensor(x, axis=axis, order=order)


def normalize_tensor(x, axis=-1, order=2, epsilon=None):
    """keras.ops.normalize: `x / max(norm(x), epsilon)`; order 2 as `x * min(rsqrt(sum x^2),
    1/epsilon)`, the way Keras computes it."""
    if not isinstance(order, int) or not order >= 1:
        raise ValueError(f"Argument `order` must be an int >= 1. Received: order={order}")
    x = as_tensor(x)
    if len(x.shape) == 0:
        x = tf.expand_dims(x, 0)
    eps = _EPSILON if epsilon is None else epsilon
    if order == 2:
        square_sum = tf.reduce_sum(tf.square(x), axis=axis, keepdims=True)
        inv_norm = tf.minimum(tf.math.rsqrt(square_sum), tf.cast(1.0 / eps, x.dtype))
        return x * inv_norm
    norm = tf.pow(tf.reduce_sum(tf.pow(tf.abs(x), float(order)), axis=axis, keepdims=True),
                  1.0 / order)
    return x / tf.maximum(norm, tf.cast(eps, x.dtype))


def set_random_seed(seed):
    """Seeds Python's `random`, numpy and tfx_lite (`tf.random.set_seed`), as
    keras.utils.set_random_seed; the seed is kept for `get_random_seed()`."""
    if not isinstance(seed, int):
        raise ValueError("Expected `seed` argument to be an integer. "
                         f"Received: seed={seed} (of type {type(seed)})")
    _RANDOM_SEED[0] = seed
    _py_random.seed(seed)
    np.random.seed(seed)
    tf.random.set_seed(seed)


def get_random_seed():
    """The seed given to `set_random_seed`, or None."""
    return _RANDOM_SEED[0]


__all__ = ["to_categorical", "normalize", "set_random_seed", "get_random_seed"]
