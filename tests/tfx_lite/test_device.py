"""tf.device, soft placement and device names."""
import jax
import pytest

import tfx_lite as tf
from tfx_lite.framework.device import parse_device_spec

CPU0 = "/job:localhost/replica:0/task:0/device:CPU:0"


@pytest.mark.parametrize("spec, parsed", [
    ("CPU:0", ("CPU", 0)), ("/cpu:0", ("CPU", 0)), ("GPU:1", ("GPU", 1)), ("/device:GPU:0", ("GPU", 0)),
    ("/job:localhost/replica:0/task:0/device:CPU:0", ("CPU", 0)), ("gpu", ("GPU", None)),
    ("/job:worker/task:3", (None, None)),
])
def test_device_strings_parse_as_tf_does(spec, parsed):
    assert parse_device_spec(spec) == parsed


@pytest.mark.parametrize("spec", ["XYZ:0", "/device:FOO:1", "CPU:x"])
def test_unknown_device_strings_are_value_errors(spec):
    with pytest.raises(ValueError, match="encountered while parsing the device spec"):
        with tf.device(spec):
            pass


def test_tensors_report_tf_device_names():
    assert tf.constant(1.0).device == CPU0
    assert tf.Variable(1.0).device == CPU0
    assert tf.constant("s").device == CPU0


@pytest.mark.skipif(any(d.platform == "gpu" for d in jax.devices()), reason="machine has a GPU")
def test_gpu_requests_fall_back_to_the_cpu_with_soft_placement():
    with tf.device("GPU:0"):
        x = tf.constant([1.0, 2.0]) * 2
    assert x.device == CPU0
    assert x.numpy().tolist() == [2.0, 4.0]


@pytest.mark.skipif(any(d.platform == "gpu" for d in jax.devices()), reason="machine has a GPU")
def test_without_soft_placement_a_missing_gpu_is_an_error():
    tf.config.set_soft_device_placement(False)
    try:
        with pytest.raises(tf.errors.InvalidArgumentError, match="Could not satisfy device specification 'GPU:0'"):
            with tf.device("GPU:0"):
                pass
    finally:
        tf.config.set_soft_device_placement(True)
    assert tf.config.get_soft_device_placement() is True


def test_device_listing_names_every_cpu():
    physical = tf.config.list_physical_devices("CPU")
    assert physical[0].name == "/physical_device:CPU:0" and physical[0].device_type == "CPU"
    assert tf.config.list_logical_devices("CPU")[0].name == "/device:CPU:0"
    assert tf.config.list_physical_devices("GPU") == [
        d for d in tf.config.list_physical_devices() if d.device_type == "GPU"]


def test_device_scopes_nest_and_restore():
    with tf.device("CPU:0"):
        with tf.device(None):
            a = tf.constant(1)
        b = tf.constant(2)
    assert a.device == b.device == CPU0


@pytest.mark.gpu
def test_gpu_placement_when_a_gpu_exists():
    with tf.device("GPU:0"):
        x = tf.constant([1.0, 2.0]) + 1.0
    assert x.device.endswith("device:GPU:0")
    with tf.device("CPU:0"):
        y = tf.constant([1.0])
    assert y.device == CPU0
