"""RE2 patterns (TensorFlow's regex engine) as Python `re` patterns: `compile_re2`.

The translation keeps RE2's meaning where the two differ (e.g. ASCII-only `\\b`, `\\w` and POSIX
classes, `$` only at the end, flags lasting to the end of their group); a pattern RE2 refuses,
or one Python's `re` cannot express, raises `Re2SyntaxError`.
"""
from __future__ import annotations

import functools
import re
import unicodedata

class Re2SyntaxError(ValueError):
    """A pattern RE2 refuses (`str` is RE2's error text), or one this translation cannot
    express in Python's `re`."""


_WORD = "0-9A-Za-z_"
_BAD_BYTES = "\udc80-\udcff"  # invalid UTF-8 bytes (decoded with surrogateescape): RE2 never matches them
_PERL_CLASSES = {"d": "0-9", "s": "\\t\\n\\f\\r ", "w": _WORD}
_POSIX_CLASSES = {
    "alnum": "0-9A-Za-z", "alpha": "A-Za-z", "ascii": "\\x00-\\x7f", "blank": "\\t ",
    "cntrl": "\\x00-\\x1f\\x7f", "digit": "0-9", "graph": "!-~", "lower": "a-z",
    "print": " -~", "punct": "!-/:-@\\[-`{-~", "space": "\\t\\n\\v\\f\\r ", "upper": "A-Z",
    "word": _WORD, "xdigit": "0-9A-Fa-f",
}
_WORD_BOUNDARY = f"(?:(?<=[{_WORD}])(?![{_WORD}])|(?<![{_WORD}])(?=[{_WORD}]))"
_NOT_WORD_BOUNDARY = f"(?:(?<=[{_WORD}])(?=[{_WORD}])|(?<![{_WORD}])(?![{_WORD}]))"
_SIMPLE_ESCAPES = {"a": "\\x07", "f": "\\x0c", "t": "\\t", "n": "\\n", "r": "\\r", "v": "\\x0b"}
_SIMPLE_ESCAPE_CODES = {c: ord(text.encode().decode("unicode_escape")) for c, text in _SIMPLE_ESCAPES.items()}


@functools.lru_cache(maxsize=None)
def _category_runs() -> tuple:
    """(first, last, category) runs covering every code point (Python's unicodedata)."""
    runs, start, current = [], 0, unicodedata.category("\0")
    for c in range(1, 0x110000):
        cat = unicodedata.category(chr(c))
        if cat != current:
            runs.append((start, c - 1, current))
            start, current = c, cat
    runs.append((start, 0x10FFFF, current))
    return tuple(runs)


@functools.lru_cache(maxsize=None)
def _category_ranges(category: str) -> str:
    """A character-class body with every code point of a Unicode general category (one letter:
    the whole major class)."""
    if category == "Any":
        return "\\x00-\\U0010ffff"
    merged: list = []
    for first, last, cat in _category_runs():
        if cat == category or (len(category) == 1 and cat[0] == category):
            if merged and merged[-1][1] == first - 1:
                merged[-1][1] = last
            else:
                merged.append([first, last])
    return "".join(_class_char(a) + ("" if a == b else "-" + _class_char(b)) for a, b in merged)


_CATEGORIES = {"C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me",
               "Mn", "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S",
               "Sc", "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs", "Any"}


def _class_char(c: int) -> str:
    return "\\U%08x" % c


class _Translator:
    """One pass over an RE2 pattern, writing the Python `re` equivalent."""

    def __init__(self, pattern: str):
        self.p = pattern
        self.i = 0
        self.out: list = []
        # per open group: (the flags in force outside it, its enclosing level's `inline`)
        self.stack: list = []
        self.flags = {"m": False, "s": False, "U": False}
        # groups opened for "(?flags)" at this level: closed before "|" and reopened after it,
        # closed with the enclosing group (RE2's flags last to the end of the group)
        self.inline: list = []
        self.can_repeat = False  # an atom precedes (a repetition operator may follow)
        self.last_repeat = None  # the text of a repetition that just ended

    def fail(self, text):
        raise Re2SyntaxError(text)

    def run(self) -> str:
        p = self.p
        while self.i < len(p):
            c = p[self.i]
            if c == "\\":
                self.escape()
            elif c == "[":
                self.char_class()
            elif c == "(":
                self.open_group()
            elif c == ")":
                self.close_group()
            elif c in "*+?{":
                self.repetition()
                continue
            elif c == "|":
                self.out.append(")" * len(self.inline) + "|" + "".join(self.inline))
                self.i += 1
                self.can_repeat = False
            elif c == ".":
                self.atom(f"[^{_BAD_BYTES}]" if self.flags["s"] else f"[^\\n{_BAD_BYTES}]", 1)
            elif c == "^":
                self.atom("(?m:^)" if self.flags["m"] else "(?:^)", 1)
            elif c == "$":
                self.atom("(?m:$)" if self.flags["m"] else "(?:\\Z)", 1)
            else:
                self.atom(re.escape(c), 1)
            self.last_repeat = None
        if self.stack:
            self.fail(f"missing ): {p}")
        self.out.append(")" * len(self.inline))
        return "".join(self.out)

    def atom(self, text, width):
        self.out.append(text)
        self.i += width
        self.can_repeat = True

    # --- escapes ------------------------------------------------------------------------------
    def escape(self):
        p, i = self.p, self.i
        if i + 1 >= len(p):
            self.fail("trailing \\")
        c = p[i + 1]
        if c in "123456789":
            if c in "1234567" and i + 2 < len(p) and p[i + 2] in "01234567":
                self.octal(i + 1)
                return
            self.fail(f"invalid escape sequence: \\{c}")
        if c == "0":
            self.octal(i + 1)
            return
        if c in "dswDSW":
            body = _PERL_CLASSES[c.lower()]
            self.atom(f"[{body}]" if c.islower() else f"[^{body}{_BAD_BYTES}]", 2)
            return
        if c == "b":
            self.atom(_WORD_BOUNDARY, 2)
            return
        if c == "B":
            self.atom(_NOT_WORD_BOUNDARY, 2)
            return
        if c == "A":
            self.atom("(?:\\A)", 2)
            return
        if c == "z":
            self.atom("(?:\\Z)", 2)
            return
        if c == "C":
            self.atom("(?s:.)", 2)  # RE2: any byte; here: any character
            return
        if c == "Q":
            end = p.find("\\E", i + 2)
            literal = p[i + 2:] if end < 0 else p[i + 2:end]
            self.out.append("".join(re.escape(ch) for ch in literal))
            self.i = len(p) if end < 0 else end + 2
            self.can_repeat = bool(literal)
            return
        if c == "E":
            self.i += 2
            return
        if c in "pP":
            body, width, negate = self.unicode_class(i)
            self.atom(f"[^{body}{_BAD_BYTES}]" if negate else f"[{body}]", width)
            return
        if c == "x":
            code, width = self.hex_escape(i)
            self.atom(re.escape(chr(code)), width)
            return
        if c in _SIMPLE_ESCAPES:
            self.atom(_SIMPLE_ESCAPES[c], 2)
            return
        if ord(c) < 0x80 and not c.isalnum():
            self.atom(re.escape(c), 2)
            return
        self.fail(f"invalid escape sequence: \\{c}")

    def octal(self, start):
        p, j = self.p, start
        while j < len(p) and j < start + 3 and p[j] in "01234567":
            j += 1
        self.atom(re.escape(chr(int(p[start:j], 8))), j - self.i)

    def hex_escape(self, i):
        p = self.p
        if i + 2 < len(p) and p[i + 2] == "{":
            end = p.find("}", i + 3)
            digits = p[i + 3:end] if end > 0 else ""
            if end < 0 or not digits or not all(d in "0123456789abcdefABCDEF" for d in digits):
                self.fail(f"invalid escape sequence: {p[i:end + 1 if end > 0 else len(p)]}")
            if int(digits, 16) > 0x10FFFF:
                self.fail(f"invalid escape sequence: {p[i:end]}")
            return int(digits, 16), end + 1 - i
        digits = p[i + 2:i + 4]
        if len(digits) != 2 or not all(d in "0123456789abcdefABCDEF" for d in digits):
            self.fail(f"invalid escape sequence: {p[i:i + 4]}")
        return int(digits, 16), 4

    def unicode_class(self, i):
        """(class body, width, negated) of \\pX, \\p{Name}, \\p{^Name}, \\PX at p[i]."""
        p = self.p
        negate = p[i + 1] == "P"
        if i + 2 >= len(p):
            self.fail(f"invalid escape sequence: {p[i:]}")
        if p[i + 2] == "{":
            end = p.find("}", i + 3)
            if end < 0:
                self.fail(f"invalid character class range: {p[i:]}")
            name, width = p[i + 3:end], end + 1 - i
        else:
            name, width = p[i + 2], 3
        if name.startswith("^"):
            name, negate = name[1:], not negate
        if name not in _CATEGORIES:  # also RE2's script names: not available in Python
            self.fail(f"invalid character class range: {p[i:i + width]}")
        return _category_ranges(name), width, negate

    # --- character classes --------------------------------------------------------------------
    def char_class(self):
        p, start = self.p, self.i
        j = start + 1
        negate = j < len(p) and p[j] == "^"
        if negate:
            j += 1
        items, first = [], True
        while True:
            if j >= len(p):
                self.fail(f"missing ]: {p[start:]}")
            c = p[j]
            if c == "]" and not first:
                j += 1
                break
            first = False
            if c == "[" and p.startswith("[:", j):
                end = p.find(":]", j + 2)
                name = p[j + 2:end] if end > 0 else None
                negated = bool(name) and name.startswith("^")
                if negated:
                    name = name[1:]
                if name in _POSIX_CLASSES:
                    if negated:
                        self.fail(f"invalid character class range: {p[j:end + 2]} (not supported)")
                    items.append(_POSIX_CLASSES[name])
                    j = end + 2
                    continue
                if end > 0:
                    self.fail(f"invalid character class range: {p[j:end + 2]}")
            if c == "\\":
                if j + 1 >= len(p):
                    self.fail("trailing \\")
                e = p[j + 1]
                if e in "dswDSW":
                    body = _PERL_CLASSES[e.lower()]
                    items.append(body if e.islower() else "\\" + e)  # \D \S \W: Python's own
                    j += 2
                    continue
                if e in "pP":
                    body, width, negated = self.unicode_class(j)
                    if negated:
                        self.fail(f"invalid character class range: {p[j:j + width]} (a negated "
                                  "Unicode class inside [...] is not supported)")
                    items.append(body)
                    j += width
                    continue
                if e == "x":
                    code, width = self.hex_escape(j)
                elif e in _SIMPLE_ESCAPES:
                    code, width = _SIMPLE_ESCAPE_CODES[e], 2
                elif e in "01234567":
                    k = j + 1
                    while k < len(p) and k < j + 4 and p[k] in "01234567":
                        k += 1
                    code, width = int(p[j + 1:k], 8), k - j
                elif ord(e) < 0x80 and not e.isalnum():
                    code, width = ord(e), 2
                else:
                    self.fail(f"invalid escape sequence: \\{e}")
            else:
                code, width = ord(c), 1
            # a range lo-hi?
            if j + width + 1 < len(p) and p[j + width] == "-" and p[j + width + 1] != "]":
                k = j + width + 1
                if p[k] == "\\":
                    e = p[k + 1] if k + 1 < len(p) else ""
                    if e == "x":
                        high, hw = self.hex_escape(k)
                    elif e in _SIMPLE_ESCAPES:
                        high, hw = _SIMPLE_ESCAPE_CODES[e], 2
                    elif e and ord(e) < 0x80 and not e.isalnum():
                        high, hw = ord(e), 2
                    elif e in "dswDSWpP":
                        self.fail(f"invalid escape sequence: \\{e}")
                    else:
                        self.fail(f"invalid character class range: {p[j:k + 2]}")
                else:
                    high, hw = ord(p[k]), 1
                if high < code:
                    self.fail(f"invalid character class range: {p[j:k + hw]}")
                items.append(_class_char(code) + "-" + _class_char(high))
                j = k + hw
                continue
            items.append(_class_char(code))
            j += width
        body = "".join(items)
        if negate:
            self.out.append(f"[^{body}{_BAD_BYTES}]")
        else:
            self.out.append(f"[{body}]" if body else "(?!)")
        self.i = j
        self.can_repeat = True

    # --- groups ---------------------------------------------------------------------------------
    def open_group(self):
        p, i = self.p, self.i
        if not p.startswith("(?", i):
            self.push("(")
            self.i += 1
            return
        if p.startswith("(?P<", i):
            end = p.find(">", i + 4)
            name = p[i + 4:end] if end > 0 else ""
            if end < 0 or not name or not all(ch.isalnum() or ch == "_" for ch in name):
                self.fail(f"invalid named capture group: {p[i:end + 1 if end > 0 else len(p)]}")
            self.push("(")  # RE2 allows a name twice, Python does not; rewrites use numbers
            self.i = end + 1
            return
        j = i + 2
        on, negate, seen = [], False, False
        while j < len(p) and p[j] not in ":)":
            ch = p[j]
            if ch == "-" and not negate:
                negate = True
            elif ch in "imsU":
                on.append(("-" if negate else "") + ch)
                seen = True
            else:
                self.fail(f"invalid perl operator: {p[i:j + 1]}")
            j += 1
        if j >= len(p):
            self.fail(f"missing ): {p}")
        if p[j] == ")" and not seen or negate and not any(f.startswith("-") for f in on):
            self.fail(f"invalid perl operator: {p[i:j + 1]}")
        new_flags = dict(self.flags)
        for f in on:
            new_flags[f[-1]] = not f.startswith("-")
        python_flags = "".join(f for f in on if not f.startswith("-") and f in "i")
        python_off = "".join(f[-1] for f in on if f.startswith("-") and f[-1] in "i")
        header = "(?" + python_flags + ("-" + python_off if python_off else "") + ":" \
            if python_flags or python_off else "(?:"
        if p[j] == ":":
            self.push(header, new_flags)
            self.i = j + 1
            return
        # "(?flags)": in force to the end of the enclosing group
        self.out.append(header)
        self.flags = new_flags
        self.inline.append(header)
        self.i = j + 1
        self.can_repeat = False

    def push(self, header, new_flags=None):
        self.out.append(header)
        self.stack.append((dict(self.flags), self.inline))
        self.inline = []
        if new_flags is not None:
            self.flags = new_flags
        self.can_repeat = False

    def close_group(self):
        if not self.stack:
            self.fail(f"unexpected ): {self.p}")
        self.out.append(")" * len(self.inline) + ")")
        self.flags, self.inline = self.stack.pop()
        self.i += 1
        self.can_repeat = True

    # --- repetition -----------------------------------------------------------------------------
    def repetition(self):
        p, i = self.p, self.i
        c = p[i]
        if c == "{":
            m = re.compile(r"\{(\d+)(,(\d*))?\}").match(p, i)
            if m is None:  # not a repetition: a literal "{"
                self.atom("\\{", 1)
                self.last_repeat = None
                return
            low = int(m.group(1))
            high = low if m.group(2) is None else (int(m.group(3)) if m.group(3) else None)
            if low > 1000 or (high is not None and (high > 1000 or high < low)):
                self.fail(f"invalid repetition size: {m.group(0)}")
            text, width = m.group(0), m.end() - i
        else:
            text, width = c, 1
        if self.last_repeat is not None:
            self.fail(f"bad repetition operator: {self.last_repeat}{text}")
        if not self.can_repeat:
            self.fail(f"missing argument to repetition operator: {text}" if c == "{"
                      else f"no argument for repetition operator: {text}")
        lazy = i + width < len(p) and p[i + width] == "?"
        self.out.append(p[i:i + width] + ("?" if lazy != self.flags["U"] else ""))  # (?U): swapped
        if lazy:
            width += 1
        self.i += width
        self.last_repeat = p[i:i + width]


@functools.lru_cache(maxsize=256)
def compile_re2(pattern: bytes):
    """The compiled Python regex for an RE2 pattern (bytes, UTF-8), or Re2SyntaxError."""
    try:
        text = pattern.decode("utf-8")
    except UnicodeDecodeError:
        raise Re2SyntaxError("invalid UTF-8") from None
    translated = _Translator(text).run()
    try:
        return re.compile(translated)
    except re.error as err:
        raise Re2SyntaxError(str(err)) from None
