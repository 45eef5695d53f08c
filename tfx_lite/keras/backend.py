"""tf.keras.backend: the helpers TF 2 scripts still call (Keras 3 keeps them): the float type and
fuzz factor, the image data format, `clear_session` (fresh default names), shapes and values."""
from __future__ import annotations

import numpy as np

from tfx_lite.keras import utils
from tfx_lite.keras.utils import epsilon, floatx  # noqa: F401


def set_epsilon(value) -> None:
    """Keras' fuzz factor, used where probabilities are clipped (losses, metrics)."""
    utils._EPSILON = float(value)


def image_data_format() -> str:
    return "channels_last"  # tfx_lite's only image format (NHWC)


def clear_session(free_memory=True) -> None:
    """Forget the default names given so far: the next Dense is 'dense' again."""
    utils._NAME_UIDS.clear()


def int_shape(x):
    shape = x.shape
    return tuple(shape.as_list()) if hasattr(shape, "as_list") else tuple(shape)


def ndim(x) -> int:
    return len(int_shape(x))


def get_value(x):
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


def set_value(x, value) -> None:
    x.assign(np.asarray(value, dtype=x.dtype.as_numpy_dtype))


def is_keras_tensor(x) -> bool:
    from tfx_lite.keras.layers.input_layer import KerasTensor
    return isinstance(x, KerasTensor)
