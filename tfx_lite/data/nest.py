"""Nested element structures as tf.data sees them: tuples, namedtuples and dicts nest; anything
else (a list too, which becomes one tensor) is a leaf. Dict entries flatten in sorted key order,
as tf.nest does, and come back in the order they were given."""
from __future__ import annotations


class Tree:
    """The shape of a nested structure; equal when the nesting and the keys are."""

    __slots__ = ("kind", "node_type", "keys", "children", "order")

    def __init__(self, kind, node_type=None, keys=(), children=(), order=()):
        self.kind = kind              # "leaf", "tuple" (incl. namedtuples) or "dict"
        self.node_type = node_type
        self.keys = keys              # a dict's keys, sorted (the order of its children)
        self.children = children
        self.order = order            # a dict's keys, as given

    @property
    def num_leaves(self) -> int:
        return 1 if self.kind == "leaf" else sum(c.num_leaves for c in self.children)

    def unflatten(self, leaves):
        leaves = list(leaves)
        value = self._build(iter(leaves))
        return value

    def _build(self, leaves):
        if self.kind == "leaf":
            return next(leaves)
        built = [c._build(leaves) for c in self.children]
        if self.kind == "dict":
            by_key = dict(zip(self.keys, built))
            return self.node_type((k, by_key[k]) for k in self.order)
        if self.node_type is tuple:
            return tuple(built)
        return self.node_type(*built)  # a namedtuple

    def _key(self):
        return (self.kind, self.node_type, self.keys, tuple(c._key() for c in self.children))

    def __eq__(self, other):
        return isinstance(other, Tree) and self._key() == other._key()

    def __hash__(self):
        return hash(self._key())

    def __repr__(self):
        return f"Tree({self.unflatten(['*'] * self.num_leaves)!r})"


LEAF = Tree("leaf")


def _sorted_keys(mapping):
    try:
        return tuple(sorted(mapping))
    except TypeError:
        return tuple(mapping)


def flatten(value, leaves=None):
    """(leaves, Tree) of a nested structure."""
    out = [] if leaves is None else leaves
    tree = _flatten(value, out)
    return out, tree


def _flatten(value, out):
    if isinstance(value, dict):
        keys = _sorted_keys(value)
        return Tree("dict", type(value), keys, tuple(_flatten(value[k], out) for k in keys), tuple(value))
    if isinstance(value, tuple):
        return Tree("tuple", type(value), (), tuple(_flatten(v, out) for v in value))
    out.append(value)
    return LEAF


def call_on_element(fn, element):
    """`fn` applied to a dataset element: a plain tuple is unpacked into its arguments (as
    tf.data does); anything else, namedtuples too, is one argument."""
    if isinstance(element, tuple) and not hasattr(element, "_fields"):
        return fn(*element)
    return fn(element)


def lists_to_tuples(value):
    """What a dataset function returns, with lists read as tuples (as tf.data does)."""
    if isinstance(value, list):
        return tuple(lists_to_tuples(v) for v in value)
    if isinstance(value, dict):
        return type(value)((k, lists_to_tuples(v)) for k, v in value.items())
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(lists_to_tuples(v) for v in value)
    return value
