"""What a SavedModel follows from its root: the checkpoint's object graph plus the functions
attached to objects (tf.function attributes, instance or class level, and ConcreteFunctions)."""
from __future__ import annotations

import inspect

from tfx_lite.function import ConcreteFunction, Function
from tfx_lite.saving import object_graph
from tfx_lite.variables import Variable


def _is_function(value) -> bool:
    from tfx_lite.saved_model.restored_function import RestoredFunction
    return isinstance(value, (Function, ConcreteFunction, RestoredFunction))


def functions_of(obj) -> list[tuple[str, object]]:
    """`obj`'s tf.functions by attribute name: those set on the instance and those defined on
    its class (bound to it)."""
    found = {}
    for cls in reversed(type(obj).__mro__):
        for name, value in vars(cls).items():
            if isinstance(value, Function):
                found[name] = getattr(obj, name)
            elif name == "_restored_call":  # a loaded object's __call__
                found["__call__"] = value
    for name, value in vars(obj).items():
        if _is_function(value) and name != "_tfx_bound_functions":
            found[name] = value
    return sorted(found.items())


def children(obj) -> list[tuple[str, object]]:
    if isinstance(obj, Variable) or _is_function(obj):
        return []
    out = object_graph.children(obj)
    if not isinstance(obj, (list, tuple, dict)):
        names = {n for n, _ in out}
        out += [(n, f) for n, f in functions_of(obj) if n not in names]
    return out


def is_savable_root(obj) -> bool:
    return not isinstance(obj, (list, tuple, dict, Variable)) and object_graph.is_trackable(obj) \
        and not inspect.isclass(obj)
