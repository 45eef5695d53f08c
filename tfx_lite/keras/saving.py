"""model.save / keras.models.load_model and save_weights / load_weights.

A `.keras` file is a zip of `config.json` (the model's class and config: Sequential layers, or a
functional model's layers and the calls between them), `metadata.json` and `model.weights.npz`
(the weights in `model.weights` order, with their paths and shapes in `weights.json`). Nothing is
pickled. Custom classes are found through `custom_objects` or `@register_keras_serializable`.
"""
from __future__ import annotations

import datetime
import io
import json
import zipfile

import numpy as np

__all__ = ["save_model", "load_model", "save_weights", "load_weights", "register_keras_serializable",
           "get_registered_object"]

_REGISTERED: dict = {}
_FORMAT_VERSION = "tfx_lite-keras-1"


def register_keras_serializable(package="Custom", name=None):
    """Decorator: make a custom layer or model loadable by name ('package>Name')."""
    def register(cls):
        key = f"{package}>{name or cls.__name__}"
        _REGISTERED[key] = cls
        _REGISTERED[cls.__name__] = cls
        cls._registered_name = key
        return cls
    return register


def get_registered_object(name, custom_objects=None):
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if name in _REGISTERED:
        return _REGISTERED[name]
    from tfx_lite.keras import layers, models
    for module in (layers, models):
        obj = getattr(module, name, None)
        if isinstance(obj, type):
            return obj
    return None


# --- configs --------------------------------------------------------------------------------

def serialize(layer) -> dict:
    """Keras' object config: class name, registered name and the layer's own config."""
    from tfx_lite.keras.layers.input_layer import InputLayer
    from tfx_lite.keras.models.functional import Functional
    from tfx_lite.keras.models.sequential import Sequential
    if isinstance(layer, Sequential):
        config = {"name": layer.name, "trainable": layer.trainable,
                  "layers": [serialize(l) for l in layer.layers],
                  "build_input_shape": _listed(layer._input_batch_shape)}
    elif isinstance(layer, Functional):
        config = _functional_config(layer)
    elif isinstance(layer, InputLayer):
        config = {"batch_shape": _listed(layer.batch_shape), "dtype": layer.dtype, "name": layer.name}
    else:
        config = layer.get_config()
    entry = {"module": type(layer).__module__, "class_name": type(layer).__name__,
             "config": _jsonable(config),
             "registered_name": getattr(type(layer), "_registered_name", None)}
    if layer.built and hasattr(layer, "_build_shape"):
        entry["build_config"] = {"input_shape": _listed(layer._build_shape)}
    return entry


def deserialize(entry, custom_objects=None):
    from tfx_lite.keras.layers.input_layer import InputLayer
    from tfx_lite.keras.models.functional import Functional
    from tfx_lite.keras.models.sequential import Sequential
    name = entry.get("registered_name") or entry["class_name"]
    cls = get_registered_object(name, custom_objects) or get_registered_object(entry["class_name"], custom_objects)
    if cls is None:
        raise TypeError(f"Could not locate class '{entry['class_name']}'. Make sure custom classes are "
                        "decorated with `@keras.saving.register_keras_serializable()` or passed in "
                        f"`custom_objects`. Full object config: {entry}")
    config = dict(entry["config"])
    if cls is Sequential or (isinstance(cls, type) and issubclass(cls, Sequential)):
        model = cls(name=config.get("name"), trainable=config.get("trainable", True))
        shape = config.get("build_input_shape")
        for layer_entry in config["layers"]:
            model.add(deserialize(layer_entry, custom_objects), rebuild=False)
        if shape is not None:
            model.build(tuple(shape))
        return model
    if cls is Functional or entry["class_name"] == "Functional":
        return _functional_from_config(config, custom_objects)
    if cls is InputLayer:
        return InputLayer(batch_shape=tuple(config["batch_shape"]), dtype=config.get("dtype"),
                          name=config.get("name"))
    layer = cls.from_config(config)
    build = entry.get("build_config")
    if build is not None and not layer.built:
        layer._build_for_shape(tuple(build["input_shape"]))
    return layer


def _functional_config(model):
    """Layers, and for each call the (layer, call index) of each KerasTensor it reads."""
    from tfx_lite.keras.layers.input_layer import KerasTensor
    import jax
    node_index = {id(n): i for i, n in enumerate(model._nodes)}
    layer_index = {id(l): i for i, l in enumerate(model.layers)}

    def ref(kt):
        node = kt.history
        outs = jax.tree_util.tree_leaves(node.outputs, is_leaf=lambda x: isinstance(x, KerasTensor))
        return {"node": node_index[id(node)], "output": next(i for i, o in enumerate(outs) if o is kt)}

    def encode(value):
        if isinstance(value, KerasTensor):
            return {"__keras_tensor__": ref(value)}
        if isinstance(value, (list, tuple)):
            return {"__list__": [encode(v) for v in value], "tuple": isinstance(value, tuple)}
        if isinstance(value, dict):
            return {"__dict__": {k: encode(v) for k, v in value.items()}}
        return value

    return {"name": model.name, "trainable": model.trainable,
            "layers": [serialize(l) for l in model.layers],
            "nodes": [{"layer": layer_index[id(n.layer)], "args": encode(list(n.args)),
                       "kwargs": encode(dict(n.kwargs))} for n in model._nodes],
            "inputs": encode(model._inputs), "outputs": encode(model._outputs)}


def _functional_from_config(config, custom_objects):
    from tfx_lite.keras.layers.input_layer import InputLayer
    from tfx_lite.keras.models.model import Model
    import jax
    layers = [deserialize(e, custom_objects) for e in config["layers"]]
    produced: list = []

    def decode(value):
        if isinstance(value, dict) and "__keras_tensor__" in value:
            r = value["__keras_tensor__"]
            return jax.tree_util.tree_leaves(produced[r["node"]], is_leaf=_is_kt)[r["output"]]
        if isinstance(value, dict) and "__list__" in value:
            items = [decode(v) for v in value["__list__"]]
            return tuple(items) if value.get("tuple") else items
        if isinstance(value, dict) and "__dict__" in value:
            return {k: decode(v) for k, v in value["__dict__"].items()}
        return value

    for node in config["nodes"]:
        layer = layers[node["layer"]]
        if isinstance(layer, InputLayer):
            produced.append(layer.output)
        else:
            produced.append(layer(*decode(node["args"]), **decode(node["kwargs"])))
    return Model(decode(config["inputs"]), decode(config["outputs"]), name=config.get("name"))


def _is_kt(x):
    from tfx_lite.keras.layers.input_layer import KerasTensor
    return isinstance(x, KerasTensor)


def _listed(shape):
    return None if shape is None else list(shape)


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (np.generic,)):
        return value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "get_config"):
        return {"class_name": type(value).__name__, "config": _jsonable(value.get_config())}
    if callable(value):
        return getattr(value, "__name__", str(value))
    return str(value)


# --- weights --------------------------------------------------------------------------------

def _weights_archive(model) -> tuple[bytes, str]:
    weights = model.weights
    buffer = io.BytesIO()
    np.savez(buffer, **{str(i): w.numpy() for i, w in enumerate(weights)})
    index = json.dumps([{"path": getattr(w, "path", w.name), "shape": list(w.shape.as_list()),
                         "dtype": w.dtype.name} for w in weights])
    return buffer.getvalue(), index


def _set_weights_from(model, data: bytes, index: str, source: str):
    entries = json.loads(index)
    weights = model.weights
    if len(entries) != len(weights):
        raise ValueError(f"{source} holds {len(entries)} weights but model '{model.name}' has "
                         f"{len(weights)}: {[e['path'] for e in entries]} vs "
                         f"{[getattr(w, 'path', w.name) for w in weights]}")
    try:
        arrays = np.load(io.BytesIO(data), allow_pickle=False)
    except (ValueError, OSError, zipfile.BadZipFile) as err:
        raise ValueError(f"{source}: the weights are not readable ({err})") from None
    values = []
    for i, (entry, variable) in enumerate(zip(entries, weights)):
        array = arrays[str(i)]
        if tuple(array.shape) != tuple(variable.shape.as_list()):
            raise ValueError(f"{source}: weight {i} ('{entry['path']}') has shape {tuple(array.shape)} "
                             f"but the model's '{getattr(variable, 'path', variable.name)}' has shape "
                             f"{tuple(variable.shape.as_list())}")
        values.append(array)
    for variable, array in zip(weights, values):
        variable.assign(array.astype(variable.dtype.as_numpy_dtype))


def save_weights(model, filepath, overwrite=True):
    """The weights alone: a zip of `model.weights.npz` and `weights.json`."""
    data, index = _weights_archive(model)
    with zipfile.ZipFile(filepath, "w") as archive:
        archive.writestr("model.weights.npz", data)
        archive.writestr("weights.json", index)


def load_weights(model, filepath):
    with _open(filepath) as archive:
        _set_weights_from(model, archive.read("model.weights.npz"), archive.read("weights.json").decode(),
                          str(filepath))


def _open(filepath):
    try:
        archive = zipfile.ZipFile(filepath)
    except FileNotFoundError:
        raise FileNotFoundError(f"No such file: {filepath}") from None
    except zipfile.BadZipFile:
        raise ValueError(f"{filepath} is not a Keras file saved by tfx_lite (not a zip archive)") from None
    missing = {"model.weights.npz", "weights.json"} - set(archive.namelist())
    if missing:
        raise ValueError(f"{filepath} is not a complete Keras file: {sorted(missing)} missing")
    return archive


# --- whole models ---------------------------------------------------------------------------

def save_model(model, filepath, overwrite=True, zipped=True):
    if not str(filepath).endswith(".keras"):
        raise ValueError("The filename must end in `.keras`. Received: filepath=" + str(filepath))
    config = serialize(model)
    compile_config = getattr(model, "_compile_config", None)
    if compile_config is not None:
        config["compile_config"] = _jsonable(compile_config)
    data, index = _weights_archive(model)
    metadata = {"keras_version": "3.15.1", "format": _FORMAT_VERSION,
                "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")}
    with zipfile.ZipFile(filepath, "w") as archive:
        archive.writestr("config.json", json.dumps(config))
        archive.writestr("metadata.json", json.dumps(metadata))
        archive.writestr("model.weights.npz", data)
        archive.writestr("weights.json", index)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    with _open(filepath) as archive:
        if "config.json" not in archive.namelist():
            raise ValueError(f"{filepath} has no config.json: it holds weights only (use load_weights)")
        config = json.loads(archive.read("config.json"))
        model = deserialize(config, custom_objects)
        if not model.built:
            raise ValueError(f"{filepath}: model '{model.name}' could not be built from its config, so its "
                             "weights cannot be restored")
        _set_weights_from(model, archive.read("model.weights.npz"), archive.read("weights.json").decode(),
                          str(filepath))
    compile_config = config.get("compile_config")
    if compile and compile_config:
        model.compile(**compile_config)
    return model
