"""SavedModel signatures: functions of named tensors returning a dict of named tensors, as TF
serves them (`serving_default` by default; outputs named `output_0`, ... unless a dict)."""
from __future__ import annotations

import collections.abc

import jax

from tfx_lite.function import ConcreteFunction, Function, _is_leaf
from tfx_lite.framework.tensor import Tensor
from tfx_lite.framework.tensor_spec import TensorSpec
from tfx_lite.saved_model import objects, structure
from tfx_lite.saved_model.restored_function import SignatureMap

DEFAULT_SIGNATURE_KEY = "serving_default"


def _concrete(function, name):
    if isinstance(function, ConcreteFunction):
        return function
    if isinstance(function, Function) and function.input_signature is not None:
        return function.get_concrete_function()
    raise ValueError(f"Expected a TensorFlow function for which to generate a signature (but got "
                     f"{function}). Only `tf.functions` with an input signature or concrete functions can "
                     "be used as a signature.")


def normalized_outputs(outputs, function_name, signature_key) -> dict:
    """TF's rule: a dict keeps its keys, a namedtuple its fields, a sequence is output_0, ...,
    and a single tensor is output_0; every value must be a tensor."""
    if not isinstance(outputs, collections.abc.Mapping):
        if hasattr(outputs, "_asdict"):
            outputs = outputs._asdict()
        else:
            if not isinstance(outputs, collections.abc.Sequence):
                outputs = [outputs]
            outputs = {f"output_{i}": o for i, o in enumerate(outputs)}
    for key, value in outputs.items():
        if not isinstance(key, str):
            raise ValueError(f"Got a dictionary with a non-string key {key!r} in the output of the function "
                             f"{function_name} used to generate the SavedModel signature {signature_key!r}.")
        if not isinstance(value, (Tensor, TensorSpec)):  # (specs: the outputs of a loaded function)
            raise ValueError(f"Got a non-Tensor value {value!r} for key {key!r} in the output of the function "
                             f"{function_name} used to generate the SavedModel signature {signature_key!r}. "
                             "Outputs for functions used as signatures must be a single Tensor, a sequence "
                             "of Tensors, or a dictionary from string to Tensor.")
    return dict(outputs)


def _valid(concrete) -> bool:
    if not concrete.outputs:
        return False
    try:
        normalized_outputs(concrete.structured_outputs, "unused", "unused")
    except ValueError:
        return False
    return True


def canonicalize(obj, signatures) -> dict:
    """name -> ConcreteFunction of the signatures to save."""
    if signatures is None:
        loaded = getattr(obj, "signatures", None)
        if isinstance(loaded, SignatureMap):  # a loaded SavedModel saved again keeps its signatures
            return {name: function._concrete for name, function in loaded.items()}
        default = getattr(obj, "_default_save_signature", None)
        if callable(default):
            concrete = default()
            return {DEFAULT_SIGNATURE_KEY: concrete} if concrete is not None else {}
        candidates = []
        for _, function in objects.functions_of(obj):
            if isinstance(function, ConcreteFunction) or function.input_signature is not None:
                concrete = _concrete(function, None)
                if _valid(concrete):
                    candidates.append(concrete)
        return {DEFAULT_SIGNATURE_KEY: candidates[0]} if len(candidates) == 1 else {}
    if not isinstance(signatures, collections.abc.Mapping):
        signatures = {DEFAULT_SIGNATURE_KEY: signatures}
    return {str(name): _concrete(function, name) for name, function in signatures.items()}


def entry(concrete: ConcreteFunction, index: int, name: str = DEFAULT_SIGNATURE_KEY) -> dict:
    """The saved form of a signature over concrete function `index`: its named inputs and, per
    output key, the function result it is."""
    args, kwargs = concrete.structured_input_signature
    leaves = jax.tree_util.tree_leaves((args, kwargs), is_leaf=_is_leaf)
    params = concrete.graph.params
    inputs = []
    for i, leaf in enumerate(leaves):
        if not isinstance(leaf, TensorSpec):
            raise ValueError(f"The signature {name!r} ({concrete.name}) takes {leaf!r}: signatures take "
                             "tensors only")
        input_name = leaf.name or params[i].name or f"input_{i}"
        inputs.append([input_name, structure.encode(TensorSpec(leaf.shape, leaf.dtype, input_name))])
    outputs = normalized_outputs(concrete.structured_outputs, concrete.name, name)
    flat = jax.tree_util.tree_leaves(concrete.structured_outputs, is_leaf=_is_leaf)
    results = []  # per output key: its position among the function's flattened outputs
    for key, value in outputs.items():
        results.append([key, next(i for i, leaf in enumerate(flat) if leaf is value)])
    return {"concrete": index, "inputs": inputs, "outputs": results}
