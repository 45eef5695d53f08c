"""regex_replace and regex_full_match: RE2 patterns (see re2.py) with RE2's replacement rules
(`\\0`..`\\9`, `\\\\`; global replacement skips an empty match right after the previous match)."""
from __future__ import annotations

import re

from compiler.ops.checks import dims
from compiler.ops.strings.host import (StringOpError, elementwise, host_op, message_text, utf8_bytes,
                                       utf8_text)
from compiler.ops.strings.re2 import Re2SyntaxError, compile_re2


def _regex(op, pattern: bytes):
    try:
        return compile_re2(pattern)
    except Re2SyntaxError as err:
        raise StringOpError(op, f"Invalid pattern: {message_text(pattern)}, error: {err}") from None


def _scalar(op, name, value):
    if value.ndim != 0:
        raise StringOpError(op, f"{name} must be scalar, but received {dims(value.shape)}")
    return value[()]


def _max_submatch(rewrite: bytes) -> int:
    top = 0
    for m in re.finditer(rb"\\(.)", rewrite, re.DOTALL):
        if m.group(1).isdigit():
            top = max(top, int(m.group(1)))
    return top


def _rewrite(rewrite: str, match) -> tuple:
    """RE2::Rewrite: (text, ok); \\0-\\9 insert groups, \\\\ a backslash; any other escape stops
    the rewrite (ok false) after what was written so far."""
    out, i = [], 0
    while i < len(rewrite):
        c = rewrite[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        nxt = rewrite[i + 1] if i + 1 < len(rewrite) else ""
        if nxt.isdigit() and nxt.isascii():
            out.append(match.group(int(nxt)) or "")
        elif nxt == "\\":
            out.append("\\")
        else:
            return "".join(out), False
        i += 2
    return "".join(out), True


def _replace_one(regex, text: str, rewrite: str, replace_global: bool) -> str:
    if not replace_global:
        m = regex.search(text)
        if m is None:
            return text
        piece, ok = _rewrite(rewrite, m)
        return text[:m.start()] + piece + text[m.end():] if ok else text
    out, p, lastend, count = [], 0, -1, 0
    while p <= len(text):
        m = regex.search(text, p)
        if m is None:
            break
        if p < m.start():
            out.append(text[p:m.start()])
        if m.start() == lastend and m.start() == m.end():
            # RE2: no empty match right after the previous match; step over one character
            if p < len(text):
                out.append(text[p])
            p += 1
            continue
        out.append(_rewrite(rewrite, m)[0])
        p = lastend = m.end()
        count += 1
    if count == 0:
        return text
    out.append(text[p:])
    return "".join(out)


@host_op("regex_replace")
def regex_replace(x, pattern, rewrite, *, replace_global):
    """RE2's Replace (first match) or GlobalReplace of `pattern` by `rewrite` in each string."""
    pattern = _scalar("regex_replace", "Pattern", pattern)
    rewrite = _scalar("regex_replace", "Rewrite", rewrite)
    regex = _regex("regex_replace", pattern)
    if _max_submatch(rewrite) > regex.groups:  # RE2 leaves the strings unchanged
        return x.copy()
    template = utf8_text(rewrite)
    return elementwise(x, lambda s: utf8_bytes(_replace_one(regex, utf8_text(s), template, replace_global)))


@host_op("regex_full_match")
def regex_full_match(x, pattern):
    """Whether each whole string matches `pattern` (RE2 syntax)."""
    regex = _regex("regex_full_match", _scalar("regex_full_match", "Pattern", pattern))
    return elementwise(x, lambda s: regex.fullmatch(utf8_text(s)) is not None, bool)
