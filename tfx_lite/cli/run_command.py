"""tfx-lite run [--] script.py [args...]: run an unmodified TensorFlow 2 script on tfx_lite.

The script's `import tensorflow as tf` (and `tensorflow.keras`, `tensorflow.compat.v1`, ...) gets
tfx_lite through the alias in tensorflow_alias.py. The rest is what `python script.py args...`
does: `sys.argv` is `[script, *args]` (the script as an absolute path, like its `__file__`), the
script's folder comes first on `sys.path`, it runs as `__main__`, and its exit status
(`sys.exit(n)`) is ours. A TensorFlow name tfx_lite lacks ends the run with status 1 and a short
traceback: the frames of the user's code, then the error naming the TensorFlow name. Other errors
print the usual traceback, without this runner's frames.
"""
from __future__ import annotations

import argparse
import os
import runpy
import sys

from tfx_lite.cli.user_script import report_error, script_environment


def add_parser(commands):
    p = commands.add_parser(
        "run", help="run a TensorFlow 2 script (`import tensorflow as tf`) on tfx_lite",
        description="Run an unmodified TensorFlow 2 script with `import tensorflow` served by "
                    "tfx_lite (JAX/XLA). Arguments after the script go to the script's sys.argv.")
    p.add_argument("script", help="the Python script to run")
    p.add_argument("args", nargs=argparse.REMAINDER, help="arguments passed to the script")
    p.set_defaults(handler=run)


def run(args) -> int:
    script, script_args = args.script, list(args.args)
    if script == "--" and script_args:  # `tfx-lite run -- script.py ...`, argparse kept the "--"
        script, script_args = script_args[0], script_args[1:]
    if not os.path.exists(script):
        print(f"tfx-lite run: can't open file {os.path.abspath(script)!r}: "
              "[Errno 2] No such file or directory", file=sys.stderr)
        return 2
    return run_script(script, script_args)


def run_script(script: str, script_args=()) -> int:
    """Run `script` as `__main__` with `tensorflow` served by tfx_lite; return its exit status."""
    path = os.path.abspath(script)  # as `python script.py`: an absolute __file__ and traceback
    with script_environment(path, script_args):
        try:
            runpy.run_path(path, run_name="__main__")
        except SystemExit as exit_:
            return _exit_status(exit_.code)
        except KeyboardInterrupt as error:
            report_error(error)
            return 130
        except BaseException as error:  # noqa: BLE001  (the script's error: reported, status 1)
            report_error(error)
            return 1
        finally:
            sys.stdout.flush()
    return 0


def _exit_status(code) -> int:
    """What `python script.py` exits with after `sys.exit(code)`."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stdout.flush()
    print(code, file=sys.stderr)
    return 1
