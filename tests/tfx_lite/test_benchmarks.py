"""tfx_lite/benchmarks: the workloads of `tfx-lite bench` (--quick) on tfx_lite and raw JAX, the
worker's JSON line and exit statuses, and the workloads' own result checks.

The workloads run in this process (loaded by path, as worker.py loads them: with their
directory on sys.path), the worker's command line in subprocesses."""
import importlib
import json
import math
import os
import subprocess
import sys

import numpy as np
import pytest

BENCH_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                         "tfx_lite", "benchmarks")
WORKER = os.path.join(BENCH_DIR, "worker.py")
WORKLOADS = ("matrix_power", "linear_training", "cnn_fit", "data_pipeline")
RESULT_KEYS = {"case": str, "variant": str, "value": float, "unit": str, "lower_is_better": bool,
               "repeats": int, "note": str}
EXPECTED = {  # (workload, framework) -> {(case, variant)} in --quick
    ("matrix_power", "tfx_lite"): {(c, v) for c in ("10x10 int32", "100x100 float32")
                                   for v in ("eager", "compiled")},
    ("linear_training", "tfx_lite"): {("seed linear model, 201 examples", v)
                                      for v in ("eager", "compiled")},
    ("cnn_fit", "tfx_lite"): {("batch 32", "fit")},
    ("data_pipeline", "tfx_lite"): {("10000 examples, batch 128", "tf.data")},
    ("cnn_fit", "jax"): {("batch 32", "jax.jit step")},
    ("data_pipeline", "jax"): {("10000 examples, batch 128", "numpy slicing")},
}
EXPECTED[("matrix_power", "jax")] = EXPECTED[("matrix_power", "tfx_lite")]
EXPECTED[("linear_training", "jax")] = EXPECTED[("linear_training", "tfx_lite")]


def _load(name):
    if BENCH_DIR not in sys.path:
        sys.path.insert(0, BENCH_DIR)
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(BENCH_DIR)


worker = _load("worker")
bench_util = _load("bench_util")
modules = {w: _load(w) for w in WORKLOADS}


def _run_worker(*args):
    proc = subprocess.run([sys.executable, WORKER, *args], capture_output=True, text=True,
                          timeout=120)
    lines = proc.stdout.splitlines()
    assert len(lines) == 1, (proc.stdout, proc.stderr)  # only the JSON on stdout
    return proc.returncode, json.loads(lines[0]), proc.stderr


def _check_results(results, expected):
    assert {(r["case"], r["variant"]) for r in results} == expected
    for r in results:
        assert set(r) == set(RESULT_KEYS), r
        for key, kind in RESULT_KEYS.items():
            assert type(r[key]) is kind, (key, r)
        assert math.isfinite(r["value"]) and r["value"] > 0, r
        assert r["repeats"] >= 1 and r["unit"] in ("ms/call", "ms/step", "ms/batch"), r
        assert r["lower_is_better"] is True
        assert r["note"] == "", r  # the workload's own check of its result passed


# ----------------------------------------------------------------------------- the workloads

@pytest.mark.parametrize("framework", ["tfx_lite", "jax"])
@pytest.mark.parametrize("workload", WORKLOADS)
def test_quick_workload_runs_checks_and_reports(workload, framework, monkeypatch):
    monkeypatch.setattr(bench_util, "SMOKE", True)  # one timed call each: this checks results, not speed
    env = worker.load(framework)
    rec = bench_util.Recorder(workload, framework)
    modules[workload].run(env, True, rec)
    _check_results(rec.results, EXPECTED[workload, framework])
    json.dumps(rec.results)  # JSON-serialisable as is


# ----------------------------------------------------------------------------- the worker's CLI

def test_worker_prints_one_json_line_with_versions_and_results():
    status, out, err = _run_worker("--framework", "jax", "--workload", "linear_training", "--quick")
    assert status == 0, err
    assert set(out) == {"workload", "framework", "versions", "results", "error"}
    assert out["workload"] == "linear_training" and out["framework"] == "jax" and out["error"] is None
    assert out["versions"]["jax"] and out["versions"]["numpy"] and out["versions"]["python"]
    _check_results(out["results"], EXPECTED["linear_training", "jax"])
    assert "linear_training seed linear model, 201 examples jax compiled:" in err  # progress


def test_list_says_what_runs_where():
    status, out, _ = _run_worker("--list")
    assert status == 0
    assert out["workloads"] == list(WORKLOADS)
    assert out["frameworks"]["tfx_lite"] == list(WORKLOADS)
    assert out["frameworks"]["tensorflow"] == list(WORKLOADS)
    assert out["frameworks"]["jax"] == list(WORKLOADS)
    assert out["frameworks"]["keras_jax"] == ["cnn_fit"]
    assert out["installed"]["tfx_lite"] is True and out["installed"]["jax"] is True
    assert set(out["installed"]) == set(out["frameworks"])


def test_a_framework_that_is_not_installed_is_a_json_error_with_status_0():
    absent = [f for f, m in (("keras_jax", "keras"), ("tensorflow", "tensorflow"))
              if importlib.util.find_spec(m) is None]
    if not absent:
        pytest.skip("keras and tensorflow are both installed here")
    workload = "cnn_fit" if absent[0] == "keras_jax" else "matrix_power"
    status, out, _ = _run_worker("--framework", absent[0], "--workload", workload, "--quick")
    assert status == 0
    assert out["error"] == f"{absent[0]} is not installed in {sys.executable}"
    assert out["results"] == [] and out["framework"] == absent[0] and out["workload"] == workload


def test_unknown_names_and_unsupported_pairs_are_json_errors_with_status_2():
    status, out, _ = _run_worker("--framework", "pytorch", "--workload", "matrix_power")
    assert status == 2 and out["error"].startswith("unknown framework 'pytorch'")
    assert out["results"] == []
    status, out, _ = _run_worker("--framework", "jax", "--workload", "nope")
    assert status == 2 and out["error"].startswith("unknown workload 'nope'")
    status, out, _ = _run_worker("--framework", "keras_jax", "--workload", "matrix_power")
    assert status == 2 and out["error"] == ("matrix_power does not run on keras_jax (it runs on "
                                            "tfx_lite, tensorflow, jax)")


# ----------------------------------------------------------------------------- the checks

def test_the_checks_notice_wrong_results():
    """A framework computing the wrong thing gets a note, not just a fast time."""
    mp = modules["matrix_power"]
    x = mp.make_input(10, "int32")
    want = mp.reference(x, mp.POWER)
    assert mp.check("r", want.copy(), want) == ""
    wrong = want.copy()
    wrong[0, 0] += 1
    assert "1 elements differ" in mp.check("r", wrong, want)
    x = mp.make_input(100, "float32")
    want = mp.reference(x, mp.POWER)
    assert mp.check("r", want.astype(np.float32), want) == ""
    assert "max |diff|" in mp.check("r", want * 1.01, want)

    lt = modules["linear_training"]
    data = lt.make_data()
    assert np.allclose(lt.reference(*data, 2000), [lt.TRUE_W, lt.TRUE_B], atol=1e-6)

    dp = modules["data_pipeline"]
    images, labels = dp.make_data(1000)
    rng = np.random.default_rng(3)
    order = rng.permutation(1000)

    def batches(order):
        return [(images[order[s:s + 128]].astype(np.float32) / 255,
                 labels[order[s:s + 128]].astype(np.int64)) for s in range(0, 1000, 128)]
    assert dp.check(batches(order), images, labels, (np.int64,)) == ""
    assert "not shuffled" in dp.check(batches(np.arange(1000)), images, labels, (np.int64,))
    assert "batch sizes" in dp.check(batches(order)[:-1], images, labels, (np.int64,))
    assert "int32" in dp.check([(x, y.astype(np.int32)) for x, y in batches(order)], images,
                               labels, (np.int64,))

    cnn = modules["cnn_fit"]
    x, y = cnn.make_data(64)
    weights = cnn.initial_weights()
    init_loss = cnn.np_loss(weights, x, y)
    logits = cnn.np_forward(weights, x[:16])
    assert "did not lower the loss" in cnn.check([2.3], logits, weights, init_loss, x, y)
    assert "logits on 16 samples" in cnn.check([2.3], logits + 0.1, weights, init_loss, x, y)
    assert "not finite" in cnn.check([float("nan")], logits, weights, init_loss, x, y)
