"""tf.keras.optimizers: Keras 3's optimizers, each update one `optimizer_update` op (an optax
transformation following Keras's formulas; compiler/ops/optim.py)."""
from __future__ import annotations

from tfx_lite.keras.optimizers import schedules
from tfx_lite.keras.optimizers.adagrad import Adagrad
from tfx_lite.keras.optimizers.adam import Adam, AdamW
from tfx_lite.keras.optimizers.base_optimizer import Optimizer
from tfx_lite.keras.optimizers.rmsprop import RMSprop
from tfx_lite.keras.optimizers.sgd import SGD

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "schedules", "get",
           "serialize", "deserialize"]

ALL_OBJECTS = (Optimizer, SGD, Adam, AdamW, RMSprop, Adagrad)
ALL_OBJECTS_DICT = {cls.__name__.lower(): cls for cls in ALL_OBJECTS}


def serialize(optimizer):
    """Keras 3's serialized form: {"module", "class_name", "config", "registered_name"}."""
    return {"module": "keras.optimizers", "class_name": type(optimizer).__name__,
            "config": optimizer.get_config(), "registered_name": None}


def deserialize(config, custom_objects=None):
    """The optimizer a `serialize` dict (or {"class_name", "config"}) describes; built-in class
    names are case-insensitive."""
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or ALL_OBJECTS_DICT.get(name.lower())
    if cls is None:
        raise ValueError(f"Could not locate class '{name}'. Make sure custom classes are decorated "
                         "with `@keras.saving.register_keras_serializable()`. Full object config: "
                         f"{config}")
    return cls.from_config(dict(config.get("config", {})), custom_objects=custom_objects)


def get(identifier):
    """An optimizer from a name ("adam", "SGD", ...), a config dict or an optimizer (returned
    as it is)."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = deserialize({"class_name": identifier, "config": {}})
    else:
        obj = identifier
    if isinstance(obj, Optimizer):
        return obj
    raise ValueError(f"Could not interpret optimizer identifier: {identifier}")
