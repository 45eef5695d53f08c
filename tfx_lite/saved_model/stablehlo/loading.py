"""load_stablehlo: a StableHLO artifact, checked, as a callable (see the package docstring)."""
from __future__ import annotations

import json
import os
import re

import jax

from tfx_lite.framework import dtypes, errors
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.tensor import EagerTensor
from tfx_lite.framework.tensor_spec import TensorSpec
from tfx_lite.saved_model.stablehlo.artifact import (
    FORMAT, MANIFEST, MODULE, PLATFORMS, VARIABLES, VERSION, _dim, _dtype_name, _type_text)
from tfx_lite.saving import arrays_file, manifest

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


