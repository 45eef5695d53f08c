"""Graph -> Graph optimisation passes, and the pipeline that runs them.

Each pass is a plain function in its own module; none mutates its input. `run_pipeline` runs a
sequence of them and, when asked (`dump_dir=` or `TFX_DUMP_IR=dir`), writes the printed graph
after each step as `<dir>/<graph name>/NN_<pass>.tfir`, starting with `00_input.tfir`.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Callable, Sequence

from compiler.ir import Graph
from compiler.passes.cse import cse
from compiler.passes.dce import dce
from compiler.passes.fold_constants import fold_constants
from compiler.printer import print_program
from compiler.verify import verify as verify_graph

__all__ = ["DEFAULT_PIPELINE", "run_pipeline", "dce", "cse", "fold_constants", "pass_name"]

Pass = Callable[[Graph], Graph]

DEFAULT_PIPELINE: tuple[Pass, ...] = (fold_constants, cse, dce)


def pass_name(p: Pass) -> str:
    """`fold_constants` for the function and for `functools.partial(fold_constants, ...)`."""
    return getattr(p, "__name__", None) or pass_name(p.func)


def run_pipeline(graph: Graph, passes: Sequence[Pass] = DEFAULT_PIPELINE,
                 dump_dir: str | os.PathLike | None = None, verify: bool = False) -> Graph:
    """`graph` after each of `passes` in turn (the input graph is left unchanged).

    Args:
        graph: the function to optimise.
        passes: Graph -> Graph functions, run in order.
        dump_dir: a folder to write the printed IR into; defaults to `$TFX_DUMP_IR` when set.
            Files go to a sub-folder named after the graph: `00_input.tfir`, then
            `01_fold_constants.tfir`, ... Sub-graphs referenced by attributes are printed after
            the graph they belong to.
        verify: run the verifier (compiler/verify.py) on the input and after each pass.
    """
    dump_dir = dump_dir if dump_dir is not None else os.environ.get("TFX_DUMP_IR") or None
    folder = None
    if dump_dir is not None:
        folder = Path(dump_dir) / re.sub(r"[^\w.\-]", "_", graph.name)
        folder.mkdir(parents=True, exist_ok=True)
    check = verify_graph if verify else None
    for i, p in enumerate((None, *passes)):
        name = "input" if p is None else pass_name(p)
        if p is not None:
            graph = p(graph)
        if check is not None:
            try:
                check(graph)
            except Exception as err:
                err.add_note(f"while verifying the graph {graph.name!r} after {name}")
                raise
        if folder is not None:
            (folder / f"{i:02d}_{name}.tfir").write_text(print_program(graph) + "\n")
    return graph
