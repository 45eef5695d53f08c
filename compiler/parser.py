"""Reads the text that compiler.printer writes back into Graphs.

    g2 = parse_graph(print_graph(g), graph_constants(g))        # one func
    p2 = parse_program(print_program(g), program_constants(g))  # a func and its sub-graphs

`print_graph(parse_graph(text, constants)) == text` for printed text. Node output types are
re-inferred from the op table and must equal the printed ones. Attribute values are Python
literals (read as `ast.literal_eval` would) plus the printer's forms: `inf`/`nan`, dtype names
(`float32`), `array([...], dtype[, shape])`, numpy scalars (`np.float32(1.0)`), `@cN` (an entry
of `constants`) and `@name` (another func of the program).

Any error raises IRParseError (a ValueError) with the line number, the line and what was expected.
"""
from __future__ import annotations

import ast
import math
import re
from collections.abc import Mapping

import numpy as np

from compiler.ir import Graph, Operand
from compiler.types import TensorType, dtype_from_short_name
from compiler.verify import node_types

__all__ = ["IRParseError", "parse_graph", "parse_program", "parse_type"]


class IRParseError(ValueError):
    """Text that is not valid IR. `lineno` (1-based) and `line` locate the problem."""

    def __init__(self, lineno: int, line: str, message: str):
        super().__init__(f"line {lineno}: {message}\n    {line.strip()}")
        self.lineno = lineno
        self.line = line
        self.message = message


# --- lexical pieces ---

_VALUE = r"%(?:[A-Za-z_][\w.\-]*|\d+|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"
_TYPE = r"\w+\[[^\]]*\]"
_VALUE_RE = re.compile(_VALUE)
_VALUES_RE = re.compile(rf"{_VALUE}(?:\s*,\s*{_VALUE})*")
_TYPES_RE = re.compile(rf"{_TYPE}(?:\s*,\s*{_TYPE})*")
_HEADER_RE = re.compile(r"func\s+@(?P<name>[^\s(]+)\s*\((?P<params>.*)\)\s*->\s*(?P<results>.*?)\s*\{$")
_PARAM_RE = re.compile(rf"\s*(?P<name>{_VALUE})\s*:\s*(?P<type>{_TYPE})\s*(?:,|$)")
_ARGS_RE = re.compile(rf"\s*\(\s*((?:{_VALUE}(?:\s*,\s*{_VALUE})*)?)\s*\)")
_OP_RE = re.compile(r"[A-Za-z_][\w.]*")
_CONSTANT_RE = re.compile(r"c(\d+)")
_REF_NAME_RE = re.compile(r"[^\s,()\[\]{}=:]+")  # after @ in attributes: a func name or cN
_NODE_FORM = "`%out, ... = op(%in, ...) {name=value, ...} : type, ...`"


class _Error(ValueError):
    """A problem found below line level; turned into IRParseError with the line."""


def parse_type(text: str) -> TensorType:
    """`f32[4,?]` -> TensorType((4, None), float32)."""
    m = re.fullmatch(r"(\w+)\[([^\]]*)\]", text.strip())
    if not m:
        raise _Error(f"expected a type such as f32[4,8], got {text.strip()!r}")
    try:
        dtype = dtype_from_short_name(m.group(1))
    except KeyError:
        raise _Error(f"unknown dtype {m.group(1)!r} in type {text.strip()!r}") from None
    dims = m.group(2).strip()
    shape = []
    for d in dims.split(",") if dims else ():
        d = d.strip()
        if d == "?":
            shape.append(None)
        elif d.isdigit():
            shape.append(int(d))
        else:
            raise _Error(f"expected a dimension (an integer or ?) in type {text.strip()!r}, got {d!r}")
    return TensorType(shape, dtype)


def _types(text: str) -> list[TensorType]:
    if not _TYPES_RE.fullmatch(text.strip()):
        raise _Error(f"expected types such as `f32[4,2], i32[]`, got {text.strip()!r}")
    return [parse_type(t) for t in re.findall(_TYPE, text)]


def _value_name(token: str) -> str:
    body = token[1:]
    return ast.literal_eval(body) if body[:1] in "'\"" else body


def _values(text: str) -> list[str]:
    """The value tokens (`%0`, `%x`, `%'dense/kernel:0'`) of a comma-separated list."""
    text = text.strip()
    if not text:
        return []
    if not _VALUES_RE.fullmatch(text):
        raise _Error(f"expected values such as `%0, %x`, got {text!r}")
    return _VALUE_RE.findall(text)


def _skip_string(text: str, i: int) -> int:
    """The index after the string literal whose opening quote is at `i`."""
    quote, i = text[i], i + 1
    while i < len(text) and text[i] != quote:
        i += 2 if text[i] == "\\" else 1
    if i >= len(text):
        raise _Error("unterminated string in attributes")
    return i + 1


def _closing_brace(text: str, start: int) -> int:
    """Index of the `}` closing the `{` at `start` (strings and nested brackets skipped)."""
    depth, i = 0, start
    while i < len(text):
        c = text[i]
        if c in "'\"":
            i = _skip_string(text, i)
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise _Error("expected `}` closing the attributes")


# --- attribute values ---

_SPECIAL_NAMES = {"inf": math.inf, "nan": math.nan, "infj": complex(0, math.inf), "nanj": complex(0, math.nan)}


def _dtype_named(name: str):
    try:
        dtype = np.dtype(name)
    except TypeError:
        return None
    return dtype if dtype.name == name else None


def _parse_attrs(text: str, resolve) -> dict:
    """`k=v, ...` (the text between the braces) -> dict; `resolve(name)` gives the value of `@name`."""
    out, i, refs = [], 0, []
    while i < len(text):  # replace @name (outside strings) by __ref__(index)
        c = text[i]
        if c in "'\"":
            j = _skip_string(text, i)
            out.append(text[i:j])
            i = j
        elif c == "@":
            m = _REF_NAME_RE.match(text, i + 1)
            if not m:
                raise _Error("expected a name after `@` in attributes")
            out.append(f"__ref__({len(refs)})")
            refs.append(m.group())
            i = m.end()
        else:
            out.append(c)
            i += 1
    try:
        call = ast.parse(f"__attrs__({''.join(out)})", mode="eval").body
    except SyntaxError:
        raise _Error("expected attributes `{name=value, ...}` with Python literal values") from None
    if call.args or any(k.arg is None for k in call.keywords):
        raise _Error("expected attributes `{name=value, ...}` with Python literal values")
    attrs = {}
    for kw in call.keywords:
        if kw.arg in attrs:
            raise _Error(f"attribute {kw.arg!r} is given twice")
        try:
            attrs[kw.arg] = _literal(kw.value, lambda k: resolve(refs[k]))
        except _Error as err:
            raise _Error(f"attribute {kw.arg!r}: {err}") from None
    return attrs


def _literal(node, resolve):
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Tuple):
        return tuple(_literal(e, resolve) for e in node.elts)
    if isinstance(node, ast.List):
        return [_literal(e, resolve) for e in node.elts]
    if isinstance(node, ast.Dict) and None not in node.keys:
        return {_literal(k, resolve): _literal(v, resolve) for k, v in zip(node.keys, node.values)}
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        operand = _literal(node.operand, resolve)
        if isinstance(operand, (int, float, complex)) and not isinstance(operand, bool):
            return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):  # complex: (1+2j)
        left, right = _literal(node.left, resolve), _literal(node.right, resolve)
        if all(isinstance(x, (int, float, complex)) and not isinstance(x, bool) for x in (left, right)):
            return left + right if isinstance(node.op, ast.Add) else left - right
    if isinstance(node, ast.Name):
        if node.id in _SPECIAL_NAMES:
            return _SPECIAL_NAMES[node.id]
        dtype = _dtype_named(node.id)
        if dtype is not None:
            return dtype
        raise _Error(f"unknown name {node.id!r} (expected a literal, inf, nan or a dtype name)")
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "np":
        if node.attr in ("True_", "False_"):
            return np.bool_(node.attr == "True_")
    if isinstance(node, ast.Call) and not node.keywords:
        func = node.func
        if isinstance(func, ast.Name) and func.id == "__ref__":
            return resolve(node.args[0].value)
        if isinstance(func, ast.Name) and func.id == "operand" and len(node.args) == 1:
            index = _literal(node.args[0], resolve)
            if type(index) is not int or index < 0:
                raise _Error(f"expected operand(<input index>), got {ast.unparse(node)}")
            return Operand(index)
        if isinstance(func, ast.Name) and func.id == "array" and len(node.args) in (2, 3):
            data = _literal(node.args[0], resolve)
            dtype = _literal(node.args[1], resolve)
            if not isinstance(dtype, np.dtype):
                raise _Error(f"expected a dtype name in array(...), got {ast.unparse(node.args[1])}")
            value = np.array(data, dtype=dtype)
            if len(node.args) == 3:
                value = value.reshape(_literal(node.args[2], resolve))
            return value
        if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "np"
                and len(node.args) == 1):
            scalar_type = getattr(np, func.attr, None)
            if isinstance(scalar_type, type) and issubclass(scalar_type, np.generic):
                return scalar_type(_literal(node.args[0], resolve))
    raise _Error(f"unsupported attribute value {ast.unparse(node)!r}")


# --- functions ---

class _Func:
    """One `func` block: its header and body lines, the Graph being built, parse state."""

    def __init__(self, header_no: int, header: str):
        self.header_no, self.header = header_no, header
        self.body: list[tuple[int, str]] = []
        self.graph: Graph | None = None
        self.state = "new"  # "new" -> "parsing" -> "done"
        self.result_types: list[TensorType] = []
        self.env: dict[str, object] = {}


def _split_funcs(text: str) -> list[_Func]:
    funcs, current = [], None
    for lineno, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if current is None:
            if not stripped:
                continue
            if not stripped.startswith("func "):
                raise IRParseError(lineno, line, "expected `func @name(%x: f32[4], ...) -> (f32[4], ...) {`")
            current = _Func(lineno, line)
            funcs.append(current)
        elif stripped == "}":
            current = None
        else:
            current.body.append((lineno, line))
    if current is not None:
        raise IRParseError(current.header_no, current.header, "func has no closing `}`")
    if not funcs:
        raise IRParseError(1, text.splitlines()[0] if text.strip() else "", "expected a func, found no text")
    return funcs


def _parse_header(func: _Func) -> None:
    m = _HEADER_RE.fullmatch(func.header.strip())
    if not m:
        raise IRParseError(func.header_no, func.header,
                           "expected `func @name(%x: f32[4], ...) -> (f32[4], ...) {`")
    graph = Graph(m.group("name"))
    try:
        params = m.group("params").strip()
        pos = 0
        while pos < len(params):
            p = _PARAM_RE.match(params, pos)
            if not p or p.end() == pos:
                raise _Error(f"expected parameters `%name: type, ...`, got {params[pos:].strip()!r}")
            token = p.group("name")
            if token in func.env:
                raise _Error(f"parameter {token} is defined twice")
            func.env[token] = graph.add_param(parse_type(p.group("type")), _value_name(token))
            pos = p.end()
        results = m.group("results")
        inner = results[1:-1] if results.startswith("(") and results.endswith(")") else results
        func.result_types = _types(inner) if inner.strip() else []
    except _Error as err:
        raise IRParseError(func.header_no, func.header, str(err)) from None
    func.graph = graph


class _Program:
    def __init__(self, text: str, constants, multi: bool):
        self.funcs = _split_funcs(text)
        if not multi and len(self.funcs) > 1:
            f = self.funcs[1]
            raise IRParseError(f.header_no, f.header, "expected one func (use parse_program for several)")
        self.constants = constants
        self.by_name: dict[str, _Func] = {}
        for f in self.funcs:
            _parse_header(f)
            if f.graph.name in self.by_name:
                raise IRParseError(f.header_no, f.header, f"func @{f.graph.name} is defined twice")
            self.by_name[f.graph.name] = f

    def parse(self) -> Graph:
        for f in self.funcs:
            self._body(f)
        return self.funcs[0].graph

    def _resolve(self, name: str):
        if name in self.by_name:
            f = self.by_name[name]
            self._body(f)  # a sub-graph is parsed before the node that refers to it
            return f.graph
        m = _CONSTANT_RE.fullmatch(name)
        if m is None:
            raise _Error(f"undefined function @{name}")
        index, constants = int(m.group(1)), self.constants
        try:
            value = constants[name] if isinstance(constants, Mapping) else constants[index]
        except (KeyError, IndexError, TypeError):
            raise _Error(f"constant @{name} is not in the constants given "
                         "(pass constants=graph_constants(graph) or program_constants(graph))") from None
        return np.asarray(value)

    def _body(self, func: _Func) -> None:
        if func.state != "new":  # done, or a recursive reference to a func being parsed
            return
        func.state = "parsing"
        graph, env = func.graph, func.env
        returned = None
        for lineno, line in func.body:
            if not line.strip():
                continue
            if returned is not None:
                raise IRParseError(lineno, line, "expected `}` after `return`")
            try:
                if re.match(r"\s*return\b", line):
                    returned = self._return(func, line)
                else:
                    self._node(graph, env, line)
            except _Error as err:
                raise IRParseError(lineno, line, str(err)) from None
        if returned is None:
            raise IRParseError(func.header_no, func.header, f"func @{graph.name} has no `return` line")
        graph.results = returned
        func.state = "done"

    def _return(self, func: _Func, line: str) -> list:
        values = [self._use(func.env, n) for n in _values(re.sub(r"^\s*return\b", "", line))]
        types = [v.type for v in values]
        if types != func.result_types:
            raise _Error(f"returns ({', '.join(map(str, types))}), but the header says "
                         f"({', '.join(map(str, func.result_types))})")
        return values

    @staticmethod
    def _use(env: dict, name: str):
        if name not in env:
            raise _Error(f"undefined value {name}")
        return env[name]

    def _node(self, graph: Graph, env: dict, line: str) -> None:
        text = line.strip()
        outs: list[str] = []
        m = re.match(rf"({_VALUE}(?:\s*,\s*{_VALUE})*)\s*=\s*", text)
        if m:
            outs = _values(m.group(1))
            text = text[m.end():]
        op = _OP_RE.match(text)
        if not op:
            raise _Error(f"expected {_NODE_FORM}")
        name = op.group()
        args = _ARGS_RE.match(text, op.end())
        if not args:
            raise _Error(f"expected the inputs of {name!r} as `(%a, %b, ...)`; the form is {_NODE_FORM}")
        inputs = [self._use(env, n) for n in _values(args.group(1))]
        rest = text[args.end():].lstrip()
        attrs = {}
        if rest.startswith("{"):
            end = _closing_brace(rest, 0)
            attrs = _parse_attrs(rest[1:end], self._resolve)
            rest = rest[end + 1:].lstrip()
        printed = None
        if rest.startswith(":"):
            printed = _types(rest[1:])
        elif rest:
            raise _Error(f"expected `: type, ...` after {name}(...), got {rest!r}; the form is {_NODE_FORM}")
        if printed is None and outs:
            raise _Error(f"expected `: type, ...` giving the types of {', '.join(outs)}")
        if printed is not None and len(printed) != len(outs):
            raise _Error(f"{len(outs)} value(s) defined but {len(printed)} type(s) given")
        try:
            types, multi = node_types(name, [v.type for v in inputs], attrs, inputs)
        except KeyError:
            raise _Error(f"unknown op {name!r}") from None
        except ValueError as err:
            raise _Error(str(err)) from None
        if len(types) != len(outs):
            raise _Error(f"op {name!r} gives {len(types)} output(s) ({', '.join(map(str, types))}), "
                         f"the line defines {len(outs)}")
        for out, want, got in zip(outs, types, printed or ()):
            if want != got:
                raise _Error(f"{out} is printed as {got}, but {name!r} infers {want}")
        node = graph.add_node(name, inputs, attrs, types, multi)
        for out, value in zip(outs, node.outputs):
            if out in env:
                raise _Error(f"value {out} is defined twice")
            env[out] = value


def parse_graph(text: str, constants=None) -> Graph:
    """The Graph printed by `print_graph`; `constants` supplies @c0, @c1, ... (a list such as
    `graph_constants(graph)`, or a mapping {"c0": array, ...} such as a loaded .npz)."""
    return _Program(text, constants, multi=False).parse()


def parse_program(text: str, constants=None) -> Graph:
    """The first func of the text printed by `print_program`, its `@name` attributes resolved to
    the graphs of the other funcs; `constants` as for parse_graph (e.g. `program_constants(graph)`)."""
    return _Program(text, constants, multi=True).parse()
