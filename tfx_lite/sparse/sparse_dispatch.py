"""Dense TF ops that also take a SparseTensor, registered with the op dispatch
(tfx_lite/framework/dispatch.py): the elementwise ops TF 2.21 runs on a SparseTensor's values
(zero-preserving ones: abs, negative, sign, square, sqrt, sin, tan, tanh, asin, asinh, atan,
atanh, erf, bessel_i0e, bessel_i1e), cast and identity, and shape/size/rank (from the dense
shape). Other ops refuse a SparseTensor as TF does (a ValueError naming the op).
"""
from __future__ import annotations

from tfx_lite.framework import dtypes
from tfx_lite.framework.dispatch import dispatch_for_each
from tfx_lite.ops import array_ops, math_ops
from tfx_lite.sparse.sparse_results import replace_values
from tfx_lite.sparse.sparse_tensor import SparseTensor

UNARY_ELEMENTWISE = [
    math_ops.abs, math_ops.asin, math_ops.asinh, math_ops.atan, math_ops.atanh,
    math_ops.bessel_i0e, math_ops.bessel_i1e, math_ops.erf, math_ops.negative, math_ops.sign,
    math_ops.sin, math_ops.sqrt, math_ops.square, math_ops.tan, math_ops.tanh,
    array_ops.cast, array_ops.identity,
]


def _first(args, kwargs, name):
    return args[0] if args else kwargs.get(name)


def _on_values(api):
    """`api(sparse, ...)`: the same indices, `api` applied to the values."""
    def handler(*args, **kwargs):
        x = _first(args, kwargs, "x" if "x" in kwargs else "input")
        if not isinstance(x, SparseTensor):
            return NotImplemented
        rest = {k: v for k, v in kwargs.items() if k not in ("x", "input", "name")}
        values = api(x.values, *args[1:], **rest)
        return replace_values(x, values)
    return handler


def _shape_handler(api):
    def handler(*args, **kwargs):
        x = _first(args, kwargs, "input")
        if not isinstance(x, SparseTensor):
            return NotImplemented
        out_type = args[1] if len(args) > 1 else kwargs.get("out_type")
        out_type = dtypes.int32 if out_type is None else dtypes.as_dtype(out_type)
        if api is array_ops.rank:
            return array_ops.size(x.dense_shape, out_type=dtypes.int32)
        if api is array_ops.size:
            return array_ops.cast(math_ops.reduce_prod(x.dense_shape), out_type)
        return array_ops.cast(x.dense_shape, out_type)
    return handler


def _dispatchable(apis):
    return [api for api in apis if hasattr(api, "_dispatch_handlers")]


def register():
    """Register the handlers (once, when tf.sparse is imported)."""
    dispatch_for_each(_dispatchable(UNARY_ELEMENTWISE), _on_values)
    dispatch_for_each(_dispatchable([array_ops.shape, array_ops.size, array_ops.rank]), _shape_handler)
