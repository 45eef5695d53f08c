"""tf.config's logical device configuration: N logical CPUs are N JAX CPU devices.

JAX fixes its CPU device count when its backends start, so the programs that change it run in
a child process. Expected strings were printed by TensorFlow 2.21 for the same calls."""
import pytest

import tfx_lite as tf
from tfx_lite.framework import device as device_module
from tfx_lite.framework import virtual_devices
from tests.tfx_lite.multi_device import run_python, run_with_devices

# TF 2.21, after set_logical_device_configuration(cpus[0], [LogicalDeviceConfiguration()] * 4):
TF_PHYSICAL_CPUS = "[PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]"
TF_LOGICAL_CPUS = ("[LogicalDevice(name='/device:CPU:0', device_type='CPU'), "
                   "LogicalDevice(name='/device:CPU:1', device_type='CPU'), "
                   "LogicalDevice(name='/device:CPU:2', device_type='CPU'), "
                   "LogicalDevice(name='/device:CPU:3', device_type='CPU')]")
TF_CONFIG_REPR = ("LogicalDeviceConfiguration(memory_limit=None, experimental_priority=None, "
                  "experimental_device_ordinal=None)")
TF_INITIALIZED = "RuntimeError: Virtual devices cannot be modified after being initialized"

NO_FORCED_COUNT = {"XLA_FLAGS": None, "JAX_PLATFORMS": "cpu"}


def _run(code):
    result = run_python(code, env=NO_FORCED_COUNT)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def _error(call):
    try:
        call()
    except Exception as e:  # noqa: BLE001
        return f"{type(e).__name__}: {str(e).splitlines()[0]}"
    return "no error"


def test_four_logical_cpus_are_four_jax_devices():
    lines = _run("""
        import jax
        from jax._src import xla_bridge
        import tfx_lite as tf
        cpus = tf.config.list_physical_devices('CPU')
        tf.config.list_physical_devices('GPU')  # probing for GPUs starts JAX's backends ...
        print(xla_bridge.backends_are_initialized())  # ... but with no array alive, the CPU restarts
        tf.config.set_logical_device_configuration(cpus[0], [tf.config.LogicalDeviceConfiguration()] * 4)
        print(tf.config.list_physical_devices('CPU'))
        print(tf.config.list_logical_devices('CPU'))
        print(jax.device_count())
        with tf.device('/CPU:3'):
            t = tf.constant([1.0, 2.0])
        with tf.device('/device:CPU:2'):
            u = tf.constant(3.0) * 2.0
        print([d.id for d in t._value.devices()], t.device)
        print([d.id for d in u._value.devices()], u.device)
        print(tf.config.get_logical_device_configuration(cpus[0])[3])
        tf.config.set_logical_device_configuration(cpus[0], [tf.config.LogicalDeviceConfiguration()] * 4)
        print('same configuration: no-op')
        try:
            tf.config.experimental.set_virtual_device_configuration(
                cpus[0], [tf.config.LogicalDeviceConfiguration()] * 2)
        except Exception as e:
            print(f'{type(e).__name__}: {str(e).splitlines()[0]}')
        print(jax.device_count())
    """)
    assert lines == [
        "True", TF_PHYSICAL_CPUS, TF_LOGICAL_CPUS, "4",
        "[3] /job:localhost/replica:0/task:0/device:CPU:3",
        "[2] /job:localhost/replica:0/task:0/device:CPU:2",
        TF_CONFIG_REPR, "same configuration: no-op", TF_INITIALIZED, "4"]


def test_configuration_after_a_tensor_exists_is_refused_with_a_hint():
    lines = _run("""
        import tfx_lite as tf
        x = tf.constant(1.0)
        cpus = tf.config.list_physical_devices('CPU')
        try:
            tf.config.set_logical_device_configuration(cpus[0], [tf.config.LogicalDeviceConfiguration()] * 4)
        except Exception as e:
            print(type(e).__name__ + ': ' + str(e))
        print(len(tf.config.list_logical_devices('CPU')))
    """)
    assert lines[0] == TF_INITIALIZED
    assert "XLA_FLAGS=--xla_force_host_platform_device_count=4" in "\n".join(lines[1:-1])
    assert lines[-1] == "1"


def test_listing_physical_cpus_does_not_start_jax():
    lines = _run("""
        import jax.extend.backend
        from jax._src import xla_bridge
        import tfx_lite as tf
        jax.extend.backend.clear_backends()
        print(tf.config.list_physical_devices('CPU'), xla_bridge.backends_are_initialized())
    """)
    assert lines == [f"{TF_PHYSICAL_CPUS} False"]


def test_run_with_devices_helper():
    out = run_with_devices("""
        import jax
        import tfx_lite as tf
        cpus = tf.config.list_physical_devices('CPU')
        print(jax.device_count(), len(tf.config.list_logical_devices('CPU')), len(cpus))
        with tf.device('/CPU:2'):
            print(tf.constant(1.0).device)
        tf.config.set_logical_device_configuration(cpus[0], [tf.config.LogicalDeviceConfiguration()] * 3)
        print('matching configuration accepted')
    """, n=3)
    assert out.splitlines() == ["3 3 1", "/job:localhost/replica:0/task:0/device:CPU:2",
                                "matching configuration accepted"]
    with pytest.raises(AssertionError, match="ZeroDivisionError"):
        run_with_devices("1 / 0", n=2)


# --- checks that never reach JAX: run in this process -----------------------------------------

def test_configuration_class_and_aliases():
    config = tf.config.LogicalDeviceConfiguration()
    assert repr(config) == TF_CONFIG_REPR and config == (None, None, None)
    assert tf.config.LogicalDeviceConfiguration(1, 2, 3)._fields == (
        "memory_limit", "experimental_priority", "experimental_device_ordinal")
    assert tf.config.experimental.VirtualDeviceConfiguration is tf.config.LogicalDeviceConfiguration
    experimental = tf.config.experimental
    assert experimental.set_virtual_device_configuration is tf.config.set_logical_device_configuration
    assert experimental.get_virtual_device_configuration is tf.config.get_logical_device_configuration
    cpu = tf.config.list_physical_devices("CPU")[0]
    assert tf.config.get_logical_device_configuration(cpu) == virtual_devices._virtual_device_map.get(cpu)


def test_tf_validation_messages():
    cpu = tf.config.list_physical_devices("CPU")[0]
    config = tf.config.LogicalDeviceConfiguration
    set_config = tf.config.set_logical_device_configuration
    assert _error(lambda: set_config(cpu, [config(memory_limit=5)])) == (
        "ValueError: Setting memory limit on CPU virtual devices is currently not supported")
    assert _error(lambda: set_config(cpu, [config(experimental_priority=1)])) == (
        "ValueError: Setting experimental_priority on CPU virtual  devices is currently not supported")
    assert _error(lambda: set_config("x", [])) == "ValueError: Unrecognized device: 'x'"
    assert _error(lambda: tf.config.get_logical_device_configuration("x")) == (
        "ValueError: Unrecognized device: 'x'")
    assert _error(lambda: set_config(tf.config.PhysicalDevice("/physical_device:CPU:1", "CPU"), [])) == (
        "ValueError: Unrecognized device: PhysicalDevice(name='/physical_device:CPU:1', device_type='CPU')")


def test_logical_gpus_are_refused(monkeypatch):
    real = device_module._jax_devices
    monkeypatch.setattr(device_module, "_jax_devices",
                        lambda kind: ["fake gpu"] if kind == "GPU" else real(kind))
    monkeypatch.setattr(virtual_devices, "_virtual_device_map", {})
    gpu = tf.config.list_physical_devices("GPU")[0]
    config = tf.config.LogicalDeviceConfiguration
    assert _error(lambda: tf.config.set_logical_device_configuration(gpu, [config()])) == (
        "ValueError: Setting memory limit is required for GPU virtual devices")
    message = _error(lambda: tf.config.set_logical_device_configuration(gpu, [config(1024)] * 2))
    assert message.startswith("NotImplementedError: Logical GPUs are not supported on JAX")
    tf.config.set_logical_device_configuration(gpu, [config(1024)])  # one configuration: a no-op
    assert tf.config.get_logical_device_configuration(gpu) == [config(1024)]
