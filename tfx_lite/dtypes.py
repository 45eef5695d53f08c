"""tf.dtypes."""
from tfx_lite.framework.dtypes import *  # noqa: F401,F403
from tfx_lite.framework.dtypes import DType, as_dtype  # noqa: F401
