"""Ragged and sparse tensors against raw JAX doing the same computation, measured in one run.

    python bench/ragged_sparse.py [--quick] [--json PATH]

ragged   reduce_mean along the rows of a ragged float32 batch of 10,000 rows whose lengths are
         uniform in 0..100 (fixed seed):
           tfx_lite eager       tf.reduce_mean(rt, axis=1)
           tfx_lite function    the same in a tf.function taking rt (its components)
           jax dense + mask     the rows padded to 100 with a mask, sum(x * m) / sum(m) under
                                jax.jit (the baseline: the dense equivalent)
           jax segment_sum      segment sums of values and of ones over the row ids, jax.jit
         --quick: 2,000 rows.

Each section is a function returning rows (variant, seconds per call, the JAX baseline it is
compared with); main prints them as one table with ratios (> 1: slower than the baseline).

sparse   A 10,000 x 10,000 float32 tf.SparseTensor with 0.1% density (100,000 values at random
         positions, fixed seed, row-major order) times a dense [10,000, 64] float32 matrix:
           tfx_lite eager       tf.sparse.sparse_dense_matmul(st, b)
           tfx_lite function    the same in a tf.function taking st (its components) and b
           jax segment_sum      jax.ops.segment_sum(values[:, None] * b[cols], rows) under
                                jax.jit: the same algorithm, raw (the baseline)
           jax BCOO             jax.experimental.sparse.BCOO @ b under jax.jit
           jax dense            jnp.dot(A, b) under jax.jit, A materialized (400 MB)
         --quick: 2,000 x 2,000 with 4,000 values.

Best of R repeats (sparse: 4R, the sparse variants taking turns); every timed call blocks on its result
(block_until_ready, no copy). Traces and compiles happen in a warm-up call before timing.
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

import tfx_lite as tf  # noqa: E402
from harness import machine_line, machine_meta  # noqa: E402


def best_of(fn, repeats):
    """Seconds of the fastest of `repeats` calls of `fn` (which blocks on its result)."""
    fn()  # warm: traces, compiles, index checks
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def best_interleaved(fns: dict, repeats):
    """{name: seconds of the fastest of `repeats` calls}, the variants taking turns (so a busy
    moment of the machine does not fall on one variant only)."""
    for fn in fns.values():
        fn()  # warm: traces, compiles, index checks
    best = {name: float("inf") for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def _block_tensor(t):
    """Wait for a tensor's value, as the JAX baselines do (no copy to numpy)."""
    return t._value.block_until_ready()


# --- sparse ---------------------------------------------------------------------------------------
def sparse_rows(quick=False, repeats=5):
    n, nnz, cols = (2000, 4000, 64) if quick else (10000, 100000, 64)
    rng = np.random.default_rng(0)
    flat = np.sort(rng.choice(n * n, nnz, replace=False))
    indices = np.stack(np.unravel_index(flat, (n, n)), axis=1).astype(np.int64)
    values = rng.normal(size=nnz).astype(np.float32)
    b_host = rng.normal(size=(n, cols)).astype(np.float32)

    st = tf.SparseTensor(indices, values, [n, n])
    b = tf.constant(b_host)
    matmul_fn = tf.function(lambda s, m: tf.sparse.sparse_dense_matmul(s, m))

    rows_j, cols_j = jnp.asarray(indices[:, 0]), jnp.asarray(indices[:, 1])
    values_j, b_j = jnp.asarray(values), jnp.asarray(b_host)

    @jax.jit
    def segment_matmul(v, r, c, m):
        return jax.ops.segment_sum(v[:, None] * m[c], r, num_segments=n)

    from jax.experimental import sparse as jsparse
    bcoo = jsparse.BCOO((values_j, jnp.asarray(indices)), shape=(n, n))
    bcoo_matmul = jax.jit(lambda a, m: a @ m)
    dense_a = jnp.zeros((n, n), jnp.float32).at[rows_j, cols_j].set(values_j)
    dense_matmul = jax.jit(lambda a, m: a @ m)

    expected = np.asarray(segment_matmul(values_j, rows_j, cols_j, b_j))
    got = _block_tensor(tf.sparse.sparse_dense_matmul(st, b))
    assert np.allclose(got, expected, atol=1e-3), "tfx_lite and JAX disagree"

    timings = best_interleaved({
        "tfx_lite eager": lambda: _block_tensor(tf.sparse.sparse_dense_matmul(st, b)),
        "tfx_lite function": lambda: _block_tensor(matmul_fn(st, b)),
        "jax segment_sum": lambda: segment_matmul(values_j, rows_j, cols_j, b_j).block_until_ready(),
        "jax BCOO": lambda: bcoo_matmul(bcoo, b_j).block_until_ready(),
    }, repeats * 4)
    # measured apart: streaming the 400 MB matrix evicts the caches the others would find warm
    timings["jax dense"] = best_of(lambda: dense_matmul(dense_a, b_j).block_until_ready(), repeats)
    title = f"sparse [{n}, {n}] ({nnz} values) @ dense [{n}, {cols}], float32"
    return [{"section": "sparse", "case": title, "variant": name, "seconds": seconds,
             "baseline": "jax segment_sum"} for name, seconds in timings.items()]


# --- ragged ---------------------------------------------------------------------------------------
def ragged_rows(quick=False, repeats=5):
    nrows, longest = (2000, 100) if quick else (10000, 100)
    rng = np.random.default_rng(1)
    lengths = rng.integers(0, longest + 1, size=nrows)
    values = rng.normal(size=int(lengths.sum())).astype(np.float32)
    splits = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)

    rt = tf.RaggedTensor.from_row_splits(values, splits)
    mean_fn = tf.function(lambda r: tf.reduce_mean(r, axis=1))

    values_j = jnp.asarray(values)
    rowids_j = jnp.asarray(np.repeat(np.arange(nrows), lengths))
    padded = np.zeros((nrows, longest), np.float32)
    mask = np.arange(longest)[None, :] < lengths[:, None]
    padded[mask] = values
    padded_j, mask_j = jnp.asarray(padded), jnp.asarray(mask)

    @jax.jit
    def dense_mean(x, m):
        return jnp.sum(x * m, axis=1) / jnp.sum(m, axis=1)

    @jax.jit
    def segment_mean(v, ids):
        total = jax.ops.segment_sum(v, ids, num_segments=nrows)
        return total / jax.ops.segment_sum(jnp.ones_like(v), ids, num_segments=nrows)

    expected = np.asarray(dense_mean(padded_j, mask_j))
    got = _block_tensor(tf.reduce_mean(rt, axis=1))
    assert np.allclose(got, expected, atol=1e-5, equal_nan=True), "tfx_lite and JAX disagree"

    timings = {
        "tfx_lite eager": best_of(lambda: _block_tensor(tf.reduce_mean(rt, axis=1)), repeats),
        "tfx_lite function": best_of(lambda: _block_tensor(mean_fn(rt)), repeats),
        "jax dense + mask": best_of(lambda: dense_mean(padded_j, mask_j).block_until_ready(), repeats),
        "jax segment_sum": best_of(lambda: segment_mean(values_j, rowids_j).block_until_ready(), repeats),
    }
    title = f"ragged reduce_mean(axis=1), {nrows} rows of 0..{longest} float32 ({values.size} values)"
    return [{"section": "ragged", "case": title, "variant": name, "seconds": seconds,
             "baseline": "jax dense + mask"} for name, seconds in timings.items()]


SECTIONS = [ragged_rows, sparse_rows]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smaller inputs, 2 repeats")
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args()
    repeats = 2 if args.quick else 5
    rows = [row for section in SECTIONS for row in section(quick=args.quick, repeats=repeats)]
    print(machine_line())
    print(f"best of {repeats}; ratio = seconds / the baseline's seconds (> 1: slower)")
    print("| case | variant | ms per call | ratio |")
    print("|---|---|---|---|")
    seconds = {(r["case"], r["variant"]): r["seconds"] for r in rows}
    for r in rows:
        base = seconds[(r["case"], r["baseline"])]
        print(f"| {r['case']} | {r['variant']} | {r['seconds'] * 1e3:.2f} | {r['seconds'] / base:.2f} |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": machine_meta(), "rows": rows}, f, indent=1)


if __name__ == "__main__":
    main()
