"""Converting a Python function: its source is parsed, converted (converter.py) and compiled
under the user's file name and line numbers; the new function shares the original's globals,
closure cells and defaults, so it sees the same variables."""
from __future__ import annotations

import __future__
import ast
import copy
import inspect
import linecache
import logging
import textwrap
import types
import weakref

from tfx_lite.autograph import converter

_logger = logging.getLogger("tfx_lite")

_CONVERTED: dict = {}  # original code object -> (converted code object, converted tree) or None
_BY_FUNCTION: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_CONVERTED_CODES: set = set()  # code objects compiled from converted source, nested ones too
_FUTURES = [getattr(__future__, f) for f in __future__.all_feature_names]


class ConversionError(Exception):
    """The source of a function could not be converted."""


def is_converted(fn) -> bool:
    code = getattr(fn, "__code__", None)
    return code in _CONVERTED_CODES


def convert(fn, quiet=False):
    """The converted version of function `fn` (a bound method stays bound), or None when its
    source cannot be converted (then it runs as it is, as in TF, with a warning)."""
    if isinstance(fn, types.MethodType):
        inner = convert(fn.__func__, quiet)
        return None if inner is None else types.MethodType(inner, fn.__self__)
    try:
        return _BY_FUNCTION[fn]
    except (KeyError, TypeError):
        pass
    try:
        code, _ = _converted_code(fn)
    except ConversionError as error:
        if not quiet:
            _logger.warning("AutoGraph could not transform %s and will run it as-is.\nCause: %s\n"
                            "To silence this warning, decorate the function with "
                            "@tf.autograph.experimental.do_not_convert", fn, error)
        return None
    converted = _function(fn, code)
    try:
        _BY_FUNCTION[fn] = converted
    except TypeError:
        pass
    return converted


def converted_source(fn) -> str:
    """The source of `fn` after conversion (tf.autograph.to_code)."""
    if isinstance(fn, types.MethodType):
        fn = fn.__func__
    _, tree = _converted_code(fn)
    tree = copy.deepcopy(tree)
    tree.name = f"tf__{tree.name}"
    return ast.unparse(tree) + "\n"


def _converted_code(fn):
    code = getattr(fn, "__code__", None)
    if code is None:
        raise ConversionError(f"{fn!r} is not a Python function")
    if code in _CONVERTED:
        entry = _CONVERTED[code]
        if isinstance(entry, ConversionError):
            raise entry
        return entry
    try:
        entry = _compile(fn, code)
    except ConversionError as error:
        _CONVERTED[code] = error
        raise
    _CONVERTED[code] = entry
    return entry


def _parse(code) -> ast.FunctionDef:
    """The definition of `code`'s function, with the lines of its file."""
    # linecache directly: inspect.getsourcelines looks for the code's module among all modules
    first = code.co_firstlineno
    linecache.checkcache(code.co_filename)
    lines = linecache.getlines(code.co_filename)
    if not lines or first > len(lines):
        raise ConversionError(f"its source is not available (no lines for {code.co_filename})")
    try:
        lines = inspect.getblock(lines[first - 1:])
    except (IndexError, SyntaxError) as error:
        raise ConversionError(f"its source could not be read ({error})") from None
    source = textwrap.dedent("".join(lines))
    try:
        tree = ast.parse(source)
    except SyntaxError:
        tree = None
    if code.co_name == "<lambda>":
        return _lambda_definition(code, lines, first, tree)
    if tree is None or not tree.body or not isinstance(tree.body[0], ast.FunctionDef) or \
            tree.body[0].name != code.co_name:
        raise ConversionError(f"its source at {code.co_filename}:{first} does not define "
                              f"{code.co_name!r}")
    ast.increment_lineno(tree, first - 1)
    return tree.body[0]


def _lambda_definition(code, lines, first, tree) -> ast.FunctionDef:
    """A lambda as `def <lambda>(args): return body`, when its line holds exactly one lambda
    with its parameters."""
    if tree is None:
        try:
            tree = ast.parse(textwrap.dedent(lines[0]).strip().rstrip(",").rstrip("\\"))
        except SyntaxError:
            raise ConversionError("the line defining the lambda cannot be parsed alone") from None
        lines = lines[:1]
    ast.increment_lineno(tree, first - 1)
    params = list(code.co_varnames[:code.co_argcount + code.co_kwonlyargcount])
    found = [n for n in ast.walk(tree) if isinstance(n, ast.Lambda) and n.lineno == first and
             [a.arg for a in n.args.posonlyargs + n.args.args + n.args.kwonlyargs] == params]
    if len(found) != 1:
        raise ConversionError("the lambda cannot be told apart from others on its line")
    node = found[0]
    func = ast.FunctionDef(name="<lambda>", args=node.args, body=[ast.Return(value=node.body)],
                           decorator_list=[], returns=None, type_params=[])
    return ast.copy_location(func, node)


def _compile(fn, code):
    definition = _parse(code)
    name = definition.name
    if name == "<lambda>":
        definition.name = "lambda__"
    converted = converter.convert_function(definition)
    source_tree = copy.deepcopy(converted)
    params = ["ag__", *code.co_freevars]
    factory = ast.FunctionDef(
        name="ag__factory",
        args=ast.arguments(posonlyargs=[], args=[ast.arg(arg=p) for p in params], vararg=None,
                           kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[]),
        body=[converted, ast.Return(value=ast.Name(id=converted.name, ctx=ast.Load()))],
        decorator_list=[], returns=None, type_params=[])
    module = ast.Module(body=[ast.copy_location(factory, converted)], type_ignores=[])
    ast.fix_missing_locations(module)
    flags = 0
    for feature in _FUTURES:
        if code.co_flags & feature.compiler_flag:
            flags |= feature.compiler_flag
    try:
        module_code = compile(module, code.co_filename, "exec", flags=flags, dont_inherit=True)
    except SyntaxError as error:
        raise ConversionError(f"the converted code does not compile: {error}") from None
    factory_code = _nested(module_code, "ag__factory")
    new_code = _nested(factory_code, converted.name)
    if name == "<lambda>":
        new_code = new_code.replace(co_name="<lambda>")
    _register(new_code)
    return new_code, source_tree


def _nested(code, name):
    return next(c for c in code.co_consts if isinstance(c, types.CodeType) and c.co_name == name)


def _register(code):
    _CONVERTED_CODES.add(code)
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            _register(c)


def _function(fn, code):
    from tfx_lite.autograph import operators
    cells = dict(zip(fn.__code__.co_freevars, fn.__closure__ or ()))
    cells["ag__"] = types.CellType(operators)
    closure = tuple(cells[name] for name in code.co_freevars)
    new = types.FunctionType(code, fn.__globals__, fn.__name__, fn.__defaults__, closure)
    new.__kwdefaults__ = copy.copy(fn.__kwdefaults__)
    new.__qualname__ = fn.__qualname__
    new.__doc__ = fn.__doc__
    new.__module__ = fn.__module__
    new.__dict__.update(fn.__dict__)
    return new
