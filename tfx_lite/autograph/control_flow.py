"""What converted `if`, `while`, `for`, `x if c else y`, `and`, `or` and `not` run.

Each statement comes as functions over the enclosing function's variables: `body()` and
`orelse()` change them (they are `nonlocal` there), `get_state()` returns the variables the
statement changes, `set_state(values)` assigns them. The first `nouts` of them are its outputs
(the ones read afterwards; for a loop, the ones it carries). On a Python condition the statement
runs as Python; on a symbolic tensor it becomes tf.cond / tf.while_loop, as in TF's AutoGraph."""
from __future__ import annotations

from compiler import current_builder
from tfx_lite.autograph.undefined import Undefined, UndefinedReturnValue, placeholder_like
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.tensor import EagerTensor, SymbolicTensor, Tensor
from tfx_lite.ops.static_args import known_array

def is_symbolic(value) -> bool:
    return isinstance(value, SymbolicTensor)


# --- if -----------------------------------------------------------------------------------------

def if_stmt(cond, body, orelse, get_state, set_state, symbol_names, nouts):
    if not is_symbolic(cond):
        body() if cond else orelse()
        return
    from tfx_lite.ops.control_flow_ops import cond as tf_cond
    init = get_state()
    fills: dict = {}  # output index -> a value whose type a branch without a return copies

    def branch(fn, name, main_outputs):
        def traced():
            set_state(init)
            fn()
            outputs = _branch_outputs(get_state()[:nouts], symbol_names, name)
            for i, example in fills.items():
                if isinstance(outputs[i], UndefinedReturnValue):
                    outputs[i] = placeholder_like(example)
            if name == "main":
                main_outputs[:] = outputs
            else:
                _check_branches_agree(main_outputs, outputs, symbol_names, fills)
            return tuple(outputs)
        return traced

    while True:
        main_outputs: list = []
        try:
            outputs = tf_cond(cond, branch(body, "main", main_outputs), branch(orelse, "else", main_outputs))
            break
        except _TraceAgain:  # the main branch lacked a return value the else branch has
            continue
    set_state(tuple(outputs) + tuple(init[nouts:]))


class _TraceAgain(Exception):
    """The branches must be traced again, now that `fills` holds what one of them lacked."""


def _branch_outputs(values, names, branch):
    out = []
    for name, value in zip(names, values):
        if isinstance(value, UndefinedReturnValue):
            out.append(value)  # completed below from the other branch (see UndefinedReturnValue)
            continue
        if name == "retval_" and value is None:
            raise ValueError(f"the {branch} branch must also have a return statement.")
        if isinstance(value, Undefined):
            raise ValueError(f"'{name}' must also be initialized in the {branch} branch")
        if value is None:
            raise ValueError(f"'{name}' is None at the end of the {branch} branch.")
        out.append(value)
    return out


def _check_branches_agree(main, other, names, fills):
    for i, (name, a, b) in enumerate(zip(names, main, other)):
        if isinstance(a, UndefinedReturnValue) != isinstance(b, UndefinedReturnValue):
            # a return in one branch only: the other branch's value is never read
            if isinstance(b, UndefinedReturnValue):
                other[i] = placeholder_like(a)
            else:
                fills[i] = b
                raise _TraceAgain()
            continue
        if not _is_tensorish(a) or not _is_tensorish(b):
            continue
        ta, tb = convert_to_tensor(a), convert_to_tensor(b)
        if ta.dtype != tb.dtype:
            raise TypeError(f"'{name}' has dtype {ta.dtype.name} in the main branch, but dtype "
                            f"{tb.dtype.name} in the else branch")


def _is_tensorish(x) -> bool:
    return isinstance(x, (Tensor, int, float, bool)) or hasattr(x, "__tf_tensor__")


def if_exp(cond, if_true, if_false, expr_repr=None):
    """`if_true() if cond else if_false()`."""
    if not is_symbolic(cond):
        return if_true() if cond else if_false()
    from tfx_lite.ops.control_flow_ops import cond as tf_cond
    return tf_cond(cond, if_true, if_false)


# --- and, or, not --------------------------------------------------------------------------------

def and_(*operands):
    """`a and b and ...`, each operand a function: tensors short-circuit through tf.cond."""
    value = operands[0]()
    for operand in operands[1:]:
        if is_symbolic(value):
            value = _lazy_logical(value, operand, "and")
        elif not value:
            return value
        else:
            value = operand()
    return value


def or_(*operands):
    value = operands[0]()
    for operand in operands[1:]:
        if is_symbolic(value):
            value = _lazy_logical(value, operand, "or")
        elif value:
            return value
        else:
            value = operand()
    return value


def _lazy_logical(value, operand, kind):
    from tfx_lite.ops.control_flow_ops import cond as tf_cond
    value = _bool_tensor(value, kind)

    def rest():
        return _bool_tensor(operand(), kind)

    if kind == "and":
        return tf_cond(value, rest, lambda: value)
    return tf_cond(value, lambda: value, rest)


def _bool_tensor(value, kind):
    t = convert_to_tensor(value)
    if not t.dtype.is_bool:
        raise TypeError(f"The operands of `{kind}` on tensors must be boolean tensors (as in "
                        f"TF's AutoGraph); got {t.dtype.name}. Compare the tensor explicitly, e.g. "
                        f"`x != 0`.")
    return t


def not_(value):
    if isinstance(value, Tensor) and (is_symbolic(value) or value.dtype.is_bool):
        from tfx_lite.ops.math_ops import logical_not
        return logical_not(value)
    return not value


# --- while ---------------------------------------------------------------------------------------

_STARTED_PYTHON = (
    "The condition of {kind} loop started as non-Tensor, then changed to Tensor. This may happen "
    "either because variables changed type, or when a break or return statement inside the loop "
    "depends on a Tensor condition. In both cases, changing to a TF loop should remove the error.\n"
    "See https://github.com/tensorflow/tensorflow/blob/master/tensorflow/python/autograph/g3doc/"
    "reference/limitations.md#consistency-of-control-flow-types for more info.")


def while_stmt(test, body, get_state, set_state, symbol_names, opts):
    first = test()
    if not is_symbolic(first):
        while first:
            body()
            first = test()
            if is_symbolic(first):
                raise NotImplementedError(_STARTED_PYTHON.format(kind="while"))
        return
    _staged_loop(test, lambda _: body(), get_state, set_state, symbol_names, opts)


def _staged_loop(test, body, get_state, set_state, symbol_names, opts, counter=None,
                 counter_test=None, step=None, maximum_iterations=None):
    """tf.while_loop over the first `nouts` variables, while `test()` (None: always) holds. A
    `for` loop adds `counter`, a tensor the loop checks with `counter_test` and moves by `step`;
    `body` gets it (None for a `while` loop)."""
    from tfx_lite.ops.control_flow_ops import while_loop
    nouts = opts.get("nouts", len(symbol_names))
    init = get_state()
    rest = tuple(init[nouts:])
    names = symbol_names[:nouts]
    carried = [_loop_value(v, name) for v, name in zip(init[:nouts], names)]
    counted = counter is not None

    def split(values):
        return (values[0], values[1:]) if counted else (None, values)

    def cond_fn(*values):
        i, values = split(values)
        set_state(tuple(values) + rest)
        if not counted:
            return test()
        return counter_test(i) if test is None else and_(lambda: counter_test(i), test)

    def body_fn(*values):
        i, values = split(values)
        set_state(tuple(values) + rest)
        body(i)
        after = [_loop_value(v, name, at_end=True) for v, name in zip(get_state()[:nouts], names)]
        _check_loop_values(values, after, names)
        return (i + step, *after) if counted else tuple(after)

    results = while_loop(cond_fn, body_fn, ((counter,) if counted else ()) + tuple(carried),
                         maximum_iterations=maximum_iterations)
    results = tuple(results) if isinstance(results, (list, tuple)) else (results,)
    set_state(results[1 if counted else 0:] + rest)


def _loop_value(value, name, at_end=False):
    if isinstance(value, Undefined):
        if at_end and not isinstance(value, UndefinedReturnValue):
            raise ValueError(f"'{name}' must be defined before the loop")
        return value
    if value is None:
        raise ValueError(f"'{name}' is None {'at the end of the iteration' if at_end else 'before the loop'}"
                         ". A TensorFlow loop can only carry tensors (and tf.TensorArrays).")
    if isinstance(value, (bool, int, float)) or (hasattr(value, "shape") and hasattr(value, "dtype")
                                                 and not hasattr(value, "_loop_var_needs_first_iteration")):
        return convert_to_tensor(value)
    if isinstance(value, (list, tuple, dict)) or hasattr(value, "_loop_var_needs_first_iteration"):
        return value
    raise TypeError(f"'{name}' is a {type(value).__name__} and is assigned in a loop that runs as "
                    "a TensorFlow loop (its condition is a tensor); such a loop can only carry "
                    "tensors, tf.TensorArrays and lists or tuples of them.")


def _check_loop_values(before, after, names):
    for name, a, b in zip(names, before, after):
        if not isinstance(a, Tensor) or not isinstance(b, Tensor):
            continue
        if a.dtype != b.dtype:
            raise TypeError(f"'{name}' has dtype {a.dtype.name} before the loop, but dtype "
                            f"{b.dtype.name} after one iteration")
        if a.shape != b.shape:
            raise ValueError(f"'{name}' has shape {a.shape} before the loop, but shape {b.shape} after "
                             "one iteration. Use tf.autograph.experimental.set_loop_options to set "
                             "shape invariants.")


# --- for -----------------------------------------------------------------------------------------

class SymbolicRange:
    """`tf.range(start, limit, delta)` with a limit known only when the function runs: only a
    `for` loop can use it (it steps a counter; XLA cannot build the range itself)."""

    def __init__(self, start, limit, delta, dtype, error):
        self.start, self.limit, self.delta, self.dtype, self.error = start, limit, delta, dtype, error

    def __tf_tensor__(self, dtype=None, name=None):
        raise self.error


def for_stmt(iter_, extra_test, body, get_state, set_state, symbol_names, opts):
    from tfx_lite.data.dataset import Dataset
    if isinstance(iter_, SymbolicRange):
        return _for_range(iter_, extra_test, body, get_state, set_state, symbol_names, opts)
    if is_symbolic(iter_):
        return _for_tensor(iter_, extra_test, body, get_state, set_state, symbol_names, opts)
    if isinstance(iter_, Dataset):
        return _for_dataset(iter_, extra_test, body, get_state, set_state, symbol_names, opts)
    return _for_python(iter_, extra_test, body)


def _for_python(iterable, extra_test, body):
    for item in iterable:
        if extra_test is not None:
            go_on = extra_test()
            if is_symbolic(go_on):
                raise NotImplementedError(_STARTED_PYTHON.format(kind="for"))
            if not go_on:
                break
        body(item)


def _for_dataset(dataset, extra_test, body, get_state, set_state, symbol_names, opts):
    """A dataset's elements are computed when the function is traced (they are constants of the
    graph). Elements of one shape are stacked and a staged loop steps through them, so `break`
    may depend on tensors and the graph does not grow with the dataset; others unroll."""
    import jax
    import numpy as np
    from compiler.trace import init_scope
    from tfx_lite.ops.array_ops import gather
    with init_scope():
        elements = list(dataset)
    flat = [jax.tree_util.tree_flatten(e, is_leaf=lambda x: isinstance(x, Tensor)) for e in elements]
    kinds = {(tree, tuple((type(t), t.shape, t.dtype) for t in leaves)) for leaves, tree in flat}
    if (current_builder() is None or len(kinds) != 1 or
            not all(isinstance(t, EagerTensor) and t.dtype.name != "string" for t in flat[0][0])):
        return _for_python(elements, extra_test, body)
    tree = flat[0][1]
    stacked = [convert_to_tensor(np.stack([leaves[k].numpy() for leaves, _ in flat]))
               for k in range(len(flat[0][0]))]
    _staged_loop(extra_test, lambda i: body(jax.tree_util.tree_unflatten(tree, [gather(s, i) for s in stacked])),
                 get_state, set_state, symbol_names, opts, counter=convert_to_tensor(0),
                 counter_test=lambda i: i < len(elements), step=1, maximum_iterations=len(elements))


def _for_tensor(tensor, extra_test, body, get_state, set_state, symbol_names, opts):
    from tfx_lite.ops.array_ops import gather, shape
    if tensor.shape.rank == 0:
        raise TypeError("Cannot iterate over a scalar tensor.")
    length = tensor.shape[0]
    limit = convert_to_tensor(length) if length is not None else shape(tensor)[0]
    _staged_loop(extra_test, lambda i: body(gather(tensor, i)), get_state, set_state, symbol_names,
                 opts, counter=convert_to_tensor(0), counter_test=lambda i: i < limit, step=1,
                 maximum_iterations=length)


def _for_range(r, extra_test, body, get_state, set_state, symbol_names, opts):
    start, limit, delta = (convert_to_tensor(v, dtype=r.dtype) for v in (r.start, r.limit, r.delta))
    fixed_delta = known_array(delta)
    if fixed_delta is None:
        raise ValueError("A `for` loop over tf.range needs a delta known when the function is "
                         "traced; pass a Python number or a constant")
    fixed_delta = fixed_delta.item()
    trip = _trip_count(start, limit, fixed_delta)

    def counter_test(i):
        return i < limit if fixed_delta > 0 else i > limit

    _staged_loop(extra_test, body, get_state, set_state, symbol_names, opts, counter=start,
                 counter_test=counter_test, step=delta, maximum_iterations=trip)


def _trip_count(start, limit, delta):
    values = [known_array(t) for t in (start, limit)]
    if any(v is None for v in values):
        return None
    n = -(-(values[1].item() - values[0].item()) // delta)
    return max(int(n), 0)


def range_(start_or_limit, limit=None, delta=1, dtype=None, name="range"):
    """tf.range in a `for` loop's iterable: a SymbolicRange when the limit is only known at run
    time."""
    from compiler.errors import VALUE_DEPENDENT
    from tfx_lite.ops.array_ops import range as tf_range
    try:
        return tf_range(start_or_limit, limit, delta, dtype=dtype, name=name)
    except ValueError as error:
        if VALUE_DEPENDENT not in str(error):
            raise
        start, limit = (0, start_or_limit) if limit is None else (start_or_limit, limit)
        kinds = [convert_to_tensor(v) for v in (start, limit, delta)]
        out_dtype = dtype or next((t.dtype for t in kinds if t.dtype.is_floating), kinds[0].dtype)
        return SymbolicRange(start, limit, delta, out_dtype, error)
