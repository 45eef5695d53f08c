"""tf.saved_model.save: an object's variables, traced functions and signatures, written so that
`load` rebuilds them without the Python code that defined them.

    <dir>/saved_model.json            manifest (format tfx_lite.saved_model): the object graph,
                                      each concrete function's signature, captures and files,
                                      the signatures, and the sha256 of every other file
    <dir>/functions/<i>.ir            the IR text of concrete function i (compiler/printer.py)
    <dir>/functions/constants.npz     the large constants (@cN) of all functions, and state
    <dir>/variables/variables.*       the variables, a tf.train.Checkpoint of the root
"""
from __future__ import annotations

import inspect
import os

import jax

from compiler.parser import parse_program
from compiler.printer import print_program, program_constants
from tfx_lite.checkpoint.checkpoint import object_bundle
from tfx_lite.function import ConcreteFunction, Function, _is_leaf
from tfx_lite.framework.composite import CompositeTensor
from tfx_lite.framework.tensor import Tensor
from tfx_lite.framework.tensor_spec import TensorSpec
from tfx_lite.saved_model import objects, signatures as signature_rules, structure
from tfx_lite.saved_model.restored_function import RestoredFunction
from tfx_lite.saving import arrays_file, bundle, manifest
from tfx_lite.saving.object_graph import ObjectGraph
from tfx_lite.variables import Variable

FORMAT = "tfx_lite.saved_model"
VERSION = 1
MANIFEST = "saved_model.json"
VARIABLES = "variables/variables"


def _not_trackable(obj):
    return ValueError("Expected an object of type `Trackable`, such as `tf.Module` or a subclass of the "
                      f"`Trackable` class, for export. Got {obj} with type {type(obj)}.")


def _concretes_of(function) -> list[ConcreteFunction]:
    """The traces a function is saved with: its input_signature's (made if needed), or those made."""
    if isinstance(function, ConcreteFunction):
        return [function]
    if isinstance(function, RestoredFunction):
        return function.concrete_functions
    if function.input_signature is not None:
        function.get_concrete_function()
    unique = []
    for concrete in function._cache.values():
        if not any(concrete is c for c in unique):
            unique.append(concrete)
    return unique


def _parameters(function) -> list | None:
    """The Python function's parameters (name, kind, default), so loaded calls bind as traced ones."""
    if isinstance(function, ConcreteFunction):
        return None
    if isinstance(function, RestoredFunction):
        return function._parameters
    try:
        params = inspect.signature(function.python_function).parameters.values()
    except (TypeError, ValueError):
        return None
    out = []
    for p in params:
        entry = {"name": p.name, "kind": p.kind.name}
        if p.default is not inspect.Parameter.empty:
            try:
                entry["default"] = structure.encode(p.default)
            except structure.StructureError:
                entry["default"] = None  # an unsavable default: callers must pass the argument
        out.append(entry)
    return out


class _Writer:
    def __init__(self, obj):
        self.graph = ObjectGraph(obj, objects.children)
        self.node_of = {id(n): i for i, n in enumerate(self.graph.nodes)}
        self.concretes: list[ConcreteFunction] = []
        self.constants: list = []  # arrays of constants.npz
        self.states: dict[int, int] = {}  # id(state object) -> index of its initial value

    def concrete_index(self, concrete) -> int:
        for i, c in enumerate(self.concretes):
            if c is concrete:
                return i
        self.concretes.append(concrete)
        return len(self.concretes) - 1

    def reference(self, source, function_name) -> dict:
        """How a capture or update of a function is found again on load."""
        if isinstance(source, Variable):
            node = self.node_of.get(id(source))
            if node is None:
                raise ValueError(
                    f"Tried to export a function ({function_name!r}) which references an 'untracked' "
                    f"resource: the variable {source.name!r}. TensorFlow objects (e.g. tf.Variable) "
                    "captured by functions must be 'tracked' by assigning them to an attribute of a "
                    "tracked object or assigned to an attribute of the main object directly.")
            return {"node": node}
        if hasattr(source, "_array"):  # graph state such as a random op's call counter
            index = self.states.get(id(source))
            if index is None:
                index = self.states[id(source)] = len(self.constants)
                self.constants.append(jax.device_get(source._array))
            return {"state": index}
        raise ValueError(f"tf.function {function_name!r} captures {source!r}, which tfx_lite cannot save")

    def concrete_entry(self, i: int, concrete: ConcreteFunction) -> tuple[dict, str]:
        where = f"tf.function {concrete.name!r}"
        graph = concrete.optimized_graph
        text = print_program(graph)
        constants = program_constants(graph)
        try:
            parse_program(text, constants)
        except ValueError as err:
            raise ValueError(f"{where} cannot be saved: its IR does not read back from text ({err})") from None
        first = len(self.constants)
        self.constants.extend(constants)
        signature = getattr(concrete, "structured_input_signature", None)
        if signature is None:  # a trace made before signatures were recorded: tensors only
            signature = ((tuple(TensorSpec(p.type.shape, p.type.dtype, p.name)
                                for p in graph.params[:len(graph.params) - len(concrete._captures)]),), {})
        for leaf in jax.tree_util.tree_leaves(signature, is_leaf=_is_leaf):
            if hasattr(leaf, "__tf_tensor__") and not isinstance(leaf, (Tensor, TensorSpec)):
                raise ValueError(f"{where} was traced with a tf.Variable argument; such traces cannot be "
                                 "saved (capture the variable instead of passing it)")
        out_leaves = []
        for leaf in concrete._out_leaves:
            if isinstance(leaf, int):
                out_leaves.append({"result": leaf})
            elif leaf[0] == "composite":
                out_leaves.append({"composite": structure.encode(leaf[1], where), "results": list(leaf[2])})
            else:
                out_leaves.append({"python": structure.encode(leaf[1], where)})
        entry = {
            "name": concrete.name, "ir": f"functions/{i}.ir", "constants": [first, len(constants)],
            "inputs": structure.encode(signature, f"{where} inputs"),
            "input_leaves": list(concrete._input_leaves),
            "outputs": structure.encode(_output_specs(concrete.structured_outputs), f"{where} outputs"),
            "out_leaves": out_leaves,
            "captures": [self.reference(s, concrete.name) for s in concrete._captures],
            "updated": [self.reference(s, concrete.name) for s in concrete._updated],
        }
        return entry, text


def _output_specs(outputs):
    def spec(leaf):
        if isinstance(leaf, CompositeTensor):
            return leaf._type_spec
        if isinstance(leaf, Tensor) or hasattr(leaf, "__tf_tensor__"):
            return TensorSpec(leaf.shape, leaf.dtype)
        return leaf
    return jax.tree_util.tree_map(spec, outputs, is_leaf=_is_leaf)


def _node_entry(writer: _Writer, i: int, node) -> dict:
    if isinstance(node, Variable):
        return {"kind": "variable", "name": getattr(node, "path", None) or node.name,
                "dtype": node.dtype.name, "shape": node.shape.as_list(), "trainable": bool(node.trainable)}
    if isinstance(node, (Function, ConcreteFunction, RestoredFunction)):
        name = node.name if isinstance(node, ConcreteFunction) else node._name
        input_signature = getattr(node, "input_signature", None)
        return {"kind": "function", "name": name, "parameters": _parameters(node),
                "input_signature": None if input_signature is None
                else structure.encode(list(input_signature), f"tf.function {name!r} input_signature"),
                "concrete_functions": [writer.concrete_index(c) for c in _concretes_of(node)]}
    kind = "list" if isinstance(node, list) else "tuple" if isinstance(node, tuple) else \
        "dict" if isinstance(node, dict) else "user_object"
    entry = {"kind": kind}
    if kind == "dict":
        entry["keys"] = [[str(k), k] for k in node if isinstance(k, (str, int))]
    return entry


def save(obj, export_dir, signatures=None, options=None):
    """Save `obj` (a tf.Module, Keras model or other trackable object) to `export_dir`."""
    if not objects.is_savable_root(obj):
        raise _not_trackable(obj)
    export_dir = os.fspath(export_dir)
    signature_functions = signature_rules.canonicalize(obj, signatures)
    writer = _Writer(obj)
    nodes = writer.graph.to_json(lambda i, node: _node_entry(writer, i, node))
    signature_entries = {name: signature_rules.entry(concrete, writer.concrete_index(concrete))
                         for name, concrete in signature_functions.items()}
    concretes, texts = [], []
    i = 0
    while i < len(writer.concretes):  # (entries of signatures may add functions)
        entry, text = writer.concrete_entry(i, writer.concretes[i])
        concretes.append(entry)
        texts.append(text)
        i += 1
    constants, entries = arrays_file.dumps(writer.constants)
    index, data = object_bundle(obj)  # the variables: a checkpoint of the object
    contents = {**{f"functions/{i}.ir": text.encode() for i, text in enumerate(texts)},
                "functions/constants.npz": constants,
                bundle.index_path(VARIABLES): index, bundle.data_path(VARIABLES): data}
    files = {}
    for relative, content in contents.items():
        path = os.path.join(export_dir, *relative.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        manifest.write_atomically(path, content)
        files[relative] = manifest.sha256(content)
    body = {"object_graph": nodes, "concrete_functions": concretes, "constants": entries,
            "signatures": signature_entries, "files": files}
    manifest.write(os.path.join(export_dir, MANIFEST), FORMAT, VERSION, body)
