"""`tfx-lite ir SCRIPT.py:FUNCTION` (tfx_lite/cli/ir_command.py), run in-process through
tfx_lite.cli.main, plus one run of `python -m tfx_lite ir` as a subprocess."""
import os
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest

from tests.compiler.test_dot import check_dot
from tfx_lite.cli import main

DATA = Path(__file__).parent / "data" / "cli_ir"
SCRIPT = str(DATA / "functions.py")
ROOT = Path(__file__).resolve().parents[2]


def ir(capsys, *argv, script=SCRIPT):
    """(exit status, stdout, stderr) of `tfx-lite ir` on `script:argv[0]` and the other args."""
    target, *rest = argv
    status = main(["ir", f"{script}:{target}", *rest])
    out, err = capsys.readouterr()
    return status, out, err


def usage_error(capsys, *argv, script=SCRIPT) -> str:
    """Runs a command that must fail with exit 2 and one line on stderr; returns that line."""
    status, out, err = ir(capsys, *argv, script=script)
    assert (status, out) == (2, ""), err
    assert err.startswith("tfx-lite ir: error: ") and err.endswith("\n") and err.count("\n") == 1, err
    return err[len("tfx-lite ir: error: "):-1]


AFFINE_RAW = dedent("""\
    func @affine(%x: f32[2], %y: f32[2]) -> (f32[2]) {
      %0 = mul(%x, %y) : f32[2]
      %1 = mul(%x, %y) : f32[2]
      %2 = const() {value=array(2.0, float32)} : f32[]
      %3 = const() {value=array(3.0, float32)} : f32[]
      %4 = mul(%2, %3) : f32[]
      %5 = exp(%x) : f32[2]
      %6 = add(%0, %1) : f32[2]
      %7 = add(%6, %4) : f32[2]
      return %7
    }
    """)

AFFINE_OPTIMIZED = dedent("""\
    func @affine(%x: f32[2], %y: f32[2]) -> (f32[2]) {
      %0 = mul(%x, %y) : f32[2]
      %1 = const() {value=array(6.0, float32)} : f32[]
      %2 = add(%0, %0) : f32[2]
      %3 = add(%2, %1) : f32[2]
      return %3
    }
    """)


# --- where the inputs come from ---

def test_input_signature(capsys):
    assert ir(capsys, "scale") == (0, dedent("""\
        func @scale(%x: f32[?,3]) -> (f32[?,3]) {
          %0 = const() {value=array(2.0, float32)} : f32[]
          %1 = mul(%x, %0) : f32[?,3]
          return %1
        }
        """), "")


def test_plain_function_with_input(capsys):
    assert ir(capsys, "affine", "--input", "f32[2]", "f32[2]") == (0, AFFINE_OPTIMIZED, "")
    # the same as tf.dump_ir prints (plus the final newline)
    import tfx_lite as tf
    import runpy
    namespace = runpy.run_path(SCRIPT, run_name="not_main")
    spec = tf.TensorSpec([2], tf.float32)
    assert tf.dump_ir(namespace["affine"], spec, spec) + "\n" == AFFINE_OPTIMIZED


def test_keyword_inputs_and_python_values(capsys):
    assert ir(capsys, "affine", "--input", "x=f32[2]", "y=f32[2]")[:2] == (0, AFFINE_OPTIMIZED)
    status, out, _ = ir(capsys, "model.predict_step", "-i", "f32[1,3]", "training=True")
    assert status == 0 and "relu" not in out
    assert usage_error(capsys, "affine", "-i", "x=f32[2]", "f32[2]") == \
        "--input 'f32[2]': a positional input after a keyword one (x=...)"


def test_input_before_the_target(capsys):
    assert main(["ir", "--input", "f32[2]", "f32[2]", f"{SCRIPT}:affine"]) == 0
    assert capsys.readouterr().out == AFFINE_OPTIMIZED


def test_method_of_a_module_instance(capsys):
    # model.__call__ is a tf.function the script called (its trace is used; %w is the variable)
    assert ir(capsys, "model.__call__") == (0, dedent("""\
        func @__call__(%x: f32[1,3], %w: f32[3,2]) -> (f32[1,2]) {
          %0 = matmul(%x, %w) : f32[1,2]
          return %0
        }
        """), "")
    # a plain method, wrapped with tf.function; its call of the tf.function prints after it
    assert ir(capsys, "model.predict_step", "--input", "x=f32[1,3]") == (0, dedent("""\
        func @predict_step(%x: f32[1,3], %w: f32[3,2]) -> (f32[1,2]) {
          %0 = call(%x, %w) {fn=@__call__} : f32[1,2]
          %1 = relu(%0) : f32[1,2]
          return %1
        }

        func @__call__(%x: f32[1,3], %w: f32[3,2]) -> (f32[1,2]) {
          %0 = matmul(%x, %w) : f32[1,2]
          return %0
        }
        """), "")


def test_already_traced(capsys):
    assert ir(capsys, "called") == (0, dedent("""\
        func @called(%x: f32[2]) -> (f32[2]) {
          %0 = exp(%x) : f32[2]
          %1 = const() {value=array(1.0, float32)} : f32[]
          %2 = add(%0, %1) : f32[2]
          return %2
        }
        """), "")
    # --input picks another trace
    assert "f32[5]" in ir(capsys, "called", "--input", "f32[5]")[1]


def test_example_args(capsys):
    assert ir(capsys, "scaled") == (0, dedent("""\
        func @scaled(%x: f32[4]) -> (f32[4]) {
          %0 = const() {value=array(3.0, float32)} : f32[]
          %1 = mul(%x, %0) : f32[4]
          return %1
        }
        """), "")


def test_tensorflow_script(capsys):
    pytest.importorskip("tfx_lite.cli.tensorflow_alias")
    assert ir(capsys, "double", script=str(DATA / "tf_script.py")) == (0, dedent("""\
        func @double(%x: f32[2]) -> (f32[2]) {
          %0 = add(%x, %x) : f32[2]
          return %0
        }
        """), "")
    assert "tensorflow" not in sys.modules  # the alias is uninstalled after the command


# --- stages and passes ---

def test_stage_raw(capsys):
    assert ir(capsys, "affine", "--input", "f32[2]", "f32[2]", "--stage", "raw") == (0, AFFINE_RAW, "")


def test_stage_hlo(capsys):
    status, out, _ = ir(capsys, "model.__call__", "--stage", "hlo")
    assert status == 0 and out.startswith("module @jit___call")
    assert "stablehlo.dot_general" in out and "tensor<1x3xf32>, tensor<3x2xf32>" in out
    # the signature has an unknown dimension: --input gives the shape XLA compiles for
    status, out, _ = ir(capsys, "scale", "--input", "f32[4,3]", "--stage", "hlo")
    assert status == 0 and "stablehlo.multiply" in out and "tensor<4x3xf32>" in out
    status, out, _ = ir(capsys, "scale", "--input", "f32[4,3]", "--stage", "optimized_hlo")
    assert status == 0 and out.startswith("HloModule jit_scale")


def test_hlo_needs_known_shapes(capsys):
    assert usage_error(capsys, "scale", "--stage", "hlo") == (
        "the hlo stages need known shapes, and scale's parameter x has type f32[?,3]; give "
        "--input with every dimension known (e.g. f32[2,3])")


def test_passes(capsys):
    def run(passes):
        status, out, err = ir(capsys, "affine", "-i", "f32[2]", "f32[2]", "--passes", passes)
        assert status == 0, err
        return out

    cse = run("cse")  # the duplicated x * y is merged; nothing else changes
    assert AFFINE_RAW.count("mul(%x, %y)") == 2 and cse.count("mul(%x, %y)") == 1
    assert cse == dedent("""\
        func @affine(%x: f32[2], %y: f32[2]) -> (f32[2]) {
          %0 = mul(%x, %y) : f32[2]
          %1 = const() {value=array(2.0, float32)} : f32[]
          %2 = const() {value=array(3.0, float32)} : f32[]
          %3 = mul(%1, %2) : f32[]
          %4 = exp(%x) : f32[2]
          %5 = add(%0, %0) : f32[2]
          %6 = add(%5, %3) : f32[2]
          return %6
        }
        """)
    dce = run("dce")  # only the unused exp goes
    assert "exp" not in dce and dce.count("mul(") == 3
    folded = run("fold_constants")
    assert "array(6.0, float32)" in folded and "exp(%x)" in folded
    assert run("fold_constants,cse,dce") == AFFINE_OPTIMIZED  # the default pipeline
    # in the order given: dce before fold_constants leaves the folded constants' inputs behind
    assert "array(2.0, float32)" in run("dce,fold_constants")
    assert "array(2.0, float32)" not in run("fold_constants,dce")


def test_passes_list(capsys):
    assert main(["ir", "--passes", "list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in out[:3]] == ["cse", "dce", "fold_constants"]
    assert out[-1] == "(--stage optimized runs fold_constants,cse,dce)"


def test_passes_and_stage_are_exclusive(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["ir", f"{SCRIPT}:affine", "--passes", "cse", "--stage", "hlo"])
    assert exit_info.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


# --- --dot ---

def test_dot(capsys, tmp_path):
    path = tmp_path / "loop.dot"
    status, out, _ = ir(capsys, "loop", "--input", "f32[2]", "--dot", str(path))
    assert status == 0 and out.startswith("func @loop(%x: f32[2]) -> (f32[2]) {")  # printed too
    dot = check_dot(path.read_text())
    assert dot.graph_attrs["label"] == "func @loop"
    assert sorted(c["label"] for c in dot.clusters.values()) == [
        "func @cond_false", "func @cond_true", "func @while_body", "func @while_cond"]
    assert dot.nodes["g0_p0"] == {"shape": "invhouse", "label": "%x\nf32[2]"}

    # with --passes, the graph after the passes (and with --stage raw, the raw one)
    ir(capsys, "affine", "-i", "f32[2]", "f32[2]", "--passes", "dce", "--dot", str(path))
    ops = [n["label"].split("\n")[0] for n in check_dot(path.read_text()).nodes.values() if n["shape"] == "box"]
    assert ops == ["mul", "mul", "const", "const", "mul", "add", "add"]
    ir(capsys, "affine", "-i", "f32[2]", "f32[2]", "--stage", "raw", "--dot", str(path))
    ops = [n["label"].split("\n")[0] for n in check_dot(path.read_text()).nodes.values() if n["shape"] == "box"]
    assert "exp" in ops and len(ops) == 8


# --- errors ---

def test_errors(capsys, tmp_path):
    assert usage_error(capsys, "nope") == (
        f"{SCRIPT} has no function 'nope' (it defines: scale, affine, called, loop, scaled, no_inputs)")
    assert usage_error(capsys, "model.nope") == "model (a Dense) has no attribute 'nope'"
    assert usage_error(capsys, "Dense.__call__").startswith("Dense.__call__ is a method of the class Dense")
    assert usage_error(capsys, "affine", "--input", "f32[2,x]", "f32[2]") == (
        "bad --input 'f32[2,x]': expected a dimension (an integer or ?) in type 'f32[2,x]', got 'x'")
    assert usage_error(capsys, "affine", "--input", "q8[2]", "f32[2]") == (
        "bad --input 'q8[2]': unknown dtype 'q8' in type 'q8[2]'")
    assert usage_error(capsys, "affine", "--input", "f32[2]") == (
        "--input does not fit affine(x, y): missing a required argument: 'y'")
    assert usage_error(capsys, "scale", "--input", "f32[2,2]") == (
        "--input input 1 (f32[2,2]) does not fit scale's input_signature: f32[?,3] expected")
    assert usage_error(capsys, "affine", "--passes", "cse,nope") == (
        "unknown pass 'nope'; available: cse, dce, fold_constants")
    assert usage_error(capsys, "no_inputs") == (
        "no inputs for no_inputs: give one --input TYPE per argument (e.g. --input 'f32[2,3]'), "
        "give it an input_signature, call it in the script, or define "
        "EXAMPLE_ARGS = {'no_inputs': (args, ...)} in functions.py")
    missing = str(tmp_path / "missing.py")
    assert usage_error(capsys, "f", script=missing) == f"no such script: {missing}"
    assert main(["ir", SCRIPT]) == 2
    assert capsys.readouterr().err == f"tfx-lite ir: error: expected SCRIPT.py:FUNCTION, got '{SCRIPT}'\n"


def test_script_that_raises(capsys):
    status, out, err = ir(capsys, "f", "-i", "f32[]", script=str(DATA / "broken.py"))
    assert (status, out) == (1, "")
    lines = err.splitlines()
    assert lines[0] == "Traceback (most recent call last):" and "broken.py" in lines[1]  # user frames only
    assert lines[-1] == f"tfx-lite ir: error: running {DATA / 'broken.py'} raised RuntimeError: broken on purpose"


def test_environment_is_restored(capsys):
    path, argv = list(sys.path), list(sys.argv)
    assert ir(capsys, "scale")[0] == 0
    assert (sys.path, sys.argv) == (path, argv)


# --- the entry point ---

def test_python_dash_m(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-m", "tfx_lite", "ir", "functions.py:affine", "--input", "f32[2]", "f32[2]",
         "--dot", str(tmp_path / "affine.dot")],
        cwd=DATA, env=env, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout) == (0, AFFINE_OPTIMIZED), done.stderr
    check_dot((tmp_path / "affine.dot").read_text())
