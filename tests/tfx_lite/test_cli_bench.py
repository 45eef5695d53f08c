"""tfx-lite bench: the report (ratios to raw JAX, summary, files) on fixed results, and one
quick run of the real suite through the command."""
import json
import os

import pytest

from tfx_lite.cli import bench_command, bench_report, main


def _result(case, variant, value, unit="ms/call", lower=True, note=""):
    return {"case": case, "variant": variant, "value": value, "unit": unit, "lower_is_better": lower,
            "repeats": 3, "note": note}


RUNS = [
    {"workload": "matrix_power", "framework": "tfx_lite", "error": None,
     "results": [_result("100x100", "eager", 8.0), _result("100x100", "compiled", 1.2)]},
    {"workload": "matrix_power", "framework": "jax", "error": None,
     "results": [_result("100x100", "eager", 6.0), _result("100x100", "compiled", 1.0)]},
    {"workload": "matrix_power", "framework": "tensorflow", "error": None,
     "results": [_result("100x100", "eager", 12.0), _result("100x100", "compiled", 3.6, note="disagrees")]},
    {"workload": "data_pipeline", "framework": "tfx_lite", "error": None,
     "results": [_result("mnist", "tf.data", 50.0, "batches/s", lower=False)]},
    {"workload": "data_pipeline", "framework": "jax", "error": None,
     "results": [_result("mnist", "numpy slicing", 100.0, "batches/s", lower=False)]},
    {"workload": "cnn_fit", "framework": "keras_jax", "error": "keras is not installed", "results": []},
]


def test_cells_carry_the_ratio_to_raw_jax_compiled_and_the_summary_reads_at_a_glance():
    report = bench_report.Report(RUNS, {"keras_jax": "not installed"}, quick=True, seconds=3.0)
    header, rows = report.header(), report.table_rows()
    assert header[:2] == ["workload", "case"]
    assert header[2:] == ["tfx_lite eager", "tfx_lite compiled", "raw JAX eager", "raw JAX compiled",
                          "TensorFlow eager", "TensorFlow compiled"]
    row = dict(zip(header, rows[0]))
    assert row["tfx_lite compiled"] == "1.20 ms/call (1.20x)"
    assert row["tfx_lite eager"] == "8.00 ms/call (8.00x)"
    assert row["raw JAX compiled"] == "1.00 ms/call"  # the baseline itself
    pipeline = dict(zip(header, rows[1]))
    assert pipeline["case"] == "mnist (tf.data / numpy slicing)"
    assert pipeline["tfx_lite compiled"] == "50.0 batches/s (2.00x)"  # half the rate: twice as slow
    summary = "\n".join(report.summary())
    assert "tfx_lite compiled vs raw JAX compiled: 1.55x slower (geometric mean; 1.20-2.00x over 2 cases)" in summary
    assert "tfx_lite compiled vs TensorFlow compiled: 3.00x faster (geometric mean)" in summary
    assert "tfx_lite compiled vs tfx_lite eager: 6.67x faster" in summary
    assert "matrix_power 100x100 on tensorflow compiled: disagrees" in summary
    assert "cnn_fit on keras_jax: not measured (keras is not installed)" in summary
    assert "Keras 3 on JAX not run: not installed" in summary


def test_out_writes_markdown_json_and_a_chart(tmp_path):
    report = bench_report.Report(RUNS, {}, quick=True, seconds=3.0)
    written = report.write(tmp_path)
    assert [os.path.basename(p) for p in written[:2]] == ["bench.md", "bench.json"]
    markdown = (tmp_path / "bench.md").read_text()
    assert "| workload | case |" in markdown and "| matrix_power | 100x100 |" in markdown
    data = json.loads((tmp_path / "bench.json").read_text())
    assert data["runs"] == RUNS and data["summary"] == report.summary()
    chart = written[2]
    assert os.path.basename(chart) in ("bench.png", "bench_chart.txt")
    if chart.endswith(".txt"):
        text = open(chart).read()
        assert "matrix_power 100x100 · TensorFlow compiled" in text and "3.60x" in text


def test_bad_arguments_are_refused_with_status_2(capsys):
    assert main(["bench", "--only", "nope"]) == 2
    assert "unknown workload 'nope'" in capsys.readouterr().err
    assert main(["bench", "--compare", "pytorch"]) == 2
    assert "cannot compare with 'pytorch'" in capsys.readouterr().err


def test_a_framework_without_an_interpreter_is_reported_not_run():
    found = bench_command.interpreters(["tfx_lite", "keras_jax"], ["keras_jax=/nonexistent/python"])
    assert found["tfx_lite"] is not None and found["keras_jax"] == "/nonexistent/python"


@pytest.mark.slow
def test_a_quick_run_of_the_suite_prints_the_table(tmp_path, capsys):
    status = main(["bench", "--quick", "--only", "matrix_power", "--out", str(tmp_path)])
    out = capsys.readouterr()
    assert status == 0, out.err
    assert "tfx_lite compiled" in out.out and "raw JAX compiled" in out.out
    assert "tfx_lite compiled vs raw JAX compiled:" in out.out
    assert "[1/2] matrix_power on tfx_lite ... done in" in out.err
    assert (tmp_path / "bench.md").exists() and (tmp_path / "bench.json").exists()
