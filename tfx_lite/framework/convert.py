"""Turning Python values, numpy arrays and tensor-like objects into Tensors, with TF's rules:
Python floats become float32, ints int32 (int64 when they do not fit), numpy arrays keep their
dtype, strings become host-side arrays of bytes."""
from __future__ import annotations

import numbers

import jax
import numpy as np

from tfx_lite.framework import dtypes
from tfx_lite.framework.composite import CompositeTensor
from tfx_lite.framework.tensor import EagerTensor, SymbolicTensor, Tensor

_INT32_MIN, _INT32_MAX = -(2 ** 31), 2 ** 31 - 1
_INT64_MIN, _INT64_MAX = -(2 ** 63), 2 ** 63 - 1

# Device copies of Python scalars used in ops (x + 1): transfers are the costly part of a small op.
_SCALAR_CACHE: dict = {}
_SCALAR_CACHE_LIMIT = 4096


def _leaves(value, out):
    if isinstance(value, (list, tuple)):
        for v in value:
            _leaves(v, out)
    else:
        out.append(value)
    return out


def _python_dtype(leaves) -> dtypes.DType:
    """TF's dtype for a (nested) Python sequence of scalars."""
    kinds = set()
    for v in leaves:
        if isinstance(v, Tensor):
            kinds.add(v.dtype)
        elif isinstance(v, (bool, np.bool_)):
            kinds.add("bool")
        elif isinstance(v, np.generic):
            kinds.add(dtypes.as_dtype(v.dtype))
        elif isinstance(v, numbers.Integral):
            kinds.add("int")
        elif isinstance(v, numbers.Real):
            kinds.add("float")
        elif isinstance(v, numbers.Complex):
            kinds.add("complex")
        elif isinstance(v, (str, bytes)):
            kinds.add("string")
        elif v is None:
            raise ValueError("Attempt to convert a value (None) with an unsupported type "
                             "(<class 'NoneType'>) to a Tensor.")
        else:
            raise ValueError(f"Attempt to convert a value ({v!r}) with an unsupported type "
                             f"({type(v)}) to a Tensor.")
    if not kinds:
        return dtypes.float32
    typed = {k for k in kinds if isinstance(k, dtypes.DType)}
    if typed:
        if len(typed) > 1:
            raise ValueError("Can't convert Python sequence with mixed types to Tensor.")
        return typed.pop()
    if kinds == {"bool"}:
        return dtypes.bool
    if kinds == {"string"}:
        return dtypes.string
    if "bool" in kinds or "string" in kinds:
        raise ValueError("Can't convert Python sequence with mixed types to Tensor.")
    if "complex" in kinds:
        return dtypes.complex128
    if "float" in kinds:
        return dtypes.float32
    ints = [int(v) for v in leaves]
    if any(i < _INT64_MIN or i > _INT64_MAX for i in ints):
        raise ValueError("Can't convert Python sequence with out-of-range integer to Tensor.")
    if all(_INT32_MIN <= i <= _INT32_MAX for i in ints):
        return dtypes.int32
    return dtypes.int64


def _to_bytes_array(value) -> np.ndarray:
    array = np.array(value, dtype=object)
    flat = array.reshape(-1)
    for i, v in enumerate(flat):
        if isinstance(v, str):
            flat[i] = v.encode("utf-8")
        elif isinstance(v, np.bytes_):
            flat[i] = bytes(v)
        elif not isinstance(v, bytes):
            raise TypeError(f"Failed to convert elements of {value!r} to Tensor. Consider casting "
                            f"elements to a supported type. (Expected bytes or str, got {type(v).__name__})")
    return array


_KERNEL_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def _cast_python(array: np.ndarray, leaves, dtype: dtypes.DType, value):
    """Python values converted to a requested dtype, with TF's refusals: no float (even 2.0)
    to an integer, no number to bool, no complex to a real dtype."""
    if dtype.is_integer:
        refused = (float, complex)
    elif dtype.is_bool:
        refused = (int, float, complex)
    elif dtype.is_floating:
        refused = (complex,)
    else:
        refused = ()
    for v in leaves:
        if isinstance(v, refused) and not (dtype.is_bool and isinstance(v, bool)) \
                and not (dtype.is_integer and isinstance(v, bool)):
            raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype "
                            f"{_KERNEL_NAMES.get(dtype.name, dtype.name)}")
    with np.errstate(over="ignore", invalid="ignore"):
        if dtype.is_integer and array.dtype.kind in "iub":
            # TF wraps out-of-range Python ints (300 -> 44 for uint8); numpy would refuse.
            return array.astype(np.int64).astype(dtype.as_numpy_dtype)
        if dtype.is_floating or dtype.is_complex:  # from the Python numbers: 0.1 stays exact in float64
            return np.array(value, dtype=dtype.as_numpy_dtype)
        return array.astype(dtype.as_numpy_dtype)


def to_numpy(value, dtype: dtypes.DType | None = None) -> np.ndarray:
    """A numpy array with TF's dtype for a Python value or numpy array (not a Tensor)."""
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        array = np.asarray(value)
        if array.dtype.kind in "SUO":
            array = _to_bytes_array(array)
            if dtype is not None and dtype is not dtypes.string:
                raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dtype.name}")
            return array
        if array.dtype not in dtypes._BY_NUMPY:
            raise TypeError(f"Cannot convert a numpy array of dtype {array.dtype} to a Tensor.")
        return array if dtype is None else array.astype(dtype.as_numpy_dtype)
    leaves = _leaves(value, [])
    if any(isinstance(v, Tensor) for v in leaves):
        value = _tensors_to_numpy(value)
    inferred = _python_dtype(leaves)
    if inferred is dtypes.string:
        array = _to_bytes_array(value)
    else:
        try:
            with np.errstate(over="ignore"):  # 1e100 as float64 is built from the Python value below
                array = np.array(value, dtype=object if inferred.is_integer else inferred.as_numpy_dtype)
        except ValueError:
            raise ValueError("Can't convert non-rectangular Python sequence to Tensor.") from None
        if array.dtype == object:
            if any(isinstance(v, (list, tuple)) for v in array.reshape(-1)):
                raise ValueError("Can't convert non-rectangular Python sequence to Tensor.")
            array = array.astype(np.int64).astype(inferred.as_numpy_dtype)
    if dtype is None or dtype is inferred:
        return array
    if dtype is dtypes.string and not leaves:  # empty nested lists: an empty string tensor
        return array.astype(object)
    if dtype is dtypes.string or inferred is dtypes.string:
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dtype.name}")
    return _cast_python(array, leaves, dtype, value)


def _tensors_to_numpy(value):
    if isinstance(value, (list, tuple)):
        return [_tensors_to_numpy(v) for v in value]
    if isinstance(value, Tensor):
        return value.numpy()
    return value


def _place(array: np.ndarray):
    if array.dtype == object:
        return array
    return jax.device_put(array)


def scalar_tensor(value, dtype: dtypes.DType) -> EagerTensor:
    """A cached device copy of a Python scalar in `dtype` (the `1` of `x + 1`)."""
    key = (value, type(value), dtype)
    array = _SCALAR_CACHE.get(key)
    if array is None:
        array = _place(to_numpy(value, dtype))
        if len(_SCALAR_CACHE) < _SCALAR_CACHE_LIMIT:
            _SCALAR_CACHE[key] = array
    return EagerTensor(array)


class _CompositeConversionError(ValueError):
    """TF's error for converting a RaggedTensor or SparseTensor to a Tensor. Its message is made
    when shown: an op dispatching to a composite handler raises and catches one on every call."""

    def __init__(self, value):
        super().__init__()
        self.value = value

    def __str__(self):
        return (f"Attempt to convert a value ({self.value!r}) with an unsupported type "
                f"({type(self.value)}) to a Tensor.")


# Shown as what TF raises (a program printing type(e).__name__ sees TF's name).
_CompositeConversionError.__name__ = _CompositeConversionError.__qualname__ = "ValueError"


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None, preferred_dtype=None) -> Tensor:
    """tf.convert_to_tensor."""
    if isinstance(value, Tensor):
        if dtype is not None:
            dtype = dtypes.as_dtype(dtype)
            if value.dtype is not dtype:
                raise ValueError(f"Tensor conversion requested dtype {dtype.name} for Tensor with "
                                 f"dtype {value.dtype.name}: {value!r}")
        return value
    convert = getattr(value, "__tf_tensor__", None)
    if convert is not None:
        return convert(dtypes.as_dtype(dtype) if dtype is not None else None, name)
    if isinstance(value, CompositeTensor):
        raise _CompositeConversionError(value)
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    else:
        hint = dtype_hint if dtype_hint is not None else preferred_dtype
        if hint is not None:
            try:
                return convert_to_tensor(value, hint)
            except (TypeError, ValueError):
                pass
    if type(value) in (int, float, bool) and dtype is not None:
        return scalar_tensor(value, dtype)
    if isinstance(value, (list, tuple)) and _has_symbolic(value):
        return _pack(value, dtype)
    return EagerTensor(_place(to_numpy(value, dtype)))


def _has_symbolic(value) -> bool:
    if isinstance(value, (list, tuple)):
        return any(_has_symbolic(v) for v in value)
    return isinstance(value, SymbolicTensor)


def _pack(values, dtype):
    """A list holding traced tensors becomes a `stack` of its items (TF's auto-packing); plain
    items take the dtype of the tensors."""
    from tfx_lite.ops.array_ops import stack
    if dtype is None:
        dtype = next(_symbolic_leaves(values)).dtype
    return stack([convert_to_tensor(v, dtype) for v in values])


def _symbolic_leaves(value):
    if isinstance(value, (list, tuple)):
        for v in value:
            yield from _symbolic_leaves(v)
    elif isinstance(value, SymbolicTensor):
        yield value


def constant(value, dtype=None, shape=None, name="Const") -> Tensor:
    """tf.constant: a tensor from a Python value, numpy array or tensor."""
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    if isinstance(value, Tensor):
        if dtype is not None and value.dtype is not dtype:
            raise TypeError(f"Expected tensor {value.numpy()!r} with dtype {dtype!r}, but got dtype "
                            f"{value.dtype!r}.")
        array = value.numpy() if isinstance(value, EagerTensor) else None
        if array is None:
            return value
    else:
        array = to_numpy(value, dtype)
    if shape is not None:
        shape = tuple(int(d) for d in (shape if isinstance(shape, (list, tuple)) else list(shape)))
        count = int(np.prod(shape, dtype=np.int64))
        if array.size == 1:
            array = np.broadcast_to(array.reshape(()), shape).copy()
        elif array.size == count:
            array = np.reshape(array, shape)
        else:
            raise TypeError(f"Eager execution of tf.constant with unsupported shape. Tensor {array} "
                            f"(converted from {value}) has {array.size} elements, but got `shape` "
                            f"{shape} with {count} elements).")
    return EagerTensor(_place(array))


def is_tensor(x) -> bool:
    return isinstance(x, (Tensor, CompositeTensor)) or hasattr(x, "__tf_tensor__")


def is_symbolic(x) -> bool:
    return isinstance(x, SymbolicTensor)
