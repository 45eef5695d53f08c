"""Nested Python structures of specs and literals as JSON, and back.

A function's input signature and output structure are saved this way: tuples, lists, dicts,
namedtuples (rebuilt as namedtuples of the same name and fields), `TensorSpec`s, the composite
specs (RaggedTensorSpec, SparseTensorSpec: only these classes are ever built on load) and
literals (None, bool, int, float, str). Anything else cannot be saved and raises ValueError.
"""
from __future__ import annotations

import collections
import functools
import math

from tfx_lite.framework.dtypes import DType, as_dtype
from tfx_lite.framework.tensor_shape import TensorShape
from tfx_lite.framework.tensor_spec import TensorSpec


def _spec_classes() -> dict:
    from tfx_lite.ragged.ragged_tensor import RaggedTensorSpec
    from tfx_lite.sparse.sparse_tensor import SparseTensorSpec
    return {"RaggedTensorSpec": RaggedTensorSpec, "SparseTensorSpec": SparseTensorSpec}


class StructureError(ValueError):
    pass


def _shape(shape) -> list | None:
    shape = shape if isinstance(shape, TensorShape) else TensorShape(shape)
    return None if shape.rank is None else shape.as_list()


def encode(value, where: str = "value"):
    if value is None or isinstance(value, (bool, str)):
        return {"py": value}
    if isinstance(value, int) and type(value) is int:
        return {"py": value}
    if isinstance(value, float):
        return {"float": repr(value)} if not math.isfinite(value) else {"py": value}
    if isinstance(value, TensorSpec):
        return {"tensor": {"shape": _shape(value.shape), "dtype": value.dtype.name, "name": value.name}}
    if type(value).__name__ in _spec_classes() and isinstance(value, _spec_classes()[type(value).__name__]):
        return {"type_spec": type(value).__name__, "args": [encode(a, where) for a in value._serialize()]}
    if isinstance(value, TensorShape):
        return {"shape": _shape(value)}
    if isinstance(value, DType):
        return {"dtype": value.name}
    if isinstance(value, tuple) and hasattr(type(value), "_fields"):
        return {"namedtuple": type(value).__name__, "fields": list(type(value)._fields),
                "values": [encode(v, where) for v in value]}
    if isinstance(value, tuple):
        return {"tuple": [encode(v, where) for v in value]}
    if isinstance(value, list):
        return {"list": [encode(v, where) for v in value]}
    if isinstance(value, dict):
        for k in value:
            if not isinstance(k, (str, int, bool, type(None))) or isinstance(k, float):
                raise StructureError(f"{where}: a dict key {k!r} cannot be saved (keys must be str or int)")
        return {"dict": [[k, encode(v, where)] for k, v in value.items()]}
    raise StructureError(f"{where}: {value!r} (of type {type(value).__name__}) cannot be saved; a saved "
                         "signature holds tensors, composite tensors and Python literals only")


@functools.lru_cache(maxsize=None)
def _namedtuple(name: str, fields: tuple):
    return collections.namedtuple(name, fields)


def decode(data):
    """The structure `encode` wrote. Raises StructureError (a ValueError) on anything else."""
    if not isinstance(data, dict) or len(data) not in (1, 2, 3):
        raise StructureError(f"malformed structure entry {str(data)[:80]!r}")
    if "py" in data:
        value = data["py"]
        if not (value is None or isinstance(value, (bool, int, float, str))):
            raise StructureError(f"malformed literal {str(value)[:80]!r}")
        return value
    if "float" in data:
        if data["float"] not in ("inf", "-inf", "nan"):
            raise StructureError(f"malformed float {data['float']!r}")
        return float(data["float"])
    if "tensor" in data:
        t = data["tensor"]
        return TensorSpec(None if t["shape"] is None else [None if d is None else int(d) for d in t["shape"]],
                          as_dtype(t["dtype"]), t.get("name"))
    if "type_spec" in data:
        cls = _spec_classes().get(data["type_spec"])
        if cls is None:
            raise StructureError(f"unknown type spec {data['type_spec']!r}")
        return cls(*[decode(a) for a in data["args"]])
    if "shape" in data:
        return TensorShape(data["shape"])
    if "dtype" in data:
        return as_dtype(data["dtype"])
    if "namedtuple" in data:
        fields = tuple(str(f) for f in data["fields"])
        if not all(f.isidentifier() for f in fields) or not str(data["namedtuple"]).isidentifier():
            raise StructureError(f"malformed namedtuple {data['namedtuple']!r}")
        return _namedtuple(data["namedtuple"], fields)(*[decode(v) for v in data["values"]])
    if "tuple" in data:
        return tuple(decode(v) for v in data["tuple"])
    if "list" in data:
        return [decode(v) for v in data["list"]]
    if "dict" in data:
        return {k: decode(v) for k, v in data["dict"]}
    raise StructureError(f"malformed structure entry {str(data)[:80]!r}")
