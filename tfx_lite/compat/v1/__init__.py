"""tf.compat.v1: the TF2 namespace plus graphs, placeholders and Sessions. In graph mode
(`disable_eager_execution()` or `with tf.Graph().as_default():`) the ops record nodes into the
default graph, our IR; `Session.run` prunes, compiles and runs what its fetches need."""
import tfx_lite as _tf

globals().update({k: v for k, v in vars(_tf).items() if not k.startswith("_") and k not in ("compat", "train")})

from tfx_lite.compat.v1.graph import graph_of as _graph_of  # noqa: E402
from tfx_lite.compat.v1.graph import (  # noqa: E402,F401
    Graph, constant, disable_eager_execution, disable_v2_behavior, enable_eager_execution,
    get_default_graph, placeholder, placeholder_with_default, reset_default_graph)
from tfx_lite.compat.v1.session import InteractiveSession, Session, get_default_session  # noqa: E402,F401
from tfx_lite.compat.v1.variables import (  # noqa: E402,F401
    AUTO_REUSE, Operation, Variable, assign, assign_add, assign_sub, control_dependencies, get_variable,
    global_variables,
    global_variables_initializer, group, local_variables, local_variables_initializer, no_op,
    trainable_variables, variable_scope, variables_initializer)
from tfx_lite.compat.v1.gradients import gradients  # noqa: E402,F401
from tfx_lite.compat.v1 import train  # noqa: E402,F401
initialize_all_variables = global_variables_initializer

# TF1's initializer classes (called with a shape and dtype by get_variable)
from tfx_lite.keras.initializers import (  # noqa: E402
    Constant as constant_initializer, GlorotUniform as glorot_uniform_initializer, Ones as ones_initializer,
    RandomNormal as random_normal_initializer, RandomUniform as random_uniform_initializer,
    TruncatedNormal as truncated_normal_initializer, Zeros as zeros_initializer)
from tfx_lite.compat.v1.session import eval_tensor as _eval_tensor  # noqa: E402
from tfx_lite.framework.tensor import SymbolicTensor as _SymbolicTensor  # noqa: E402

_SymbolicTensor.eval = lambda self, feed_dict=None, session=None: _eval_tensor(self, feed_dict, session)
_tensor_hash = _SymbolicTensor.__hash__


def _v1_hash(self):
    """A v1 graph's tensors hash by identity (feed_dict keys), as TF1's do."""
    return id(self) if _graph_of(self) is not None else _tensor_hash(self)


_SymbolicTensor.__hash__ = _v1_hash
_SymbolicTensor.graph = property(_graph_of)
