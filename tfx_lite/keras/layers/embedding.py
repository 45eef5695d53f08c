"""Embedding: rows of an `(input_dim, output_dim)` table looked up by integer ids (other dtypes
are cast to int32 first, as Keras does)."""
from __future__ import annotations

import tfx_lite as tf
from tfx_lite.keras.layers import _util
from tfx_lite.keras.layers.layer import Layer

__all__ = ["Embedding"]


class Embedding(Layer):
    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform", embeddings_regularizer=None,
                 embeddings_constraint=None, mask_zero=False, weights=None, lora_rank=None, lora_alpha=None,
                 **kwargs):
        input_length = kwargs.pop("input_length", None)  # TF 2's argument: the input shape
        if input_length is not None and "input_shape" not in kwargs:
            kwargs["input_shape"] = (input_length,)
        super().__init__(**kwargs)
        self.input_dim = int(input_dim)
        self.output_dim = int(output_dim)
        self.embeddings_initializer = _util.initializer(embeddings_initializer)
        self.embeddings_regularizer = embeddings_regularizer
        self.embeddings_constraint = embeddings_constraint
        self.mask_zero = mask_zero
        self.supports_masking = mask_zero
        self.activity_regularizer = kwargs.get("activity_regularizer")
        if lora_rank:
            raise NotImplementedError("Embedding(lora_rank=...) is not supported by tfx_lite")
        if weights is not None:
            self.build()
            if not isinstance(weights, (list, tuple)):
                weights = [weights]
            self.set_weights(weights)

    def build(self, input_shape=None):
        if self.built:
            return
        self.embeddings = self.add_weight(shape=(self.input_dim, self.output_dim),
                                          initializer=self.embeddings_initializer, name="embeddings",
                                          regularizer=self.embeddings_regularizer, trainable=True)
        self.built = True

    def call(self, inputs):
        if inputs.dtype not in (tf.int32, tf.int64):
            inputs = tf.cast(inputs, tf.int32)
        outputs = tf.gather(self.embeddings, inputs, axis=0)
        return outputs if outputs.dtype == self._dtype else tf.cast(outputs, self._dtype)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return tf.not_equal(inputs, 0)

    def get_config(self):
        config = super().get_config()
        config.update(input_dim=self.input_dim, output_dim=self.output_dim,
                      embeddings_initializer=_util.serialize_initializer(self.embeddings_initializer),
                      embeddings_regularizer=_util.serialize_plain(self.embeddings_regularizer),
                      activity_regularizer=_util.serialize_plain(self.activity_regularizer),
                      embeddings_constraint=_util.serialize_plain(self.embeddings_constraint),
                      mask_zero=self.mask_zero, quantization_config=None)
        return config
