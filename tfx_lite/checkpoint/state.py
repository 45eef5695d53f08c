"""The `checkpoint` state file of a checkpoint directory (TF's CheckpointState text form):

    model_checkpoint_path: "ck-2"
    all_model_checkpoint_paths: "ck-1"
    all_model_checkpoint_paths: "ck-2"

Paths inside the directory are written relative to it. Reading accepts only these fields, each
a quoted string or a number per line, and model_checkpoint_path among them; anything else is a
DataLossError naming the file.
"""
from __future__ import annotations

import json
import os
import re

from tfx_lite.saving import bundle, manifest

STATE_FILE = "checkpoint"
_LINE = re.compile(r'(?P<field>\w+): (?P<value>"(?:[^"\\]|\\.)*"|[-+0-9.eE]+)\s*')
_STRINGS = ("model_checkpoint_path", "all_model_checkpoint_paths")
_NUMBERS = ("all_model_checkpoint_timestamps", "last_preserved_timestamp")


class CheckpointState:
    """TF's CheckpointState: the latest path, the kept paths and their timestamps."""

    def __init__(self, model_checkpoint_path="", all_model_checkpoint_paths=(),
                 all_model_checkpoint_timestamps=(), last_preserved_timestamp=0.0):
        self.model_checkpoint_path = model_checkpoint_path
        self.all_model_checkpoint_paths = list(all_model_checkpoint_paths)
        self.all_model_checkpoint_timestamps = list(all_model_checkpoint_timestamps)
        self.last_preserved_timestamp = last_preserved_timestamp

    def __repr__(self):
        return _text(self, None).rstrip("\n")


def _relative(path, directory):
    if directory is not None and os.path.dirname(os.path.abspath(path)) == os.path.abspath(directory):
        return os.path.basename(path)
    return path


def _text(state: CheckpointState, directory) -> str:
    lines = [f"model_checkpoint_path: {json.dumps(_relative(state.model_checkpoint_path, directory))}"]
    lines += [f"all_model_checkpoint_paths: {json.dumps(_relative(p, directory))}"
              for p in state.all_model_checkpoint_paths]
    lines += [f"all_model_checkpoint_timestamps: {t!r}" for t in state.all_model_checkpoint_timestamps]
    if state.last_preserved_timestamp:
        lines.append(f"last_preserved_timestamp: {state.last_preserved_timestamp!r}")
    return "\n".join(lines) + "\n"


def write_state(directory, state: CheckpointState) -> None:
    manifest.write_atomically(os.path.join(directory, STATE_FILE), _text(state, directory).encode())


def read_state(directory) -> CheckpointState | None:
    """The directory's state (paths made absolute), or None without a state file."""
    path = os.path.join(directory, STATE_FILE)
    if not os.path.isfile(path):
        return None
    with open(path, "rb") as f:
        data = f.read()
    try:
        text = data.decode()
    except UnicodeDecodeError:
        raise manifest.corrupt(path, "not a checkpoint state file (not text)") from None
    fields = {name: [] for name in _STRINGS + _NUMBERS}
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        m = _LINE.fullmatch(line)
        if not m or m["field"] not in fields:
            raise manifest.corrupt(path, f"line {lineno} is not a checkpoint state field: {line[:80]!r}")
        value = m["value"]
        try:
            fields[m["field"]].append(json.loads(value) if m["field"] in _STRINGS else float(value))
        except ValueError:
            raise manifest.corrupt(path, f"line {lineno} has a malformed value: {line[:80]!r}") from None
        if (m["field"] in _STRINGS) != value.startswith('"'):
            raise manifest.corrupt(path, f"line {lineno} has a value of the wrong kind: {line[:80]!r}")

    def absolute(p):
        return p if os.path.isabs(p) else os.path.join(directory, p)

    latest = fields["model_checkpoint_path"]
    if not latest:
        raise manifest.corrupt(path, "names no model_checkpoint_path (the state file is empty or truncated)")
    return CheckpointState(absolute(latest[-1]),
                           [absolute(p) for p in fields["all_model_checkpoint_paths"]],
                           fields["all_model_checkpoint_timestamps"],
                           (fields["last_preserved_timestamp"] or [0.0])[-1])


def get_checkpoint_state(checkpoint_dir, latest_filename=None):
    return read_state(checkpoint_dir)


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """The prefix of the directory's latest checkpoint, or None when there is none."""
    state = read_state(checkpoint_dir)
    if state is None or not state.model_checkpoint_path:
        return None
    return state.model_checkpoint_path if bundle.exists(state.model_checkpoint_path) else None
