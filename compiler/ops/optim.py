"""Optimizer updates as one op: `optimizer_update` runs an optax GradientTransformation over all
the variables an optimizer updates in one step, so an eager step is one compiled kernel (cached
by the rule) and a traced train step holds one node, whatever the number of variables.

    %w1, %b1, %m0, %m1, %v0, %v1, %n = optimizer_update(%gw, %gb, %w, %b, %m0, %m1, %v0, %v1, %it, %lr)
        {num_vars=2, rule=("adam", (("beta_1", 0.9), ("beta_2", 0.999), ("epsilon", 1e-07),
                                     ("amsgrad", False)))}

Operands, in order: the gradients (`num_vars`), the variables' values (`num_vars`), the state
(the leaves of the transformation's state: slot by slot, one array per variable in each), the
step (how many updates were applied before this one, an integer scalar) and the learning rate (a
scalar: a value, so changing it never recompiles). Results: the new values, the new state (same
order) and step + 1.

`rule` is (name, ((hyperparameter, value), ...)): the name picks a rule of RULES, the
hyperparameters are its keyword arguments plus the options every rule shares, applied in
Keras's order: `loss_scale_factor` (gradients divided by it), one of `clipnorm` (each gradient
clipped to that norm), `clipvalue` (clipped elementwise), `global_clipnorm` (all gradients
scaled so their global norm is at most that), then `weight_decay` (each variable first
multiplied by 1 - weight_decay * learning_rate; `weight_decay_mask`, one bool per variable,
leaves out the False ones). `transformation(rule)` builds, and caches, the optax transformation.

Each rule is an optax GradientTransformationExtraArgs following Keras 3's formulas operation by
operation (keras/src/optimizers/*.py; optax's own adam, rmsprop, ... differ in where epsilon and
the bias correction go): its `update` takes the extra arguments `learning_rate` and `step`, and
its state is a NamedTuple of slots (named as Keras names its optimizer variables: "momentum",
"velocity", ...), each slot a tuple with one array per variable.
"""
from __future__ import annotations

import collections
import functools

import jax
import jax.numpy as jnp
import optax

from compiler.ops.checks import InvalidInput, checked, dims
from compiler.ops.registry import defop

# Options every rule takes, applied around the rule as Keras's base optimizer applies them.
COMMON_OPTIONS = ("loss_scale_factor", "clipnorm", "clipvalue", "global_clipnorm", "weight_decay",
                  "weight_decay_mask")


@functools.lru_cache(maxsize=None)
def _state_type(rule: str, slots: tuple):
    """The NamedTuple holding a rule's slots (one class per rule and set of slots)."""
    return collections.namedtuple(f"{rule.capitalize()}State", slots)


def _zeros(params):
    return tuple(jnp.zeros_like(p) for p in params)


def _cast(x, dtype):
    return jnp.asarray(x).astype(dtype)


def _rule(name, slots, initial, step_fn):
    """A GradientTransformationExtraArgs whose state has `slots` (initial values from
    `initial(params)` per slot) and whose update applies `step_fn(g, p, lr, step, *slot values)`
    to each variable, returning (update, *new slot values)."""
    State = _state_type(name, slots)

    def init(params):
        return State(*[initial[s](params) if s in initial else _zeros(params) for s in slots])

    def update(updates, state, params=None, *, learning_rate, step, **_):
        if params is None:
            raise ValueError(f"the {name} rule needs the variables' values (params)")
        results = [step_fn(_cast(g, p.dtype), p, _cast(learning_rate, p.dtype), step, *values)
                   for g, p, *values in zip(updates, params, *state)]
        new_updates = tuple(r[0] for r in results)
        return new_updates, State(*[tuple(r[1 + i] for r in results) for i in range(len(slots))])

    return optax.GradientTransformationExtraArgs(init, update)


# ---------------------------------------------------------------------------------------------
# The rules (Keras 3's update_step of each optimizer, one optax transformation each)
# ---------------------------------------------------------------------------------------------
def sgd(momentum=0.0, nesterov=False):
    """keras.optimizers.SGD: v -= lr * g; with momentum m = m * momentum - lr * g and v += m
    (nesterov: v += m * momentum - lr * g)."""
    if momentum == 0:
        return _rule("sgd", (), {}, lambda g, p, lr, step: (-(g * lr),))

    def step_fn(g, p, lr, step, m):
        m = m * momentum - g * lr
        return (m * momentum - g * lr if nesterov else m), m

    return _rule("sgd", ("momentum",), {}, step_fn)


def adam(beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False):
    """keras.optimizers.Adam: the bias correction goes into the step size and epsilon is added
    to sqrt(v) of the uncorrected v (optax.scale_by_adam corrects m and v instead)."""

    def step_fn(g, p, lr, step, m, v, v_hat=None):
        local_step = _cast(step + 1, p.dtype)
        beta_1_power = jnp.power(_cast(beta_1, p.dtype), local_step)
        beta_2_power = jnp.power(_cast(beta_2, p.dtype), local_step)
        alpha = lr * jnp.sqrt(1 - beta_2_power) / (1 - beta_1_power)
        m = m + (g - m) * (1 - beta_1)
        v = v + (jnp.square(g) - v) * (1 - beta_2)
        v_used = v
        if amsgrad:
            v_hat = jnp.maximum(v_hat, v)
            v_used = v_hat
        update = -((m * alpha) / (jnp.sqrt(v_used) + epsilon))
        return (update, m, v, v_hat) if amsgrad else (update, m, v)

    slots = ("momentum", "velocity", "velocity_hat") if amsgrad else ("momentum", "velocity")
    return _rule("adam", slots, {}, step_fn)


def rmsprop(rho=0.9, momentum=0.0, epsilon=1e-7, centered=False):
    """keras.optimizers.RMSprop: velocity = rho * velocity + (1 - rho) * g^2, increment =
    lr * g / sqrt(velocity + epsilon) (centered: velocity - average_gradient^2 + epsilon)."""
    slots = ("velocity",) + (("momentum",) if momentum > 0 else ()) + \
        (("average_gradient",) if centered else ())

    def step_fn(g, p, lr, step, velocity, *rest):
        rest = list(rest)
        mom = rest.pop(0) if momentum > 0 else None
        average = rest.pop(0) if centered else None
        velocity = rho * velocity + (1 - rho) * jnp.square(g)
        if centered:
            average = rho * average + (1 - rho) * g
            denominator = velocity - jnp.square(average) + epsilon
        else:
            denominator = velocity + epsilon
        increment = (lr * g) / jnp.sqrt(denominator)
        if momentum > 0:
            mom = momentum * mom + increment
            update = -mom
        else:
            update = -increment
        new = [velocity] + ([mom] if momentum > 0 else []) + ([average] if centered else [])
        return (update, *new)

    return _rule("rmsprop", slots, {}, step_fn)


def adagrad(initial_accumulator_value=0.1, epsilon=1e-7):
    """keras.optimizers.Adagrad: accumulator += g^2, v -= lr * g / sqrt(accumulator + epsilon);
    the accumulator starts at `initial_accumulator_value`."""

    def step_fn(g, p, lr, step, accumulator):
        accumulator = accumulator + jnp.square(g)
        return -((lr * g) / jnp.sqrt(accumulator + epsilon)), accumulator

    initial = {"accumulator": lambda params: tuple(jnp.full_like(p, initial_accumulator_value)
                                                   for p in params)}
    return _rule("adagrad", ("accumulator",), initial, step_fn)


RULES = {"sgd": sgd, "adam": adam, "rmsprop": rmsprop, "adagrad": adagrad}


# ---------------------------------------------------------------------------------------------
# The shared options (Keras's BaseOptimizer: loss scale, clipping, weight decay)
# ---------------------------------------------------------------------------------------------
def _map(fn):
    """A stateless transformation applying `fn` to each update."""
    return optax.GradientTransformation(
        optax.init_empty_state, lambda updates, state, params=None: (tuple(map(fn, updates)), state))


def unscale(loss_scale_factor):
    """Gradients of a scaled loss divided by the scale (Keras's loss_scale_factor)."""
    return _map(lambda g: g / loss_scale_factor)


def clip_by_norm(clipnorm):
    """Each gradient clipped to norm `clipnorm`, as tf.clip_by_norm computes it (Keras's
    clipnorm)."""

    def clip(g):
        l2sum = jnp.sum(g * g, keepdims=True)
        positive = l2sum > 0
        l2norm = jnp.where(positive, jnp.sqrt(jnp.where(positive, l2sum, jnp.ones_like(l2sum))), l2sum)
        return (g * clipnorm) / jnp.maximum(l2norm, _cast(clipnorm, l2norm.dtype))

    return _map(clip)


def clip_by_global_norm(clipnorm):
    """All gradients scaled by clipnorm * min(1 / global_norm, 1 / clipnorm) (Keras's
    global_clipnorm; a non-finite norm makes them NaN, as in Keras). optax.clip_by_global_norm
    divides by the norm instead, and leaves small gradients untouched: a few ulps apart."""

    def update(updates, state, params=None):
        if not updates:
            return updates, state
        norm = jnp.sqrt(jnp.sum(jnp.stack([jnp.sum(jnp.square(g)) for g in updates])))
        scale = clipnorm * jnp.minimum(1.0 / norm, 1.0 / clipnorm)
        scale = scale + (norm - norm)
        return tuple(g * scale for g in updates), state

    return optax.GradientTransformation(optax.init_empty_state, update)


def decoupled_weight_decay(weight_decay, mask=None):
    """The update v -> v - v * weight_decay * lr (Keras applies it to the variables before the
    rule's step, so `optimizer_update` applies it first); `mask` leaves out variables."""

    def update(updates, state, params=None, *, learning_rate, **_):
        out = []
        for i, p in enumerate(params):
            if mask is not None and not mask[i]:
                out.append(jnp.zeros_like(p))
            else:
                out.append(-(p * _cast(weight_decay, p.dtype) * _cast(learning_rate, p.dtype)))
        return tuple(out), state

    return optax.GradientTransformationExtraArgs(optax.init_empty_state, update)


@functools.lru_cache(maxsize=256)
def transformation(rule):
    """(the optax transformation of `rule`: options then the rule, as one optax.chain; the weight
    decay transformation, or None): built once per rule."""
    name, hyper = rule
    if name not in RULES:
        raise ValueError(f"unknown optimizer rule {name!r}; known: {', '.join(sorted(RULES))}")
    hyper = dict(hyper)
    options = {k: hyper.pop(k) for k in COMMON_OPTIONS if k in hyper}
    parts = []
    if options.get("loss_scale_factor") is not None:
        parts.append(unscale(options["loss_scale_factor"]))
    if options.get("clipnorm"):
        parts.append(clip_by_norm(options["clipnorm"]))
    elif options.get("global_clipnorm"):
        parts.append(clip_by_global_norm(options["global_clipnorm"]))
    elif options.get("clipvalue"):
        parts.append(optax.clip(options["clipvalue"]))
    parts.append(RULES[name](**hyper))
    decay = None
    if options.get("weight_decay") is not None:
        decay = decoupled_weight_decay(options["weight_decay"], options.get("weight_decay_mask"))
    return optax.chain(*parts), decay


def slots(rule, value):
    """[(slot name, initial value)] of the state `rule` keeps for one variable of `value`'s shape
    and dtype, in the order `optimizer_update` takes them."""
    state = transformation(rule)[0].init((value,))
    out = []
    for path, leaf in jax.tree_util.tree_flatten_with_path(state)[0]:
        names = [k.name for k in path if isinstance(k, jax.tree_util.GetAttrKey)]
        out.append((names[-1] if names else str(len(out)), leaf))
    return out


def _split(operands, num_vars):
    n = num_vars
    return (tuple(operands[:n]), tuple(operands[n:2 * n]), list(operands[2 * n:-2]),
            operands[-2], operands[-1])


def _check(*operands, rule, num_vars):
    if len(operands) < 2 * num_vars + 2:
        raise InvalidInput(f"optimizer_update takes {num_vars} gradients, {num_vars} values, the "
                           f"state, the step and the learning rate; got {len(operands)} operands")
    grads, params, state, step, lr = _split(operands, num_vars)
    for i, (g, p) in enumerate(zip(grads, params)):
        if tuple(g.shape) != tuple(p.shape):
            raise InvalidInput(f"the gradient of variable {i} has shape {dims(g.shape)} but the "
                               f"variable has shape {dims(p.shape)}")
    expected = jax.tree.structure(jax.eval_shape(transformation(rule)[0].init, params)).num_leaves
    if len(state) != expected:
        raise InvalidInput(f"rule {rule[0]!r} keeps {expected} state arrays for {num_vars} "
                           f"variables; got {len(state)}")
    if tuple(step.shape) != () or tuple(lr.shape) != ():
        raise InvalidInput(f"the step and the learning rate are scalars; got shapes "
                           f"{dims(step.shape)} and {dims(lr.shape)}")


@defop("optimizer_update", explain=checked(_check))
def optimizer_update(*operands, rule, num_vars):
    _check(*operands, rule=rule, num_vars=num_vars)
    grads, params, state_leaves, step, learning_rate = _split(operands, num_vars)
    tx, decay = transformation(rule)
    treedef = jax.tree.structure(jax.eval_shape(tx.init, params))
    state = jax.tree.unflatten(treedef, state_leaves)
    if decay is not None:  # Keras decays the variables first, then runs the step on them
        decayed, _ = decay.update(params, optax.EmptyState(), params, learning_rate=learning_rate)
        params = optax.apply_updates(params, decayed)
    updates, state = tx.update(grads, state, params, learning_rate=learning_rate, step=step)
    new_params = optax.apply_updates(params, updates)
    return (*new_params, *jax.tree.leaves(state), step + 1)
