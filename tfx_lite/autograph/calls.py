"""Calls in converted code: `ag__.converted_call(f, args, kwargs)` converts the user functions
it calls (TF converts every function a converted function calls, except library code and those
marked `do_not_convert`), and gives `print`, `len` and `range` their AutoGraph meaning."""
from __future__ import annotations

import builtins
import contextlib
import inspect
import sys
import types

from tfx_lite.autograph import conversion
from tfx_lite.autograph.control_flow import is_symbolic, range_
from tfx_lite.framework.tensor import Tensor

# Packages whose functions run as they are: tfx_lite itself and the libraries under it.
_LIBRARIES = {"tfx_lite", "compiler", "jax", "jaxlib", "numpy", "optax", "tensorflow", "keras",
              "pytest", "_pytest", "hypothesis", "ml_dtypes", "opt_einsum", "scipy"}
_FEATURES: list = [()]  # the optional features of the conversion being traced (innermost last)


@contextlib.contextmanager
def conversion_features(features):
    _FEATURES.append(tuple(features))
    try:
        yield
    finally:
        _FEATURES.pop()


def feature_enabled(name: str) -> bool:
    return name in _FEATURES[-1] or "ALL" in _FEATURES[-1]


def do_not_convert(func=None):
    """tf.autograph.experimental.do_not_convert: `func` (and what it calls) runs unconverted."""
    if func is None:
        return do_not_convert
    try:
        func.__ag_do_not_convert__ = True
    except AttributeError:
        pass
    return func


def _user_function(f) -> bool:
    module = getattr(f, "__module__", None) or ""
    top = module.split(".")[0]
    return (isinstance(f, types.FunctionType) and not getattr(f, "__ag_do_not_convert__", False)
            and top not in _LIBRARIES and top not in sys.stdlib_module_names
            and not conversion.is_converted(f) and not inspect.isgeneratorfunction(f)
            and not inspect.iscoroutinefunction(f))


def converted_target(f):
    """`f` converted, when AutoGraph converts it: a function or bound method of user code, or an
    object whose class (of user code) defines `__call__`; else None."""
    if isinstance(f, (types.FunctionType, types.MethodType)):
        return conversion.convert(f) if _user_function(getattr(f, "__func__", f)) else None
    if not isinstance(f, (type, types.BuiltinFunctionType)) and \
            _user_function(getattr(type(f), "__call__", None)):
        return conversion.convert(types.MethodType(type(f).__call__, f))
    return None


def converted_call(f, args, kwargs, options=None):
    kwargs = kwargs or {}
    if f is builtins.print:
        return print_(*args, **kwargs)
    if f is builtins.len and len(args) == 1 and not kwargs:
        return len_(args[0])
    if f is builtins.range and any(isinstance(a, Tensor) for a in args):
        return range_(*args)
    converted = converted_target(f)
    return (f if converted is None else converted)(*args, **kwargs)


def for_range(f, *args):
    """`range(...)` / `tf.range(...)` as a `for` loop's iterable."""
    from tfx_lite.ops.array_ops import range as tf_range
    if f is tf_range or (f is builtins.range and any(isinstance(a, Tensor) for a in args)):
        return range_(*args)
    return converted_call(f, args, None)


def len_(value):
    """len(): for a tensor, its first dimension as an int32 tensor (TF's AutoGraph)."""
    if isinstance(value, Tensor):
        from tfx_lite.framework.convert import convert_to_tensor
        from tfx_lite.ops.array_ops import shape
        if value.shape.rank == 0:
            raise ValueError("len requires a non-scalar tensor, got one of shape []")
        n = value.shape[0]
        return convert_to_tensor(n) if n is not None else shape(value)[0]
    return len(value)


def print_(*objects, sep=" ", end="\n", file=None, flush=False):
    """print(): Python's, unless the conversion has the BUILTIN_FUNCTIONS feature and a symbolic
    tensor is printed; then, as in TF, the values are printed (as numpy prints them) each time
    the function runs."""
    if not (feature_enabled("BUILTIN_FUNCTIONS") and any(is_symbolic(o) for o in objects)):
        return builtins.print(*objects, sep=sep, end=end, file=file, flush=flush)
    from compiler import bind
    from tfx_lite.ops.logging_ops import _stream_name
    template, tensors = [], []
    for o in objects:
        if is_symbolic(o):
            template.append(("", ""))
            tensors.append(o._value)
        else:
            template.append((str(o),))
    stream = _stream_name(file) if file is not None else "stdout"
    bind("print", *tensors, template=tuple(template), stream=stream, summarize=-1, sep=sep, end=end,
         style="python")
    return None
