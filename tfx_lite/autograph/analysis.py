"""What a piece of a function's syntax tree reads and assigns, and which variables are live
(read later) after a statement: AutoGraph's decisions about which variables an `if` or a loop
outputs rest on these."""
from __future__ import annotations

import ast

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.ListComp,
           ast.SetComp, ast.DictComp, ast.GeneratorExp)


def symbol(node) -> str | None:
    """`x` for a name, `a.b.c` for an attribute chain on a name (TF's composite symbols)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = symbol(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


def target_symbols(target) -> list[str]:
    """The names and attribute chains an assignment target binds."""
    if isinstance(target, (ast.Tuple, ast.List)):
        return [s for t in target.elts for s in target_symbols(t)]
    if isinstance(target, ast.Starred):
        return target_symbols(target.value)
    s = symbol(target)
    return [s] if s is not None else []


class _Writes(ast.NodeVisitor):
    """Symbols assigned by statements, not looking into nested scopes (whose own names they are)."""

    def __init__(self):
        self.symbols: list[str] = []

    def add(self, names):
        for n in names:
            if n not in self.symbols:
                self.symbols.append(n)

    def visit_Assign(self, node):
        for t in node.targets:
            self.add(target_symbols(t))
        self.generic_visit(node)

    def visit_AugAssign(self, node):
        self.add(target_symbols(node.target))
        self.generic_visit(node)

    def visit_AnnAssign(self, node):
        if node.value is not None:
            self.add(target_symbols(node.target))
        self.generic_visit(node)

    def visit_For(self, node):
        self.add(target_symbols(node.target))
        self.generic_visit(node)

    def visit_With(self, node):
        for item in node.items:
            if item.optional_vars is not None:
                self.add(target_symbols(item.optional_vars))
        self.generic_visit(node)

    def visit_NamedExpr(self, node):
        self.add(target_symbols(node.target))
        self.generic_visit(node)

    def visit_ExceptHandler(self, node):
        if node.name:
            self.add([node.name])
        self.generic_visit(node)

    def visit_Import(self, node):
        self.add([(a.asname or a.name).split(".")[0] for a in node.names])

    visit_ImportFrom = visit_Import

    def _scope(self, node):
        if not isinstance(node, ast.Lambda) and hasattr(node, "name"):
            self.add([node.name])

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _scope

    def visit_Lambda(self, node):
        pass

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = visit_Lambda


def writes(stmts) -> list[str]:
    """Symbols assigned in `stmts` (a list of statements or one node), in order of appearance."""
    visitor = _Writes()
    for s in stmts if isinstance(stmts, list) else [stmts]:
        visitor.visit(s)
    return visitor.symbols


def reads(node) -> set[str]:
    """Symbols read anywhere in `node` (nested functions included: their free variables), with
    every prefix of an attribute chain (reading `a.b` reads `a`)."""
    found = set()
    for n in ast.walk(node) if not isinstance(node, list) else (m for s in node for m in ast.walk(s)):
        if isinstance(n, (ast.Name, ast.Attribute)) and isinstance(n.ctx, ast.Load):
            s = symbol(n)
            while s is not None:
                found.add(s)
                s = s.rpartition(".")[0] or None
        elif isinstance(n, (ast.Attribute, ast.Subscript)) and isinstance(n.ctx, (ast.Store, ast.Del)):
            base = symbol(n.value)
            if base is not None:  # `a.b = v` / `a[i] = v` use `a`
                found.add(base.split(".")[0])
        elif isinstance(n, ast.AugAssign):
            found.update(target_symbols(n.target))
    return found


def _kills(stmt) -> set[str]:
    """Symbols a simple statement certainly assigns."""
    if isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Import, ast.ImportFrom,
                         ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return set(writes(stmt)) if not isinstance(stmt, (ast.FunctionDef, ast.ClassDef,
                                                          ast.AsyncFunctionDef)) else {stmt.name}
    return set()


def block_live_in(stmts, live_out: set) -> set:
    for s in reversed(stmts):
        live_out = live_in(s, live_out)
    return live_out


def live_in(stmt, live_out: set) -> set:
    """Symbols live before `stmt` when `live_out` are live after it."""
    if isinstance(stmt, ast.If):
        return reads(stmt.test) | block_live_in(stmt.body, live_out) | block_live_in(stmt.orelse, live_out)
    if isinstance(stmt, ast.While):
        return loop_head_live(stmt, live_out)
    if isinstance(stmt, ast.For):
        return reads(stmt.iter) | loop_head_live(stmt, live_out)
    if isinstance(stmt, ast.Return):
        return reads(stmt.value) if stmt.value is not None else set()
    if isinstance(stmt, ast.With):
        targets = {t for i in stmt.items if i.optional_vars is not None
                   for t in target_symbols(i.optional_vars)}
        inner = block_live_in(stmt.body, live_out) - targets
        return reads([i.context_expr for i in stmt.items]) | inner
    if isinstance(stmt, (ast.Try, ast.Raise, ast.Break, ast.Continue)):
        return live_out | reads(stmt)
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return (live_out - {stmt.name}) | reads(stmt)
    return (live_out - _kills(stmt)) | reads(stmt)


def loop_head_live(loop, live_out: set) -> set:
    """Symbols live where a loop tests its condition (before each iteration)."""
    after = live_out | block_live_in(loop.orelse, live_out)
    head = after | (reads(loop.test) if isinstance(loop, ast.While) else set())
    while True:
        body_in = block_live_in(loop.body, head)
        if isinstance(loop, ast.For):
            body_in = body_in - set(target_symbols(loop.target))
        new = head | body_in
        if new == head:
            return head
        head = new


def assigned_before(func_body: list, params: set) -> dict:
    """For each statement (by id): (symbols certainly assigned before it, symbols maybe assigned
    before it)."""
    table = {}

    def block(stmts, definite, maybe):
        for s in stmts:
            table[id(s)] = (set(definite), set(maybe))
            if isinstance(s, ast.If):
                d1, m1 = block(s.body, definite, maybe)
                d2, m2 = block(s.orelse, definite, maybe)
                definite, maybe = definite | (d1 & d2), maybe | m1 | m2
            elif isinstance(s, (ast.While, ast.For)):
                targets = set(target_symbols(s.target)) if isinstance(s, ast.For) else set()
                _, m1 = block(s.body, definite | targets, maybe | targets)
                _, m2 = block(s.orelse, definite, maybe)
                maybe = maybe | m1 | m2 | targets
            elif isinstance(s, ast.With):
                targets = set(writes([ast.Assign(targets=[i.optional_vars], value=None)
                                      for i in s.items if i.optional_vars is not None]))
                definite, maybe = block(s.body, definite | targets, maybe | targets)
            elif isinstance(s, ast.Try):
                for part in (s.body, s.orelse, s.finalbody, *[h.body for h in s.handlers]):
                    _, m = block(part, definite, maybe)
                    maybe = maybe | m
            else:
                kills = _kills(s)
                definite, maybe = definite | kills, maybe | kills
        return definite, maybe

    block(func_body, set(params), set(params))
    return table
