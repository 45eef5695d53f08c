"""Dataset.reduce: the reducer is traced once with tf.function on (state, element) specs and
its compiled form runs once per element."""
from __future__ import annotations

from tfx_lite.data.dataset_function import describe
from tfx_lite.data.structure import flatten
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.tensor import EagerTensor
from tfx_lite.framework.tensor_spec import TensorSpec


def reduce(dataset, initial_state, reduce_func):
    from tfx_lite.function import function
    dataset._structure.refuse_ragged("reduce")
    state_leaves, state_tree = flatten(initial_state)
    state = [convert_to_tensor(s) for s in state_leaves]
    element_structure = dataset._structure
    count = len(state)

    def step(*flat):
        old = state_tree.unflatten(list(flat[:count]))
        element = element_structure.unflatten(list(flat[count:]))
        new = reduce_func(old, element)
        leaves, tree = flatten(new)
        if tree != state_tree:
            raise TypeError(f"The function {describe(reduce_func)} of Dataset.reduce must return a state of the "
                            f"structure of `initial_state` ({state_tree}), got {new!r}")
        out = [convert_to_tensor(v) for v in leaves]
        for before, after in zip(state, out):
            if before.dtype != after.dtype:
                raise TypeError(f"The element types for the new state must match the initial state. "
                                f"Expected {before.dtype.name}; got {after.dtype.name}.")
        return tuple(out)

    specs = [TensorSpec(s.shape, s.dtype) for s in state] + \
        [TensorSpec(s.shape, s.dtype) for s in element_structure.specs]
    concrete = function(step, input_signature=specs).get_concrete_function()
    values = [s._value for s in state]
    for components in dataset._element_components():
        values = concrete.run_flat([*values, *components])
    return state_tree.unflatten([EagerTensor(v) for v in values])
