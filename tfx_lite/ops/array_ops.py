"""TF's creation, shape and indexing ops."""
from __future__ import annotations

import numpy as np

from tfx_lite.framework import dtypes
from tfx_lite.framework.convert import constant
from tfx_lite.framework.op_call import call, to_tensor
from tfx_lite.ops.static_args import shape_attr

__all__ = ["zeros", "reshape", "size", "gather", "slice", "cast"]


def zeros(shape, dtype=dtypes.float32, name=None, layout=None):
    dtype = dtypes.as_dtype(dtype)
    return constant(np.zeros(shape_attr(shape), dtype=dtype.as_numpy_dtype))


def reshape(tensor, shape, name=None):
    return call("Reshape", "reshape", to_tensor(tensor), shape=shape_attr(shape))


def size(input, out_type=dtypes.int32, name=None):
    x = to_tensor(input)
    return constant(int(np.prod(x._value.shape, dtype=np.int64)), dtype=out_type)


def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    return call("GatherV2", "gather", to_tensor(params), to_tensor(indices), axis=0 if axis is None else int(axis),
                batch_dims=batch_dims)


def slice(input_, begin, size, name=None):  # noqa: A001  (TensorFlow's name)
    x = to_tensor(input_)
    index = tuple(builtins_slice(b, None if s == -1 else b + s) for b, s in zip(shape_attr(begin), shape_attr(size)))
    return x[index]


import builtins  # noqa: E402

builtins_slice = builtins.slice


def cast(x, dtype, name=None):
    x = to_tensor(x)
    dtype = dtypes.as_dtype(dtype)
    if x.dtype is dtype:
        return x
    return call("Cast", "cast", x, dtype=dtype.name)
