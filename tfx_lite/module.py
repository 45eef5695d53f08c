"""tf.Module: a named container of variables, submodules and functions.

Tracking is by reflection, as in TF: `variables`, `submodules`, ... walk the instance's
attributes sorted by name, flatten each value as `tf.nest` does (lists and tuples in
order, dicts by sorted key, namedtuples by field), yield the leaves of this module and
then recurse into each submodule found, in the order found. Each leaf is yielded once.
"""
from __future__ import annotations

import collections.abc
import functools
import re

from tfx_lite.checkpoint.restore import _DEFERRED, restore_deferred
from tfx_lite.framework.name_scope import name_scope
from tfx_lite.saving.object_graph import attribute_children
from tfx_lite.variables import Variable

# Attributes that tfx_lite itself keeps on instances and that TF's Module never sees:
# `Function.__get__` caches the per-instance bound tf.functions here.
_INTERNAL_ATTRIBUTES = frozenset(("_tfx_bound_functions",))

_CAMEL_TO_SNAKE_R = re.compile(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))")
_VALID_IDENTIFIER = re.compile(r"^[a-zA-Z_]([a-zA-Z0-9_])*$")


def valid_identifier(name) -> bool:
    return bool(_VALID_IDENTIFIER.match(name))


def camel_to_snake(value: str) -> str:
    return _CAMEL_TO_SNAKE_R.sub(r"_\1", value).lower()


class Module:
    """Base class of stateful components: `tf.Variable`s and `tf.Module`s assigned to
    attributes (also inside lists, tuples and dicts) are found by `variables`,
    `trainable_variables`, `non_trainable_variables` and `submodules`.

    Variables created under `with self.name_scope:` (or in a method decorated with
    `@tf.Module.with_name_scope`) are named '<module name>/<name>:0'.
    """

    _TF_MODULE_IGNORED_PROPERTIES = frozenset((
        "_self_unconditional_checkpoint_dependencies",
        "_self_unconditional_dependency_names",
    ))

    def __init__(self, name=None):
        if name is None:
            name = camel_to_snake(type(self).__name__)
        elif not valid_identifier(name):
            raise ValueError(
                "%r is not a valid module name. Module names must be valid Python "
                "identifiers (e.g. a valid class name)." % name)
        self._name = name
        with name_scope(name) as scope_name:
            self._name_scope = name_scope(scope_name)

    def __setattr__(self, key, value):
        object.__setattr__(self, key, value)
        if _DEFERRED and id(self) in _DEFERRED:  # a checkpoint value waits for this attribute
            restore_deferred(self)

    def _trackable_children(self):
        """What checkpoints and SavedModels follow: the trackable attributes, by name."""
        return attribute_children(self, self._TF_MODULE_IGNORED_PROPERTIES | _INTERNAL_ATTRIBUTES)

    @property
    def name(self) -> str:
        """The name passed to (or derived by) the constructor; not `name_scope.name`,
        which includes the scopes the module was created in."""
        return self._name

    @property
    def name_scope(self) -> name_scope:
        """A `tf.name_scope` for this module: '<outer scopes>/<name>/'."""
        return self._name_scope

    @property
    def variables(self) -> tuple:
        """Variables of this module (by attribute name), then of its submodules."""
        return tuple(self._flatten(predicate=_is_variable, expand_composites=True))

    @property
    def trainable_variables(self) -> tuple:
        return tuple(self._flatten(predicate=_is_trainable_variable, expand_composites=True))

    @property
    def non_trainable_variables(self) -> tuple:
        return tuple(self._flatten(predicate=_is_non_trainable_variable, expand_composites=True))

    @property
    def submodules(self) -> tuple:
        """All modules reachable from this one's attributes (not including itself)."""
        return tuple(self._flatten(predicate=_is_module))

    def _flatten(self, recursive=True, predicate=None, attribute_traversal_key=None,
                 with_path=False, expand_composites=False):
        """Attribute values, flattened, in order of attribute name (then submodules);
        see the module docstring. With `with_path`, (path, leaf) pairs, not deduplicated."""
        if predicate is None:
            predicate = lambda _: True  # noqa: E731
        return _flatten_module(
            self, recursive=recursive, predicate=predicate,
            attributes_to_ignore=self._TF_MODULE_IGNORED_PROPERTIES,
            attribute_traversal_key=attribute_traversal_key, with_path=with_path,
            expand_composites=expand_composites)

    @classmethod
    def with_name_scope(cls, method):
        """Decorator: run the method inside the module's name scope."""
        @functools.wraps(method)
        def method_with_name_scope(self, *args, **kwargs):
            with self.name_scope:
                return method(self, *args, **kwargs)
        return method_with_name_scope


def _is_variable(obj) -> bool:
    return isinstance(obj, Variable)


def _is_trainable_variable(obj) -> bool:
    return _is_variable(obj) and getattr(obj, "trainable", False)


def _is_non_trainable_variable(obj) -> bool:
    return _is_variable(obj) and not getattr(obj, "trainable", False)


def _is_module(obj) -> bool:
    return isinstance(obj, Module)


def _is_namedtuple(value) -> bool:
    return isinstance(value, tuple) and hasattr(type(value), "_fields")


def _sorted_keys(mapping):
    try:
        return sorted(mapping)
    except TypeError as cause:
        raise TypeError("nest only supports dicts with sortable keys.") from cause


def _flatten_with_tuple_paths(structure, path=()):
    """(path, leaf) pairs of a nested structure, in tf.nest's order."""
    if isinstance(structure, collections.abc.Mapping):
        for key in _sorted_keys(structure):
            yield from _flatten_with_tuple_paths(structure[key], path + (key,))
    elif isinstance(structure, (list, tuple)):
        fields = type(structure)._fields if _is_namedtuple(structure) else None
        for i, child in enumerate(structure):
            yield from _flatten_with_tuple_paths(child, path + ((fields[i] if fields else i),))
    else:
        yield path, structure


def _flatten_module(module, recursive, predicate, attribute_traversal_key, attributes_to_ignore,
                    with_path, expand_composites, module_path=(), seen=None,
                    recursion_stack=None):
    """TF's `_flatten_module`: leaves of `module`, then those of each submodule found."""
    module_id = id(module)
    if seen is None:
        seen = {module_id}
    module_dict = vars(module)
    submodules = []
    if recursion_stack is None:
        recursion_stack = []
    if module_id in recursion_stack:
        recursive = False

    for key in sorted(module_dict, key=attribute_traversal_key):
        if key in attributes_to_ignore or key in _INTERNAL_ATTRIBUTES:
            continue
        prop = module_dict[key]
        try:
            leaves = list(_flatten_with_tuple_paths(prop))
        except Exception as cause:  # as TF: any failure names the property
            raise ValueError("Error processing property {!r} of {!r}".format(key, prop)) from cause

        for leaf_path, leaf in leaves:
            leaf_path = (key,) + leaf_path
            if not with_path:
                leaf_id = id(leaf)
                if leaf_id in seen:
                    continue
                seen.add(leaf_id)
            if predicate(leaf):
                yield (module_path + leaf_path, leaf) if with_path else leaf
            if recursive and _is_module(leaf):
                submodules.append((module_path + leaf_path, leaf))

    recursion_stack.append(module_id)
    for submodule_path, submodule in submodules:
        yield from _flatten_module(
            submodule, recursive=recursive, predicate=predicate,
            attribute_traversal_key=attribute_traversal_key,
            attributes_to_ignore=submodule._TF_MODULE_IGNORED_PROPERTIES,
            with_path=with_path, expand_composites=expand_composites,
            module_path=submodule_path, seen=seen, recursion_stack=recursion_stack)
    recursion_stack.pop()
