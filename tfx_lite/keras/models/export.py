"""Keras models as SavedModels: the signature `tf.saved_model.save(model)` serves by default
(the model called on `inputs`), and `model.export(path)`, Keras 3's serving archive (a `serve`
endpoint, the model's variables, signatures `serve` and `serving_default`)."""
from __future__ import annotations

import jax

from tfx_lite.framework.tensor_spec import TensorSpec
from tfx_lite.function import function
from tfx_lite.saving.object_graph import attribute_children


def input_specs(model) -> list | None:
    """The model's inputs as TensorSpecs (batch dimension unknown), or None before it is built."""
    from tfx_lite.keras.layers.input_layer import KerasTensor
    inputs = getattr(model, "_inputs", None)
    if inputs is not None:
        leaves = jax.tree_util.tree_leaves(inputs, is_leaf=lambda x: isinstance(x, KerasTensor))
        return [TensorSpec(kt.shape, kt.dtype, kt.name) for kt in leaves]
    shape = getattr(model, "_input_batch_shape", None) or getattr(model, "_build_shape", None)
    if shape is None or not model.built or not isinstance(shape, (tuple, list)) or \
            any(isinstance(s, (tuple, list)) for s in shape):
        return None
    return [TensorSpec((None, *tuple(shape)[1:]), model.dtype)]


def _call_function(model, specs, name):
    if len(specs) == 1:
        def call(inputs):
            return model(inputs, training=False)
        signature = [TensorSpec(specs[0].shape, specs[0].dtype, name or specs[0].name)]
    else:
        def call(*inputs):
            return model(list(inputs), training=False)
        signature = specs
    return function(call, input_signature=signature, name=name or "serve")


def default_save_signature(model):
    specs = input_specs(model)
    if specs is None:
        return None
    return _call_function(model, specs, "inputs" if len(specs) == 1 else None).get_concrete_function()


class ExportArchive:
    """What `model.export` saves: `serve` and the model's variables."""

    def __init__(self, model):
        specs = input_specs(model)
        if specs is None:
            raise ValueError(f"Model {model.name!r} must be built (called on data or given an Input) before "
                             "it can be exported")
        self.serve = _call_function(model, [TensorSpec(s.shape, s.dtype, s.name or "keras_tensor")
                                            for s in specs], None)
        self.variables = list(model.variables)
        self.trainable_variables = list(model.trainable_variables)
        self.non_trainable_variables = list(model.non_trainable_variables)
        self._model = model

    def _trackable_children(self):
        return attribute_children(self, ignore=frozenset(("_model",)))


def export(model, filepath, format="tf_saved_model", verbose=True, **kwargs):
    if format != "tf_saved_model":
        raise ValueError(f"tfx_lite exports models in the 'tf_saved_model' format only, got format={format!r}")
    from tfx_lite.saved_model.save import save
    archive = ExportArchive(model)
    concrete = archive.serve.get_concrete_function()
    save(archive, filepath, signatures={"serve": concrete, "serving_default": concrete})
    if verbose:
        print(f"Saved artifact at '{filepath}'. The following endpoints are available:\n\n"
              f"* Endpoint 'serve'\n  {concrete.pretty_printed_signature()}")
