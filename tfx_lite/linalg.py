"""tf.linalg."""
from tfx_lite.ops.linalg_ops import *  # noqa: F401,F403
from tfx_lite.ops.math_ops import matmul  # noqa: F401
