"""Placeholders for variables without a value where converted control flow needs one.

`Undefined('x')` stands for a variable that is not assigned yet when an `if` or a loop starts
(TF's `ag__.Undefined`). Using it raises UnboundLocalError, as reading the variable would. A
staged loop defines it from the first iteration's value (see `_loop_var_from_first_iteration`)
when the body assigns it before reading it; a staged `if` refuses it when only one branch
assigns it."""
from __future__ import annotations


class Undefined:
    __slots__ = ("symbol_name",)

    def __init__(self, symbol_name: str):
        self.symbol_name = symbol_name

    def __repr__(self):
        return self.symbol_name

    def _used(self, *args, **kwargs):
        raise UnboundLocalError(f"'{self.symbol_name}' is used before assignment")

    __bool__ = __len__ = __iter__ = __getitem__ = __call__ = __index__ = __int__ = __float__ = _used
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _used
    __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = __pow__ = __rpow__ = __matmul__ = _used
    __rmatmul__ = __neg__ = __pos__ = __abs__ = __invert__ = __and__ = __rand__ = __or__ = _used
    __ror__ = __xor__ = __rxor__ = __lt__ = __le__ = __gt__ = __ge__ = _used

    # The protocol tf.while_loop uses for initial loop values it must complete from a first
    # iteration traced on the side (tfx_lite/ops/control_flow_ops.py).
    def _loop_var_needs_first_iteration(self) -> bool:
        return True

    def _loop_var_from_first_iteration(self, after_one_iteration, writes=None, trip_count=None):
        """The value to enter the loop with: zeros like the value the first iteration assigned
        (never read: the first iteration assigns the variable before reading it)."""
        from tfx_lite.framework.tensor import Tensor
        from tfx_lite.ops.array_ops import zeros
        value = after_one_iteration
        if not isinstance(value, Tensor) or None in value.shape.as_list():
            what = "not assigned" if isinstance(value, Undefined) or value is None else (
                f"a {type(value).__name__}" if not isinstance(value, Tensor) else
                f"a tensor of unknown shape {value.shape}")
            raise ValueError(f"'{self.symbol_name}' must be defined before the loop: after one "
                             f"iteration it is {what}, so AutoGraph cannot define it")
        return zeros(value.shape.as_list(), value.dtype)

    def _loop_var_first_iteration_failed(self, error: Exception):
        raise ValueError(f"'{self.symbol_name}' must be defined before the loop\nNote: AutoGraph "
                         f"tried to define it automatically, but ran into a "
                         f"{type(error).__name__}: {error}") from error


class UndefinedReturnValue(Undefined):
    """The return value of a function before a converted `return` ran. Every path of a converted
    function ends in a return (falling off the end returns None), and `do_return` guards what
    follows one, so where one branch or iteration has not returned yet its value is never read:
    it may take any placeholder of the right type."""

    __slots__ = ()

    def __init__(self, symbol_name: str = "retval_"):
        super().__init__(symbol_name)

    def _loop_var_from_first_iteration(self, after_one_iteration, writes=None, trip_count=None):
        if isinstance(after_one_iteration, Undefined):  # the loop has no return: nothing to carry
            return self
        return placeholder_like(after_one_iteration)


def placeholder_like(value):
    """Zeros with the structure, dtypes and shapes of `value` (tensors or Python numbers)."""
    import jax
    from tfx_lite.framework.convert import convert_to_tensor
    from tfx_lite.framework.tensor import Tensor
    from tfx_lite.ops.array_ops import zeros

    def zero(leaf):
        t = convert_to_tensor(leaf)
        return zeros(t.shape.as_list(), t.dtype)
    return jax.tree_util.tree_map(zero, value, is_leaf=lambda x: isinstance(x, Tensor))


def _flatten_undefined(u):
    return (), (type(u), u.symbol_name)


def _unflatten_undefined(aux, children):
    cls, name = aux
    return cls(name)


# As nodes without leaves of the structures tf.cond and tf.while_loop carry, a variable left
# undefined on every path passes through them unchanged.
for _cls in (Undefined, UndefinedReturnValue):
    __import__("jax").tree_util.register_pytree_node(_cls, _flatten_undefined, _unflatten_undefined)


def is_undefined(value) -> bool:
    return isinstance(value, Undefined)


def ld(read, symbol_name: str):
    """The value of a variable that may not be assigned yet (`read` is a lambda reading it)."""
    try:
        return read()
    except (NameError, AttributeError):  # UnboundLocalError included
        return Undefined(symbol_name)
