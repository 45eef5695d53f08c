"""tfx_lite/saved_model/stablehlo/: export a traced function as serialized StableHLO, load it
back (in another process, without the defining code), and refuse damaged artifacts cleanly."""
import json
import os
import shutil
import subprocess
import sys

import jax
import numpy as np
import pytest

pytest.importorskip("flatbuffers", reason="jax.export serialization needs the flatbuffers package")

import tfx_lite as tf  # noqa: E402
from tfx_lite.saved_model.stablehlo import __main__ as stablehlo_main  # noqa: E402
from tfx_lite.saved_model.stablehlo import export_stablehlo, load_stablehlo  # noqa: E402
from tfx_lite.saving import manifest  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _model():
    kernel = tf.Variable(np.arange(12, dtype=np.float32).reshape(3, 4) / 10, name="kernel")
    bias = tf.Variable(np.array([1.0, -1.0, 0.5, 0.0], np.float32), name="bias")

    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32, name="x"),
                                  tf.TensorSpec([None], tf.int32, name="ids")])
    def predict(x, ids):
        logits = tf.matmul(x, kernel) + bias
        return {"probs": tf.nn.softmax(logits), "pair": (tf.reduce_sum(logits, axis=1), ids * 2)}

    return predict, (kernel, bias)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """(artifact directory, the tf.function): a function capturing variables, with a None batch
    dimension and a dict-of-tuple output."""
    predict, variables = _model()
    path = str(tmp_path_factory.mktemp("hlo") / "predict")
    export_stablehlo(predict, path)
    return path, predict, variables


@pytest.fixture
def damaged(exported, tmp_path, monkeypatch):
    """A copy of the artifact to damage; jax.export.deserialize fails the test if reached."""
    path = str(tmp_path / "copy")
    shutil.copytree(exported[0], path)

    reached = []

    def deserialize(*args, **kwargs):
        reached.append(args)
        raise AssertionError("unchecked bytes reached jax.export.deserialize")

    monkeypatch.setattr(jax.export, "deserialize", deserialize)
    yield path
    assert not reached, "unchecked bytes reached jax.export.deserialize"


def _run_elsewhere(*args: str) -> str:
    """Run `python ARGS` (`-c CODE` importing only tfx_lite, or `-m ...`) in a fresh
    interpreter; its stdout."""
    done = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "JAX_PLATFORMS": "cpu"})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_files_and_manifest(exported):
    path = exported[0]
    assert sorted(os.listdir(path)) == ["module.bin", "stablehlo.json", "variables.npz"]
    body = manifest.read(os.path.join(path, "stablehlo.json"), "tfx_lite.stablehlo", 1)
    assert [(e["name"], e["dtype"]) for e in body["inputs"]] == [("x", "float32"), ("ids", "int32")]
    assert isinstance(body["inputs"][0]["shape"][0], str) and body["inputs"][0]["shape"][1] == 3
    assert {e["name"] for e in body["outputs"]} == {"probs", "pair/0", "pair/1"}
    assert [(e["name"], e["shape"]) for e in body["variables"]["entries"]] == \
        [("kernel:0", [3, 4]), ("bias:0", [4])]
    assert body["module"]["platforms"] == [jax.export.default_export_platform()]
    assert body["jax_version"] == jax.__version__
    with open(os.path.join(path, "module.bin"), "rb") as f:
        assert manifest.sha256(f.read()) == body["module"]["sha256"]


def test_round_trip_in_another_process(exported, tmp_path):
    """Load and run in a fresh process (two batch sizes); outputs equal the original's. The
    variables' values are those at export: changing them afterwards changes nothing."""
    path, predict, (kernel, _) = exported
    single = tf.function(lambda x: tf.reduce_max(x, axis=0) * 2.0,
                         input_signature=[tf.TensorSpec([2, 2], tf.float64)])
    single_path = export_stablehlo(single, str(tmp_path / "single"))
    inputs = {2: (np.arange(6, dtype=np.float32).reshape(2, 3), np.array([1, 2, 3], np.int32)),
              5: (np.linspace(-1, 1, 15, dtype=np.float32).reshape(5, 3), np.array([7], np.int32))}
    expected = {n: predict(x, ids) for n, (x, ids) in inputs.items()}
    kernel.assign(tf.zeros([3, 4]))  # after export: not seen by the artifact
    code = f"""
import json, numpy as np
import tfx_lite as tf
from tfx_lite.saved_model.stablehlo import load_stablehlo
served = load_stablehlo({path!r})
out = {{}}
for n, (x, ids) in {{2: ({inputs[2][0].tolist()}, {inputs[2][1].tolist()}),
                     5: ({inputs[5][0].tolist()}, {inputs[5][1].tolist()})}}.items():
    r = served(tf.constant(x, tf.float32), ids=tf.constant(ids))
    assert isinstance(r, dict) and isinstance(r["pair"], tuple), r
    out[n] = [r["probs"].numpy().tolist(), r["pair"][0].numpy().tolist(), r["pair"][1].numpy().tolist(),
              r["probs"].dtype.name, r["pair"][1].dtype.name]
s = load_stablehlo({single_path!r})
y = s(np.array([[1.0, 5.0], [3.0, 2.0]]))
out["single"] = [type(y).__name__, y.dtype.name, y.numpy().tolist()]
out["specs"] = [repr(t) for t in served.inputs]
print(json.dumps(out))
"""
    got = json.loads(_run_elsewhere("-c", code).strip().splitlines()[-1])
    for n, want in expected.items():
        probs, sums, ids2, probs_dtype, ids_dtype = got[str(n)]
        np.testing.assert_allclose(probs, want["probs"].numpy(), rtol=1e-6)
        np.testing.assert_allclose(sums, want["pair"][0].numpy(), rtol=1e-6)
        assert ids2 == want["pair"][1].numpy().tolist()
        assert (probs_dtype, ids_dtype) == ("float32", "int32")
    assert got["single"] == ["EagerTensor", "float64", [6.0, 10.0]]
    assert got["specs"] == ["TensorSpec(shape=(None, 3), dtype=tf.float32, name='x')",
                            "TensorSpec(shape=(None,), dtype=tf.int32, name='ids')"]


def test_loaded_specs_and_call_checks(exported):
    served = load_stablehlo(exported[0])
    assert [s.name for s in served.inputs] == ["x", "ids"]
    assert served.inputs[0].shape.as_list() == [None, 3]
    assert [(s.name, s.shape.as_list()) for s in served.variables] == [("kernel:0", [3, 4]), ("bias:0", [4])]
    x = tf.ones([2, 3])
    with pytest.raises(TypeError, match=r"input 'x' \(#0\) must be a float32 tensor, got float64"):
        served(tf.ones([2, 3], tf.float64), [1])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"input 'x' \(#0\) must have shape \(None, 3\), got \(2, 4\)"):
        served(tf.ones([2, 4]), [1])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"input 'ids' \(#1\) must have shape"):
        served(x, [[1]])
    with pytest.raises(TypeError, match="missing input"):
        served(x)
    with pytest.raises(TypeError, match="unexpected input 'y'"):
        served(x, ids=[1], y=2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="size 0"):
        served(tf.ones([0, 3]), [1])


def test_shared_batch_dimension_and_cpu_cuda(tmp_path):
    """x + y needs both unknown batch dimensions equal: they share the symbol `batch`, which the
    call checks. Exported for cpu and cuda, it runs here on cpu."""
    f = tf.function(lambda x, y: (x + y, tf.concat([x, y], axis=0)),
                    input_signature=[tf.TensorSpec([None, 2], tf.float32)] * 2)
    served = load_stablehlo(export_stablehlo(f, str(tmp_path / "f"), platforms=("cpu", "cuda")))
    assert served.platforms == ("cpu", "cuda")
    body = manifest.read(str(tmp_path / "f" / "stablehlo.json"), "tfx_lite.stablehlo", 1)
    assert [e["shape"] for e in body["inputs"]] == [["batch", 2], ["batch", 2]]
    assert body["outputs"][1]["shape"] == ["2*batch", 2]
    for n in (1, 4):
        a, b = np.ones((n, 2), np.float32), np.full((n, 2), 2.0, np.float32)
        s, c = served(a, b)
        np.testing.assert_array_equal(s.numpy(), a + b)
        assert c.shape.as_list() == [2 * n, 2]
    with pytest.raises(tf.errors.InvalidArgumentError, match="dimension 'batch'"):
        served(np.ones((1, 2), np.float32), np.ones((3, 2), np.float32))


def test_unknown_dimension_needed_statically_asks_for_known_shapes(tmp_path):
    f = tf.function(lambda x: tf.reshape(x, [tf.shape(x)[0] * 3]),
                    input_signature=[tf.TensorSpec([None, 3], tf.float32)])
    with pytest.raises(ValueError, match="unknown dimensions .*Give fully known input shapes"):
        export_stablehlo(f, str(tmp_path / "f"))
    assert not os.path.exists(tmp_path / "f")
    served = load_stablehlo(export_stablehlo(f, str(tmp_path / "f"),
                                             input_signature=[tf.TensorSpec([2, 3], tf.float32)]))
    assert served.inputs[0].shape.as_list() == [2, 3]
    assert served(tf.ones([2, 3])).numpy().tolist() == [1.0] * 6


def test_refusals(tmp_path):
    v = tf.Variable(1.0)

    @tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
    def step(x):
        v.assign_add(x)
        return v.read_value()

    with pytest.raises(ValueError, match="assigns variables .*must be pure"):
        export_stablehlo(step, str(tmp_path / "a"))
    lengths = tf.function(lambda s: tf.strings.length(s), input_signature=[tf.TensorSpec([2], tf.string)])
    with pytest.raises(TypeError, match="string tensor"):
        export_stablehlo(lengths, str(tmp_path / "b"))
    with pytest.raises(ValueError, match="no input_signature"):
        export_stablehlo(tf.function(lambda x: x), str(tmp_path / "c"))
    with pytest.raises(ValueError, match="unknown platform 'tpu9'"):
        export_stablehlo(tf.function(lambda x: x), str(tmp_path / "d"), [tf.TensorSpec([1])], ["tpu9"])
    assert not any(os.path.exists(tmp_path / n) for n in "abcd")


def test_other_platform_only_is_refused_at_call(tmp_path):
    here = jax.export.default_export_platform()
    other = "cuda" if here != "cuda" else "cpu"
    f = tf.function(lambda x: x * 2.0, input_signature=[tf.TensorSpec([2])])
    served = load_stablehlo(export_stablehlo(f, str(tmp_path / "f"), platforms=[other]))
    with pytest.raises(tf.errors.FailedPreconditionError, match=f"exported for platforms \\['{other}'\\]"):
        served(tf.ones([2]))


def test_export_overwrites_and_concrete_function(exported, tmp_path):
    predict = exported[1]
    path = str(tmp_path / "f")
    export_stablehlo(predict, path)
    concrete = tf.function(lambda x: -x).get_concrete_function(tf.TensorSpec([3], tf.int32))
    export_stablehlo(concrete, path)
    served = load_stablehlo(path)
    assert served(tf.constant([1, 2, 3])).numpy().tolist() == [-1, -2, -3]
    assert served.variables == []


# --- damaged artifacts: clean errors naming the file, nothing deserialized -----------------------

def _flip_bit(path, at=None):
    data = bytearray(open(path, "rb").read())
    i = len(data) // 2 if at is None else at
    data[i] ^= 0x10
    open(path, "wb").write(bytes(data))


def test_truncated_module(damaged):
    module = os.path.join(damaged, "module.bin")
    data = open(module, "rb").read()
    open(module, "wb").write(data[:len(data) // 2])
    with pytest.raises(tf.errors.DataLossError, match=r"module\.bin: holds \d+ bytes.*truncated"):
        load_stablehlo(damaged)


def test_flipped_bit_in_module(damaged):
    _flip_bit(os.path.join(damaged, "module.bin"))
    with pytest.raises(tf.errors.DataLossError, match=r"module\.bin: checksum mismatch"):
        load_stablehlo(damaged)


def test_flipped_bit_in_variables(damaged):
    _flip_bit(os.path.join(damaged, "variables.npz"))
    with pytest.raises(tf.errors.DataLossError, match=r"variables\.npz: checksum mismatch"):
        load_stablehlo(damaged)


def test_flipped_bit_in_manifest(damaged):
    path = os.path.join(damaged, "stablehlo.json")
    _flip_bit(path, at=len(open(path, "rb").read()) - 20)
    with pytest.raises(tf.errors.DataLossError, match=r"stablehlo\.json: checksum mismatch"):
        load_stablehlo(damaged)


def test_newer_version(damaged):
    path = os.path.join(damaged, "stablehlo.json")
    body = manifest.read(path, "tfx_lite.stablehlo", 1)
    open(path, "wb").write(manifest.dumps("tfx_lite.stablehlo", 99, body))
    with pytest.raises(ValueError, match=r"stablehlo\.json: written in tfx_lite.stablehlo version 99"):
        load_stablehlo(damaged)


def test_other_format(damaged):
    path = os.path.join(damaged, "stablehlo.json")
    body = manifest.read(path, "tfx_lite.stablehlo", 1)
    open(path, "wb").write(manifest.dumps("tfx_lite.checkpoint", 1, body))
    with pytest.raises(tf.errors.DataLossError, match=r"stablehlo\.json: is a 'tfx_lite.checkpoint' file"):
        load_stablehlo(damaged)


def test_malformed_body_with_valid_checksum(damaged):
    path = os.path.join(damaged, "stablehlo.json")
    body = manifest.read(path, "tfx_lite.stablehlo", 1)
    body["module"]["file"] = "../elsewhere.bin"
    open(path, "wb").write(manifest.dumps("tfx_lite.stablehlo", 1, body))
    with pytest.raises(tf.errors.DataLossError, match=r"stablehlo\.json: malformed manifest: module"):
        load_stablehlo(damaged)
    body["module"]["file"] = "module.bin"
    body["structure"] = {"tensor": 7}
    open(path, "wb").write(manifest.dumps("tfx_lite.stablehlo", 1, body))
    with pytest.raises(tf.errors.DataLossError, match="malformed manifest: structure"):
        load_stablehlo(damaged)


@pytest.mark.parametrize("name", ["stablehlo.json", "module.bin", "variables.npz"])
def test_missing_file(damaged, name):
    os.remove(os.path.join(damaged, name))
    with pytest.raises(tf.errors.NotFoundError, match=f"{name}: no such file"):
        load_stablehlo(damaged)


def test_missing_directory(tmp_path):
    with pytest.raises(tf.errors.NotFoundError, match="no such directory"):
        load_stablehlo(str(tmp_path / "nothing"))


# --- the command ----------------------------------------------------------------------------

def test_command_run_and_describe(exported, capsys):
    path = exported[0]
    assert stablehlo_main._main(["describe", path]) == 0
    text = capsys.readouterr().out
    assert "x: f32[x_0,3]" in text and "kernel:0: f32[3,4]" in text and "pair/1: i32[ids_0]" in text
    out = _run_elsewhere("-m", "tfx_lite.saved_model.stablehlo", "run", path,
                         "--input", "f32[2,3]=0.5", "--input", "ids=[4, 5]")
    assert "probs: <tf.Tensor: shape=(2, 4), dtype=float32" in out
    assert "pair/1: <tf.Tensor: shape=(2,), dtype=int32, numpy=array([ 8, 10], dtype=int32)>" in out
    assert "pair/0: <tf.Tensor: shape=(2,), dtype=float32" in out
    assert stablehlo_main._main(["run", path, "--input", "[[1, 2]]", "--input", "[1]"]) == 1
    assert "input 'x' (#0) must have shape (None, 3), got (1, 2)" in capsys.readouterr().err


def test_command_export_from_saved_model(tmp_path, capsys):
    saved_model = getattr(tf, "saved_model", None)
    if saved_model is None or not hasattr(saved_model, "save") or not hasattr(saved_model, "load"):
        pytest.skip("tf.saved_model.save/load are not available yet")
    module = tf.Module()
    module.v = tf.Variable([1.0, 2.0])
    module.f = tf.function(lambda x: {"y": x * module.v}, input_signature=[tf.TensorSpec([None, 2])])
    saved_model.save(module, str(tmp_path / "sm"), signatures=module.f)
    assert stablehlo_main._main(["export", str(tmp_path / "sm"), str(tmp_path / "hlo")]) == 0
    assert "StableHLO export" in capsys.readouterr().out
    served = load_stablehlo(str(tmp_path / "hlo"))
    assert served(x=tf.constant([[3.0, 4.0]]))["y"].numpy().tolist() == [[3.0, 8.0]]
