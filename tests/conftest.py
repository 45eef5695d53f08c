import jax
import pytest


def pytest_collection_modifyitems(config, items):
    """Tests marked `gpu` run only where JAX sees a GPU (the device machine); skipped elsewhere.
    With --shard, only this part's files run."""
    if config.getoption("--shard"):
        _part(config, items)
    if any(d.platform == "gpu" for d in jax.devices()):
        return
    skip = pytest.mark.skip(reason="needs a GPU")
    for item in items:
        if "gpu" in item.keywords:
            item.add_marker(skip)


# --- `make test` runs the suite as two processes at once (2 cores): --shard I/N ---------------
# Files are split whole (their tests keep their order and module state), the heaviest first onto
# the lighter part; seconds measured on 2 cores, other files count 0.1 s a test.
_SECONDS = {
    "tests/tfx_lite/test_tf_reference.py": 98, "tests/tfx_lite/test_op_gradients.py": 77,
    "tests/tfx_lite/test_ragged.py": 55, "tests/tfx_lite/test_random.py": 38,
    "tests/tfx_lite/test_tape_memory.py": 31, "tests/tfx_lite/test_sparse.py": 25,
    "tests/tfx_lite/keras/test_layers.py": 25, "tests/compiler/test_ir_text_execution.py": 21,
    "tests/tfx_lite/test_benchmarks.py": 19, "tests/tfx_lite/test_gradient_tape.py": 19,
    "tests/tfx_lite/test_properties.py": 17, "tests/tfx_lite/test_distribute.py": 14,
    "tests/tfx_lite/test_dataset_programs.py": 14, "tests/tfx_lite/keras/test_metrics.py": 13,
    "tests/tfx_lite/test_array_ops.py": 12, "tests/tfx_lite/keras/test_losses.py": 10,
    "tests/tfx_lite/test_nn_ops.py": 10, "tests/tfx_lite/test_slicing.py": 9,
    "tests/tfx_lite/test_autograph.py": 9, "tests/tfx_lite/keras/test_optimizers.py": 9,
    "tests/compiler/test_lower.py": 9, "tests/tfx_lite/keras/test_activations.py": 8,
    "tests/tfx_lite/keras/test_training.py": 8, "tests/tfx_lite/test_tensor_array.py": 8,
    "tests/tfx_lite/test_autograph_guide.py": 8, "tests/tfx_lite/test_session.py": 7,
    "tests/tfx_lite/test_cli_bench.py": 7, "tests/tfx_lite/test_cli_run.py": 7,
    "tests/tfx_lite/test_strings.py": 6, "tests/tfx_lite/test_function_shapes.py": 6,
    "tests/tfx_lite/test_stablehlo.py": 5,
}


def pytest_addoption(parser):
    parser.addoption("--shard", metavar="I/N", default=None,
                     help="run part I (0-based) of N of the suite, files split by their time")


def _part(config, items):
    index, count = (int(n) for n in config.getoption("--shard").split("/"))
    by_file: dict = {}
    for item in items:
        by_file.setdefault(item.nodeid.split("::")[0], []).append(item)
    weight = {f: _SECONDS.get(f, 0.1 * len(tests)) for f, tests in by_file.items()}
    loads, owner = [0.0] * count, {}
    for f in sorted(by_file, key=lambda f: (-weight[f], f)):
        part = min(range(count), key=lambda p: (loads[p], p))
        owner[f] = part
        loads[part] += weight[f]
    kept = [item for item in items if owner[item.nodeid.split("::")[0]] == index]
    config.hook.pytest_deselected(items=[item for item in items if owner[item.nodeid.split("::")[0]] != index])
    items[:] = kept
