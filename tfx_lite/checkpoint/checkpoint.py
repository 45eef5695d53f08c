"""tf.train.Checkpoint: saves the variables reachable from its objects under their object-graph
keys (a tensor bundle plus the graph itself), and restores them by walking that graph."""
from __future__ import annotations

import os

import numpy as np

from tfx_lite.checkpoint import restore as restoring
from tfx_lite.checkpoint.reader import checkpoint_prefix
from tfx_lite.checkpoint.state import CheckpointState, write_state
from tfx_lite.framework import dtypes, errors
from tfx_lite.saving import bundle
from tfx_lite.saving.object_graph import ObjectGraph, is_trackable
from tfx_lite.variables import Variable


def object_values(root) -> tuple[dict, list]:
    """(checkpoint key -> value of each variable reachable from `root`, the object graph)."""
    graph = ObjectGraph(root)
    return {graph.key(i): variable.numpy() for i, variable in graph.variables()}, graph.to_json()


def object_bundle(root) -> tuple[bytes, bytes]:
    """(index bytes, data bytes) of a bundle of the variables reachable from `root`, for an
    archive (Keras files) rather than two files."""
    values, graph = object_values(root)
    return bundle.dumps(values, object_graph=graph)


def write_objects(root, prefix) -> str:
    """Write the variables reachable from `root` as a bundle at `prefix` (with the object graph)."""
    values, graph = object_values(root)
    return bundle.write_bundle(prefix, values, object_graph=graph)


def saved_object_graph(reader: bundle.BundleReader) -> list:
    """The object graph a bundle holds, checked."""
    saved = reader.body.get("object_graph")
    where = reader.index_name
    if not isinstance(saved, list) or not saved or not all(
            isinstance(n, dict) and isinstance(n.get("children"), list) for n in saved):
        raise bundle.manifest.corrupt(where, "it holds no object graph (not a tf.train.Checkpoint)")
    for node in saved:
        if not isinstance(node.get("key", ""), str):
            raise bundle.manifest.corrupt(where, "its object graph is malformed (a key is not a string)")
        for edge in node["children"]:
            if not (isinstance(edge, list) and len(edge) == 2 and isinstance(edge[0], str)
                    and isinstance(edge[1], int) and 0 <= edge[1] < len(saved)):
                raise bundle.manifest.corrupt(where, "its object graph is malformed")
    return saved


def read_into(root, prefix) -> restoring.RestoreStatus:
    """Restore the checkpoint at `prefix` (or a directory's latest) into `root`'s graph."""
    reader = bundle.BundleReader(checkpoint_prefix(prefix))
    saved = saved_object_graph(reader)
    return restoring.restore(root, saved, reader.values())


class Checkpoint:
    """`Checkpoint(model=model, optimizer=opt, step=v)`: `save`/`restore` numbered checkpoints
    (with the directory's `checkpoint` state file), `write`/`read` one prefix."""

    def __init__(self, root=None, **kwargs):
        for name, value in kwargs.items():
            if not is_trackable(value):
                raise ValueError(f"`Checkpoint` was expecting {name} to be a trackable object (an object "
                                 f"derived from `Trackable`), got {value}. If you believe this object "
                                 "should be trackable (i.e. it is part of the TensorFlow Python API and "
                                 "manages state), please open an issue.")
            setattr(self, name, value)
        self._root = root
        self._kwargs = dict(kwargs)
        self._save_counter = None

    def _trackable_children(self):
        children = []
        if self._root is not None:
            from tfx_lite.saving.object_graph import children as children_of
            children += children_of(self._root)
        children += sorted(self._kwargs.items())
        if self._save_counter is not None:
            children.append(("save_counter", self._save_counter))
        return children

    @property
    def save_counter(self) -> Variable:
        """How many times `save` ran (a variable, saved with the checkpoint)."""
        if self._save_counter is None:
            self._save_counter = Variable(np.int64(0), trainable=False, name="save_counter",
                                          dtype=dtypes.int64)
            restoring.restore_deferred(self)
        return self._save_counter

    def write(self, file_prefix, options=None) -> str:
        return write_objects(self, os.fspath(file_prefix))

    def save(self, file_prefix, options=None) -> str:
        counter = self.save_counter
        counter.assign_add(1)
        path = self.write(f"{os.fspath(file_prefix)}-{int(counter.numpy())}")
        directory = os.path.dirname(path)
        write_state(directory or ".", CheckpointState(path, [path]))
        return path

    def read(self, save_path, options=None) -> restoring.RestoreStatus:
        return read_into(self, save_path)

    def restore(self, save_path, options=None) -> restoring.RestoreStatus:
        if save_path is None:
            return restoring.RestoreStatus(self, [], {})
        self.save_counter  # noqa: B018  (TF's restore creates the counter, so a saved one is matched)
        try:
            return self.read(save_path)
        except errors.NotFoundError as err:
            raise errors.NotFoundError(None, None, f"Error when restoring from checkpoint or SavedModel at "
                                                   f"{os.fspath(save_path)}: {err.message}") from None
