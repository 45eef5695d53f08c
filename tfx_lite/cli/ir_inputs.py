"""The inputs `tfx-lite ir` traces a function for: --input types, the input_signature, the
traces the script made, or the script's EXAMPLE_ARGS (see ir_command's DESCRIPTION); and the
shapes the HLO stages lower for."""
from __future__ import annotations

import ast
import inspect
import os
import re
import sys

from tfx_lite.cli.errors import ScriptError, UsageError

EXAMPLE_ARGS = "EXAMPLE_ARGS"


_KEYWORD = re.compile(r"([A-Za-z_]\w*)=(.*)", re.S)
_TYPE_TEXT = re.compile(r"\s*\w+\s*\[.*\]\s*", re.S)


def _parse_input(text: str):
    """`f32[2,?]` -> tf.TensorSpec([2, None], tf.float32); other text as a Python literal."""
    import tfx_lite as tf
    from compiler.parser import parse_type
    if _TYPE_TEXT.fullmatch(text):
        try:
            t = parse_type(text)
        except ValueError as err:
            raise UsageError(f"bad --input {text!r}: {err}") from None
        try:
            return tf.TensorSpec(list(t.shape), t.dtype)
        except (TypeError, ValueError) as err:
            raise UsageError(f"bad --input {text!r}: {err}") from None
    try:
        return ast.literal_eval(text.strip())
    except (ValueError, SyntaxError):
        raise UsageError(f"bad --input {text!r}: expected a type such as f32[2,3], i32[] or "
                         "f32[?,3] (or a Python literal such as 3 or True)") from None


def parse_inputs(texts) -> tuple[tuple, dict]:
    args, kwargs = [], {}
    for text in texts:
        m = _KEYWORD.fullmatch(text)
        if m:
            if m.group(1) in kwargs:
                raise UsageError(f"--input {m.group(1)}= given twice")
            kwargs[m.group(1)] = _parse_input(m.group(2))
        elif kwargs:
            raise UsageError(f"--input {text!r}: a positional input after a keyword one "
                             f"({next(iter(kwargs))}=...)")
        else:
            args.append(_parse_input(text))
    return tuple(args), kwargs


def _type_text(spec) -> str:
    """A TensorSpec (or tensor) in the IR's type syntax: f32[?,3]."""
    from compiler.types import TensorType
    try:
        return str(TensorType(spec.shape.as_list(), spec.dtype.as_numpy_dtype))
    except (AttributeError, KeyError, TypeError, ValueError):
        return repr(spec)


def _check_binds(fn, args, kwargs, dotted: str, source: str):
    """The inputs (from `source`) must fit the function's parameters (and its input_signature)."""
    try:
        signature = inspect.signature(fn.python_function)
    except (TypeError, ValueError):
        return
    try:
        signature.bind(*args, **kwargs)
    except TypeError as err:
        raise UsageError(f"{source} does not fit {dotted}{signature}: {err}") from None
    spec = fn.input_signature
    if spec is None:
        return
    names = list(signature.parameters)
    given = list(args) + [kwargs[n] for n in names[len(args):] if n in kwargs]
    if len(given) != len(spec):
        raise UsageError(f"{dotted} has an input_signature of {len(spec)} inputs; {source} gave {len(given)}")
    for i, (value, want) in enumerate(zip(given, spec)):
        ok = getattr(want, "is_compatible_with", None)
        if ok is not None and hasattr(value, "shape") and hasattr(value, "dtype") and not ok(value):
            raise UsageError(f"{source} input {i + 1} ({_type_text(value)}) does not fit {dotted}'s "
                             f"input_signature: {_type_text(want)} expected")


def concrete_function(fn, traced: bool, given, namespace: dict, path: str, dotted: str):
    """(the ConcreteFunction to print, the (args, kwargs) it was traced or asked for)."""
    import numpy as np
    import tfx_lite as tf
    if given is not None:
        args, kwargs = given
        source = "--input"
        _check_binds(fn, args, kwargs, dotted, source)
    elif fn.input_signature is not None:
        args, kwargs = tuple(fn.input_signature), {}
        source = "input_signature"
    elif traced and fn._cache:
        concretes = list({id(c): c for c in fn._cache.values()}.values())
        if len(concretes) > 1:
            print(f"tfx-lite ir: note: {dotted} has {len(concretes)} traces; printing the first "
                  "(give --input to choose)", file=sys.stderr)
        concrete = concretes[0]
        args, kwargs = concrete.structured_input_signature
        return concrete, (tuple(args), dict(kwargs))
    else:
        table = namespace.get(EXAMPLE_ARGS)
        if not isinstance(table, dict) or dotted not in table:
            raise UsageError(
                f"no inputs for {dotted}: give one --input TYPE per argument (e.g. --input "
                f"'f32[2,3]'), give it an input_signature, call it in the script, or define "
                f"{EXAMPLE_ARGS} = {{{dotted!r}: (args, ...)}} in {os.path.basename(path)}")
        args = table[dotted]
        if not isinstance(args, tuple):
            raise UsageError(f"{EXAMPLE_ARGS}[{dotted!r}] in {os.path.basename(path)} must be a tuple "
                             f"of positional arguments, not a {type(args).__name__}")
        args = tuple(tf.convert_to_tensor(a) if isinstance(a, np.ndarray) else a for a in args)
        kwargs = {}
        source = f"{EXAMPLE_ARGS}[{dotted!r}]"
        _check_binds(fn, args, kwargs, dotted, source)
    try:
        concrete = fn.get_concrete_function(*args, **kwargs)
    except Exception as err:
        raise ScriptError(f"tracing {dotted} with the inputs from {source} raised "
                          f"{type(err).__name__}: {err}") from err
    return concrete, (args, kwargs)


def hlo_examples(graph, inputs, dotted: str) -> list:
    """jax.ShapeDtypeStructs for every parameter of `graph`: the inputs' shapes (which may be more
    specific than the trace's), then the parameter types (captured variables)."""
    import jax
    from tfx_lite.framework.composite import CompositeTensor, TypeSpec
    from tfx_lite.framework.tensor import Tensor
    from tfx_lite.framework.tensor_spec import TensorSpec

    def is_leaf(x):
        return isinstance(x, (Tensor, TensorSpec, CompositeTensor, TypeSpec))

    shapes = []
    for leaf in jax.tree_util.tree_leaves(inputs, is_leaf=is_leaf):
        if isinstance(leaf, CompositeTensor):
            leaf = leaf._type_spec
        if isinstance(leaf, TypeSpec) and not isinstance(leaf, TensorSpec):
            shapes += [(tuple(c.shape.as_list()), c.dtype.as_numpy_dtype) for c in leaf._component_specs]
        elif isinstance(leaf, TensorSpec):
            shapes.append((tuple(leaf.shape.as_list()) if leaf.shape.rank is not None else None,
                           leaf.dtype.as_numpy_dtype))
        elif isinstance(leaf, Tensor):
            shapes.append((tuple(leaf._value.shape), leaf._value.dtype))
    if len(shapes) > len(graph.params):
        shapes = []
    names = [p.name or f"arg{i}" for i, p in enumerate(graph.params)]
    shapes += [(p.type.shape, p.type.dtype) for p in graph.params[len(shapes):]]
    examples = []
    for name, param, (shape, dtype) in zip(names, graph.params, shapes):
        if shape is None or any(d is None for d in shape):
            raise UsageError(f"the hlo stages need known shapes, and {dotted}'s parameter {name} has "
                             f"type {param.type}; give --input with every dimension known "
                             f"(e.g. f32[{','.join('2' if d is None else str(d) for d in param.type.shape)}])")
        examples.append(jax.ShapeDtypeStruct(shape, dtype))
    return examples
