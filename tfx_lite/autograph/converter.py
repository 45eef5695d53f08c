"""The conversion of one function's syntax tree (after `lowering`): `if`, `while` and `for`
become calls of `ag__.if_stmt` / `ag__.while_stmt` / `ag__.for_stmt` on functions of the
enclosing variables; `and`, `or`, `not` and `x if c else y` become `ag__.and_` / `or_` / `not_` /
`if_exp`; every call goes through `ag__.converted_call`, which converts the functions it calls.

A converted `if` looks like this (TF's AutoGraph writes the same shape):

    def get_state():                   # the variables the statement assigns
        return (y,)
    def set_state(vars_):
        nonlocal y
        (y,) = vars_
    def if_body():
        nonlocal y
        y = x * x
    def else_body():
        nonlocal y
        y = -x
    ag__.if_stmt(x > 0, if_body, else_body, get_state, set_state, ('y',), 1)

The first `nouts` symbols are the statement's outputs: those read after it (for a loop: those it
carries from one iteration to the next). Variables that may be unassigned when the statement
starts are first set to `ag__.Undefined('y')` (or `ag__.ld(lambda: y, 'y')` when they may be
assigned). Generated nodes take the line of the statement they replace, so tracebacks point at
the user's lines."""
from __future__ import annotations

import ast

from tfx_lite.autograph import analysis, lowering
from tfx_lite.autograph.lowering import locate as _locate

_NO_CONVERT_CALLS = {"locals", "globals", "vars", "eval", "exec", "super", "__import__"}


def _name(id_, store=False):
    return ast.Name(id=id_, ctx=ast.Store() if store else ast.Load())


def _ag(attr):
    return ast.Attribute(value=_name("ag__"), attr=attr, ctx=ast.Load())


def _call(func, *args):
    return ast.Call(func=func, args=list(args), keywords=[])


def _lambda(body):
    return ast.Lambda(args=ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[],
                                         kw_defaults=[], kwarg=None, defaults=[]), body=body)


def _def(name, params, body):
    return ast.FunctionDef(
        name=name, args=ast.arguments(posonlyargs=[], args=[ast.arg(arg=p) for p in params],
                                      vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None,
                                      defaults=[]),
        body=body or [ast.Pass()], decorator_list=[], returns=None, type_params=[])


def _load(symbol: str):
    """An expression reading `a.b.c`."""
    parts = symbol.split(".")
    node = _name(parts[0])
    for attr in parts[1:]:
        node = ast.Attribute(value=node, attr=attr, ctx=ast.Load())
    return node


def _store(symbol: str):
    node = _load(symbol)
    node.ctx = ast.Store()
    return node


class _Expressions(ast.NodeTransformer):
    """Expression forms: and/or/not, conditional expressions and calls (lambdas included;
    nested function definitions are converted on their own)."""

    def __init__(self, first_param):
        self.first_param = first_param

    def visit_FunctionDef(self, node):
        return node

    visit_AsyncFunctionDef = visit_ClassDef = visit_FunctionDef

    def visit_BoolOp(self, node):
        self.generic_visit(node)
        return _locate(_call(_ag("and_" if isinstance(node.op, ast.And) else "or_"),
                                       *[_lambda(v) for v in node.values]), node)

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.Not):
            return _locate(_call(_ag("not_"), node.operand), node)
        return node

    def visit_IfExp(self, node):
        self.generic_visit(node)
        return _locate(_call(_ag("if_exp"), node.test, _lambda(node.body), _lambda(node.orelse),
                                       ast.Constant(ast.unparse(node.test))), node)

    def visit_Call(self, node):
        func = node.func
        if isinstance(func, ast.Name) and func.id == "super" and not node.args and self.first_param:
            node.args = [_name("__class__"), _name(self.first_param)]  # zero-argument super()
        self.generic_visit(node)
        if isinstance(func, ast.Name) and func.id in _NO_CONVERT_CALLS:
            return node
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "ag__":
            return node
        args = ast.Tuple(elts=node.args, ctx=ast.Load())
        if node.keywords:
            kwargs = ast.Dict(keys=[ast.Constant(k.arg) if k.arg else None for k in node.keywords],
                              values=[k.value for k in node.keywords])
        else:
            kwargs = ast.Constant(None)
        return _locate(_call(_ag("converted_call"), node.func, args, kwargs), node)


class FunctionConverter:
    """Converts one function definition (and, recursively, the functions defined in it)."""

    def __init__(self, func: ast.FunctionDef):
        self.func = func
        self.counts: dict = {}
        args = func.args
        self.params = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs} | \
            {a.arg for a in (args.vararg, args.kwarg) if a is not None}
        positional = args.posonlyargs + args.args
        self.expressions = _Expressions(positional[0].arg if positional else None)

    def fresh(self, base):
        n = self.counts.get(base, 0)
        self.counts[base] = n + 1
        return base if n == 0 else f"{base}_{n}"

    def convert(self) -> ast.FunctionDef:
        func = self.func
        lowering.lower(func)
        self.globals = _declared(func, ast.Global)
        self.nonlocals = _declared(func, ast.Nonlocal)
        self.locals = {s for s in set(analysis.writes(func.body)) | self.params
                       if "." not in s} - self.globals - self.nonlocals
        self.assigned = analysis.assigned_before(func.body, self.params)
        func.body = self.block(func.body, set())
        func.decorator_list = []
        func.args = self.expressions.visit(func.args)
        return func

    # --- blocks --------------------------------------------------------------------------------

    def block(self, stmts, live_out: set) -> list:
        lives, live = [], set(live_out)
        for stmt in reversed(stmts):
            lives.append(live)
            live = analysis.live_in(stmt, live)
        return [new for stmt, live in zip(stmts, reversed(lives)) for new in self.statement(stmt, live)]

    def statement(self, stmt, live_after) -> list:
        if isinstance(stmt, ast.If):
            return self.if_stmt(stmt, live_after)
        if isinstance(stmt, ast.While):
            return self.loop(stmt, live_after)
        if isinstance(stmt, ast.For):
            return self.loop(stmt, live_after)
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if isinstance(stmt, ast.FunctionDef):
                stmt = FunctionConverter(stmt).convert()
            stmt.decorator_list = [self.expressions.visit(d) for d in stmt.decorator_list]
            return [stmt]
        if isinstance(stmt, (ast.With, ast.Try)):
            lowering.map_blocks(stmt, lambda block: self.block(block, live_after))
            if isinstance(stmt, ast.With):
                stmt.items = [self.expressions.visit(i) for i in stmt.items]
            return [stmt]
        if isinstance(stmt, ast.ClassDef):
            return [stmt]
        return [self.expressions.visit(stmt)]

    # --- state ---------------------------------------------------------------------------------

    def state_symbols(self, stmts) -> list:
        """The symbols `stmts` assign that the enclosing function's state holds: its local
        variables, and attributes of them (`self.x`)."""
        out = []
        for s in analysis.writes(stmts):
            root = s.split(".")[0]
            if root in self.locals and (("." in s) or s in self.locals):
                out.append(s)
        return out

    def state_functions(self, symbols, at):
        get_name, set_name = self.fresh("get_state"), self.fresh("set_state")
        reads = [(_call(_ag("ld"), _lambda(_load(s)), ast.Constant(s)) if "." in s else _load(s))
                 for s in symbols]
        get = _def(get_name, [], [ast.Return(value=ast.Tuple(elts=reads, ctx=ast.Load()))])
        body = self.declarations(symbols)
        if symbols:
            body.append(ast.Assign(targets=[ast.Tuple(elts=[_store(s) for s in symbols], ctx=ast.Store())],
                                   value=_name("vars_")))
        set_ = _def(set_name, ["vars_"], body)
        return [_locate(get, at), _locate(set_, at)], get_name, set_name

    def declarations(self, symbols) -> list:
        """`nonlocal` for the plain variables among `symbols` (attributes need none)."""
        names = [s for s in symbols if "." not in s]
        return [ast.Nonlocal(names=names)] if names else []

    def scoped(self, body, symbols, also=()) -> list:
        """`body` as the body of a generated function: the state's variables are `nonlocal`, and
        the user's own global/nonlocal declarations carry over."""
        decls = self.declarations(symbols)
        used = analysis.writes(body) + list(also)
        g = sorted(n for n in self.globals if n in used)
        nl = sorted(n for n in self.nonlocals if n in used)
        if g:
            decls.append(ast.Global(names=g))
        if nl:
            decls.append(ast.Nonlocal(names=nl))
        return decls + (body or [ast.Pass()])

    def undefined_inits(self, stmt, symbols) -> list:
        definite, maybe = self.assigned.get(id(stmt), (set(), set()))
        out = []
        for s in symbols:
            if "." in s or s in definite:
                continue
            value = _call(_ag("ld"), _lambda(_name(s)), ast.Constant(s)) if s in maybe else \
                _call(_ag("Undefined"), ast.Constant(s))
            out.append(_locate(ast.Assign(targets=[_name(s, True)], value=value), stmt))
        return out

    @staticmethod
    def ordered(symbols, outputs):
        first = [s for s in symbols if s in outputs]
        return first + [s for s in symbols if s not in outputs], len(first)

    # --- if ------------------------------------------------------------------------------------

    def if_stmt(self, stmt, live_after) -> list:
        symbols = self.state_symbols(stmt.body + stmt.orelse)
        outputs = {s for s in symbols if s in live_after or "." in s}
        symbols, nouts = self.ordered(symbols, outputs)
        inits = self.undefined_inits(stmt, symbols)
        body = self.block(stmt.body, live_after)
        orelse = self.block(stmt.orelse, live_after)
        test = self.expressions.visit(stmt.test)
        state, get_name, set_name = self.state_functions(symbols, stmt)
        body_name, else_name = self.fresh("if_body"), self.fresh("else_body")
        defs = [_locate(_def(body_name, [], self.scoped(body, symbols)), stmt),
                _locate(_def(else_name, [], self.scoped(orelse, symbols)), stmt)]
        call = _call(_ag("if_stmt"), test, _name(body_name), _name(else_name), _name(get_name),
                     _name(set_name), ast.Tuple(elts=[ast.Constant(s) for s in symbols], ctx=ast.Load()),
                     ast.Constant(nouts))
        return inits + state + defs + [_locate(ast.Expr(value=call), stmt)]

    # --- loops ---------------------------------------------------------------------------------

    def loop(self, stmt, live_after) -> list:
        is_for = isinstance(stmt, ast.For)
        targets = analysis.target_symbols(stmt.target) if is_for else []
        head_live = analysis.loop_head_live(stmt, live_after)
        extra_test = getattr(stmt, "ag_extra_test", None)
        if extra_test is not None:
            head_live = head_live | analysis.reads(extra_test)
        symbols = self.state_symbols(stmt.body)
        if is_for:
            symbols += [t for t in self.state_symbols(
                [ast.Assign(targets=[stmt.target], value=ast.Constant(None))]) if t not in symbols]
        carried = {s for s in symbols if s in head_live or s in live_after or "." in s}
        if is_for:  # the loop assigns its target: carried only when read after the loop
            carried = {s for s in carried if s not in targets or s in live_after}
        symbols = [s for s in symbols if s in carried or s not in targets]
        symbols, nouts = self.ordered(symbols, carried)
        inits = self.undefined_inits(stmt, symbols)
        body = self.block(stmt.body, head_live)
        state, get_name, set_name = self.state_functions(symbols, stmt)
        body_name = self.fresh("loop_body")
        names = ast.Tuple(elts=[ast.Constant(s) for s in symbols], ctx=ast.Load())
        opts = ast.Dict(keys=[ast.Constant("nouts")], values=[ast.Constant(nouts)])
        if is_for:
            body = [_locate(ast.Assign(targets=[stmt.target], value=_name("itr")), stmt)] + body
            loop_def = _def(body_name, ["itr"], self.scoped(body, symbols, targets))
            defs = [_locate(loop_def, stmt)]
            if extra_test is not None:
                test_name = self.fresh("extra_test")
                defs.append(_locate(_def(test_name, [], [ast.Return(
                    value=self.expressions.visit(extra_test))]), stmt))
                test = _name(test_name)
            else:
                test = ast.Constant(None)
            call = _call(_ag("for_stmt"), self.expressions.visit(self.iterable(stmt.iter)), test,
                         _name(body_name), _name(get_name), _name(set_name), names, opts)
        else:
            test_name = self.fresh("loop_test")
            defs = [_locate(_def(body_name, [], self.scoped(body, symbols)), stmt),
                    _locate(_def(test_name, [], [ast.Return(value=self.expressions.visit(stmt.test))]), stmt)]
            call = _call(_ag("while_stmt"), _name(test_name), _name(body_name), _name(get_name),
                         _name(set_name), names, opts)
        return inits + state + defs + [_locate(ast.Expr(value=call), stmt)]

    @staticmethod
    def iterable(node):
        """A `for` loop's iterable: `range(...)` and `tf.range(...)` calls go to `ag__.range_`,
        which can step a counter when the limit is only known at run time."""
        if isinstance(node, ast.Call) and not node.keywords and 1 <= len(node.args) <= 3 and (
                (isinstance(node.func, ast.Name) and node.func.id == "range") or
                (isinstance(node.func, ast.Attribute) and node.func.attr == "range")):
            return _locate(_call(_ag("for_range"), node.func, *node.args), node)
        return node


def _declared(func, kind) -> set:
    """Names `func` declares global (or nonlocal) in its own scope."""
    found, todo = set(), list(func.body)
    while todo:
        node = todo.pop()
        if isinstance(node, kind):
            found.update(node.names)
        elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            todo.extend(ast.iter_child_nodes(node))
    return found


def convert_function(func: ast.FunctionDef) -> ast.FunctionDef:
    converted = FunctionConverter(func).convert()
    ast.fix_missing_locations(converted)
    return converted
