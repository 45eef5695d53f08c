"""tf.keras.optimizers.SGD: gradient descent, with momentum and Nesterov momentum."""
from __future__ import annotations

from tfx_lite.keras.optimizers.base_optimizer import Optimizer


class SGD(Optimizer):
    """v -= learning_rate * g; with momentum, m = momentum * m - learning_rate * g and v += m
    (nesterov: v += momentum * m - learning_rate * g). Keras 3's formulas (rule "sgd" of
    compiler/ops/optim.py)."""

    _RULE = "sgd"
    _HYPERPARAMETERS = (("momentum", float), ("nesterov", bool))

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm,
                         use_ema=use_ema, ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, **kwargs)
        if isinstance(momentum, bool) or not isinstance(momentum, (int, float)) or not 0 <= momentum <= 1:
            raise ValueError("`momentum` must be a float between [0, 1].")
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)
