"""tf.errors."""
from tfx_lite.framework.errors import *  # noqa: F401,F403
