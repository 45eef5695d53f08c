"""tfx_lite: TensorFlow-2-style code on JAX/XLA. `import tfx_lite as tf`."""
import compiler as _compiler  # noqa: F401  (enables x64 and registers the op table)

from tfx_lite import config, dtypes, errors, linalg, math, nn, random  # noqa: F401
from tfx_lite.framework.context import executing_eagerly  # noqa: F401
from tfx_lite.framework.convert import constant, convert_to_tensor, is_tensor  # noqa: F401
from tfx_lite.framework.device import device  # noqa: F401
from tfx_lite.framework.dtypes import (  # noqa: F401
    DType, as_dtype, bfloat16, bool, complex64, complex128, double, float16, float32, float64, half,
    int8, int16, int32, int64, string, uint8, uint16, uint32, uint64)
from tfx_lite.framework.tensor import Tensor  # noqa: F401
from tfx_lite.framework.tensor_shape import TensorShape  # noqa: F401
from tfx_lite.framework.tensor_spec import TensorSpec  # noqa: F401
from tfx_lite.ops.array_ops import *  # noqa: F401,F403
from tfx_lite.ops.control_flow_ops import *  # noqa: F401,F403
from tfx_lite.ops.linalg_ops import *  # noqa: F401,F403
from tfx_lite.ops.math_ops import *  # noqa: F401,F403
from tfx_lite.ops import operators as _operators
from tfx_lite.framework.name_scope import name_scope  # noqa: F401
from tfx_lite.function import dump_ir, function  # noqa: F401
from tfx_lite import autograph  # noqa: F401,E402
from tfx_lite.ops.logging_ops import print_ as print  # noqa: F401,A001  (tf.print; shadows the builtin here only)
from compiler.trace import init_scope  # noqa: F401
from tfx_lite.gradient_tape import GradientTape, UnconnectedGradients  # noqa: F401
from tfx_lite.custom_gradient import custom_gradient, recompute_grad  # noqa: F401
from tfx_lite.module import Module  # noqa: F401
from tfx_lite.variables import Variable, VariableAggregation, VariableSynchronization  # noqa: F401

newaxis = None
__version__ = "0.1.0"

_operators.install()

from tfx_lite import data  # noqa: E402,F401
from tfx_lite import ragged, sparse, strings  # noqa: E402,F401
from tfx_lite.ragged.ragged_tensor import RaggedTensor, RaggedTensorSpec  # noqa: E402,F401
from tfx_lite.strings import as_string  # noqa: E402,F401
from tfx_lite.sparse.sparse_tensor import SparseTensor, SparseTensorSpec  # noqa: E402,F401
from tfx_lite import saved_model, train  # noqa: E402,F401
from tfx_lite.tensor_array import TensorArray  # noqa: E402,F401
from tfx_lite import distribute  # noqa: E402,F401
from tfx_lite import keras  # noqa: E402,F401  (last: it uses the names above)
from tfx_lite import compat  # noqa: E402,F401  (after the names it re-exports)
