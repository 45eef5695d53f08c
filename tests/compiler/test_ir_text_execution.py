"""The IR text keeps a graph's meaning: for every op of the table, the graph parsed back from its
printed text computes bitwise the same outputs as the graph it was printed from.

SavedModels store functions as this text and run the parsed graph, so an attribute that prints
and parses back as a different value (a float that loses digits, a dtype that changes, a tuple
that becomes a list the implementation reads differently) would silently change what a loaded
model computes. `test_text_roundtrip.py` checks the text itself; this file runs both graphs.

Both graphs run through `compiler.lower.to_jax_function` uncompiled (JAX's op-by-op dispatch):
jitting 2 x ~300 one-node graphs costs more in compilation than the whole check (measured).
The random ops take their seed as an input, so both graphs must draw the same numbers.
Only ops called with attributes are run: an op without any prints as its name and operands
alone, so equal text (checked for every op by test_text_roundtrip.py) is the same computation.
"""
import jax
import numpy as np
import pytest

from compiler import parse_program, print_program, program_constants
from compiler.ir import Graph
from compiler.lower import to_jax_function

from tests.compiler.test_text_roundtrip import OPS, _graph_of

_I32, _I64, _F32, _F64 = np.int32, np.int64, np.float32, np.float64

# Inputs for ops whose parameters must mean something (a permutation, a valid index or shape, a
# domain where the generic (0.1, 0.9) floats give only NaN): op -> {parameter index: value}.
# Parameters not named here get generic values (see `_generic`).
SPECIAL = {
    "acosh": {0: np.array([1.0, 1.5, 3.0], _F32)},
    "polygamma": {0: np.array([0.0, 2.0], _F32)},
    "zeta": {0: np.array([2.0, 3.5], _F32), 1: np.array([0.5, 1.5], _F32)},
    "broadcast_args": {0: np.array([2, 3], _I32), 1: np.array([1], _I32)},
    "boolean_mask": {1: np.array([True, False, True])},  # size=2 entries are true
    "cholesky": {0: np.array([[2.0, 0.5], [0.5, 1.0]], _F32)},
    "dropout": {1: np.array([0.05, 0.5, 0.02, 0.9], _F32)},  # rate=0.1: drops two
    "floordiv": {0: np.arange(-7, 8, dtype=_I32), 1: np.array(-2, _I32)},
    "floormod": {0: np.arange(-7, 8, dtype=_I32), 1: np.array(3, _I32)},
    "truediv": {1: np.array(2, _I32)},
    "truncatediv": {0: np.array([7.5, -7.5], _F32), 1: np.array(2.0, _F32)},
    "truncatemod": {0: np.array([7.5, -7.5], _F32), 1: np.array(2.0, _F32)},
    "in_top_k": {1: np.array([0, 1], _I32)},
    "sparse_softmax_cross_entropy": {0: np.array([1, 0], _I32)},
    "lu_reconstruct": {1: np.array([[2, 0, 3, 1], [0, 1, 2, 3]], _I32)},
    "lu_solve": {1: np.array([1, 2, 0], _I32)},
    "random_binomial": {1: np.array(5.0, _F32), 2: np.array(0.3, _F32)},
    "random_uniform": {1: np.array(-1.0, _F32), 2: np.array(2.0, _F32)},
    "random_parameterized_truncated_normal": {1: np.array(0.0, _F32), 2: np.array(1.0, _F32),
                                              3: np.array(-1.0, _F32), 4: np.array(0.5, _F32)},
    "random_shuffle": {1: np.arange(20, dtype=_I64)},
    "saturate_cast": {0: np.linspace(-300, 300, 12).reshape(3, 4).astype(_F32)},
    "searchsorted": {0: np.array([[0.1, 0.3, 0.5, 0.7], [0.2, 0.2, 0.6, 0.9]], _F32),
                     1: np.array([[0.3, 0.0, 0.8], [0.2, 0.7, 1.0]], _F32)},
    "segment_max": {1: np.array([0, 0, 2], _I32)},
    "segment_mean": {1: np.array([0, 1, 1], _I32)},
    "segment_min": {1: np.array([0, 2, 2], _I32)},
    "segment_prod": {1: np.array([0, 0, 1], _I32)},
    "segment_sqrt_n": {1: np.array([0, 0, 2], _I32)},
    "segment_sum": {1: np.array([0, 2], _I32)},
    "unique": {0: np.array([2, 0, 2], _I32)},
    # sparse: indices of a (3, 4) tensor, in order; positions past the end mean "no value"
    "sparse_to_dense": {0: np.array([[0, 1], [2, 3]], _I64)},
    "sparse_dense_add": {0: np.array([[0, 1], [2, 3]], _I64)},
    "sparse_dense_matmul": {0: np.array([[0, 1], [2, 3]], _I64)},
    "sparse_reorder": {0: np.array([[2, 3], [0, 1]], _I64)},
    "sparse_reshape": {0: np.array([[0, 1], [2, 3]], _I64)},
    "sparse_reduce": {0: np.array([[0, 1], [2, 3]], _I64)},
    "sparse_dense_cwise": {0: np.array([[0, 1], [2, 3]], _I64)},
    "sparse_take": {1: np.array([2, 3], _I64)},
    "sparse_merge_values": {2: np.array([0, 2, 1, 2], _I64), 3: np.array([3, 0, 1, 2], _I64)},
}

# Ops the check cannot run, with the reason. Keep this empty unless an op truly cannot be fed.
SKIP: dict = {}


# Generic float ranges, each op runs with both: (0.1, 0.9), where log, sqrt, acos, atanh, erfinv
# ... are defined, and a signed one, where attributes that act on negative or larger values
# (leaky_relu's alpha, relu6's cap, rounding, casts) change the result. NaNs are compared too.
RANGES = ((0.1, 0.9), (-4.0, 4.0))


def _generic(shape, dtype, rng, low, high):
    """Floats (and complex parts) uniform in (low, high); small non-negative ints (valid
    indices into the small shapes of OPS); random bools."""
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return rng.uniform(low, high, shape).astype(dtype)
    if dtype.kind == "c":
        return (rng.uniform(low, high, shape) + 1j * rng.uniform(low, high, shape)).astype(dtype)
    if dtype.kind in "iu":
        return rng.integers(0, 3, shape).astype(dtype)
    if dtype.kind == "b":
        return rng.integers(0, 2, shape).astype(bool)
    raise TypeError(f"no generic input for dtype {dtype}")


def _inputs(op: str, graph: Graph, low: float = 0.1, high: float = 0.9) -> list:
    rng = np.random.default_rng([sorted(OPS).index(op), int(low < 0)])
    special = SPECIAL.get(op, {})
    assert set(special) <= set(range(len(graph.params))), f"SPECIAL[{op!r}] names parameters the op lacks"
    args = []
    for i, p in enumerate(graph.params):
        shape, dtype = tuple(p.type.shape), np.dtype(p.type.dtype)
        if i in special:
            value = special[i]
            assert value.shape == shape and value.dtype == dtype, \
                f"SPECIAL[{op!r}][{i}] is {value.dtype}{list(value.shape)}, the parameter {p.type}"
        else:
            value = _generic(shape, dtype, rng, low, high)
        # jax arrays, as a loaded function gets them (numpy inputs take the interpreter's
        # shape-value path)
        args.append(jax.device_put(value))
    return args


def _bitwise_same(a, b, what: str):
    a, b = np.asarray(a), np.asarray(b)
    assert a.dtype == b.dtype and a.shape == b.shape, \
        f"{what}: the parsed graph gives {b.dtype}{list(b.shape)}, the original {a.dtype}{list(a.shape)}"
    if a.tobytes() != b.tobytes():
        np.testing.assert_array_equal(b, a, err_msg=f"{what}: the parsed graph computes other values")
        raise AssertionError(f"{what}: equal values but different bits (NaN payloads or signed zeros):"
                             f"\n original {a!r}\n parsed   {b!r}")


@pytest.mark.parametrize("op", sorted(op for op, (_, attrs) in OPS.items() if attrs))
def test_the_parsed_graph_computes_the_same_outputs(op):
    if op in SKIP:
        pytest.skip(SKIP[op])
    graph = _graph_of(op)
    parsed = parse_program(print_program(graph), program_constants(graph))
    assert len(parsed.params) == len(graph.params)
    original, loaded = to_jax_function(graph), to_jax_function(parsed)
    for low, high in RANGES:  # the second set reuses the first one's per-primitive compilations
        args = _inputs(op, graph, low, high)
        expected, got = original(*args), loaded(*args)
        assert len(got) == len(expected) == len(graph.results)
        for i, (a, b, v) in enumerate(zip(expected, got, graph.results)):
            what = f"{op} output {i} (floats in ({low}, {high}))"
            _bitwise_same(a, b, what)
            # the outputs also have the types the graph declares (what a loaded signature promises)
            assert np.asarray(a).dtype == np.dtype(v.type.dtype), f"{what}: {np.asarray(a).dtype} vs {v.type}"
            assert np.ndim(a) == len(v.type.shape) and \
                all(d is None or d == n for d, n in zip(v.type.shape, np.shape(a))), \
                f"{what}: shape {np.shape(a)} vs {v.type}"


def test_special_inputs_name_ops_of_the_table():
    assert set(SPECIAL) <= set(OPS) and set(SKIP) <= set(OPS)
