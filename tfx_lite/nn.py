"""tf.nn."""
from tfx_lite.ops.nn_ops import *  # noqa: F401,F403
