"""Dataset elements: nested structures (tuples, namedtuples, dicts) of tensors. Inside a
pipeline an element is a flat tuple of numpy (or jax) arrays, its components, and a `Structure`
says how they nest and what TensorSpec each has."""
from __future__ import annotations

import jax
import numpy as np

from tfx_lite.data.block import Ragged
from tfx_lite.data.nest import flatten
from tfx_lite.framework import dtypes
from tfx_lite.framework.convert import to_numpy
from tfx_lite.framework.tensor import EagerTensor, Tensor
from tfx_lite.framework.tensor_shape import TensorShape
from tfx_lite.framework.tensor_spec import TensorSpec
from tfx_lite.ragged.ragged_tensor import RaggedTensor, RaggedTensorSpec


class Structure:
    """How an element's components nest (`treedef`) and their specs, one per component."""

    __slots__ = ("treedef", "specs")

    def __init__(self, treedef, specs):
        self.treedef = treedef
        self.specs = tuple(specs)

    @classmethod
    def of_spec(cls, element_spec, ragged=False):
        """The structure of `element_spec`; RaggedTensorSpecs only where `ragged` (the elements
        come from datasets that carry them), else a clear refusal."""
        specs, treedef = flatten(element_spec)
        for spec in specs:
            if isinstance(spec, RaggedTensorSpec) and not ragged:
                raise NotImplementedError(f"tfx_lite's tf.data cannot take a {spec!r} here (only "
                                          "from_tensor_slices, batch and ragged_batch make ragged elements)")
            if not isinstance(spec, (TensorSpec, RaggedTensorSpec)):
                raise TypeError(f"Expected a tf.TensorSpec in the element structure, got {spec!r}")
        return cls(treedef, specs)

    @property
    def element_spec(self):
        return self.treedef.unflatten(self.specs)

    def map_specs(self, fn) -> "Structure":
        return Structure(self.treedef, [fn(s) for s in self.specs])

    def unflatten(self, components):
        return self.treedef.unflatten(components)

    def tensors(self, components):
        """The element as a structure of eager tensors."""
        return self.unflatten([_eager(c) for c in components])

    def numpy(self, components):
        """The element as `as_numpy_iterator` gives it: numpy arrays, numpy scalars, bytes."""
        return self.unflatten([numpy_value(c) for c in components])

    def ragged_batches(self) -> list:
        """The specs of components that are RaggedTensors (batches of ragged rows)."""
        return [s for s in self.specs if is_ragged_batch(s)]

    def has_ragged(self) -> bool:
        return any(isinstance(s, RaggedTensorSpec) for s in self.specs)

    def refuse_ragged(self, transformation, rows=False):
        """NotImplementedError for a transformation that cannot take ragged elements: RaggedTensors
        (ragged batches), and also ragged rows (the elements of a ragged source) when `rows`."""
        for spec in self.specs:
            if is_ragged_batch(spec) or (rows and isinstance(spec, RaggedTensorSpec)):
                what = "a RaggedTensor" if is_ragged_batch(spec) else "a ragged row"
                raise NotImplementedError(
                    f"Dataset.{transformation} is not supported by tfx_lite for datasets whose elements hold "
                    f"{what} ({spec!r}); element_spec={self.element_spec!r}")

    def __eq__(self, other):
        return isinstance(other, Structure) and self.treedef == other.treedef and self.specs == other.specs

    def __repr__(self):
        return repr(self.element_spec)


def is_ragged_batch(spec) -> bool:
    """A RaggedTensor component (its value in the pipeline is a block.Ragged); a RaggedTensorSpec
    of ragged_rank 0 is a ragged row, a dense array that iteration gives as a tf.Tensor."""
    return isinstance(spec, RaggedTensorSpec) and spec.ragged_rank > 0


def _eager(component):
    if isinstance(component, Ragged):
        return RaggedTensor.from_row_splits(_eager(component.values), _eager(component.splits), validate=False)
    if isinstance(component, bytes):  # a string scalar taken out of an object array
        component = np.array(component, dtype=object)
    if isinstance(component, np.ndarray) and component.dtype != object:
        component = jax.device_put(component)
    elif isinstance(component, np.generic):
        component = jax.device_put(np.asarray(component))
    return EagerTensor(component)


def numpy_value(component):
    if isinstance(component, bytes):
        return component
    if isinstance(component, Ragged):
        return _eager(component).numpy()
    array = np.asarray(component)
    return array[()] if array.ndim == 0 else array


def as_component(value, what="element") -> np.ndarray:
    """A component's value as a numpy array with TF's dtype (Python floats are float32,
    numpy float64 stays float64; strings are bytes objects)."""
    if isinstance(value, Tensor):
        if not isinstance(value, EagerTensor):
            raise TypeError(f"A symbolic tensor cannot be a dataset {what} outside its function: {value!r}")
        return np.asarray(value._value) if value.dtype is not dtypes.string else value._value
    if hasattr(value, "__tf_tensor__"):
        return as_component(value.__tf_tensor__(None, None), what)
    if isinstance(value, list) and any(isinstance(v, (np.ndarray, Tensor)) for v in value):
        return as_component(np.stack([as_component(v, what) for v in value]), what)
    if value is None:
        raise TypeError(f"None is not a valid dataset {what} component (expected a tensor, an "
                        "array or a Python value convertible to one)")
    return to_numpy(value)


def spec_of(array, batched=False) -> TensorSpec:
    shape = tuple(array.shape)
    return TensorSpec(shape[1:] if batched else shape, dtypes.as_dtype(array.dtype))


def structure_of(components, treedef, batched=False) -> Structure:
    return Structure(treedef, [spec_of(c, batched) for c in components])


def common_structure(first: Structure, second: Structure) -> Structure:
    """The structure covering both (differing dimensions become None), as concatenate needs."""
    if first.treedef != second.treedef or any(a.dtype != b.dtype or type(a) is not type(b) or (
            isinstance(a, RaggedTensorSpec) and (a.ragged_rank, a.row_splits_dtype) !=
            (b.ragged_rank, b.row_splits_dtype)) for a, b in zip(first.specs, second.specs)):
        raise TypeError(f"Incompatible dataset elements:\n  {first!r} vs. \n  {second!r}")
    return Structure(first.treedef, [
        RaggedTensorSpec(_common_shape(a.shape, b.shape), a.dtype, a.ragged_rank, a.row_splits_dtype)
        if isinstance(a, RaggedTensorSpec) else TensorSpec(_common_shape(a.shape, b.shape), a.dtype)
        for a, b in zip(first.specs, second.specs)])


def _common_shape(a: TensorShape, b: TensorShape) -> TensorShape:
    if a.rank is None or b.rank is None or a.rank != b.rank:
        return TensorShape(None)
    return TensorShape([x if x == y else None for x, y in zip(a.dims, b.dims)])


def fits(spec: TensorSpec, shape) -> bool:
    if spec.shape.rank is None:
        return True
    return len(shape) == spec.shape.rank and all(d is None or d == s for d, s in zip(spec.shape.dims, shape))


def int64_argument(value, what):
    """An int64 scalar argument (count, size, ...), refused as TF refuses it."""
    array = as_component(value)
    if array.dtype.kind not in "iu":
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype int64")
    if array.ndim != 0:
        raise ValueError(f"`{what}` must be a scalar (shape ()), got shape {array.shape}")
    return int(array)
