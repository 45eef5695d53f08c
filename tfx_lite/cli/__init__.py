"""The `tfx-lite` command (also `python -m tfx_lite`):

    tfx-lite run script.py [args]        run a TensorFlow 2 script (`import tensorflow as tf`) on tfx_lite
    tfx-lite ir script.py:function ...   print the IR (or XLA's HLO) of a traced function
    tfx-lite bench [--quick] ...         the eager-vs-compiled benchmark suite, as a table

Each subcommand lives in its own module (`<name>_command.py`) with `add_parser(subparsers)`,
which registers its arguments and sets `handler`, a function of the parsed arguments returning
the exit status.
"""
from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = ("run", "ir", "bench")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="tfx-lite", description="TensorFlow-style code on JAX/XLA: run "
                                  "TF scripts, print the IR of traced functions, benchmark eager vs compiled.")
    commands = top.add_subparsers(dest="command", required=True, metavar="{" + ",".join(COMMANDS) + "}")
    for name in COMMANDS:
        importlib.import_module(f"tfx_lite.cli.{name}_command").add_parser(commands)
    return top


def main(argv=None) -> int:
    args = parser().parse_args(sys.argv[1:] if argv is None else argv)
    return int(args.handler(args) or 0)
