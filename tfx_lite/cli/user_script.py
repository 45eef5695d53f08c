"""A user's script run as `python script.py` would run it, with `import tensorflow` served by
tfx_lite (tensorflow_alias.py), and its errors reported from the user's own frames: a TensorFlow
name tfx_lite lacks shows the script's lines and the name; other errors the usual traceback
without the runner's frames."""
from __future__ import annotations

import contextlib
import os
import runpy
import sys
import traceback

from tfx_lite.cli import tensorflow_alias

_CLI_DIR = os.path.dirname(os.path.abspath(__file__))
_PACKAGE_DIR = os.path.dirname(_CLI_DIR)


@contextlib.contextmanager
def script_environment(path: str, argv=()):
    """`import tensorflow` served by tfx_lite, the script's folder first on sys.path and
    sys.argv = [path, *argv]; undone afterwards (the alias only if it was installed here)."""
    saved_path, saved_argv = list(sys.path), list(sys.argv)
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    sys.argv = [path, *argv]
    ours = getattr(tensorflow_alias, "_finder", None) is None
    if ours:
        tensorflow_alias.install()
    try:
        yield
    finally:
        if ours:
            tensorflow_alias.uninstall()
        sys.path[:], sys.argv[:] = saved_path, saved_argv


def _runner_frame(filename: str) -> bool:
    return (filename.startswith(_CLI_DIR + os.sep) or filename in (runpy.__file__, "<frozen runpy>")
            or filename.startswith("<frozen importlib"))


def _library_frame(filename: str) -> bool:
    return filename.startswith(_PACKAGE_DIR + os.sep) or filename.startswith("<frozen ")


def report_error(error: BaseException) -> None:
    """The error on stderr, as the user should see it (see the module docstring)."""
    sys.stdout.flush()
    if tensorflow_alias.is_unsupported(error):
        # Only the user's frames: where the script used the name, then the name.
        frames = [f for f in traceback.extract_tb(error.__traceback__)
                  if not _runner_frame(f.filename) and not _library_frame(f.filename)]
        base = ModuleNotFoundError if isinstance(error, ImportError) else AttributeError
        lines = ["Traceback (most recent call last):\n"] if frames else []
        lines += traceback.StackSummary.from_list(frames).format()
        lines.append(f"{base.__name__}: {error}\n")
        sys.stderr.write("".join(lines))
        return
    report = traceback.TracebackException(type(error), error, error.__traceback__)
    _drop_runner_frames(report, set())
    sys.stderr.write("".join(report.format()))


def _drop_runner_frames(report: traceback.TracebackException, seen: set) -> None:
    if id(report) in seen:
        return
    seen.add(id(report))
    report.stack = traceback.StackSummary.from_list(
        [f for f in report.stack if not _runner_frame(f.filename)])
    for chained in (report.__cause__, report.__context__, *(getattr(report, "exceptions", None) or ())):
        if chained is not None:
            _drop_runner_frames(chained, seen)
