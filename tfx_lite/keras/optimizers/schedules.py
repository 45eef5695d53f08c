"""tf.keras.optimizers.schedules: learning rates as functions of the optimizer's step.

Each schedule computes its value with tfx_lite ops, in Keras 3's order of operations
(keras/src/optimizers/schedules/learning_rate_schedule.py): called eagerly it returns an eager
tensor; called while a tf.function is traced (an optimizer calls it on `iterations`), its ops
are nodes of the graph and the value is an operand of the update, so a new step never
recompiles anything.
"""
from __future__ import annotations

import math

import tfx_lite as tf

__all__ = ["LearningRateSchedule", "ExponentialDecay", "PiecewiseConstantDecay", "PolynomialDecay",
           "InverseTimeDecay", "CosineDecay", "CosineDecayRestarts", "serialize", "deserialize"]


class LearningRateSchedule:
    """The base class of learning rate schedules: `schedule(step)` is the learning rate at
    `step` (a scalar integer tensor: the optimizer's `iterations`)."""

    def __call__(self, step):
        raise NotImplementedError(f"Learning rate schedule '{self.__class__.__name__}' must override "
                                  "`__call__(self, step)`.")

    def get_config(self):
        raise NotImplementedError(f"Learning rate schedule '{self.__class__.__name__}' must override "
                                  "`get_config()` in order to be serializable.")

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _lr_and_dtype(initial_learning_rate):
    lr = tf.convert_to_tensor(initial_learning_rate)
    return lr, lr.dtype


def _check_steps(name, value):
    if value <= 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={value}")


class _StepRatioDecay(LearningRateSchedule):
    """A decay of `step / decay_steps` (floored when `staircase`) with `decay_rate`."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name=None):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = type(self).__name__ if name is None else name
        _check_steps("decay_steps", decay_steps)

    def __call__(self, step):
        initial_learning_rate, dtype = _lr_and_dtype(self.initial_learning_rate)
        decay_steps = tf.cast(self.decay_steps, dtype)
        decay_rate = tf.cast(self.decay_rate, dtype)
        p = tf.cast(step, dtype) / decay_steps
        if self.staircase:
            p = tf.floor(p)
        return self._decay(initial_learning_rate, decay_rate, p)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name}


class ExponentialDecay(_StepRatioDecay):
    """initial_learning_rate * decay_rate ** (step / decay_steps) (the exponent floored when
    `staircase`)."""

    def _decay(self, initial_learning_rate, decay_rate, p):
        return tf.multiply(initial_learning_rate, tf.pow(decay_rate, p))


class PiecewiseConstantDecay(LearningRateSchedule):
    """values[0] while step <= boundaries[0], values[1] while step <= boundaries[1], ...,
    values[-1] after the last boundary."""

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        super().__init__()
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of values. Received: "
                f"boundaries={boundaries} of length {len(boundaries)}, and values={values} of "
                f"length {len(values)}.")
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        step = tf.convert_to_tensor(step)
        boundaries = [tf.convert_to_tensor(b) for b in self.boundaries]
        boundaries = [b if b.dtype == step.dtype else tf.cast(b, step.dtype) for b in boundaries]
        values = [tf.convert_to_tensor(v) for v in self.values]
        dtype = values[0].dtype
        result = tf.zeros((), dtype)
        result += tf.cast(step <= boundaries[0], dtype) * values[0]
        result += tf.cast(step > boundaries[-1], dtype) * values[-1]
        for low, high, value in zip(boundaries[:-1], boundaries[1:], values[1:-1]):
            result += tf.cast(tf.logical_and(step > low, step <= high), dtype) * value
        return result

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """(initial - end) * (1 - min(step, decay_steps) / decay_steps) ** power + end (with
    `cycle`, decay_steps grows to the first multiple above step)."""

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0,
                 cycle=False, name="PolynomialDecay"):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name
        _check_steps("decay_steps", decay_steps)

    def __call__(self, step):
        initial_learning_rate, dtype = _lr_and_dtype(self.initial_learning_rate)
        end_learning_rate = tf.cast(self.end_learning_rate, dtype)
        power = tf.cast(self.power, dtype)
        global_step = tf.cast(step, dtype)
        decay_steps = tf.cast(self.decay_steps, dtype)
        if self.cycle:
            multiplier = tf.where(tf.equal(global_step, 0), tf.ones((), dtype),
                                  tf.math.ceil(global_step / decay_steps))
            decay_steps = tf.multiply(decay_steps, multiplier)
        else:
            global_step = tf.minimum(global_step, decay_steps)
        p = tf.divide(global_step, decay_steps)
        return tf.add(tf.multiply(initial_learning_rate - end_learning_rate, tf.pow(1 - p, power)),
                      end_learning_rate)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "end_learning_rate": self.end_learning_rate, "power": self.power,
                "cycle": self.cycle, "name": self.name}


class InverseTimeDecay(_StepRatioDecay):
    """initial_learning_rate / (1 + decay_rate * step / decay_steps) (the ratio floored when
    `staircase`)."""

    def _decay(self, initial_learning_rate, decay_rate, p):
        denominator = tf.add(tf.ones((), p.dtype), tf.multiply(decay_rate, p))
        return tf.divide(initial_learning_rate, denominator)


class CosineDecay(LearningRateSchedule):
    """Cosine decay from the initial rate (or, after a linear warmup to `warmup_target` over
    `warmup_steps`, from the target) to `alpha` times it over `decay_steps`."""

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay",
                 warmup_target=None, warmup_steps=0):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_steps = warmup_steps
        self.warmup_target = warmup_target
        _check_steps("decay_steps", decay_steps)

    def _decay_function(self, step, decay_steps, decay_from_lr, dtype):
        completed_fraction = tf.divide(step, decay_steps)
        pi = tf.constant(math.pi, dtype)
        cosine_decayed = 0.5 * (1.0 + tf.cos(tf.multiply(pi, completed_fraction)))
        decayed = (1 - self.alpha) * cosine_decayed + self.alpha
        return tf.multiply(decay_from_lr, decayed)

    def _warmup_function(self, step, warmup_steps, warmup_target, initial_learning_rate):
        completed_fraction = step / warmup_steps
        total_step_delta = warmup_target - initial_learning_rate
        return total_step_delta * completed_fraction + initial_learning_rate

    def __call__(self, step):
        initial_learning_rate, dtype = _lr_and_dtype(self.initial_learning_rate)
        decay_steps = tf.cast(self.decay_steps, dtype)
        global_step = tf.cast(step, dtype)
        if self.warmup_target is None:
            global_step = tf.minimum(global_step, decay_steps)
            return self._decay_function(global_step, decay_steps, initial_learning_rate, dtype)
        warmup_target = tf.cast(self.warmup_target, dtype)
        warmup_steps = tf.cast(self.warmup_steps, dtype)
        global_step = tf.minimum(global_step, decay_steps + warmup_steps)
        return tf.cond(
            global_step < warmup_steps,
            lambda: self._warmup_function(global_step, warmup_steps, warmup_target, initial_learning_rate),
            lambda: self._decay_function(global_step - warmup_steps, decay_steps, warmup_target, dtype))

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "alpha": self.alpha, "name": self.name, "warmup_target": self.warmup_target,
                "warmup_steps": self.warmup_steps}


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR): each period `t_mul` times longer than the last,
    restarting at `m_mul` times the last initial rate."""

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0,
                 name="SGDRDecay"):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name
        _check_steps("first_decay_steps", first_decay_steps)

    def __call__(self, step):
        initial_learning_rate, dtype = _lr_and_dtype(self.initial_learning_rate)
        first_decay_steps = tf.cast(self.first_decay_steps, dtype)
        alpha = tf.cast(self.alpha, dtype)
        t_mul = tf.cast(self._t_mul, dtype)
        m_mul = tf.cast(self._m_mul, dtype)
        completed_fraction = tf.cast(step, dtype) / first_decay_steps

        def compute_step(completed_fraction, geometric):
            if geometric:
                i_restart = tf.floor(tf.math.log(1.0 - completed_fraction * (1.0 - t_mul)) / tf.math.log(t_mul))
                sum_r = tf.divide(1.0 - tf.pow(t_mul, i_restart), 1.0 - t_mul)
                completed_fraction = tf.divide(completed_fraction - sum_r, tf.pow(t_mul, i_restart))
            else:
                i_restart = tf.floor(completed_fraction)
                completed_fraction -= i_restart
            return i_restart, completed_fraction

        i_restart, completed_fraction = tf.cond(
            tf.equal(t_mul, 1.0), lambda: compute_step(completed_fraction, False),
            lambda: compute_step(completed_fraction, True))
        m_fac = tf.pow(m_mul, i_restart)
        cosine_decayed = 0.5 * m_fac * (1.0 + tf.cos(tf.multiply(tf.constant(math.pi, dtype),
                                                                 completed_fraction)))
        decayed = tf.add(tf.multiply(1 - alpha, cosine_decayed), alpha)
        return tf.multiply(initial_learning_rate, decayed)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "first_decay_steps": self.first_decay_steps, "t_mul": self._t_mul,
                "m_mul": self._m_mul, "alpha": self.alpha, "name": self.name}


_SCHEDULES = {cls.__name__: cls for cls in (ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay,
                                            InverseTimeDecay, CosineDecay, CosineDecayRestarts)}


def serialize(learning_rate_schedule):
    """Keras 3's serialized form: {"module", "class_name", "config", "registered_name"}."""
    return {"module": "keras.optimizers.schedules", "class_name": type(learning_rate_schedule).__name__,
            "config": learning_rate_schedule.get_config(), "registered_name": None}


def deserialize(config, custom_objects=None):
    """The schedule a `serialize` dict (or {"class_name", "config"}) describes."""
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _SCHEDULES.get(name)
    if cls is None:
        raise ValueError(f"Unknown decay: '{name}'. Please ensure you are using a "
                         "`keras.utils.custom_object_scope` and that this object is included in "
                         "the scope.")
    return cls.from_config(dict(config["config"]))
