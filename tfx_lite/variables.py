"""tf.Variable: mutable state holding a device array, usable wherever a tensor is."""
from __future__ import annotations

import enum

import jax.numpy as jnp

from compiler import TensorType, current_builder
from tfx_lite.distribute.context import current_strategy
from tfx_lite.gradient_tape import _RECORDING, shared_with_another_source, variable_read
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.name_scope import scoped_name
from tfx_lite.framework.op_call import call
from tfx_lite.framework.tensor import EagerTensor, SymbolicTensor, Tensor, numpy_text
from tfx_lite.framework.tensor_shape import TensorShape, as_shape


class VariableSynchronization(enum.Enum):
    AUTO = 0
    NONE = 1
    ON_WRITE = 2
    ON_READ = 3


class VariableAggregation(enum.Enum):
    NONE = 0
    SUM = 1
    MEAN = 2
    ONLY_FIRST_REPLICA = 3


class Variable:
    """A tensor-valued variable. Default name 'Variable:0', as in TF's eager mode."""

    _placement = None  # the tf.distribute strategy it was created under (replicated there)

    __array_priority__ = 100

    def __init__(self, initial_value=None, trainable=None, validate_shape=True, caching_device=None,
                 name=None, variable_def=None, dtype=None, import_scope=None, constraint=None,
                 synchronization=VariableSynchronization.AUTO, aggregation=VariableAggregation.NONE,
                 shape=None, experimental_enable_variable_lifting=True):
        if initial_value is None:
            raise ValueError("The `initial_value` arg (None) must be specified.")
        if callable(initial_value):
            initial_value = initial_value()
        if isinstance(initial_value, Variable):
            initial_value = initial_value.read_value()
        value = convert_to_tensor(initial_value, dtype=dtype)
        if not isinstance(value, EagerTensor):
            raise NotImplementedError("creating a tf.Variable from a symbolic tensor (inside a traced "
                                      "function) is not supported yet")
        if synchronization == VariableSynchronization.ON_READ and trainable:
            raise ValueError("Synchronization value can be set to VariableSynchronization.ON_READ "
                             "only for non-trainable variables.")
        strategy = current_strategy()
        # In a tf.distribute scope a variable is replicated on the strategy's devices.
        self._placement = strategy
        self._array = value._value if strategy is None else strategy._place_variable(value._value)
        self._dtype = value.dtype
        self._shape = as_shape(shape) if shape is not None else TensorShape(self._array.shape)
        self._trainable = True if trainable is None else bool(trainable)
        name = name[:-2] if name and name.endswith(":0") else name
        self._name = scoped_name(name, "Variable")  # with the current tf.name_scope's prefix
        self._constraint = constraint
        self._synchronization = synchronization
        self._aggregation = aggregation
        self._initial_value = value
        # Whether a tensor outside the variable may share its buffer: a tf.function that updates
        # the variable donates the buffer (no copy) only when it is not exposed.
        self._exposed = True
        builder = current_builder()
        if builder is not None:
            builder.created.append(self)

    # --- reading ---
    def value(self) -> Tensor:
        return self.read_value()

    def read_value(self) -> Tensor:
        """The current value; inside a traced function, the parameter that the variable's value
        is passed in at each call (a capture), so later calls see later values."""
        builder = current_builder()
        if builder is None:
            self._exposed = True
            if _RECORDING:
                if shared_with_another_source(self, self._array):
                    # A tape tells its sources apart by their values: this variable holds the
                    # same array as another variable or a watched tensor (assigned from one
                    # tensor), so it takes a copy of its own.
                    self._array = jnp.copy(self._array)
                variable_read(self, self._array)
            return EagerTensor(self._array)
        value = builder.written(self)  # after an assignment in the same function, its value
        if value is None:
            value = builder.capture(self, TensorType(self._array.shape, self._array.dtype), self._name)
        if _RECORDING:
            variable_read(self, value)
        return SymbolicTensor(value)

    def __tf_tensor__(self, dtype=None, name=None):
        if dtype is not None and dtype is not self._dtype:
            raise ValueError(f"Tensor conversion requested dtype {dtype.name} for variable with dtype "
                             f"{self._dtype.name}: {self!r}")
        return self.read_value()

    def numpy(self):
        if current_builder() is not None:
            return self.read_value().numpy()  # a symbolic value: raises with TF's advice
        return EagerTensor(self._array).numpy()

    def __array__(self, dtype=None, copy=None):
        return self.read_value().__array__(dtype)

    # --- writing ---
    def _converted(self, value):
        """`value` as a tensor of the variable's dtype and a compatible shape."""
        tensor = convert_to_tensor(value, dtype=self._dtype)
        if not self._shape.is_compatible_with(tensor.shape):
            raise ValueError(f"Cannot assign value to variable ' {self.name}': Shape mismatch.The "
                             f"variable shape {self._shape}, and the assigned value shape "
                             f"{tensor.shape} are incompatible.")
        return tensor

    def _store(self, tensor, read_value, fresh=False):
        """Make `tensor` the value. Inside a traced function the new value becomes an output of
        the graph, written back after each call. `fresh`: no other tensor shares its buffer."""
        builder = current_builder()
        if builder is not None:
            builder.write(self, tensor._value)
        else:
            self._array = tensor._value if self._placement is None else \
                self._placement._place_variable(tensor._value)
            self._exposed = not fresh
        return self if read_value else None

    def assign(self, value, use_locking=None, name=None, read_value=True):
        return self._store(self._converted(value), read_value)

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        delta = self._converted(delta)
        total = call("AssignAddVariableOp", "add", self.read_value(), delta)
        return self._store(total, read_value, fresh=True)

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        delta = self._converted(delta)
        difference = call("AssignSubVariableOp", "sub", self.read_value(), delta)
        return self._store(difference, read_value, fresh=True)

    def _scatter(self, op_name, indices, updates):
        """Store `tf.tensor_<op_name>` of the value (a new tensor of the variable's type)."""
        from tfx_lite.ops import array_ops
        result = getattr(array_ops, f"tensor_{op_name}")(self, indices, updates)
        return self._store(result, True, fresh=True)

    def scatter_nd_update(self, indices, updates, name=None):
        return self._scatter("scatter_nd_update", indices, updates)

    def scatter_nd_add(self, indices, updates, name=None):
        return self._scatter("scatter_nd_add", indices, updates)

    def scatter_nd_sub(self, indices, updates, name=None):
        return self._scatter("scatter_nd_sub", indices, updates)

    def scatter_nd_max(self, indices, updates, name=None):
        return self._scatter("scatter_nd_max", indices, updates)

    def scatter_nd_min(self, indices, updates, name=None):
        return self._scatter("scatter_nd_min", indices, updates)

    # --- properties ---
    dtype = property(lambda self: self._dtype)
    shape = property(lambda self: self._shape)
    trainable = property(lambda self: self._trainable)
    constraint = property(lambda self: self._constraint)
    synchronization = property(lambda self: self._synchronization)
    aggregation = property(lambda self: self._aggregation)
    initial_value = property(lambda self: self._initial_value)

    @property
    def name(self) -> str:
        return f"{self._name}:0"

    @property
    def device(self) -> str:
        return self.read_value().device

    @property
    def ndim(self) -> int:
        return self._shape.rank

    def get_shape(self) -> TensorShape:
        return self._shape

    def ref(self):
        return Tensor.ref(self)

    experimental_ref = ref

    def __hash__(self):
        raise TypeError("Variable is unhashable. Instead, use variable.ref() as the key. (Variable: "
                        f"{self!r})")

    def __bool__(self):
        return bool(self.read_value())

    def __int__(self):
        return int(self.read_value())

    def __float__(self):
        return float(self.read_value())

    def __index__(self):
        return self.read_value().__index__()

    def __len__(self):
        return len(self.read_value())

    def __iter__(self):
        return iter(self.read_value())

    def __getitem__(self, key):
        """A slice of the value that can also be assigned: `v[1:3].assign([5, 6])`, as in TF."""
        sliced = self.read_value()[key]
        return _VariableSlice(sliced._value, self, key) if isinstance(sliced, EagerTensor) else sliced

    def __repr__(self):
        return (f"<tf.Variable '{self.name}' shape={self._shape} dtype={self._dtype.name}, "
                f"numpy={numpy_text(EagerTensor(self._array), is_repr=True)}>")

    __str__ = __repr__

    def __deepcopy__(self, memo):
        copy = Variable(self.read_value(), trainable=self._trainable, name=self._name)
        memo[id(self)] = copy
        return copy




class _VariableSlice(EagerTensor):
    """`variable[key]`: a tensor whose `assign` writes the slice back into the variable."""

    __slots__ = ("_variable", "_key")

    def __init__(self, value, variable: Variable, key):
        super().__init__(value)
        self._variable = variable
        self._key = key

    def assign(self, value, use_locking=None, name=None, read_value=True):
        from tfx_lite.ops.slicing import updated
        variable = self._variable
        return variable._store(updated(variable.read_value(), self._key, value), read_value)
