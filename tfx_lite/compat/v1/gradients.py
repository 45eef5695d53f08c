"""tf.compat.v1.gradients: the gradient of `ys` with respect to `xs` as nodes of the graph, one
`vjp` node over the sub-graph between them (the same mechanism GradientTape uses)."""
from __future__ import annotations

from compiler import bind
from compiler.gradient_graph import gradient_graph
from tfx_lite.compat.v1.graph import current_graph
from tfx_lite.compat.v1.variables import Variable
from tfx_lite.framework.convert import convert_to_tensor
from tfx_lite.framework.tensor import SymbolicTensor


def gradients(ys, xs, grad_ys=None, name="gradients", stop_gradients=None, **unused):
    """d(sum of ys)/d(x) for each x (tensors or variables of the default graph); None where an
    x does not reach the ys."""
    graph = current_graph()
    if graph is None:
        raise RuntimeError("tf.gradients is not supported when eager execution is enabled. Use "
                           "tf.GradientTape instead.")
    ys = list(ys) if isinstance(ys, (list, tuple)) else [ys]
    single = not isinstance(xs, (list, tuple))
    xs = [xs] if single else list(xs)
    targets = [convert_to_tensor(y)._value for y in ys]
    sources = [x._read if isinstance(x, Variable) else convert_to_tensor(x)._value for x in xs]
    own = {id(s) for x, s in zip(xs, sources) if not isinstance(x, Variable)}
    sub, used_sources, externals, used_targets = gradient_graph(graph.ir.nodes, sources, targets, own)
    if not used_sources or not used_targets:
        return [None] * len(xs)
    if grad_ys is None:
        cts = [bind("ones_like", targets[i]) for i in used_targets]
    else:
        grad_ys = list(grad_ys) if isinstance(grad_ys, (list, tuple)) else [grad_ys]
        cts = [convert_to_tensor(grad_ys[i])._value for i in used_targets]
    outs = bind("vjp", *[sources[i] for i in used_sources], *externals, *cts, fn=sub,
                num_sources=len(used_sources), num_targets=len(cts), batched=False)
    outs = outs if isinstance(outs, tuple) else (outs,)
    by_position = dict(zip(used_sources, outs))
    return [SymbolicTensor(by_position[i]) if i in by_position else None for i in range(len(xs))]
