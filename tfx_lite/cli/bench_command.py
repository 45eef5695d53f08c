"""tfx-lite bench: the eager-vs-compiled suite (tfx_lite/benchmarks/) as one table.

    tfx-lite bench [--quick] [--only matrix_power,cnn_fit] [--compare tensorflow,jax,keras]
                   [--python tensorflow=/path/to/python] [--out DIR]

Every (workload, framework) pair runs in its own process (`tfx_lite/benchmarks/worker.py`), so
frameworks never share a process and each can come from another interpreter: real TensorFlow or
Keras 3 on JAX live in a scratch virtual environment, never in tfx_lite's. A framework's
interpreter is `--python NAME=PATH`, else $TFX_LITE_PYTHON_<NAME>, else this one when it can
import the framework. tfx_lite and raw JAX (the baseline of every ratio) always run; `--compare`
adds tensorflow and keras (Keras 3 on JAX; `jax` is accepted and already there).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from importlib import util

from tfx_lite.cli import bench_report

WORKLOADS = ("matrix_power", "linear_training", "cnn_fit", "data_pipeline")
FRAMEWORKS = ("tfx_lite", "jax", "tensorflow", "keras_jax")
_COMPARE_NAMES = {"tensorflow": "tensorflow", "tf": "tensorflow", "jax": "jax", "keras": "keras_jax",
                  "keras_jax": "keras_jax"}
_IMPORT_NAME = {"tfx_lite": "tfx_lite", "jax": "jax", "tensorflow": "tensorflow", "keras_jax": "keras"}


def add_parser(commands):
    p = commands.add_parser("bench", help="run the eager-vs-compiled benchmark suite and print a table",
                            description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="small sizes and few repeats (about a minute)")
    p.add_argument("--only", default=None, help=f"comma-separated workloads, of: {', '.join(WORKLOADS)}")
    p.add_argument("--compare", default="", help="also run these: tensorflow, jax, keras (Keras 3 on JAX)")
    p.add_argument("--python", action="append", default=[], metavar="FRAMEWORK=PATH",
                   help="the interpreter that has FRAMEWORK installed (repeatable)")
    p.add_argument("--out", default=None, metavar="DIR", help="also write bench.md, bench.json and a chart here")
    p.set_defaults(handler=run)


def worker_path() -> str:
    spec = util.find_spec("tfx_lite")
    return os.path.join(list(spec.submodule_search_locations)[0], "benchmarks", "worker.py")


def _usage_error(message) -> int:
    print(f"tfx-lite bench: {message}", file=sys.stderr)
    return 2


def interpreters(frameworks, given: list[str]) -> dict:
    """framework -> the Python that runs it, or None when none is known to have it installed."""
    explicit = {}
    for item in given:
        name, _, path = item.partition("=")
        explicit[_COMPARE_NAMES.get(name, name)] = path
    found = {}
    for framework in frameworks:
        path = explicit.get(framework) or os.environ.get(f"TFX_LITE_PYTHON_{framework.upper()}")
        if path is None and util.find_spec(_IMPORT_NAME[framework]) is not None:
            path = sys.executable
        found[framework] = path
    return found


def supported_workloads() -> dict:
    """framework -> the workloads it has (the worker's --list, which imports no framework)."""
    done = subprocess.run([sys.executable, worker_path(), "--list"], capture_output=True, text=True)
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])["frameworks"]
    except (IndexError, KeyError, json.JSONDecodeError):
        return {f: WORKLOADS for f in FRAMEWORKS}


def run_worker(python, workload, framework, quick) -> dict:
    command = [python, worker_path(), "--framework", framework, "--workload", workload]
    if quick:
        command.append("--quick")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    try:
        result = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"workload": workload, "framework": framework, "results": [],
                "error": f"the worker failed (status {done.returncode}): {tail}"}
    return result


def run(args) -> int:
    workloads = WORKLOADS if not args.only else tuple(w.strip() for w in args.only.split(",") if w.strip())
    unknown = [w for w in workloads if w not in WORKLOADS]
    if unknown:
        return _usage_error(f"unknown workload {unknown[0]!r}; the suite has {', '.join(WORKLOADS)}")
    compare = [c.strip() for c in args.compare.split(",") if c.strip()]
    bad = [c for c in compare if c not in _COMPARE_NAMES]
    if bad:
        return _usage_error(f"cannot compare with {bad[0]!r}; choose from tensorflow, jax, keras")
    frameworks = ["tfx_lite", "jax"] + [f for f in dict.fromkeys(_COMPARE_NAMES[c] for c in compare)
                                        if f not in ("tfx_lite", "jax")]
    pythons = interpreters(frameworks, args.python)
    runs, missing = [], {}
    supported = supported_workloads()
    pairs = [(w, f) for w in workloads for f in frameworks if pythons[f] is not None and w in supported.get(f, ())]
    for f in frameworks:
        if pythons[f] is None:
            missing[f] = (f"{_IMPORT_NAME[f]} is not installed here; pass --python {f}=PATH (an "
                          "interpreter that has it) or set $TFX_LITE_PYTHON_" + f.upper())
    start = time.perf_counter()
    for i, (workload, framework) in enumerate(pairs, 1):
        print(f"[{i}/{len(pairs)}] {workload} on {framework} ...", end="", file=sys.stderr, flush=True)
        began = time.perf_counter()
        result = run_worker(pythons[framework], workload, framework, args.quick)
        status = "failed" if result.get("error") else "done"
        print(f" {status} in {time.perf_counter() - began:.1f} s", file=sys.stderr, flush=True)
        runs.append(result)
    report = bench_report.Report(runs, missing, quick=args.quick, seconds=time.perf_counter() - start)
    print(report.text())
    if args.out:
        written = report.write(args.out)
        print(f"\nwritten: {', '.join(written)}")
    return 0 if all(not r.get("error") for r in runs if r["framework"] == "tfx_lite") else 1

