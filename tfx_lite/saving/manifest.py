"""A manifest: a JSON file whose first line says what it is and checks the rest.

    {"format": "tfx_lite.checkpoint", "version": 1, "sha256": "<of the bytes after this line>"}
    { ...body... }

A truncated or modified file fails the checksum; another format or a newer version is refused
by name. Errors name the file and the problem and are raised before anything is built.
"""
from __future__ import annotations

import hashlib
import json
import os

from tfx_lite.framework import errors


class VersionError(ValueError):
    """A file written by a newer tfx_lite (or naming a version that never existed)."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def corrupt(path, problem: str) -> errors.DataLossError:
    """The error for a file whose content is not what its format says."""
    return errors.DataLossError(None, None, f"{path}: {problem}")


def write_atomically(path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file, so that a reader never sees half a file."""
    temporary = f"{path}.tmp{os.getpid()}"
    with open(temporary, "wb") as f:
        f.write(data)
    os.replace(temporary, path)


def dumps(format: str, version: int, body) -> bytes:
    text = json.dumps(body, indent=1, sort_keys=True, allow_nan=True).encode()
    header = json.dumps({"format": format, "version": version, "sha256": sha256(text)}, sort_keys=True)
    return header.encode() + b"\n" + text


def write(path, format: str, version: int, body) -> None:
    write_atomically(path, dumps(format, version, body))


def read_bytes(path, missing=None) -> bytes:
    """The bytes of `path`; `missing(path)` makes the error when it does not exist."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except (FileNotFoundError, NotADirectoryError):
        if missing is not None:
            raise missing(path) from None
        raise errors.NotFoundError(None, None, f"{path}: no such file") from None
    except IsADirectoryError:
        raise corrupt(path, "is a directory, expected a file") from None


def loads(data: bytes, path, format: str, version: int):
    """The body of a manifest of `format` (at most `version`) read from `data`."""
    head, newline, text = data.partition(b"\n")
    try:
        header = json.loads(head.decode())
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise corrupt(path, f"not a {format} file (its first line is not the JSON header "
                            "tfx_lite writes)") from None
    if not isinstance(header, dict) or not {"format", "version", "sha256"} <= set(header):
        raise corrupt(path, f"not a {format} file (the header lacks format, version or sha256)")
    if header["format"] != format:
        raise corrupt(path, f"is a {header['format']!r} file, expected {format!r}")
    if not isinstance(header["version"], int) or header["version"] > version or header["version"] < 1:
        raise VersionError(f"{path}: written in {format} version {header['version']!r}; this tfx_lite "
                         f"reads versions 1 to {version}")
    if not newline or sha256(text) != header["sha256"]:
        raise corrupt(path, "checksum mismatch: the file is truncated or was modified after it was "
                            "written")
    try:
        return json.loads(text.decode())
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise corrupt(path, f"the body is not valid JSON ({err})") from None


def read(path, format: str, version: int, missing=None):
    return loads(read_bytes(path, missing), path, format, version)
