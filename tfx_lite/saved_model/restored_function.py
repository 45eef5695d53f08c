"""Functions of a loaded SavedModel: a RestoredFunction picks, among the traces saved for it,
the one whose inputs match the call (as a tf.function would have traced it), and a
SignatureFunction serves named tensors in and a dict of named tensors out."""
from __future__ import annotations

import collections.abc
import inspect

import jax

from tfx_lite.framework.composite import CompositeTensor, TypeSpec
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.tensor import Tensor
from tfx_lite.framework.tensor_spec import TensorSpec
from tfx_lite.function import _fast_key, _is_leaf

_MISSING = object()
_KINDS = {kind.name: kind for kind in inspect._ParameterKind}  # the only kinds a saved parameter may name


def _as_tensor(value, spec: TensorSpec):
    """`value` as a tensor that `spec` accepts, or None."""
    if isinstance(value, CompositeTensor):
        return None
    try:
        tensor = convert_to_tensor(value, dtype_hint=spec.dtype)
    except (TypeError, ValueError):
        return None
    if tensor.dtype != spec.dtype or not spec.shape.is_compatible_with(tensor.shape):
        return None
    return tensor


def _matches(traced, value):
    """`value` shaped as `traced` (tensors converted), or _MISSING when it does not match."""
    if isinstance(traced, TensorSpec):
        tensor = _as_tensor(value, traced)
        return _MISSING if tensor is None else tensor
    if isinstance(traced, TypeSpec):
        spec = getattr(value, "_type_spec", None)
        return value if spec is not None and traced.is_compatible_with(spec) else _MISSING
    if isinstance(traced, (list, tuple)):
        if not isinstance(value, (list, tuple)) or len(value) != len(traced):
            return _MISSING
        items = [_matches(t, v) for t, v in zip(traced, value)]
        if any(i is _MISSING for i in items):
            return _MISSING
        return type(traced)(*items) if hasattr(type(traced), "_fields") else type(traced)(items)
    if isinstance(traced, dict):
        if not isinstance(value, collections.abc.Mapping) or set(value) != set(traced):
            return _MISSING
        items = {k: _matches(t, value[k]) for k, t in traced.items()}
        return _MISSING if any(i is _MISSING for i in items.values()) else items
    if isinstance(value, (Tensor, CompositeTensor)) or hasattr(value, "__tf_tensor__"):
        return _MISSING
    return value if type(value) is type(traced) and value == traced else \
        value if isinstance(value, (int, float)) and isinstance(traced, (int, float)) and \
        not isinstance(value, bool) and not isinstance(traced, bool) and value == traced else _MISSING


def python_signature(parameters) -> inspect.Signature | None:
    if parameters is None:
        return None
    from tfx_lite.saved_model import structure
    params = []
    for p in parameters:
        default = inspect.Parameter.empty
        if p.get("default") is not None:
            default = structure.decode(p["default"])
        params.append(inspect.Parameter(p["name"], _KINDS[p["kind"]], default=default))
    return inspect.Signature(params)


def _bound(signature, args, kwargs):
    try:
        bound = signature.bind(*args, **kwargs)
    except TypeError:
        return None
    bound.apply_defaults()
    return bound


def _positional(bound) -> list:
    """The values bound to positional parameters, then the *args, in order."""
    values = []
    for name, param in bound.signature.parameters.items():
        if param.kind in (param.POSITIONAL_ONLY, param.POSITIONAL_OR_KEYWORD):
            values.append(bound.arguments[name])
        elif param.kind == param.VAR_POSITIONAL:
            values.extend(bound.arguments.get(name, ()))
    return values


def _keyword(bound, key):
    if key in bound.signature.parameters and bound.signature.parameters[key].kind != inspect.Parameter.VAR_KEYWORD:
        return bound.arguments[key]
    var = next((n for n, p in bound.signature.parameters.items() if p.kind == p.VAR_KEYWORD), None)
    return bound.arguments.get(var, {}).get(key, _MISSING) if var else _MISSING


def _describe(value) -> str:
    if isinstance(value, Tensor):
        return f"<tf.Tensor shape={tuple(value.shape.as_list())} dtype={value.dtype.name}>"
    return repr(value)


def _listing(positional, keyword) -> str:
    lines = [f"  Positional arguments ({len(positional)} total):"]
    lines += [f"    * {_describe(v)}" for v in positional]
    lines.append(f"  Keyword arguments: {keyword!r}")
    return "\n".join(lines)


class RestoredFunction:
    """A loaded tf.function: calls run the saved trace whose inputs match."""

    def __init__(self, name, parameters, input_signature, concretes):
        self._name = name
        self._parameters = parameters
        self._signature = python_signature(parameters)
        self.input_signature = input_signature
        self._concretes = list(concretes)
        self._fast: dict = {}

    @property
    def concrete_functions(self) -> list:
        return list(self._concretes)

    def _match(self, concrete, args, kwargs):
        """The call's inputs flattened in the order `concrete` was traced with, or None."""
        traced_args, traced_kwargs = concrete.structured_input_signature
        if self._signature is None:
            shaped = _matches((tuple(traced_args), dict(traced_kwargs)), (tuple(args), dict(kwargs)))
        else:
            call = _bound(self._signature, args, kwargs)
            traced = _bound(self._signature, traced_args, traced_kwargs)
            if call is None or traced is None:
                return None
            for name in call.arguments:  # every argument (defaults too) as the trace had it
                matched = _matches(traced.arguments[name], call.arguments[name])
                if matched is _MISSING:
                    return None
                call.arguments[name] = matched  # (tensors converted)
            positional = _positional(call)
            if len(positional) < len(traced_args):
                return None
            keywords = {k: _keyword(call, k) for k in traced_kwargs}
            if any(v is _MISSING for v in keywords.values()):
                return None
            shaped = (tuple(positional[:len(traced_args)]), keywords)  # the traced call's layout
        if shaped is _MISSING:
            return None
        return jax.tree_util.tree_leaves(shaped, is_leaf=_is_leaf)

    def get_concrete_function(self, *args, **kwargs):
        for concrete in self._concretes:
            if self._match(concrete, args, kwargs) is not None:
                return concrete
        if not args and not kwargs and len(self._concretes) == 1:
            return self._concretes[0]
        raise self._no_match(args, kwargs)

    def __call__(self, *args, **kwargs):
        fast = _fast_key(args, kwargs)  # inputs of a kind matched before: no binding again
        if fast is not None:
            concrete = self._fast.get(fast[0])
            if concrete is not None:
                return concrete._call_arrays(fast[1])
        for concrete in self._concretes:
            leaves = self._match(concrete, args, kwargs)
            if leaves is not None:
                flat = (*args, *[kwargs[k] for k in sorted(kwargs)])
                if fast is not None and len(leaves) == len(flat) and all(a is b for a, b in zip(leaves, flat)):
                    self._fast[fast[0]] = concrete  # the inputs were the trace's inputs, in order
                return concrete(*leaves)
        raise self._no_match(args, kwargs)

    def _no_match(self, args, kwargs):
        if self.input_signature is not None:
            return TypeError(f"Binding inputs to tf.function `{self._name}` failed: got {_listing(args, kwargs)}\n"
                             f"for the input_signature {self.input_signature!r}")
        options = []
        for i, concrete in enumerate(self._concretes, 1):
            traced_args, traced_kwargs = concrete.structured_input_signature
            bound = _bound(self._signature, traced_args, traced_kwargs) if self._signature else None
            positional = _positional(bound) if bound is not None else list(traced_args)
            keyword = {} if bound is not None else dict(traced_kwargs)
            options.append(f"Option {i}:\n{_listing(positional, keyword)}")
        call = _bound(self._signature, args, kwargs) if self._signature else None
        got = _listing(_positional(call), {}) if call is not None else _listing(args, kwargs)
        return ValueError("Could not find matching concrete function to call loaded from the SavedModel. "
                          f"Got:\n{got}\n\n Expected these arguments to match one of the following "
                          f"{len(options)} option(s):\n\n" + "\n\n".join(options))

    def __repr__(self):
        return f"<RestoredFunction {self._name}>"


class SignatureFunction:
    """A signature: keyword (or positional) tensors in, a dict of named tensors out."""

    def __init__(self, concrete, inputs, outputs):
        self._concrete = concrete
        self._inputs = list(inputs)  # [(name, TensorSpec)]
        self._outputs = list(outputs)  # [(key, position among the flattened outputs)]
        self._accepted: set = set()  # fast keys of calls whose tensors passed the checks as given
        types = self._output_types()
        self.structured_input_signature = ((), {name: spec for name, spec in self._inputs})
        self.structured_outputs = {key: TensorSpec(t.shape, t.dtype, key) for key, t in types.items()}
        self.name = concrete.name

    def _output_types(self) -> dict:
        flat = jax.tree_util.tree_leaves(self._concrete.structured_outputs, is_leaf=_is_leaf)
        return {key: flat[position] for key, position in self._outputs}

    @property
    def inputs(self):
        return self._concrete.inputs

    @property
    def outputs(self):
        return self._concrete.outputs

    @property
    def graph(self):
        return self._concrete.graph

    def __call__(self, *args, **kwargs):
        fast = _fast_key(args, kwargs)  # eager tensors of avals accepted before: no checks again
        if fast is not None and fast[0] in self._accepted:
            return self._named(self._concrete._call_arrays(self._ordered(fast[1], kwargs)))
        names = [name for name, _ in self._inputs]
        if len(args) > len(names):
            raise TypeError(f"{self.name}: takes {len(names)} inputs ({names}), got {len(args)} positional arguments")
        values = dict(zip(names, args))
        for key, value in kwargs.items():
            if key not in names or key in values:
                raise TypeError(f"{self.name}: got an unexpected keyword argument {key!r}; its inputs are {names}")
            values[key] = value
        missing = [n for n in names if n not in values]
        if missing:
            raise TypeError(f"{self.name}: missing required arguments: {', '.join(missing)}")
        tensors = []
        for name, spec in self._inputs:
            tensor = _as_tensor(values[name], spec)
            if tensor is None:
                got = values[name]
                raise TypeError(f"{self.name}: input {name!r} must be {spec!r}, got "
                                f"{_describe(got) if isinstance(got, Tensor) else repr(got)}")
            tensors.append(tensor)
        if fast is not None and all(t is v for t, v in zip(tensors, [*args, *[kwargs[k] for k in sorted(kwargs)]])):
            self._accepted.add(fast[0])
        return self._named(self._concrete(*tensors))

    def _ordered(self, arrays, kwargs):
        """The arrays of a call (positional, then keywords by sorted name) in input order."""
        if not kwargs:
            return arrays
        positional = len(arrays) - len(kwargs)
        by_name = dict(zip(sorted(kwargs), arrays[positional:]))
        return [*arrays[:positional], *[by_name[name] for name, _ in self._inputs[positional:]]]

    def _named(self, outputs) -> dict:
        flat = jax.tree_util.tree_leaves(outputs, is_leaf=_is_leaf)
        return {key: flat[position] for key, position in self._outputs}

    def pretty_printed_signature(self) -> str:
        ins = ", ".join(f"{n}: {s!r}" for n, s in self._inputs)
        outs = ", ".join(f"[{k!r}, {s!r}]" for k, s in sorted(self.structured_outputs.items()))
        return f"(*, {ins}) -> Dict[{outs}]"

    def __repr__(self):
        return f"<ConcreteFunction {self.pretty_printed_signature()} at 0x{id(self):X}>"


class SignatureMap(collections.abc.Mapping):
    """`loaded.signatures`: read-only, name -> SignatureFunction."""

    def __init__(self, signatures: dict):
        self._signatures = dict(signatures)

    def __getitem__(self, key):
        return self._signatures[key]

    def __iter__(self):
        return iter(self._signatures)

    def __len__(self):
        return len(self._signatures)

    def __repr__(self):
        return f"_SignatureMap({self._signatures!r})"
