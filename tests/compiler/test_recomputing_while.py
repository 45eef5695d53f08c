"""compiler/ops/recomputing_while.py: a while loop of data-dependent length differentiated in
reverse mode, checked against jax.grad of the same loop unrolled in Python (its length known)."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from compiler.ops.recomputing_while import recomputing_while


def _power_loop(x, limit):
    """y = x; while y < limit: y = y * x (and an integer counter, and a parameter)."""
    def keep_going(c, p):
        return c[1] < p[0]

    def step(c, p):
        i, y = c
        return i + 1, y * p[1]

    return recomputing_while(keep_going, step, (jnp.int32(0), x), (limit, x))


def _unrolled(x, limit, steps):
    y = x
    for _ in range(steps):  # the same loop with its length known
        y = y * x
    return y


def _steps(x, limit):
    y, n = x, 0
    while y < limit:
        y, n = y * x, n + 1
    return n


@pytest.mark.parametrize("x,limit", [(2.0, 50.0), (3.0, 100.0), (60.0, 50.0), (1.5, 1000.0)])
def test_gradient_matches_the_unrolled_loop(x, limit):
    got = jax.grad(lambda x: _power_loop(x, jnp.float32(limit))[1])(jnp.float32(x))
    steps = _steps(np.float32(x), limit)
    want = jax.grad(lambda v: _unrolled(v, limit, steps))(jnp.float32(x))
    np.testing.assert_allclose(got, want, rtol=1e-5)


def test_gradient_under_jit_and_for_the_parameters():
    def loss(x, w):
        def step(c, p):
            return (c[0] + 1, jnp.tanh(c[1] @ p[0]) + p[1])
        out = recomputing_while(lambda c, p: c[0] < 4, step, (jnp.int32(0), x), (w, x))
        return jnp.sum(out[1] ** 2)

    def unrolled(x, w):
        h = x
        for _ in range(4):
            h = jnp.tanh(h @ w) + x
        return jnp.sum(h ** 2)

    rng = np.random.default_rng(0)
    x = jnp.asarray(rng.normal(size=(3,)), jnp.float32)
    w = jnp.asarray(rng.normal(size=(3, 3)) * 0.5, jnp.float32)
    got = jax.jit(jax.grad(loss, argnums=(0, 1)))(x, w)
    want = jax.grad(unrolled, argnums=(0, 1))(x, w)
    for g, e in zip(got, want):
        np.testing.assert_allclose(g, e, rtol=1e-5, atol=1e-6)


def test_a_loop_that_never_runs_passes_the_cotangent_through():
    got = jax.grad(lambda x: _power_loop(x, jnp.float32(1.0))[1])(jnp.float32(2.0))
    assert float(got) == 1.0
