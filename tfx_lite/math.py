"""tf.math."""
from tfx_lite.ops.math_ops import *  # noqa: F401,F403
from tfx_lite.ops.math_ops import floormod, mod  # noqa: F401
