"""Export a traced function as serialized StableHLO (`jax.export`) for serving, and load it back
without tfx_lite's tracer, IR or the Python code that defined the function.

    import tfx_lite as tf
    from tfx_lite.saved_model.stablehlo import export_stablehlo, load_stablehlo

    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32, name="x")])
    def predict(x):
        return {"scores": tf.matmul(x, kernel) + bias}

    export_stablehlo(predict, "/tmp/predict_hlo")            # or a ConcreteFunction, e.g.
    # export_stablehlo(tf.saved_model.load(d).signatures["serving_default"], "/tmp/predict_hlo")
    served = load_stablehlo("/tmp/predict_hlo")
    served.inputs        # [TensorSpec(shape=(None, 3), dtype=tf.float32, name='x')]
    served(tf.ones([5, 3]))["scores"]                        # also served(x=...)

The artifact is a directory:
- `stablehlo.json`: a checksummed manifest (format "tfx_lite.stablehlo", version 1): the
  function's name; its inputs' names, dtypes and shapes (an unknown dimension is recorded by its
  symbol name, e.g. "batch"); its outputs' names, dtypes and shapes and their Python structure
  (a tensor, tuple, list or dict); the captured variables' names, dtypes and shapes; the
  platforms; the jax version and calling-convention version; the sha256 of the two files below.
- `module.bin`: `jax.export.export(...).serialize()` of the function of (inputs..., variables...).
- `variables.npz`: the variables' values when exported (passed to the module as trailing
  inputs, not baked in as constants).

Unknown dimensions (None) become `jax.export` symbolic dimensions: first each its own symbol;
if the function needs some of them equal (`x + y` with both [None, 3]), leading unknown
dimensions share one symbol `batch`, then every unknown dimension on the same axis shares one.
A function whose lowering needs the value of an unknown dimension (`tf.shape(x)[0]` used as a
static size, a reshape to it) cannot be exported with it: export_stablehlo then asks for fully
known input shapes. Symbolic dimensions take sizes >= 1.

Refused at export: a function that assigns variables (serving functions must be pure), string
inputs, composite (ragged, sparse) inputs or outputs.

Loading never executes stored code (no pickle, no Python eval): the manifest is JSON, the arrays
are read with allow_pickle=False, and the module bytes are handed to `jax.export.deserialize`
only after their sha256 matched the (checksummed) manifest. A missing, truncated, bit-flipped
or version-mismatched file raises NotFoundError, DataLossError or ValueError naming the file and
the problem, before anything is built.

Serialization needs the `flatbuffers` package (jax.export's serialization format).

Command line:

    python -m tfx_lite.saved_model.stablehlo export SAVED_MODEL_DIR OUT_DIR \\
        [--signature serving_default] [--platforms cpu,cuda]
    python -m tfx_lite.saved_model.stablehlo describe OUT_DIR
    python -m tfx_lite.saved_model.stablehlo run OUT_DIR --input VALUE [--input VALUE ...]

`run` takes one `--input` per input, in order, or `NAME=VALUE` by input name. VALUE is a JSON
number or nested list (`'[[1, 2, 3]]'`, converted to the input's dtype), a filled shape
(`'[2,3]=1.0'`, optionally with the dtype's short name first: `'f32[2,3]=1.0'`), or `@FILE.npy`
(read with allow_pickle=False). It prints each output as `name: tf.Tensor(...)`.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys

import jax
import numpy as np

from compiler.lower import compile_graph
from compiler.types import dtype_from_short_name, short_dtype_name
from tfx_lite.framework import dtypes, errors
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.tensor import EagerTensor
from tfx_lite.framework.tensor_spec import TensorSpec
from tfx_lite.saving import arrays_file, manifest

__all__ = ["export_stablehlo", "load_stablehlo", "LoadedStableHLO", "FORMAT", "VERSION"]

FORMAT = "tfx_lite.stablehlo"
VERSION = 1
MANIFEST = "stablehlo.json"
MODULE = "module.bin"
VARIABLES = "variables.npz"
PLATFORMS = ("cpu", "cuda", "rocm", "tpu")


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


def _dtype_name(np_dtype) -> str:
    return dtypes.as_dtype(np.dtype(np_dtype)).name


def _dim(d):
    """A recorded dimension: an int, or a symbolic dimension's text ("batch", "2*batch")."""
    return int(d) if isinstance(d, (int, np.integer)) else str(d)


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


def _numpy_dtype(name):
    return np.dtype(dtypes.as_dtype(name).as_numpy_dtype)


def _type_text(entry):
    dims = ",".join("?" if d is None else str(d) for d in entry["shape"])
    try:
        short = short_dtype_name(_numpy_dtype(entry["dtype"]))
    except (KeyError, TypeError):
        short = entry["dtype"]
    return f"{short}[{dims}]"


# --- load -----------------------------------------------------------------------------------

def load_stablehlo(path) -> "LoadedStableHLO":
    """Read an artifact written by export_stablehlo; every file is checked before the module is
    deserialized."""
    path = os.fspath(path)
    manifest_path = os.path.join(path, MANIFEST)

    def missing(p):
        where = "no such directory" if not os.path.isdir(path) else "no such file"
        return errors.NotFoundError(None, None, f"{p}: {where} (not a StableHLO export written by "
                                                "tfx_lite's export_stablehlo?)")

    body = manifest.read(manifest_path, FORMAT, VERSION, missing=missing)
    _validate(body, manifest_path)
    module_path = os.path.join(path, body["module"]["file"])
    module = manifest.read_bytes(module_path, missing)
    if len(module) != body["module"]["size"]:
        raise manifest.corrupt(module_path, f"holds {len(module)} bytes, {MANIFEST} recorded "
                                            f"{body['module']['size']} (truncated or replaced)")
    if manifest.sha256(module) != body["module"]["sha256"]:
        raise manifest.corrupt(module_path, "checksum mismatch: the file is truncated or was "
                                            "modified after it was written")
    variables_path = os.path.join(path, body["variables"]["file"])
    values = arrays_file.loads(manifest.read_bytes(variables_path, missing), variables_path,
                               body["variables"]["entries"], body["variables"]["sha256"])
    version = body["module"]["calling_convention_version"]
    low = jax.export.minimum_supported_calling_convention_version
    high = jax.export.maximum_supported_calling_convention_version
    if not low <= version <= high:
        raise ValueError(f"{module_path}: written by jax {body['jax_version']} with calling "
                         f"convention version {version}; this jax ({jax.__version__}) reads "
                         f"versions {low} to {high}")
    try:
        exported = jax.export.deserialize(bytearray(module))
    except Exception as err:  # noqa: BLE001  (checked bytes jax still refuses)
        raise manifest.corrupt(module_path, f"jax.export cannot deserialize it "
                                            f"({type(err).__name__}: {err})") from None
    _check_module(exported, body, module_path)
    return LoadedStableHLO(path, body, exported, values)


def _validate(body, path):
    """The manifest's fields have the types the loader relies on (a checksummed file written by
    another tool, or edited by hand, is still refused cleanly)."""
    def need(ok, what):
        if not ok:
            raise manifest.corrupt(path, f"malformed manifest: {what}")

    def is_shape(s, symbols):
        return isinstance(s, list) and all(
            (isinstance(d, int) and not isinstance(d, bool) and d >= 0) or (symbols and isinstance(d, str))
            for d in s)

    def is_spec(e, symbols):
        return isinstance(e, dict) and isinstance(e.get("name"), str) and \
            isinstance(e.get("dtype"), str) and e["dtype"] in dtypes._BY_NAME and \
            e["dtype"] != "string" and is_shape(e.get("shape"), symbols)

    need(isinstance(body, dict), "the body is not an object")
    need(isinstance(body.get("name"), str), "name")
    need(isinstance(body.get("jax_version"), str), "jax_version")
    need(isinstance(body.get("inputs"), list) and all(is_spec(e, True) for e in body["inputs"]),
         "inputs must be a list of {name, dtype, shape}")
    need(len({e["name"] for e in body["inputs"]}) == len(body["inputs"]), "two inputs share a name")
    for e in body["inputs"]:
        need(all(isinstance(d, int) or re.fullmatch(r"[A-Za-z]\w*", d) for d in e["shape"]),
             f"input {e['name']!r} has a dimension that is not a size or a symbol name")
    need(isinstance(body.get("outputs"), list) and all(is_spec(e, True) for e in body["outputs"]),
         "outputs must be a list of {name, dtype, shape}")
    module = body.get("module")
    need(isinstance(module, dict) and module.get("file") == MODULE and
         isinstance(module.get("sha256"), str) and isinstance(module.get("size"), int) and
         isinstance(module.get("calling_convention_version"), int) and
         isinstance(module.get("platforms"), list) and module["platforms"] and
         all(p in PLATFORMS for p in module["platforms"]), "module")
    variables = body.get("variables")
    need(isinstance(variables, dict) and variables.get("file") == VARIABLES and
         isinstance(variables.get("sha256"), str) and isinstance(variables.get("entries"), list) and
         all(is_spec(e, False) for e in variables["entries"]), "variables")
    count = len(body["outputs"])
    seen: list = []

    def check(node):
        need(isinstance(node, dict) and len(node) == 1, "structure")
        (kind, value), = node.items()
        if kind == "tensor":
            need(isinstance(value, int) and not isinstance(value, bool) and 0 <= value < count,
                 "structure: a tensor index out of range")
            seen.append(value)
        elif kind in ("tuple", "list"):
            need(isinstance(value, list), "structure")
            for v in value:
                check(v)
        elif kind == "dict":
            need(isinstance(value, list), "structure")
            for item in value:
                need(isinstance(item, list) and len(item) == 2 and isinstance(item[0], str), "structure")
                check(item[1])
        else:
            need(kind == "value" and (value is None or isinstance(value, (bool, int, float, str))),
                 f"structure: unknown node {kind!r}")

    check(body.get("structure"))
    need(sorted(seen) == list(range(count)), "structure does not name each output once")


def _check_module(exported, body, module_path):
    """The deserialized module takes and returns what the manifest says."""
    expected_in = [e["dtype"] for e in body["inputs"]] + [e["dtype"] for e in body["variables"]["entries"]]
    got_in = [_dtype_name(a.dtype) for a in exported.in_avals]
    got_out = [_dtype_name(a.dtype) for a in exported.out_avals]
    if got_in != expected_in or got_out != [e["dtype"] for e in body["outputs"]]:
        raise manifest.corrupt(module_path, f"the module takes {got_in} and returns {got_out}, "
                                            f"{MANIFEST} recorded {expected_in} and "
                                            f"{[e['dtype'] for e in body['outputs']]}")
    for aval, e in zip(exported.in_avals, body["inputs"] + body["variables"]["entries"]):
        if [_dim(d) for d in aval.shape] != e["shape"]:
            raise manifest.corrupt(module_path, f"the module's input {e['name']!r} has shape "
                                                f"{[_dim(d) for d in aval.shape]}, {MANIFEST} "
                                                f"recorded {e['shape']}")


def _spec(entry):
    return TensorSpec([d if isinstance(d, int) else None for d in entry["shape"]],
                      dtypes.as_dtype(entry["dtype"]), entry["name"])


class LoadedStableHLO:
    """A function loaded from a StableHLO artifact. Call it with its inputs, positionally or by
    name; it returns tfx_lite tensors in the structure the exported function returned."""

    def __init__(self, path, body, exported, values):
        self.path = path
        self.name = body["name"]
        self.inputs = [_spec(e) for e in body["inputs"]]
        self.outputs = [_spec(e) for e in body["outputs"]]
        self.variables = [_spec(e) for e in body["variables"]["entries"]]
        self.platforms = tuple(body["module"]["platforms"])
        self.jax_version = body["jax_version"]
        self.exported = exported
        self._body = body
        self._input_shapes = [e["shape"] for e in body["inputs"]]
        self._structure = body["structure"]
        self._values = [jax.device_put(v) for v in values]
        # Exported.call re-lowers on every plain call (about 0.5 ms); under jit it is compiled
        # once per input shape and then dispatched like any jitted function.
        self._call = jax.jit(exported.call)
        self._platform = jax.export.default_export_platform()

    def __call__(self, *args, **kwargs):
        return self._rebuild(self._structure, self.call_flat(*args, **kwargs))

    def call_flat(self, *args, **kwargs) -> list:
        """The outputs as a list of tensors, in the order of `outputs`."""
        arrays = self._check(self._bind(args, kwargs))
        platform = self._platform
        if platform not in self.platforms:
            raise errors.FailedPreconditionError(
                None, None, f"{self.path}: exported for platforms {list(self.platforms)}, this "
                            f"process runs on {platform!r}; export again with platforms="
                            f"{tuple(self.platforms) + (platform,)}")
        return [EagerTensor(o) for o in self._call(*arrays, *self._values)]

    def _bind(self, args, kwargs):
        names = [s.name for s in self.inputs]
        if len(args) > len(names):
            raise TypeError(f"{self.name}: takes {len(names)} inputs ({', '.join(names)}), got "
                            f"{len(args) + len(kwargs)}")
        values = list(args) + [None] * (len(names) - len(args))
        given = [True] * len(args) + [False] * (len(names) - len(args))
        for key, value in kwargs.items():
            if key not in names:
                raise TypeError(f"{self.name}: got an unexpected input {key!r}; its inputs are "
                                f"{', '.join(names)}")
            i = names.index(key)
            if given[i]:
                raise TypeError(f"{self.name}: got input {key!r} twice")
            values[i], given[i] = value, True
        missing = [n for n, g in zip(names, given) if not g]
        if missing:
            raise TypeError(f"{self.name}: missing input(s) {', '.join(repr(n) for n in missing)}; "
                            f"it takes {', '.join(names)}")
        return values

    def _check(self, values):
        arrays, sizes = [], {}
        for i, (value, spec, shape) in enumerate(zip(values, self.inputs, self._input_shapes)):
            try:
                tensor = convert_to_tensor(value, dtype_hint=spec.dtype)
            except (TypeError, ValueError) as err:
                raise TypeError(f"{self.name}: input {spec.name!r} (#{i}): cannot convert "
                                f"{type(value).__name__} to a {spec.dtype.name} tensor ({err})") from None
            if not isinstance(tensor, EagerTensor):
                raise TypeError(f"{self.name}: input {spec.name!r} (#{i}) must be an eager tensor, "
                                f"got {tensor!r}")
            if tensor.dtype != spec.dtype:
                raise TypeError(f"{self.name}: input {spec.name!r} (#{i}) must be a "
                                f"{spec.dtype.name} tensor, got {tensor.dtype.name}")
            got = tuple(tensor._value.shape)
            wanted = str(tuple(d if isinstance(d, int) else None for d in shape))
            if len(got) != len(shape) or any(isinstance(d, int) and d != g for d, g in zip(shape, got)):
                raise errors.InvalidArgumentError(
                    None, None, f"{self.name}: input {spec.name!r} (#{i}) must have shape {wanted}, "
                                f"got {got}")
            for axis, (d, g) in enumerate(zip(shape, got)):
                if isinstance(d, str):
                    if g < 1:
                        raise errors.InvalidArgumentError(
                            None, None, f"{self.name}: input {spec.name!r} (#{i}) has size 0 in "
                                        f"dimension {axis} ({d}); the exported module takes sizes >= 1 "
                                        "there")
                    first = sizes.setdefault(d, (g, spec.name, axis))
                    if first[0] != g:
                        raise errors.InvalidArgumentError(
                            None, None, f"{self.name}: input {spec.name!r} (#{i}) has size {g} in "
                                        f"dimension {axis}, but input {first[1]!r} has size {first[0]} "
                                        f"in dimension {first[2]}; both are the exported module's "
                                        f"dimension {d!r}")
            arrays.append(tensor._value)
        return arrays

    def _rebuild(self, node, tensors):
        (kind, value), = node.items()
        if kind == "tensor":
            return tensors[value]
        if kind == "tuple":
            return tuple(self._rebuild(v, tensors) for v in value)
        if kind == "list":
            return [self._rebuild(v, tensors) for v in value]
        if kind == "dict":
            return {k: self._rebuild(v, tensors) for k, v in value}
        return value

    def describe(self) -> str:
        """The recorded signature, as text."""
        def line(e):
            return f"    {e['name']}: {_type_text({'dtype': e['dtype'], 'shape': [d for d in e['shape']]})}"

        body = self._body
        parts = [f"{self.path}: StableHLO export of {self.name!r}",
                 f"  platforms: {', '.join(self.platforms)}; jax {self.jax_version}; calling convention "
                 f"{body['module']['calling_convention_version']}",
                 "  inputs:", *[line(e) for e in body["inputs"]],
                 "  outputs:", *[line(e) for e in body["outputs"]],
                 f"  output structure: {json.dumps(body['structure'])}",
                 f"  variables ({len(self.variables)}, stored in {VARIABLES}):",
                 *[line(e) for e in body["variables"]["entries"]]]
        return "\n".join(parts)

    def __repr__(self):
        ins = ", ".join(f"{e['name']}: {_type_text(e)}" for e in self._body["inputs"])
        outs = ", ".join(_type_text(e) for e in self._body["outputs"])
        return f"<LoadedStableHLO {self.name}({ins}) -> ({outs}) from {self.path!r}>"


# --- command line ---------------------------------------------------------------------------

_FILL = re.compile(r"^(?P<dtype>[a-z]+\d*)?\[(?P<dims>[\d,\s]*)\](?:=|:)(?P<value>.+)$")
_NAMED = re.compile(r"^(?P<name>[A-Za-z_][\w.]*)=(?P<rest>.+)$", re.S)


def _parse_input(text, spec):
    """A command-line value for input `spec` (see the module docstring)."""
    fill = _FILL.match(text.strip())
    want = np.dtype(spec.dtype.as_numpy_dtype)
    if fill:
        if fill["dtype"]:
            try:
                given = dtype_from_short_name(fill["dtype"])
            except KeyError:
                raise ValueError(f"{text!r}: unknown dtype {fill['dtype']!r} (use f32, i32, ...)") from None
            if given != want:
                raise ValueError(f"{text!r}: input {spec.name!r} is {short_dtype_name(want)}, not "
                                 f"{fill['dtype']}")
        dims = [int(d) for d in fill["dims"].replace(" ", "").split(",") if d]
        return np.full(dims, json.loads(fill["value"]), dtype=want)
    if text.startswith("@"):
        return np.load(text[1:], allow_pickle=False)
    return np.asarray(json.loads(text), dtype=want)


def _main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tfx_lite.saved_model.stablehlo",
                                     description="Export a SavedModel signature as StableHLO, "
                                                 "describe or run such an export.")
    commands = parser.add_subparsers(dest="command", required=True)
    exporting = commands.add_parser("export", help="export a SavedModel signature")
    exporting.add_argument("saved_model_dir")
    exporting.add_argument("out_dir")
    exporting.add_argument("--signature", default="serving_default")
    exporting.add_argument("--platforms", default=None, help="comma-separated, e.g. cpu,cuda")
    describing = commands.add_parser("describe", help="print the recorded signature")
    describing.add_argument("out_dir")
    running = commands.add_parser("run", help="run an export on given values, print the outputs")
    running.add_argument("out_dir")
    running.add_argument("--input", action="append", default=[], metavar="[NAME=]VALUE")
    args = parser.parse_args(argv)
    try:
        if args.command == "export":
            import tfx_lite as tf
            loaded = tf.saved_model.load(args.saved_model_dir)
            signatures = loaded.signatures
            if args.signature not in signatures:
                raise KeyError(f"{args.saved_model_dir} has no signature {args.signature!r}; it has "
                               f"{', '.join(sorted(signatures)) or 'none'}")
            export_stablehlo(signatures[args.signature], args.out_dir, platforms=args.platforms)
            print(load_stablehlo(args.out_dir).describe())
        elif args.command == "describe":
            print(load_stablehlo(args.out_dir).describe())
        else:
            served = load_stablehlo(args.out_dir)
            by_name = {s.name: s for s in served.inputs}
            positional, named = [], {}
            for text in args.input:
                match = _NAMED.match(text)
                if match and match["name"] in by_name:
                    named[match["name"]] = _parse_input(match["rest"], by_name[match["name"]])
                else:
                    if named:
                        raise ValueError(f"--input {text!r}: give positional inputs before named ones")
                    if len(positional) >= len(served.inputs):
                        raise ValueError(f"too many --input values; {served.name} takes "
                                         f"{len(served.inputs)}")
                    positional.append(_parse_input(text, served.inputs[len(positional)]))
            for spec, tensor in zip(served.outputs, served.call_flat(*positional, **named)):
                print(f"{spec.name}: {tensor!r}")
    except (errors.OpError, ValueError, TypeError, KeyError, OSError) as err:
        print(f"error: {err.args[0] if isinstance(err, KeyError) and err.args else err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(_main())
