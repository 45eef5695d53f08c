"""tf.compat: the v1 API (graphs and Sessions) in `tfx_lite.compat.v1`."""
from tfx_lite.compat import v1  # noqa: F401
