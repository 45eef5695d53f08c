"""tf.random."""
from tfx_lite.ops.random_ops import *  # noqa: F401,F403
