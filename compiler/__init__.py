"""tfx_lite's framework-neutral core: the op table, the IR, tracing, printing.

Never imports tfx_lite. Importing it registers every op.
"""
from compiler import ops as _ops  # noqa: F401  (registers the op set)
from compiler.bind import EAGER_OBSERVERS, OpInputError, bind, run_host
from compiler.ir import Graph, Node, Value
from compiler.ops.registry import REGISTRY, OpDef, defop, get_op, infer
from compiler.printer import print_graph
from compiler.trace import GraphBuilder, current_builder
from compiler.types import TensorType

__all__ = ["EAGER_OBSERVERS", "OpInputError", "bind", "run_host", "Graph", "Node", "Value",
           "REGISTRY", "OpDef", "defop", "get_op", "infer", "print_graph", "GraphBuilder",
           "current_builder", "TensorType"]
