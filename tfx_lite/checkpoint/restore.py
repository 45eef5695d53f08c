"""Restoring values into live objects by walking the saved object graph and the live one
together, as TF does: a saved node's child named `kernel` is the live object's child named
`kernel`, whatever path its value was saved under.

Every shape and dtype is checked before any variable is assigned. A saved child that the live
object does not have yet is kept (restore-on-create): when the object later gets an attribute
(`Module.__setattr__`) or builds its state (an optimizer's slots), `restore_deferred(obj)` walks
it again and assigns what now exists.
"""
from __future__ import annotations

import weakref

import numpy as np

from compiler.trace import init_scope

from tfx_lite.saving import object_graph
from tfx_lite.variables import Variable

# id(anchor object) -> [(weakref to it, saved node index, RestoreStatus)]
_DEFERRED: dict[int, list] = {}


def _is_container(value) -> bool:
    return isinstance(value, (list, tuple, dict))


class RestoreStatus:
    """What a restore matched. TF's CheckpointLoadStatus: `assert_consumed`,
    `assert_existing_objects_matched`, `assert_nontrivial_match`, `expect_partial`."""

    def __init__(self, root, saved_nodes: list, values: dict):
        self._root = root
        self._saved = saved_nodes
        self._values = values  # checkpoint key -> array
        self._matched_saved: set[int] = set()
        self._matched_live: set[int] = set()
        self._partial = False

    # --- walking ---
    def _walk(self, saved_i: int, live, anchor, plan: list, deferred: list, seen: set):
        if (saved_i, id(live)) in seen:
            return
        seen.add((saved_i, id(live)))
        node = self._saved[saved_i]
        if isinstance(live, Variable):
            key = node.get("key")
            if key is None or key not in self._values:
                return
            plan.append((saved_i, live, self._values[key]))
            return
        if not _is_container(live):
            anchor = (saved_i, live)
        live_children = dict(object_graph.children(live))
        for name, child_i in node["children"]:
            child = live_children.get(name)
            if child is None:
                deferred.append(anchor)
            else:
                self._walk(child_i, child, anchor, plan, deferred, seen)

    def match(self, saved_i, live) -> tuple[list, list]:
        """(the (saved node, variable, value) assignments, the objects still missing children)
        of restoring saved node `saved_i` into `live`; nothing is assigned."""
        plan, deferred = [], []
        self._walk(saved_i, live, (saved_i, live), plan, deferred, set())
        return plan, deferred

    def apply(self, plan, deferred=()):
        # a variable restored once keeps what happened to it since (a later walk reaches it again)
        plan = [entry for entry in plan if id(entry[1]) not in self._matched_live]
        for _, variable, value in plan:  # check everything before assigning anything
            _check_compatible(variable, value)
        with init_scope():  # eagerly, also when a variable is created while a function is traced
            for _, variable, value in plan:
                variable.assign(value)
        for saved, variable, value in plan:
            self._matched_saved.add(saved)
            self._matched_live.add(id(variable))
        for anchor_i, anchor in {id(a): (i, a) for i, a in deferred}.values():
            _defer(anchor, anchor_i, self)

    def _run(self, saved_i, live):
        self.apply(*self.match(saved_i, live))

    # --- TF's status API ---
    def _unresolved(self) -> list[str]:
        return [self._saved[i]["key"] for i in range(len(self._saved))
                if "key" in self._saved[i] and i not in self._matched_saved]

    def _unmatched_live(self) -> list:
        graph = object_graph.ObjectGraph(self._root)
        return [v for _, v in graph.variables() if id(v) not in self._matched_live]

    def assert_consumed(self):
        unresolved = self._unresolved()
        if unresolved:
            raise AssertionError(f"Unresolved object in checkpoint {_python_path(unresolved[0])}: attributes "
                                 f"{{ name: \"VARIABLE_VALUE\" checkpoint_key: \"{unresolved[0]}\" }}")
        return self.assert_existing_objects_matched()

    def assert_existing_objects_matched(self):
        unmatched = self._unmatched_live()
        if unmatched:
            raise AssertionError(
                f"Found {len(unmatched)} Python objects that were not bound to checkpointed values, likely "
                f"due to changes in the Python program. Showing {min(len(unmatched), 10)} of "
                f"{len(unmatched)} unmatched objects: {unmatched[:10]}")
        return self

    def assert_nontrivial_match(self):
        if not self._matched_saved:
            raise AssertionError("No checkpointed values were matched to Python objects: the checkpoint "
                                 "and the objects share no path")
        return self

    def expect_partial(self):
        self._partial = True
        return self

    def run_restore_ops(self, session=None):
        return None

    def initialize_or_restore(self, session=None):
        return None


def _python_path(key: str) -> str:
    path = key[:-len(object_graph.VALUE_SUFFIX)] if key.endswith(object_graph.VALUE_SUFFIX) else key
    return "(root)." + ".".join(path.split("/"))


def _check_compatible(variable: Variable, value: np.ndarray):
    shape = tuple(variable.shape.as_list())
    if tuple(value.shape) != shape:
        raise ValueError(f"Received incompatible tensor with shape {tuple(value.shape)} when attempting to "
                         f"restore variable with shape {shape} and name {variable.name}.")
    if np.dtype(variable.dtype.as_numpy_dtype) != value.dtype:
        raise ValueError(f"Received a tensor of dtype {value.dtype.name} when attempting to restore variable "
                         f"{variable.name} of dtype {variable.dtype.name}.")


def _defer(anchor, saved_i: int, status: RestoreStatus):
    try:
        ref = weakref.ref(anchor)
    except TypeError:
        return  # not weakly referenceable: values for it are not kept
    entries = _DEFERRED.setdefault(id(anchor), [])
    if not any(r() is anchor and i == saved_i and s is status for r, i, s in entries):
        entries.append((ref, saved_i, status))


def restore_deferred(obj) -> None:
    """Assign the values kept for `obj`'s children that exist now (called when it changes)."""
    entries = _DEFERRED.pop(id(obj), None)
    if not entries:
        return
    for ref, saved_i, status in entries:
        if ref() is obj:
            status._run(saved_i, obj)


def restore(root, saved_nodes: list, values: dict) -> RestoreStatus:
    """Match the saved graph (node 0 is the saved root) against `root` and assign the values."""
    status = RestoreStatus(root, saved_nodes, values)
    status._run(0, root)
    return status
