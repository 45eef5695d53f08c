"""Run one benchmark workload on one framework and print its results as one JSON line.

    python worker.py --framework F --workload W [--quick]
    python worker.py --list

Frameworks: tfx_lite (`import tfx_lite as tf`), tensorflow (`import tensorflow as tf`, with
TF_CPP_MIN_LOG_LEVEL=3 set first), jax (raw jax / jax.numpy; the numpy baseline of the data
pipeline), keras_jax (Keras 3 with KERAS_BACKEND=jax). The TF-API programs of the workloads
are written once and given the `tf` module, so tfx_lite and TensorFlow run the same code.

Output: progress lines on stderr; stdout carries exactly one line, a JSON object

    {"workload": W, "framework": F, "versions": {"python": ..., "numpy": ..., ...},
     "results": [{"case": str, "variant": str, "value": float, "unit": str,
                  "lower_is_better": bool, "repeats": int, "note": str}, ...],
     "error": null or str}

`value` is steady state (warm-up excluded), the best of `repeats` timed batches. `note` is
empty unless the workload's own check of its result (against numpy) failed. Anything the
frameworks print on stdout while running is sent to stderr, so the JSON stays alone.

`--list` prints {"workloads": [...], "frameworks": {F: [workloads F runs]},
"installed": {F: bool}} (installed = importable here, judged without importing).

Exit status: 0 when the workload ran (notes may still report a disagreement) and when the
framework is not importable in this interpreter (then "error": "F is not installed in
<python>" or "F cannot be imported in <python>: ...", and no results); 1 when the workload
raised (the error and the results measured before it; traceback on stderr); 2 for an
unknown framework or workload, or one the framework does not run (JSON with "error" too).

This file and its siblings are standalone: no tfx_lite or package-relative imports at module
level; run with this directory on sys.path (as `python worker.py` does).
"""
import argparse
import importlib
import importlib.util
import json
import os
import platform
import sys
import traceback
import types
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

WORKLOADS = ("matrix_power", "linear_training", "cnn_fit", "data_pipeline")
FRAMEWORKS = ("tfx_lite", "tensorflow", "jax", "keras_jax")


class FrameworkMissing(Exception):
    pass


def _repo_root():
    """The checkout this file sits in (tfx_lite/benchmarks/ -> the root), if it has tfx_lite."""
    root = os.path.dirname(os.path.dirname(HERE))
    return root if os.path.isfile(os.path.join(root, "tfx_lite", "__init__.py")) else None


def _import(module, framework):
    try:
        return importlib.import_module(module)
    except ImportError as e:
        missing = getattr(e, "name", None)
        if missing and missing.split(".")[0] == module.split(".")[0]:
            raise FrameworkMissing(f"{framework} is not installed in {sys.executable}") from e
        raise FrameworkMissing(f"{framework} cannot be imported in {sys.executable}: "
                               f"{type(e).__name__}: {e}") from e
    except Exception as e:  # a broken install
        raise FrameworkMissing(f"{framework} cannot be imported in {sys.executable}: "
                               f"{type(e).__name__}: {e}") from e


def _jax_versions(jax):
    import jaxlib
    return {"jax": jax.__version__, "jaxlib": getattr(jaxlib, "__version__", "?"),
            "jax_backend": jax.default_backend()}


def load(framework):
    """The framework as a namespace: name, tf (the TF-API module or None), jax, jnp, keras,
    versions. Raises FrameworkMissing when it cannot be imported here."""
    env = types.SimpleNamespace(name=framework, tf=None, jax=None, jnp=None, keras=None,
                                versions={"python": platform.python_version()})
    if framework == "tfx_lite":
        root = _repo_root()
        if importlib.util.find_spec("tfx_lite") is None and root and root not in sys.path:
            sys.path.append(root)  # a checkout that is not installed in this interpreter
        env.tf = _import("tfx_lite", framework)
        import jax
        env.jax = jax
        env.versions.update({"tfx_lite": getattr(env.tf, "__version__", "?"), **_jax_versions(jax)})
    elif framework == "tensorflow":
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        env.tf = _import("tensorflow", framework)
        env.versions["tensorflow"] = env.tf.__version__
        keras = getattr(env.tf, "keras", None)
        env.versions["keras"] = getattr(keras, "__version__", "?")
    elif framework == "jax":
        env.jax = _import("jax", framework)
        env.jnp = importlib.import_module("jax.numpy")
        env.versions.update(_jax_versions(env.jax))
    elif framework == "keras_jax":
        os.environ["KERAS_BACKEND"] = "jax"  # read when keras is first imported
        env.jax = _import("jax", framework)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            env.keras = _import("keras", framework)
        version = getattr(env.keras, "__version__", "?")
        if not version.split(".")[0].isdigit() or int(version.split(".")[0]) < 3:
            raise FrameworkMissing(f"keras_jax needs Keras 3; {sys.executable} has keras {version}")
        backend = env.keras.backend.backend()
        if backend != "jax":
            raise FrameworkMissing(f"keras_jax: keras {version} in {sys.executable} runs on the "
                                   f"{backend} backend, not jax")
        env.versions.update({"keras": version, **_jax_versions(env.jax)})
    else:
        raise ValueError(framework)
    env.jnp = env.jnp or (importlib.import_module("jax.numpy") if env.jax else None)
    import numpy
    env.versions["numpy"] = numpy.__version__
    return env


def supported():
    """{framework: [workloads it runs]}, from each workload module's FRAMEWORKS."""
    table = {f: [] for f in FRAMEWORKS}
    for w in WORKLOADS:
        for f in importlib.import_module(w).FRAMEWORKS:
            table[f].append(w)
    return table


def installed():
    """{framework: importable here?}, judged by importlib.util.find_spec (imports nothing)."""
    def has(name):
        try:
            return importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            return False
    from_checkout = _repo_root() is not None and all(map(has, ("jax", "optax", "flatbuffers")))
    return {"tfx_lite": (has("tfx_lite") and has("jax")) or from_checkout,
            "tensorflow": has("tensorflow"), "jax": has("jax"),
            "keras_jax": has("keras") and has("jax")}


def _emit(stdout_fd, payload):
    os.write(stdout_fd, (json.dumps(payload) + "\n").encode())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--framework", help=", ".join(FRAMEWORKS))
    parser.add_argument("--workload", help=", ".join(WORKLOADS))
    parser.add_argument("--quick", action="store_true", help="smaller cases, fewer repeats")
    parser.add_argument("--list", action="store_true", help="print what runs where, as JSON")
    args = parser.parse_args(argv)

    sys.stdout.flush()
    stdout_fd = os.dup(1)  # the JSON goes here; everything else printed goes to stderr
    os.dup2(2, 1)
    if args.list:
        _emit(stdout_fd, {"workloads": list(WORKLOADS), "frameworks": supported(),
                          "installed": installed()})
        return 0

    payload = {"workload": args.workload, "framework": args.framework, "versions": {},
               "results": [], "error": None}
    if args.framework not in FRAMEWORKS or args.workload not in WORKLOADS:
        payload["error"] = (f"unknown framework {args.framework!r} (known: {', '.join(FRAMEWORKS)})"
                            if args.framework not in FRAMEWORKS else
                            f"unknown workload {args.workload!r} (known: {', '.join(WORKLOADS)})")
        _emit(stdout_fd, payload)
        return 2
    module = importlib.import_module(args.workload)
    if args.framework not in module.FRAMEWORKS:
        payload["error"] = (f"{args.workload} does not run on {args.framework} (it runs on "
                            f"{', '.join(module.FRAMEWORKS)})")
        _emit(stdout_fd, payload)
        return 2
    try:
        env = load(args.framework)
    except FrameworkMissing as e:
        payload["error"] = str(e)
        _emit(stdout_fd, payload)
        return 0
    payload["versions"] = env.versions

    from bench_util import Recorder
    recorder = Recorder(args.workload, args.framework)
    status = 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            module.run(env, args.quick, recorder)
    except Exception as e:  # report what was measured, and why it stopped
        traceback.print_exc()
        payload["error"] = f"{type(e).__name__}: {e}"
        status = 1
    payload["results"] = recorder.results
    sys.stdout.flush()
    sys.stderr.flush()
    _emit(stdout_fd, payload)
    return status


if __name__ == "__main__":
    sys.exit(main())
