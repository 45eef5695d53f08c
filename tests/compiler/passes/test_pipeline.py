"""run_pipeline: fold, CSE, DCE in turn; IR dumps; optional verification."""
import functools
from textwrap import dedent

import numpy as np
import pytest

from compiler import Graph, GraphBuilder, IRVerifyError, TensorType, Value, bind, print_graph
from compiler.passes import DEFAULT_PIPELINE, cse, dce, fold_constants, run_pipeline
from tests.compiler.passes._helpers import assert_same_values, call, register_call_op, snapshot


def _model():
    with GraphBuilder("model") as b:
        x = b.param(TensorType((4, 3), np.float32), "x")
        b.param(TensorType((), np.float32), "unused")
        w = bind("reshape", bind("range", start=0.0, limit=6.0, delta=1.0, dtype="float32"),
                 shape=(3, 2))
        h1 = bind("matmul", x, w, transpose_a=False, transpose_b=False)
        h2 = bind("matmul", x, w, transpose_a=False, transpose_b=False)
        bind("exp", h2)
        left, right = bind("split", h1, sizes=(1, 1), axis=1)
        b.graph.results = [bind("add", left, bind("mul", right, np.float32(2))), h2]
    return b.graph


EXPECTED = dedent("""\
    func @model(%x: f32[4,3], %unused: f32[]) -> (f32[4,1], f32[4,2]) {
      %0 = const() {value=array([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]], float32)} : f32[3,2]
      %1 = matmul(%x, %0) {transpose_a=False, transpose_b=False} : f32[4,2]
      %2, %3 = split(%1) {axis=1, sizes=(1, 1)} : f32[4,1], f32[4,1]
      %4 = const() {value=array(2.0, float32)} : f32[]
      %5 = mul(%3, %4) : f32[4,1]
      %6 = add(%2, %5) : f32[4,1]
      return %6, %1
    }""")


def test_the_default_pipeline_folds_merges_and_cleans_up():
    assert [p.__name__ for p in DEFAULT_PIPELINE] == ["fold_constants", "cse", "dce"]
    g = _model()
    before = snapshot(g)
    out = run_pipeline(g)
    assert print_graph(out) == EXPECTED
    assert snapshot(g) == before
    x = np.arange(12, dtype=np.float32).reshape(4, 3) / 7
    assert_same_values(g, out, x, np.float32(0))


def test_each_step_is_dumped_into_a_folder_named_after_the_graph(tmp_path):
    g = _model()
    run_pipeline(g, dump_dir=tmp_path)
    folder = tmp_path / "model"
    assert sorted(p.name for p in folder.iterdir()) == [
        "00_input.tfir", "01_fold_constants.tfir", "02_cse.tfir", "03_dce.tfir"]
    assert (folder / "00_input.tfir").read_text() == print_graph(g) + "\n"
    folded = fold_constants(g)
    assert (folder / "01_fold_constants.tfir").read_text() == print_graph(folded) + "\n"
    assert (folder / "02_cse.tfir").read_text() == print_graph(cse(folded)) + "\n"
    assert (folder / "03_dce.tfir").read_text() == EXPECTED + "\n"


def test_the_environment_variable_names_the_dump_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("TFX_DUMP_IR", str(tmp_path))
    with GraphBuilder("step.tape0") as b:
        x = b.param(TensorType((), np.float32), "x")
        b.graph.results = [bind("neg", x)]
    run_pipeline(b.graph, passes=(functools.partial(fold_constants, max_elements=1), dce))
    assert sorted(p.name for p in (tmp_path / "step.tape0").iterdir()) == [
        "00_input.tfir", "01_fold_constants.tfir", "02_dce.tfir"]


def test_nothing_is_written_without_a_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("TFX_DUMP_IR", raising=False)
    monkeypatch.chdir(tmp_path)
    run_pipeline(_model())
    assert list(tmp_path.iterdir()) == []


def test_dumps_print_the_sub_graphs_after_their_graph(tmp_path, monkeypatch):
    register_call_op(monkeypatch)
    with GraphBuilder("inner") as inner:
        y = inner.param(TensorType((), np.float32), "y")
        inner.graph.results = [bind("neg", y)]
    g = Graph("outer")
    x = g.add_param(TensorType((), np.float32), "x")
    g.results = [call(g, inner.graph, *call(g, inner.graph, x))[0]]
    run_pipeline(g, passes=(dce,), dump_dir=tmp_path)
    assert (tmp_path / "outer" / "01_dce.tfir").read_text() == dedent("""\
        func @outer(%x: f32[]) -> (f32[]) {
          %0 = test_call(%x) {body=@inner} : f32[]
          %1 = test_call(%0) {body=@inner} : f32[]
          return %1
        }

        func @inner(%y: f32[]) -> (f32[]) {
          %0 = neg(%y) : f32[]
          return %0
        }
        """)


def test_verify_runs_after_each_pass_when_asked():
    g = _model()
    assert print_graph(run_pipeline(g, verify=True)) == EXPECTED

    def break_results(graph):  # a pass that leaves a result no node defines
        out = cse(graph)
        out.results = [Value(out.results[0].type, None, None, out)]
        return out

    run_pipeline(g, passes=(break_results,))  # not verified: no error
    with pytest.raises(IRVerifyError, match="result") as info:
        run_pipeline(g, passes=(fold_constants, break_results), verify=True)
    assert info.value.__notes__ == ["while verifying the graph 'model' after break_results"]
