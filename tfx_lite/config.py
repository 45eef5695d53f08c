"""tf.config: devices and execution settings."""
from tfx_lite.framework.device import (  # noqa: F401
    get_soft_device_placement, list_logical_devices, list_physical_devices, set_soft_device_placement)
from tfx_lite.function import functions_run_eagerly, run_functions_eagerly  # noqa: F401,E402
