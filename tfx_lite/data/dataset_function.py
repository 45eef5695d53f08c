"""A user function of dataset elements (map, filter): traced once with tf.function on the
element spec, then run on the flat components. A function without state or random ops is
batch-safe: it runs once per block of stacked elements through `jax.vmap`, which is the
same as running it on each element; other functions run element by element."""
from __future__ import annotations

import functools

import jax
import numpy as np

from compiler.errors import VALUE_DEPENDENT, OpInputError
from compiler.lower import to_jax_function
from compiler.ops.registry import get_op
from tfx_lite.data.block import Block
from tfx_lite.data.nest import call_on_element, lists_to_tuples
from tfx_lite.data.structure import Structure, flatten
from tfx_lite.errors import InvalidArgumentError
from tfx_lite.framework import dtypes
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.tensor_spec import TensorSpec


def describe(fn) -> str:
    """'name' (file:line) of a Python function, for error messages."""
    name = getattr(fn, "__name__", type(fn).__name__)
    code = getattr(fn, "__code__", None)
    return f"{name!r} ({code.co_filename}:{code.co_firstlineno})" if code else repr(name)


def _has_effects(graph) -> bool:
    for node in graph.nodes:
        if get_op(node.op).effect is not None:
            return True
        for value in node.attrs.values():
            if hasattr(value, "nodes") and _has_effects(value):
                return True
    return False


class DatasetFunction:
    def __init__(self, fn, dataset, transformation: str):
        from tfx_lite.function import function
        structure = dataset._structure
        structure.refuse_ragged(transformation)
        if not callable(fn):
            raise ValueError(f"Argument `func` must be a callable. Received func={fn} (of type {type(fn)})")
        self._input = structure
        self._where = f"the function {describe(fn)} of Dataset.{transformation}"
        out_tree = []

        def flat_fn(*components):
            element = structure.unflatten(list(components))
            out = lists_to_tuples(call_on_element(fn, element))
            leaves, treedef = flatten(out)
            if out is None or not leaves:
                raise InvalidArgumentError(None, None, f"{self._where} must return a tensor or a structure of "
                                                       f"tensors, got {out!r}")
            out_tree.append(treedef)
            try:
                return tuple(convert_to_tensor(leaf) for leaf in leaves)
            except (TypeError, ValueError):
                raise TypeError(f"Unsupported return value from function passed to Dataset.{transformation}(): "
                                f"{out}.") from None

        flat_fn.__name__ = getattr(fn, "__name__", "dataset_function")
        self._flat_fn = flat_fn
        specs = [TensorSpec(s.shape, s.dtype) for s in structure.specs]
        try:
            self._concrete = function(flat_fn, input_signature=specs).get_concrete_function()
        except ValueError as err:
            if VALUE_DEPENDENT not in str(err):
                err.add_note(f"while tracing {self._where}")
                raise
            self._concrete = None  # shapes that follow values: the function runs eagerly, per element
        except Exception as err:
            err.add_note(f"while tracing {self._where}")
            raise
        if self._concrete is None:
            self.output = self._probe_output(out_tree, dataset)
            self.batch_safe = False
            return
        graph = self._concrete.graph
        self.output = Structure(out_tree[-1], [TensorSpec(r.type.shape, r.type.dtype) for r in
                                               graph.results[:len(graph.results) - len(self._concrete._updated)]])
        self.batch_safe = not self._concrete._updated and not _has_effects(self._concrete.optimized_graph)
        if any(s.dtype is dtypes.string for s in (*structure.specs, *self.output.specs)):
            self._concrete = None  # string tensors live on the host, outside compiled code
            self.batch_safe = False

    def _probe_output(self, out_tree, dataset):
        """The output structure of a function whose output shapes follow input values, from
        eager runs on two elements: the dataset's first two when it has random access, else
        made-up ones (every component all 0, then all 1). A dimension that differs between the
        two runs is unknown."""
        candidates = []
        if dataset._random_access and dataset._cardinality() != 0:
            count = dataset._cardinality()
            candidates += list(dataset._gather(np.arange(2 if count < 0 or count >= 2 else 1)).elements())
        for fill in (0, 1):
            candidates.append([np.full([d or 1 for d in s.shape], fill if s.dtype is not dtypes.string else b"",
                                       s.dtype.as_numpy_dtype) for s in self._input.specs])
        runs, failure = [], None
        for components in candidates:
            try:
                runs.append(self._eager_flat(components))
            except Exception as err:  # noqa: BLE001 -- an element the function rejects
                failure = failure or err
            if len(runs) == 2:
                break
        if not runs:
            failure.add_note(f"while running {self._where} to find the type of its results")
            raise failure
        specs = []
        for a, b in zip(runs[0], runs[-1]):
            shape = [x if x == y else None for x, y in zip(np.shape(a), np.shape(b))] \
                if np.ndim(a) == np.ndim(b) else None
            specs.append(TensorSpec(shape, dtypes.as_dtype(np.asarray(a).dtype)))
        return Structure(out_tree[-1], specs)

    def _eager_flat(self, components):
        return tuple(t._value for t in self._flat_fn(*flatten(self._input.tensors(components))[0]))

    @functools.cached_property
    def _vectorized(self):
        captures = len(self._concrete._captures)
        inputs = len(self._input.specs)
        fn = to_jax_function(self._concrete.optimized_graph)
        return jax.jit(jax.vmap(fn, in_axes=(0,) * inputs + (None,) * captures))

    def __call__(self, components, index):
        """The flat results for one element (its position in the pass is `index`)."""
        try:
            if self._concrete is None:
                return self._eager_flat(components)
            return self._concrete.run_flat(components)
        except Exception as err:
            raise self._failed(err, index) from err

    def apply(self, block: Block, first_index: int):
        """The results for a block of elements, whose first is element `first_index` of the pass:
        blocks, one by one (so the elements before a failing one still arrive)."""
        if block.count is None:
            yield Block.single(self(block.arrays, first_index))
            return
        if self.batch_safe and block.count:
            captured = [c._array for c in self._concrete._captures]
            try:
                yield Block.stacked(self._vectorized(*block.arrays, *captured))
                return
            except Exception:  # noqa: BLE001 -- run element by element to find and name the failing one
                pass
        for i, element in enumerate(block.elements()):
            yield Block.single(self(element, first_index + i))

    def _failed(self, err, index):
        message = err.message if isinstance(err, (OpInputError, InvalidArgumentError)) else \
            f"{type(err).__name__}: {err}"
        return InvalidArgumentError(None, None, f"{message}\n\twhile running {self._where} on element {index}")


def scalar_bool(structure: Structure):
    if len(structure.specs) != 1 or structure.specs[0].dtype is not dtypes.bool or \
            structure.specs[0].shape.rank != 0:
        raise ValueError(f"Invalid `predicate`. `predicate` must return a `tf.bool` scalar tensor, but its "
                         f"return type is {structure.element_spec!r}.")


