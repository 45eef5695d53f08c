"""Errors raised while a converted function is traced read as TF's AutoGraph writes them: the
message starts with the user's frames, converted code included (it keeps the user's line
numbers, so each frame shows the user's own line), then the original error:

    in user code:

        File "model.py", line 12, in f  *
            if x > 0:

        ValueError: 'y' must also be initialized in the else branch

Frames of converted functions are marked `*`, other user frames `**`; frames of tfx_lite and
the libraries under it are left out. The error keeps its type; the original is its __cause__."""
from __future__ import annotations

import linecache
import os
import traceback

from tfx_lite.autograph import conversion

_PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_LIBRARY_DIRS = tuple(os.path.join(_PACKAGE_ROOT, d) + os.sep for d in ("tfx_lite", "compiler"))


def _user_frames(tb):
    frames = []
    for frame, lineno in traceback.walk_tb(tb):
        code = frame.f_code
        converted = code in conversion._CONVERTED_CODES
        path = os.path.abspath(code.co_filename)
        if not converted and (path.startswith(_LIBRARY_DIRS) or "site-packages" in path
                              or code.co_filename.startswith("<")):
            continue
        frames.append((code.co_filename, lineno, code.co_name, converted))
    return frames


def in_user_code(error: Exception):
    """`error` with TF's "in user code" message when converted code ran into it, else None."""
    if getattr(error, "ag_error_metadata", False):
        return None
    frames = _user_frames(error.__traceback__)
    if not any(converted for *_, converted in frames):
        return None
    lines = ["in user code:", ""]
    for filename, lineno, name, converted in frames:
        if name in ("ag__factory",) or name.startswith(("if_body", "else_body", "loop_body",
                                                        "loop_test", "extra_test", "get_state",
                                                        "set_state")):
            continue
        lines.append(f'    File "{filename}", line {lineno}, in {name}  {"*" if converted else "**"}')
        source = linecache.getline(filename, lineno).strip()
        if source:
            lines.append(f"        {source}")
    lines += ["", f"    {type(error).__name__}: {_message(error)}".replace("\n", "\n    "), ""]
    return _with_message(error, "\n".join(lines))


def _message(error) -> str:
    return str(error.args[0]) if len(error.args) == 1 and not hasattr(error, "_message") else str(error)


def _with_message(error, message):
    """An exception of `error`'s type and attributes with `message` (its class's __init__ is not
    called: some take other arguments); None when the class shows something else."""
    new = type(error).__new__(type(error))
    new.__dict__.update(error.__dict__)
    if hasattr(new, "_message"):  # tf.errors.OpError keeps its message apart
        new._message = message
    new.args = (message,)
    new.ag_error_metadata = True
    new.__notes__ = []
    return new if str(new) == message else None
