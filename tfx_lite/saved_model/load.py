"""tf.saved_model.load: rebuild a saved object from its files, without the classes that made it.

Everything is read and checked first (the manifest's checksum and version, every file's sha256,
the IR text of each function, the variables bundle, the structures, the object graph's
references); only then are variables, objects and functions built, so a bad file raises before
anything exists. Functions run from the parsed IR on jax.jit; variables are tf.Variables that
can be assigned and trained.
"""
from __future__ import annotations

import os
import re

import jax
import jax.numpy as jnp

from compiler.parser import parse_program
from tfx_lite.function import ConcreteFunction, _is_leaf
from tfx_lite.saved_model import structure
from tfx_lite.saved_model.restored_function import (
    RestoredFunction, SignatureFunction, SignatureMap, python_signature)
from tfx_lite.saved_model.save import FORMAT, MANIFEST, VARIABLES, VERSION
from tfx_lite.saving import arrays_file, manifest
from tfx_lite.saving.bundle import BundleReader
from tfx_lite.saving.object_graph import attribute_children
from tfx_lite.variables import Variable

# The only files a SavedModel's manifest may name.
_FILE = re.compile(r"functions/\d+\.ir|functions/constants\.npz|variables/variables\.(index|data-00000-of-00001)")
_KINDS = {"user_object", "variable", "function", "list", "tuple", "dict"}
_VARIABLE_FILES = (f"{VARIABLES}.index", f"{VARIABLES}.data-00000-of-00001")


class _UserObject:
    """A loaded object: its saved attributes (variables, functions, objects), nothing else."""

    def _trackable_children(self):
        return attribute_children(self)


class _RestoredState:
    """Graph state a function captured that is not a variable (a random op's call counter)."""

    def __init__(self, array):
        self._array = jnp.asarray(array)
        self._exposed = False


def _missing_model(path):
    directory = os.path.dirname(path)
    return OSError(f"SavedModel file does not exist at: {directory}/{{{MANIFEST}}}")


def _path(export_dir, relative):
    return os.path.join(export_dir, *relative.split("/"))


def _file(export_dir, relative, files, where):
    """The checked bytes of one file the manifest lists."""
    if not isinstance(relative, str) or not _FILE.fullmatch(relative):
        raise manifest.corrupt(where, f"names an unexpected or unsafe file path {str(relative)[:100]!r}")
    if relative not in files:
        raise manifest.corrupt(where, f"does not list the file {relative!r} (with its sha256) that it uses")
    root = os.path.realpath(export_dir)
    path = _path(export_dir, relative)
    if os.path.commonpath([root, os.path.realpath(path)]) != root:
        raise manifest.corrupt(path, "resolves outside the SavedModel directory (a link?)")
    data = manifest.read_bytes(path, missing=lambda p: manifest.corrupt(p, "missing (the manifest lists it)"))
    if manifest.sha256(data) != files.get(relative):
        raise manifest.corrupt(path, "checksum mismatch: the file is truncated or was modified after it was "
                                     "written")
    return data


class _Loaded:
    """The checked contents of a SavedModel directory."""

    def __init__(self, export_dir):
        path = os.path.join(export_dir, MANIFEST)
        self.where = path
        body = manifest.read(path, FORMAT, VERSION, missing=_missing_model)
        try:
            self._read(export_dir, body)
        except manifest.VersionError:
            raise  # (of the variables' index: it names that file)
        except (KeyError, TypeError, IndexError, AttributeError, ValueError) as err:
            raise manifest.corrupt(path, f"malformed entry ({type(err).__name__}: {err})") from None

    def _read(self, export_dir, body):
        files = body["files"]
        if not isinstance(files, dict):
            raise TypeError("files is not a mapping")
        contents = {relative: _file(export_dir, relative, files, self.where)  # every listed file, checked
                    for relative in files}

        def read(relative):  # once each; a file the manifest does not list is refused by _file
            if relative in contents:
                return contents[relative]
            return _file(export_dir, relative, files, self.where)

        if not isinstance(body["constants"], list):
            raise TypeError("constants is not a list")
        constants_data = read("functions/constants.npz")
        constants = arrays_file.loads(constants_data, _path(export_dir, "functions/constants.npz"),
                                      body["constants"], files["functions/constants.npz"])
        self.nodes = body["object_graph"]
        self.input_signatures = {}
        for i, node in enumerate(self.nodes):
            self._check_node(i, node)
        index, data = _VARIABLE_FILES
        self.variables = BundleReader.from_bytes(
            read(index), _path(export_dir, index), read(data), _path(export_dir, data))
        for i, node in enumerate(self.nodes):
            if node["kind"] == "variable" and node.get("key") not in self.variables:
                raise KeyError(f"variable node {i} ({node.get('name')!r}) has no value in the variables")
        self.states = constants
        self.functions = []
        for i, entry in enumerate(body["concrete_functions"]):
            relative = entry["ir"]
            data = read(relative)
            first, count = entry["constants"]
            try:
                graph = parse_program(data.decode(), constants[first:first + count])
            except ValueError as err:
                raise manifest.corrupt(os.path.join(export_dir, relative), f"not valid IR ({err})") from None
            self.functions.append(self._function_parts(i, entry, graph))
        self.signatures = {}
        for name, entry in body["signatures"].items():
            index = entry["concrete"]
            if not 0 <= index < len(self.functions):
                raise IndexError(f"signature {name!r} refers to function {index}")
            self.signatures[name] = (index, [(n, structure.decode(s)) for n, s in entry["inputs"]],
                                     [(k, int(p)) for k, p in entry["outputs"]])
        for node in self.nodes:
            if node["kind"] == "function":
                for index in node["concrete_functions"]:
                    if not 0 <= index < len(self.functions):
                        raise IndexError(f"function {node.get('name')!r} refers to function {index}")

    def _check_node(self, i, node):
        """A node's kind and edges, and what _build reads from it besides."""
        kind = node["kind"]
        if kind not in _KINDS:
            raise TypeError(f"node {i} has an unknown kind {str(kind)[:100]!r}")
        for edge in node["children"]:
            if not (isinstance(edge, list) and len(edge) == 2 and isinstance(edge[0], str)
                    and type(edge[1]) is int and 0 <= edge[1] < len(self.nodes)):
                raise IndexError(f"node {i} has a malformed edge {str(edge)[:100]}")
            if kind == "user_object" and edge[0].startswith("__") and edge[0] != "__call__":
                raise ValueError(f"node {i} has an attribute named {edge[0][:100]!r}")
        if kind == "function":
            python_signature(node.get("parameters"))  # raises on a malformed parameter list
            signature = node.get("input_signature")
            self.input_signatures[i] = None if signature is None else structure.decode(signature)
        if kind == "dict" and not all(isinstance(pair, list) and len(pair) == 2 and isinstance(pair[1], (str, int))
                                      for pair in node.get("keys", [])):
            raise TypeError(f"node {i} has malformed keys")

    def _reference(self, ref):
        if "node" in ref:
            if self.nodes[ref["node"]]["kind"] != "variable":
                raise TypeError(f"a capture refers to node {ref['node']}, which is not a variable")
            return "node", ref["node"]
        if not 0 <= ref["state"] < len(self.states):
            raise IndexError(f"a capture refers to state {ref['state']}")
        return "state", ref["state"]

    def _function_parts(self, i, entry, graph):
        inputs = structure.decode(entry["inputs"])
        outputs = structure.decode(entry["outputs"])
        out_leaves = []
        for leaf in entry["out_leaves"]:
            if "result" in leaf:
                out_leaves.append(int(leaf["result"]))
            elif "composite" in leaf:
                out_leaves.append(("composite", structure.decode(leaf["composite"]),
                                   tuple(int(r) for r in leaf["results"])))
            else:
                out_leaves.append(("python", structure.decode(leaf["python"])))
        out_flat, out_tree = jax.tree_util.tree_flatten(outputs, is_leaf=_is_leaf)
        if len(out_flat) != len(out_leaves):
            raise IndexError(f"function {i}: {len(out_leaves)} output leaves for a structure of {len(out_flat)}")
        input_leaves = [int(n) for n in entry["input_leaves"]]
        captures = [self._reference(r) for r in entry["captures"]]
        updated = [self._reference(r) for r in entry["updated"]]
        if len(graph.params) != sum(input_leaves) + len(captures):
            raise IndexError(f"function {i}: the IR has {len(graph.params)} parameters, the entry "
                             f"{sum(input_leaves)} inputs and {len(captures)} captures")
        num_results = len(graph.results) - len(updated)
        if num_results < 0 or any(isinstance(o, int) and not 0 <= o < num_results for o in out_leaves):
            raise IndexError(f"function {i}: outputs refer to results the IR does not have")
        return dict(name=str(entry["name"]), graph=graph, inputs=inputs, outputs=outputs, out_tree=out_tree,
                    out_leaves=out_leaves, input_leaves=input_leaves, captures=captures, updated=updated)


def _build(loaded: _Loaded):
    """The objects, now that every file has been checked."""
    nodes = loaded.nodes
    built: list = [None] * len(nodes)
    for i, node in enumerate(nodes):
        if node["kind"] == "variable":
            value = loaded.variables.get(node["key"])
            built[i] = Variable(value, trainable=bool(node.get("trainable", True)), name=str(node["name"]),
                                dtype=value.dtype)
    states = [_RestoredState(a) for a in loaded.states]

    def source(ref):
        return built[ref[1]] if ref[0] == "node" else states[ref[1]]

    concretes = []
    for parts in loaded.functions:
        concrete = ConcreteFunction(parts["name"], parts["graph"], parts["graph"],
                                    [source(r) for r in parts["captures"]], [source(r) for r in parts["updated"]],
                                    parts["input_leaves"], parts["out_tree"], parts["out_leaves"],
                                    parts["outputs"])
        concrete.structured_input_signature = parts["inputs"]
        concretes.append(concrete)
    for i, node in enumerate(nodes):
        kind = node["kind"]
        if kind == "function":
            built[i] = RestoredFunction(str(node.get("name")), node.get("parameters"), loaded.input_signatures[i],
                                        [concretes[c] for c in node["concrete_functions"]])
        elif kind == "user_object":
            has_call = any(name == "__call__" for name, _ in node["children"])
            cls = type("_UserObject", (_UserObject,), {}) if has_call else _UserObject
            built[i] = cls()
        elif kind in ("list", "tuple"):
            built[i] = []
        elif kind == "dict":
            built[i] = {}
    for i, node in enumerate(nodes):  # edges, in saved order
        parent, kind = built[i], node["kind"]
        keys = {str(k): k for k in (pair[1] for pair in node.get("keys", []))} if kind == "dict" else {}
        for name, child in node["children"]:
            value = built[child]
            if kind in ("list", "tuple"):
                parent.append(value)
            elif kind == "dict":
                parent[keys.get(name, name)] = value
            elif kind == "user_object":
                if name == "__call__":
                    _install_call(type(parent), value)
                else:
                    object.__setattr__(parent, name, value)
    for i, node in enumerate(nodes):  # tuples once their items are in
        if node["kind"] == "tuple":
            built[i] = tuple(built[i])
    root = built[0]
    if isinstance(root, _UserObject):
        root.signatures = SignatureMap({
            name: SignatureFunction(concretes[index], inputs, outputs)
            for name, (index, inputs, outputs) in loaded.signatures.items()})
    return root


def _install_call(cls, function):
    cls.__call__ = lambda self, *args, **kwargs: function(*args, **kwargs)
    cls._restored_call = function


def load(export_dir, tags=None, options=None):
    """The object saved in `export_dir` by tf.saved_model.save."""
    return _build(_Loaded(os.fspath(export_dir)))
