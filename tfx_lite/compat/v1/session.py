"""tf.compat.v1.Session: runs the part of a graph that its fetches need. Each distinct (fetches,
feeds) pair is pruned once (compiler/subgraph.py: the fed tensors become parameters, the
fetches results), lowered and compiled with `jax.jit`, and cached in the session."""
from __future__ import annotations

import contextlib

import numpy as np

from compiler.lower import compile_graph
from compiler.subgraph import MissingInput, ancestors, extract
from tfx_lite.compat.v1.graph import Graph, get_default_graph
from tfx_lite.compat.v1.variables import Operation, Variable
from tfx_lite.framework import dtypes, errors
from tfx_lite.framework.op_call import kernel_type_name
from tfx_lite.framework.tensor import EagerTensor, SymbolicTensor, Tensor

_DEFAULT_SESSIONS: list = []
_PLAN_LIMIT = 256  # plans kept per session (see Session.run), oldest dropped first


class Session:
    def __init__(self, target="", graph=None, config=None):
        self.graph: Graph = graph if graph is not None else get_default_graph()
        self._closed = False
        self._compiled: dict = {}
        self._state: dict = {}  # variable -> its value in this session
        self._captured: dict = {}  # id(graph parameter) -> the variable it stands for
        self._plans: dict = {}  # see `run`

    # --- running ----------------------------------------------------------------------------
    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        leaves, rebuild = _flatten(fetches)
        feeds = self._feeds(feed_dict or {})
        user_fed = tuple(feeds)
        # a call like the last ones (same fetches, same fed tensors, same initialized variables)
        # reuses their plan: what to compute, what to feed, and the compiled pruned graph
        key = (tuple(map(id, leaves)), user_fed, len(self._state))
        plan = self._plans.get(key)
        if plan is None:
            if len(self._plans) >= _PLAN_LIMIT:
                del self._plans[next(iter(self._plans))]
            # the plan holds the leaves, so their ids in its key stay theirs
            plan = self._plans[key] = (leaves, *self._plan(leaves, set(user_fed)))
        _, tensors, computed, updates, fed, compiled = plan
        state = self._state
        for v in fed:
            if id(v) not in feeds:  # a variable: its value in this session
                feeds[id(v)] = state[self._captured[id(v)]]
        outs = list(compiled(*[feeds[id(v)] for v in fed])) if compiled is not None else []
        results, position = [], 0
        for t, c in zip(tensors, computed):
            if t is None:  # an Operation
                results.append(None)
            elif c:
                results.append(_numpy(outs[position]))
                position += 1
            elif not isinstance(t, SymbolicTensor):
                results.append(_numpy(t._value))
            elif id(t._value) in user_fed:  # a fetched tensor that was fed comes back as fed (TF)
                results.append(feeds[id(t._value)])
            elif id(t._value) in feeds:  # a variable's value in this session
                results.append(_numpy(feeds[id(t._value)]))
            else:  # a constant (strings stay on the host)
                results.append(_numpy(t._value.producer.attrs["value"]))
        for (variable, _), value in zip(updates, outs[position:]):
            state[variable] = value
        return rebuild(results)

    def _plan(self, leaves, user_fed):
        """(tensors, which are computed, variable updates, fed Values in parameter order, the
        compiled pruned graph or None) for these fetches and fed tensors."""
        tensors, updates = [], []
        for leaf in leaves:
            if isinstance(leaf, Operation):
                tensors.append(None)
                updates += leaf.updates()
            else:
                tensors.append(self._fetch(leaf))
        available = set(user_fed)
        for source, param in self.graph._builder.captures:  # variables initialized in this session
            if source in self._state:
                available.add(id(param))
                self._captured[id(param)] = source
        computed = [isinstance(t, SymbolicTensor) and id(t._value) not in available and not _constant(t._value)
                    for t in tensors]
        fetched = [t._value for t in tensors if isinstance(t, SymbolicTensor) and id(t._value) not in user_fed]
        updates = self._updates_on_path(fetched, updates, user_fed)
        wanted = [t._value for t, c in zip(tensors, computed) if c] + [value for _, value in updates]
        fed = [v for v in self.graph.ir.params if id(v) in available]
        if len(fed) < len(available):  # tensors other than placeholders and variables were fed
            fed += list(_fed_values(self.graph, available))
        if not wanted:
            return tensors, computed, updates, fed, None
        key = (tuple(id(v) for v in wanted), tuple(id(v) for v in fed))
        compiled = self._compiled.get(key)
        if compiled is None:
            try:
                pruned = extract(self.graph.ir, fed, wanted, name="session_run", defaults=self.graph._defaults)
            except MissingInput as err:
                raise self._missing(err.value) from None
            compiled = self._compiled[key] = compile_graph(pruned)
        return tensors, computed, updates, fed, compiled

    def _updates_on_path(self, values, updates, user_fed):
        """The updates the run makes: those of the fetched Operations, and those of every
        assignment (or op under control_dependencies) that computing the fetches evaluates, as
        TF runs every node on the path; repeated until no new update adds a path."""
        updates = list(updates)
        assigns = self.graph._assigns
        fed = [v for v in self.graph.ir.params if id(v) in user_fed]
        while assigns:
            path = ancestors(self.graph.ir, fed, values + [value for _, value in updates],
                             self.graph._defaults)
            known = {(id(var), id(value)) for var, value in updates}
            new = [u for vid in path if vid in assigns for u in assigns[vid]
                   if (id(u[0]), id(u[1])) not in known]
            if not new:
                break
            updates += list(dict.fromkeys(new))
        return updates

    def _missing(self, value):
        """The error for a parameter a run needs and nobody gave: an unfed placeholder, or a
        variable not initialized in this session."""
        for source, param in self.graph._builder.captures:
            if param is value:
                return errors.FailedPreconditionError(
                    None, None, f"Error while reading resource variable {source._name} from Container: "
                                "localhost. This could mean that the variable was uninitialized.")
        return _unfed(value)

    def _fetch(self, leaf) -> Tensor:
        if isinstance(leaf, EagerTensor):
            return leaf
        if isinstance(leaf, Variable):
            leaf = leaf.read_value()
        if not isinstance(leaf, (str, SymbolicTensor)):
            raise TypeError(f"Argument `fetch` = {leaf} has invalid type \"{type(leaf).__name__}\" must be a "
                            f"string or Tensor. (Can not convert a {type(leaf).__name__} into a Tensor or "
                            "Operation.)")
        try:
            return self._graph_tensor(leaf)
        except (KeyError, ValueError) as err:
            reason = err.args[0] if isinstance(err, KeyError) else str(err)
            reason = f'"{reason}"' if isinstance(err, KeyError) else reason
            raise ValueError(f"Argument `fetch` = {leaf} cannot be interpreted as a Tensor. ({reason})") from None

    def _graph_tensor(self, key) -> SymbolicTensor:
        """The tensor of this session's graph that `key` (a tensor or a "name:0") names."""
        if isinstance(key, str):
            return self.graph.get_tensor_by_name(key)
        if not self.graph.owns(key):
            raise ValueError(f"Tensor {key} is not an element of this graph.")
        return key

    def _feeds(self, feed_dict) -> dict:
        """id(graph Value) -> the fed array, converted and checked against the tensor's type."""
        if not isinstance(feed_dict, dict):
            raise TypeError("FlattenDictItems: 'dict' must be a dictionary or collection.Mapping type object, "
                            f"instead of '{type(feed_dict).__name__}'.")
        feeds = {}
        for key, value in feed_dict.items():
            if not isinstance(key, (str, SymbolicTensor)):
                raise TypeError(f"Cannot interpret feed_dict key as Tensor: Can not convert a "
                                f"{type(key).__name__} into a Tensor.")
            try:
                tensor = self._graph_tensor(key)
            except (KeyError, ValueError) as err:
                raise TypeError(f"Cannot interpret feed_dict key as Tensor: {err.args[0]}") from None
            if isinstance(value, Tensor):
                raise TypeError(
                    "The value of a feed cannot be a tf.Tensor object. Acceptable feed values include Python "
                    "scalars, strings, lists, numpy ndarrays, or TensorHandles. For reference, the tensor object "
                    f"was {value} which was passed to the argument `feed_dict` with key {tensor}.")
            target = tensor._value.type
            array = np.asarray(value)
            if array.dtype != target.dtype:
                array = array.astype(np.dtype(target.dtype))  # numpy's conversion errors, as TF
            if len(array.shape) != len(target.shape) or any(
                    d is not None and d != s for d, s in zip(target.shape, array.shape)):
                raise ValueError(f"Cannot feed value of shape {tuple(array.shape)} for Tensor "
                                 f"{tensor.name}, which has shape {tensor.shape}")
            feeds[id(tensor._value)] = array
        return feeds

    # --- lifetime ---------------------------------------------------------------------------
    def close(self):
        self._closed = True
        self._compiled.clear()
        self._plans.clear()

    @contextlib.contextmanager
    def as_default(self):
        _DEFAULT_SESSIONS.append(self)
        try:
            yield self
        finally:
            _DEFAULT_SESSIONS.remove(self)

    def __enter__(self):
        self._default = self.as_default()
        self._default.__enter__()
        self._graph_default = self.graph.as_default() if self.graph is not get_default_graph() else None
        if self._graph_default is not None:
            self._graph_default.__enter__()
        return self

    def __exit__(self, *exc):
        if self._graph_default is not None:
            self._graph_default.__exit__(*exc)
        self._default.__exit__(*exc)
        self.close()


class InteractiveSession(Session):
    """A Session that makes itself the default one, for `Tensor.eval()` at a prompt."""

    def __init__(self, target="", graph=None, config=None):
        super().__init__(target, graph, config)
        _DEFAULT_SESSIONS.append(self)

    def close(self):
        super().close()
        if self in _DEFAULT_SESSIONS:
            _DEFAULT_SESSIONS.remove(self)


def get_default_session():
    return _DEFAULT_SESSIONS[-1] if _DEFAULT_SESSIONS else None


def eval_tensor(tensor, feed_dict=None, session=None):
    """Tensor.eval: run `tensor` in `session` or the default session."""
    which = "given" if session is not None else "default"
    session = session or get_default_session()
    if session is None:
        raise ValueError("Cannot evaluate tensor using `eval()`: No default session is registered. Use "
                         "`with sess.as_default()` or pass an explicit session to `eval(session=sess)`")
    if not session.graph.owns(tensor):
        hint = " Pass an explicit session to `eval(session=sess)`." if which == "default" else ""
        raise ValueError(f"Cannot use the {which} session to evaluate tensor: the tensor's graph is different "
                         f"from the session's graph.{hint}")
    return session.run(tensor, feed_dict)


# --- helpers ----------------------------------------------------------------------------------

def _fed_values(graph, feeds):
    """The fed node outputs (TF lets any tensor be fed), in the graph's order."""
    for node in graph.ir.nodes:
        for value in node.outputs:
            if id(value) in feeds:
                yield value


def _constant(value) -> bool:
    return value.producer is not None and value.producer.op == "const"


def _unfed(value):
    dims = value.type.shape
    shape = " and shape [" + ",".join("?" if d is None else str(d) for d in dims) + "]" if dims else ""
    dtype = kernel_type_name(dtypes.as_dtype(np.dtype(value.type.dtype)))
    return errors.InvalidArgumentError(None, None, f"You must feed a value for placeholder tensor "
                                       f"'{value.name}' with dtype {dtype}{shape}")


def _numpy(array):
    value = np.asarray(array)
    return value[()] if value.ndim == 0 else value


def _flatten(fetches):
    """(leaves, rebuild): the fetched tensors of a nested list/tuple/namedtuple/dict, and a
    function putting results back in that structure."""
    if isinstance(fetches, (list, tuple)) and not isinstance(fetches, str):
        parts = [_flatten(f) for f in fetches]
        leaves = [leaf for part, _ in parts for leaf in part]

        def rebuild(results):
            out, start = [], 0
            for part, inner in parts:
                out.append(inner(results[start:start + len(part)]))
                start += len(part)
            if isinstance(fetches, list):
                return out
            return type(fetches)(*out) if hasattr(fetches, "_fields") else tuple(out)
        return leaves, rebuild
    if isinstance(fetches, dict):
        keys = list(fetches)
        leaves_and_rebuild = _flatten([fetches[k] for k in keys])
        inner = leaves_and_rebuild[1]
        return leaves_and_rebuild[0], lambda results: dict(zip(keys, inner(results)))
    if fetches is None:
        raise TypeError('Argument `fetch` = None has invalid type "NoneType". Cannot be None')
    return [fetches], lambda results: results[0]
