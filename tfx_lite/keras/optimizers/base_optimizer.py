"""tf.keras.optimizers.Optimizer (Keras 3's API) on one op of the op table.

A built-in optimizer names a rule of compiler/ops/optim.py and its hyperparameters. An update
(`apply_gradients`, `apply`, `minimize`) is one `optimizer_update` op: its operands are the
gradients, the variables' values, the optimizer's state (its slot variables), `iterations` and
the learning rate; its results are the new values, the new state and iterations + 1, which are
assigned back. Eagerly that is one compiled kernel per rule; inside a tf.function it is one node
of the graph, and the assignments become the function's outputs. The learning rate is always an
operand (a variable, or a schedule computed from `iterations` by ordinary ops), so changing it
never recompiles.

A subclass that defines no rule and overrides `update_step(gradient, variable, learning_rate)`
(Keras's way to write an optimizer) is run per variable with ordinary ops instead.
"""
from __future__ import annotations

import re
import warnings

import numpy as np

from compiler.ops import optim
from tfx_lite.framework import dtypes
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.name_scope import name_scope
from tfx_lite.framework.op_call import call
from tfx_lite.framework.tensor import EagerTensor
from tfx_lite.gradient_tape import GradientTape
from tfx_lite.keras.optimizers.schedules import LearningRateSchedule
from tfx_lite.keras.utils import auto_name
from tfx_lite.keras.optimizers import schedules as _schedules
from tfx_lite.checkpoint.restore import restore_deferred
from tfx_lite.saving.object_graph import attribute_children
from tfx_lite.variables import Variable

__all__ = ["Optimizer"]

def _slot_name(reference, slot: str) -> str:
    """Keras's name of an optimizer variable for `reference`: its path (a Keras variable) or
    name (a tf.Variable) with '/' and ':' made '_', then '_<slot>' ('dense_kernel_momentum',
    'Variable_0_velocity')."""
    path = getattr(reference, "path", None)
    base = path.replace("/", "_") if isinstance(path, str) else \
        str(reference.name).replace("/", "_").replace(":", "_")
    return f"{base}_{slot}"


class Optimizer:
    """The base class of optimizers (Keras 3's `keras.optimizers.Optimizer`)."""

    # The rule of compiler/ops/optim.py this optimizer runs (None: `update_step` in Python).
    _RULE: str | None = None
    # Slots Keras creates together, one variable after the other for each model variable (its
    # order of `variables`); other slots come after, slot by slot.
    _INTERLEAVED_SLOTS: tuple = ()
    # The rule's own hyperparameters: (attribute name, conversion for the rule) pairs; they go
    # into get_config as they are.
    _HYPERPARAMETERS: tuple = ()

    def __init__(self, learning_rate, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None, name=None, **kwargs):
        if kwargs.pop("decay", None) is not None:
            warnings.warn("Argument `decay` is no longer supported and will be ignored.")
        if kwargs:
            raise ValueError(f"Argument(s) not recognized: {kwargs}")
        if use_ema:
            raise NotImplementedError("tfx_lite's optimizers do not support use_ema=True yet")
        if gradient_accumulation_steps:
            if not gradient_accumulation_steps >= 2:
                raise ValueError("`gradient_accumulation_steps` must be an integer >= 2. Received: "
                                 f"gradient_accumulation_steps={gradient_accumulation_steps}")
            raise NotImplementedError("tfx_lite's optimizers do not support gradient_accumulation_steps yet")
        if sum(a is not None for a in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError("Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. "
                             f"Received: clipnorm={clipnorm}, clipvalue={clipvalue}, "
                             f"global_clipnorm={global_clipnorm}")
        self.name = name if name is not None else auto_name(type(self).__name__)
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.built = False
        self._variables: list = []
        self._trainable_variables: list = []
        self._trainable_variables_indices: dict = {}
        self._slot_variables: list = []   # per model variable: {slot name: variable}
        self._slot_names: tuple = ()      # in the order the update op takes them
        self._exclude_from_weight_decay = set()
        self._exclude_from_weight_decay_pattern = None
        with name_scope(self._scope):
            self._iterations = Variable(0, dtype=dtypes.int64, trainable=False, name="iteration")
        self._variables.append(self._iterations)
        self._learning_rate = self._make_learning_rate(learning_rate)

    @property
    def _scope(self) -> str:
        return f"{self.name}/"  # absolute: the same names wherever the optimizer is made or built

    def _make_learning_rate(self, learning_rate):
        if isinstance(learning_rate, (LearningRateSchedule, Variable)):
            return learning_rate  # a tf.Variable is used (and shared) as it is
        if callable(learning_rate):
            return learning_rate
        try:
            value = float(learning_rate)
        except (TypeError, ValueError):
            raise ValueError(
                "Argument `learning_rate` should be float, or an instance of LearningRateSchedule, "
                "or a callable (that takes in the current iteration value and returns the "
                f"corresponding learning rate value). Received instead: learning_rate={learning_rate}"
            ) from None
        with name_scope(self._scope):
            variable = Variable(value, dtype=dtypes.float32, trainable=False, name="learning_rate")
        self._variables.insert(1, variable)
        return variable

    # --- state ---
    @property
    def iterations(self) -> Variable:
        """How many updates were applied: a non-trainable int64 tf.Variable."""
        return self._iterations

    @property
    def variables(self) -> list:
        """The optimizer's variables: iterations, the learning rate (when a variable) and the
        slots, in Keras's order."""
        return self._variables[:]

    @property
    def learning_rate(self):
        return self._get_current_learning_rate()

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        old = self._learning_rate
        if isinstance(learning_rate, (LearningRateSchedule, Variable)) or callable(learning_rate):
            self._learning_rate = learning_rate
        elif isinstance(old, LearningRateSchedule):
            raise TypeError(
                "This optimizer was created with a `LearningRateSchedule` object as its "
                "`learning_rate` constructor argument, hence its learning rate is not settable. If "
                "you need the learning rate to be settable, you should instantiate the optimizer "
                "with a float `learning_rate` argument.")
        elif isinstance(old, Variable):
            old.assign(learning_rate)
            return
        else:
            self._learning_rate = self._make_learning_rate(learning_rate)
            return
        if isinstance(old, Variable) and any(v is old for v in self._variables):
            self._variables = [v for v in self._variables if v is not old]

    def _get_current_learning_rate(self):
        if isinstance(self._learning_rate, LearningRateSchedule):
            return self._learning_rate(self._iterations)
        if isinstance(self._learning_rate, Variable):
            return self._learning_rate
        if callable(self._learning_rate):
            return self._learning_rate()
        return self._learning_rate

    def _learning_rate_tensor(self):
        """The learning rate as a scalar tensor: the update op's operand."""
        lr = self._get_current_learning_rate()
        return lr.read_value() if isinstance(lr, Variable) else convert_to_tensor(lr)

    # --- building ---
    def _var_key(self, variable):
        return id(variable)

    def _get_variable_index(self, variable):
        return self._trainable_variables_indices[self._var_key(variable)]

    def build(self, var_list):
        """Create the optimizer's state for `var_list`: per variable, one non-trainable
        tf.Variable per slot of the rule (e.g. Adam's momentum and velocity)."""
        if self.built:
            return
        var_list = list(var_list)
        for i, variable in enumerate(var_list):
            self._trainable_variables_indices[self._var_key(variable)] = i
        self._trainable_variables = var_list[:]
        if self._RULE is not None:
            self._build_slots(var_list)
        self.built = True
        restore_deferred(self)  # slots created after a checkpoint was restored get its values

    def _trackable_children(self):
        """What checkpoints follow: the trackable attributes (`_iterations`, `_variables`, ...)."""
        return attribute_children(self)

    def _build_slots(self, var_list):
        rule = self._rule()
        layouts = [optim.slots(rule, np.zeros(tuple(v.shape), v.dtype.as_numpy_dtype))
                   for v in var_list]
        self._slot_names = tuple(name for name, _ in layouts[0]) if layouts else ()
        created = [{} for _ in var_list]
        groups = [tuple(s for s in self._INTERLEAVED_SLOTS if s in self._slot_names)]
        groups += [(s,) for s in self._slot_names if s not in groups[0]]
        for group in groups:
            for variable, layout, slots in zip(var_list, layouts, created):
                initial = dict(layout)
                for slot in group:
                    slots[slot] = self._add_slot(variable, slot, initial[slot])
        self._slot_variables = created

    def _add_slot(self, reference, slot, initial_value):
        """A state variable for `reference`, named as Keras names it: '<reference>_<slot>'."""
        with name_scope(self._scope):
            variable = Variable(EagerTensor(initial_value), trainable=False,
                                name=_slot_name(reference, slot))
        self._variables.append(variable)
        return variable

    def add_variable(self, shape, initializer="zeros", dtype=None, aggregation="none", layout=None,
                     name=None):
        """A non-trainable variable of the optimizer (for subclasses' `build`)."""
        dtype = dtypes.as_dtype(dtype or "float32")
        if callable(initializer):
            value = initializer(shape, dtype=dtype)
        elif initializer == "zeros":
            value = np.zeros(shape, dtype.as_numpy_dtype)
        elif initializer == "ones":
            value = np.ones(shape, dtype.as_numpy_dtype)
        else:
            raise ValueError(f"Unsupported initializer {initializer!r}: pass 'zeros', 'ones' or a callable")
        with name_scope(self._scope):
            variable = Variable(value, dtype=dtype, trainable=False, name=name)
        self._variables.append(variable)
        restore_deferred(self)
        return variable

    def add_variable_from_reference(self, reference_variable, name=None, initializer="zeros"):
        """A variable of `reference_variable`'s shape and dtype named '<reference>_<name>'."""
        return self.add_variable(tuple(reference_variable.shape), initializer=initializer,
                                 dtype=reference_variable.dtype,
                                 name=_slot_name(reference_variable, name or "var"))

    # --- updating ---
    def apply_gradients(self, grads_and_vars, name=None, skip_gradients_aggregation=False, **kwargs):
        """Apply (gradient, variable) pairs; a None gradient skips its variable (with a
        warning). Returns `iterations`."""
        grads_and_vars = list(grads_and_vars)
        if not grads_and_vars:
            return self._iterations
        grads, variables = zip(*grads_and_vars)
        if not skip_gradients_aggregation:
            grads = _summed_over_replicas(grads)
        self.apply(grads, variables)
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        """Update `trainable_variables` (by default the ones the optimizer was built with) with
        `grads`, one gradient per variable, then add 1 to `iterations`."""
        grads = list(grads)
        if len(grads) == 0:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must already be built "
                    "on a list of variables. Call `optimizer.build(trainable_variables)` first. ")
            if len(grads) != len(self._trainable_variables_indices):
                raise ValueError(
                    "When passing `grads` as a list of gradient tensors, the gradients must match "
                    f"`optimizer.variables` one-to-on. Received a list of {len(grads)} gradients, "
                    f"but the optimizer is tracking {len(self._trainable_variables)} trainable "
                    "variables.")
            trainable_variables = self._trainable_variables
        else:
            trainable_variables = list(trainable_variables)
            if not self.built:
                self.build(trainable_variables)
            self._check_variables_are_known(trainable_variables)
        grads, trainable_variables = self._filter_empty_gradients(grads, trainable_variables)
        if self._RULE is not None:
            self._apply_rule(grads, trainable_variables)
        else:
            self._apply_update_steps(grads, trainable_variables)
        for variable in trainable_variables:
            if getattr(variable, "constraint", None) is not None:
                variable.assign(variable.constraint(variable))

    def _check_variables_are_known(self, variables):
        for v in variables:
            if self._var_key(v) not in self._trainable_variables_indices:
                raise ValueError(
                    f"Unknown variable: {v}. This optimizer can only be called for the variables it "
                    "was originally built with. When working with a new set of variables, you "
                    "should recreate a new optimizer instance.")

    def _filter_empty_gradients(self, grads, variables):
        kept = [(g, v) for g, v in zip(grads, variables) if g is not None]
        if not kept:
            raise ValueError("No gradients provided for any variable.")
        if len(kept) < len(grads):
            missing = [getattr(v, "path", None) or v.name for g, v in zip(grads, variables) if g is None]
            warnings.warn(f"Gradients do not exist for variables {missing} when minimizing the loss. "
                          "If using `model.compile()`, did you forget to provide a `loss` argument?")
        return [g for g, _ in kept], [v for _, v in kept]

    def _rule(self, variables=None):
        """The static description of the update: (rule name, hyperparameters), with the shared
        options that are set; with `variables`, the weight decay mask when some are excluded."""
        hyper = list(self._hyperparameters())
        if self.loss_scale_factor is not None:
            hyper.append(("loss_scale_factor", float(self.loss_scale_factor)))
        if self.clipnorm and self.clipnorm > 0:
            hyper.append(("clipnorm", float(self.clipnorm)))
        elif self.global_clipnorm and self.global_clipnorm > 0:
            hyper.append(("global_clipnorm", float(self.global_clipnorm)))
        elif self.clipvalue and self.clipvalue > 0:
            hyper.append(("clipvalue", float(self.clipvalue)))
        if self.weight_decay is not None:
            hyper.append(("weight_decay", float(self.weight_decay)))
            if variables is not None:
                mask = tuple(self._use_weight_decay(v) for v in variables)
                if not all(mask):
                    hyper.append(("weight_decay_mask", mask))
        return self._RULE, tuple(hyper)

    def _hyperparameters(self):
        """The rule's own hyperparameters as (name, value) pairs, from `_HYPERPARAMETERS`."""
        return tuple((name, convert(getattr(self, name))) for name, convert in self._HYPERPARAMETERS)

    def _apply_rule(self, grads, variables):
        n = len(variables)
        indices = [self._get_variable_index(v) for v in variables]
        grads = [convert_to_tensor(g) for g in grads]
        values = [v.read_value() for v in variables]
        state = [self._slot_variables[i][slot] for slot in self._slot_names for i in indices]
        lr = self._learning_rate_tensor()
        outs = call(self.name, "optimizer_update", *grads, *values, *[s.read_value() for s in state],
                    self._iterations.read_value(), lr, rule=self._rule(variables), num_vars=n)
        for target, value in zip((*variables, *state, self._iterations), outs):
            target._store(value, False, fresh=True)

    def _apply_update_steps(self, grads, variables):
        """Keras's generic path, for subclasses that implement `update_step`."""
        grads = [convert_to_tensor(g) for g in grads]
        if self.loss_scale_factor is not None:
            grads = [g / self.loss_scale_factor for g in grads]
        grads = self._clip_gradients(grads)
        self._apply_weight_decay(variables)
        learning_rate = self.learning_rate
        for grad, variable in zip(grads, variables):
            self.update_step(grad, variable, learning_rate)
        self._iterations.assign_add(1)

    def update_step(self, gradient, variable, learning_rate):
        raise NotImplementedError

    def _clip_gradients(self, grads):
        """Keras's clipping with ordinary ops (the rule path does it inside the update op)."""
        import tfx_lite as tf
        if self.clipnorm and self.clipnorm > 0:
            def clip(g):
                l2sum = tf.reduce_sum(tf.square(g), keepdims=True)
                positive = l2sum > 0
                l2norm = tf.where(positive, tf.sqrt(tf.where(positive, l2sum, tf.ones_like(l2sum))), l2sum)
                return g * self.clipnorm / tf.maximum(l2norm, self.clipnorm)
            return [clip(g) for g in grads]
        if self.global_clipnorm and self.global_clipnorm > 0:
            norm = tf.sqrt(tf.reduce_sum(tf.stack([tf.reduce_sum(tf.square(g)) for g in grads])))
            scale = self.global_clipnorm * tf.minimum(1.0 / norm, 1.0 / self.global_clipnorm)
            scale = scale + (norm - norm)
            return [g * scale for g in grads]
        if self.clipvalue and self.clipvalue > 0:
            return [tf.clip_by_value(g, -self.clipvalue, self.clipvalue) for g in grads]
        return grads

    def _apply_weight_decay(self, variables):
        if self.weight_decay is None:
            return
        import tfx_lite as tf
        for variable in variables:
            if self._use_weight_decay(variable):
                lr = tf.cast(self.learning_rate, variable.dtype)
                wd = tf.cast(self.weight_decay, variable.dtype)
                variable.assign_sub(variable * wd * lr)

    def assign(self, variable, value):
        variable.assign(value)

    def assign_add(self, variable, value):
        variable.assign_add(value)

    def assign_sub(self, variable, value):
        variable.assign_sub(value)

    def minimize(self, loss, var_list, tape=None):
        """Minimize `loss` (a callable, or a tensor recorded by `tape`) over `var_list` (a list
        of variables, or a callable returning one): one update. Returns `iterations`."""
        if not callable(loss) and tape is None:
            raise ValueError("`tape` is required when a `Tensor` loss is passed. "
                             f"Received: loss={loss}, tape={tape}.")
        tape = tape if tape is not None else GradientTape()
        if callable(loss):
            with tape:
                if not callable(var_list):
                    tape.watch(var_list)
                loss = loss()
        if callable(var_list):
            var_list = var_list()
        var_list = list(var_list)
        grads = tape.gradient(loss, var_list)
        return self.apply_gradients(zip(grads, var_list))

    def scale_loss(self, loss):
        if self.loss_scale_factor is not None:
            return loss * self.loss_scale_factor
        return loss

    def finalize_variable_values(self, var_list):
        """Keras calls this at the end of `fit` (it matters with use_ema, not supported here)."""

    # --- weight decay exclusions ---
    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Leave out of weight decay these variables, and those whose name contains one of
        `var_names`. Call before the optimizer is built."""
        if self.built:
            raise ValueError("`exclude_from_weight_decay()` can only be configured before the "
                             "optimizer is built.")
        self._exclude_from_weight_decay = {self._var_key(v) for v in var_list or ()}
        self._exclude_from_weight_decay_pattern = (re.compile("|".join(set(var_names)))
                                                   if var_names else None)

    def _use_weight_decay(self, variable) -> bool:
        if self._var_key(variable) in self._exclude_from_weight_decay:
            return False
        pattern = self._exclude_from_weight_decay_pattern
        return not (pattern is not None and re.search(pattern, variable.name) is not None)

    # --- saving ---
    def set_weights(self, weights):
        if not self.built:
            raise ValueError(
                "You are calling `set_weights()` on an optimizer that has not yet been built. "
                "Please call `optimizer.build(trainable_variables)` to create the optimizer "
                "weights before calling `set_weights()`.")
        for variable, weight in zip(self._variables, weights):
            if tuple(variable.shape) != tuple(np.shape(weight)):
                raise ValueError(f"Optimizer variable {variable.name} has shape {variable.shape} "
                                 f"not compatible with provided weight shape {np.shape(weight)}.")
            variable.assign(weight)

    def save_own_variables(self, store):
        for i, variable in enumerate(self.variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store):
        if len(store.keys()) != len(self.variables):
            warnings.warn(f"Skipping variable loading for optimizer '{self.name}', because it has "
                          f"{len(self.variables)} variables whereas the saved optimizer has "
                          f"{len(store.keys())} variables. ", stacklevel=2)
            return
        for i, variable in enumerate(self.variables):
            variable.assign(store[str(i)])

    # --- config ---
    def get_config(self):
        lr = self._learning_rate
        if isinstance(lr, LearningRateSchedule):
            learning_rate = _schedules.serialize(lr)
        elif isinstance(lr, Variable):
            learning_rate = float(lr.numpy())
        elif callable(lr):
            learning_rate = lr
        else:
            learning_rate = 0.5
        return {"name": self.name, "learning_rate": learning_rate, "weight_decay": self.weight_decay,
                "clipnorm": self.clipnorm, "global_clipnorm": self.global_clipnorm,
                "clipvalue": self.clipvalue, "use_ema": self.use_ema,
                "ema_momentum": self.ema_momentum,
                "ema_overwrite_frequency": self.ema_overwrite_frequency,
                "loss_scale_factor": self.loss_scale_factor,
                "gradient_accumulation_steps": self.gradient_accumulation_steps,
                **{name: getattr(self, name) for name, _ in self._HYPERPARAMETERS}}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = _schedules.deserialize(config["learning_rate"], custom_objects)
        return cls(**config)


def _summed_over_replicas(grads):
    """Inside `strategy.run`, each replica's gradients summed over the replicas (Keras 3 on TF
    does the same), so every replica applies the same update to its copy of the variables."""
    from tfx_lite.distribute.replica import current_replica_context
    context = current_replica_context()
    if context is None:
        return grads
    return tuple(None if g is None else context.all_reduce("SUM", g) for g in grads)
