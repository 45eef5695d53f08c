"""tf.distribute on JAX sharding. data/distribute_program.py printed distribute_program.tf.txt
under TensorFlow 2.21 with 4 logical CPUs (per-replica values, reductions, run with replica ids
and all_reduce, a custom training loop and model.fit from fixed weights, equal to one-device
training); tfx_lite must print the same. The other tests look at what TF cannot show: where the
values live (shardings), the IR of a distributed step, and reductions on random data."""
import json

import numpy as np
import pytest

import tfx_lite as tf
from tests.tfx_lite.multi_device import run_with_devices
from tests.tfx_lite.tf_programs import assert_prints_what_tf_printed
from tfx_lite.distribute.multi_worker import cluster_from_tf_config


def test_distribute_program_prints_what_tf_prints():
    assert_prints_what_tf_printed("distribute_program")


def test_variables_are_replicated_and_batches_sharded():
    out = run_with_devices("""
        import numpy as np
        import tfx_lite as tf
        strategy = tf.distribute.MirroredStrategy()
        with strategy.scope():
            model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])
            model.compile(optimizer="adam", loss="mse")
        model.fit(np.ones((8, 3), np.float32), np.ones((8, 2), np.float32), batch_size=8, verbose=0)
        for v in model.trainable_variables + model.optimizer.variables:
            s = v._array.sharding
            assert tuple(s.spec) == () and s.mesh.size == 4, (v.name, s)
            assert len(v._array.addressable_shards) == 4
        batch = next(iter(strategy.experimental_distribute_dataset(
            tf.data.Dataset.from_tensor_slices(np.arange(8.0, dtype=np.float32)).batch(8))))
        g = batch._global._value
        print(tuple(g.sharding.spec), sorted(d.id for d in g.devices()),
              [s.data.tolist() for s in g.addressable_shards])
        v = model.trainable_variables[0]
        v.assign(np.zeros((3, 2), np.float32))  # an assigned value is replicated again
        print(tuple(v._array.sharding.spec), len(v._array.devices()))
    """)
    assert out.splitlines() == [
        "('replica',) [0, 1, 2, 3] [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0], [6.0, 7.0]]", "() 4"]


def test_a_distributed_step_is_one_replica_map_with_an_all_reduce():
    out = run_with_devices("""
        import numpy as np
        import tfx_lite as tf
        strategy = tf.distribute.MirroredStrategy()
        with strategy.scope():
            w = tf.Variable(np.ones((3, 1), np.float32))
            opt = tf.keras.optimizers.SGD(0.1)

        def step(x):
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(tf.matmul(x, w))
            opt.apply_gradients([(tape.gradient(loss, w), w)])
            return loss

        @tf.function
        def distributed(x):
            return strategy.reduce("SUM", strategy.run(step, args=(x,)), axis=None)

        data = tf.data.Dataset.from_tensor_slices(np.ones((8, 3), np.float32)).batch(8)
        batch = next(iter(strategy.experimental_distribute_dataset(data)))
        print(float(distributed(batch)))
        ir = distributed.get_concrete_function(batch).graph
        from compiler import print_program
        text = print_program(ir)
        print("replica_map(" in text, "all_reduce(" in text, "devices=(0, 1, 2, 3)" in text)
        print(w.numpy().ravel().tolist())  # each weight: 1 - 0.1 * 8 (the gradient summed over replicas)
    """)
    lines = out.splitlines()
    assert lines[0] == "24.0" and lines[1] == "True True True"
    np.testing.assert_allclose(json.loads(lines[2]), [0.2, 0.2, 0.2], rtol=1e-6)


def test_reductions_match_numpy():
    out = run_with_devices("""
        import json
        import numpy as np
        import tfx_lite as tf
        strategy = tf.distribute.MirroredStrategy()
        data = np.random.default_rng(3).normal(size=(12, 5)).astype(np.float32)
        batch = next(iter(strategy.experimental_distribute_dataset(
            tf.data.Dataset.from_tensor_slices(data).batch(12))))
        got = {f"{op} {axis}": strategy.reduce(op, batch, axis=axis).numpy().tolist()
               for op in ("SUM", "MEAN") for axis in (None, 0, 1)}
        print(json.dumps(got))
        print(json.dumps(data.tolist()))
    """)
    got, data = (json.loads(line) for line in out.splitlines())
    parts = np.split(np.asarray(data, np.float32), 4)  # 3 rows on each of the 4 replicas
    want = {"SUM None": np.sum(parts, axis=0), "MEAN None": np.mean(parts, axis=0),
            "SUM 0": np.sum(data, axis=0), "MEAN 0": np.mean(data, axis=0),
            "SUM 1": np.sum([p.sum(axis=1) for p in parts], axis=0),  # TF: along axis, then
            "MEAN 1": np.sum([p.sum(axis=1) for p in parts], axis=0) / 20}  # over replicas
    for key, value in want.items():
        np.testing.assert_allclose(got[key], value, rtol=1e-5, atol=1e-5, err_msg=key)


def test_one_device_and_default_strategies_in_this_process():
    default = tf.distribute.get_strategy()
    assert default.num_replicas_in_sync == 1 and not tf.distribute.has_strategy()
    one = tf.distribute.OneDeviceStrategy("/cpu:0")
    with one.scope():
        assert tf.distribute.get_strategy() is one
        v = tf.Variable(3.0)
    result = one.run(lambda x: x * v, args=(tf.constant(2.0),))
    assert [float(t) for t in result.values] == [6.0]
    with pytest.raises(ValueError, match="Unknown device '/cpu:9'"):
        tf.distribute.MirroredStrategy(["/cpu:9"])


def test_multi_worker_cluster_comes_from_tf_config():
    config = {"cluster": {"worker": ["host1:2222", "host2:2222", "host3:2222"]},
              "task": {"type": "worker", "index": 2}}
    assert cluster_from_tf_config(json.dumps(config)) == ("host1:2222", 3, 2)
    assert cluster_from_tf_config("") is None
    assert cluster_from_tf_config(json.dumps({"cluster": {"worker": ["a:1"]}, "task": {"index": 0}})) is None
    with pytest.raises(ValueError, match="task index 5"):
        cluster_from_tf_config(json.dumps({**config, "task": {"type": "worker", "index": 5}}))
    with pytest.raises(ValueError, match="not TF's JSON"):
        cluster_from_tf_config("{not json")
    strategy = tf.distribute.MultiWorkerMirroredStrategy()  # no TF_CONFIG: this machine's devices
    assert strategy.num_replicas_in_sync == len(tf.config.list_logical_devices("CPU"))


WORKER = """
import numpy as np
import tfx_lite as tf
strategy = tf.distribute.MultiWorkerMirroredStrategy()
data = tf.data.Dataset.from_tensor_slices(np.arange(8, dtype=np.float32)).batch(8)
for batch in strategy.experimental_distribute_dataset(data):
    result = strategy.run(lambda t: tf.distribute.get_replica_context().all_reduce("SUM", tf.reduce_sum(t)),
                          args=(batch,))
    print("replicas", strategy.num_replicas_in_sync, [float(v) for v in result.values],
          float(strategy.reduce("SUM", result, axis=None)))
rng = np.random.default_rng(0)
x, y = rng.normal(size=(32, 4)).astype(np.float32), rng.normal(size=(32, 1)).astype(np.float32)
with strategy.scope():
    model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(1)])
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")
model.set_weights([np.ones((4, 1), np.float32), np.zeros(1, np.float32)])
print("losses", [round(v, 5) for v in model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0).history["loss"]])
"""


@pytest.mark.slow
def test_multi_worker_strategy_trains_across_two_processes():
    """Two processes on this machine (TF_CONFIG; JAX's coordinator, CPU collectives over gloo)
    make one 2-replica strategy: a cross-process all_reduce and fit give what one process gives
    (losses of the same model and batches on one device: [2.91015, 1.32864])."""
    import socket
    import subprocess
    import sys
    from tests.tfx_lite.multi_device import REPO_ROOT
    ports = []
    for _ in range(2):
        with socket.socket() as s:
            s.bind(("localhost", 0))
            ports.append(s.getsockname()[1])
    workers = [f"localhost:{p}" for p in ports]
    procs = []
    for index in range(2):
        env = {**__import__("os").environ, "PYTHONPATH": str(REPO_ROOT), "JAX_PLATFORMS": "cpu",
               "TF_CONFIG": json.dumps({"cluster": {"worker": workers}, "task": {"type": "worker", "index": index}})}
        procs.append(subprocess.Popen([sys.executable, "-c", WORKER], cwd=REPO_ROOT, env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    outputs = [p.communicate(timeout=180) for p in procs]
    for p, (out, err) in zip(procs, outputs):
        assert p.returncode == 0, err
        lines = [line for line in out.splitlines() if not line.startswith("[Gloo]")]  # gloo's own
        assert lines == ["replicas 2 [28.0] 56.0", "losses [2.91015, 1.32864]"], out
