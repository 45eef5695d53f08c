"""tfx_lite's framework-neutral core: the op table, the IR, tracing, printing.

Never imports tfx_lite. Importing it registers every op.
"""
from compiler import ops as _ops  # noqa: F401  (registers the op set)
from compiler.bind import EAGER_OBSERVERS, OpInputError, bind, run_host
from compiler.ir import Graph, Node, Value
from compiler.ops.registry import REGISTRY, OpDef, defop, get_op, infer
from compiler.parser import IRParseError, parse_graph, parse_program
from compiler.printer import graph_constants, print_graph, print_program, program_constants
from compiler.trace import GraphBuilder, current_builder
from compiler.types import TensorType
from compiler.verify import IRVerifyError, verify

__all__ = ["EAGER_OBSERVERS", "OpInputError", "bind", "run_host", "Graph", "Node", "Value",
           "REGISTRY", "OpDef", "defop", "get_op", "infer", "print_graph", "GraphBuilder",
           "current_builder", "TensorType", "IRParseError", "parse_graph", "parse_program",
           "graph_constants", "print_program", "program_constants", "IRVerifyError", "verify"]
