"""tf.random with TensorFlow's seed rules: a global seed (set_seed), op seeds, Generators and
stateless ops.

Seeds, as TF defines them (docs of tf.random.set_seed):
1. no global seed, no op seed: every call draws fresh, nondeterministic values;
2. global seed, no op seed: op seeds come from a Python `random.Random(global_seed)` (TF's
   `internal_operation_seed`), so the sequence of random ops after `set_seed(s)` is
   reproducible and `set_seed(s)` again restarts it;
3. op seed, no global seed: the global seed is TF's DEFAULT_GRAPH_SEED (87654321);
4. both: deterministic. Calling the same op with the same seeds again gives new values (TF's
   eager kernel cache keeps a stateful kernel per (op, dtype, seeds)); `set_seed` resets that.

Mapping onto JAX: each call turns its (global seed, op seed, call count) into a small int64
*seed vector* that is an ordinary input of a pure op (`effect="rng"`, compiler/ops/random.py);
the op hashes the vector into a threefry key. The op stays a pure function in the table and
can be traced. Stateless ops pass their `seed` argument as the vector; a Generator's state
variable (TF's layout: int64 [counter..., key]) supplies it and advances by 256 per sample,
as TF's RngReadAndSkip does, so `Generator.state` reads as TF's would.

Vectors of the different sources never coincide: global-seed path [seed1, seed2, count]
(seed1 >= 0; count < 0 for drawn op seeds), nondeterministic [-1, base, n], Generator
[-2, state...], stateless [s0, s1].

The numbers are JAX's (threefry), not TF's (Philox): shapes, dtypes, ranges, distributions,
determinism and errors follow TF; the values do not.
"""
from __future__ import annotations

import enum
import math
import random as _pyrandom
import secrets

import numpy as np

import jax

from compiler import OpInputError, TensorType, bind, current_builder
from compiler.ops import checks
from tfx_lite.framework import dtypes, errors
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.op_call import invalid_argument, kernel_type_name
from tfx_lite.framework.tensor import EagerTensor, SymbolicTensor, Tensor, wrap
from tfx_lite.framework.tensor_shape import TensorShape
from tfx_lite.ops.static_args import static_value

__all__ = [
    "Algorithm", "Generator", "categorical", "create_rng_state", "fold_in", "gamma",
    "get_global_generator", "normal", "poisson", "set_global_generator", "set_seed", "shuffle",
    "split", "stateless_binomial", "stateless_categorical", "stateless_gamma", "stateless_normal",
    "stateless_parameterized_truncated_normal", "stateless_poisson", "stateless_truncated_normal",
    "stateless_uniform", "truncated_normal", "uniform",
]

DEFAULT_GRAPH_SEED = 87654321
_MAXINT32 = 2 ** 31 - 1


# --------------------------------------------------------------------------- seeds

class _SeedState:
    """The global seed and everything `set_seed` resets."""

    def __init__(self):
        self.global_seed = None
        self.rng = None            # random.Random(global_seed): TF's source of op seeds
        self.counters = {}         # (kernel, seed1, seed2) -> calls so far (TF's kernel state)
        self.draws = 0             # op seeds drawn from `rng` since set_seed
        self.nondet_base = secrets.randbits(62)
        self.nondet_count = 0


_SEEDS = _SeedState()


def set_seed(seed):
    """tf.random.set_seed: set the global seed and restart the sequence of op seeds."""
    _SEEDS.global_seed = seed
    if seed is None:
        _SEEDS.rng = None
    else:
        try:
            hash(seed)
        except TypeError:  # tensors, numpy arrays
            seed = int(np.array(seed))
        _SEEDS.rng = _pyrandom.Random(seed)
    _SEEDS.counters.clear()
    _SEEDS.draws = 0


def _truncate_seed(seed) -> int:
    if isinstance(seed, Tensor) or hasattr(seed, "__tf_tensor__"):
        seed = int(static_value(seed, "seed"))
    return int(seed % _MAXINT32)


def get_seed(op_seed):
    """TF's `random_seed.get_seed`: the (seed1, seed2) pair an op runs with, (None, None) when
    nondeterministic. Drawing an op seed advances the global sequence."""
    global_seed = _SEEDS.global_seed
    if global_seed is not None:
        if op_seed is None:
            op_seed = _SEEDS.rng.randint(0, _MAXINT32)
        seeds = _truncate_seed(global_seed), _truncate_seed(op_seed)
    elif op_seed is not None:
        seeds = DEFAULT_GRAPH_SEED, _truncate_seed(op_seed)
    else:
        seeds = None, None
    if seeds == (0, 0):  # TF's kernels read (0, 0) as "nondeterministic"
        return 0, _MAXINT32
    return seeds


class _TracedCounter:
    """The call count of one random op inside a traced function: graph state that the function
    reads as a captured input and writes back after each call (like a variable), so every call
    of the compiled function draws new numbers, as TF's stateful kernels do."""

    def __init__(self):
        self._array = jax.numpy.zeros((), np.int64)
        self._exposed = False


def _traced_seed_vector(builder, seed1, seed2):
    counter = _TracedCounter()
    count = builder.capture(counter, TensorType((), np.int64), "rng_counter")
    builder.write(counter, bind("add", count, np.int64(1)))
    stepped = bind("mul", count, np.array([0, 0, 1], np.int64))
    return bind("add", stepped, np.array([seed1, seed2, 0], np.int64))


def _op_seed_vector(kernel, op_seed):
    """The seed vector of one stateful-op call (see the module docstring): a numpy array, or
    while tracing a graph value fed by a per-op call counter."""
    builder = current_builder()
    if builder is not None:
        if _SEEDS.global_seed is None and op_seed is None:
            return _traced_seed_vector(builder, -1, _SEEDS.nondet_base)
        seed1, seed2 = get_seed(op_seed)  # drawn once, at trace time, as in TF
        return _traced_seed_vector(builder, seed1, seed2)
    if _SEEDS.global_seed is None and op_seed is None:
        _SEEDS.nondet_count += 1
        return np.array([-1, _SEEDS.nondet_base, _SEEDS.nondet_count], np.int64)
    drawn = op_seed is None
    seed1, seed2 = get_seed(op_seed)
    if drawn:
        # A fresh op seed each call: its kernel is never reused, so no counter is kept.
        _SEEDS.draws += 1
        return np.array([seed1, seed2, -_SEEDS.draws], np.int64)
    key = (kernel, seed1, seed2)
    count = _SEEDS.counters.get(key, 0)
    _SEEDS.counters[key] = count + 1
    return np.array([seed1, seed2, count], np.int64)


# --------------------------------------------------------------------------- helpers

def _run(tf_name, op, seed, *tensors, **attrs):
    """bind `op` on a seed vector (numpy array or Tensor) and Tensors; TF's error types."""
    seed = seed._value if isinstance(seed, Tensor) else seed
    try:
        return wrap(bind(op, seed, *[t._value for t in tensors], **attrs))
    except OpInputError as err:
        raise invalid_argument(err.message, tf_name) from None


def _shape(shape, tf_name) -> tuple:
    """A shape argument (list, tuple, TensorShape, int tensor) as a tuple of ints, with TF's
    checks: an int32/int64 vector of dimensions >= 0."""
    if isinstance(shape, TensorShape):
        if not shape.is_fully_defined():
            raise ValueError(f"Cannot convert a partially known TensorShape {shape} to a Tensor.")
        dims = tuple(shape.as_list())
    elif type(shape) in (list, tuple) and all(type(d) is int for d in shape):
        dims = tuple(shape)
    elif isinstance(shape, (list, tuple)) and shape and all(_is_int_scalar(d) for d in shape):
        dims = tuple(int(d) for d in shape)
    else:
        if isinstance(shape, (list, tuple)):
            shape = [getattr(d, "value", d) if type(d).__name__ == "Dimension" else d for d in shape]
        tensor = shape if isinstance(shape, Tensor) else convert_to_tensor(shape)
        if tensor.dtype not in (dtypes.int32, dtypes.int64):
            raise invalid_argument(f"Value for attr 'T' of {kernel_type_name(tensor.dtype)} is not "
                                   "in the list of allowed values: int32, int64")
        if tensor.ndim != 1:
            raise invalid_argument(f"shape must be a vector of {{int32,int64}}, got shape "
                                   f"{checks.dims(tensor.shape)}", tf_name)
        dims = tuple(int(d) for d in static_value(tensor, "shape"))
    for d in dims:
        if d < 0:
            raise invalid_argument(f"Dimension {d} must be >= 0", tf_name)
    return dims


def _is_int_scalar(d) -> bool:
    if isinstance(d, (int, np.integer)) and not isinstance(d, (bool, np.bool_)):
        return True
    return isinstance(d, EagerTensor) and d.ndim == 0 and d.dtype in (dtypes.int32, dtypes.int64)


def _check_dtype(dtype, accepted):
    if dtype not in accepted:
        raise ValueError(f"Argument `dtype` got invalid value {dtype}. Accepted dtypes are "
                         f"{accepted}.")


_FLOATS = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64)
_UNIFORM_DTYPES = _FLOATS + (dtypes.int32, dtypes.int64)
_STATELESS_UNIFORM_DTYPES = _UNIFORM_DTYPES + (dtypes.uint32, dtypes.uint64)
_FULL_INT_DTYPES = (dtypes.int32, dtypes.int64, dtypes.uint32, dtypes.uint64)


def _require_float(dtype, value):
    """Normal-type ops take only floating dtypes; TF fails converting the default mean first."""
    if dtype.is_floating:
        return
    if isinstance(value, float) or dtype.is_bool or dtype is dtypes.string:
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dtype.name}")
    raise invalid_argument(f"Value for attr 'dtype' of {dtype.name} is not in the list of allowed "
                           "values: half, bfloat16, float, double")


def _param(value, dtype) -> Tensor:
    """A distribution parameter (mean, minval, ...) converted strictly to `dtype`."""
    return convert_to_tensor(value, dtype=dtype)


def _check_int_range(minval, maxval, lo, hi, tf_name):
    """RandomUniformInt's checks: scalar bounds, minval < maxval (when the values are known)."""
    if lo.ndim != 0:
        raise invalid_argument(f"minval must be 0-D, got shape {checks.dims(lo.shape)}", tf_name)
    if hi.ndim != 0:
        raise invalid_argument(f"maxval must be 0-D, got shape {checks.dims(hi.shape)}", tf_name)
    if type(minval) is int and type(maxval) is int:
        low, high = minval, maxval
    elif isinstance(lo, EagerTensor) and isinstance(hi, EagerTensor):
        low, high = int(lo.numpy()), int(hi.numpy())
    else:
        return
    if low >= high:
        raise invalid_argument(f"Need minval < maxval, got {low} >= {high}", tf_name)


def _num_samples(num_samples) -> int:
    if isinstance(num_samples, SymbolicTensor):
        raise TypeError("num_samples must be known when the function is traced")
    if type(num_samples) is not int:
        num_samples = int(static_value(convert_to_tensor(num_samples, dtype=dtypes.int32)))
    if num_samples < 0:
        raise invalid_argument(f"num_samples should be non-negative, got {num_samples}",
                               "Multinomial")
    return num_samples


def _categorical_args(logits, num_samples, dtype, tf_name):
    logits = convert_to_tensor(logits)
    dtype = dtypes.as_dtype(dtype) if dtype else dtypes.int64
    _check_dtype(dtype, (dtypes.int32, dtypes.int64))
    if not logits.dtype.is_floating:
        raise errors.NotFoundError(
            None, None, f"Could not find device for node: {{{{node {tf_name}}}}} = {tf_name}"
            f"[T=DT_{logits.dtype.name.upper()}, output_dtype=DT_{dtype.name.upper()}]")
    if logits.ndim != 2:
        raise invalid_argument(f"logits should be a matrix, got shape {checks.dims(logits.shape)}",
                               tf_name)
    if logits.shape[1] == 0:
        raise invalid_argument("num_classes should be positive, got 0", tf_name)
    return logits, _num_samples(num_samples), dtype


# --------------------------------------------------------------------------- stateful ops

def uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    """tf.random.uniform: floats in [minval, maxval) (default [0, 1)); integers need maxval."""
    dtype = dtypes.as_dtype(dtype)
    _check_dtype(dtype, _UNIFORM_DTYPES)
    is_int = dtype.is_integer
    if maxval is None:
        if is_int:
            raise ValueError("Must specify maxval for integer dtype %r" % dtype)
        maxval = 1
    tf_name = "RandomUniformInt" if is_int else "RandomUniform"
    dims = _shape(shape, tf_name)
    lo, hi = _param(minval, dtype), _param(maxval, dtype)
    vector = _op_seed_vector((tf_name, dtype.name), seed)
    if is_int:
        _check_int_range(minval, maxval, lo, hi, tf_name)
    return _run(tf_name, "random_uniform", vector, lo, hi, shape=dims, dtype=dtype.name)


def normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """tf.random.normal."""
    dtype = dtypes.as_dtype(dtype)
    _require_float(dtype, mean)
    dims = _shape(shape, "RandomStandardNormal")
    mean, stddev = _param(mean, dtype), _param(stddev, dtype)
    vector = _op_seed_vector(("RandomStandardNormal", dtype.name), seed)
    return _run("AddV2", "random_normal", vector, mean, stddev, shape=dims, dtype=dtype.name)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """tf.random.truncated_normal: normal values within 2 standard deviations of the mean."""
    dtype = dtypes.as_dtype(dtype)
    _require_float(dtype, mean)
    dims = _shape(shape, "TruncatedNormal")
    mean, stddev = _param(mean, dtype), _param(stddev, dtype)
    vector = _op_seed_vector(("TruncatedNormal", dtype.name), seed)
    return _run("AddV2", "random_truncated_normal", vector, mean, stddev, shape=dims,
                dtype=dtype.name)


def categorical(logits, num_samples, dtype=None, seed=None, name=None):
    """tf.random.categorical: [batch, num_samples] class indices (int64 unless `dtype`)."""
    logits, num_samples, dtype = _categorical_args(logits, num_samples, dtype, "Multinomial")
    vector = _op_seed_vector(("Multinomial", logits.dtype.name, dtype.name), seed)
    return _run("Multinomial", "random_categorical", vector, logits, num_samples=num_samples,
                dtype=dtype.name)


def shuffle(value, seed=None, name=None):
    """tf.random.shuffle: `value` with its first dimension randomly permuted."""
    value = convert_to_tensor(value)
    vector = _op_seed_vector(("RandomShuffle", value.dtype.name), seed)
    return _run("RandomShuffle", "random_shuffle", vector, value)


def _gamma_args(shape, alpha, beta, dtype):
    dtype = dtypes.as_dtype(dtype)
    if not dtype.is_floating:
        raise ValueError(f"data type {dtype.as_numpy_dtype!r} not inexact")
    dims = _shape(shape if isinstance(shape, (Tensor, TensorShape)) else
                  convert_to_tensor(shape, dtype=dtypes.int32), "RandomGamma")
    alpha = _param(alpha, dtype)
    beta = _param(1 if beta is None else beta, dtype)
    try:
        np.broadcast_shapes(tuple(alpha.shape), tuple(beta.shape))
    except ValueError:
        raise invalid_argument(f"Incompatible shapes: {checks.dims(alpha.shape)} vs. "
                               f"{checks.dims(beta.shape)}", "BroadcastArgs") from None
    return dims, alpha, beta, dtype


def gamma(shape, alpha, beta=None, dtype=dtypes.float32, seed=None, name=None):
    """tf.random.gamma: samples of shape `shape + broadcast(alpha, beta).shape` (beta: rate)."""
    dims, alpha, beta, dtype = _gamma_args(shape, alpha, beta, dtype)
    vector = _op_seed_vector(("RandomGamma", dtype.name), seed)
    return _run("RandomGamma", "random_gamma", vector, alpha, beta, shape=dims, dtype=dtype.name)


_POISSON_DTYPES = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64)


def _poisson_args(shape, lam, dtype):
    dtype = dtypes.as_dtype(dtype)
    if dtype not in _POISSON_DTYPES:
        raise invalid_argument(f"Value for attr 'dtype' of {dtype.name} is not in the list of "
                               "allowed values: half, float, double, int32, int64")
    lam = convert_to_tensor(lam)
    if not (lam.dtype.is_floating or lam.dtype in (dtypes.int32, dtypes.int64)):
        raise invalid_argument(f"Value for attr 'R' of {kernel_type_name(lam.dtype)} is not in the "
                               "list of allowed values: half, float, double, int32, int64")
    return _shape(shape, "RandomPoissonV2"), lam, dtype


def poisson(shape, lam, dtype=dtypes.float32, seed=None, name=None):
    """tf.random.poisson: samples of shape `shape + lam.shape`."""
    dims, lam, dtype = _poisson_args(shape, lam, dtype)
    vector = _op_seed_vector(("RandomPoissonV2", lam.dtype.name, dtype.name), seed)
    return _run("RandomPoissonV2", "random_poisson", vector, lam, shape=dims, dtype=dtype.name)


# --------------------------------------------------------------------------- stateless ops

def _stateless_seed(seed, tf_name="StatelessRandomGetKeyCounter"):
    """A stateless op's `seed`: an int32/int64 tensor of shape [2]."""
    if type(seed) in (list, tuple) and len(seed) == 2 and all(type(s) is int for s in seed):
        try:
            return np.array(seed, np.int64)
        except OverflowError:
            pass
    tensor = convert_to_tensor(seed)
    if tensor.dtype not in (dtypes.int32, dtypes.int64):
        raise invalid_argument(f"Value for attr 'Tseed' of {kernel_type_name(tensor.dtype)} is not "
                               "in the list of allowed values: int32, int64")
    if tuple(tensor.shape) != (2,):
        raise invalid_argument(f"seed must have shape [2], not {checks.dims(tensor.shape)}",
                               tf_name)
    return tensor


def stateless_uniform(shape, seed, minval=0, maxval=None, dtype=dtypes.float32, name=None,
                      alg="auto_select"):
    """tf.random.stateless_uniform: the same `seed` always gives the same values."""
    dtype = dtypes.as_dtype(dtype)
    _check_dtype(dtype, _STATELESS_UNIFORM_DTYPES)
    if dtype.is_integer:
        if (minval is None) != (maxval is None):
            raise ValueError(f"For integer `dtype` argument {dtype}, argument `minval` and "
                             f"`maxval` must be both None or not None. Got `minval`={minval} and "
                             f"`maxval`={maxval}.")
        if minval is not None and dtype in (dtypes.uint32, dtypes.uint64):
            raise ValueError(f"Argument `dtype` got invalid value {dtype} when argument `minval` "
                             "is not None. Please don't use unsigned integers in this case.")
    elif maxval is None:
        maxval = 1
    _alg_to_int(alg)
    if dtype.is_integer and minval is None:
        dims = _shape(shape, "StatelessRandomUniformFullIntV2")
        return _run("StatelessRandomUniformFullIntV2", "random_uniform_full_int",
                    _stateless_seed(seed), shape=dims, dtype=dtype.name)
    tf_name = "StatelessRandomUniformIntV2" if dtype.is_integer else "StatelessRandomUniformV2"
    dims = _shape(shape, tf_name)
    lo, hi = _param(minval, dtype), _param(maxval, dtype)
    vector = _stateless_seed(seed)
    if dtype.is_integer:
        _check_int_range(minval, maxval, lo, hi, tf_name)
    return _run(tf_name if dtype.is_integer else "AddV2", "random_uniform", vector, lo, hi,
                shape=dims, dtype=dtype.name)


def stateless_normal(shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None,
                     alg="auto_select"):
    """tf.random.stateless_normal."""
    dtype = dtypes.as_dtype(dtype)
    _require_float(dtype, mean)
    dims = _shape(shape, "StatelessRandomNormalV2")
    mean, stddev = _param(mean, dtype), _param(stddev, dtype)
    _alg_to_int(alg)
    return _run("AddV2", "random_normal", _stateless_seed(seed), mean, stddev, shape=dims,
                dtype=dtype.name)


def stateless_truncated_normal(shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32,
                               name=None, alg="auto_select"):
    """tf.random.stateless_truncated_normal."""
    dtype = dtypes.as_dtype(dtype)
    _require_float(dtype, mean)
    dims = _shape(shape, "StatelessTruncatedNormalV2")
    mean, stddev = _param(mean, dtype), _param(stddev, dtype)
    _alg_to_int(alg)
    return _run("AddV2", "random_truncated_normal", _stateless_seed(seed), mean, stddev,
                shape=dims, dtype=dtype.name)


def stateless_categorical(logits, num_samples, seed, dtype=dtypes.int64, name=None):
    """tf.random.stateless_categorical."""
    logits, num_samples, dtype = _categorical_args(logits, num_samples, dtype,
                                                   "StatelessMultinomial")
    return _run("StatelessMultinomial", "random_categorical", _stateless_seed(seed), logits,
                num_samples=num_samples, dtype=dtype.name)


def stateless_gamma(shape, seed, alpha, beta=None, dtype=dtypes.float32, name=None):
    """tf.random.stateless_gamma."""
    dims, alpha, beta, dtype = _gamma_args(shape, alpha, beta, dtype)
    return _run("StatelessRandomGammaV3", "random_gamma", _stateless_seed(seed), alpha, beta,
                shape=dims, dtype=dtype.name, trailing=False)


def stateless_poisson(shape, seed, lam, dtype=dtypes.int32, name=None):
    """tf.random.stateless_poisson: samples of shape `shape` (lam broadcast to it)."""
    dims, lam, dtype = _poisson_args(shape, lam, dtype)
    vector = _stateless_seed(seed)
    return _run("StatelessRandomPoisson", "random_poisson", vector, lam, shape=dims,
                dtype=dtype.name, trailing=False)


def stateless_binomial(shape, seed, counts, probs, output_dtype=dtypes.int32, name=None):
    """tf.random.stateless_binomial: samples of shape `shape` (counts, probs broadcast to it)."""
    dims = _shape(shape, "StatelessRandomBinomial")
    probs = convert_to_tensor(probs, dtype_hint=dtypes.float32)
    counts = convert_to_tensor(counts, dtype_hint=probs.dtype)
    output_dtype = dtypes.as_dtype(output_dtype)
    return _run("StatelessRandomBinomial", "random_binomial", _stateless_seed(seed), counts, probs,
                shape=dims, dtype=output_dtype.name)


def stateless_parameterized_truncated_normal(shape, seed, means=0.0, stddevs=1.0, minvals=-2.0,
                                             maxvals=2.0, name=None):
    """tf.random.stateless_parameterized_truncated_normal: normal(means, stddevs) restricted to
    [minvals, maxvals], all broadcast to `shape`."""
    dims = _shape(shape, "StatelessParameterizedTruncatedNormal")
    means = convert_to_tensor(means)
    params = [means] + [convert_to_tensor(v, dtype=means.dtype) for v in (stddevs, minvals, maxvals)]
    if not means.dtype.is_floating:
        raise invalid_argument(f"Value for attr 'dtype' of {means.dtype.name} is not in the list "
                               "of allowed values: half, float, double")
    return _run("StatelessParameterizedTruncatedNormal", "random_parameterized_truncated_normal",
                _stateless_seed(seed), *params, shape=dims, dtype=means.dtype.name)


def split(seed, num=2, alg="auto_select"):
    """tf.random.split (experimental.stateless_split): `num` new [2] seeds from one, as [num, 2]."""
    seed = convert_to_tensor(seed)
    return stateless_uniform([num, 2], seed=seed, dtype=seed.dtype, minval=None, maxval=None,
                             alg=alg)


def fold_in(seed, data, alg="auto_select"):
    """tf.random.fold_in (experimental.stateless_fold_in): a new [2] seed from `seed` and `data`."""
    data = convert_to_tensor(data)
    vector = _stateless_seed(seed)
    _alg_to_int(alg)
    return _run("StatelessRandomUniformFullIntV2", "random_fold_in", vector, data)


def stateless_shuffle(value, seed, alg="auto_select", name=None):
    """tf.random.experimental.stateless_shuffle."""
    value = convert_to_tensor(value)
    _alg_to_int(alg)
    return _run("StatelessShuffle", "random_shuffle", _stateless_seed(seed), value)


# --------------------------------------------------------------------------- Generator

class Algorithm(enum.Enum):
    """tf.random.Algorithm. Our numbers always come from JAX's threefry; the algorithm only sets
    the state layout (PHILOX/AUTO_SELECT: 3 int64 words, THREEFRY: 2)."""
    PHILOX = 1
    THREEFRY = 2
    AUTO_SELECT = 3


_SEED_MAX = 2 ** 63 - 1


def _unsupported_alg(alg) -> str:
    if isinstance(alg, int):
        names = (1, 2, 3)
    elif isinstance(alg, str):
        names = ("philox", "threefry", "auto_select")
    else:
        names = (Algorithm.PHILOX, Algorithm.THREEFRY, Algorithm.AUTO_SELECT)
    return (f"Argument `alg` got unsupported value {alg}. Supported values are {names[0]} for the "
            f"Philox algorithm, {names[1]} for the ThreeFry algorithm, and {names[2]} for "
            "auto-selection.")


def _alg_to_int(alg) -> int:
    if isinstance(alg, Algorithm):
        return alg.value
    if isinstance(alg, int):
        return alg
    if isinstance(alg, Tensor):
        return int(static_value(alg, "alg"))
    if isinstance(alg, str):
        canon = alg.strip().lower().replace("-", "").replace("_", "")
        values = {"philox": 1, "threefry": 2, "autoselect": 3}
        if canon in values:
            return values[canon]
        raise ValueError(_unsupported_alg(alg))
    raise TypeError(f"Can't convert argument `alg` (of value {alg} and type {type(alg)}) to int.")


def _state_size(alg: int) -> int:
    if alg in (1, 3):
        return 3
    if alg == 2:
        return 2
    raise ValueError(_unsupported_alg(alg))


def _uint_to_int(n):
    if isinstance(n, int) and n > _SEED_MAX:
        n -= 2 ** 64
    return n


def _to_int_nested(x):
    if isinstance(x, (list, tuple)):
        return [_to_int_nested(v) for v in x]
    return _uint_to_int(x)


def _state_array(value) -> np.ndarray:
    """A state/seed value as int64 numpy (Python ints above 2**63 wrap, as TF's do)."""
    if isinstance(value, Tensor) or hasattr(value, "__tf_tensor__"):
        return np.asarray(static_value(value, "state")).astype(np.int64)
    return np.asarray(_to_int_nested(value)).astype(np.int64)


def _make_1d_state(size: int, seed) -> np.ndarray:
    if isinstance(seed, int) and not isinstance(seed, bool):
        words = []
        for _ in range(size):
            words.append(seed & (2 ** 64 - 1))
            seed >>= 64
        seed = words
    seed = _state_array(seed).reshape(-1)[:size]
    return np.concatenate([np.zeros(size - seed.shape[0], np.int64), seed])


def create_rng_state(seed, alg):
    """tf.random.create_rng_state: a Generator state (int64 vector) from an int or a vector."""
    alg = _alg_to_int(alg)
    return convert_to_tensor(_make_1d_state(_state_size(alg), seed))


def _check_state_shape(shape, alg):
    size = _state_size(alg)
    if tuple(shape) != (size,):
        raise ValueError(f"Shapes {TensorShape(shape)} and [{size}] are incompatible")


class Generator:
    """tf.random.Generator: random numbers from a state variable (int64, TF's layout) that every
    call reads and advances; same state, same numbers."""

    @classmethod
    def from_state(cls, state, alg):
        return cls(state=state, alg=alg)

    @classmethod
    def from_seed(cls, seed, alg=None):
        alg = _alg_to_int(Algorithm.PHILOX if alg is None else alg)
        return cls(state=_make_1d_state(_state_size(alg), seed), alg=alg)

    @classmethod
    def from_non_deterministic_state(cls, alg=None):
        alg = _alg_to_int(Algorithm.PHILOX if alg is None else alg)
        words = [_uint_to_int(secrets.randbits(64)) for _ in range(_state_size(alg))]
        return cls(state=np.array(words, np.int64), alg=alg)

    @classmethod
    def from_key_counter(cls, key, counter, alg):
        alg = _alg_to_int(alg)
        return cls(state=_key_counter_state(key, counter, alg), alg=alg)

    def __init__(self, copy_from=None, state=None, alg=None):
        from tfx_lite.variables import Variable
        if copy_from is not None:
            assert (alg or state) is None
            self._state_var = self._create_variable(copy_from.state.read_value())
            self._alg = copy_from.algorithm
            return
        assert alg is not None and state is not None
        alg = _alg_to_int(alg)
        if isinstance(state, Variable):
            _check_state_shape(state.shape, alg)
            self._state_var = state
        else:
            state = _state_array(state)
            _check_state_shape(state.shape, alg)
            self._state_var = self._create_variable(state)
        self._alg = alg

    @staticmethod
    def _create_variable(value):
        from tfx_lite.variables import Variable
        return Variable(value, dtype=dtypes.int64, trainable=False, name="StateVar")

    # --- state ---
    @property
    def state(self):
        return self._state_var

    @property
    def algorithm(self) -> int:
        return self._alg

    @property
    def key(self):
        return convert_to_tensor(self._state_var.numpy()[-1])

    def reset(self, state):
        state = _state_array(state)
        _check_state_shape(state.shape, self._alg)
        self._state_var.assign(state)

    def reset_from_seed(self, seed):
        self._state_var.assign(_make_1d_state(_state_size(self._alg), seed))

    def reset_from_key_counter(self, key, counter):
        self._state_var.assign(_key_counter_state(key, counter, self._alg))

    def _advance(self, count: int):
        """The seed vector for a draw of `count` samples; moves the state on by 256 * count."""
        state = self._state_var.read_value()
        vector, new_state = bind("rng_skip", state._value, np.int64(count))
        self._state_var.assign(wrap(new_state), read_value=False)
        return vector

    def skip(self, delta):
        """Advance the state as `normal([delta])` would; returns the state before."""
        old = self._state_var.read_value()
        self._advance(int(static_value(delta, "delta")))
        return old

    # --- sampling ---
    def uniform(self, shape, minval=0, maxval=None, dtype=dtypes.float32, name=None):
        dtype = dtypes.as_dtype(dtype)
        if dtype.is_integer:
            if (minval is None) != (maxval is None):
                raise ValueError(f"For integer dtype {dtype}, minval and maxval must be both "
                                 f"`None` or both non-`None`; got minval={minval} and "
                                 f"maxval={maxval}")
        elif maxval is None:
            maxval = 1
        if dtype.is_integer and minval is None:
            return self.uniform_full_int(shape, dtype)
        if dtype.is_bool or dtype is dtypes.string or dtype.is_complex:
            raise TypeError(f"Cannot convert {minval!r} to EagerTensor of dtype {dtype.name}")
        tf_name = "StatelessRandomUniformIntV2" if dtype.is_integer else "StatelessRandomUniformV2"
        dims = _shape(shape, tf_name)
        lo, hi = _param(minval, dtype), _param(maxval, dtype)
        if dtype.is_integer:
            if dtype not in _FULL_INT_DTYPES:
                raise invalid_argument(f"Value for attr 'dtype' of {dtype.name} is not in the list "
                                       "of allowed values: int32, int64, uint32, uint64")
            _check_int_range(minval, maxval, lo, hi, tf_name)
        vector = self._advance(math.prod(dims))
        return _run(tf_name if dtype.is_integer else "AddV2", "random_uniform", vector, lo, hi,
                    shape=dims, dtype=dtype.name)

    def uniform_full_int(self, shape, dtype=dtypes.uint64, name=None):
        dtype = dtypes.as_dtype(dtype)
        if dtype not in _FULL_INT_DTYPES:
            raise invalid_argument(f"Value for attr 'dtype' of {kernel_type_name(dtype)} is not in "
                                   "the list of allowed values: int32, int64, uint32, uint64")
        dims = _shape(shape, "StatelessRandomUniformFullIntV2")
        vector = self._advance(math.prod(dims))
        return _run("StatelessRandomUniformFullIntV2", "random_uniform_full_int", vector,
                    shape=dims, dtype=dtype.name)

    def normal(self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None):
        dtype = dtypes.as_dtype(dtype)
        _require_float(dtype, mean)
        dims = _shape(shape, "StatelessRandomNormalV2")
        mean, stddev = _param(mean, dtype), _param(stddev, dtype)
        vector = self._advance(math.prod(dims))
        return _run("AddV2", "random_normal", vector, mean, stddev, shape=dims, dtype=dtype.name)

    def truncated_normal(self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None):
        dtype = dtypes.as_dtype(dtype)
        _require_float(dtype, mean)
        dims = _shape(shape, "StatelessTruncatedNormalV2")
        mean, stddev = _param(mean, dtype), _param(stddev, dtype)
        vector = self._advance(math.prod(dims))
        return _run("AddV2", "random_truncated_normal", vector, mean, stddev, shape=dims,
                    dtype=dtype.name)

    def binomial(self, shape, counts, probs, dtype=dtypes.int32, name=None):
        dtype = dtypes.as_dtype(dtype)
        counts, probs = convert_to_tensor(counts), convert_to_tensor(probs)
        dims = _shape(shape, "StatefulRandomBinomial")
        vector = self._advance(math.prod(dims))
        return _run("StatefulRandomBinomial", "random_binomial", vector, counts, probs,
                    shape=dims, dtype=dtype.name)

    def _make_int64_keys(self, count):
        return self.uniform_full_int([count], dtype=dtypes.int64)

    def make_seeds(self, count=1):
        """[2, count] int64 seeds for stateless ops (row 1 is zeros, as in TF)."""
        keys = self._make_int64_keys(count)
        return _run("Pack", "random_seed_pairs", keys)

    def split(self, count=1):
        """`count` new, independent Generators (this one advances)."""
        keys = self._make_int64_keys(count).numpy()
        size = _state_size(self._alg)
        return [Generator(state=np.array([0] * (size - 1) + [int(k)], np.int64), alg=self._alg)
                for k in keys]


def _key_counter_state(key, counter, alg) -> np.ndarray:
    counter = _state_array(counter).reshape(-1)
    key = _state_array(key)
    size = _state_size(alg)
    if counter.shape != (size - 1,):
        raise ValueError(f"Shapes {TensorShape(counter.shape)} and [{size - 1}] are incompatible")
    if key.shape != ():
        raise ValueError(f"Shapes {TensorShape(key.shape)} and [] are incompatible")
    return np.concatenate([counter, key.reshape(1)])


_GLOBAL_GENERATOR = [None]


def get_global_generator():
    """tf.random.get_global_generator: created from a nondeterministic state on first use
    (tf.random.set_seed does not affect it, as in TF)."""
    if _GLOBAL_GENERATOR[0] is None:
        _GLOBAL_GENERATOR[0] = Generator.from_non_deterministic_state()
    return _GLOBAL_GENERATOR[0]


def set_global_generator(generator):
    """tf.random.set_global_generator."""
    _GLOBAL_GENERATOR[0] = generator
