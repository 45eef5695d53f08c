"""tf.Tensor: the eager kind (holding a jax.Array, or a numpy array of bytes for strings) and
the symbolic kind (holding an IR Value while a function is traced).

Operators (`+`, `[]`, `==`, ...) are attached by tfx_lite/ops/operators.py, once the ops exist.
"""
from __future__ import annotations

import numpy as np

from tfx_lite.framework import dtypes
from tfx_lite.framework.tensor_shape import TensorShape


class Tensor:
    """Base class of every tensor; `isinstance(x, tf.Tensor)` holds for eager and symbolic ones."""

    __slots__ = ("_value", "_dtype", "__weakref__")
    __array_priority__ = 100  # numpy defers `ndarray + Tensor` to Tensor.__radd__

    @property
    def dtype(self) -> dtypes.DType:
        d = self._dtype
        if d is None:
            d = self._dtype = dtypes.from_numpy(self._value.dtype)
        return d

    @property
    def shape(self) -> TensorShape:
        return TensorShape(self._value.shape)

    def get_shape(self) -> TensorShape:
        return self.shape

    @property
    def ndim(self) -> int:
        return len(self._value.shape)

    def __hash__(self):
        raise TypeError("Tensor is unhashable. Instead, use tensor.ref() as the key.")

    def ref(self):
        return _TensorRef(self)

    experimental_ref = ref

    def __len__(self):
        shape = self._value.shape
        if not shape:
            raise TypeError("Scalar tensor has no `len()`")
        if shape[0] is None:
            raise TypeError(f"len is not well defined for a symbolic Tensor ({self}) of unknown length.")
        return shape[0]

    def __iter__(self):
        shape = self._value.shape
        if not shape:
            raise TypeError("Cannot iterate over a scalar tensor.")
        for i in range(shape[0]):
            yield self[i]


class EagerTensor(Tensor):
    __slots__ = ()

    def __init__(self, value):
        self._value = value
        self._dtype = None

    def numpy(self):
        """The value as a new numpy array (a numpy scalar for a 0-d tensor), as in TF."""
        value = np.array(self._value)
        return value[()] if value.ndim == 0 else value

    _numpy = numpy

    def __array__(self, dtype=None, copy=None):
        value = np.asarray(self._value)
        return value if dtype is None else value.astype(dtype)

    def __bool__(self):
        return bool(self.numpy())

    def __int__(self):
        return int(self.numpy())

    def __float__(self):
        return float(self.numpy())

    def __complex__(self):
        return complex(self.numpy())

    def __index__(self):
        if not (self.dtype.is_integer or self.dtype.is_bool) or self.ndim != 0:
            raise TypeError(f"Only integer scalar tensors can be used as an index, got {self!r}")
        return int(self.numpy())

    def __format__(self, spec):
        return self.numpy().__format__(spec)

    @property
    def device(self) -> str:
        from tfx_lite.framework.device import tensor_device_name
        return tensor_device_name(self._value)

    @property
    def name(self):
        raise AttributeError("Tensor.name is undefined when eager execution is enabled.")

    def cpu(self):
        from tfx_lite.framework.device import copy_to
        return copy_to(self, "CPU:0")

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):
        from tfx_lite.framework.convert import convert_to_tensor
        return convert_to_tensor, (self.numpy(),)

    def __str__(self):
        return f"tf.Tensor({numpy_text(self)}, shape={self.shape}, dtype={self.dtype.name})"

    def __repr__(self):
        return f"<tf.Tensor: shape={self.shape}, dtype={self.dtype.name}, numpy={numpy_text(self, True)}>"


class SymbolicTensor(Tensor):
    """A tensor inside a traced function: it has a type but no value yet."""

    __slots__ = ()

    def __init__(self, value):
        self._value = value
        self._dtype = None

    @property
    def name(self) -> str:
        return f"{self._value.name or 'tensor'}:0"

    @property
    def device(self) -> str:
        return ""

    def numpy(self):
        raise AttributeError(  # TF: 'SymbolicTensor' object has no attribute 'numpy'
            "numpy() is only available for eager tensors; this one is symbolic (inside a traced "
            "function). Return it from the function to get its value.")

    def __array__(self, dtype=None, copy=None):
        raise NotImplementedError(
            f"Cannot convert a symbolic tf.Tensor ({self.name}) to a numpy array. It is being "
            "traced into a graph and has no value yet.")

    def __bool__(self):
        from tfx_lite.framework.errors import OperatorNotAllowedInGraphError
        raise OperatorNotAllowedInGraphError(
            "Using a symbolic `tf.Tensor` as a Python `bool` is not allowed: its value is not "
            "known while the function is traced. Inside a tf.function, AutoGraph turns `if`, "
            "`while` and `and`/`or`/`not` on tensors into tf.cond / tf.while_loop, but not in code "
            "it does not convert (autograph=False, functions marked do_not_convert, generators, "
            "functions without source, library code); there, use tf.cond or tf.while_loop.")

    def __str__(self):
        return f'Tensor("{self.name}", shape={self.shape}, dtype={self.dtype.name})'

    def __repr__(self):
        return f"<tf.Tensor '{self.name}' shape={self.shape} dtype={self.dtype.name}>"


class _TensorRef:
    """Hashable reference to a tensor (tensor.ref())."""

    __slots__ = ("_tensor",)

    def __init__(self, tensor):
        self._tensor = tensor

    def deref(self):
        return self._tensor

    def __hash__(self):
        return id(self._tensor)

    def __eq__(self, other):
        return isinstance(other, _TensorRef) and other._tensor is self._tensor

    def __repr__(self):
        return f"<Reference wrapping {self._tensor!r}>"


def numpy_text(tensor, is_repr: bool = False) -> str:
    """TensorFlow's printed form of a tensor's value (framework/ops.py: numpy_text)."""
    value = tensor.numpy()
    if is_repr:
        text = repr(value.item()) if np.isscalar(value) and not isinstance(value, bytes) else repr(value)
    else:
        text = str(value)
    return "\n" + text if "\n" in text else text


def wrap(out):
    """Wrap what `compiler.bind` returned into Tensors (a tuple stays a tuple)."""
    if type(out) is _ARRAY_TYPE:
        return EagerTensor(out)
    if isinstance(out, tuple):
        return tuple(wrap(o) for o in out)
    if type(out) is _VALUE_TYPE:
        return SymbolicTensor(out)
    return EagerTensor(out)


from compiler.ir import Value as _VALUE_TYPE  # noqa: E402
# The concrete class of eager results, checked first. Named, not taken from a created array:
# creating one would start JAX's backends at import (too early for jax.distributed.initialize and
# for the number of CPU devices).
from jax._src.array import ArrayImpl as _ARRAY_TYPE  # noqa: E402
