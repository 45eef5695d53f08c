"""tf.compat.v1.train: optimizers whose `minimize` returns a train op (an Operation of variable
updates computed in the graph from tf.gradients), Saver, and tf.train's checkpoints."""
from __future__ import annotations


import numpy as np

from tfx_lite.compat.v1.gradients import gradients
from tfx_lite.compat.v1.graph import get_default_graph
from tfx_lite.compat.v1.variables import Operation, Variable, trainable_variables
from tfx_lite.framework import errors
from tfx_lite.ops import array_ops, math_ops
from tfx_lite.saving import bundle
from tfx_lite.train import (  # noqa: F401
    Checkpoint, CheckpointManager, CheckpointReader, CheckpointState, get_checkpoint_state, latest_checkpoint,
    list_variables, load_checkpoint, load_variable)


class Optimizer:
    """TF1's optimizer interface: compute_gradients, apply_gradients, minimize."""

    def __init__(self, learning_rate, use_locking=False, name="Optimizer"):
        self._lr = learning_rate
        self._name = name
        self._slots: dict = {}

    def compute_gradients(self, loss, var_list=None, **unused):
        var_list = list(var_list) if var_list is not None else trainable_variables()
        if not var_list:
            raise ValueError("No variables to optimize.")
        return list(zip(gradients(loss, var_list), var_list))

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        grads_and_vars = [(g, v) for g, v in grads_and_vars if g is not None]
        if not grads_and_vars:
            raise ValueError("No gradients provided for any variable.")
        updates = []
        for grad, var in grads_and_vars:
            updates += self._updates(grad, var)
        updates += self._finish()
        if global_step is not None:
            updates.append((global_step, (global_step.read_value() + 1)._value))
        return Operation(get_default_graph(), name or self._name, updates)

    def minimize(self, loss, global_step=None, var_list=None, name=None, **unused):
        return self.apply_gradients(self.compute_gradients(loss, var_list), global_step, name)

    def _slot(self, var, name, initial=0.0):
        key = (id(var), name)
        slot = self._slots.get(key)
        if slot is None:
            slot = self._slots[key] = Variable(array_ops.zeros(var.shape.as_list(), var.dtype) + initial,
                                               trainable=False, name=f"{var._name}/{self._name}")
        return slot

    def _finish(self) -> list:
        return []


class GradientDescentOptimizer(Optimizer):
    def __init__(self, learning_rate, use_locking=False, name="GradientDescent"):
        super().__init__(learning_rate, use_locking, name)

    def _updates(self, grad, var):
        return [(var, (var.read_value() - self._lr * grad)._value)]


class MomentumOptimizer(Optimizer):
    def __init__(self, learning_rate, momentum, use_locking=False, name="Momentum", use_nesterov=False):
        super().__init__(learning_rate, use_locking, name)
        self._momentum = momentum
        self._nesterov = use_nesterov

    def _updates(self, grad, var):
        accum = self._slot(var, "momentum")
        new_accum = accum.read_value() * self._momentum + grad
        step = grad + new_accum * self._momentum if self._nesterov else new_accum
        return [(accum, new_accum._value), (var, (var.read_value() - self._lr * step)._value)]


class AdamOptimizer(Optimizer):
    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8, use_locking=False,
                 name="Adam"):
        super().__init__(learning_rate, use_locking, name)
        self._beta1, self._beta2, self._epsilon = beta1, beta2, epsilon
        self._powers = None

    def _beta_powers(self):
        if self._powers is None:
            self._powers = (Variable(self._beta1, trainable=False, name="beta1_power"),
                            Variable(self._beta2, trainable=False, name="beta2_power"))
        return self._powers

    def _updates(self, grad, var):
        beta1_power, beta2_power = self._beta_powers()
        m, v = self._slot(var, "m"), self._slot(var, "v")
        lr = self._lr * math_ops.sqrt(1.0 - beta2_power.read_value()) / (1.0 - beta1_power.read_value())
        new_m = m.read_value() * self._beta1 + grad * (1.0 - self._beta1)
        new_v = v.read_value() * self._beta2 + math_ops.square(grad) * (1.0 - self._beta2)
        new_var = var.read_value() - lr * new_m / (math_ops.sqrt(new_v) + self._epsilon)
        return [(m, new_m._value), (v, new_v._value), (var, new_var._value)]

    def _finish(self):
        beta1_power, beta2_power = self._beta_powers()
        return [(beta1_power, (beta1_power.read_value() * self._beta1)._value),
                (beta2_power, (beta2_power.read_value() * self._beta2)._value)]


class Saver:
    """Saves and restores the session's variable values, keyed by variable name, as a tensor
    bundle (`<path>.index` and `<path>.data-00000-of-00001`, tfx_lite/saving/bundle.py)."""

    def __init__(self, var_list=None, max_to_keep=5, **unused):
        if isinstance(var_list, dict):
            self._vars = dict(var_list)
        else:
            self._vars = {v._name: v for v in (var_list if var_list is not None else
                                                 get_default_graph()._variables)}

    def save(self, sess, save_path, global_step=None, **unused):
        path = f"{save_path}-{int(global_step if not hasattr(global_step, 'read_value') else sess.run(global_step))}" \
            if global_step is not None else save_path
        return bundle.write_bundle(path, {name: np.asarray(sess.run(var)) for name, var in self._vars.items()})

    def restore(self, sess, save_path):
        if not bundle.exists(save_path):
            raise ValueError(f"The passed save_path is not a valid checkpoint: {save_path}")
        stored = bundle.BundleReader(save_path)
        values = {}
        for name, var in self._vars.items():  # every value checked before any is set
            value = stored.get(name)
            if tuple(value.shape) != tuple(var.shape.as_list()):
                raise errors.InvalidArgumentError(
                    None, None, f"tensor_name = {name}; shape in shape_and_slice spec "
                                f"{list(var.shape.as_list())} does not match the shape stored in checkpoint: "
                                f"{list(value.shape)}")
            if value.dtype != np.dtype(var.dtype.as_numpy_dtype):
                raise errors.InvalidArgumentError(
                    None, None, f"tensor_name = {name}; expected dtype {var.dtype.name} does not equal original "
                                f"dtype {value.dtype.name}")
            values[var] = value
        sess._state.update(values)
