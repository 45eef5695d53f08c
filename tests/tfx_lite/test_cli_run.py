"""`tfx-lite run script.py [args]` (tfx_lite/cli/run_command.py) runs unmodified TensorFlow 2
scripts with `import tensorflow` served by tfx_lite (tfx_lite/cli/tensorflow_alias.py).

The scripts in data/cli/ print what TensorFlow 2.21 printed for them (data/cli/*.tf.txt, recorded
with `TF_CPP_MIN_LOG_LEVEL=3 python NAME.py > NAME.tf.txt` under TensorFlow). The seed programs
(../shared/seed, beside the repository; skipped where it is absent) run with their import turned
into `import tensorflow as tf` and must pass the comparison that seed/check.py makes."""
from __future__ import annotations

import concurrent.futures
import importlib
import importlib.util
import os
import pathlib
import subprocess
import sys

import pytest

from tfx_lite.cli import tensorflow_alias

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = pathlib.Path(__file__).parent / "data" / "cli"
SEED = pathlib.Path(os.environ.get("TFX_LITE_SEED_DIR", ROOT.parent / "shared" / "seed"))
SEED_EXAMPLES = sorted((SEED / "examples").glob("*.py")) if (SEED / "examples").is_dir() else []

# Every subprocess goes through this pool, so independent runs overlap on the machine's cores.
_POOL = concurrent.futures.ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2))


def _run(args, cwd, timeout=120):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONHASHSEED="0",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    return subprocess.run([sys.executable, "-m", "tfx_lite", "run", *map(str, args)], cwd=str(cwd),
                          env=env, capture_output=True, text=True, timeout=timeout)


def start(args, cwd):
    """`python -m tfx_lite run ARGS` in the background: a future of its CompletedProcess."""
    return _POOL.submit(_run, args, cwd)


def write(tmp_path, name, source):
    path = tmp_path / name
    path.write_text(source)
    return path


# --- end to end, `python -m tfx_lite run ...` in subprocesses, started together ----------------------

ARGV_SCRIPT = """import sys
import tensorflow as tf
print(sys.argv[1:], __name__, tf.reduce_sum(tf.constant([1, 2])).numpy())
if "--fail" in sys.argv:
    sys.exit(int(sys.argv[-1]))
"""
MISSING_SCRIPT = """import tensorflow as tf
print('before')

from tensorflow.keras.layers import Dense, NotALayer
print('after')
"""


@pytest.fixture(scope="module")
def e2e(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e")
    argv = write(folder, "argv.py", ARGV_SCRIPT)
    return {"keras_script": start([DATA / "keras_script.py"], DATA),
            "session_script": start([DATA / "session_script.py"], DATA),
            "argv": start([argv, "--lr", "0.1", "-h", "x"], folder),
            "dashes_exit": start(["--", argv, "--flag", "--fail", "3"], folder),
            "missing_name": start([write(folder, "missing_name.py", MISSING_SCRIPT)], folder)}


@pytest.mark.parametrize("name", ["keras_script", "session_script"])
def test_runs_a_tensorflow_script_and_prints_what_tensorflow_printed(name, e2e):
    out = e2e[name].result()
    assert out.returncode == 0, out.stderr
    assert out.stdout == (DATA / f"{name}.tf.txt").read_text()


def test_script_arguments_pass_through_and_its_exit_status_is_returned(e2e):
    out = e2e["argv"].result()
    assert (out.returncode, out.stdout) == (0, "['--lr', '0.1', '-h', 'x'] __main__ 3\n"), out.stderr
    out = e2e["dashes_exit"].result()  # `run -- script.py ...`, and sys.exit(3)
    assert (out.returncode, out.stdout) == (3, "['--flag', '--fail', '3'] __main__ 3\n"), out.stderr


def test_an_unsupported_name_ends_the_run_with_a_short_error(e2e):
    out = e2e["missing_name"].result()
    assert (out.returncode, out.stdout) == (1, "before\n")
    lines = out.stderr.splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert lines[1].endswith('missing_name.py", line 4, in <module>')
    assert lines[2].strip() == "from tensorflow.keras.layers import Dense, NotALayer"
    assert lines[-1] == ("ModuleNotFoundError: tf.keras.layers.NotALayer (tensorflow.keras.layers.NotALayer) "
                         "is not implemented by tfx_lite; did you mean tf.keras.layers.Layer?")


# --- the seed programs, with `import tensorflow as tf` --------------------------------------------

@pytest.fixture(scope="module")
def seed_runs(tmp_path_factory):
    """All seed programs started at once (each `tfx_lite` import swapped for `tensorflow`, as
    check.py does when it records with TensorFlow); each test waits for its own."""
    folder = tmp_path_factory.mktemp("seed")
    runs = {}
    for example in SEED_EXAMPLES:
        work = folder / example.stem
        work.mkdir()
        script = write(work, example.name, example.read_text().replace("tfx_lite", "tensorflow"))
        runs[example.name] = start([script], work)
    return runs


def _seed_matches():
    """seed/check.py's own comparison (numbers within 1e-3, white space folded)."""
    spec = importlib.util.spec_from_file_location("seed_check", SEED / "check.py")
    check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check)
    return check.matches


@pytest.mark.slow
@pytest.mark.skipif(not SEED_EXAMPLES, reason=f"no seed programs at {SEED} (it lies beside the "
                    "repository, not in it; set TFX_LITE_SEED_DIR to point at one)")
@pytest.mark.parametrize("name", [p.name for p in SEED_EXAMPLES] or ["none"])
def test_seed_program_with_import_tensorflow_matches_tensorflow(name, seed_runs):
    out = seed_runs[name].result()
    assert out.returncode == 0, out.stderr
    source = (SEED / "examples" / name).read_text()
    assert "import tfx_lite" in source  # the rewrite really made it a TensorFlow script
    want = (SEED / "expected" / (name[:-3] + ".out")).read_text()
    assert _seed_matches()(out.stdout, want), f"{name} printed:\n{out.stdout}\nTensorFlow printed:\n{want}"


# --- in this process: run_command.run_script / the `run` handler ------------------------------------

@pytest.fixture
def run_here(monkeypatch, capsys):
    """Run a script through run_command in this process; give back (status, stdout, stderr)."""
    from tfx_lite.cli import run_command
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    monkeypatch.setattr(sys, "path", list(sys.path))

    def run_here(script, *args):
        try:
            status = run_command.run_script(str(script), args)
        finally:
            tensorflow_alias.uninstall()
        out = capsys.readouterr()
        return status, out.out, out.err
    return run_here


UNSUPPORTED = {
    "attribute": ("converter = tf.lite.TFLiteConverter", "AttributeError", "tf.lite (tensorflow.lite)"),
    "layer": ("layer = tf.keras.layers.NotALayer(3)", "AttributeError",
              "tf.keras.layers.NotALayer (tensorflow.keras.layers.NotALayer)"),
    "from_import": ("from tensorflow.keras.layers import Dense, NotALayer", "ModuleNotFoundError",
                    "tf.keras.layers.NotALayer (tensorflow.keras.layers.NotALayer)"),
    "import": ("import tensorflow.lite", "ModuleNotFoundError", "tf.lite (tensorflow.lite)"),
    "in_function": ("f = tf.function(lambda x: tf.histogram_fixed_width(x, [0.0, 1.0]))\n"
                    "f(tf.constant([1.0]))", "AttributeError",
                    "tf.histogram_fixed_width (tensorflow.histogram_fixed_width)"),
}


@pytest.mark.parametrize("case", sorted(UNSUPPORTED))
def test_an_unsupported_name_fails_naming_it_and_the_scripts_line(case, tmp_path, run_here):
    code, error, tf_name = UNSUPPORTED[case]
    script = write(tmp_path, "uses_missing.py", f"import tensorflow as tf\nprint('before')\n\n{code}\n"
                   "print('after')\n")
    status, out, err = run_here(script)
    assert (status, out) == (1, "before\n")
    assert f"{error}: {tf_name} is not implemented by tfx_lite" in err
    line = len(code.splitlines()) + 3
    assert f'File "{script}", line {line}, in ' in err and code.splitlines()[-1] in err
    # short: the user's frames only, none of tfx_lite's, runpy's or importlib's
    assert "tfx_lite/" not in err and "runpy" not in err and "importlib" not in err, err
    assert len(err.splitlines()) <= 8, err


def test_other_errors_keep_their_traceback_without_the_runner(tmp_path, run_here):
    script = write(tmp_path, "fails.py", "import tensorflow as tf\ntf.reshape(tf.constant([1, 2, 3]), [2, 2])\n")
    status, out, err = run_here(script)
    assert status == 1
    assert f'File "{script}", line 2, in <module>' in err and "runpy" not in err and "run_command" not in err
    assert err.rstrip().endswith("Input to reshape is a tensor with 3 values, but the requested shape has 4 "
                                 "[Op:Reshape]")


def test_exit_status_and_argv(tmp_path, run_here):
    script = write(tmp_path, "argv.py", ARGV_SCRIPT)
    assert run_here(script, "a", "--b") == (0, "['a', '--b'] __main__ 3\n", "")
    assert run_here(script, "--fail", "4")[0] == 4
    assert run_here(write(tmp_path, "none.py", "import sys\nsys.exit()\n"))[0] == 0
    assert run_here(write(tmp_path, "text.py", "import sys\nsys.exit('bad input')\n"))[::2] == (1, "bad input\n")


def test_a_missing_script_is_an_error_with_status_2(tmp_path, capsys):
    from tfx_lite import cli
    assert cli.main(["run", str(tmp_path / "no_such_script.py")]) == 2
    err = capsys.readouterr().err
    assert "no_such_script.py" in err and "No such file" in err
    assert not any(isinstance(f, tensorflow_alias._Finder) for f in sys.meta_path)


# --- the alias itself, in this process -------------------------------------------------------------

@pytest.fixture
def alias():
    tensorflow_alias.install()
    try:
        yield importlib.import_module("tensorflow")
    finally:
        tensorflow_alias.uninstall()


def test_tfx_lite_alone_does_not_install_the_alias():
    import tfx_lite  # noqa: F401
    assert not any(isinstance(f, tensorflow_alias._Finder) for f in sys.meta_path)
    assert "tensorflow" not in sys.modules or not tensorflow_alias.is_alias(sys.modules["tensorflow"])


def test_tensorflow_names_are_tfx_lites_objects(alias):
    import tfx_lite
    import tensorflow.compat.v1 as tf1
    import tensorflow.keras.optimizers.schedules as schedules
    from tensorflow import keras
    from tensorflow.keras import layers
    from tensorflow.keras.layers import Dense
    assert alias.constant is tfx_lite.constant and Dense is tfx_lite.keras.layers.Dense
    assert keras is alias.keras and layers is keras.layers and layers is sys.modules["tensorflow.keras.layers"]
    assert tf1.Session is tfx_lite.compat.v1.Session and schedules.ExponentialDecay is \
        tfx_lite.keras.optimizers.schedules.ExponentialDecay
    assert alias.compat.v1.data.Dataset is tfx_lite.data.Dataset  # a name tfx_lite has as an attribute
    assert isinstance(alias.constant(1.0), alias.Tensor) and alias.float32 is tfx_lite.float32
    assert alias.__version__ == tensorflow_alias.TF_VERSION and alias.__tfx_lite_version__ == tfx_lite.__version__
    assert "reduce_sum" in dir(alias) and "Dense" in dir(layers)
    assert repr(layers) == "<module 'tensorflow.keras.layers' (tfx_lite alias of tfx_lite.keras.layers)>"


def test_missing_names_raise_errors_naming_the_tensorflow_name(alias):
    with pytest.raises(AttributeError, match=r"tf\.keras\.layers\.dense \(tensorflow\.keras\.layers\.dense\) is "
                       r"not implemented by tfx_lite; did you mean tf\.keras\.layers\.Dense\?"):
        alias.keras.layers.dense
    with pytest.raises(AttributeError, match=r"did you mean tf\.constant\?"):
        alias.constnt
    with pytest.raises(ModuleNotFoundError, match=r"tf\.python \(tensorflow\.python\) .*internal modules"):
        importlib.import_module("tensorflow.python.framework.ops")
    with pytest.raises(ImportError, match=r"tf\.keras\.layers\.Foo \(tensorflow\.keras\.layers\.Foo\) is not"):
        exec("from tensorflow.keras.layers import Foo", {})
    assert not hasattr(alias, "lite") and getattr(alias.keras, "NotThere", None) is None


def test_uninstall_restores_the_import_system(alias):
    tensorflow_alias.uninstall()
    assert not any(k == "tensorflow" or k.startswith("tensorflow.") for k in sys.modules)
    assert not any(isinstance(f, tensorflow_alias._Finder) for f in sys.meta_path)
    tensorflow_alias.install()  # the fixture's uninstall() then has something to undo
