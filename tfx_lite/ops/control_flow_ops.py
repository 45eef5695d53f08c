"""Control flow: tf.cond, tf.case, tf.switch_case, tf.while_loop, tf.map_fn, tf.scan, tf.foldl,
tf.foldr, tf.vectorized_map.

Eagerly, cond/case/switch_case branch in Python on the concrete predicate and while_loop is a
Python loop, as in TF's eager mode. Inside a traced function (or when the predicate is symbolic)
each branch or body is traced into a sub-graph by a child GraphBuilder and the op becomes one
node (`cond`, `switch_case`, `while_loop`, see compiler/ops/control.py) whose extra inputs are the
outer values the sub-graphs close over. map_fn/scan/foldl/foldr/vectorized_map always trace
their body and run the node through `bind` (eagerly or into the graph).

Variables assigned in a traced branch or body are threaded through the node (extra results of
the branches, extra loop-carried values) and written back after it, as TF's resource variables
behave; see "external state" below.
"""
from __future__ import annotations

import jax
import numpy as np

from compiler import GraphBuilder, OpInputError, TensorType, Value, bind, current_builder
from tfx_lite.framework import dtypes
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.dispatch import add_dispatch_support
from tfx_lite.framework.op_call import invalid_argument, op_error
from tfx_lite.framework.tensor import EagerTensor, SymbolicTensor, Tensor, wrap
from tfx_lite.gradient_tape import recorded_by_tape
from tfx_lite.ops.static_args import known_array

__all__ = ["cond", "case", "switch_case", "while_loop", "map_fn", "scan", "foldl", "foldr",
           "vectorized_map"]


# --- structures -------------------------------------------------------------------------------

def _is_leaf(x):
    return isinstance(x, Tensor) or hasattr(x, "__tf_tensor__")


def _flatten(structure):
    """(leaves, treedef); lists count as tuples (TF's nest compares them alike)."""
    return jax.tree_util.tree_flatten(_norm(structure), is_leaf=_is_leaf)


def _norm(x):
    if type(x) in (list, tuple):
        return tuple(_norm(i) for i in x)
    if type(x) is dict:
        return {k: _norm(v) for k, v in x.items()}
    return x


def _tensor(x) -> Tensor:
    return convert_to_tensor(x)


def _describe(leaves) -> str:
    return "[" + ", ".join(f"{t.dtype.name}{list(t.shape)}" for t in leaves) + "]"


# --- tracing a body into a sub-graph ----------------------------------------------------------

class _Body:
    """`fn` traced into a sub-graph on parameters of `types` (structured as `in_tree`).
    `outputs`: the structure fn returned, with its tensor leaves in `out_leaves` (converted).
    The op passes `operands()` (or for branches `_union`'s values) after its own inputs: the
    values the sub-graph closes over and the current values of the external state it reads.
    External state (variables) written in the body is in `builder.writes`; the op threads it
    through (`thread`, `carry`) and writes its extra outputs back (`_write_back`)."""

    def __init__(self, fn, name, in_tree=None, types=(), pack_single=False, spread=True):
        parent = current_builder()
        builder = GraphBuilder(name, parent=parent)
        if parent is None:  # eager: arrays a recording tape differentiates stay inputs of the op
            builder.lift = recorded_by_tape
        with builder:
            params = [SymbolicTensor(builder.param(t)) for t in types]
            args = jax.tree_util.tree_unflatten(in_tree, params) if in_tree is not None else ()
            out = fn(*args) if spread else fn(args)
            if pack_single and not isinstance(out, (list, tuple)):
                out = (out,)
            leaves, self.out_tree = _flatten(out)
            self.out_tree_raw = jax.tree_util.tree_structure(out, is_leaf=_is_leaf)
            self.out_leaves = [_tensor(x) for x in leaves]
            builder.graph.results = [builder.as_value(t._value) for t in self.out_leaves]
        self.outputs = out
        self.builder = builder
        self.graph = builder.graph
        self.own = self.graph.params[:len(types)]  # and, after `carry`, carried state
        self.out_types = [v.type for v in builder.graph.results]

    def _inputs(self):
        """(key, outer value, parameter) for each outer value the sub-graph takes: closures, keyed
        by the value, and external state read, keyed by the source."""
        b = self.builder
        closures = [(outer, outer, param) for outer, param in b.closures]
        if b.parent is None:  # eager: captured state passes its current value (a read tapes see)
            return [(source, source.read_value()._value, param) for source, param in b.captures] + closures
        return closures + b.entries

    def operands(self) -> list:
        """The outer values the op passes after the sub-graph's own parameters (in the order of
        its parameters)."""
        inputs = self._inputs()
        self.graph.params = self.own + [param for _, _, param in inputs]
        return [value for _, value, _ in inputs]

    def align(self, keys: list) -> None:
        """Make the sub-graph take `keys` (outer values or state sources, in order) after its own
        parameters; keys it does not use become unused parameters."""
        mine = {id(k): p for k, _, p in self._inputs()}
        extra = [mine.get(id(k)) or Value(_type_of(k), getattr(k, "name", None), None, self.graph)
                 for k in keys]
        self.graph.params = self.own + extra

    def _entry(self, source) -> Value:
        """The parameter for `source`'s value where the sub-graph starts."""
        return self.builder.entry(source, _type_of(source), getattr(source, "_name", None))

    def thread(self, sources) -> list[TensorType]:
        """Return the value of each of `sources` at the end of the body as extra results (its
        value where the body starts when the body does not write it); returns their types."""
        writes = self.builder.writes
        values = [writes[id(s)][1] if id(s) in writes else self._entry(s) for s in sources]
        self.graph.results = self.graph.results + values
        return [v.type for v in values]

    def carry(self, sources) -> list:
        """Make the parameters for `sources`' values where the body starts its own parameters
        (after the others), which the op feeds (a loop carries them); returns their initial
        values (outer values)."""
        params = [self._entry(s) for s in sources]
        b, keys = self.builder, {id(s) for s in sources}
        if b.parent is None:
            init = [s._array for s in sources]
            b.captures = [c for c in b.captures if id(c[0]) not in keys]
        else:
            outer = {id(s): value for s, value, _ in b.entries}
            init = [outer[id(s)] for s in sources]
            b.entries = [e for e in b.entries if id(e[0]) not in keys]
        self.own = self.own + params
        return init


def _type_of(x) -> TensorType:
    """The type of an outer value: a graph value, an array, or a state source's current value."""
    if isinstance(x, Value):
        return x.type
    x = getattr(x, "_array", x)
    return TensorType(x.shape, x.dtype)


def _union(bodies):
    keys, values, seen = [], [], set()
    for b in bodies:
        for k, v, _ in b._inputs():
            if id(k) not in seen:
                seen.add(id(k))
                keys.append(k)
                values.append(v)
    for b in bodies:
        b.align(keys)
    return values


# --- external state (variables) assigned in a body ---------------------------------------------
# A body's writes are recorded by its builder; the op threads each written variable through:
# branches return its new value (or, when they do not write it, its value where they start), a
# loop carries it (its initial value: the current one), and after the op the extra outputs are
# written to the variables, into the enclosing graph or (eagerly) into the variables.

def _written(bodies) -> list:
    """The state sources written in any of `bodies`, in order."""
    sources, seen = [], set()
    for body in bodies:
        for source, _ in body.builder.writes.values():
            if id(source) not in seen:
                seen.add(id(source))
                sources.append(source)
    return sources


def _state_name(source) -> str:
    name = getattr(source, "name", None)
    return f"variable '{name}'" if name else "the state of a random op"


def _check_state(tf_name, sources, before, after, message):
    """`before` and `after` (TensorTypes of `sources`) must agree; `message`: what differs, with
    {name}, {kind} and {a}, {b} (the two dtypes or shapes)."""
    for source, a, b in zip(sources, before, after):
        for kind, x, y, error in (("dtype", a.dtype.name, b.dtype.name, TypeError),
                                  ("shape", list(a.shape), list(b.shape), ValueError)):
            if x != y:
                raise error(f"{tf_name}: " + message.format(name=_state_name(source), kind=kind,
                                                            a=x, b=y) +
                            f"; a variable assigned in a control-flow body must keep its {kind}")


def _thread_branches(tf_name, bodies) -> list:
    """Each branch returns the new values of the state written in any branch after its own
    results; returns the sources."""
    sources = _written(bodies)
    types = [body.thread(sources) for body in bodies]
    for t in types[1:]:
        _check_state(tf_name, sources, types[0], t,
                     "the branches leave {name} with different {kind}s ({a} and {b})")
    return sources


def _carry(tf_name, body, *readers) -> tuple[list, list]:
    """The state written in the loop `body` becomes loop-carried: after the body's own parameters
    and results, and after the own parameters of `readers` (sub-graphs run with the same carried
    values that must not write, e.g. a while_loop's cond). Returns (sources, initial values)."""
    for reader in readers:
        if reader.builder.writes:
            raise NotImplementedError(
                f"{tf_name}: assigning to {_state_name(_written([reader])[0])} in its "
                f"{reader.graph.name} function is not supported")
    sources = _written([body])
    init = body.carry(sources)
    for reader in readers:
        reader.carry(sources)
    _check_state(tf_name, sources, [_type_of(v) for v in init], body.thread(sources),
                 "{name} enters the loop with {kind} {a} but has {kind} {b} after one iteration")
    return sources, init


def _write_back(sources, values) -> None:
    """After the op: its extra outputs `values` (tensors) are the new values of `sources`."""
    builder = current_builder()
    for source, value in zip(sources, values):
        if builder is not None:
            builder.write(source, value._value)
        else:
            source._array = value._value
            source._exposed = True


def _bind(tf_name, op, *args, **attrs):
    try:
        out = bind(op, *args, **attrs)
    except OpInputError as err:
        raise op_error(tf_name, err) from None
    return list(wrap(out))


def _pack(tree, leaves):
    return jax.tree_util.tree_unflatten(tree, leaves)


# --- cond, case, switch_case ------------------------------------------------------------------

def _predicate(pred, what="pred"):
    if isinstance(pred, (bool, np.bool_)):
        return pred
    pred = _tensor(pred)
    if pred.shape.rank not in (None, 0):
        raise ValueError(f"{what} must be a scalar, got a tensor of shape {pred.shape}: {pred!r}")
    return pred


def _check_branches(tf_name, bodies, names):
    first = bodies[0]
    for body, name in zip(bodies[1:], names[1:]):
        if body.out_tree != first.out_tree:
            raise ValueError(
                f"{names[0]} and {name} arguments to {tf_name} must have the same number, type, and "
                f"overall structure of return values.\n\n{names[0]} output: {first.outputs}\n"
                f"{name} output: {body.outputs}")
        for a, b in zip(first.out_leaves, body.out_leaves):
            if a.dtype is not b.dtype:
                raise TypeError(
                    f"{names[0]} and {name} arguments to {tf_name} must have the same number, type, "
                    f"and overall structure of return values.\n\n{names[0]} output: "
                    f"{_describe(first.out_leaves)}\n{name} output: {_describe(body.out_leaves)}")
            if a.shape != b.shape:
                raise ValueError(
                    f"{tf_name}: the branches return tensors of different shapes ({a.shape} and "
                    f"{b.shape}); branches of different shapes are not supported")


def cond(pred, true_fn=None, false_fn=None, name=None):
    """tf.cond: `true_fn()` if `pred` else `false_fn()`."""
    if not callable(true_fn):
        raise TypeError("'true_fn' must be callable.")
    if not callable(false_fn):
        raise TypeError("'false_fn' must be callable.")
    pred = _predicate(pred)
    if not isinstance(pred, SymbolicTensor):  # a known predicate: run one branch (TF eager)
        return true_fn() if bool(pred) else false_fn()
    bodies = [_Body(true_fn, "cond_true"), _Body(false_fn, "cond_false")]
    _check_branches("tf.cond", bodies, ["true_fn", "false_fn"])
    return _branch_op("tf.cond", bodies, "cond", pred, true=bodies[0].graph, false=bodies[1].graph)


def _branch_op(tf_name, bodies, op, selector, **attrs):
    """Run the branch op `op` on the traced `bodies` (checked); the state written in any branch
    is threaded through all of them and written back after the op."""
    sources = _thread_branches(tf_name, bodies)
    extra = _union(bodies)
    outs = _bind(tf_name[3:], op, selector._value, *extra, **attrs)
    n = len(outs) - len(sources)
    _write_back(sources, outs[n:])
    return _pack(bodies[0].out_tree_raw, outs[:n])


def _branch_list(tf_name, branch_fns):
    if isinstance(branch_fns, dict):
        keys = sorted(branch_fns)
        if keys != list(range(len(keys))):
            found = ",".join(str(k) for k in keys)
            raise ValueError(f"branch indices (keys) must form contiguous range of [0 to "
                             f"{len(keys)}) but found {{{found}}}")
        branch_fns = [branch_fns[k] for k in keys]
    branch_fns = [fn for _, fn in branch_fns] if branch_fns and isinstance(branch_fns[0], tuple) \
        else list(branch_fns)
    if not branch_fns:
        raise ValueError(f"{tf_name}: 'branch_fns' must not be empty")
    for fn in branch_fns:
        if not callable(fn):
            raise TypeError(f"{tf_name}: fn {fn!r} is not callable")
    return branch_fns


def switch_case(branch_index, branch_fns, default=None, name="switch_case"):
    """tf.switch_case: `branch_fns[branch_index]()`; out of range runs `default` (or the last)."""
    fns = _branch_list("tf.switch_case", branch_fns)
    index = _tensor(branch_index)
    if not index.dtype.is_integer:
        raise TypeError(f"'branch_index' must be an integer Tensor, got {index.dtype!r}")
    if index.shape.rank not in (None, 0):
        raise ValueError(f"'branch_index' must be a scalar, got shape {index.shape}")
    if default is not None:
        fns = fns + [default]
    if isinstance(index, EagerTensor):
        i = int(index)
        return fns[i]() if 0 <= i < len(fns) else fns[-1]()
    bodies = [_Body(fn, f"switch_case_branch{k}") for k, fn in enumerate(fns)]
    _check_branches("tf.switch_case", bodies, [f"branch {k}" for k in range(len(bodies))])
    return _branch_op("tf.switch_case", bodies, "switch_case", index,
                      branches=tuple(b.graph for b in bodies))


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """tf.case: the fn of the first pair whose predicate is true, else `default`.

    Inside a traced function `exclusive` is not checked, and without a default the last pair's
    fn runs when no predicate is true (TF raises InvalidArgumentError at run time)."""
    if isinstance(pred_fn_pairs, dict):
        pred_fn_pairs = list(pred_fn_pairs.items())
    pairs = [(_predicate(p, "pred"), fn) for p, fn in pred_fn_pairs]
    for p, fn in pairs:
        if not callable(fn):
            raise TypeError("fn for pred %s must be callable." % (p,))
    if default is not None and not callable(default):
        raise TypeError("default must be callable.")
    if not pairs:
        return default()
    if not any(isinstance(p, SymbolicTensor) for p, _ in pairs):
        values = [bool(p) for p, _ in pairs]
        if exclusive and sum(values) > 1:
            raise invalid_argument("Input error: exclusive=True: more than 1 conditions evaluated "
                                   f"as True: {values}")
        for v, (_, fn) in zip(values, pairs):
            if v:
                return fn()
        if default is None:
            raise invalid_argument(f"Input error: None of conditions evaluated as True: {values}")
        return default()
    from tfx_lite.ops.array_ops import where
    fns = [fn for _, fn in pairs] + ([default] if default is not None else [])
    index = _tensor(np.int32(len(fns) - 1))
    for k in reversed(range(len(pairs))):
        index = where(_tensor(pairs[k][0]), _tensor(np.int32(k)), index)
    return switch_case(index, fns)


# --- while_loop ------------------------------------------------------------------------------

def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10, back_prop=True,
               swap_memory=False, maximum_iterations=None, name=None):
    """tf.while_loop: `while cond(*loop_vars): loop_vars = body(*loop_vars)`."""
    if not callable(cond):
        raise TypeError("'cond' must be callable.")
    if not callable(body):
        raise TypeError("'body' must be callable.")
    if parallel_iterations < 1:
        raise TypeError("'parallel_iterations' must be a positive integer.")
    if loop_vars is None or (isinstance(loop_vars, (list, tuple)) and not loop_vars):
        raise ValueError("'loop_vars' must be provided.")
    as_tuple = isinstance(loop_vars, (list, tuple))
    call_args = loop_vars if as_tuple else (loop_vars,)
    if current_builder() is not None:
        call_args = _completed_by_first_iteration(body, call_args, maximum_iterations)
    leaves, tree = _flatten(call_args)
    leaves = [_tensor(x) for x in leaves]
    if current_builder() is None:  # eager: a Python loop
        return _eager_while(cond, body, call_args, tree, leaves, maximum_iterations, as_tuple)
    types = [_type_of_leaf(v) for v in leaves]
    cond_body = _Body(cond, "while_cond", tree, types)
    if len(cond_body.out_leaves) != 1:
        raise TypeError(f"tf.while_loop: 'cond' must return one boolean scalar, got {cond_body.outputs}")
    if cond_body.out_leaves[0].shape.rank != 0:
        raise ValueError(f"tf.while_loop: 'cond' must return a scalar, got shape "
                         f"{cond_body.out_leaves[0].shape}")
    loop_body = _Body(body, "while_body", tree, types, pack_single=True)
    _check_loop_outputs(tree, leaves, loop_body.out_tree, loop_body.outputs, loop_body.out_leaves,
                        shape_invariants)
    sources, state = _carry("tf.while_loop", loop_body, cond_body)
    cond_extra = cond_body.operands()
    attrs = {"cond": cond_body.graph, "body": loop_body.graph,
             "num_vars": len(leaves) + len(sources), "num_cond_extra": len(cond_extra)}
    inputs = [t._value for t in leaves] + state + cond_extra + loop_body.operands()
    if maximum_iterations is not None:
        limit = _tensor(maximum_iterations)
        if not limit.dtype.is_integer or limit.shape.rank != 0:
            raise ValueError(f"maximum_iterations must be an integer scalar, got {limit!r}")
        inputs.append(limit._value)
        attrs["bounded"] = True
    outs = _bind("while_loop", "while_loop", *inputs, **attrs)
    _write_back(sources, outs[len(leaves):])
    result = _pack(tree, outs[:len(leaves)])
    return _restore(result, loop_vars, as_tuple)


def _incomplete(x) -> bool:
    return getattr(x, "_loop_var_needs_first_iteration", None) is not None and \
        x._loop_var_needs_first_iteration()


def _completed_by_first_iteration(body, call_args, maximum_iterations):
    """Loop values some of which are only known after one iteration (an AutoGraph variable first
    assigned in the body, a TensorArray whose element shape or size its writes decide) get them
    from an iteration traced on the side and thrown away, as TF's AutoGraph does. Such a value
    implements `_loop_var_needs_first_iteration()`, `_loop_var_from_first_iteration(value after
    one iteration, elements written per array lineage, trip count or None)` and, optionally,
    `_loop_var_first_iteration_failed(error)`."""
    leaves, tree = jax.tree_util.tree_flatten(_norm(call_args), is_leaf=lambda x: _is_leaf(x) or _incomplete(x))
    if not any(_incomplete(x) for x in leaves):
        return call_args
    from tfx_lite.tensor_array import recording_writes
    builder = GraphBuilder("while_first_iteration", parent=current_builder())
    try:
        with builder, recording_writes() as writes:
            params = [SymbolicTensor(builder.param(_type_of_leaf(x))) if not _incomplete(x) else x
                      for x in map(_maybe_tensor, leaves)]
            out = body(*jax.tree_util.tree_unflatten(tree, params))
    except (UnboundLocalError, TypeError, ValueError, KeyError) as error:
        for x in leaves:
            if _incomplete(x) and hasattr(x, "_loop_var_first_iteration_failed"):
                x._loop_var_first_iteration_failed(error)
        raise
    out = out if isinstance(out, (list, tuple)) else (out,)
    try:  # the values after one iteration, at the places of the initial ones (structures there)
        out_leaves = tree.flatten_up_to(_norm(out))
    except (ValueError, TypeError):  # the loop's own check reports it
        return call_args
    trip_count = None
    if maximum_iterations is not None:
        limit = known_array(_tensor(maximum_iterations))
        trip_count = None if limit is None else int(limit)
    completed = [x._loop_var_from_first_iteration(o, writes, trip_count) if _incomplete(x) else x
                 for x, o in zip(leaves, out_leaves)]
    return _restore(jax.tree_util.tree_unflatten(tree, completed), call_args, True)


def _maybe_tensor(x):
    return x if _incomplete(x) or isinstance(x, Tensor) else _tensor(x)


def _type_of_leaf(t) -> TensorType:
    return t._value.type if isinstance(t, SymbolicTensor) else TensorType(t._value.shape, t._value.dtype)


def _restore(result, loop_vars, as_tuple):
    if not as_tuple:
        return result[0]
    return list(result) if isinstance(loop_vars, list) else tuple(result)


def _check_loop_outputs(tree, leaves, out_tree, outputs, out_leaves, shape_invariants):
    if out_tree != tree:
        raise ValueError(
            "The two structures don't have the same nested structure.\n\nFirst structure: "
            f"{jax.tree_util.tree_unflatten(tree, leaves)}\n\nSecond structure: {outputs}")
    invariants = _flatten(shape_invariants)[0] if shape_invariants is not None else [None] * len(leaves)
    for v, out, inv in zip(leaves, out_leaves, invariants):
        label = v.name if isinstance(v, SymbolicTensor) else "loop_var"
        if v.dtype is not out.dtype:
            raise TypeError(f"Loop var {label} enters the loop with type {v.dtype!r} but has type "
                            f"{out.dtype!r} after 1 iteration. {label} type should remain constant.")
        if v.shape != out.shape:
            if inv is not None:
                raise NotImplementedError("tf.while_loop: loop variables whose shape changes across "
                                          "iterations (relaxed shape_invariants) are not supported")
            raise ValueError(f"Input tensor `{label}` enters the loop with shape {v.shape}, but has "
                             f"shape {out.shape} after one iteration. To allow the shape to vary "
                             "across iterations, use the `shape_invariants` argument of "
                             "tf.while_loop to specify a less-specific shape.")


def _eager_while(cond, body, call_args, tree, leaves, maximum_iterations, as_tuple):
    current = _pack(tree, leaves)
    limit = None if maximum_iterations is None else int(_tensor(maximum_iterations))
    count = 0
    while (limit is None or count < limit) and bool(_predicate(cond(*current), "cond's result")):
        out = body(*current)
        if not isinstance(out, (list, tuple)):
            out = (out,)
        out_leaves, out_tree = _flatten(out)
        if out_tree != tree:
            raise ValueError(
                "The two structures don't have the same nested structure.\n\nFirst structure: "
                f"{current}\n\nSecond structure: {out}")
        current = _pack(tree, [_tensor(x) for x in out_leaves])
        count += 1
    return _restore(current, call_args, as_tuple)


# --- map_fn, scan, foldl, foldr, vectorized_map -----------------------------------------------

def _elems(tf_name, elems):
    leaves, tree = _flatten(elems)
    if not leaves:
        raise ValueError(f"{tf_name}: elems must be a Tensor or (possibly nested) sequence of Tensors.")
    leaves = [_tensor(x) for x in leaves]
    n = None
    for t in leaves:
        if t.shape.rank == 0:
            raise ValueError(f"{tf_name}: elements in elems must be 1+ dimensional Tensors, not "
                             f"scalars: {t!r}")
        if n is not None and t.shape[0] != n:
            raise ValueError(f"{tf_name}: all elems must have the same size along axis 0, got "
                             f"{_describe(leaves)}")
        n = t.shape[0]
    return leaves, tree


def _slice_types(leaves):
    return [TensorType(tuple(t.shape.as_list()[1:]), np.dtype(t.dtype.as_numpy_dtype)) for t in leaves]


@add_dispatch_support
def map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True, swap_memory=False,
           infer_shape=True, name=None, fn_output_signature=None):
    """tf.map_fn: `fn` on each element (slice along axis 0) of `elems`, results stacked."""
    if not callable(fn):
        raise TypeError(f"fn must be callable, got {fn!r}")
    signature = fn_output_signature if fn_output_signature is not None else dtype
    leaves, tree = _elems("tf.map_fn", elems)
    body = _Body(fn, "map_fn_body", tree, _slice_types(leaves), spread=False)
    if signature is None:
        expected_tree, expected = tree, [t.dtype for t in leaves]
    else:
        sig_leaves, expected_tree = jax.tree_util.tree_flatten(
            signature, is_leaf=lambda x: isinstance(x, dtypes.DType) or hasattr(x, "dtype"))
        expected = [dtypes.as_dtype(getattr(s, "dtype", s)) for s in sig_leaves]
    if body.out_tree != expected_tree:
        raise ValueError(
            "The two structures don't have the same nested structure.\n\nFirst structure: "
            f"{jax.tree_util.tree_unflatten(expected_tree, expected)}\n\nSecond structure: "
            f"{body.outputs}\n\n(fn's output must match fn_output_signature, which defaults to "
            "the structure of elems)")
    for want, got in zip(expected, body.out_leaves):
        if want is not got.dtype:
            raise invalid_argument(f"TensorArray dtype is {want.name} but Op is trying to write "
                                   f"dtype {got.dtype.name}")
    sources, state = _carry("tf.map_fn", body)
    attrs = {"num_state": len(sources)} if sources else {}
    outs = _bind("map_fn", "map", *[t._value for t in leaves], *state, *body.operands(),
                 fn=body.graph, num_elems=len(leaves), **attrs)
    n = len(outs) - len(sources)
    _write_back(sources, outs[n:])
    return _pack(body.out_tree_raw, outs[:n])


def _scan(tf_name, fn, elems, initializer, reverse, final):
    if not callable(fn):
        raise TypeError(f"{tf_name}: fn must be callable, got {fn!r}")
    leaves, tree = _elems(tf_name, elems)
    slice_types = _slice_types(leaves)
    if initializer is None:
        init_tree, init_types, init_leaves = tree, slice_types, None
        if leaves[0].shape[0] == 0:
            raise ValueError(f"{tf_name}: elems must not be empty when no initializer is given")
    else:
        init_leaves, init_tree = _flatten(initializer)
        init_leaves = [_tensor(x) for x in init_leaves]
        init_types = [TensorType(tuple(t.shape.as_list()), np.dtype(t.dtype.as_numpy_dtype))
                      for t in init_leaves]
    n_carry = len(init_types)

    def flat_fn(*flat):
        acc = jax.tree_util.tree_unflatten(init_tree, list(flat[:n_carry]))
        x = jax.tree_util.tree_unflatten(tree, list(flat[n_carry:]))
        return fn(acc, x)

    body = _Body(flat_fn, f"{tf_name[3:]}_body", jax.tree_util.tree_structure(tuple(range(n_carry + len(leaves)))),
                 list(init_types) + slice_types)
    if body.out_tree != init_tree:
        raise ValueError(
            "The two structures don't have the same nested structure.\n\nFirst structure: "
            f"{jax.tree_util.tree_unflatten(init_tree, [str(t) for t in init_types])}\n\n"
            f"Second structure: {body.outputs}")
    for want, got in zip(init_types, body.out_types):
        if want != got:
            raise TypeError(f"{tf_name}: fn's output {got} does not match the accumulator's type "
                            f"{want}; it must keep its dtype and shape")
    sources, state = _carry(tf_name, body)
    attrs = {"num_state": len(sources)} if sources else {}
    inputs = ([] if init_leaves is None else [t._value for t in init_leaves]) + [t._value for t in leaves]
    outs = _bind(tf_name, "scan", *inputs, *state, *body.operands(), fn=body.graph,
                 num_carry=n_carry, num_elems=len(leaves), reverse=bool(reverse), final=final,
                 init_from_elems=init_leaves is None, **attrs)
    _write_back(sources, outs[n_carry:])
    return _pack(init_tree, outs[:n_carry])


def scan(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False,
         infer_shape=True, reverse=False, name=None):
    """tf.scan: the accumulators `fn(acc, x)` for each element of `elems`, stacked."""
    return _scan("tf.scan", fn, elems, initializer, reverse, final=False)


def foldl(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False,
          name=None):
    """tf.foldl: the accumulator after `fn(acc, x)` over `elems` from first to last."""
    return _scan("tf.foldl", fn, elems, initializer, False, final=True)


def foldr(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False,
          name=None):
    """tf.foldr: the accumulator after `fn(acc, x)` over `elems` from last to first."""
    return _scan("tf.foldr", fn, elems, initializer, True, final=True)


def vectorized_map(fn, elems, fallback_to_while_loop=True, warn=True):
    """tf.vectorized_map: `fn` vectorized (jax.vmap) over axis 0 of `elems`."""
    if not callable(fn):
        raise TypeError(f"fn must be callable, got {fn!r}")
    leaves, tree = _elems("tf.vectorized_map", elems)
    body = _Body(fn, "vectorized_map_body", tree, _slice_types(leaves), spread=False)
    if body.builder.writes:
        written = _state_name(_written([body])[0])
        raise NotImplementedError(f"tf.vectorized_map: assigning to {written} in fn is not "
                                  "supported; use tf.map_fn")
    outs = _bind("vectorized_map", "vectorized_map", *[t._value for t in leaves],
                 *body.operands(), fn=body.graph, num_elems=len(leaves))
    return _pack(body.out_tree_raw, outs)
