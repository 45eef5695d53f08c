"""The gradient of every differentiable op in the op table, through tf.GradientTape.

Table-driven from `OPS` of tests/compiler/test_text_roundtrip.py (one example call per op). An op
is checked when its example (or its float variant, `FLOAT_VARIANTS`) has a floating input and a
floating output and no effect. Each is checked twice:

1. `test_tape_gradient_matches_jax_grad`: the op runs eagerly (`compiler.bind`) under a tape
   watching its float inputs; `tape.gradient(sum of reduce_sum of each float output, inputs)`
   must equal `jax.grad` of the same sum of the op's implementation (the tape's recording, its
   gradient graph, attributes and multi-output handling), up to float rounding.
2. `test_gradient_matches_finite_differences`: `jax.grad` of the implementation against central
   finite differences in float64 along random directions (the implementation differentiates
   correctly where it is differentiable). Inputs are drawn inside each op's domain and away from
   kinks, ties and jumps, so piecewise ops (floor, round, sign, relu, max, sort, top_k, ...) are
   checked too: their directional derivatives are those of the piece the input lies on.

`test_non_float_outputs_carry_no_gradient`: through an integer or bool output (argmax, in_top_k,
the permutation of lu, the argmax of max_pool_with_argmax, the indices of top_k, ...) and through
stop_gradient, the gradient with respect to the op's float inputs is None.

Counts (last run, 273 ops in OPS):
- checked: 210 ops, each against jax.grad and against finite differences (all in float64):
  183 examples of OPS (143 of them re-typed from float16/float32 to float64; qr with
  full_matrices=False and while_loop bounded, OVERRIDES), and 27 float variants of examples with
  only integer or complex inputs (FLOAT_VARIANTS: pow, minimum, sort, cumprod, segment_max, ...).
  All pass (XFAIL lists any op whose gradient is known to fail: none now).
- non-float outputs giving None: 25 (every integer/bool output of an op of OPS with a float
  input, and stop_gradient).
- skipped: 12 ops, in both tests: 6 random ops (effect "rng": no gradient with respect to a
  seed), 6 complex ops (angle, conj, eig, eigvals, imag, real: complex gradients follow a
  convention of their own; the float variants of divide_no_nan, squared_difference,
  matrix_transpose and reduce_euclidean_norm are checked).
- not differentiable, so not listed: the other 50 ops of OPS without a float input and a float
  output (comparisons, bitwise and logical ops, shapes, argmax, random integer ops, ...).
- Operands an op declares without gradient (betainc's a and b, polygamma's n, zeta's x: TF has
  none) are held constant; the tape gives None for them (test_no_gradient_operands_give_none).
"""
from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import tfx_lite as tf
from compiler import REGISTRY, bind
from compiler.lower import lower_attr
from compiler.ops.registry import node_types
from compiler.parser import parse_type
from tests.compiler.test_text_roundtrip import OPS
from tfx_lite.framework.tensor import wrap


def _is_float(dtype) -> bool:
    return np.issubdtype(np.dtype(dtype), np.floating)


def _is_complex(dtype) -> bool:
    return np.issubdtype(np.dtype(dtype), np.complexfloating)


def _types(text: str):
    return [parse_type(t) for t in text.split()]


# --- the cases -----------------------------------------------------------------------------------

# Ops whose example in OPS has no float input (integer or complex ones) or no float output (cast
# to int8), but which are differentiable on floats: checked on float inputs of the example's
# shapes, with the example's attributes.
FLOAT_VARIANTS = {
    "cast": (_types("f32[3,4]"), {"dtype": "float64"}),
    "cumprod": (_types("f64[4]"), {**OPS["cumprod"][1]}),
    "depth_to_space": (_types("f64[1,1,2,8]"), {**OPS["depth_to_space"][1]}),
    "divide_no_nan": (_types("f64[3] f64[3]"), {}),
    "fill": (_types("f64[]"), {**OPS["fill"][1]}),
    "floordiv": (_types("f64[15] f64[]"), {}),
    "floormod": (_types("f64[15] f64[]"), {}),
    "matrix_transpose": (_types("f64[1,2]"), {**OPS["matrix_transpose"][1]}),
    "minimum": (_types("f64[2,2,2] f64[1,2,1]"), {}),
    "pow": (_types("f64[3] f64[]"), {}),
    "reduce_euclidean_norm": (_types("f64[3]"), {}),
    "reduce_prod": (_types("f64[3,3]"), {**OPS["reduce_prod"][1]}),
    "segment_max": (_types("f64[3] i32[3]"), {**OPS["segment_max"][1]}),
    "segment_prod": (_types("f64[3] i32[3]"), {**OPS["segment_prod"][1]}),
    "sort": (_types("f64[6]"), {**OPS["sort"][1]}),
    "space_to_depth": (_types("f64[1,4,4,1]"), {**OPS["space_to_depth"][1]}),
    "squared_difference": (_types("f64[1] f64[1]"), {}),
    "strided_slice_update": (_types("f64[2,2] f64[2]"), {**OPS["strided_slice_update"][1]}),
    "tensor_diag": (_types("f64[2]"), {}),
    "tensor_diag_part": (_types("f64[2,2]"), {}),
    "tensor_scatter_nd_add": (_types("f64[4] i32[2,1] f64[2]"), {}),
    "tensor_scatter_nd_min": (_types("f64[4] i32[2,1] f64[2]"), {}),
    "tensor_scatter_nd_sub": (_types("f64[4] i32[2,1] f64[2]"), {}),
    "trace": (_types("f64[2,2]"), {}),
    "truediv": (_types("f64[3] f64[]"), {**OPS["truediv"][1]}),
    "bincount": (_types("i32[3] f64[3]"), {**OPS["bincount"][1]}),
    "zero_fraction": (_types("f64[4]"), {}),
}

# Examples changed to make them differentiable (the op's example is not).
OVERRIDES = {
    # lax.while_loop is not reverse-differentiable: a bounded loop (maximum_iterations, the last
    # input) runs as a scan of that length in the gradient graph (tfx_lite/gradient_tape.py).
    "while_loop": (list(OPS["while_loop"][0]) + _types("i32[]"), {**OPS["while_loop"][1], "bounded": True}),
    # TF and JAX define no gradient for the complete Q of a tall matrix (m > n).
    "qr": (OPS["qr"][0], {**OPS["qr"][1], "full_matrices": False}),
}

COMPLEX = ("complex inputs or outputs: the tape gives TF's convention (the conjugate of JAX's "
           "cotangents), compared with TF in test_gradient_tape.py, not with jax.grad here")
SKIP = {name: COMPLEX for name in ("angle", "conj", "eig", "eigvals", "imag", "real")}
RANDOM = "random op (effect 'rng'): no gradient with respect to its seed"


# Attributes the reference (jax.grad of the implementation) needs beyond the example's: the tape
# runs a bounded while_loop as a scan of its maximum_iterations; so must jax.grad.
REFERENCE_ATTRS = {"while_loop": {"max_iterations": 5}}

# Ops whose gradient is known to fail: op -> reason (xfail, strict).
XFAIL: dict[str, str] = {}


def _case(name):
    if name in FLOAT_VARIANTS:
        return FLOAT_VARIANTS[name]
    if name in OVERRIDES:
        return OVERRIDES[name]
    return OPS[name]


def _retyped(name, types, attrs):
    """The example's types with float16/float32 inputs as float64, when the op accepts them."""
    wide = [t.__class__(t.shape, np.float64) if _is_float(t.dtype) else t for t in types]
    if wide == list(types):
        return list(types)
    try:
        node_types(name, wide, attrs)
    except Exception:  # noqa: BLE001  (the op rejects float64: keep the example's types)
        return list(types)
    return wide


def _classify():
    checked, skipped = [], []
    for name in sorted(set(OPS) | set(FLOAT_VARIANTS)):
        if name == "stop_gradient":
            continue  # checked by test_non_float_outputs_carry_no_gradient
        types, attrs = _case(name)
        outs, _ = node_types(name, types, attrs)
        has_float = any(_is_float(t.dtype) for t in types) and any(_is_float(t.dtype) for t in outs)
        if name in SKIP:
            skipped.append((name, SKIP[name]))
        elif REGISTRY[name].effect is not None:
            if has_float:
                skipped.append((name, RANDOM))
        elif has_float:
            checked.append(name)
    return checked, skipped


CHECKED, SKIPPED = _classify()


def _params():
    params = [pytest.param(name, id=name, marks=[pytest.mark.xfail(strict=True, reason=XFAIL[name])]
                           if name in XFAIL else []) for name in CHECKED]
    params += [pytest.param(name, id=name, marks=pytest.mark.skip(reason=reason)) for name, reason in SKIPPED]
    return sorted(params, key=lambda p: p.id)


# --- inputs --------------------------------------------------------------------------------------

def _sign(rng, shape):
    return np.where(rng.random(shape) < 0.5, -1.0, 1.0)


def _batch_eye(shape):
    return np.broadcast_to(np.eye(shape[-1]), shape)


# Float input domains: name -> (rng, shape) -> array (float64; cast to the input's dtype).
DOMAINS = {
    # away from 0 (kinks of abs, relu, sign, ...) and small (tan, exp, cosh stay tame)
    "any": lambda rng, s: _sign(rng, s) * rng.uniform(0.2, 1.2, s),
    "pos": lambda rng, s: rng.uniform(0.5, 2.0, s),
    "unit": lambda rng, s: _sign(rng, s) * rng.uniform(0.1, 0.9, s),  # (-1, 1)
    "gt1": lambda rng, s: rng.uniform(1.5, 3.0, s),
    "prob": lambda rng, s: rng.uniform(0.1, 0.9, s),  # (0, 1)
    "erfc": lambda rng, s: rng.uniform(0.2, 1.8, s),  # (0, 2)
    # away from integers and half-integers (jumps of floor, ceil, round, rint, sign)
    "frac": lambda rng, s: rng.integers(-2, 3, s) + rng.uniform(0.1, 0.4, s),
    "order": lambda rng, s: rng.integers(0, 3, s).astype(np.float64),  # polygamma's n
    "lo": lambda rng, s: rng.uniform(-0.6, -0.4, s),
    "hi": lambda rng, s: rng.uniform(0.4, 0.6, s),
    # dropout's uniform noise: some below the rate 0.1 (dropped), none near it
    "noise": lambda rng, s: np.where(rng.random(s) < 0.3, rng.uniform(0.0, 0.05, s), rng.uniform(0.3, 1.0, s)),
    # matrices (the last two dimensions)
    "wellcond": lambda rng, s: 2.0 * _batch_eye(s) + 0.3 * rng.uniform(-1, 1, s),
    "spd": lambda rng, s: (lambda a: a @ np.swapaxes(a, -1, -2) / s[-1] + _batch_eye(s))(rng.uniform(-1, 1, s)),
    "tril": lambda rng, s: np.tril(0.3 * rng.uniform(-1, 1, s), -1) + _batch_eye(s) * rng.uniform(1.0, 2.0, s),
}

# Per op, the domain of each float input (by position; None: "any").
DOMAIN = {
    "acos": ("unit",), "asin": ("unit",), "atanh": ("unit",), "erfinv": ("unit",),
    "acosh": ("gt1",), "erfcinv": ("erfc",), "ndtri": ("prob",),
    "log": ("pos",), "log1p": ("pos",), "sqrt": ("pos",), "rsqrt": ("pos",),
    "lgamma": ("pos",), "digamma": ("pos",),
    "ceil": ("frac",), "floor": ("frac",), "rint": ("frac",), "round": ("frac",), "sign": ("frac",),
    "betainc": ("pos", "pos", "prob"), "igamma": ("pos", "pos"), "igammac": ("pos", "pos"),
    "polygamma": ("order", "pos"), "zeta": ("gt1", "pos"), "pow": ("pos", None),
    "xlogy": (None, "pos"), "xlog1py": (None, "pos"),
    "clip_by_value": (None, "lo", "hi"), "dropout": (None, "noise"),
    "batch_normalization": (None, None, "pos", None, None), "normalize_moments": ("gt1", None, None, None),
    "weighted_moments": (None, "pos"),
    "sigmoid_cross_entropy": ("prob", None), "softmax_cross_entropy": ("prob", None),
    "weighted_cross_entropy": ("prob", None, "pos"),
    "cholesky": ("spd",), "logdet": ("spd",), "self_adjoint_eig": ("spd",), "self_adjoint_eigvals": ("spd",),
    "cholesky_solve": ("tril", None), "triangular_solve": ("tril", None),
    "matrix_inverse": ("wellcond",), "matrix_solve": ("wellcond", None), "matrix_determinant": ("wellcond",),
    "log_matrix_determinant": ("wellcond",), "lu": ("wellcond",), "lu_solve": ("wellcond", None),
    "lu_reconstruct": ("wellcond",),
}

# Ops that read only one triangle of a (Hermitian) matrix input and whose gradient is defined for
# symmetric inputs (TF's convention): finite differences along symmetric directions.
SYMMETRIC = {"cholesky": (0,), "logdet": (0,), "self_adjoint_eig": (0,), "self_adjoint_eigvals": (0,)}

# Integer and bool inputs: name -> {input position: value}; other integer inputs are zeros (a
# valid index for any axis), other bool inputs random.
INTS = {
    "dynamic_index": {1: np.int32(2)},
    "embedding_lookup": {0: np.int32([2, 0, 1])},
    "gather": {1: np.int32([[3, 0], [1, 1]])},
    "gather_nd": {1: np.int32([[2, 3], [0, 1]])},
    "lu_reconstruct": {1: np.int32([[2, 0, 3, 1], [1, 3, 0, 2]])},
    "lu_solve": {1: np.int32([2, 0, 1])},
    "one_hot": {0: np.int32([[3, 0], [1, 2]])},
    "reverse_sequence": {1: np.int32([1, 4, 2])},
    "scatter_nd": {0: np.int32([[2], [0]])},
    "segment_max": {1: np.int32([0, 0, 2])},
    "segment_mean": {1: np.int32([0, 1, 1])},
    "segment_min": {1: np.int32([0, 0, 2])},
    "segment_prod": {1: np.int32([0, 0, 2])},
    "segment_sqrt_n": {1: np.int32([0, 0, 2])},
    "segment_sum": {1: np.int32([2, 0])},
    "sparse_softmax_cross_entropy": {0: np.int32([1, 0])},
    "switch_case": {0: np.int32(0)},
    "tensor_scatter_nd_add": {1: np.int32([[3], [1]])},
    "tensor_scatter_nd_max": {1: np.int32([[1]])},
    "tensor_scatter_nd_min": {1: np.int32([[3], [1]])},
    "tensor_scatter_nd_sub": {1: np.int32([[3], [1]])},
    "tensor_scatter_nd_update": {1: np.int32([[1, 2]])},
    "bincount": {0: np.int32([1, 3, 1])},
    "while_loop": {0: np.int32(0), 2: np.int32(3), 3: np.int32(5)},  # i, n (3 steps), maximum_iterations
    "cond": {0: np.bool_(True)},
    "boolean_mask": {1: np.array([True, False, True])},
    "in_top_k": {1: np.int32([1, 0])},
}


def _inputs(name, types, seed=0):
    rng = np.random.default_rng(seed)
    domains = DOMAIN.get(name, ())
    ints = INTS.get(name, {})
    values = []
    for i, t in enumerate(types):
        shape = tuple(t.shape)
        if i in ints:
            values.append(np.asarray(ints[i], t.dtype))
        elif _is_float(t.dtype):
            domain = domains[i] if i < len(domains) and domains[i] else "any"
            values.append(np.asarray(DOMAINS[domain](rng, shape), t.dtype))
        elif t.dtype == np.bool_:
            values.append(rng.random(shape) < 0.5)
        else:
            values.append(np.zeros(shape, t.dtype))
    return values


def _wrt(name, types):
    floats = [i for i, t in enumerate(types) if _is_float(t.dtype)]
    # Operands the op declares without gradient (defop(no_gradient=...): betainc's a and b,
    # polygamma's n, zeta's x, as in TF) are constants here; test_no_gradient_operands_give_none.
    return [i for i in floats if i not in REGISTRY[name].no_gradient]


@functools.lru_cache(maxsize=None)
def _setup(name):
    """(types, attrs, inputs, positions of the float inputs differentiated)."""
    types, attrs = _case(name)
    types = _retyped(name, types, attrs)
    return types, attrs, _inputs(name, types), _wrt(name, types)


def _objective(name, attrs, inputs, wrt):
    """f(*the wrt inputs): the sum of the op's float outputs, through its implementation."""
    impl = REGISTRY[name].impl

    def f(*xs):
        args = list(inputs)
        for i, x in zip(wrt, xs):
            args[i] = x
        out = impl(*args, **attrs)
        outs = out if isinstance(out, (tuple, list)) else (out,)
        return sum(jnp.sum(o) for o in outs if _is_float(o.dtype))

    return f


def _tolerance(dtype):
    return dict(rtol=1e-9, atol=1e-11) if np.dtype(dtype) == np.float64 else dict(rtol=2e-5, atol=1e-6)


EPS = 1e-6  # the finite-difference step
DIRECTIONS = 3


@functools.lru_cache(maxsize=None)
def _reference(name):
    """jax.grad (jitted) of the sum of the op's float outputs, through its JAX implementation,
    with respect to the float inputs differentiated."""
    types, attrs, inputs, wrt = _setup(name)
    f = _objective(name, {**attrs, **REFERENCE_ATTRS.get(name, {})}, inputs, wrt)
    grad = jax.jit(jax.grad(f, argnums=tuple(range(len(wrt)))))
    return [np.asarray(g) for g in grad(*[inputs[i] for i in wrt])]


def _value(name, attrs, inputs, wrt, xs):
    """The sum of the op's float outputs at `xs` (the wrt inputs), run by its eager kernel (the
    one the tape test compiled)."""
    args = list(inputs)
    for i, x in zip(wrt, xs):
        args[i] = x
    out = bind(name, *args, **attrs)
    outs = out if isinstance(out, tuple) else (out,)
    return sum(float(np.sum(np.asarray(o, np.float64))) for o in outs if _is_float(o.dtype))


# --- the tests -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", _params())
def test_tape_gradient_matches_jax_grad(name):
    types, attrs, inputs, wrt = _setup(name)
    args = list(inputs)
    watched = [tf.constant(inputs[i]) for i in wrt]
    with tf.GradientTape() as tape:
        for t in watched:
            tape.watch(t)
        for i, t in zip(wrt, watched):
            args[i] = t._value
        out = bind(name, *args, **attrs)
        outs = out if isinstance(out, tuple) else (out,)
        total = None
        for o in outs:
            if _is_float(o.dtype):
                s = tf.reduce_sum(wrap(o))
                total = s if total is None else total + s
    grads = tape.gradient(total, watched)

    expected = _reference(name)
    for i, g, e in zip(wrt, grads, expected):
        assert g is not None, f"{name}: the gradient for input {i} is None"
        assert g.dtype == tf.as_dtype(types[i].dtype) and tuple(g.shape) == tuple(types[i].shape)
        np.testing.assert_allclose(g.numpy(), e, **_tolerance(types[i].dtype),
                                   err_msg=f"{name}: gradient for input {i}")


@pytest.mark.parametrize("name", _params())
def test_gradient_matches_finite_differences(name):
    """jax.grad of the implementation (what the tape computes, test above) along random
    directions against central differences in float64."""
    types, attrs, inputs, wrt = _setup(name)
    assert all(np.dtype(types[i].dtype) == np.float64 for i in wrt), "finite differences need float64"
    grads = _reference(name)
    x = [np.asarray(inputs[i]) for i in wrt]
    scale = max(1.0, abs(_value(name, attrs, inputs, wrt, x)))
    rng = np.random.default_rng(1)
    for _ in range(DIRECTIONS):
        vs = [rng.standard_normal(xi.shape) for xi in x]
        for k, i in enumerate(wrt):
            if i in SYMMETRIC.get(name, ()):
                vs[k] = (vs[k] + np.swapaxes(vs[k], -1, -2)) / 2
        plus = _value(name, attrs, inputs, wrt, [xi + EPS * v for xi, v in zip(x, vs)])
        minus = _value(name, attrs, inputs, wrt, [xi - EPS * v for xi, v in zip(x, vs)])
        numeric = (plus - minus) / (2 * EPS)
        analytic = float(sum(np.sum(g * v) for g, v in zip(grads, vs)))
        assert abs(numeric - analytic) <= 1e-6 * scale + 1e-5 * abs(analytic), (
            f"{name}: directional derivative {analytic} (jax.grad) vs {numeric} (finite differences)")


# --- outputs that carry no gradient --------------------------------------------------------------

def _example(name):
    return OVERRIDES.get(name, OPS[name])


def _non_float_cases():
    """(op, output position) of every integer or bool output of an op with float inputs in OPS,
    and stop_gradient's output."""
    cases = [pytest.param("stop_gradient", 0, id="stop_gradient:0")]
    for name in sorted(OPS):
        if REGISTRY[name].effect is not None or name in SKIP:
            continue
        types, attrs = _example(name)
        if not any(_is_float(t.dtype) for t in types):
            continue
        outs, _ = node_types(name, types, attrs)
        cases += [pytest.param(name, k, id=f"{name}:{k}") for k, t in enumerate(outs)
                  if not _is_float(t.dtype) and not _is_complex(t.dtype)]
    return cases


@pytest.mark.parametrize("name, k", _non_float_cases())
def test_non_float_outputs_carry_no_gradient(name, k):
    types, attrs = _example(name)
    inputs = _inputs(name, types)
    floats = [i for i, t in enumerate(types) if _is_float(t.dtype)]
    watched = [tf.constant(inputs[i]) for i in floats]
    args = list(inputs)
    with tf.GradientTape(persistent=True) as tape:
        for t in watched:
            tape.watch(t)
        for i, t in zip(floats, watched):
            args[i] = t._value
        out = bind(name, *args, **attrs)
        o = wrap(out[k] if isinstance(out, tuple) else out)
        total = tf.reduce_sum(tf.cast(o, tf.float32))
    assert tape.gradient(total, watched) == [None] * len(watched)
    assert tape.gradient(o, watched) == [None] * len(watched)
    zeros = tape.gradient(total, watched, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    for t, z in zip(watched, zeros):
        np.testing.assert_array_equal(z.numpy(), np.zeros(t.shape, t.dtype.as_numpy_dtype))


# --- found on the way ----------------------------------------------------------------------------

def test_a_control_flow_kernel_runs_twice():
    """A sub-graph first lowered inside shape inference (as tracing a tf.function does) keeps
    concrete constants: its eager kernel runs again (a leaked tracer made the second call fail)."""
    from tests.compiler.test_text_roundtrip import _sub
    attrs = dict(true=_sub("t", "f32[3]", lambda x: bind("add", x, np.float32(1.2345))),
                 false=_sub("f", "f32[3]", lambda x: bind("sub", x, np.float32(1.2345))))
    node_types("cond", _types("bool[] f32[3]"), attrs)  # as tracing a tf.function does
    for k in range(2):
        (out,) = bind("cond", np.bool_(True), np.full(3, k, np.float32), **attrs)
        np.testing.assert_allclose(np.asarray(out), np.full(3, k + 1.2345, np.float32))


def test_betainc_gradient_for_a_and_b_is_none_as_in_tf():
    """TF's _BetaincGrad returns (None, None, grad_x); betainc declares no_gradient=(0, 1).
    Also when a is computed from the watched x (a stop_gradient goes into the sub-graph)."""
    a, b, x = (tf.constant(np.float64(v)) for v in (0.5, 0.7, 0.3))
    with tf.GradientTape() as tape:
        tape.watch([a, b, x])
        y = tf.math.betainc(a, b, x)
    ga, gb, gx = tape.gradient(y, [a, b, x])
    assert ga is None and gb is None
    np.testing.assert_allclose(gx.numpy(), 0.810894, rtol=1e-5)  # TF 2.21
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.math.betainc(x * 2.0, b, x)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), 0.8363698920078306, rtol=1e-9)  # TF 2.21


@pytest.mark.parametrize("name", sorted(n for n, op in REGISTRY.items() if op.no_gradient))
def test_no_gradient_operands_give_none(name):
    """TF 2.21 gives None for betainc's a and b, polygamma's n and zeta's x."""
    args = {"betainc": (0.5, 0.7, 0.3), "polygamma": (1.0, 2.5), "zeta": (2.5, 1.5)}[name]
    tensors = [tf.constant(np.float64(v)) for v in args]
    with tf.GradientTape() as tape:
        tape.watch(tensors)
        y = wrap(bind(name, *[t._value for t in tensors]))
    grads = tape.gradient(y, tensors)
    expected = {"betainc": [None, None, 0.810894], "polygamma": [None, -0.236204],
                "zeta": [None, -0.76774]}[name]  # printed by TF 2.21
    assert [None if g is None else round(float(g.numpy()), 6) for g in grads] == expected
