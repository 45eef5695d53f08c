"""tf.keras.optimizers.Adagrad."""
from __future__ import annotations

from tfx_lite.keras.optimizers.base_optimizer import Optimizer


class Adagrad(Optimizer):
    """Adagrad as Keras 3 computes it (rule "adagrad" of compiler/ops/optim.py): accumulator +=
    g^2 (starting at `initial_accumulator_value`), variable -= lr * g / sqrt(accumulator +
    epsilon)."""

    _RULE = "adagrad"
    _HYPERPARAMETERS = (("initial_accumulator_value", float), ("epsilon", float))

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon
