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
import zlib

import numpy as np

__all__ = ["save_model", "load_model", "save_weights", "load_weights", "register_keras_serializable",
           "get_registered_object"]

_REGISTERED: dict = {}
_FORMAT_VERSION = "tfx_lite-keras-2"  # 2: weights are a tensor bundle


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
    if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
        return None  # a stored class name is looked up among the public Keras classes only
    from tfx_lite.keras import layers, models
    from tfx_lite.keras.layers.layer import Layer
    for module in (layers, models):
        obj = getattr(module, name, None)
        if isinstance(obj, type) and issubclass(obj, Layer):
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


# --- weights ---------------------------------------------------------------------------------
# Weights are a tensor bundle (tfx_lite/saving/bundle.py) keyed by the model's object graph, the
# format of tf.train.Checkpoint(model): `model.weights.index` and `model.weights.data-00000-of-00001`
# inside the zip, so `load_weights` also reads a checkpoint prefix written by tf.train.Checkpoint.

_INDEX = "model.weights.index"
_DATA = "model.weights.data-00000-of-00001"


class _Weights:
    """A model's weights as a checkpoint root: the model's object graph without its optimizer."""

    def __init__(self, model):
        self._model = model

    def _trackable_children(self):
        return [(n, c) for n, c in self._model._trackable_children() if n != "optimizer"]


def _bundle_members(root, index_name, data_name) -> dict:
    """The archive members holding the checkpoint bundle of `root`."""
    from tfx_lite.checkpoint.checkpoint import object_bundle
    index, data = object_bundle(root)
    return {index_name: index, data_name: data}


def _weights_members(model) -> dict:
    return _bundle_members(_Weights(model), _INDEX, _DATA)


def _restore_weights(model, reader, source: str):
    """Assign the bundle's values to `model`: all of them, or (on any mismatch) none. An unbuilt
    model keeps them for its weights to take when they are created."""
    from tfx_lite.checkpoint.checkpoint import saved_object_graph
    from tfx_lite.checkpoint.restore import RestoreStatus
    saved = saved_object_graph(reader)
    status = RestoreStatus(_Weights(model), saved, reader.values())
    plan, deferred = status.match(0, status._root)
    weights = model.weights
    if weights:  # Keras 3: a built model takes exactly the file's weights
        keys = _weight_keys(saved)
        if len(keys) != len(weights):
            raise ValueError(f"{source} holds {len(keys)} weights but model '{model.name}' has "
                             f"{len(weights)}: {keys} vs {[getattr(w, 'path', w.name) for w in weights]}")
        for saved_i, variable, value in plan:
            if tuple(value.shape) != tuple(variable.shape.as_list()):
                raise ValueError(f"{source}: weight '{saved[saved_i]['key']}' has shape {tuple(value.shape)} "
                                 f"but the model's '{getattr(variable, 'path', variable.name)}' has shape "
                                 f"{tuple(variable.shape.as_list())}")
        matched = {id(v) for _, v, _ in plan}
        missing = [getattr(w, "path", w.name) for w in weights if id(w) not in matched]
        if missing:
            raise ValueError(f"{source}: no value for the model's weights {missing}: the file's layers are "
                             f"not those of model '{model.name}'")
    status.apply(plan, deferred)
    return status


def _weight_keys(saved: list) -> list[str]:
    """The keys of the saved variables reachable without passing an optimizer (a checkpoint of
    a compiled model holds its optimizer's state too)."""
    seen, queue, keys = {0}, [0], []
    while queue:
        node = saved[queue.pop(0)]
        if "key" in node:
            keys.append(node["key"])
        for name, child in node["children"]:
            if name != "optimizer" and child not in seen:
                seen.add(child)
                queue.append(child)
    return keys


def _archive_bundle(archive, filepath, index=_INDEX, data=_DATA):
    """The checked bundle stored as members `index` and `data` of a Keras archive."""
    from tfx_lite.saving.bundle import BundleReader
    return BundleReader.from_bytes(_member(archive, index, filepath), f"{filepath}/{index}",
                                   _member(archive, data, filepath), f"{filepath}/{data}")


def save_weights(model, filepath, overwrite=True):
    """The weights alone: a zip of the weights bundle."""
    _write_zip(filepath, _weights_members(model))


def load_weights(model, filepath):
    from tfx_lite.saving import bundle
    path = str(filepath)
    if bundle.exists(path):  # a checkpoint prefix (tf.train.Checkpoint(model).write)
        return _restore_weights(model, bundle.BundleReader(path), path)
    with _open(filepath) as archive:
        _restore_weights(model, _archive_bundle(archive, path), path)


# --- archives ------------------------------------------------------------------------------

_OPTIMIZER_INDEX = "optimizer.index"
_OPTIMIZER_DATA = "optimizer.data-00000-of-00001"
_MEMBERS = ("config.json", "metadata.json", _INDEX, _DATA, _OPTIMIZER_INDEX, _OPTIMIZER_DATA)


def _optimizer_members(model) -> dict:
    """The optimizer's state (iterations, slots) as its own checkpoint bundle, once it has any."""
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or not getattr(optimizer, "built", False):
        return {}
    return _bundle_members(optimizer, _OPTIMIZER_INDEX, _OPTIMIZER_DATA)


def _restore_optimizer(model, archive, filepath):
    """Give the compiled model's optimizer the saved state; its slots take it when they are built
    (on the first training step), so training continues where it stopped."""
    from tfx_lite.checkpoint.checkpoint import saved_object_graph
    from tfx_lite.checkpoint.restore import restore
    reader = _archive_bundle(archive, filepath, _OPTIMIZER_INDEX, _OPTIMIZER_DATA)
    restore(model.optimizer, saved_object_graph(reader), reader.values())


def _write_zip(filepath, members: dict):
    import os
    from tfx_lite.saving.manifest import write_atomically
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    write_atomically(os.fspath(filepath), buffer.getvalue())


def _member(archive, name, filepath) -> bytes:
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as err:
        raise ValueError(f"{filepath}: member {name} is corrupt ({err})") from None


def _open(filepath):
    try:
        archive = zipfile.ZipFile(filepath)
    except FileNotFoundError:
        raise FileNotFoundError(f"No such file: {filepath}") from None
    except (zipfile.BadZipFile, EOFError, OSError):
        raise ValueError(f"{filepath} is not a Keras file saved by tfx_lite (not a zip archive)") from None
    names = archive.namelist()
    unexpected = [n for n in names if n not in _MEMBERS]
    if unexpected:
        raise ValueError(f"{filepath}: unexpected member {unexpected[0]!r} in the archive (a Keras file holds "
                         f"only {', '.join(_MEMBERS)}); it was not written by tfx_lite")
    missing = {_INDEX, _DATA} - set(names)
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
    metadata = {"keras_version": "3.15.1", "format": _FORMAT_VERSION,
                "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")}
    _write_zip(filepath, {"config.json": json.dumps(config).encode(), "metadata.json": json.dumps(metadata).encode(),
                          **_weights_members(model), **_optimizer_members(model)})


def _json_member(archive, name, filepath):
    try:
        return json.loads(_member(archive, name, filepath))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValueError(f"{filepath}: {name} is not valid JSON ({err})") from None


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    with _open(filepath) as archive:
        if "config.json" not in archive.namelist():
            raise ValueError(f"{filepath} has no config.json: it holds weights only (use load_weights)")
        metadata = _json_member(archive, "metadata.json", filepath) if "metadata.json" in archive.namelist() else {}
        if metadata.get("format") != _FORMAT_VERSION:
            raise ValueError(f"{filepath}: written in format {metadata.get('format')!r}; this tfx_lite reads "
                             f"{_FORMAT_VERSION!r}")
        config = _json_member(archive, "config.json", filepath)
        reader = _archive_bundle(archive, str(filepath))  # every file checked before the model is built
        model = deserialize(config, custom_objects)
        if not model.built:
            raise ValueError(f"{filepath}: model '{model.name}' could not be built from its config, so its "
                             "weights cannot be restored")
        _restore_weights(model, reader, str(filepath))
        compile_config = config.get("compile_config")
        if compile and compile_config:
            model.compile(**compile_config)
            if _OPTIMIZER_INDEX in archive.namelist():
                _restore_optimizer(model, archive, str(filepath))
    return model
