"""The one path from a TF-named function to `compiler.bind`: convert inputs the TF way, bind,
wrap the result, and turn an op's complaint into TF's error type."""
from __future__ import annotations

from compiler import OpInputError, bind
from tfx_lite.framework import dtypes, errors
from tfx_lite.framework.convert import convert_to_tensor, scalar_tensor
from tfx_lite.framework.tensor import SymbolicTensor, Tensor, wrap

# TensorFlow's own names for dtypes in kernel error messages ("a float tensor").
_KERNEL_TYPE_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def kernel_type_name(dtype: dtypes.DType | str) -> str:
    """TF's name for a dtype (or a dtype's name) in kernel and op-definition errors."""
    name = dtype if isinstance(dtype, str) else dtype.name
    return _KERNEL_TYPE_NAMES.get(name, name)


def to_tensor(x, dtype_hint: dtypes.DType | None = None) -> Tensor:
    """Fast conversion of an op input; a Python scalar takes `dtype_hint` when it fits."""
    if isinstance(x, Tensor):
        return x
    if dtype_hint is not None and type(x) in (int, float, bool):
        try:
            return scalar_tensor(x, dtype_hint)
        except (TypeError, ValueError):
            pass
    return convert_to_tensor(x, dtype_hint=dtype_hint)


def invalid_argument(message: str, tf_name: str | None = None) -> errors.InvalidArgumentError:
    """TF's InvalidArgumentError; with `tf_name`, the message ends in " [Op:tf_name]" as TF's
    eager errors do."""
    return errors.InvalidArgumentError(None, None, f"{message} [Op:{tf_name}]" if tf_name else message)


def op_error(tf_name: str, err: OpInputError) -> Exception:
    """TF's error for an op that refused its inputs: InvalidArgumentError when it ran,
    ValueError when a graph was being built (shape inference failed)."""
    if err.tracing:
        return ValueError(f"{err.message} for node {tf_name} (while tracing)")
    return invalid_argument(err.message, tf_name)


def call(tf_name: str, op: str, *tensors: Tensor, **attrs):
    """Run op `op` on Tensors; errors say `[Op:tf_name]` as TensorFlow's do."""
    try:
        if len(tensors) == 1:  # the common arities skip building an argument list
            return wrap(bind(op, tensors[0]._value, **attrs))
        if len(tensors) == 2:
            return wrap(bind(op, tensors[0]._value, tensors[1]._value, **attrs))
        return wrap(bind(op, *[t._value for t in tensors], **attrs))
    except OpInputError as err:
        raise op_error(tf_name, err) from None


def check_same_dtype(tf_name: str, tensors) -> None:
    """TF never promotes between tensors: every input must have the first one's dtype."""
    first = tensors[0].dtype
    for i, t in enumerate(tensors[1:], 1):
        if t.dtype is not first:
            if any(isinstance(s, SymbolicTensor) for s in tensors):  # building a graph: TF's TypeError
                if len(tensors) == 2:
                    raise TypeError(f"Input 'y' of '{tf_name}' Op has type {t.dtype.name} that does not match "
                                    f"type {first.name} of "
                                    "argument 'x'.")
                raise TypeError(f"Tensors in list passed to 'values' of '{tf_name}' Op have types "
                                f"[{', '.join(s.dtype.name for s in tensors)}] that don't all match.")
            raise invalid_argument(
                f"cannot compute {tf_name} as input #{i}(zero-based) was expected to be a "
                f"{kernel_type_name(first)} tensor but is a {kernel_type_name(t.dtype)} tensor", tf_name)


def binary_operands(tf_name: str, x, y) -> tuple[Tensor, Tensor]:
    """Convert both operands of a binary op; a non-tensor side takes the tensor side's dtype."""
    if not isinstance(x, Tensor) and hasattr(x, "__tf_tensor__"):
        x = x.__tf_tensor__(None, None)
    if not isinstance(y, Tensor) and hasattr(y, "__tf_tensor__"):
        y = y.__tf_tensor__(None, None)
    if isinstance(x, Tensor):
        y = to_tensor(y, x.dtype)
    elif isinstance(y, Tensor):
        x = to_tensor(x, y.dtype)
    else:
        x = to_tensor(x)
        y = to_tensor(y, x.dtype)
    if x.dtype is not y.dtype:
        check_same_dtype(tf_name, (x, y))
    return x, y


def call_binary(tf_name: str, op: str, x, y):
    x, y = binary_operands(tf_name, x, y)
    try:
        return wrap(bind(op, x._value, y._value))
    except OpInputError as err:
        raise op_error(tf_name, err) from None
