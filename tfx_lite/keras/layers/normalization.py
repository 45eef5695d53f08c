"""BatchNormalization (batch statistics and a moving-average update of `moving_mean` /
`moving_variance` when training, the moving statistics otherwise) and LayerNormalization, with
Keras 3's weights (gamma, beta[, moving_mean, moving_variance]) and arithmetic (TF backend)."""
from __future__ import annotations

import tfx_lite as tf
from tfx_lite.keras.layers import _util
from tfx_lite.keras.layers.layer import Layer

__all__ = ["BatchNormalization", "LayerNormalization"]


def _broadcast(v, shape):
    return None if v is None else tf.reshape(v, shape)


class BatchNormalization(Layer):
    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 renorm=False, renorm_clipping=None, renorm_momentum=0.99, synchronized=False, **kwargs):
        kwargs.pop("fused", None)  # a TF 2 argument Keras 3 ignores
        super().__init__(**kwargs)
        if renorm:
            raise NotImplementedError("BatchNormalization(renorm=True) is not supported by tfx_lite")
        self.axis = int(axis)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.beta_initializer = _util.initializer(beta_initializer)
        self.gamma_initializer = _util.initializer(gamma_initializer)
        self.moving_mean_initializer = _util.initializer(moving_mean_initializer)
        self.moving_variance_initializer = _util.initializer(moving_variance_initializer)
        self.beta_regularizer = beta_regularizer
        self.gamma_regularizer = gamma_regularizer
        self.beta_constraint = beta_constraint
        self.gamma_constraint = gamma_constraint
        self.renorm = renorm
        self.renorm_clipping = renorm_clipping
        self.renorm_momentum = renorm_momentum
        self.synchronized = synchronized
        self.supports_masking = True
        self.gamma = self.beta = None

    def build(self, input_shape):
        rank = len(input_shape)
        if not -rank <= self.axis < rank:
            raise ValueError(f"Axis {self.axis} is out of bounds for input shape {tuple(input_shape)}. "
                             f"Received: axis={self.axis}")
        channels = input_shape[self.axis]
        if channels is None:
            raise ValueError(f"Axis {self.axis} of input tensor should have a defined dimension but the layer "
                             f"received an input with shape {tuple(input_shape)}.")
        shape = (channels,)
        if self.scale:
            self.gamma = self.add_weight(shape=shape, name="gamma", initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer, trainable=True)
        if self.center:
            self.beta = self.add_weight(shape=shape, name="beta", initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer, trainable=True)
        self.moving_mean = self.add_weight(shape=shape, name="moving_mean",
                                           initializer=self.moving_mean_initializer, trainable=False)
        self.moving_variance = self.add_weight(shape=shape, name="moving_variance",
                                               initializer=self.moving_variance_initializer, trainable=False)
        axis = self.axis % rank
        self._reduction_axes = [i for i in range(rank) if i != axis]
        self._broadcast_shape = [channels if i == axis else 1 for i in range(rank)]
        self.built = True

    def call(self, inputs, training=None, mask=None):
        x = inputs if inputs.dtype in (tf.float32, tf.float64) else tf.cast(inputs, tf.float32)
        dtype = x.dtype
        moving_mean = tf.cast(self.moving_mean, dtype)
        moving_variance = tf.cast(self.moving_variance, dtype)
        gamma = tf.cast(self.gamma, dtype) if self.scale else None
        beta = tf.cast(self.beta, dtype) if self.center else None
        if training and self.trainable:
            mean, variance = tf.nn.moments(x, axes=self._reduction_axes)
            m = self.momentum
            self.moving_mean.assign(tf.cast(moving_mean * m + mean * (1.0 - m), self.moving_mean.dtype))
            self.moving_variance.assign(tf.cast(moving_variance * m + variance * (1.0 - m),
                                                self.moving_variance.dtype))
        else:
            mean, variance = moving_mean, moving_variance
        if self.axis != -1 and self.axis != x.shape.rank - 1:
            shape = self._broadcast_shape
            mean, variance = _broadcast(mean, shape), _broadcast(variance, shape)
            gamma, beta = _broadcast(gamma, shape), _broadcast(beta, shape)
        outputs = tf.nn.batch_normalization(x, mean, variance, beta, gamma, self.epsilon)
        return outputs if outputs.dtype == self._dtype else tf.cast(outputs, self._dtype)

    def get_config(self):
        config = super().get_config()
        config.update(
            axis=self.axis, momentum=self.momentum, epsilon=self.epsilon, center=self.center, scale=self.scale,
            beta_initializer=_util.serialize_initializer(self.beta_initializer),
            gamma_initializer=_util.serialize_initializer(self.gamma_initializer),
            moving_mean_initializer=_util.serialize_initializer(self.moving_mean_initializer),
            moving_variance_initializer=_util.serialize_initializer(self.moving_variance_initializer),
            beta_regularizer=_util.serialize_plain(self.beta_regularizer),
            gamma_regularizer=_util.serialize_plain(self.gamma_regularizer),
            beta_constraint=_util.serialize_plain(self.beta_constraint),
            gamma_constraint=_util.serialize_plain(self.gamma_constraint),
            synchronized=self.synchronized, renorm=self.renorm, renorm_clipping=self.renorm_clipping,
            renorm_momentum=self.renorm_momentum)
        return config


class LayerNormalization(Layer):
    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, rms_scaling=False,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int):
            self.axis = axis
        else:
            raise TypeError("Expected an int or a list/tuple of ints for the argument 'axis', but received: "
                            f"{axis}")
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.rms_scaling = rms_scaling
        self.beta_initializer = _util.initializer(beta_initializer)
        self.gamma_initializer = _util.initializer(gamma_initializer)
        self.beta_regularizer = beta_regularizer
        self.gamma_regularizer = gamma_regularizer
        self.beta_constraint = beta_constraint
        self.gamma_constraint = gamma_constraint
        self.supports_masking = True
        self.gamma = self.beta = None

    def build(self, input_shape):
        rank = len(input_shape)
        if isinstance(self.axis, list):
            self.axis = sorted(self.axis)
            shape = tuple(input_shape[d] for d in self.axis)
        else:
            shape = (input_shape[self.axis],)
            self.axis = [self.axis]
        if self.scale or self.rms_scaling:
            self.gamma = self.add_weight(name="gamma", shape=shape, initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer, trainable=True)
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight(name="beta", shape=shape, initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer, trainable=True)
        axes = sorted(a % rank for a in self.axis)
        self._axes = axes
        self._broadcast_shape = [input_shape[d] if d in axes else 1 for d in range(rank)]
        self.built = True

    def call(self, inputs):
        x = inputs if inputs.dtype in (tf.float32, tf.float64) else tf.cast(inputs, tf.float32)
        rank = x.shape.rank
        needs_reshape = self._axes != [rank - 1]
        gamma = None if self.gamma is None else tf.cast(self.gamma, x.dtype)
        beta = None if self.beta is None else tf.cast(self.beta, x.dtype)
        if needs_reshape:
            gamma, beta = _broadcast(gamma, self._broadcast_shape), _broadcast(beta, self._broadcast_shape)
        if self.rms_scaling:  # Keras' (deprecated) rms_scaling: scales by the variance
            variance = tf.math.reduce_variance(x, axis=self._axes, keepdims=True)
            outputs = x * tf.math.rsqrt(variance + self.epsilon)
            if gamma is not None:
                outputs = outputs * gamma
        else:
            mean, variance = tf.nn.moments(x, axes=self._axes, keepdims=True)
            inv = tf.math.rsqrt(variance + self.epsilon)
            if gamma is not None:
                inv = inv * gamma
            res = -mean * inv
            if beta is not None:
                res = res + beta
            outputs = x * inv + res
        return outputs if outputs.dtype == self._dtype else tf.cast(outputs, self._dtype)

    def get_config(self):
        config = super().get_config()
        config.update(
            axis=self.axis, epsilon=self.epsilon, center=self.center, scale=self.scale,
            rms_scaling=self.rms_scaling, beta_initializer=_util.serialize_initializer(self.beta_initializer),
            gamma_initializer=_util.serialize_initializer(self.gamma_initializer),
            beta_regularizer=_util.serialize_plain(self.beta_regularizer),
            gamma_regularizer=_util.serialize_plain(self.gamma_regularizer),
            beta_constraint=_util.serialize_plain(self.beta_constraint),
            gamma_constraint=_util.serialize_plain(self.gamma_constraint))
        return config
