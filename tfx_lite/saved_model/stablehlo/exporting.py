"""export_stablehlo: a traced function as a StableHLO artifact (see the package docstring)."""
from __future__ import annotations

import os
import re

import jax
import numpy as np

from compiler.lower import compile_graph
from tfx_lite.framework.tensor_spec import TensorSpec
from tfx_lite.saved_model.stablehlo.artifact import (
    FORMAT, MANIFEST, MODULE, PLATFORMS, VARIABLES, VERSION, _dim, _dtype_name, _numpy_dtype, _type_text)
from tfx_lite.saving import arrays_file, manifest

# --- export ---------------------------------------------------------------------------------

def export_stablehlo(function, path, input_signature=None, platforms=None) -> str:
    """Write `function` (a tf.function with an input_signature, or given `input_signature`, or
    a ConcreteFunction) as a StableHLO artifact directory at `path`; returns `path`."""
    signature = _signature_parts(function)
    concrete = signature[0] if signature else _concrete(function, input_signature)
    if signature and input_signature is not None:
        raise ValueError("export_stablehlo: a signature has its inputs already; pass "
                         "input_signature only with a tf.function")
    name = str(getattr(concrete, "name", "function"))
    platforms = _platforms(platforms)
    graph = concrete.optimized_graph
    captures = list(concrete._captures)
    num_inputs = len(graph.params) - len(captures)
    updated = list(getattr(concrete, "_updated", ()) or ())
    if updated:
        raise ValueError(
            f"export_stablehlo: {name!r} assigns variables "
            f"({', '.join(repr(_variable_name(v)) for v in updated)}); a serving function must be "
            "pure. Export a function that only reads them (an inference step, not a training step)")
    if any(count > 1 for count in getattr(concrete, "_input_leaves", ())):
        raise ValueError(f"export_stablehlo: {name!r} takes a composite (ragged or sparse) input; "
                         "export a function of plain tensors (pass the components)")
    inputs = []
    for i, param in enumerate(graph.params[:num_inputs]):
        if param.type.dtype == object:
            raise TypeError(f"export_stablehlo: input {param.name or i!r} of {name!r} is a string "
                            "tensor; strings live on the host and cannot enter a StableHLO module")
        inputs.append({"name": param.name or f"input_{i}", "dtype": _dtype_name(param.type.dtype),
                       "shape": list(param.type.shape)})
    if signature:  # a signature's inputs are named by its keys
        if len(signature[1]) != len(inputs):
            raise ValueError(f"export_stablehlo: signature {name!r} names {len(signature[1])} inputs, "
                             f"its function takes {len(inputs)}")
        for entry, input_name in zip(inputs, signature[1]):
            entry["name"] = str(input_name)
    _unique_names(inputs)
    structure, num_outputs = _output_structure(concrete, name, signature[2] if signature else None)
    if len(graph.results) != num_outputs:
        raise ValueError(f"export_stablehlo: {name!r} has {len(graph.results)} results but its "
                         f"outputs name {num_outputs}")

    values = [np.asarray(v.numpy()) for v in captures]
    variables = [{"name": _variable_name(v), "dtype": _dtype_name(a.dtype), "shape": list(a.shape)}
                 for v, a in zip(captures, values)]
    for param, v, a in zip(graph.params[num_inputs:], variables, values):
        if tuple(param.type.shape) != a.shape or param.type.dtype != a.dtype:
            raise ValueError(f"export_stablehlo: variable {v['name']!r} holds {a.dtype}{list(a.shape)} "
                             f"but {name!r} was traced for {param.type}")

    exported, shapes = _export(compile_graph(graph).jitted, name, inputs, values, platforms)
    for entry, shape in zip(inputs, shapes):
        entry["shape"] = shape
    module = bytes(exported.serialize())
    outputs = [{"name": None, "dtype": _dtype_name(aval.dtype), "shape": [_dim(d) for d in aval.shape]}
               for aval in exported.out_avals]
    for leaf_name, index in _leaf_names(structure):
        outputs[index]["name"] = leaf_name
    npz, entries = arrays_file.dumps(values)
    for entry, v in zip(entries, variables):
        entry["name"] = v["name"]
    body = {
        "name": name,
        "inputs": inputs,
        "outputs": outputs,
        "structure": structure,
        "variables": {"file": VARIABLES, "sha256": manifest.sha256(npz), "entries": entries},
        "module": {"file": MODULE, "sha256": manifest.sha256(module), "size": len(module),
                   "platforms": list(exported.platforms),
                   "calling_convention_version": exported.calling_convention_version},
        "jax_version": jax.__version__,
    }
    path = os.fspath(path)
    if os.path.exists(path) and not os.path.isdir(path):
        raise FileExistsError(f"{path}: exists and is not a directory")
    os.makedirs(path, exist_ok=True)
    target = os.path.join(path, MANIFEST)
    if os.path.exists(target):  # a reader sees no manifest while the other files change
        os.remove(target)
    manifest.write_atomically(os.path.join(path, MODULE), module)
    manifest.write_atomically(os.path.join(path, VARIABLES), npz)
    manifest.write(target, FORMAT, VERSION, body)
    return path


def _concrete(function, input_signature):
    if hasattr(function, "optimized_graph") and hasattr(function, "_captures"):
        if input_signature is not None:
            raise ValueError("export_stablehlo: a ConcreteFunction has its signature already; "
                             "pass input_signature only with a tf.function")
        return function
    if not hasattr(function, "get_concrete_function"):
        raise TypeError(f"export_stablehlo: expected a tf.function or a ConcreteFunction, got "
                        f"{type(function).__name__}")
    if input_signature is not None:
        specs = [s if isinstance(s, TensorSpec) else TensorSpec(*s) for s in input_signature]
        if getattr(function, "input_signature", None) is not None and \
                hasattr(function, "python_function"):
            # Its own signature would win: trace the Python function again for these specs.
            from tfx_lite.function import function as tf_function
            function = tf_function(function.python_function, input_signature=specs,
                                   name=getattr(function, "_name", None))
        return function.get_concrete_function(*specs)
    if getattr(function, "input_signature", None) is None:
        raise ValueError("export_stablehlo: the tf.function has no input_signature; pass "
                         "input_signature=[tf.TensorSpec(shape, dtype), ...] (None for a dimension "
                         "that may vary) or a ConcreteFunction")
    return function.get_concrete_function()


def _signature_parts(function):
    """(the ConcreteFunction, the input names, [(output key, flat output position)]) of a loaded
    SavedModel signature (restored_function.SignatureFunction), else None."""
    concrete = getattr(function, "_concrete", None)
    inputs, outputs = getattr(function, "_inputs", None), getattr(function, "_outputs", None)
    if concrete is None or inputs is None or outputs is None or not hasattr(concrete, "optimized_graph"):
        return None
    return concrete, [n for n, _ in inputs], list(outputs)


def _platforms(platforms):
    if platforms is None:
        return (jax.export.default_export_platform(),)
    if isinstance(platforms, str):
        platforms = platforms.split(",")
    out = []
    for p in platforms:
        p = {"gpu": "cuda"}.get(str(p).strip().lower(), str(p).strip().lower())
        if p not in PLATFORMS:
            raise ValueError(f"export_stablehlo: unknown platform {p!r}; expected some of {PLATFORMS}")
        if p not in out:
            out.append(p)
    if not out:
        raise ValueError("export_stablehlo: platforms is empty")
    return tuple(out)


def _variable_name(variable) -> str:
    return str(getattr(variable, "name", None) or "variable")


def _unique_names(entries):
    seen = set()
    for i, entry in enumerate(entries):
        base = entry["name"]
        name, k = base, 1
        while name in seen:
            name, k = f"{base}_{k}", k + 1
        entry["name"] = name
        seen.add(name)


class _Leaf:
    """Stands in for result `index` while the output structure is rebuilt."""

    __slots__ = ("index",)

    def __init__(self, index):
        self.index = index


def _output_structure(concrete, name, keyed=None):
    """(the outputs' structure as JSON, the number of tensor results). `keyed`: a signature's
    [(output key, position among the flattened outputs)], whose outputs are that dict."""
    for leaf in getattr(concrete, "_out_leaves", ()):
        if not isinstance(leaf, int) and leaf[0] == "composite":
            raise ValueError(f"export_stablehlo: {name!r} returns a composite (ragged or sparse) "
                             "tensor; return its components as plain tensors")
    count = len(concrete.optimized_graph.results)
    if getattr(concrete, "_returns_none", False):
        return {"value": None}, 0
    built = concrete._structured(list(range(count)), _Leaf)
    if keyed is not None:
        flat = jax.tree_util.tree_leaves(built)
        built = {key: flat[position] for key, position in keyed}
    seen: list = []

    def walk(x):
        if isinstance(x, _Leaf):
            seen.append(x.index)
            return {"tensor": x.index}
        if isinstance(x, tuple):
            return {"tuple": [walk(v) for v in x]}
        if isinstance(x, list):
            return {"list": [walk(v) for v in x]}
        if isinstance(x, dict):
            items = []
            for k, v in x.items():
                if not isinstance(k, str):
                    raise ValueError(f"export_stablehlo: {name!r} returns a dict with key {k!r}; "
                                     "output names must be strings")
                items.append([k, walk(v)])
            return {"dict": items}
        if x is None or isinstance(x, (bool, int, float, str)):
            return {"value": x}
        raise ValueError(f"export_stablehlo: {name!r} returns a {type(x).__name__}; exported "
                         "outputs are tensors in tuples, lists and dicts (and plain Python numbers)")

    structure = walk(built)
    if sorted(seen) != list(range(count)):
        raise ValueError(f"export_stablehlo: the outputs of {name!r} do not use each result once")
    return structure, count


def _leaf_names(structure):
    """(name, result index) per tensor: dict keys joined by '/', else output_<i>."""
    out = []

    def walk(node, prefix):
        if "tensor" in node:
            out.append((prefix, node["tensor"]))
        elif "dict" in node:
            for k, v in node["dict"]:
                walk(v, f"{prefix}/{k}" if prefix else k)
        elif "tuple" in node or "list" in node:
            for i, v in enumerate(node.get("tuple", node.get("list"))):
                walk(v, f"{prefix}/{i}" if prefix else "")

    walk(structure, "")
    taken = {n for n, _ in out if n}
    named, k = [], 0
    for n, index in out:
        if not n:
            while f"output_{k}" in taken:
                k += 1
            n = f"output_{k}"
            k += 1
        named.append([n, index])
    entries = [{"name": n} for n, _ in named]
    _unique_names(entries)
    return [(e["name"], index) for e, (_, index) in zip(entries, named)]


def _symbol(text):
    text = re.sub(r"\W", "_", text)
    return text if re.match(r"[A-Za-z]", text) else f"d_{text}"


def _symbol_plans(inputs):
    """Ways to name the unknown dimensions, most general first: lists of per-input shapes with
    symbol names in place of None."""
    unknown = [(i, axis) for i, e in enumerate(inputs) for axis, d in enumerate(e["shape"]) if d is None]
    if not unknown:
        return [[list(e["shape"]) for e in inputs]]
    plans = []
    independent: dict = {}
    taken: set = set()
    for i, axis in unknown:
        base = _symbol(f"{inputs[i]['name']}_{axis}")
        name, k = base, 1
        while name in taken:
            name, k = f"{base}_{k}", k + 1
        taken.add(name)
        independent[i, axis] = name
    plans.append(independent)
    plans.append({(i, axis): "batch" if axis == 0 else independent[i, axis] for i, axis in unknown})
    plans.append({(i, axis): "batch" if axis == 0 else f"dim{axis}" for i, axis in unknown})
    shapes, seen = [], []
    for plan in plans:
        if plan in seen:
            continue
        seen.append(plan)
        shapes.append([[plan.get((i, axis), d) for axis, d in enumerate(e["shape"])]
                       for i, e in enumerate(inputs)])
    return shapes


def _export(jitted, name, inputs, values, platforms):
    """(the jax Exported, the input shapes used: ints and symbol names)."""
    variables = [jax.ShapeDtypeStruct(a.shape, a.dtype) for a in values]
    first_error = None
    for shapes in _symbol_plans(inputs):
        symbols = sorted({d for s in shapes for d in s if isinstance(d, str)})
        scope = dict(zip(symbols, jax.export.symbolic_shape(", ".join(symbols)))) if symbols else {}
        args = [jax.ShapeDtypeStruct(tuple(scope[d] if isinstance(d, str) else d for d in shape),
                                     _numpy_dtype(e["dtype"]))
                for shape, e in zip(shapes, inputs)]
        try:
            return jax.export.export(jitted, platforms=platforms)(*args, *variables), shapes
        except Exception as err:  # noqa: BLE001  (any lowering failure: reported below)
            if not symbols:
                raise
            first_error = first_error or err
    unknown = ", ".join(f"{e['name']}: {_type_text(e)}" for e in inputs if None in e["shape"])
    message = str(first_error).strip().splitlines()[0] if str(first_error).strip() else \
        type(first_error).__name__
    raise ValueError(
        f"export_stablehlo: cannot export {name!r} with unknown dimensions ({unknown}): its lowering "
        f"needs their sizes ({type(first_error).__name__}: {message}). Give fully known input "
        "shapes, e.g. input_signature=[tf.TensorSpec([8, 3], tf.float32)], and export once per "
        "shape you serve") from first_error

