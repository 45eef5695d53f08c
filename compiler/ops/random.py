"""Random ops: pure functions of a seed vector, so a node can be traced, printed and lowered.

Every op takes `seed`, a 1-D integer array, as its first input. `seed_key` hashes all its
words (a splitmix64 chain) into one threefry key, so two different seed vectors give
independent streams and the same vector always gives the same values. Where
the seed vector comes from (TF's global/op seeds and call counters, a Generator's state, a
stateless op's `seed` argument) is the front end's business; see tfx_lite/ops/random_ops.py.

Values come from JAX's threefry PRNG, not TensorFlow's Philox: the distributions match TF,
the numbers do not.
"""
from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from compiler.ops.checks import InvalidInput, checked, dims
from compiler.ops.registry import defop

_GOLDEN = 0x9E3779B97F4A7C15  # splitmix64's increment


def _mix64(z):
    """splitmix64's finalizer: a bijection on uint64 that spreads every input bit."""
    z = (z ^ (z >> jnp.uint64(30))) * jnp.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> jnp.uint64(27))) * jnp.uint64(0x94D049BB133111EB)
    return z ^ (z >> jnp.uint64(31))


def seed_key(seed):
    """One threefry key from a 1-D integer seed vector: its int64 words chained through
    splitmix64 into the 64-bit key. Cheap to compile; threefry itself does the mixing that
    makes keys differing in one bit give unrelated streams."""
    words = lax.bitcast_convert_type(jnp.asarray(seed).astype(jnp.int64).reshape(-1), jnp.uint64)
    h = jnp.uint64(_GOLDEN)
    for i in range(words.shape[0]):
        h = _mix64(h ^ words[i]) + jnp.uint64(_GOLDEN)
    data = jnp.stack([(h >> jnp.uint64(32)).astype(jnp.uint32), h.astype(jnp.uint32)])
    return jax.random.wrap_key_data(data, impl="threefry2x32")


def _check_params(seed, *params, shape, **_):
    """TF's message when mean/stddev (minval/maxval) do not broadcast with `shape`."""
    out = tuple(shape)
    for p in params:
        try:
            out = np.broadcast_shapes(out, p.shape)
        except ValueError:
            raise InvalidInput(f"Incompatible shapes: {dims(out)} vs. {dims(p.shape)}") from None


# The sampling ops are not checked before running: only when one fails does `explain` say why.
_explain_params = checked(_check_params)


def _is_int(dtype) -> bool:
    return jnp.issubdtype(jnp.dtype(dtype), jnp.integer)


@defop("random_uniform", effect="rng", explain=_explain_params)
def random_uniform(seed, minval, maxval, *, shape, dtype):
    """Uniform in [minval, maxval): floats as `u * (maxval - minval) + minval` (broadcasting like
    TF), integers through `randint` (minval, maxval scalars)."""
    key, dtype = seed_key(seed), jnp.dtype(dtype)
    if _is_int(dtype):
        return jax.random.randint(key, shape, minval, maxval, dtype=dtype)
    u = jax.random.uniform(key, shape, dtype=dtype)
    return u * (maxval - minval) + minval


@defop("random_uniform_full_int", effect="rng")
def random_uniform_full_int(seed, *, shape, dtype):
    """Integers over the whole range of `dtype` (int32/int64/uint32/uint64)."""
    dtype = jnp.dtype(dtype)
    bits = jax.random.bits(seed_key(seed), shape, dtype=jnp.dtype(f"uint{dtype.itemsize * 8}"))
    return bits if dtype.kind == "u" else lax.bitcast_convert_type(bits, dtype)


@defop("random_normal", effect="rng", explain=_explain_params)
def random_normal(seed, mean, stddev, *, shape, dtype):
    return jax.random.normal(seed_key(seed), shape, dtype=jnp.dtype(dtype)) * stddev + mean


@defop("random_truncated_normal", effect="rng", explain=_explain_params)
def random_truncated_normal(seed, mean, stddev, *, shape, dtype):
    """Normal restricted to (-2, 2) standard deviations, as TF's TruncatedNormal."""
    z = jax.random.truncated_normal(seed_key(seed), -2.0, 2.0, shape, dtype=jnp.dtype(dtype))
    return z * stddev + mean


def _check_categorical(seed, logits, **_):
    if len(logits.shape) != 2:
        raise InvalidInput(f"logits should be a matrix, got shape {dims(logits.shape)}")
    if logits.shape[1] == 0:
        raise InvalidInput("num_classes should be positive, got 0")


@defop("random_categorical", effect="rng", explain=checked(_check_categorical))
def random_categorical(seed, logits, *, num_samples, dtype):
    """[batch, num_samples] class indices drawn from softmax(logits) per row (Gumbel-max). A row
    with no finite logit gives `num_classes`, as TF's CPU kernel does."""
    _check_categorical(seed, logits)
    batch, classes = logits.shape
    draws = jax.random.categorical(seed_key(seed), logits, axis=-1, shape=(num_samples, batch))
    draws = draws.T
    valid = jnp.any(logits > -jnp.inf, axis=-1, keepdims=True)
    return jnp.where(valid, draws, classes).astype(dtype)


def _host_shuffle(seed, value):
    value = np.asarray(value, dtype=object)
    if value.ndim == 0:
        return value
    rng = np.random.default_rng([int(s) & 0xFFFFFFFFFFFFFFFF for s in np.asarray(seed).reshape(-1)])
    return value[rng.permutation(value.shape[0])]


@defop("random_shuffle", effect="rng", host_impl=_host_shuffle)
def random_shuffle(seed, value):
    """`value` with its first dimension permuted (a scalar comes back as it is)."""
    if value.ndim == 0:
        return value
    return jax.random.permutation(seed_key(seed), value, axis=0, independent=False)


@defop("random_gamma", effect="rng", explain=_explain_params)
def random_gamma(seed, alpha, beta, *, shape, dtype, trailing=True):
    """Gamma(alpha, rate beta), at least `tiny`: of shape `shape + broadcast(alpha, beta).shape`
    (trailing, TF's RandomGamma) or of shape `shape`, the parameters broadcast to it
    (StatelessRandomGammaV3)."""
    dtype = jnp.dtype(dtype)
    batch = jnp.broadcast_shapes(alpha.shape, beta.shape)
    out_shape = tuple(shape) + batch if trailing else tuple(shape)
    alpha = jnp.broadcast_to(alpha, batch).astype(dtype)
    g = jax.random.gamma(seed_key(seed), alpha, shape=out_shape, dtype=dtype)
    return jnp.maximum(jnp.finfo(dtype).tiny, g / beta.astype(dtype))


@defop("random_poisson", effect="rng")
def random_poisson(seed, lam, *, shape, dtype, trailing=True):
    """Poisson(lam) in `dtype`: of shape `shape + lam.shape` (trailing, TF's RandomPoissonV2) or
    of shape `shape` with lam broadcast to it (StatelessRandomPoisson)."""
    rate = lam.astype(jnp.float64 if lam.dtype == jnp.float64 else jnp.float32)
    out_shape = tuple(shape) + lam.shape if trailing else tuple(shape)
    out = jax.random.poisson(seed_key(seed), rate, shape=out_shape, dtype=jnp.int64)
    return out.astype(dtype)


@defop("random_binomial", effect="rng")
def random_binomial(seed, counts, probs, *, shape, dtype):
    """Binomial(counts, probs) of shape `shape` (counts and probs broadcast to it)."""
    ftype = jnp.float64 if jnp.float64 in (counts.dtype, probs.dtype) else jnp.float32
    counts = jnp.broadcast_to(counts.astype(ftype), shape)
    probs = jnp.broadcast_to(probs.astype(ftype), shape)
    out = jax.random.binomial(seed_key(seed), counts, probs, shape=tuple(shape), dtype=ftype)
    return out.astype(dtype)


@defop("random_parameterized_truncated_normal", effect="rng")
def random_parameterized_truncated_normal(seed, means, stddevs, minvals, maxvals, *, shape, dtype):
    """Normal(means, stddevs) restricted to [minvals, maxvals], all broadcast to `shape`."""
    dtype = jnp.dtype(dtype)
    lower = (minvals - means) / stddevs
    upper = (maxvals - means) / stddevs
    z = jax.random.truncated_normal(seed_key(seed), lower, upper, shape, dtype=dtype)
    return z * stddevs + means


@defop("random_fold_in", effect="rng")
def random_fold_in(seed, data):
    """A new stateless seed [random word in data's dtype, data] (TF's stateless_fold_in)."""
    dtype = jnp.dtype(data.dtype)
    word = random_uniform_full_int(seed, shape=(), dtype=dtype.name)
    return jnp.stack([word, data])


@defop("random_seed_pairs")
def random_seed_pairs(keys):
    """Generator.make_seeds' [2, count] layout: the keys over a row of zeros."""
    return jnp.stack([keys, jnp.zeros_like(keys)])


@defop("rng_skip", effect="state")
def rng_skip(state, delta):
    """A Generator step: (seed vector for this draw, state advanced by 256 * delta).

    `state` is TF's layout, int64 [counter words..., key]; the counter is one unsigned number
    over the counter words (carry included). The seed vector is the old state with a tag in
    front, so it never equals a seed vector the global-seed path makes."""
    state = state.astype(jnp.int64)
    seed = jnp.concatenate([jnp.full((1,), -2, jnp.int64), state])
    u = lax.bitcast_convert_type(state, jnp.uint64)
    step = delta.astype(jnp.uint64) * jnp.uint64(256)
    low = u[0] + step
    parts = [low[None]]
    if state.shape[0] > 2:
        carry = (low < u[0]).astype(jnp.uint64)
        parts.append((u[1] + carry)[None])
        parts.append(u[2:])
    else:
        parts.append(u[1:])
    new = lax.bitcast_convert_type(jnp.concatenate(parts), jnp.int64)
    return seed, new
