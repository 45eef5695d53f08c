"""Turning `return`, `break` and `continue` inside control flow into assignments to flags, so
that `if` and loops can become functions (tf.cond / tf.while_loop bodies), as TF's AutoGraph
does:

    for i in tf.range(n):            break_ = False
        if i > 2:                    for i in tf.range(n):        # extra test: not break_
            break           ->           if i > 2:
        s += i                               break_ = True
                                         if not break_:
                                             s += i

A `return` sets `do_return = True; retval_ = value`; the function ends with `return retval_`.
Statements after one that may have jumped run under `if not <flag>:`, and loops add `not
<flag>` to their condition (a `for` loop keeps it in the node's `ag_extra_test`)."""
from __future__ import annotations

import ast

_NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_LOOPS = (ast.For, ast.While)


def locate(node, at):
    """Give the generated nodes of `node` the first line of statement `at` (only that line: a
    call's line is where its callee's name ends, and a traceback shows that line)."""
    for n in ast.walk(node):
        if "lineno" in n._attributes and getattr(n, "lineno", None) is None:
            n.lineno, n.col_offset = at.lineno, at.col_offset
            n.end_lineno, n.end_col_offset = at.lineno, at.col_offset
    return node


def _name(id_, store=False):
    return ast.Name(id=id_, ctx=ast.Store() if store else ast.Load())


def _assign(name, value, at):
    return locate(ast.Assign(targets=[_name(name, True)], value=value), at)


def _not(name):
    return ast.UnaryOp(op=ast.Not(), operand=_name(name))


def _contains(node, kinds, into_loops) -> bool:
    """Whether `node` holds a statement of `kinds` that belongs to the current function (and,
    unless `into_loops`, to the current loop)."""
    if isinstance(node, kinds):
        return True
    if isinstance(node, _NESTED_SCOPES):
        return False
    for child in ast.iter_child_nodes(node):
        if isinstance(child, _NESTED_SCOPES) or (not into_loops and isinstance(child, _LOOPS)):
            continue
        if _contains(child, kinds, into_loops):
            return True
    return False


def map_blocks(stmt, rewrite) -> None:
    """Replace each statement list inside `stmt` (body, orelse, finalbody, the bodies of a try's
    handlers) by `rewrite(list)`."""
    for field in ("body", "orelse", "finalbody"):
        if isinstance(getattr(stmt, field, None), list):
            setattr(stmt, field, rewrite(getattr(stmt, field)))
    for handler in getattr(stmt, "handlers", None) or ():
        handler.body = rewrite(handler.body)


def _add_test(loop, flag):
    """Make `loop` stop once `flag` is set."""
    if isinstance(loop, ast.While):
        loop.test = locate(ast.BoolOp(op=ast.And(), values=[_not(flag), loop.test]), loop)
    else:
        extra = getattr(loop, "ag_extra_test", None)
        loop.ag_extra_test = locate(_not(flag) if extra is None else
                                    ast.BoolOp(op=ast.And(), values=[_not(flag), extra]), loop)


class _Names:
    """Fresh flag names per function: `break_`, `break__1`, ..."""

    def __init__(self):
        self.counts: dict = {}

    def fresh(self, base):
        n = self.counts.get(base, 0)
        self.counts[base] = n + 1
        return base if n == 0 else f"{base}_{n}"


# --- jumps -------------------------------------------------------------------------------------

def _lower_block(stmts, kind, flag, into_loops, on_jump):
    """`stmts` with each jump of `kind` replaced by `on_jump(stmt)` (statements), and the rest of
    a block after a statement that may jump guarded by `if not flag`."""
    out = []
    for i, stmt in enumerate(stmts):
        if isinstance(stmt, kind):
            out.extend(on_jump(stmt))
            return out  # what follows a jump never runs
        may_jump = _contains(stmt, kind, into_loops)
        if may_jump:
            _lower_inside(stmt, kind, flag, into_loops, on_jump)
        out.append(stmt)
        if may_jump and i + 1 < len(stmts):
            rest = _lower_block(stmts[i + 1:], kind, flag, into_loops, on_jump)
            out.append(locate(ast.If(test=_not(flag), body=rest, orelse=[]), stmts[i + 1]))
            return out
    return out


def _lower_inside(stmt, kind, flag, into_loops, on_jump):
    if isinstance(stmt, _LOOPS) and into_loops:  # a return inside a loop also ends the loop
        _add_test(stmt, flag)
    map_blocks(stmt, lambda block: _lower_block(block, kind, flag, into_loops, on_jump))


def lower_loop_jumps(stmts, names: _Names):
    """Lower `break`/`continue` of every loop in `stmts` (not in nested functions), innermost
    loops first; a loop's `else:` becomes statements after it."""
    out = []
    for stmt in stmts:
        if isinstance(stmt, _NESTED_SCOPES):
            out.append(stmt)
            continue
        map_blocks(stmt, lambda block: lower_loop_jumps(block, names))
        if isinstance(stmt, _LOOPS):
            out.extend(_lower_loop(stmt, names))
        else:
            out.append(stmt)
    return out


def _lower_loop(loop, names):
    before, after = [], []
    orelse, loop.orelse = loop.orelse, []
    if _contains_in_body(loop, ast.Continue):
        flag = names.fresh("continue_")
        body = _lower_block(loop.body, ast.Continue, flag, False, lambda s: [_assign(flag, ast.Constant(True), s)])
        loop.body = [_assign(flag, ast.Constant(False), loop)] + body
    if _contains_in_body(loop, ast.Break):
        flag = names.fresh("break_")
        loop.body = _lower_block(loop.body, ast.Break, flag, False, lambda s: [_assign(flag, ast.Constant(True), s)])
        before.append(_assign(flag, ast.Constant(False), loop))
        _add_test(loop, flag)
        if orelse:
            after.append(locate(ast.If(test=_not(flag), body=orelse, orelse=[]), orelse[0]))
    elif orelse:
        after.extend(orelse)  # without a break, a loop's else always runs
    return before + [loop] + after


def _contains_in_body(loop, kind):
    return any(_contains(s, kind, False) for s in loop.body)


# --- return ------------------------------------------------------------------------------------

def always_returns(stmts) -> bool:
    if not stmts:
        return False
    last = stmts[-1]
    if isinstance(last, (ast.Return, ast.Raise)):
        return True
    return isinstance(last, ast.If) and always_returns(last.body) and always_returns(last.orelse)


def _move_rest_into_else(stmts):
    """`if c: ...; return a` followed by more statements: the statements go into the `else`, so
    that both branches end in a return (TF's ConditionalReturnRewriter)."""
    out = []
    for i, stmt in enumerate(stmts):
        if not isinstance(stmt, _NESTED_SCOPES):
            map_blocks(stmt, _move_rest_into_else)
        out.append(stmt)
        rest = stmts[i + 1:]
        if isinstance(stmt, ast.If) and rest and _contains(stmt, ast.Return, True):
            if always_returns(stmt.body) and not always_returns(stmt.orelse):
                stmt.orelse = _move_rest_into_else(stmt.orelse + rest)
                return out
            if stmt.orelse and always_returns(stmt.orelse) and not always_returns(stmt.body):
                stmt.body = _move_rest_into_else(stmt.body + rest)
                return out
    return out


def needs_return_lowering(body) -> bool:
    """Whether a return sits anywhere but at the end of the function's own statements."""
    return any(_contains(s, ast.Return, True) for s in body[:-1]) or (
        bool(body) and not isinstance(body[-1], ast.Return) and _contains(body[-1], ast.Return, True))


def lower_returns(func: ast.FunctionDef):
    body = func.body
    if not needs_return_lowering(body):
        return
    if not always_returns(body):  # falling off the end returns None
        body = body + [locate(ast.Return(value=None), body[-1])]
    body = _move_rest_into_else(body)

    def on_return(stmt):
        value = stmt.value if stmt.value is not None else ast.Constant(None)
        return [_assign("do_return", ast.Constant(True), stmt), _assign("retval_", value, stmt)]

    first = body[0]
    body = _lower_block(body, ast.Return, "do_return", True, on_return)
    func.body = [
        _assign("do_return", ast.Constant(False), first),
        _assign("retval_", ast.Call(func=ast.Attribute(value=_name("ag__"), attr="UndefinedReturnValue",
                                                       ctx=ast.Load()), args=[], keywords=[]), first),
        *body,
        locate(ast.Return(value=_name("retval_")), func.body[-1]),
    ]


def lower(func: ast.FunctionDef) -> None:
    """Lower the jumps of `func`'s own statements (nested functions are lowered on their own)."""
    names = _Names()
    func.body = lower_loop_jumps(func.body, names)
    lower_returns(func)
