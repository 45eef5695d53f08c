"""Lowering: a Graph becomes a JAX function (an `eval_jaxpr`-style interpreter), then one
`jax.jit` executable, cached by the graph's structure.

    fn = to_jax_function(graph)          # (*arrays) -> tuple of arrays; traceable, differentiable
    compiled = compile_graph(graph)      # jax.jit(fn), shared by every equal graph
    outs = compiled(x, y, b)             # a tuple, one array per graph result
    hlo_text(graph, optimized=True)      # XLA's text for the graph's parameter types

Each node runs `REGISTRY[node.op].impl(*inputs, **node.impl_attrs())`. Annotations (attrs
starting with `_`) never reach the implementation; `_nograd=True` (or `_stop_gradient=True`)
wraps the node's outputs in `jax.lax.stop_gradient` (the `stop_gradient` op does so itself). An attribute
holding a Graph (a branch or loop body) reaches the implementation as its lowered function.

A graph is treated as frozen once it is lowered: its plan and its fingerprint are computed
once, so edit a copy (passes return new graphs) rather than the lowered graph.
"""
from __future__ import annotations

import functools
import hashlib
import weakref
from typing import Callable

import jax
import jax.numpy as jnp
import numpy as np

from compiler.errors import VALUE_DEPENDENT, OpInputError, rejection
from compiler.fold import resolve_operands
from compiler.ir import Graph, Operand, graphs_in, operand_attrs
from compiler.ops.registry import get_op

__all__ = ["to_jax_function", "compile_graph", "CompiledGraph", "hlo_text", "graph_fingerprint", "lower_attr"]

# Node annotations that cut the gradient through the node's outputs.
NOGRAD_ANNOTATIONS = ("_nograd", "_stop_gradient")


# --- the interpreter ------------------------------------------------------------------------

_FUNCTIONS: "weakref.WeakKeyDictionary[Graph, Callable]" = weakref.WeakKeyDictionary()


def to_jax_function(graph: Graph) -> Callable[..., tuple]:
    """A pure JAX function of the graph's parameters returning the tuple of its results (made
    once per graph object: a lowered graph is frozen)."""
    fn = _FUNCTIONS.get(graph)
    if fn is None:
        fn = _FUNCTIONS[graph] = _interpreter(graph)
    return fn


def _interpreter(graph: Graph) -> Callable[..., tuple]:
    """The graph is read once here: values get slots in a list, constants are converted to
    arrays, attributes are bound. A call (or a trace under jax.jit) only runs the node loop.
    """
    num_params = len(graph.params)
    slots: dict[int, int] = {id(p): i for i, p in enumerate(graph.params)}
    template: list = [None] * num_params
    # (fn, input slots, first output slot or -1 for multi, output slots, stop, node, static)
    steps = []
    for index, node in enumerate(graph.nodes):
        try:
            ins = tuple(slots[id(v)] for v in node.inputs)
        except KeyError:
            raise ValueError(f"node {index} ({node.op}) of graph {graph.name!r} reads a value "
                             "that no earlier node or parameter defines") from None
        outs = tuple(range(len(template), len(template) + len(node.outputs)))
        for v, slot in zip(node.outputs, outs):
            slots[id(v)] = slot
        template.extend([None] * len(outs))
        if node.op == "const" and not node.inputs:
            template[outs[0]] = _constant(node.attrs["value"])
            continue
        stop = any(node.attrs.get(a) for a in NOGRAD_ANNOTATIONS)
        static = get_op(node.op).effect is None and not any(graphs_in(v) for v in node.attrs.values())
        steps.append((_node_function(node), ins, outs[0] if not node.multi_output else -1, outs, stop,
                      node, static))
    try:
        results = tuple(slots[id(v)] for v in graph.results)
    except KeyError:
        raise ValueError(f"a result of graph {graph.name!r} is not defined in it") from None
    steps = tuple(steps)
    stop_gradient = jax.lax.stop_gradient
    graph_name = graph.name

    def run(*args):
        if len(args) != num_params:
            raise TypeError(f"graph {graph_name!r} takes {num_params} arguments, got {len(args)}")
        env = template.copy()
        env[:num_params] = args
        for fn, ins, out, outs, stop, node, static in steps:
            args = [env[i] for i in ins]
            try:
                if static and any(type(a) is np.ndarray for a in args) and \
                        not any(isinstance(a, jax.core.Tracer) for a in args):
                    result = _static_shapes(fn, args)
                else:
                    result = fn(*args)
            except (TypeError, ValueError) as err:
                # Types with unknown dimensions are only checked here, on the call's shapes.
                raise rejection(get_op(node.op), [(np.shape(a), a.dtype) for a in args],
                                node.impl_attrs(), err, tracing=False) from None
            if out >= 0:
                env[out] = stop_gradient(result) if stop else result
            else:
                for slot, r in zip(outs, result):
                    env[slot] = stop_gradient(r) if stop else r
        return tuple([env[i] for i in results])

    run.__name__ = run.__qualname__ = _identifier(graph.name)
    return run


def _identifier(name: str) -> str:
    """A name JAX accepts as a module name (it shows up as `jit_<name>` in HLO)."""
    text = "".join(c if c.isalnum() or c == "_" else "_" for c in name)
    return text or "graph"


def _constant(value):
    array = np.asarray(value)
    if array.dtype == object:  # strings stay host arrays; only host ops can use them
        return array
    # A graph may first be lowered inside a trace (shape inference of a control-flow node): the
    # constant must still be a concrete array, not a value of that trace.
    with jax.ensure_compile_time_eval():
        return jnp.asarray(array)


def lower_attr(value):
    """Graph-valued attributes (also inside tuples and lists) become lowered functions."""
    if isinstance(value, Graph):
        return to_jax_function(value)
    if isinstance(value, (tuple, list)) and any(isinstance(v, (Graph, tuple, list)) for v in value):
        return type(value)(lower_attr(v) for v in value)
    return value


def _node_function(node):
    impl = get_op(node.op).impl
    attrs = {k: lower_attr(v) for k, v in node.attrs.items() if not k.startswith("_")}
    if operand_attrs(attrs):
        return functools.partial(_with_operands, impl, node.op, attrs)
    return functools.partial(impl, **attrs) if attrs else impl


def _with_operands(impl, op, attrs, *args):
    """Run `impl` with its Operand attributes read from the operands, which must be known now
    (computed from shapes, see `_static_shapes`)."""
    for name, operand in operand_attrs(attrs).items():
        if isinstance(args[operand.index], jax.core.Tracer):
            raise OpInputError(op, f"{op}: attribute `{name}` {VALUE_DEPENDENT}, not only on "
                                   "shapes; XLA needs it when compiling")
    resolved, own = resolve_operands(attrs, args)
    return impl(*own, **resolved)


def _static_shapes(fn, args):
    """Run a node over shape values (numpy arrays: the `shape`, `size` and `rank` ops return
    them, as shapes are static under jax.jit) at trace time, so its result is known when a later
    node needs it as an attribute (an Operand)."""
    with jax.ensure_compile_time_eval():
        out = fn(*args)
    return tuple(np.asarray(o) for o in out) if isinstance(out, (tuple, list)) else np.asarray(out)


# --- structural fingerprints ----------------------------------------------------------------

_FINGERPRINTS: "weakref.WeakKeyDictionary[Graph, tuple]" = weakref.WeakKeyDictionary()


class _Opaque:
    """An attribute value with no structural form (a Python callable, say): equal only to
    itself. Holding it keeps its id from being reused while a cache key refers to it."""

    __slots__ = ("obj",)

    def __init__(self, obj):
        self.obj = obj

    def __eq__(self, other):
        return isinstance(other, _Opaque) and other.obj is self.obj

    def __hash__(self):
        return id(self.obj)


def graph_fingerprint(graph: Graph) -> tuple:
    """A hashable key equal for graphs with the same ops, attributes (annotations included),
    wiring, parameter and result types and constant bytes; names do not count. Computed once
    per graph object."""
    key = _FINGERPRINTS.get(graph)
    if key is None:
        opaque: list = []
        text = _structure_text(graph, opaque)
        key = (hashlib.sha256(text.encode()).hexdigest(), tuple(opaque))
        _FINGERPRINTS[graph] = key
    return key


def _structure_text(graph: Graph, opaque: list) -> str:
    numbers: dict[int, int] = {}
    parts = []
    for p in graph.params:
        numbers[id(p)] = len(numbers)
        parts.append(f"param {p.type}")
    for node in graph.nodes:
        ins = ",".join(str(numbers.get(id(v), "?")) for v in node.inputs)
        for v in node.outputs:
            numbers[id(v)] = len(numbers)
        attrs = ",".join(f"{k}={_attr_text(v, opaque)}" for k, v in sorted(node.attrs.items()))
        types = ",".join(str(v.type) for v in node.outputs)
        parts.append(f"{node.op}({ins}){{{attrs}}}:{types}{'*' if node.multi_output else ''}")
    parts.append("return " + ",".join(str(numbers.get(id(v), "?")) for v in graph.results))
    return "\n".join(parts)


def _attr_text(value, opaque: list) -> str:
    if value is None or isinstance(value, (bool, int, float, complex, str, bytes)):
        return f"{type(value).__name__}:{value!r}"
    if isinstance(value, np.ndarray):
        data = repr(value.tolist()) if value.dtype == object else value.tobytes()
        digest = hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()
        return f"array({value.dtype.str},{value.shape},{digest})"
    if isinstance(value, np.generic):
        return f"{value.dtype.str}:{value.item()!r}"
    if isinstance(value, np.dtype):
        return f"dtype:{value.str}"
    if isinstance(value, (tuple, list)):
        inner = ",".join(_attr_text(v, opaque) for v in value)
        return f"{type(value).__name__}({inner})"
    if isinstance(value, dict):
        inner = ",".join(f"{k!r}:{_attr_text(v, opaque)}" for k, v in sorted(value.items()))
        return f"dict({inner})"
    if isinstance(value, Operand):
        return repr(value)
    if isinstance(value, Graph):
        sub = graph_fingerprint(value)
        opaque.extend(sub[1])
        return f"graph({sub[0]})"
    opaque.append(_Opaque(value))
    return f"opaque#{len(opaque) - 1}"


# --- compilation ----------------------------------------------------------------------------

class CompiledGraph:
    """A jitted lowered graph. Calling it returns the tuple of the graph's results.

    The call path is the jitted function itself: each instance gets its own subclass whose
    `__call__` is `staticmethod(jitted)`, so a call goes straight to JAX's C++ dispatch with
    no Python frame of ours in between (a plain method costs about 0.3 us more per call).
    """

    __slots__ = ("name", "num_params", "donate_argnums", "fingerprint", "fn", "jitted",
                 "__weakref__")

    def __new__(cls, graph: Graph, donate_argnums: tuple = (), fingerprint=None):
        fn = to_jax_function(graph)
        jitted = jax.jit(fn, donate_argnums=donate_argnums)
        direct = type(cls.__name__, (cls,), {"__slots__": (), "__call__": staticmethod(jitted),
                                             "__module__": cls.__module__})
        self = object.__new__(direct)
        self.name = graph.name
        self.num_params = len(graph.params)
        self.donate_argnums = donate_argnums
        self.fingerprint = fingerprint
        self.fn = fn
        self.jitted = jitted
        return self

    def __call__(self, *args):  # replaced per instance by the jitted function (see above)
        return self.jitted(*args)

    def lower(self, *args):
        """JAX's Lowered object: `.as_text()` is the HLO, `.compile().as_text()` XLA's
        optimized HLO. Arguments may be arrays or `jax.ShapeDtypeStruct`s."""
        return self.jitted.lower(*args)

    def __repr__(self):
        return f"<CompiledGraph @{self.name}: {self.num_params} params>"


_BY_GRAPH: "weakref.WeakKeyDictionary[Graph, dict]" = weakref.WeakKeyDictionary()
_BY_FINGERPRINT: dict = {}
# Equal graphs share executables up to this many entries (oldest dropped first).
CACHE_LIMIT = 1024


def compile_graph(graph: Graph, donate_argnums=()) -> CompiledGraph:
    """The jitted function of `graph`; the same graph object, or any structurally equal graph,
    gets the same CompiledGraph (so JAX traces and compiles it once per input signature).
    `donate_argnums` donates those argument buffers to the call (variable updates)."""
    donate = (donate_argnums,) if isinstance(donate_argnums, int) else tuple(donate_argnums)
    per_graph = _BY_GRAPH.get(graph)
    if per_graph is not None:
        compiled = per_graph.get(donate)
        if compiled is not None:
            return compiled
    else:
        per_graph = _BY_GRAPH[graph] = {}
    key = (graph_fingerprint(graph), donate)
    compiled = _BY_FINGERPRINT.get(key)
    if compiled is None:
        compiled = CompiledGraph(graph, donate, key[0])
        if len(_BY_FINGERPRINT) >= CACHE_LIMIT:
            del _BY_FINGERPRINT[next(iter(_BY_FINGERPRINT))]
        _BY_FINGERPRINT[key] = compiled
    per_graph[donate] = compiled
    return compiled


def hlo_text(graph: Graph, *example_args, optimized: bool = False) -> str:
    """The graph's HLO (StableHLO text from `jax.jit(...).lower`), or with `optimized=True`
    the HLO XLA produces after its passes. Without example arguments, the parameter types are
    used (they must be fully known)."""
    if not example_args:
        for p in graph.params:
            if any(d is None for d in p.type.shape):
                raise ValueError(f"parameter {p.name or '?'} has type {p.type} with unknown "
                                 "dimensions; XLA compiles for static shapes, so pass example "
                                 "arguments (tensors, for experimental_get_compiler_ir)")
        example_args = tuple(jax.ShapeDtypeStruct(p.type.shape, p.type.dtype) for p in graph.params)
    lowered = compile_graph(graph).lower(*example_args)
    return lowered.compile().as_text() if optimized else lowered.as_text()
