"""The IR text round-trips: parse(print(g)) prints the same text, for every op in the table."""
from textwrap import dedent

import ml_dtypes
import numpy as np
import pytest

import tfx_lite as tf
from compiler import (REGISTRY, GraphBuilder, IRParseError, TensorType, bind, defop, graph_constants,
                      parse_graph, parse_program, print_graph, print_program, program_constants, verify)
from compiler.ir import Graph, graphs_in
from compiler.parser import parse_type
from tfx_lite.framework.tensor import SymbolicTensor


def case(types: str, **attrs):
    """(input types, attributes) of one op call; inputs become graph parameters."""
    return [parse_type(t) for t in types.split()], attrs


def _sub(name: str, types: str, fn) -> Graph:
    """A sub-graph (a branch or loop body) for the control-flow ops' entries."""
    with GraphBuilder(name) as b:
        params = [b.param(parse_type(t), f"x{i}") for i, t in enumerate(types.split())]
        out = fn(*params)
        b.graph.results = list(out) if isinstance(out, tuple) else [out]
    return b.graph


_NEG = lambda x: bind("neg", x)  # noqa: E731


# One call of every op (first seen when the tfx_lite tests ran; shapes kept small). A new op fails
# test_every_op_round_trips until it has an entry here.
OPS = {
    "const": case("", value=np.float32([1.5, -2.0, np.inf])),
    "cond": case("bool[] f32[3]", true=_sub("cond_true", "f32[3]", _NEG),
                 false=_sub("cond_false", "f32[3]", lambda x: x)),
    "switch_case": case("i32[] f32[3]", branches=(_sub("branch0", "f32[3]", _NEG),
                                                  _sub("branch1", "f32[3]", lambda x: x))),
    "while_loop": case("i32[] f32[3] i32[]",
                       cond=_sub("while_cond", "i32[] f32[3] i32[]", lambda i, x, n: bind("less", i, n)),
                       body=_sub("while_body", "i32[] f32[3]",
                                 lambda i, x: (bind("add", i, np.int32(1)), _NEG(x))),
                       num_vars=2, num_cond_extra=1),
    "map": case("f32[2,3]", fn=_sub("map_fn_body", "f32[3]", _NEG), num_elems=1),
    "scan": case("f32[3] f32[2,3]", fn=_sub("scan_body", "f32[3] f32[3]", lambda a, x: bind("add", a, x)),
                 num_carry=1, num_elems=1, reverse=False, final=False, init_from_elems=False),
    "vectorized_map": case("f32[2,3]", fn=_sub("vectorized_map_body", "f32[3]", _NEG), num_elems=1),
    "call": case("f32[3] f32[]", fn=_sub("called", "f32[3] f32[]", lambda x, y: (bind("mul", x, y), _NEG(y)))),
    "replica_map": case("f32[4] f32[]", fn=_sub("replica", "f32[4] f32[]", lambda x, y: (bind("mul", x, y), y)),
                        devices=(0,), sharded=(True, False), num_results=1),
    "all_reduce": case("f32[3]", reduce_op="SUM"),
    "replica_id": case(""),
    "stop_gradient": case("f32[3]"),
    "custom_gradient": case("f32[3]", fwd=_sub("fwd", "f32[3]", lambda x: (bind("sin", x), x)),
                            bwd=_sub("bwd", "f32[3] f32[3]", lambda dy, x: bind("mul", dy, bind("cos", x))),
                            num_outputs=1),
    "recompute_grad": case("f32[3]", fn=_sub("block", "f32[3]", _NEG)),
    "vjp": case("f32[3] f32[] f32[3]", fn=_sub("grad", "f32[3] f32[]", lambda x, y: bind("mul", x, y)),
                num_sources=1, num_targets=1, batched=False),
    "abs": case("f64[2,3]"),
    "acos": case("f64[2,3]"),
    "acosh": case("f32[3]"),
    "add": case("f32[3,4] f32[]"),
    "add_n": case("f32[2,2] f32[2,2]"),
    "angle": case("c128[3]"),
    "approx_top_k": case("f32[4]",
                         k=2, reduction_dimension=-1, recall_target=0.95, is_max_k=True,
                         reduction_input_size_override=-1, aggregate_to_topk=True),
    "argmax": case("f32[2,3]", axis=1, output_type='int64'),
    "argmin": case("f64[2,3]", axis=0, output_type='int64'),
    "argsort": case("i32[6]", axis=0, descending=False),
    "asin": case("f64[2,3]"),
    "asinh": case("f32[2,3]"),
    "atan": case("f64[2,3]"),
    "atan2": case("f32[4] f32[4]"),
    "atanh": case("f32[3]"),
    "average_loss": case("f32[3]", batch_size=3),
    "avg_pool": case("f32[2,6,5,3]", ksize=(3, 3), strides=(2, 2), padding='SAME', channels_first=False),
    "band_part": case("f64[3,5,4]", num_lower=1, num_upper=2),
    "batch_normalization": case("f16[1,2] f32[2] f32[2] f32[] f32[]", epsilon=0.001),
    "bessel_i0": case("f32[3]"),
    "bessel_i0e": case("f32[3]"),
    "bessel_i1": case("f64[3]"),
    "bessel_i1e": case("f32[3]"),
    "betainc": case("f32[2] f32[2] f32[2]"),
    "bias_add": case("f32[2,3,6,5] f32[3]", channels_first=True),
    "bincount": case("i32[3] i32[3]", size=4, binary_output=False, batched=False),
    "bitcast": case("f32[3,4]", dtype='uint16'),
    "bitwise_and": case("i32[2,3] i32[]"),
    "bitwise_not": case("i32[]"),
    "bitwise_or": case("i32[] i32[]"),
    "bitwise_xor": case("i32[] i32[]"),
    "boolean_mask": case("f32[3,4] bool[3]", axis=0, size=2),
    "broadcast_args": case("i32[2] i32[1]"),
    "broadcast_to": case("f32[1,4]", shape=(2, 3, 4)),
    "cast": case("f32[3,4]", dtype='int8'),
    "ceil": case("f64[2,3]"),
    "cholesky": case("f32[2,2]"),
    "cholesky_solve": case("f64[3,3] f64[3,2]"),
    "clip_by_value": case("f32[2,3] f32[] f32[]"),
    "concat": case("f32[3,4] f32[3,4] f32[1,4]", axis=0),
    "conj": case("c128[3]"),
    "conv": case("f32[2,7,6,3] f32[3,2,3,4]", strides=(1, 1), padding='SAME', dilations=(1, 1), channels_first=False),
    "conv_transpose": case("f32[1,3,3,4] f32[3,3,2,4]",
                           output_shape=(1, 6, 6, 2), strides=(2, 2), padding='SAME', dilations=(1, 1),
                           channels_first=False),
    "cos": case("f64[2,3]"),
    "cosh": case("f32[2,3]"),
    "count_nonzero": case("f32[2,3]", axis=(0,), keepdims=False, dtype='int64'),
    "crelu": case("f32[2,2]", axis=1),
    "cross": case("f32[3] f32[3]"),
    "cumprod": case("i32[4]", axis=0, exclusive=False, reverse=False),
    "cumsum": case("f32[2,3]", axis=1, exclusive=True, reverse=True),
    "cumulative_logsumexp": case("f32[3]", axis=0, exclusive=False, reverse=False),
    "depth_to_space": case("i32[1,1,2,8]", block_size=2, channels_first=False),
    "depthwise_conv2d": case("f32[2,6,5,3] f32[2,2,3,2]",
                             strides=(1, 1), padding='SAME', dilations=(1, 1), channels_first=False),
    "depthwise_conv2d_backprop": case("f32[2,6,6,3] f32[2,3,3,6]",
                                      sizes=(3, 3, 3, 2), which='filter', strides=(2, 2), padding='SAME',
                                      dilations=(1, 1), channels_first=False),
    "digamma": case("f64[2,3]"),
    "dilation2d": case("f32[2,6,6,3] f32[2,3,3]", strides=(2, 1), padding='SAME', dilations=(1, 2)),
    "divide_no_nan": case("c128[3] c128[3]"),
    "dropout": case("f32[4] f32[4]", rate=0.1),
    "dynamic_index": case("f32[3,3] i32[]", axes=(0,)),
    "eig": case("f64[3,3]"),
    "eigvals": case("f32[2,2]"),
    "einsum": case("f32[2,3] f32[3,4]", equation='ij,jk->ik'),
    "elu": case("f32[9]"),
    "embedding_lookup": case("i32[3] f32[3,2]"),
    "equal": case("i32[2] i32[]"),
    "erf": case("f64[2,3]"),
    "erfc": case("f32[2,3]"),
    "erfcinv": case("f32[3]"),
    "erfinv": case("f32[3]"),
    "erosion2d": case("f32[2,6,6,3] f32[2,3,3]", strides=(1, 1), padding='SAME', dilations=(1, 1)),
    "exp": case("f64[2,3]"),
    "expand_dims": case("f32[3,4]", axis=-1),
    "expm1": case("f64[2,3]"),
    "eye": case("", num_rows=3, num_columns=2, batch_shape=(2,), dtype='float32'),
    "fill": case("i32[]", shape=(2, 2)),
    "floor": case("f64[2,3]"),
    "floordiv": case("i32[15] i32[]"),
    "floormod": case("i32[15] i32[]"),
    "gather": case("f32[3,4] i32[2,2]", axis=1, batch_dims=0),
    "gather_nd": case("f32[3,4] i32[2,2]", batch_dims=0),
    "gelu": case("f32[9]", approximate=True),
    "global_norm": case("f32[2] f32[]"),
    "greater": case("f32[3,4] f32[]"),
    "greater_equal": case("u8[3] u8[]"),
    "identity": case("f32[3,4]"),
    "igamma": case("f32[2] f32[2]"),
    "igammac": case("f32[2] f32[2]"),
    "imag": case("c128[3]"),
    "in_top_k": case("f32[2,2] i32[2]", k=1),
    "is_finite": case("f32[6]"),
    "is_inf": case("f32[6]"),
    "is_nan": case("f32[6]"),
    "is_non_decreasing": case("i32[2,2]"),
    "is_strictly_increasing": case("i32[2]"),
    "l2_loss": case("f32[2,3,4]"),
    "l2_normalize": case("f32[2]", axis=None, epsilon=1e-12),
    "leaky_relu": case("f32[9]", alpha=0.01),
    "less": case("i32[3] i32[]"),
    "less_equal": case("i32[2] i32[]"),
    "lgamma": case("f64[2,3]"),
    "linspace": case("f32[4] f32[4]", num=5, axis=1),
    "log": case("f64[2,3]"),
    "log1p": case("f64[2,3]"),
    "log_matrix_determinant": case("f32[2,2]"),
    "log_poisson_loss": case("f32[2] f32[2]", compute_full_loss=False),
    "log_sigmoid": case("f64[2,3]"),
    "log_softmax": case("f32[2,3,4]", axis=0),
    "logdet": case("f32[2,2]"),
    "logical_and": case("bool[] bool[]"),
    "logical_not": case("bool[2]"),
    "logical_or": case("bool[2,3] bool[]"),
    "logical_xor": case("bool[1] bool[2]"),
    "lrn": case("f32[1,1,2,4]", depth_radius=5, bias=1.0, alpha=1.0, beta=0.5),
    "lstsq": case("f32[3,2] f32[3,1]", l2_regularizer=0.0, fast=True),
    "lu": case("f64[2,4,4]", output_idx_type='int32'),
    "lu_reconstruct": case("f64[2,4,4] i32[2,4]"),
    "lu_solve": case("f64[3,3] i32[3] f64[3,3]"),
    "matmul": case("f32[2,3] f32[2,3]", transpose_a=False, transpose_b=True),
    "matrix_determinant": case("f32[2,2]"),
    "matrix_diag": case("f64[3,4,4]", k=(-1, 2), num_rows=5, num_cols=4, padding_value=0.0, align='RIGHT_LEFT'),
    "matrix_diag_part": case("f64[3,5,4]", k=(-1, 2), padding_value=0.0, align='RIGHT_LEFT'),
    "matrix_exponential": case("f32[2,2]"),
    "matrix_inverse": case("f32[2,2]", adjoint=False),
    "matrix_rank": case("f32[2,2]", tol=None),
    "matrix_set_diag": case("f64[3,5,4] f64[3,4,4]", k=(-1, 2), align='RIGHT_LEFT'),
    "matrix_solve": case("f32[2,2] f32[2,1]", adjoint=False),
    "matrix_transpose": case("c128[1,2]", conjugate=True),
    "matvec": case("f32[2,2] f32[2]", transpose_a=False, adjoint_a=False),
    "max_pool": case("f32[2,6,5,3]", ksize=(3, 3), strides=(2, 2), padding='SAME', channels_first=False),
    "max_pool_with_argmax": case("f32[2,4,2,2]",
                                 ksize=(2, 2), strides=(2, 2), padding='VALID', include_batch_in_index=False,
                                 output_dtype='int64'),
    "maximum": case("f32[2,3] f32[2,3]"),
    "meshgrid": case("f32[4] f32[2]", indexing='xy'),
    "minimum": case("i32[2,2,2] i32[1,2,1]"),
    "moments": case("f32[2,3,3,4]", axis=(0, 1, 2), keepdims=False),
    "mul": case("f32[3,4] f32[]"),
    "multiply_no_nan": case("f32[3] f32[3]"),
    "ndtri": case("f32[3]"),
    "neg": case("f32[3,4]"),
    "nextafter": case("f64[1] f64[1]"),
    "norm": case("f64[2,3,4]", ord=2, axis=(1, 2), keepdims=False),
    "normalize_moments": case("f32[] f32[2] f32[2] f32[]"),
    "not_equal": case("f32[2,3] f32[]"),
    "one_hot": case("i32[2,2] f32[] f32[]", depth=4, axis=1),
    "ones": case("", shape=(2,), dtype='float32'),
    "ones_like": case("f32[3,4]"),
    "optimizer_update": case("f32[2,2] f32[2] f32[2,2] f32[2] f32[2,2] f32[2] i64[] f32[]", num_vars=2,
                             rule=("sgd", (("momentum", 0.9), ("nesterov", True), ("loss_scale_factor", 2.0),
                                           ("weight_decay", 0.004)))),
    "pad": case("f32[3,4] f32[]", paddings=((1, 2), (0, 1)), mode='CONSTANT'),
    "pinv": case("f32[3,2]", rcond=None),
    "polygamma": case("f32[2] f32[2]"),
    "pow": case("i32[3] i32[]"),
    "qr": case("f64[4,3]", full_matrices=True),
    "random_binomial": case("i64[2] f32[] f32[]", shape=(6,), dtype='int32'),
    "random_categorical": case("i64[3] f32[1,3]", num_samples=20, dtype='int64'),
    "random_fold_in": case("i64[2] i32[]"),
    "random_gamma": case("i64[3] f32[] f32[]", shape=(5,), dtype='float32'),
    "random_normal": case("i64[3] f32[] f32[]", shape=(4,), dtype='float32'),
    "random_parameterized_truncated_normal": case("i64[2] f32[] f32[] f32[] f32[]", shape=(5,), dtype='float32'),
    "random_poisson": case("i64[3] f32[]", shape=(5,), dtype='float32'),
    "random_seed_pairs": case("i64[3]"),
    "random_shuffle": case("i64[3] i64[20]"),
    "random_truncated_normal": case("i64[3] f32[] f32[]", shape=(5,), dtype='float32'),
    "print": case("i32[3] f32[]", template=(("x =",), ("[", "] and ", "")), stream="stdout",
                  summarize=3, sep=" ", end="\n"),
    "random_uniform": case("i64[3] f32[] f32[]", shape=(5,), dtype='float32'),
    "random_uniform_full_int": case("i32[2]", shape=(3, 2), dtype='int32'),
    "range": case("", start=1, limit=10, delta=3, dtype='int32'),
    "rank": case("f32[3,4]"),
    "real": case("c64[2]"),
    "realdiv": case("f32[2,3] f32[]"),
    "reciprocal": case("f64[2,3]"),
    "reciprocal_no_nan": case("f32[3]"),
    "reduce_all": case("bool[2,3]", axis=(0,), keepdims=True),
    "reduce_any": case("bool[2,3]", axis=(1,), keepdims=False),
    "reduce_euclidean_norm": case("c128[1]"),
    "reduce_logsumexp": case("f32[2,3]", axis=(0,), keepdims=False),
    "reduce_max": case("f16[1]"),
    "reduce_mean": case("f32[2,3]", axis=(1,), keepdims=True),
    "reduce_min": case("f16[1]"),
    "reduce_prod": case("i64[3,3]", axis=None, keepdims=True),
    "reduce_std": case("f32[2,3]", axis=(0, 1), keepdims=False),
    "reduce_sum": case("f32[2,2]"),
    "reduce_variance": case("f32[2,3]"),
    "relu": case("f32[1,2]"),
    "relu6": case("f32[9]"),
    "repeat": case("f32[3,4]", repeats=(1, 0, 2), axis=0),
    "reshape": case("f32[3,4]", shape=(2, -1, 3)),
    "reverse": case("f32[3,4]", axis=(0, 1)),
    "reverse_sequence": case("f32[3,4] i32[3]", seq_axis=1, batch_axis=0),
    "rint": case("f64[2,3]"),
    "rng_skip": case("i64[3] i64[]"),
    "roll": case("f32[3,4]", shift=(1, -1), axis=(0, 1)),
    "round": case("f64[2,3]"),
    "rsqrt": case("f64[2,3]"),
    "saturate_cast": case("f32[3,4]", dtype='uint8'),
    "scatter_nd": case("i32[2,1] f32[2,4]", shape=(3, 4)),
    "segment_max": case("i32[3] i32[3]", num_segments=3, empty_zero=True),
    "segment_mean": case("f32[3] i32[3]", num_segments=2),
    "segment_min": case("f32[3] i32[3]", num_segments=3, empty_zero=True),
    "segment_prod": case("i32[3] i32[3]", num_segments=3),
    "segment_sqrt_n": case("f32[3] i32[3]", num_segments=3),
    "segment_sum": case("f32[2,3] i32[2]", num_segments=3),
    "select": case("bool[3,4] f32[3,4] f32[3,4]"),
    "self_adjoint_eig": case("f64[3,3]"),
    "self_adjoint_eigvals": case("f32[3,3]"),
    "selu": case("f32[9]"),
    "sequence_mask": case("i32[2]", maxlen=4, dtype='float32'),
    "shape": case("f32[3,4]", out_type='int64'),
    "sigmoid": case("f64[2,3]"),
    "sigmoid_cross_entropy": case("f32[3] f32[3]"),
    "sign": case("f64[2,3]"),
    "silu": case("f32[9]", beta=2.0),
    "sin": case("f64[2,3]"),
    "sinh": case("f32[2,3]"),
    "size": case("f32[3,4]", out_type='int32'),
    "slice": case("f32[3,4]", begin=(1, 1), size=(-1, 2)),
    "softmax": case("f32[2,3]", axis=-1),
    "softmax_cross_entropy": case("f32[4,5] f32[4,5]", axis=1),
    "softplus": case("f64[2,3]"),
    "softsign": case("f32[2,3]"),
    "sort": case("i32[6]", axis=0, descending=True),
    "space_to_depth": case("i32[1,4,4,1]", block_size=2, channels_first=False),
    "sparse_softmax_cross_entropy": case("i32[2] f32[2,2]"),
    "split": case("f32[3,4]", sizes=(1, -1), axis=1),
    "sqrt": case("f64[2,3]"),
    "square": case("f64[2,3]"),
    "squared_difference": case("c128[1] c128[1]"),
    "squeeze": case("f32[1,3,1,4]", axis=(0,)),
    "stack": case("f32[3,4] f32[3,4]", axis=2),
    "strided_slice": case("f32[3,4]", begin=(0,), end=(1,), strides=(1,), begin_mask=1),
    "strided_slice_update": case("i32[2,2] i32[2]", begin=(0,), end=(1,), strides=(1,), shrink_axis_mask=1),
    "sub": case("f16[] f16[]"),
    "sufficient_statistics": case("f32[2,2] f32[]", axis=(0,), keepdims=False),
    "svd": case("f64[4,3]", full_matrices=False, compute_uv=True),
    "tan": case("f32[4]"),
    "tanh": case("f64[2,3]"),
    "tensor_diag": case("i32[2]"),
    "tensor_diag_part": case("i32[2,2]"),
    "tensor_scatter_nd_add": case("i32[4] i32[2,1] i32[2]"),
    "tensor_scatter_nd_max": case("f32[3,4] i32[1,1] f32[1,4]"),
    "tensor_scatter_nd_min": case("i32[4] i32[2,1] i32[2]"),
    "tensor_scatter_nd_sub": case("i32[4] i32[2,1] i32[2]"),
    "tensor_scatter_nd_update": case("f32[3,4] i32[1,2] f32[1]"),
    "tensordot": case("f32[2,3] f32[3,2]", axes=((1,), (0,))),
    "tile": case("f32[3,4]", multiples=(2, 1)),
    "top_k": case("f32[1,3]", k=2, index_type='int32'),
    "trace": case("i32[2,2]"),
    "transpose": case("f32[2,3,2]", perm=(2, 0, 1)),
    "triangular_solve": case("f32[2,2] f32[2,1]", lower=True, adjoint=True),
    "truediv": case("i32[3] i32[]", dtype='float64'),
    "truncatediv": case("f32[2] f32[]"),
    "truncatemod": case("f32[2] f32[]"),
    "searchsorted": case("f32[2,4] f32[2,3]", side='right', out_type='int64'),
    "sparse_to_dense": case("i64[2,2] f32[2] f32[]", shape=(3, 4)),
    "sparse_dense_add": case("i64[2,2] f32[2] f32[3,4]"),
    "sparse_dense_matmul": case("i64[2,2] f32[2] f32[4,5]", shape=(3, 4), adjoint_a=False, adjoint_b=True),
    "sparse_reorder": case("i64[2,2] f32[2]"),
    "sparse_reshape": case("i64[2,2]", shape=(3, 4), new_shape=(2, 6)),
    "sparse_reduce": case("i64[2,2] f32[2]", shape=(3, 4), axes=(1,), keepdims=False, reducer='max'),
    "sparse_dense_cwise": case("i64[2,2] f32[2] f32[4]", shape=(3, 4), kind='div'),
    "sparse_take": case("f32[3] i64[2] f32[]"),
    "sparse_merge_values": case("f32[2] f32[3] i64[4] i64[4]", kind='add'),
    "unique": case("i32[3]", size=2, out_idx='int32'),
    "unravel_index": case("i32[2]", dims=(3, 4)),
    "unstack": case("f32[3,4]", axis=1),
    "weighted_cross_entropy": case("f32[3] f32[3] f32[]"),
    "weighted_moments": case("f32[2,2] f32[2,1]", axis=(0,), keepdims=False),
    "where": case("bool[3,4]", size=2),
    "xdivy": case("f32[2] f32[2]"),
    "xlog1py": case("f32[2] f32[2]"),
    "xlogy": case("f32[3] f32[3]"),
    "zero_fraction": case("i32[4]"),
    "zeros": case("", shape=(2, 3), dtype='int64'),
    "zeros_like": case("f32[3,4]", dtype='int32'),
    "zeta": case("f32[2] f32[2]"),
}


def _graph_of(op: str) -> Graph:
    types, attrs = OPS[op]
    with GraphBuilder(f"test_{op}") as b:
        params = [b.param(t, f"a{i}") for i, t in enumerate(types)]
        out = bind(op, *params, **attrs)
        b.graph.results = list(out) if isinstance(out, tuple) else [out]
    return b.graph


def _round_trip(graph: Graph, program: bool = False) -> Graph:
    """Parse the printed graph back; assert it prints the same text and has the same constants."""
    show, constants_of, parse = ((print_program, program_constants, parse_program) if program
                                 else (print_graph, graph_constants, parse_graph))
    text, constants = show(graph), constants_of(graph)
    parsed = parse(text, constants)
    assert show(parsed) == text
    again = constants_of(parsed)
    assert len(again) == len(constants)
    for a, b in zip(constants, again):
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(a, b)
    verify(graph)
    verify(parsed)
    return parsed


# Host-only ops (strings) are refused while tracing, so no IR program holds them.
@pytest.mark.parametrize("op", sorted(n for n, d in REGISTRY.items() if not n.startswith("test_") and not d.host_only))
def test_every_op_round_trips(op):
    assert op in OPS, f"op {op!r} has no entry in OPS of {__file__}: add one (input types, attributes)"
    graph = _graph_of(op)
    parsed = _round_trip(graph, program=any(graphs_in(v) for v in graph.nodes[0].attrs.values()))
    (node,) = parsed.nodes
    assert node.op == op and node.multi_output == _graph_of(op).nodes[0].multi_output


def test_effectful_ops_are_covered():
    assert {"random_uniform", "random_normal", "rng_skip", "print"} <= {n for n in OPS if REGISTRY[n].effect}


def test_large_constants_print_as_references_and_come_back():
    big = np.arange(24, dtype=np.float64).reshape(2, 3, 4)
    ints = np.arange(10, dtype=np.int32)
    with GraphBuilder("g") as b:
        x = b.param(TensorType((2, 3, 4), np.float64), "x")
        y = bind("mul", x, big)
        z = bind("add", y, np.float64(1.0))
        b.graph.results = [z, bind("add", b.constant(ints), b.constant(ints[::-1].copy()))]
    text = print_graph(b.graph)
    assert "%0 = const() {value=@c0} : f64[2,3,4]" in text
    assert "{value=@c1} : i32[10]" in text and "{value=@c2} : i32[10]" in text
    assert "value=array(1.0, float64)" in text
    constants = graph_constants(b.graph)
    assert [c.shape for c in constants] == [(2, 3, 4), (10,), (10,)]
    np.testing.assert_array_equal(constants[2], ints[::-1])
    parsed = _round_trip(b.graph)
    np.testing.assert_array_equal(parsed.nodes[0].attrs["value"], big)
    # a mapping (e.g. a loaded .npz) works too
    named = parse_graph(text, {f"c{i}": c for i, c in enumerate(constants)})
    assert print_graph(named) == text


def test_missing_constants_are_an_error():
    with GraphBuilder("g") as b:
        b.graph.results = [b.constant(np.zeros(20, np.float32))]
    with pytest.raises(IRParseError, match=r"line 2: .*constant @c0 is not in the constants given"):
        parse_graph(print_graph(b.graph))


# --- attribute values ---

def _identity(x, **attrs):
    return x


if "test_attrs" not in REGISTRY:
    defop("test_attrs")(_identity)

ATTR_VALUES = {
    "none": None, "true": True, "false": False, "int": -3, "big_int": 2 ** 70, "float": 0.1,
    "small": 1e-300, "inf": float("inf"), "neg_inf": float("-inf"), "nan": float("nan"),
    "complex": 1 - 2j, "complex_nan": complex(float("nan"), float("inf")), "string": "a'b\"c} {=@x%0, \\",
    "bytes": b"\x00\xff", "empty": (), "one": (1,), "nested": ((1, 2), (None, "x"), (float("inf"),)),
    "list": [1, [2.5, None]], "dict": {"a": (1,), 2: "b"}, "dtype": np.dtype(np.float32),
    "bf16": np.dtype(ml_dtypes.bfloat16), "bool_dtype": np.dtype(bool), "dtypes": (np.dtype(np.int8),),
    "np_scalar": np.float32(0.5), "np_int": np.int64(-7), "np_bool": np.bool_(True),
    "array": np.array([[1, 2], [3, 4]], np.int16), "scalar": np.array(2.5, np.float16),
    "empty_array": np.zeros((0, 3), np.float32), "bool_array": np.array([True, False]),
    "bf16_array": np.array([1.5, -2], ml_dtypes.bfloat16), "c64_array": np.array([1 + 1j, np.nan], np.complex64),
    "strings": np.array([b"ab", b"c"], dtype=object), "nan_array": np.array([np.nan, -np.inf], np.float32),
    "arrays": (np.arange(3), np.arange(9)), "_annotation": True,
}


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray):
        return (isinstance(b, np.ndarray) and a.dtype == b.dtype and a.shape == b.shape
                and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    if isinstance(a, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, dict):
        return type(b) is dict and list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (float, complex, np.floating)) and a != a:
        return type(a) is type(b) and np.isnan(b)
    if isinstance(a, complex) and np.isnan(a.real):
        return type(b) is complex and np.isnan(b.real) and a.imag == b.imag
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("name", sorted(ATTR_VALUES))
def test_attribute_values_round_trip(name):
    value = ATTR_VALUES[name]
    g = Graph("attrs")  # by hand: bind's cached inference needs hashable attributes
    x = g.add_param(TensorType((2,), np.float32), "x")
    g.results = list(g.add_node("test_attrs", (x,), {name: value}, (x.type,)).outputs)
    parsed = _round_trip(g)
    assert _same(value, parsed.nodes[0].attrs[name]), (value, parsed.nodes[0].attrs[name])


def test_inf_and_nan_print_as_their_repr():
    with GraphBuilder("attrs") as b:
        x = b.param(TensorType((), np.float32), "x")
        b.graph.results = [bind("test_attrs", x, lo=float("-inf"), hi=(float("inf"), float("nan")))]
    assert "{hi=(inf, nan), lo=-inf} : f32[]" in print_graph(b.graph)


# --- whole graphs ---

def _trace(fn, *types):
    with GraphBuilder(fn.__name__) as b:
        args = [SymbolicTensor(b.param(TensorType(shape, dtype), name)) for name, shape, dtype in types]
        out = fn(*args)
        b.graph.results = [t._value for t in (out if isinstance(out, tuple) else (out,))]
    return b.graph


def test_a_traced_tfx_lite_function_round_trips():
    def step(x, w, seed):
        h = tf.nn.relu(tf.matmul(x, w) + tf.constant(np.linspace(0, 1, 12).reshape(4, 3), tf.float32)[:1])
        noise = tf.random.stateless_uniform((4, 3), seed=seed)
        total = tf.reduce_sum(h * noise, axis=1)
        return total, tf.argmax(h, axis=-1)

    graph = _trace(step, ("x", (4, 8), np.float32), ("w", (8, 3), np.float32), ("seed", (2,), np.int64))
    assert "@c0" in print_graph(graph)
    _round_trip(graph)


def test_parameter_names_that_are_not_identifiers_are_quoted():
    g = Graph("odd")
    a = g.add_param(TensorType((2,), np.float32), "dense/kernel:0")
    b = g.add_param(TensorType((2,), np.float32), "0")
    c = g.add_param(TensorType((2,), np.float32), "a")
    d = g.add_param(TensorType((2,), np.float32), "a")
    (s,) = g.add_node("add", (a, b), {}, (TensorType((2,), np.float32),)).outputs
    (t,) = g.add_node("add", (c, d), {}, (TensorType((2,), np.float32),)).outputs
    g.results = [s, t]
    text = print_graph(g)
    assert text.splitlines()[0] == ("func @odd(%'dense/kernel:0': f32[2], %'0': f32[2], %a: f32[2], "
                                   "%a_: f32[2]) -> (f32[2], f32[2]) {")
    parsed = _round_trip(g)
    assert [p.name for p in parsed.params] == ["dense/kernel:0", "0", "a", "a_"]


def test_hand_written_text_parses():
    text = dedent("""\

        func @f(%x: f32[4,8], %y: f32[8,2]) -> f32[4,2] {
          %m = matmul(%x, %y)   {transpose_a=False , transpose_b=False}: f32[4,2]

          %r = relu(%m) : f32[4,2]
          return %r
        }
        """)
    g = parse_graph(text)
    assert print_graph(g) == dedent("""\
        func @f(%x: f32[4,8], %y: f32[8,2]) -> (f32[4,2]) {
          %0 = matmul(%x, %y) {transpose_a=False, transpose_b=False} : f32[4,2]
          %1 = relu(%0) : f32[4,2]
          return %1
        }""")
    verify(g)


def test_a_graph_without_results_or_parameters_round_trips():
    g = Graph("empty")
    assert print_graph(g) == "func @empty() -> () {\n  return \n}"
    _round_trip(g)


# --- programs: sub-graphs in attributes ---

if "test_call" not in REGISTRY:
    defop("test_call")(lambda *xs, body, **attrs: xs[0])


def _callee(name: str, calls=None) -> Graph:
    with GraphBuilder(name) as b:
        x = b.param(TensorType((3,), np.float32), "x")
        y = bind("neg", x)
        if calls is not None:
            y = bind("test_call", y, body=calls)
        b.graph.results = [bind("mul", y, np.arange(10, dtype=np.float32)[:3] if calls else np.float32(2))]
    return b.graph


def test_print_program_prints_each_referenced_graph_once_in_order_of_mention():
    inner = _callee("inner")
    with GraphBuilder("mid") as b:
        x = b.param(TensorType((3,), np.float32), "x")
        big = bind("add", x, b.constant(np.ones(3, np.float32)))
    mid = b.graph
    mid.results = list(mid.add_node("test_call", (big,), {"body": inner, "fused": np.arange(12, dtype=np.float32)},
                                    (big.type,)).outputs)
    other = _callee("other", calls=inner)
    with GraphBuilder("main") as b:
        x = b.param(TensorType((3,), np.float32), "x")
        y = bind("test_call", x, body=mid, branches=(other, inner))
        b.graph.results = [bind("test_call", y, body=other)]
    text = print_program(b.graph)
    heads = [line for line in text.splitlines() if line.startswith("func")]
    assert [h.split("(")[0] for h in heads] == ["func @main", "func @mid", "func @other", "func @inner"]
    assert "{body=@mid, branches=(@other, @inner)}" in text
    assert "{body=@inner, fused=@c0}" in text
    assert print_program(inner) == print_graph(inner)
    parsed = _round_trip(b.graph, program=True)
    call, last = parsed.nodes
    assert call.attrs["body"].name == "mid"
    assert call.attrs["branches"][1] is call.attrs["body"].nodes[-1].attrs["body"]  # one object per func
    assert last.attrs["body"] is call.attrs["branches"][0]


def test_distinct_graphs_with_one_name_are_renamed_in_a_program():
    a, b_ = _callee("sub"), _callee("sub")
    with GraphBuilder("main") as b:
        x = b.param(TensorType((3,), np.float32), "x")
        b.graph.results = [bind("test_call", x, body=a, other=b_)]
    text = print_program(b.graph)
    assert "{body=@sub, other=@sub.1}" in text and "func @sub.1(" in text
    _round_trip(b.graph, program=True)


def test_recursive_references_print_once():
    g = _callee("rec")
    node = g.add_node("test_call", (g.params[0],), {"body": g}, (TensorType((3,), np.float32),))
    g.results = [node.outputs[0]]
    text = print_program(g)
    assert text.count("func @rec(") == 1
    parsed = parse_program(text)
    assert parsed.nodes[-1].attrs["body"] is parsed
    assert print_program(parsed) == text


def test_parse_graph_refuses_several_funcs_and_unknown_functions():
    inner = _callee("inner")
    with GraphBuilder("main") as b:
        x = b.param(TensorType((3,), np.float32), "x")
        b.graph.results = [bind("test_call", x, body=inner)]
    with pytest.raises(IRParseError, match=r"line 6: expected one func \(use parse_program"):
        parse_graph(print_program(b.graph))
    with pytest.raises(IRParseError, match=r"line 2: attribute 'body': undefined function @inner"):
        parse_graph(print_graph(b.graph))


# --- errors ---

def _func(*body: str, header: str = "func @f(%x: f32[2], %y: f32[3]) -> (f32[2]) {") -> str:
    return "\n".join([header, *(f"  {line}" for line in body), "}"])


@pytest.mark.parametrize("text, lineno, message", [
    (_func("%0 neg(%x) : f32[2]", "return %0"), 2, "expected `%out, ... = op(%in, ...) {name=value, ...} : type, ...`"),
    (_func("%0 = neg %x : f32[2]", "return %0"), 2, "expected the inputs of 'neg' as `(%a, %b, ...)`"),
    (_func("%0 = frobnicate(%x) : f32[2]", "return %0"), 2, "unknown op 'frobnicate'"),
    (_func("%0 = neg(%z) : f32[2]", "return %0"), 2, "undefined value %z"),
    (_func("%0 = neg(%x) : f32[2]", "return %1"), 3, "undefined value %1"),
    (_func("%0 = neg(%x) : f32[3]", "return %0"), 2, "%0 is printed as f32[3], but 'neg' infers f32[2]"),
    (_func("%0 = neg(%x) : q8[2]", "return %0"), 2, "unknown dtype 'q8' in type 'q8[2]'"),
    (_func("%0 = neg(%x) : f32[2,a]", "return %0"), 2, "expected a dimension (an integer or ?)"),
    (_func("%0 = neg(%x)", "return %0"), 2, "expected `: type, ...` giving the types of %0"),
    (_func("%0 = neg(%x) : f32[2], f32[2]", "return %0"), 2, "1 value(s) defined but 2 type(s) given"),
    (_func("%0, %1 = neg(%x) : f32[2], f32[2]", "return %0"), 2, "op 'neg' gives 1 output(s) (f32[2]), the line "
                                                               "defines 2"),
    (_func("%0 = neg(%x) : f32[2]", "%0 = neg(%0) : f32[2]", "return %0"), 3, "value %0 is defined twice"),
    (_func("%0 = add(%x, %y) : f32[2]", "return %0"), 2, "op 'add' rejects inputs (f32[2], f32[3])"),
    (_func("%0 = reduce_sum(%x) {axis=} : f32[]", "return %0"), 2, "expected attributes `{name=value, ...}`"),
    (_func("%0 = reduce_sum(%x) {axis=foo} : f32[]", "return %0"), 2, "attribute 'axis': unknown name 'foo'"),
    (_func("%0 = reduce_sum(%x) {axis=1+x} : f32[]", "return %0"), 2, "attribute 'axis': unknown name 'x'"),
    (_func("%0 = reduce_sum(%x) {axis=f(1)} : f32[]", "return %0"), 2, "attribute 'axis': unsupported attribute "
                                                                        "value 'f(1)'"),
    (_func("%0 = reduce_sum(%x) {axis=None, axis=None} : f32[]", "return %0"), 2, "attribute 'axis' is given twice"),
    (_func("%0 = reduce_sum(%x) {axis=None : f32[]", "return %0"), 2, "expected `}` closing the attributes"),
    (_func("%0 = reduce_sum(%x) {axis=None} f32[]", "return %0"), 2, "expected `: type, ...` after reduce_sum(...)"),
    (_func("return %y"), 2, "returns (f32[3]), but the header says (f32[2])"),
    (_func("%0 = neg(%x) : f32[2]"), 1, "func @f has no `return` line"),
    (_func("return %x", "%0 = neg(%x) : f32[2]"), 3, "expected `}` after `return`"),
    (_func("return %x", header="func @f(%x: f32[2], %x: f32[2]) -> (f32[2]) {"), 1, "parameter %x is defined twice"),
    (_func("return %x", header="func @f(%x f32[2]) -> (f32[2]) {"), 1, "expected parameters `%name: type, ...`"),
    (_func("return %x", header="fun @f(%x: f32[2]) -> (f32[2]) {"), 1, "expected `func @name(%x: f32[4], ...)"),
    (_func("return %x", header="func @f(%x: f32[2]) -> (f32[2])"), 1, "expected `func @name(%x: f32[4], ...)"),
    ("func @f(%x: f32[2]) -> (f32[2]) {\n  return %x", 1, "func has no closing `}`"),
    (_func("return %x", header="func @f(%x: f32[2]) -> (f32[2]) {") + "\n}", 4, "expected `func @name"),
    ("", 1, "expected a func, found no text"),
])
def test_parse_errors_name_the_line_and_what_was_expected(text, lineno, message):
    with pytest.raises(IRParseError) as info:
        parse_graph(text)
    err = info.value
    assert isinstance(err, ValueError) and err.lineno == lineno
    assert message in err.message
    line = text.splitlines()[lineno - 1].strip() if text else ""
    assert str(err) == f"line {lineno}: {err.message}\n    {line}"


def test_two_funcs_with_one_name_are_an_error():
    text = _func("return %x") + "\n" + _func("return %x")
    with pytest.raises(IRParseError, match="line 4: func @f is defined twice"):
        parse_program(text)


def test_a_node_without_outputs_prints_without_types():
    if "test_sink" not in REGISTRY:
        defop("test_sink")(lambda x, **attrs: ())
    with GraphBuilder("sink") as b:
        x = b.param(TensorType((2,), np.float32), "x")
        assert bind("test_sink", x, tag="t") == ()
        b.graph.results = [x]
    assert print_graph(b.graph).splitlines()[1] == "  test_sink(%x) {tag='t'}"
    _round_trip(b.graph)


def test_jax_array_constants_print_like_numpy_ones():
    import jax.numpy as jnp
    g = Graph("j")
    g.results = [g.add_node("const", (), {"value": jnp.arange(3.0, dtype=jnp.float32)},
                            (TensorType((3,), np.float32),)).outputs[0],
                 g.add_node("const", (), {"value": jnp.ones(9, jnp.int32)}, (TensorType((9,), np.int32),)).outputs[0]]
    text = print_graph(g)
    assert "%0 = const() {value=array([0.0, 1.0, 2.0], float32)} : f32[3]" in text
    assert "%1 = const() {value=@c0} : i32[9]" in text
    assert isinstance(graph_constants(g)[0], np.ndarray)
    _round_trip(g)
