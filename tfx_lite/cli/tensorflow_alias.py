"""`import tensorflow as tf` served by tfx_lite (used by `tfx-lite run`).

`install()` puts a finder first on `sys.meta_path` that answers for `tensorflow` and every
`tensorflow.<path>`: the module it makes is an alias of what `tfx_lite.<path>` names. Nothing is
imported up front; a path is resolved when it is first imported or looked up:

- `tensorflow.a.b` is `getattr(<target of tensorflow.a>, "b")`; where that attribute is missing
  and the target is a package, the tfx_lite submodule `<target>.b` is imported if it exists.
  So modules (`tensorflow.keras.layers` -> `tfx_lite.keras.layers`) and names tfx_lite exposes
  only as attributes (`tensorflow.compat.v1.data` -> `tfx_lite.data`) both work, with
  `import tensorflow.x.y`, `from tensorflow.x import y` and `tf.x.y` alike.
- An alias module forwards attribute access to its target. Attributes that are tfx_lite modules
  come back as alias modules (so `tf.keras.layers.Foo` is still checked here); everything else
  (classes, functions, dtypes, values) is tfx_lite's own object, so identity and `isinstance`
  hold between what a script gets from `tensorflow` and what tfx_lite makes.
- A name tfx_lite lacks raises `AttributeError` (attribute access) or `ModuleNotFoundError`
  (`import tensorflow.lite`, `from tensorflow.keras.layers import Foo`): `UnsupportedName` /
  `UnsupportedModule`, whose message names the TensorFlow name, says tfx_lite does not implement
  it, and suggests close names (difflib; built only when shown, so `hasattr` stays cheap).
- `tensorflow.__version__` is "2.21.0", the TensorFlow release tfx_lite follows (DESIGN.md: TF
  2.21 is the reference), because scripts compare it against TF releases;
  `tensorflow.__tfx_lite_version__` is tfx_lite's own version.

Limits: only what tfx_lite implements exists (no `tensorflow.python.*` / `tensorflow.core.*`
internals, no TF C++ ops); objects are tfx_lite's, so code that checks `type(x).__module__`
or mixes in real TensorFlow objects sees tfx_lite; assigning `tf.x = ...` changes the alias, not
tfx_lite; tfx_lite's own module-level helpers show through (`tf.demo`, `tf.keras.activations.tf`);
a standalone `import keras` is not aliased. A looked-up attribute costs ~28 ns instead of ~10 ns
(a module with `__getattr__` misses CPython's attribute specialisation), nothing next to an op. `install()` is only called by `tfx-lite run` (and by tests), so a real TensorFlow in the
same interpreter is untouched otherwise; while installed, every `import tensorflow`, including
one inside a third-party library, gets tfx_lite.
"""
from __future__ import annotations

import difflib
import functools
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types

PREFIX = "tensorflow"
TARGET = "tfx_lite"
TF_VERSION = "2.21.0"

_MISSING = object()
# Plain values may be module state that tfx_lite reassigns: looked up each time, never cached.
_UNCACHED = (bool, int, float, complex, str, bytes, list, dict, set, tuple, type(None))
# TensorFlow implementation packages: say so, rather than only "not implemented".
_INTERNAL = {"python": "TensorFlow's internal modules (tensorflow.python.*)",
             "core": "TensorFlow's C++ core (tensorflow.core.*)",
             "tsl": "TensorFlow's C++ support library (tensorflow.tsl.*)",
             "compiler": "TensorFlow's compilers (tensorflow.compiler.*)"}


class _Unsupported:
    """The message is built when first shown, not when raised: `hasattr(tf, "x")` and
    `getattr(tf, "x", None)` stay cheap."""

    def __init__(self, path: str, target):
        super().__init__(path)
        self.tf_name, self._target, self._text = path, target, None

    def __str__(self):
        if self._text is None:
            self._text = _message(self.tf_name, self._target)
        return self._text


class UnsupportedName(_Unsupported, AttributeError):
    """A TensorFlow API name that tfx_lite does not implement (attribute access)."""


class UnsupportedModule(_Unsupported, ModuleNotFoundError):
    """A TensorFlow module or name, imported, that tfx_lite does not implement.

    Its `name` is None on purpose: `from tensorflow.x import Foo` tries to import
    `tensorflow.x.Foo`, and a ModuleNotFoundError named so would be dropped for Python's generic
    "cannot import name" message.
    """


def short_name(path: str) -> str:
    """`tensorflow.keras.layers.Foo` -> `tf.keras.layers.Foo`, as scripts write it."""
    return "tf" + path[len(PREFIX):]


def _is_ours(value) -> bool:
    return isinstance(value, types.ModuleType) and (value.__name__ == TARGET or
                                                    value.__name__.startswith(TARGET + "."))


def _public_names(target) -> list[str]:
    names = []
    for name in dir(target):
        if name.startswith("_"):
            continue
        value = getattr(target, name, None)
        if isinstance(value, types.ModuleType) and not _is_ours(value):
            continue  # numpy, jax, ... imported by a tfx_lite module
        if type(value).__module__ == "__future__":
            continue
        names.append(name)
    return names


def _message(path: str, target) -> str:
    parent, _, name = path.rpartition(".")
    head = path.split(".")[1] if "." in path else ""
    text = f"{short_name(path)} ({path}) is not implemented by tfx_lite"
    if parent == PREFIX and head in _INTERNAL:
        return f"{text}: {_INTERNAL[head]} are not part of the API tfx_lite provides"
    if target is not None:
        names = _public_names(target)
        close = difflib.get_close_matches(name, names, n=3, cutoff=0.7)
        close += [n for n in names if n.lower() == name.lower() and n not in close]
        if close:
            text += "; did you mean " + ", ".join(f"{short_name(parent)}.{n}" for n in close) + "?"
    return text


def _resolve(target, name: str):
    """`target.name` the way `tensorflow.<...>.name` means it, or _MISSING."""
    value = getattr(target, name, _MISSING)
    if value is _MISSING and _is_ours(target) and hasattr(target, "__path__") and name.isidentifier():
        child = f"{target.__name__}.{name}"
        if importlib.util.find_spec(child) is not None:  # a tfx_lite module not imported yet
            value = importlib.import_module(child)
    return value


def is_alias(module) -> bool:
    """True for a `tensorflow.<path>` module made here. (Plain `types.ModuleType`s, not a
    subclass: Python's fast path for module attributes only applies to the exact type.)"""
    return isinstance(module, types.ModuleType) and "_tfx_target" in module.__dict__


def _alias_getattr(module: types.ModuleType, name: str):
    target = module.__dict__["_tfx_target"]
    if name.startswith("__") and name.endswith("__"):
        if name == "__all__":
            return getattr(target, "__all__", None) or _public_names(target)
        value = getattr(target, name, _MISSING)  # tools probe dunders: no message work
        if value is _MISSING:
            raise AttributeError(f"module {module.__name__!r} has no attribute {name!r}")
        return value
    value = _resolve(target, name)
    if value is _MISSING:
        raise UnsupportedName(f"{module.__name__}.{name}", target)
    if _is_ours(value):
        value = importlib.import_module(f"{module.__name__}.{name}")
    if not isinstance(value, _UNCACHED):
        module.__dict__[name] = value  # cached: the next lookup is a plain module attribute
    return value


def _alias_dir(module: types.ModuleType):
    names = set(dir(module.__dict__["_tfx_target"])) | set(module.__dict__)
    return sorted(names - {"__getattr__", "__dir__", "_tfx_target"})


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path=None, target=None):
        if fullname != PREFIX and not fullname.startswith(PREFIX + "."):
            return None
        if fullname == PREFIX:
            value = importlib.import_module(TARGET)
        else:
            parent_name, _, name = fullname.rpartition(".")
            parent = sys.modules.get(parent_name)
            if not is_alias(parent):  # an import of the child alone; import parents first
                parent = importlib.import_module(parent_name)
            parent_target = parent.__dict__["_tfx_target"]
            value = _resolve(parent_target, name)
            if value is _MISSING:
                raise UnsupportedModule(fullname, parent_target)
        what = value.__name__ if isinstance(value, types.ModuleType) else type(value).__name__
        spec = importlib.machinery.ModuleSpec(fullname, self, origin=f"tfx_lite alias of {what}",
                                              is_package=True)
        spec.loader_state = value
        return spec

    def create_module(self, spec):
        module = types.ModuleType(spec.name)
        module.__dict__["_tfx_target"] = spec.loader_state
        module.__dict__["__getattr__"] = functools.partial(_alias_getattr, module)
        module.__dict__["__dir__"] = functools.partial(_alias_dir, module)
        module.__doc__ = getattr(spec.loader_state, "__doc__", None)
        if spec.name == PREFIX:
            module.__version__ = TF_VERSION
            module.__tfx_lite_version__ = getattr(spec.loader_state, "__version__", None)
        return module

    def exec_module(self, module):
        pass  # nothing to run; the spec made it a package (`__path__ = []`), so
        # `import tensorflow.x.y` comes back to this finder


_finder: _Finder | None = None
_saved: dict[str, types.ModuleType] = {}


def install() -> None:
    """Make `tensorflow` (and `tensorflow.*`) import as tfx_lite. Idempotent."""
    global _finder
    if _finder is not None:
        return
    for name in list(sys.modules):  # a real TensorFlow already imported: set aside, restored later
        if (name == PREFIX or name.startswith(PREFIX + ".")) and not is_alias(sys.modules[name]):
            _saved[name] = sys.modules.pop(name)
    _finder = _Finder()
    sys.meta_path.insert(0, _finder)


def uninstall() -> None:
    """Undo `install()`: drop the finder and every alias module, restore what was set aside."""
    global _finder
    if _finder is None:
        return
    if _finder in sys.meta_path:
        sys.meta_path.remove(_finder)
    _finder = None
    for name in list(sys.modules):
        if is_alias(sys.modules[name]):
            del sys.modules[name]
    sys.modules.update(_saved)
    _saved.clear()


def is_unsupported(error: BaseException) -> bool:
    return isinstance(error, _Unsupported)
