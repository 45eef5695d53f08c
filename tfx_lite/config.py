"""tf.config: devices and execution settings."""
import types as _types

from tfx_lite.framework.device import (  # noqa: F401
    LogicalDevice, PhysicalDevice, get_soft_device_placement, list_logical_devices, list_physical_devices,
    set_soft_device_placement)
from tfx_lite.framework.virtual_devices import (  # noqa: F401
    LogicalDeviceConfiguration, VirtualDeviceConfiguration, get_logical_device_configuration,
    set_logical_device_configuration)
from tfx_lite.function import functions_run_eagerly, run_functions_eagerly  # noqa: F401,E402

experimental = _types.ModuleType("tfx_lite.config.experimental", "tf.config.experimental")
experimental.VirtualDeviceConfiguration = VirtualDeviceConfiguration
experimental.get_virtual_device_configuration = get_logical_device_configuration
experimental.set_virtual_device_configuration = set_logical_device_configuration
experimental.list_logical_devices = list_logical_devices
experimental.list_physical_devices = list_physical_devices
