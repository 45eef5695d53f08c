"""tf.function: trace a Python function into our IR once per input signature, optimise the
graph (compiler/passes), lower it to one `jax.jit` executable, and call that.

The call path is the hot path: key, look up, gather captured variables, call, wrap.
A tf.function called while another is traced becomes a `call` node whose `fn` attribute is the
callee's own graph (traced once per signature, like any call).
"""
from __future__ import annotations

import functools
import inspect
import logging

import jax
import jax.numpy as jnp
import numpy as np

from compiler import GraphBuilder, OpInputError, TensorType, bind, current_builder
from compiler.lower import compile_graph, hlo_text
from compiler.ops.io import prints as _prints
from compiler.passes import run_pipeline
from compiler.printer import print_program
from tfx_lite.autograph.api import autograph_feature_names
from tfx_lite.autograph.calls import conversion_features, converted_target
from tfx_lite.autograph.errors import in_user_code
from tfx_lite.framework.composite import CompositeTensor, TypeSpec
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.op_call import invalid_argument
from tfx_lite.framework.tensor import EagerTensor, SymbolicTensor, Tensor
from tfx_lite.framework.tensor_spec import TensorSpec
from tfx_lite.gradient_tape import _RECORDING

_logger = logging.getLogger("tfx_lite")
_RUN_EAGERLY = [False]
RETRACE_WARNING_THRESHOLD = 5


def run_functions_eagerly(run_eagerly: bool) -> None:
    """tf.config.run_functions_eagerly: call the Python functions directly (for debugging)."""
    _RUN_EAGERLY[0] = bool(run_eagerly)


def functions_run_eagerly() -> bool:
    return _RUN_EAGERLY[0]


def _is_leaf(x):
    return isinstance(x, (Tensor, TensorSpec, CompositeTensor, TypeSpec)) or hasattr(x, "__tf_tensor__")


def _arrays(leaves) -> list:
    """The arrays a call passes for its input leaves: a tensor's, a composite's components'."""
    arrays = []
    for x in leaves:
        if isinstance(x, Tensor):
            arrays.append(x._value)
        elif isinstance(x, CompositeTensor):
            arrays.extend(c._value for c in x._to_components())
    return arrays


def _leaf_key(leaf):
    """How one input leaf enters the trace key: tensors and TensorSpecs as ("tensor", shape,
    dtype) (None for an unknown dimension), variables by identity (they are captured, not
    passed), other Python values by value."""
    if isinstance(leaf, Tensor):
        if leaf._value.dtype == object:
            raise TypeError(
                "tf.function cannot take string tensors as arguments in tfx_lite: strings live on the "
                "host and the traced function runs on XLA; pass numbers (e.g. ids from a lookup), or "
                "create string constants inside the function, where string ops run while tracing")
        return "tensor", leaf._value.shape, leaf._value.dtype
    if isinstance(leaf, CompositeTensor):
        return "composite", leaf._type_spec
    if isinstance(leaf, TypeSpec):
        return "composite", leaf
    if isinstance(leaf, TensorSpec):
        if leaf.shape.rank is None:
            raise NotImplementedError(
                f"{leaf!r} has an unknown rank; tfx_lite traces tensors of a known rank (give "
                "each dimension, None where its size may vary)")
        return "tensor", tuple(leaf.shape.as_list()), np.dtype(leaf.dtype.as_numpy_dtype)
    if hasattr(leaf, "__tf_tensor__"):
        return "variable", id(leaf)
    try:
        hash(leaf)
    except TypeError:
        return "object", id(leaf)
    return "python", type(leaf), leaf


# Per type: whether a value of it can enter `_fast_key` as itself (hashable, not a container,
# tensor or variable). Types hashed by identity qualify: such arguments are keyed by identity.
_FAST_KINDS: dict = {int: True, float: True, bool: True, str: True, type(None): True}


def _fast_kind(kind) -> bool:
    ok = _FAST_KINDS.get(kind)
    if ok is None:
        ok = _FAST_KINDS[kind] = kind.__hash__ is object.__hash__ and not hasattr(kind, "__tf_tensor__") \
            and not issubclass(kind, CompositeTensor)  # (a SparseTensor hashes by identity)
    return ok


def _fast_key(args, kwargs):
    """(a cheap trace key, the tensors' arrays) for a call whose inputs are eager tensors and
    hashable Python values (a model object, a learning rate), or None. The key is used only
    after a full lookup for the same key found the inputs to be their own leaves."""
    key, arrays = [], []
    if kwargs:
        names = tuple(sorted(kwargs)) if len(kwargs) > 1 else tuple(kwargs)
        key.append(names)
        args = (*args, *[kwargs[k] for k in names])
    for a in args:
        kind = type(a)
        if kind is EagerTensor:
            value = a._value
            aval = getattr(value, "aval", None)  # shape and dtype (and weak_type), cheaper than both
            if aval is None:  # a host (string) array
                return None
            key.append(aval)
            arrays.append(value)
        elif _FAST_KINDS.get(kind) or _fast_kind(kind):
            key.append((kind, a))
        else:
            return None
    return tuple(key), arrays


def _accepts(traced_key, key) -> bool:
    """Whether a trace made for `traced_key` (whose shapes may have unknown dimensions) runs
    inputs of `key`: the same structure and values, and every known dimension equal."""
    if traced_key[0] != key[0] or len(traced_key[1]) != len(key[1]):
        return False
    for t, k in zip(traced_key[1], key[1]):
        if t[0] == "tensor" and k[0] == "tensor":
            if t[2] != k[2] or len(t[1]) != len(k[1]) or \
                    any(a is not None and a != b for a, b in zip(t[1], k[1])):
                return False
        elif t[0] == "composite" and k[0] == "composite":
            if not t[1].is_compatible_with(k[1]):
                return False
        elif t != k:
            return False
    return True


def _relaxed(key, traced_keys):
    """TF's reduce_retracing: `key` with each tensor dimension that differs from a trace of the
    same structure (same values, ranks and dtypes) made unknown; None when no trace is alike."""
    shapes = None
    for traced in traced_keys:
        if traced[0] != key[0] or len(traced[1]) != len(key[1]):
            continue
        alike = all(t[0] == k[0] == "tensor" and t[2] == k[2] and len(t[1]) == len(k[1])
                    or t == k for t, k in zip(traced[1], key[1]))
        if not alike:
            continue
        shapes = shapes or [list(k[1]) if k[0] == "tensor" else None for k in key[1]]
        for dims, t in zip(shapes, traced[1]):
            if dims is not None:
                dims[:] = [a if a == b else None for a, b in zip(dims, t[1])]
    return shapes


class ConcreteFunction:
    """One trace of a Function: its graph, the optimised graph, and the compiled executable."""

    def __init__(self, name, graph, optimized, captures, updated, input_leaves, out_tree, out_leaves,
                 structured_outputs):
        """`captures`: the variables whose values follow the tensor inputs, in order; `updated`:
        the variables whose new values follow the function's own results."""
        self.name = name
        self.graph = graph
        self.optimized_graph = optimized
        self._captures = captures
        self._updated = updated
        self._num_results = len(graph.results) - len(updated)
        self._compiled = compile_graph(optimized)
        # A variable's old buffer dies with its update, so its parameter is donated (no copy);
        # when a tensor outside may still share that buffer (Variable._exposed), a copy of it is
        # donated instead, so one executable serves every call.
        first_capture = len(graph.params) - len(captures)
        donated = tuple(first_capture + i for i, c in enumerate(captures) if any(c is u for u in updated))
        self._donating = compile_graph(optimized, donate_argnums=donated) if donated else None
        self._input_leaves = input_leaves  # per input leaf: how many graph parameters it is
        self._out_tree = out_tree
        self._out_leaves = out_leaves  # per output leaf: int result index, or ("python", value)
        self._single = len(out_leaves) == 1 and isinstance(out_leaves[0], int) and out_tree.num_leaves == 1 \
            and jax.tree_util.treedef_is_leaf(out_tree)
        self.structured_outputs = structured_outputs
        self._returns_none = structured_outputs is None
        # tf.print writes synchronously in TF: a graph that prints waits for its text at each call.
        self._prints = _prints(optimized)

    @property
    def inputs(self):
        return [SymbolicTensor(p) for p in self.graph.params]

    @property
    def outputs(self):
        return [SymbolicTensor(v) for v in self.graph.results]

    def _call_arrays(self, arrays):
        if _RECORDING:
            return self._call_recorded(arrays)
        outs = self._run(arrays)
        if self._single:
            return EagerTensor(outs[0])
        if self._returns_none:
            return None
        return self._structured(outs, EagerTensor)

    def run_flat(self, arrays) -> tuple:
        """Run on the input arrays (never recorded by a tape); the result arrays, in order."""
        return tuple(self._run(arrays)[:self._num_results])

    def _run(self, arrays):
        run = self._donating
        if run is not None:
            for variable in self._updated:
                if variable._exposed:  # a tensor outside shares the buffer: donate a copy
                    variable._array = jnp.copy(variable._array)
                    variable._exposed = False
        else:
            run = self._compiled
        try:
            outs = run(*arrays, *[source._array for source in self._captures])
        except OpInputError as err:  # a shape only known at the call (unknown dimensions)
            raise invalid_argument(f"{err.message}\n\t [[{{{{node {err.op}}}}}]]",
                                   f"__inference_{self.name}") from None
        if self._updated:
            for variable, value in zip(self._updated, outs[self._num_results:]):
                placement = getattr(variable, "_placement", None)  # tf.distribute: stays replicated
                variable._array = value if placement is None else placement._place_variable(value)
                variable._exposed = False
        if self._prints:
            jax.effects_barrier()
        return outs

    def _call_recorded(self, arrays):
        """Called while a GradientTape records: one eager `call` op over the graph, which the tape
        keeps (and differentiates through); variable reads and writes go through the variables."""
        captured = [variable.read_value()._value for variable in self._captures]
        try:
            outs = bind("call", *arrays, *captured, fn=self.optimized_graph)
        except OpInputError as err:
            raise invalid_argument(err.message, f"__inference_{self.name}") from None
        if self._prints:
            jax.effects_barrier()
        for variable, value in zip(self._updated, outs[self._num_results:]):
            variable._store(EagerTensor(value), read_value=False)
        if self._single:
            return EagerTensor(outs[0])
        return self._structured(outs, EagerTensor)

    def _structured(self, outs, tensor_type):
        """The function's output structure around `outs` (results wrapped in `tensor_type`;
        composites rebuilt from their components)."""
        leaves = []
        for o in self._out_leaves:
            if isinstance(o, int):
                leaves.append(tensor_type(outs[o]))
            elif o[0] == "composite":
                leaves.append(o[1]._from_components([tensor_type(outs[i]) for i in o[2]]))
            else:
                leaves.append(o[1])
        return jax.tree_util.tree_unflatten(self._out_tree, leaves)

    def __call__(self, *args):
        """Call with the tensors of the traced signature, in order (flattened)."""
        leaves = jax.tree_util.tree_leaves(args, is_leaf=_is_leaf)
        tensors = []
        for x, count in zip(leaves, self._input_leaves):
            if isinstance(x, CompositeTensor):
                tensors.extend(x._to_components())
            elif count:
                tensors.append(convert_to_tensor(x))
        expected = [p.type for p in self.graph.params[:len(tensors)]]
        for t, want in zip(tensors, expected):
            shape = t._value.shape
            if t._value.dtype != want.dtype or len(shape) != len(want.shape) or \
                    any(w is not None and w != d for w, d in zip(want.shape, shape)):
                raise TypeError(f"{self.name}: expected a tensor of type {want}, got shape "
                                f"{t.shape} and dtype {t.dtype.name}")
        return self._call_arrays([t._value for t in tensors])

    def pretty_printed_signature(self) -> str:
        return print_program(self.graph).split("\n", 1)[0].rstrip(" {")

    def __repr__(self):
        return f"<ConcreteFunction {self.pretty_printed_signature()} at 0x{id(self):X}>"


class Function:
    """The callable tf.function returns."""

    def __init__(self, python_function, name=None, input_signature=None, reduce_retracing=False,
                 jit_compile=None, autograph=True, autograph_features=()):
        self._python_function = python_function
        self._autograph = autograph
        self._autograph_features = autograph_features
        self._name = name or getattr(python_function, "__name__", "function")
        self._input_signature = None if input_signature is None else list(input_signature)
        self._reduce_retracing = reduce_retracing
        self._jit_compile = jit_compile
        self._cache: dict = {}  # trace key -> ConcreteFunction
        self._relaxed_traces: list = []  # (key, ConcreteFunction) of traces with unknown dims
        self._fast: dict = {}
        self._traces = 0
        self._warned = False
        functools.update_wrapper(self, python_function, updated=())

    @property
    def python_function(self):
        return self._python_function

    @property
    def input_signature(self):
        return self._input_signature

    def experimental_get_tracing_count(self) -> int:
        return self._traces

    def __get__(self, instance, owner):
        if instance is None:
            return self
        bound = instance.__dict__.setdefault("_tfx_bound_functions", {})
        function = bound.get(id(self))
        if function is None:
            function = bound[id(self)] = Function(
                self._python_function.__get__(instance, owner), self._name, self._input_signature,
                self._reduce_retracing, self._jit_compile, self._autograph, self._autograph_features)
        return function

    def __call__(self, *args, **kwargs):
        if _RUN_EAGERLY[0]:
            return self._python_function(*args, **kwargs)
        builder = current_builder()
        if builder is not None:
            return self._call_node(builder, args, kwargs)
        fast = _fast_key(args, kwargs)  # fast path: flat inputs of a kind seen before
        if fast is not None:
            concrete = self._fast.get(fast[0])
            if concrete is not None:
                return concrete._call_arrays(fast[1])
        concrete, tensors = self._concrete_for(args, kwargs, fast)
        return concrete._call_arrays(tensors)

    def _canonical(self, args, kwargs):
        """Inputs as leaves, numpy arrays and signature-bound values made tensors."""
        if self._input_signature is not None:
            args = self._match_signature(args, kwargs)
            kwargs = {}
        leaves, treedef = jax.tree_util.tree_flatten((args, kwargs), is_leaf=_is_leaf)
        leaves = [convert_to_tensor(x) if type(x).__module__ == "numpy" and hasattr(x, "shape") else x
                  for x in leaves]
        return leaves, treedef

    def _match_signature(self, args, kwargs):
        if kwargs:
            names = list(inspect.signature(self._python_function).parameters)
            args = tuple(args) + tuple(kwargs[n] for n in names[len(args):] if n in kwargs)
        if len(args) != len(self._input_signature):
            raise TypeError(f"{self._name}: the input_signature has {len(self._input_signature)} "
                            f"inputs but the call passed {len(args)}")
        out = []
        for value, spec in zip(args, self._input_signature):
            if isinstance(spec, TypeSpec):
                value_spec = getattr(value, "_type_spec", None)
                if not isinstance(value, TypeSpec) and (value_spec is None or not spec.is_compatible_with(value_spec)):
                    raise TypeError(f"Binding inputs to tf.function `{self._name}` failed due to `Can not cast "
                                    f"{value_spec if value_spec is not None else type(value).__name__!r} to "
                                    f"{spec!r}`.")
                out.append(value)
                continue
            if isinstance(value, CompositeTensor):
                raise TypeError(f"Binding inputs to tf.function `{self._name}` failed due to `Can not cast "
                                f"{value._type_spec!r} to {spec!r}`.")
            tensor = value if isinstance(value, TensorSpec) else convert_to_tensor(value, dtype_hint=spec.dtype)
            if tensor.dtype != spec.dtype or not spec.shape.is_compatible_with(tensor.shape):
                raise TypeError(f"Binding inputs to tf.function `{self._name}` failed due to `Can not "
                                f"cast {TensorSpec(tensor.shape, tensor.dtype)!r} to {spec!r}`.")
            out.append(tensor)
        return tuple(out)

    def _traced_for(self, args, kwargs):
        """(the trace that runs these inputs, the inputs as leaves)."""
        leaves, treedef = self._canonical(args, kwargs)
        if self._input_signature is not None:  # one trace, for the signature's specs
            return self._lookup_or_trace(self._input_signature, treedef), leaves
        return self._lookup_or_trace(leaves, treedef), leaves

    def _concrete_for(self, args, kwargs, fast=None):
        concrete, leaves = self._traced_for(args, kwargs)
        if fast is not None:
            flat = (*args, *[kwargs[k] for k in sorted(kwargs)])
            if len(leaves) == len(flat) and all(a is b for a, b in zip(leaves, flat)):
                self._fast[fast[0]] = concrete  # the inputs were their own leaves
        return concrete, _arrays(leaves)

    def _call_node(self, builder, args, kwargs):
        """Called while another function is traced: a `call` node of the caller's graph, running
        this function's own (optimised) graph; its variables are the caller's captures, and its
        variable updates become the caller's."""
        concrete, leaves = self._traced_for(args, kwargs)
        inner = concrete.optimized_graph
        num_tensors = len(inner.params) - len(concrete._captures)
        captured = []
        for source, param in zip(concrete._captures, inner.params[num_tensors:]):
            value = builder.written(source)  # after an update in the caller, its new value
            captured.append(value if value is not None else builder.capture(source, param.type, param.name))
        outs = bind("call", *_arrays(leaves), *captured, fn=inner)
        for variable, value in zip(concrete._updated, outs[concrete._num_results:]):
            builder.write(variable, value)
        return concrete._structured(outs, SymbolicTensor)

    def _lookup_or_trace(self, leaves, treedef) -> ConcreteFunction:
        """The trace for these inputs: an exact one, else one with unknown dimensions that
        accepts them, else a new trace (relaxed first when reduce_retracing is on)."""
        key = (treedef, tuple(_leaf_key(x) for x in leaves))
        concrete = self._cache.get(key)
        if concrete is None:
            concrete = next((c for k, c in self._relaxed_traces if _accepts(k, key)), None)
            if concrete is None:
                traced_key = key
                shapes = _relaxed(key, self._cache) if self._reduce_retracing else None
                if shapes is not None:
                    leaves = [TensorSpec(dims, x.dtype) if dims is not None else x
                              for dims, x in zip(shapes, leaves)]
                    traced_key = (treedef, tuple(_leaf_key(x) for x in leaves))
                concrete = self._cache[traced_key] = self._trace(leaves, treedef)
                if any(k[0] == "tensor" and None in k[1] for k in traced_key[1]):
                    self._relaxed_traces.append((traced_key, concrete))
            self._cache[key] = concrete
        return concrete

    def _trace(self, leaves, treedef):
        self._traces += 1
        if self._traces > RETRACE_WARNING_THRESHOLD and not self._warned:
            self._warned = True
            _logger.warning(
                "%d calls to %s triggered tf.function retracing. Tracing is expensive and the excessive "
                "number of tracings could be due to (1) creating @tf.function repeatedly in a loop, "
                "(2) passing tensors with different shapes, (3) passing Python objects instead of "
                "tensors. For (2), @tf.function has reduce_retracing=True option that can avoid "
                "unnecessary retracing.", self._traces, self._python_function)
        names = _leaf_names(self._python_function, treedef, len(leaves))
        with GraphBuilder(self._name) as builder:
            symbolic, input_leaves = [], []
            for leaf, name in zip(leaves, names):
                if isinstance(leaf, (CompositeTensor, TypeSpec)):
                    spec = leaf._type_spec if isinstance(leaf, CompositeTensor) else leaf
                    components = [SymbolicTensor(builder.param(
                        TensorType(tuple(c.shape.as_list()), c.dtype.as_numpy_dtype), f"{name}_{i}" if i else name))
                        for i, c in enumerate(spec._component_specs)]
                    symbolic.append(spec._from_components(components))
                    input_leaves.append(len(components))
                elif isinstance(leaf, (Tensor, TensorSpec)):
                    shape = tuple(leaf._value.shape) if isinstance(leaf, Tensor) else tuple(leaf.shape)
                    dtype = leaf._value.dtype if isinstance(leaf, Tensor) else leaf.dtype.as_numpy_dtype
                    symbolic.append(SymbolicTensor(builder.param(TensorType(shape, dtype), name)))
                    input_leaves.append(1)
                else:
                    symbolic.append(leaf)
                    input_leaves.append(0)
            args, kwargs = jax.tree_util.tree_unflatten(treedef, symbolic)
            try:
                with conversion_features(self._autograph_features):
                    outputs = self._traced_callable()(*args, **kwargs)
            except Exception as err:
                shown = in_user_code(err) if self._autograph else None
                code = getattr(self._python_function, "__code__", None)
                where = f" ({code.co_filename}:{code.co_firstlineno})" if code else ""
                (shown or err).add_note(f"while tracing tf.function {self._name!r}{where}")
                if shown is not None:
                    raise shown from err
                raise
            out_leaves, out_tree = jax.tree_util.tree_flatten(outputs, is_leaf=_is_leaf)
            results, spec = [], []
            for leaf in out_leaves:
                if isinstance(leaf, CompositeTensor):
                    first = len(results)
                    results.extend(builder.as_value(convert_to_tensor(c)._value) for c in leaf._to_components())
                    spec.append(("composite", leaf._type_spec, tuple(range(first, len(results)))))
                elif isinstance(leaf, Tensor) or hasattr(leaf, "__tf_tensor__"):
                    tensor = convert_to_tensor(leaf)
                    if tensor.dtype.name == "string":
                        raise TypeError(
                            f"tf.function {self._name!r} returns a string tensor: tfx_lite's traced "
                            "functions run on XLA, and strings live on the host; return numbers "
                            "(lengths, ids, hashes) or build the strings outside the function")
                    spec.append(len(results))
                    results.append(builder.as_value(tensor._value))
                else:
                    spec.append(("python", leaf))
            if builder.created and self._traces > 1:
                raise ValueError(
                    f"tf.function {self._name!r} only supports singleton tf.Variables created on the "
                    "first call. Make sure the tf.Variable is only created once or created outside "
                    "tf.function.")
            updated = [source for source, _ in builder.writes.values()]
            builder.graph.results = results + [value for _, value in builder.writes.values()]
        graph = builder.graph
        captures = [source for source, _ in builder.captures]
        concrete = ConcreteFunction(self._name, graph, run_pipeline(graph), captures, updated, input_leaves,
                                    out_tree, spec, outputs)
        concrete.structured_input_signature = jax.tree_util.tree_unflatten(
            treedef, [_input_spec(leaf, name) for leaf, name in zip(leaves, names)])
        return concrete

    def _traced_callable(self):
        """What a trace runs: the function converted by AutoGraph, unless autograph=False or its
        source cannot be converted."""
        converted = converted_target(self._python_function) if self._autograph else None
        return self._python_function if converted is None else converted

    def get_concrete_function(self, *args, **kwargs) -> ConcreteFunction:
        """The trace for these arguments (tensors, TensorSpecs, whose None dimensions stay
        unknown in the graph, or Python values), made if needed."""
        if self._input_signature is not None:
            if args or kwargs:
                self._match_signature(args, kwargs)
            args, kwargs = tuple(self._input_signature), {}
        leaves, treedef = jax.tree_util.tree_flatten((args, kwargs), is_leaf=_is_leaf)
        return self._lookup_or_trace(leaves, treedef)

    def experimental_get_compiler_ir(self, *args, **kwargs):
        """A function of `stage`: 'raw' and 'optimized' (our IR), 'hlo' and 'optimized_hlo' (XLA's)."""
        concrete = self.get_concrete_function(*args, **kwargs)
        # XLA's forms are for the given tensors' shapes (a trace may have unknown dimensions).
        leaves = jax.tree_util.tree_leaves((args, kwargs), is_leaf=_is_leaf)
        examples = [jax.ShapeDtypeStruct(a.shape, a.dtype) for a in _arrays(leaves)]
        params = concrete.optimized_graph.params
        if len(examples) == len(params) - len(concrete._captures):
            examples += [jax.ShapeDtypeStruct(p.type.shape, p.type.dtype) for p in params[len(examples):]]
        else:
            examples = []

        def compiler_ir(stage="hlo", device_name=None, platform_name=None):
            if stage == "raw":
                return print_program(concrete.graph)
            if stage == "optimized":
                return print_program(concrete.optimized_graph)
            if stage in ("hlo", "optimized_hlo"):
                return hlo_text(concrete.optimized_graph, *examples, optimized=stage == "optimized_hlo")
            raise ValueError(f"Unknown stage {stage!r}: expected 'raw', 'optimized', 'hlo' or "
                             "'optimized_hlo'")

        return compiler_ir

    def __repr__(self):
        return f"<tfx_lite.function {self._name}>"


def _input_spec(leaf, name):
    """How one input leaf appears in a trace's `structured_input_signature`."""
    if isinstance(leaf, Tensor):
        return TensorSpec(leaf.shape, leaf.dtype, name)
    if isinstance(leaf, CompositeTensor):
        return leaf._type_spec
    return leaf


def _leaf_names(fn, treedef, count):
    """Parameter names for the flattened inputs: the argument's name, numbered when nested."""
    try:
        params = list(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        params = []
    args_tree, kwargs_tree = treedef.children()
    names = []
    for i, child in enumerate(args_tree.children()):
        base = params[i] if i < len(params) else f"arg{i}"
        n = child.num_leaves
        names += [base] if n == 1 else [f"{base}_{j}" for j in range(n)]
    for key, child in zip(kwargs_tree.node_data()[1] if kwargs_tree.node_data() else (), kwargs_tree.children()):
        n = child.num_leaves
        names += [str(key)] if n == 1 else [f"{key}_{j}" for j in range(n)]
    return names + [f"arg{i}" for i in range(len(names), count)]


def function(func=None, input_signature=None, autograph=True, jit_compile=None, reduce_retracing=False,
             experimental_implements=None, experimental_autograph_options=None,
             experimental_attributes=None, experimental_relax_shapes=None, experimental_compile=None,
             experimental_follow_type_hints=None, name=None):
    """tf.function, as a decorator (with or without arguments) or called on a function."""
    if input_signature is not None:
        input_signature = [s if isinstance(s, (TensorSpec, TypeSpec)) else TensorSpec(*s) for s in input_signature]

    def decorate(f):
        return Function(f, name, input_signature, reduce_retracing or bool(experimental_relax_shapes),
                        jit_compile if jit_compile is not None else experimental_compile, autograph,
                        autograph_feature_names(experimental_autograph_options))

    return decorate if func is None else decorate(func)


def dump_ir(f, *args, stage="optimized", **kwargs) -> str:
    """The IR of `f` (a tf.function or a plain function) traced for these arguments."""
    if not isinstance(f, Function):
        f = function(f)
    return f.experimental_get_compiler_ir(*args, **kwargs)(stage=stage)
