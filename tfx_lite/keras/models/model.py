"""keras.Model: a Layer with the training API (compile/fit/evaluate/predict, in trainer.py).

`Model(inputs, outputs)` makes a functional model (functional.py); a subclass defines `call`.
As in TF 2, a `tf.Variable` set as an attribute of a model is one of its weights.
"""
from __future__ import annotations

from tfx_lite.keras.layers.layer import Layer
from tfx_lite.keras.models.trainer import Trainer

__all__ = ["Model"]


class Model(Trainer, Layer):
    def __new__(cls, *args, **kwargs):
        if cls is Model and (len(args) == 2 or "inputs" in kwargs or "outputs" in kwargs):
            from tfx_lite.keras.models.functional import Functional
            return super().__new__(Functional)  # Python then runs Functional.__init__
        return super().__new__(cls)

    def __init__(self, *args, **kwargs):
        Layer.__init__(self, **{k: v for k, v in kwargs.items() if k in _LAYER_ARGS})
        Trainer.__init__(self)

    def call(self, inputs, training=None):
        raise NotImplementedError(f"Model {self.name!r} has no `call`: subclass keras.Model and define "
                                  "call(self, inputs), or build a functional Model(inputs, outputs)")

    def build(self, input_shape):
        """Build every layer by one symbolic call on inputs of `input_shape`."""
        if not self.built:
            from tfx_lite.keras.layers.input_layer import output_spec
            self.built = True
            output_spec(self, input_shape)

    def _build_for(self, inputs):
        self.built = True  # a subclassed model's layers build on its first call

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None):
        from tfx_lite.keras.models.summary import summary_text
        (print_fn or print)(summary_text(self))

    def save(self, filepath, overwrite=True, zipped=None, **kwargs):
        from tfx_lite.keras import saving
        saving.save_model(self, filepath, overwrite=overwrite)

    def export(self, filepath, format="tf_saved_model", verbose=True, **kwargs):
        """A SavedModel for serving: endpoint `serve` (see models/export.py)."""
        from tfx_lite.keras.models.export import export
        export(self, filepath, format=format, verbose=verbose, **kwargs)

    def _default_save_signature(self):
        """The signature `tf.saved_model.save(model)` serves: the model called on `inputs`."""
        from tfx_lite.keras.models.export import default_save_signature
        return default_save_signature(self)

    def save_weights(self, filepath, overwrite=True):
        from tfx_lite.keras import saving
        saving.save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath, skip_mismatch=False, **kwargs):
        from tfx_lite.keras import saving
        saving.load_weights(self, filepath)

    def get_layer(self, name=None, index=None):
        if index is not None:
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(f"No such layer: {name}. Existing layers are: {[l.name for l in self.layers]}.")


_LAYER_ARGS = ("trainable", "name", "dtype", "input_shape", "input_dim", "batch_input_shape",
               "batch_size")
