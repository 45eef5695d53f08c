"""tfx-lite ir SCRIPT.py:FUNCTION: print the IR (or XLA's HLO) of a function of a script.

The script runs as a module named `__tfx_lite_ir__` (its `if __name__ == "__main__":` block does
not run), with `import tensorflow` served by tfx_lite when tfx_lite/cli/tensorflow_alias.py is
there. FUNCTION is a module-level name (`train_step`) or an attribute of a module-level object
(`model.predict_step`, `module.__call__`); a plain Python function is wrapped with tf.function.
The printed text is what `tf.dump_ir` prints (our IR: `print_program`, sub-graphs after the
function; or HLO text), so it can be piped. See `tfx-lite ir --help` (DESCRIPTION and EPILOG).
"""
from __future__ import annotations

import argparse
import importlib
import inspect
import os
import pkgutil
import re
import runpy
import sys

from tfx_lite.cli.errors import ScriptError, UsageError
from tfx_lite.cli.ir_inputs import concrete_function, hlo_examples, parse_inputs
from tfx_lite.cli.user_script import report_error, script_environment

STAGES = ("raw", "optimized", "hlo", "optimized_hlo")
RUN_NAME = "__tfx_lite_ir__"

DESCRIPTION = """\
Print the IR of a function traced by tfx_lite (or the HLO XLA compiles from it).

SCRIPT.py runs as a module (its `if __name__ == "__main__":` block does not run), with
`import tensorflow` served by tfx_lite. FUNCTION is a module-level name (`f`) or an attribute
of a module-level object (`model.predict_step`, `module.__call__`); a plain Python function is
wrapped with tf.function. Output: the text tf.dump_ir prints (sub-graphs after the function).

Inputs, first that applies:
  1. --input: one per positional argument, in the IR's type syntax: f32[2,3], i32[] (a
     scalar), f32[?,3] (unknown dimension); NAME=TYPE for a keyword argument. A value that
     is not a type is read as a Python literal (3, True, 'same').
  2. the tf.function's input_signature.
  3. the traces the script made while it ran (a tf.function it called): the first one.
  4. EXAMPLE_ARGS in the script: a dict from FUNCTION (as written on the command line) to a
     tuple of positional arguments (tensors, numpy arrays, tf.TensorSpec, Python values):
         EXAMPLE_ARGS = {"f": (tf.TensorSpec([2, 3]), tf.zeros([3]))}
"""

EPILOG = """\
examples:
  tfx-lite ir model.py:f --input 'f32[2,3]' 'f32[3]'
  tfx-lite ir model.py:model.__call__ --input 'x=f32[8,784]' --stage hlo
  tfx-lite ir model.py:f --passes cse,dce --dot f.dot && dot -Tsvg f.dot -o f.svg
  tfx-lite ir --passes list

exit status: 0 printed; 2 a usage or input problem (one line on stderr);
1 the script or the tracing raised (its traceback on stderr).
"""


def add_parser(commands):
    p = commands.add_parser(
        "ir", help="print the IR (or XLA's HLO) of a traced function", description=DESCRIPTION,
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("target", nargs="?", metavar="SCRIPT.py:FUNCTION",
                   help="the script and the function in it (FUNCTION may be obj.method)")
    p.add_argument("--input", "-i", action="extend", nargs="+", metavar="[NAME=]TYPE", default=[],
                   help="one per argument: f32[2,3], i32[], f32[?,3]; NAME=TYPE for a keyword "
                        "argument (quote them for the shell)")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--stage", choices=STAGES, default=None,
                      help="raw: as traced; optimized (default): after the default passes; "
                           "hlo / optimized_hlo: XLA's HLO before / after XLA's passes (needs "
                           "known shapes)")
    what.add_argument("--passes", metavar="P1,P2,...",
                      help="apply exactly these passes, in order, to the raw graph and print the "
                           "result (instead of --stage); `--passes list` lists them")
    p.add_argument("--dot", metavar="FILE",
                   help="also write the printed graph as Graphviz DOT to FILE (for the hlo "
                        "stages: the optimized graph, which is what XLA compiles)")
    p.set_defaults(handler=run)


def run(args) -> int:
    try:
        return _run(args)
    except UsageError as err:
        print(f"tfx-lite ir: error: {err}", file=sys.stderr)
        return 2
    except ScriptError as err:
        if err.__cause__ is not None:
            report_error(err.__cause__)
        print(f"tfx-lite ir: error: {err}", file=sys.stderr)
        return 1


# --- passes ---

def available_passes() -> dict:
    """name -> pass, for every module `compiler/passes/<name>.py` defining a function `<name>`."""
    import compiler.passes as package
    found = {}
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_"):
            continue
        fn = getattr(importlib.import_module(f"compiler.passes.{info.name}"), info.name, None)
        if callable(fn):
            found[info.name] = fn
    return dict(sorted(found.items()))


def _list_passes() -> int:
    from compiler.passes import DEFAULT_PIPELINE, pass_name
    passes = available_passes()
    width = max(map(len, passes), default=0)
    for name, fn in passes.items():
        doc = (inspect.getdoc(fn) or "").split("\n", 1)[0]
        print(f"{name:<{width}}  {doc}".rstrip())
    print(f"(--stage optimized runs {','.join(pass_name(p) for p in DEFAULT_PIPELINE)})")
    return 0


def _parse_passes(text: str) -> list:
    passes = available_passes()
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise UsageError("--passes needs pass names separated by commas, e.g. --passes cse,dce "
                         "(`--passes list` lists them)")
    unknown = [n for n in names if n not in passes]
    if unknown:
        raise UsageError(f"unknown pass {unknown[0]!r}; available: {', '.join(passes)}")
    return [passes[n] for n in names]


# --- loading the script ---

def _load(path: str) -> dict:
    try:
        return runpy.run_path(path, run_name=RUN_NAME)
    except SystemExit as err:
        raise UsageError(f"{path} called sys.exit({err.code!r}) while loading; put that under "
                         "`if __name__ == \"__main__\":`") from None
    except Exception as err:
        raise ScriptError(f"running {path} raised {type(err).__name__}: {err}") from err


def _defined_names(namespace: dict) -> list[str]:
    """Module-level functions of the script, for error messages."""
    from tfx_lite.function import Function
    names = []
    for name, value in namespace.items():
        if name.startswith("__"):
            continue
        if isinstance(value, Function) or (inspect.isfunction(value) and value.__module__ == RUN_NAME):
            names.append(name)
    return names


def _resolve(namespace: dict, dotted: str, path: str):
    """The callable named `dotted` (`f`, `obj.method`, `a.b.c`) in the script's namespace."""
    parts = dotted.split(".")
    if not all(p.isidentifier() for p in parts):
        raise UsageError(f"bad function name {dotted!r}: expected a name or obj.method")
    if parts[0] not in namespace:
        known = _defined_names(namespace)
        hint = f" (it defines: {', '.join(known[:12])})" if known else ""
        raise UsageError(f"{path} has no function {parts[0]!r}{hint}")
    obj = namespace[parts[0]]
    for i, part in enumerate(parts[1:], start=1):
        parent = obj
        try:
            obj = getattr(parent, part)
        except AttributeError:
            raise UsageError(f"{'.'.join(parts[:i])} (a {type(parent).__name__}) has no attribute "
                             f"{part!r}") from None
        if inspect.isclass(parent):
            static = inspect.getattr_static(parent, part, None)
            if not isinstance(static, (staticmethod, classmethod)) and callable(static) and \
                    not inspect.isclass(static):
                raise UsageError(f"{'.'.join(parts[:i + 1])} is a method of the class "
                                 f"{parent.__name__}: name it on a module-level instance "
                                 f"(e.g. model.{part}, where model = {parent.__name__}(...))")
    return obj


def _as_function(obj, dotted: str):
    """A tf.function for `obj`: itself, or tf.function(obj) for plain callables."""
    import tfx_lite as tf
    from tfx_lite.function import Function
    if isinstance(obj, Function):
        return obj, True
    if inspect.isclass(obj):
        raise UsageError(f"{dotted} is a class; name a function, or a method of a module-level "
                         f"instance (e.g. model.__call__)")
    if not callable(obj):
        raise UsageError(f"{dotted} is a {type(obj).__name__}, not a function")
    if not (inspect.isfunction(obj) or inspect.ismethod(obj) or inspect.isbuiltin(obj)):
        call = getattr(obj, "__call__")  # a callable object: its __call__ (maybe a tf.function)
        if isinstance(call, Function):
            return call, True
        obj = call
    return tf.function(obj), False


# --- the command ---

_TARGET_TEXT = re.compile(r".+\.py:[A-Za-z_][\w.]*")


def _split_target(target: str) -> tuple[str, str]:
    path, sep, name = target.rpartition(":")
    if not sep or not path or not name:
        raise UsageError(f"expected SCRIPT.py:FUNCTION, got {target!r}")
    if not os.path.isfile(path):
        raise UsageError(f"no such script: {path}")
    return path, name


def _run(args) -> int:
    if args.passes is not None and args.passes.strip() == "list":
        return _list_passes()
    if args.target is None:  # `--input T ... SCRIPT.py:F`: --input took the target too
        target = next((t for t in args.input if _TARGET_TEXT.fullmatch(t)), None)
        if target is not None:
            args.input = [t for t in args.input if t is not target]
            args.target = target
    if args.target is None:
        raise UsageError("give the function as SCRIPT.py:FUNCTION (see tfx-lite ir --help)")
    path, dotted = _split_target(args.target)
    passes = _parse_passes(args.passes) if args.passes is not None else None
    given = parse_inputs(args.input) if args.input else None
    stage = args.stage or "optimized"

    from compiler.dot import to_dot
    from compiler.lower import hlo_text
    from compiler.passes import run_pipeline
    from compiler.printer import print_program

    with script_environment(path):
        namespace = _load(path)
        fn, traced = _as_function(_resolve(namespace, dotted, path), dotted)
        concrete, inputs = concrete_function(fn, traced, given, namespace, path, dotted)
        if passes is not None:
            try:
                graph = run_pipeline(concrete.graph, passes)
            except Exception as err:
                raise ScriptError(f"--passes {args.passes} raised {type(err).__name__}: {err}") from err
            text = print_program(graph)
        elif stage in ("raw", "optimized"):
            graph = concrete.graph if stage == "raw" else concrete.optimized_graph
            text = print_program(graph)
        else:
            graph = concrete.optimized_graph
            examples = hlo_examples(graph, inputs, dotted)
            try:
                text = hlo_text(graph, *examples, optimized=stage == "optimized_hlo")
            except Exception as err:
                raise ScriptError(f"lowering {dotted} to HLO raised {type(err).__name__}: {err}") from err
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    if args.dot:
        try:
            with open(args.dot, "w") as f:
                f.write(to_dot(graph))
        except OSError as err:
            print(f"tfx-lite ir: error: cannot write {args.dot}: {err.strerror or err}", file=sys.stderr)
            return 1
    return 0
