"""tf.autograph: Python control flow on tensors inside tf.function.

A tf.function's Python function is converted before it is traced: its source is rewritten so
that `if`, `while`, `for`, `break`, `continue`, `return`, `and`, `or`, `not` and conditional
expressions run as Python on Python values and become tf.cond / tf.while_loop on tensors, as in
TensorFlow's AutoGraph. See converter.py for the form of the converted code, control_flow.py for
what it runs, and errors.py for how errors point at the user's lines."""
import types as _types

from tfx_lite.autograph.api import Feature, set_loop_options, set_verbosity, to_code, to_graph, trace  # noqa: F401
from tfx_lite.autograph.calls import do_not_convert

experimental = _types.ModuleType("tfx_lite.autograph.experimental",
                                 "tf.autograph.experimental: Feature, do_not_convert, set_loop_options.")
experimental.Feature = Feature
experimental.do_not_convert = do_not_convert
experimental.set_loop_options = set_loop_options
del Feature, do_not_convert, set_loop_options

__all__ = ["experimental", "set_verbosity", "to_code", "to_graph", "trace"]
