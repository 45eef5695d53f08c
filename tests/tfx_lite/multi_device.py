"""Run a snippet in a fresh Python where JAX has n CPU devices, for multi-device tests.

JAX fixes its device count when its backends start, so a test process that has already run
JAX cannot grow more devices; a child process with
XLA_FLAGS=--xla_force_host_platform_device_count=n can, whatever it imports first.

    from tests.tfx_lite.multi_device import run_with_devices
    out = run_with_devices("import tfx_lite as tf\\nprint(len(tf.config.list_logical_devices('CPU')))")
    assert out.strip() == "4"
"""
from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys
import textwrap

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]


def run_python(code: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run `code` (dedented) in a child Python at the repository root and return the finished
    process, whatever its exit status. `env` entries override the parent's environment; a None
    value removes that variable."""
    child_env = dict(os.environ)
    for key, value in (env or {}).items():
        if value is None:
            child_env.pop(key, None)
        else:
            child_env[key] = value
    child_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), child_env.get("PYTHONPATH")]))
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=REPO_ROOT, env=child_env,
                          capture_output=True, text=True, timeout=timeout)


def run_with_devices(code: str, n: int = 4, timeout: float = 120) -> str:
    """Run `code` in a child Python where JAX has `n` CPU devices (JAX_PLATFORMS=cpu) and return
    its stdout; AssertionError carrying stderr if it exits non-zero."""
    flags = re.sub(r"--xla_force_host_platform_device_count=\S+", "", os.environ.get("XLA_FLAGS", ""))
    env = {"XLA_FLAGS": f"{flags} --xla_force_host_platform_device_count={n}".strip(),
           "JAX_PLATFORMS": "cpu"}
    result = run_python(code, env=env, timeout=timeout)
    if result.returncode != 0:
        raise AssertionError(f"child with {n} CPU devices exited {result.returncode}\n"
                             f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}")
    return result.stdout
