"""tf.RaggedTensor / tf.ragged against TensorFlow and against numpy.

1. The programs in data/ (ragged_*_program.py) were run under TensorFlow 2.21; their printed output is
   stored next to them (`*.tf.txt`) and tfx_lite must print the same text.
2. A table of ops, each applied to a few seeded random ragged tensors (empty rows, zero rows, all rows
   empty, one long row, a ragged_rank-2 one) and compared with the same computation done by numpy on
   the padded values plus a mask. The numpy side uses no tfx_lite op; every expected value in the
   table was also checked against TensorFlow 2.21 (this module run with `tensorflow` in place of
   tfx_lite)."""
import numpy as np
import pytest

import tfx_lite as tf
from tests.tfx_lite.tf_programs import assert_prints_what_tf_printed


@pytest.mark.parametrize("name", ["ragged_construct_program", "ragged_ops_program", "ragged_array_ops_program",
                                  "ragged_indexing_program", "ragged_seed_program", "ragged_strings_program",
                                  "ragged_function_program"])
def test_programs_print_what_tf_prints(name):
    assert_prints_what_tf_printed(name)


# --- the cases: nested lists of 1-D numpy rows ------------------------------------------------------

class Case:
    """A ragged value as numpy rows (ragged_rank 1: a list of 1-D arrays; ragged_rank 2: a list of lists
    of 1-D arrays), a second value `rows_b` with the same partition, and how to build it in tf."""

    def __init__(self, name, rows, rows_b, dtype, how, seed):
        rng = np.random.default_rng(seed + 1000)
        self.name, self.rows, self.rows_b, self.dtype, self.how = name, rows, rows_b, np.dtype(dtype), how
        self.nrows = len(rows)
        self.ragged_rank = 2 if rows and isinstance(rows[0], list) else 1
        self.row_mask = rng.random(self.nrows) < 0.5
        self.gather_idx = (np.array([self.nrows - 1, 0, self.nrows // 2, 0], np.int32) if self.nrows
                           else np.zeros(0, np.int32))

    def lengths(self):
        return np.array([len(r) for r in self.rows], np.int64)

    def build(self, rows):
        dtype = getattr(tf, self.dtype.name)
        if self.how == "constant":
            return tf.ragged.constant([_tolist(r) for r in rows], dtype=dtype)
        flat = np.concatenate([r for r in rows]).astype(self.dtype) if rows else np.zeros(0, self.dtype)
        return tf.RaggedTensor.from_row_lengths(tf.constant(flat, dtype=dtype), self.lengths())

    def padded(self, fill=0, width=None):
        """ragged_rank 1: (values [nrows, K], mask [nrows, K]); ragged_rank 2: (values [nrows, J, K],
        inner-row mask [nrows, J], mask [nrows, J, K])."""
        if self.ragged_rank == 1:
            k = max([len(r) for r in self.rows] + [0]) if width is None else width
            values = np.full((self.nrows, k), fill, self.dtype)
            mask = np.zeros((self.nrows, k), bool)
            for i, r in enumerate(self.rows):
                values[i, :len(r)], mask[i, :len(r)] = r[:k], True
            return values, mask
        j = max([len(r) for r in self.rows] + [0])
        k = max([len(x) for r in self.rows for x in r] + [0])
        values = np.full((self.nrows, j, k), fill, self.dtype)
        rowmask, mask = np.zeros((self.nrows, j), bool), np.zeros((self.nrows, j, k), bool)
        for a, r in enumerate(self.rows):
            rowmask[a, :len(r)] = True
            for b, x in enumerate(r):
                values[a, b, :len(x)], mask[a, b, :len(x)] = x, True
        return values, rowmask, mask


def _tolist(r):
    return [_tolist(x) for x in r] if isinstance(r, list) else r.tolist()


def _values(rng, n, dtype):
    if np.dtype(dtype).kind == "f":
        return (rng.integers(-16, 17, n) / 4).astype(dtype)  # quarters: float sums are exact
    return rng.integers(-9, 10, n).astype(dtype)


def _rank1(name, lengths, dtype, how, seed):
    rng = np.random.default_rng(seed)
    rows = [_values(rng, n, dtype) for n in lengths]
    rows_b = [_values(rng, n, dtype) for n in lengths]
    return Case(name, rows, rows_b, dtype, how, seed)


def _rank2(name, outer, dtype, seed):
    rng = np.random.default_rng(seed)
    shape = [list(rng.integers(0, 4, n)) for n in outer]
    rows = [[_values(rng, n, dtype) for n in r] for r in shape]
    rows_b = [[_values(rng, n, dtype) for n in r] for r in shape]
    return Case(name, rows, rows_b, dtype, "constant", seed)


def _with_empty_rows(seed):
    lengths = np.random.default_rng(seed).integers(0, 6, 7)
    lengths[1] = lengths[-1] = 0
    return lengths


CASES = [
    _rank1("int32_empty_rows", _with_empty_rows(1), np.int32, "constant", 1),
    _rank1("float32_from_row_lengths", np.random.default_rng(2).integers(1, 7, 6), np.float32, "row_lengths", 2),
    _rank1("float64_all_rows_empty", [0, 0, 0], np.float64, "constant", 3),
    _rank1("int64_zero_rows", [], np.int64, "row_lengths", 4),
    _rank1("float32_one_row", [9], np.float32, "constant", 5),
]
CASES_RANK2 = [
    _rank2("int32_ragged_rank_2", [2, 0, 3, 1], np.int32, 6),
    _rank2("float32_ragged_rank_2", [1, 3, 0], np.float32, 7),
]


# --- the expected side: numpy on padded values and masks --------------------------------------------

class Ragged:
    """An expected ragged result: rows as in Case, its dtype, and (optionally) its ragged_rank."""

    def __init__(self, rows, dtype, ragged_rank=None):
        self.rows, self.dtype, self.ragged_rank = rows, np.dtype(dtype), ragged_rank


def lowest(dt):
    return np.iinfo(dt).min if dt.kind in "iu" else np.finfo(dt).min


def highest(dt):
    return np.iinfo(dt).max if dt.kind in "iu" else np.finfo(dt).max


def mean_dtype(dt):
    return np.dtype(np.float64) if dt.kind in "iu" else dt  # TF's ragged reduce_mean of ints is float64


def masked_reduce(op, values, mask, axis, keepdims=False):
    dt = values.dtype
    if axis is None and dt.kind == "f" and op in ("max", "min"):
        # axis=None reduces the flat values as a dense tensor: an empty float max is -inf there, while
        # along a ragged axis an empty row's max is the dtype's lowest finite value
        return np.asarray(getattr(np, op)(values[mask], initial=-np.inf if op == "max" else np.inf), dt)
    if op == "sum":
        return np.where(mask, values, 0).sum(axis, dtype=dt, keepdims=keepdims)
    if op == "prod":
        return np.where(mask, values, 1).prod(axis, dtype=dt, keepdims=keepdims)
    if op == "max":
        return np.where(mask, values, lowest(dt)).max(axis, initial=lowest(dt), keepdims=keepdims)
    if op == "min":
        return np.where(mask, values, highest(dt)).min(axis, initial=highest(dt), keepdims=keepdims)
    if op == "mean":
        md = mean_dtype(dt)
        total = np.where(mask, values, 0).astype(md).sum(axis, keepdims=keepdims)
        count = mask.sum(axis, keepdims=keepdims)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.asarray(total / count).astype(md)  # 0 / 0 -> nan for empty rows
    if op == "any":
        return np.where(mask, values, False).any(axis, keepdims=keepdims)
    if op == "all":
        return np.where(mask, values, True).all(axis, keepdims=keepdims)
    raise ValueError(op)


def leafmap(fn, rows):
    return [leafmap(fn, r) if isinstance(r, list) else fn(r) for r in rows]


def leafmap2(fn, rows, rows_b):
    return [leafmap2(fn, r, s) if isinstance(r, list) else fn(r, s) for r, s in zip(rows, rows_b)]


def unary(fn, dtype=None):
    def expected(c):
        rows = leafmap(fn, c.rows)
        return Ragged(rows, dtype or c.dtype, c.ragged_rank)
    return expected


def binary(fn, dtype=None):
    def expected(c):
        return Ragged(leafmap2(fn, c.rows, c.rows_b), dtype or c.dtype, c.ragged_rank)
    return expected


def reduce_rank1(op, axis, keepdims=False):
    def expected(c):
        values, mask = c.padded()
        if op in ("any", "all"):
            values = values > 0
        return np.asarray(masked_reduce(op, values, mask, axis, keepdims))
    return expected


def reduce_rank2(op, axis):
    """Reducing [nrows, (J), (K)] along axis 2 keeps the inner rows that exist; along 1 or 0 keeps the
    positions where at least one value was reduced (a prefix of each row)."""
    def expected(c):
        values, rowmask, mask = c.padded()
        out = masked_reduce(op, values, mask, axis)
        dt = out.dtype
        if axis is None:
            return np.asarray(out)
        if axis == 2:
            return Ragged([out[a][rowmask[a]] for a in range(c.nrows)], dt, 1)
        exists = mask.any(axis)
        nout = c.nrows if axis == 1 else rowmask.shape[1]
        return Ragged([out[a][exists[a]] for a in range(nout)], dt, 1)
    return expected


def cat(*parts):
    return np.concatenate(parts) if parts else parts


def rows_of(values, mask):
    return [v[m] for v, m in zip(values, mask)]


def to_tensor_rank1(fill=0, width=None):
    def expected(c):
        values, _ = c.padded(fill, width)
        return values
    return expected


def tf_reduce(op, axis, keepdims=False, positive=False):
    """tf.reduce_<op>(rt, axis) (of `rt > 0` where `positive`)."""
    def fn(rt, rb, c):
        return getattr(tf, f"reduce_{op}")(rt > 0 if positive else rt, axis=axis, keepdims=keepdims)
    return fn


def slice_rows(key):
    return lambda c: Ragged([r[key] for r in c.rows], c.dtype, 1)


# (name, tf_fn(rt, rt_b, case), numpy_fn(case), which dtype kinds it applies to)
ALL, FLOAT = "iuf", "f"
TABLE = [
    # elementwise: unary, with a scalar, with a ragged of the same partition
    ("square", lambda rt, rb, c: tf.math.square(rt), unary(np.square), ALL),
    ("abs", lambda rt, rb, c: tf.abs(rt), unary(np.abs), ALL),
    ("negative", lambda rt, rb, c: -rt, unary(np.negative), ALL),
    ("exp", lambda rt, rb, c: tf.exp(rt), unary(np.exp), FLOAT),
    ("cast_float32", lambda rt, rb, c: tf.cast(rt, tf.float32),
     unary(lambda r: r.astype(np.float32), np.float32), ALL),
    ("ones_like", lambda rt, rb, c: tf.ones_like(rt), unary(np.ones_like), ALL),
    ("add_scalar", lambda rt, rb, c: tf.add(rt, 3), unary(lambda r: r + r.dtype.type(3)), ALL),
    ("mul_scalar", lambda rt, rb, c: rt * 2, unary(lambda r: r * r.dtype.type(2)), ALL),
    ("rsub_scalar", lambda rt, rb, c: 10 - rt, unary(lambda r: r.dtype.type(10) - r), ALL),
    ("truediv_scalar", lambda rt, rb, c: rt / 2,
     lambda c: Ragged(leafmap(lambda r: r / mean_dtype(c.dtype).type(2), c.rows), mean_dtype(c.dtype), 1), ALL),
    ("maximum_scalar", lambda rt, rb, c: tf.maximum(rt, 0), unary(lambda r: np.maximum(r, r.dtype.type(0))), ALL),
    ("greater_scalar", lambda rt, rb, c: rt > 0, unary(lambda r: r > 0, np.bool_), ALL),
    ("add_ragged", lambda rt, rb, c: rt + rb, binary(np.add), ALL),
    ("mul_ragged", lambda rt, rb, c: tf.multiply(rt, rb), binary(np.multiply), ALL),
    ("maximum_ragged", lambda rt, rb, c: tf.maximum(rt, rb), binary(np.maximum), ALL),
    ("less_ragged", lambda rt, rb, c: rt < rb, binary(np.less, np.bool_), ALL),
    ("where_ragged", lambda rt, rb, c: tf.where(rt > rb, rt, rb), binary(lambda a, b: np.where(a > b, a, b)), ALL),
    ("add_dense_column", lambda rt, rb, c: rt + tf.constant(np.arange(c.nrows, dtype=c.dtype).reshape(-1, 1)),
     lambda c: Ragged([r + c.dtype.type(i) for i, r in enumerate(c.rows)], c.dtype, 1), ALL),
    # reductions
    *[(f"reduce_{op}_axis{axis}", tf_reduce(op, axis), reduce_rank1(op, axis), ALL)
      for op in ("sum", "mean", "max", "min", "prod") for axis in (1, 0, None)],
    ("reduce_sum_axis-1", tf_reduce("sum", -1), reduce_rank1("sum", 1), ALL),
    ("reduce_max_axis-1", tf_reduce("max", -1), reduce_rank1("max", 1), ALL),
    ("reduce_sum_keepdims", tf_reduce("sum", 1, keepdims=True), reduce_rank1("sum", 1, True), ALL),
    ("reduce_max_keepdims", tf_reduce("max", 1, keepdims=True), reduce_rank1("max", 1, True), ALL),
    *[(f"reduce_{op}_axis{axis}", tf_reduce(op, axis, positive=True), reduce_rank1(op, axis), ALL)
      for op in ("any", "all") for axis in (1, 0, None)],
    # concat / stack / tile
    ("concat_axis0", lambda rt, rb, c: tf.concat([rt, rb], axis=0),
     lambda c: Ragged(c.rows + c.rows_b, c.dtype, 1), ALL),
    ("concat_axis1", lambda rt, rb, c: tf.concat([rt, rb], axis=1), binary(lambda a, b: cat(a, b)), ALL),
    ("concat_axis1_dense", lambda rt, rb, c: tf.concat([rt, tf.ones([c.nrows, 2], rt.dtype)], axis=1),
     unary(lambda r: cat(r, np.ones(2, r.dtype))), ALL),
    ("stack_axis0", lambda rt, rb, c: tf.stack([rt, rb], axis=0),
     lambda c: Ragged([c.rows, c.rows_b], c.dtype, 2), ALL),
    ("stack_axis1", lambda rt, rb, c: tf.stack([rt, rb], axis=1),
     lambda c: Ragged([[a, b] for a, b in zip(c.rows, c.rows_b)], c.dtype, 2), ALL),
    ("tile_1_2", lambda rt, rb, c: tf.tile(rt, [1, 2]), unary(lambda r: np.tile(r, 2)), ALL),
    ("tile_2_1", lambda rt, rb, c: tf.tile(rt, [2, 1]), lambda c: Ragged(c.rows * 2, c.dtype, 1), ALL),
    ("tile_2_3", lambda rt, rb, c: tf.tile(rt, [2, 3]),
     lambda c: Ragged([np.tile(r, 3) for r in c.rows] * 2, c.dtype, 1), ALL),
    # gather / boolean_mask
    ("gather_rows", lambda rt, rb, c: tf.gather(rt, c.gather_idx),
     lambda c: Ragged([c.rows[i] for i in c.gather_idx], c.dtype, 1), ALL),
    ("boolean_mask_rows", lambda rt, rb, c: tf.ragged.boolean_mask(rt, c.row_mask),
     lambda c: Ragged([r for r, m in zip(c.rows, c.row_mask) if m], c.dtype, 1), ALL),
    ("boolean_mask_ragged", lambda rt, rb, c: tf.ragged.boolean_mask(rt, rb > 0), binary(lambda a, b: a[b > 0]), ALL),
    # conversions and partition
    ("to_tensor", lambda rt, rb, c: rt.to_tensor(), to_tensor_rank1(), ALL),
    ("to_tensor_default_value", lambda rt, rb, c: rt.to_tensor(default_value=-1), to_tensor_rank1(-1), ALL),
    ("to_tensor_shape", lambda rt, rb, c: rt.to_tensor(shape=[c.nrows, 2]),
     lambda c: c.padded(0, max([len(r) for r in c.rows] + [2]))[0][:, :2], ALL),
    ("row_lengths", lambda rt, rb, c: rt.row_lengths(), lambda c: c.padded()[1].sum(1, dtype=np.int64), ALL),
    ("nrows", lambda rt, rb, c: rt.nrows(), lambda c: np.asarray(c.padded()[1].shape[0], np.int64), ALL),
    ("row_splits", lambda rt, rb, c: rt.row_splits,
     lambda c: np.concatenate([[0], np.cumsum(c.padded()[1].sum(1))]).astype(np.int64), ALL),
    ("value_rowids", lambda rt, rb, c: rt.value_rowids(),
     lambda c: np.nonzero(c.padded()[1])[0].astype(np.int64), ALL),
    ("bounding_shape", lambda rt, rb, c: rt.bounding_shape(), lambda c: np.array(c.padded()[1].shape, np.int64), ALL),
    ("flat_values", lambda rt, rb, c: rt.flat_values, lambda c: c.padded()[0][c.padded()[1]], ALL),
    ("merge_dims", lambda rt, rb, c: rt.merge_dims(0, 1), lambda c: c.padded()[0][c.padded()[1]], ALL),
    # indexing
    ("slice_inner_head", lambda rt, rb, c: rt[:, :2], slice_rows(slice(None, 2)), ALL),
    ("slice_inner_tail", lambda rt, rb, c: rt[:, 1:], slice_rows(slice(1, None)), ALL),
    ("slice_inner_negative", lambda rt, rb, c: rt[:, -2:], slice_rows(slice(-2, None)), ALL),
    ("slice_rows", lambda rt, rb, c: rt[1:], lambda c: Ragged(c.rows[1:], c.dtype, 1), ALL),
    ("reverse_rows", lambda rt, rb, c: rt[::-1], lambda c: Ragged(c.rows[::-1], c.dtype, 1), ALL),
    # map_fn over rows
    ("map_fn_square", lambda rt, rb, c: tf.map_fn(tf.math.square, rt), unary(np.square), ALL),
    ("map_fn_row_sum",
     lambda rt, rb, c: tf.map_fn(tf.reduce_sum, rt, fn_output_signature=tf.TensorSpec([], rt.dtype)),
     reduce_rank1("sum", 1), ALL),
]

TABLE_RANK2 = [
    ("square", lambda rt, rb, c: tf.math.square(rt), unary(np.square), ALL),
    ("negative", lambda rt, rb, c: -rt, unary(np.negative), ALL),
    ("add_scalar", lambda rt, rb, c: rt + 3, unary(lambda r: r + r.dtype.type(3)), ALL),
    ("add_ragged", lambda rt, rb, c: rt + rb, binary(np.add), ALL),
    ("greater_ragged", lambda rt, rb, c: rt > rb, binary(np.greater, np.bool_), ALL),
    *[(f"reduce_{op}_axis{axis}", tf_reduce(op, axis), reduce_rank2(op, axis), ALL)
      for op in ("sum", "mean", "max", "min") for axis in (2, 1, 0, None)],
    ("to_tensor", lambda rt, rb, c: rt.to_tensor(), lambda c: c.padded()[0], ALL),
    ("row_lengths", lambda rt, rb, c: rt.row_lengths(), lambda c: c.padded()[1].sum(1, dtype=np.int64), ALL),
    ("row_lengths_axis2", lambda rt, rb, c: rt.row_lengths(axis=2),
     lambda c: Ragged(rows_of(c.padded()[2].sum(2, dtype=np.int64), c.padded()[1]), np.int64, 1), ALL),
    ("flat_values", lambda rt, rb, c: rt.flat_values, lambda c: c.padded()[0][c.padded()[2]], ALL),
    ("merge_dims_1_2", lambda rt, rb, c: rt.merge_dims(1, 2),
     lambda c: Ragged([cat(*r) if r else np.zeros(0, c.dtype) for r in c.rows], c.dtype, 1), ALL),
    ("gather_rows", lambda rt, rb, c: tf.gather(rt, c.gather_idx),
     lambda c: Ragged([c.rows[i] for i in c.gather_idx], c.dtype, 2), ALL),
    ("concat_axis0", lambda rt, rb, c: tf.concat([rt, rb], axis=0),
     lambda c: Ragged(c.rows + c.rows_b, c.dtype, 2), ALL),
    ("concat_axis1", lambda rt, rb, c: tf.concat([rt, rb], axis=1),
     lambda c: Ragged([a + b for a, b in zip(c.rows, c.rows_b)], c.dtype, 2), ALL),
    ("slice_inner", lambda rt, rb, c: rt[:, :, :1], unary(lambda r: r[:1]), ALL),
]


# --- comparing -----------------------------------------------------------------------------------

def assert_rows_equal(got, want, dtype, where="rows"):
    if isinstance(want, np.ndarray):
        got = np.asarray(got, dtype=dtype)
        assert got.shape == want.shape, f"{where}: {got.tolist()} != {want.tolist()}"
        if dtype.kind == "f":
            np.testing.assert_allclose(got, want, rtol=1e-6, equal_nan=True, err_msg=where)
        else:
            np.testing.assert_array_equal(got, want, err_msg=where)
        return
    assert isinstance(got, list) and len(got) == len(want), f"{where}: {got} has not {len(want)} rows"
    for i, (g, w) in enumerate(zip(got, want)):
        assert_rows_equal(g, w, dtype, f"{where}[{i}]")


def assert_matches(result, want):
    if isinstance(want, Ragged):
        assert isinstance(result, tf.RaggedTensor), f"expected a RaggedTensor, got {type(result).__name__}"
        assert result.dtype.name == want.dtype.name, (result.dtype.name, want.dtype.name)
        if want.ragged_rank is not None:
            assert result.ragged_rank == want.ragged_rank, (result.ragged_rank, want.ragged_rank)
        assert_rows_equal(result.to_list(), want.rows, want.dtype)
        return
    assert not isinstance(result, tf.RaggedTensor), "expected a dense tensor, got a RaggedTensor"
    got = result.numpy()
    want = np.asarray(want)
    assert np.dtype(got.dtype) == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape, (got.shape, want.shape)
    if want.dtype.kind == "f":
        np.testing.assert_allclose(got, want, rtol=1e-6, equal_nan=True)
    else:
        np.testing.assert_array_equal(got, want)


def _params(table, cases):
    return [pytest.param(fn, expected, case, id=f"{name}-{case.name}")
            for name, fn, expected, kinds in table for case in cases if case.dtype.kind in kinds]


@pytest.mark.parametrize("tf_fn,numpy_fn,case", _params(TABLE, CASES) + _params(TABLE_RANK2, CASES_RANK2))
def test_op_matches_numpy(tf_fn, numpy_fn, case):
    rt, rb = case.build(case.rows), case.build(case.rows_b)
    assert_matches(tf_fn(rt, rb, case), numpy_fn(case))


@pytest.mark.parametrize("case", CASES + CASES_RANK2, ids=lambda c: c.name)
def test_construction_round_trips(case):
    rt = case.build(case.rows)
    assert isinstance(rt, tf.RaggedTensor) and tf.is_tensor(rt)
    assert rt.dtype.name == case.dtype.name and rt.ragged_rank == case.ragged_rank
    assert rt.shape.as_list() == [case.nrows] + [None] * case.ragged_rank
    assert_rows_equal(rt.to_list(), case.rows, case.dtype)
    assert_matches(rt.row_lengths(), case.padded()[1].sum(1, dtype=np.int64))
    # from_row_splits / from_value_rowids of the same partition give the same value
    if case.ragged_rank == 1:
        lengths = case.lengths()
        splits = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        rowids = np.repeat(np.arange(case.nrows), lengths).astype(np.int64)
        for other in (tf.RaggedTensor.from_row_splits(rt.flat_values, splits),
                      tf.RaggedTensor.from_value_rowids(rt.flat_values, rowids, nrows=case.nrows),
                      tf.RaggedTensor.from_tensor(rt.to_tensor(), lengths=lengths)):
            assert_rows_equal(other.to_list(), case.rows, case.dtype)
