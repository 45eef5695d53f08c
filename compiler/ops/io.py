"""I/O ops: `print` writes text on the host, at run time, in program order.

    print(%x, %y) {end='\\n', sep=' ', stream='stdout', summarize=3, template=(('x =',), ('', ''))}

`template` holds one entry per printed item (tf.print's arguments), each a tuple of text pieces;
the op's inputs fill the gaps between the pieces, in order (so an item with k tensors has k + 1
pieces), each written as TF writes a tensor (`tensor_summary.summarize`: `summarize` entries at
each end of each dimension, -1 for all). Items are joined by `sep`, and `end` follows. `stream`
is "stdout" or "stderr", looked up on `sys` when the text is written (so redirections apply).

The implementation is a `jax.debug.callback(..., ordered=True)` (the text is formatted on the
host) and has no outputs; the op is `effect="io"`, so passes never remove, merge or fold it.
Under `jax.jit` the callback may run after the call returns; callers wanting TF's synchronous
printing wait with `jax.effects_barrier()`.
"""
from __future__ import annotations

import contextlib
import sys
import threading

import jax
import numpy as np

from compiler.ops.registry import defop
from compiler.ops.strings.tensor_summary import summarize as _summarize

STREAMS = ("stdout", "stderr")

_MUTED = threading.local()


@contextlib.contextmanager
def muted():
    """While a function is traced in here, its `print` nodes write nothing: `vjp` traces the
    forward computation again to differentiate it, and (as in TF, where a gradient never runs
    the forward ops again) that second run must not print."""
    _MUTED.depth = getattr(_MUTED, "depth", 0) + 1
    try:
        yield
    finally:
        _MUTED.depth -= 1


def format_print(arrays, *, template, summarize, sep, end, style="tf") -> str:
    """The text `print` writes for input `arrays` (numpy arrays): each as TF writes a tensor, or
    with `style="python"` as Python's print writes the numpy value (AutoGraph's converted
    `print`)."""
    arrays = iter(arrays)
    items = []
    for pieces in template:
        parts = [pieces[0]]
        for piece in pieces[1:]:
            array = np.asarray(next(arrays))
            parts.append(str(array) if style == "python" else _summarize(array, summarize))
            parts.append(piece)
        items.append("".join(parts))
    return sep.join(items) + end


def write_text(text: str, stream: str) -> None:
    """Write `text` to sys.stdout or sys.stderr (looked up now) and flush it, as TF's
    PrintV2 kernel writes synchronously."""
    out = getattr(sys, stream)
    out.write(text)
    out.flush()


def _check(n_inputs, template, stream):
    if stream not in STREAMS:
        raise ValueError(f"print: stream must be one of {STREAMS}, got {stream!r}")
    gaps = sum(len(pieces) - 1 for pieces in template)
    if gaps != n_inputs:
        raise ValueError(f"print: the template has {gaps} tensor slots but {n_inputs} inputs were given")


@defop("print", effect="io")
def print_(*inputs, template, stream, summarize, sep, end, style="tf"):
    """Write `inputs` formatted into `template` to `stream` when the program runs; no outputs."""
    _check(len(inputs), template, stream)
    if getattr(_MUTED, "depth", 0):
        return ()

    def host(*arrays):
        write_text(format_print(arrays, template=template, summarize=summarize, sep=sep, end=end,
                                style=style), stream)

    jax.debug.callback(host, *inputs, ordered=True)
    return ()


def prints(graph, _seen=None) -> bool:
    """Whether `graph` (or a graph in its nodes' attributes) has a `print` node: a caller that
    runs it under `jax.jit` waits for the text with `jax.effects_barrier()`."""
    from compiler.ir import graphs_in
    seen = set() if _seen is None else _seen
    if id(graph) in seen:
        return False
    seen.add(id(graph))
    return any(node.op == "print" or any(prints(g, seen) for v in node.attrs.values() for g in graphs_in(v))
               for node in graph.nodes)
