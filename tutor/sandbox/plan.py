"""How a test's verdict is computed outside the learner's process.

An `assert` is cut into the comparison the trusted parent evaluates (`==`, `<`, `abs`,
arithmetic, `isclose`, `all(... for x in xs)`, `and`/`or`/`not`) and the *leaves* it compares:
the maximal sub-expressions the parent does not evaluate itself (`f(2)`, `math.sqrt(x)`,
`losses[-1]`). Each leaf is evaluated by a sandboxed child and comes back as plain data.

A leaf that uses nothing from the learner's code (only constants, `math`, `np`, builtins,
names the tests set up without the learner's code, and loop variables over such values) is
on the *expected* side: a separate child that never loads the learner's code evaluates it.
The other leaves are on the *learner* side. So expected values never enter the learner's
process, and what the learner's process returns is data, compared here: an object whose
`__eq__` always says True, or fake events on the result pipe, can only ever supply values.

The plan travels to the children as JSON (`Plan.for_child`); the condition trees stay here
for `judge.py`.
"""

from __future__ import annotations

import ast
import builtins
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

from tutor.sandbox.harness import TESTS_FILE

@dataclass(frozen=True)
class Statement:
    """One top-level statement of the tests: an `assert` is a test, anything else is setup."""

    source: str
    node: ast.stmt
    is_assert: bool


def split_tests(tests: str | list[str] | tuple[str, ...]) -> list[Statement]:
    """The tests' top-level statements, in order. Raises SyntaxError (with `.item`) if one does not parse.

    Tests come either as one text or, as the lessons write them, as a list of texts; each text
    may hold several statements.
    """
    items = [tests] if isinstance(tests, str) else list(tests)
    statements: list[Statement] = []
    for number, text in enumerate(items):
        try:
            module = ast.parse(text, TESTS_FILE, "exec")
        except SyntaxError as exc:
            exc.item = number  # type: ignore[attr-defined]
            raise
        for node in module.body:
            source = ast.get_source_segment(text, node) or text
            statements.append(Statement(source.strip(), node, isinstance(node, ast.Assert)))
    return statements


LEARNER, EXPECTED = "learner", "expected"

# Names the tests may use that never come from the learner's code.
SAFE_NAMES = frozenset(dir(builtins)) | {"math", "np", "numpy"}

# Functions the parent evaluates on plain data (see judge.FUNCTIONS); a call to anything
# else is a leaf. Comparisons must live here, or a learner's object could answer them.
PARENT_FUNCTIONS = frozenset({
    "abs", "max", "min", "len", "bool", "float", "int", "round", "sum", "all", "any",
    "math.isclose", "math.fabs", "np.isclose", "np.allclose", "np.array_equal", "np.all", "np.any", "np.abs",
    "np.max", "np.min", "np.sum", "np.shape",
})
_ALIASES = {"numpy": "np"}
_FUNCTION_ROOTS = {name.split(".")[0] for name in PARENT_FUNCTIONS} | {"numpy"}
# `x is None` and the like compare with a singleton: safe on data. Other identity tests are
# leaves, evaluated where the objects live (an identity cannot be faked by overloading).
_SINGLETONS = (None, True, False, Ellipsis)


@dataclass
class Comp:
    """`all(elt for target in iter if cond)` and its kin, evaluated here over items computed by a child."""

    id: int
    target: str  # source of the loop target, bound in the child
    names: tuple[str, ...]  # the names the target binds
    iter_src: str
    iter_side: str
    leaves: list[dict] = field(default_factory=list)  # evaluated per item
    comps: list[Comp] = field(default_factory=list)


@dataclass
class AssertPlan:
    index: int
    source: str
    condition: dict  # the tree judge.py evaluates
    message: dict | None  # the assert's message expression, if any (a tree too)
    leaves: list[dict]  # leaves at the top level: {"id", "src", "side"}
    comps: list[Comp]
    weak: list[str]  # learner-side leaves that compare inside the learner's process


@dataclass
class SetupPlan:
    index: int
    source: str
    side: str
    code: str  # what the child runs: the statement's own node, unparsed (exactly it, nothing around it)
    in_learner: bool = True  # run in the learner's child too: it feeds the learner's code, or only has effects


@dataclass
class Plan:
    steps: list[AssertPlan | SetupPlan]

    def for_child(self, role: str) -> list[dict]:
        """What one child needs and nothing more: the setup steps it runs, and its own side's leaves.

        The learner's child never receives an expected-side leaf or a setup step only the
        expected side reads, so the expected values are not in its process even as source text.
        """
        out = []
        for step in self.steps:
            if isinstance(step, SetupPlan):
                runs = step.side == EXPECTED if role == EXPECTED else step.side == LEARNER or step.in_learner
                if runs:
                    out.append({"index": step.index, "kind": "setup", "source": step.code})
            else:
                out.append({"index": step.index, "kind": "assert", "scope": _scope(step.leaves, step.comps, role)})
        return out


def _scope(leaves: list[dict], comps: list[Comp], role: str) -> dict:
    return {"leaves": [leaf for leaf in leaves if leaf["side"] == role],
            "comps": [{"id": c.id, "target": c.target, "iter": c.iter_src, "own_items": c.iter_side == role,
                       "scope": _scope(c.leaves, c.comps, role)} for c in comps if _involves(c, role)]}


def _involves(comp: Comp, role: str) -> bool:
    return (comp.iter_side == role or any(leaf["side"] == role for leaf in comp.leaves)
            or any(_involves(c, role) for c in comp.comps))


def make_plan(statements: list[Statement]) -> Plan:
    safe = set(SAFE_NAMES)
    shadowed: set[str] = set()  # names of PARENT_FUNCTIONS the tests rebind: calls to them become leaves
    steps: list[AssertPlan | SetupPlan] = []
    counter = itertools.count()
    for index, statement in enumerate(statements):
        if statement.is_assert:
            steps.append(_assert_plan(index, statement, safe, shadowed, counter))
            continue
        bound = _bound_names(statement.node)
        shadowed |= bound & _FUNCTION_ROOTS
        side = EXPECTED if _free_names(statement.node) <= safe else LEARNER
        if side == EXPECTED:
            safe |= bound
        else:
            safe -= bound  # set by the learner's code now, whatever it was before
        steps.append(SetupPlan(index, statement.source, side, ast.unparse(statement.node)))
    _keep_expected_values_out(steps, statements)
    return Plan(steps)


def _keep_expected_values_out(steps: list[AssertPlan | SetupPlan], statements: list[Statement]) -> None:
    """A setup step that needs no learner code runs in the learner's child only if the learner's
    side reads a name it binds (an input such as `X`), or if it binds nothing (an effect such as
    `np.random.seed(42)`, kept in order). A value only the expected side reads (`target = ...`)
    never enters the learner's process.
    """
    needed: set[str] = set()
    for step in reversed(steps):
        node = statements[step.index].node
        if isinstance(step, AssertPlan):
            needed |= _learner_reads(step.leaves, step.comps)
        elif step.side == LEARNER:
            needed |= _free_names(node)
        else:
            bound = _bound_names(node)
            step.in_learner = not bound or bool(bound & needed)
            if step.in_learner:
                needed |= _free_names(node)


def _learner_reads(leaves: list[dict], comps: list[Comp]) -> set[str]:
    names: set[str] = set()
    for leaf in leaves:
        if leaf["side"] == LEARNER:
            names |= _free_names(ast.parse(leaf["src"], mode="eval"))
    for comp in comps:
        inner = _learner_reads(comp.leaves, comp.comps)
        if inner or comp.iter_side == LEARNER:  # the learner's child iterates this one itself
            names |= (inner - set(comp.names)) | _free_names(ast.parse(comp.iter_src, mode="eval"))
    return names


@dataclass
class _Scope:
    safe: set[str]  # names whose values do not come from the learner's code
    loop: set[str]  # names bound by enclosing comprehensions evaluated here
    shadowed: set[str]  # function names the tests rebound
    leaves: list[dict]
    comps: list[Comp]
    weak: list[str]


def _assert_plan(index: int, statement: Statement, safe: set[str], shadowed: set[str],
                 counter: Iterator[int]) -> AssertPlan:
    node = statement.node
    assert isinstance(node, ast.Assert)
    scope = _Scope(set(safe), set(), set(shadowed), [], [], [])
    condition = _build(node.test, scope, counter)
    message = _build(node.msg, scope, counter) if node.msg is not None else None
    return AssertPlan(index, statement.source, condition, message, scope.leaves, scope.comps, scope.weak)


def _dotted(node: ast.expr) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(_ALIASES.get(node.id, node.id))
    return ".".join(reversed(parts))


_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%", ast.Pow: "**"}
_UNARY = {ast.USub: "-", ast.UAdd: "+", ast.Not: "not"}
_CMPOPS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.In: "in",
           ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not"}


def _build(node: ast.expr, scope: _Scope, counter: Iterator[int]) -> dict:
    if isinstance(node, ast.Constant) and not isinstance(node.value, bytes):
        return {"t": "const", "v": node.value}
    if isinstance(node, ast.Name) and node.id in scope.loop:
        return {"t": "name", "n": node.id}
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        return {"t": "bin", "op": _BINOPS[type(node.op)], "l": _build(node.left, scope, counter),
                "r": _build(node.right, scope, counter)}
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return {"t": "unary", "op": _UNARY[type(node.op)], "v": _build(node.operand, scope, counter)}
    if isinstance(node, ast.BoolOp):
        return {"t": "bool", "op": "and" if isinstance(node.op, ast.And) else "or",
                "vs": [_build(v, scope, counter) for v in node.values]}
    if isinstance(node, ast.Compare) and not _identity_of_objects(node):
        return {"t": "cmp", "ops": [_CMPOPS[type(op)] for op in node.ops], "l": _build(node.left, scope, counter),
                "rs": [_build(c, scope, counter) for c in node.comparators]}
    if isinstance(node, (ast.Tuple, ast.List)) and not any(isinstance(e, ast.Starred) for e in node.elts):
        return {"t": "tuple" if isinstance(node, ast.Tuple) else "list",
                "vs": [_build(e, scope, counter) for e in node.elts]}
    if isinstance(node, ast.Call):
        name = _dotted(node.func)
        if name is not None and (name.split(".")[0] in scope.shadowed or name.split(".")[0] in scope.loop):
            name = None  # not the function the parent knows by that name
        plain = not any(isinstance(a, ast.Starred) for a in node.args) and all(k.arg for k in node.keywords)
        if name in ("all", "any") and len(node.args) == 1 and not node.keywords and _simple_comp(node.args[0]):
            return _build_comp(name, node.args[0], scope, counter)
        if name in PARENT_FUNCTIONS and plain:
            return {"t": "call", "fn": name, "args": [_build(a, scope, counter) for a in node.args],
                    "kw": {k.arg: _build(k.value, scope, counter) for k in node.keywords}}
    return _leaf(node, scope, counter)


def _identity_of_objects(node: ast.Compare) -> bool:
    """`a is b` between two non-singletons: decided where the objects are, as a leaf."""
    operands = [node.left, *node.comparators]
    for op, left, right in zip(node.ops, operands, operands[1:]):
        if isinstance(op, (ast.Is, ast.IsNot)) and not any(
                isinstance(side, ast.Constant) and side.value in _SINGLETONS for side in (left, right)):
            return True
    return False


def _simple_comp(node: ast.expr) -> bool:
    return (isinstance(node, (ast.GeneratorExp, ast.ListComp, ast.SetComp)) and len(node.generators) == 1
            and not node.generators[0].is_async)


def _build_comp(fn: str, node: ast.GeneratorExp | ast.ListComp | ast.SetComp, scope: _Scope,
                counter: Iterator[int]) -> dict:
    gen = node.generators[0]
    iter_side = _side(gen.iter, scope)
    names = tuple(n.id for n in ast.walk(gen.target) if isinstance(n, ast.Name))
    comp = Comp(next(counter), ast.unparse(gen.target), names, ast.unparse(gen.iter), iter_side)
    # Over items the learner's code produced, every leaf is the learner's: the expected child cannot iterate them.
    inner_safe = scope.safe | set(names) if iter_side == EXPECTED else set()
    inner = _Scope(inner_safe, scope.loop | set(names), scope.shadowed, comp.leaves, comp.comps, scope.weak)
    tree = {"t": "comp", "fn": fn, "id": comp.id, "target": _target_tree(gen.target),
            "ifs": [_build(c, inner, counter) for c in gen.ifs], "elt": _build(node.elt, inner, counter)}
    scope.comps.append(comp)
    return tree


def _target_tree(node: ast.expr):
    """A loop target as nested lists of names, for unpacking items here as Python would."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, (ast.Tuple, ast.List)) and all(not isinstance(e, ast.Starred) for e in node.elts):
        return [_target_tree(e) for e in node.elts]
    return None  # attribute or starred targets: the parent cannot bind them, the comp's items are opaque to it


def _leaf(node: ast.expr, scope: _Scope, counter: Iterator[int]) -> dict:
    side = _side(node, scope)
    leaf = {"id": next(counter), "src": ast.unparse(node), "side": side}
    scope.leaves.append(leaf)
    if side == LEARNER and _compares(node):
        scope.weak.append(leaf["src"])
    return {"t": "leaf", "id": leaf["id"], "src": leaf["src"]}


def _side(node: ast.AST, scope: _Scope) -> str:
    return EXPECTED if _free_names(node) <= scope.safe else LEARNER


def _compares(node: ast.AST) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Compare) and not all(isinstance(op, (ast.Is, ast.IsNot)) for op in sub.ops):
            return True
        if isinstance(sub, ast.Call) and (_dotted(sub.func) or "").split(".")[-1] in (
                "isclose", "allclose", "array_equal", "all", "any"):
            return True
    return False


def _free_names(node: ast.AST) -> set[str]:
    """Names read by `node` that it does not bind itself (lambda parameters, comprehension targets)."""
    loaded = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return loaded - _inner_bound(node)


def _inner_bound(node: ast.AST) -> set[str]:
    """Names bound inside functions, lambdas and comprehensions within `node` (not at its own level)."""
    bound: set[str] = set()
    for sub in ast.walk(node):
        if isinstance(sub, (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef)):
            args = sub.args
            bound |= {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
            bound |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
            body = sub.body if isinstance(sub.body, list) else [sub.body]
            bound |= {n.id for part in body for n in ast.walk(part)
                      if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        if isinstance(sub, ast.comprehension):
            bound |= {n.id for n in ast.walk(sub.target) if isinstance(n, ast.Name)}
    return bound


def _bound_names(node: ast.stmt) -> set[str]:
    """Names a setup statement binds at the top level of the tests."""
    bound = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del))}
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        bound.add(node.name)
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        bound |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return bound
