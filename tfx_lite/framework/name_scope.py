"""tf.name_scope: a prefix for the names of variables (and ops) created inside it.

Eager mode follows TF 2: scopes are joined with '/', never made unique, a name ending
in '/' is an absolute scope and '' returns to the root. Inside a traced function each
graph has its own scope stack starting at the root and, as TF's graphs do, repeated
scope names are made unique ('s', 's_1', ...; case-insensitively).
"""
from __future__ import annotations

import threading
import weakref

from compiler import current_builder

_eager = threading.local()
_graphs: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


class _GraphScopes:
    __slots__ = ("scope", "used")

    def __init__(self):
        self.scope = ""
        self.used: dict[str, int] = {}

    def unique(self, name: str) -> str:
        """TF's Graph.unique_name for scope names (the name is marked as used)."""
        key = name.lower()
        i = self.used.get(key, 0)
        self.used[key] = i + 1
        if i > 0:
            base = key
            while key in self.used:
                key = f"{base}_{i}"
                i += 1
            self.used[key] = 1
            name = f"{name}_{i - 1}"
        return name


def _graph_scopes(builder) -> _GraphScopes:
    scopes = _graphs.get(builder)
    if scopes is None:
        scopes = _graphs[builder] = _GraphScopes()
    return scopes


def current_name_scope() -> str:
    """The current scope: '' at the root, else ending in '/' (e.g. 'a/b/')."""
    builder = current_builder()
    if builder is not None:
        return _graph_scopes(builder).scope
    return getattr(_eager, "scope", "")


def _set_scope(builder, scope: str) -> None:
    if builder is not None:
        _graph_scopes(builder).scope = scope
    else:
        _eager.scope = scope


class name_scope:
    """A context manager that pushes a name scope: `with tf.name_scope("a") as scope:`
    gives `scope == "a/"` and variables named `"a/<name>:0"`. Reusable and reentrant."""

    __slots__ = ["_name", "_exit_fns"]

    def __init__(self, name) -> None:
        if not isinstance(name, str):
            raise ValueError("name for name_scope must be a string.")
        self._name = name
        self._exit_fns = []

    @property
    def name(self) -> str:
        return self._name

    def __enter__(self) -> str:
        builder = current_builder()
        old = current_name_scope()
        name = self._name
        if not name:
            scope = ""
        elif name[-1] == "/":
            scope = name
        elif builder is not None:
            scope = _graph_scopes(builder).unique(old + name) + "/"
        else:
            scope = old + name + "/"
        _set_scope(builder, scope)
        self._exit_fns.append((builder, old))
        return scope

    def __exit__(self, type_arg, value_arg, traceback_arg) -> bool:
        builder, old = self._exit_fns.pop()
        _set_scope(builder, old)
        return False

    def __getstate__(self):
        return self._name, self._exit_fns

    def __setstate__(self, state) -> None:
        self._name, self._exit_fns = state


name_scope_v2 = name_scope


def scoped_name(name: str | None, default: str) -> str:
    """The full name (without ':0') of an object created now under `name`, as TF names
    variables: `name_scope(name or default)` entered, its trailing '/' removed."""
    name = name or default
    if name[-1] == "/":
        return name[:-1]
    return current_name_scope() + name
