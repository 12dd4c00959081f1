"""Variant families: an exercise with parameters, drawn per seed and substituted into parsed trees.

An exercise block may declare

    params:
      a: {range: [2, 9], value: 3}      # whole numbers 2..9; `value` is the one written (seed 0)
      b: {choose: [1, 2, 5], value: 2}  # one of these numbers
    where: ["a != b", "a*b/2 is an integer"]

Expression fields (function, answer, mistakes' answers, domain) are parsed with the answer
language, with the parameters as names; each parameter's Var node is replaced by its number in
the tree (`replace_nodes`), numbers are folded exactly, and the tree is rendered back for the
checker. Prose (prompt, hints, solution, mistake messages, part prompts) shows `{a}` (a value),
`{a:sup}` (as a superscript, x{a:sup} -> x³; `{a:pow}` writes nothing for 1), `{a:+}` (a signed term, "+ 3" or "− 3"), `{a:coef}` (a
coefficient: nothing for 1, "−" for −1), `{a:dec}` (an exact decimal, 0.75) and `{= a*b}` (a computed value), each evaluated
here on Fractions by walking the parsed tree; `{~ sigmoid(a)}` is a value that has no exact form (any
function of the answer language), shown to 6 significant figures by the checker's own evaluator. Nothing is formatted into text that is then parsed
or evaluated, and nothing is ever passed to eval.

Seed 0 is the exercise as written (every parameter at its `value`). Seed N >= 1 is the N-th
distinct accepted draw of one RNG stream seeded by the exercise id (rejection sampling, bounded),
so seeds 1..K give K different variants whenever the constraints allow K; beyond all the
combinations there are, seeds wrap round.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable

from tutor.mathlang import MathError, parse, parse_conditions
from tutor.mathlang.ast import BinOp, Call, Const, Neg, Node, Num, Pow, Relation, Var, Vector, render, replace_nodes, walk
from tutor.mathlang.names import CONSTANTS, FORBIDDEN, FUNCTIONS

PARAM_FIELDS = ("range", "choose", "value")
MAX_RANGE = 1000  # values a range may hold
MAX_TRIES = 2000  # draws in a row without a new accepted combination before giving up
MAX_DENOMINATOR = 1000  # larger denominators are not "readable numbers"
_NUMBER = re.compile(r"-?\d+(\.\d+)?(/\d+)?")
_INTEGER_CONDITION = re.compile(r"^(.*\S)\s+is\s+an?\s+integer$")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# {a:sup} x², {a:pow} the same but nothing for 1 (x{n:pow}: x³, x), {a:+} "+ 3" / "− 3",
# {a:coef} "" for 1, "−" for −1, {a:dec} 0.75
# {a:par} brackets a negative value, (−3); styles combine: {a:dec,par}
STYLES = ("sup", "pow", "+", "coef", "dec", "par")
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


class VariantError(ValueError):
    """A family that cannot be read or drawn, or a variant that cannot be made; says why."""


@dataclass(frozen=True)
class Param:
    name: str
    values: tuple[Fraction, ...]
    default: Fraction


@dataclass
class Family:
    """The parameters of one exercise and its constraints; `draw(seed)` gives their values."""

    exercise_id: str
    params: tuple[Param, ...]
    conditions: tuple[Relation, ...] = ()
    integers: tuple[Node, ...] = ()  # expressions that must come out whole
    _drawn: list[tuple[Fraction, ...]] = field(default_factory=list, repr=False)
    _seen: set[tuple[Fraction, ...]] = field(default_factory=set, repr=False)  # drawn, and the default
    _exhausted: bool = field(default=False, repr=False)
    _rng: random.Random | None = field(default=None, repr=False)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    @property
    def default(self) -> dict[str, Fraction]:
        return {p.name: p.default for p in self.params}

    def accepts(self, values: dict[str, Fraction]) -> bool:
        try:
            return (all(_holds(c, values) for c in self.conditions)
                    and all(exact_value(e, values).denominator == 1 for e in self.integers))
        except VariantError:
            return False  # a division by zero under these values: not a usable combination

    def draw(self, seed: int) -> dict[str, Fraction]:
        """The parameter values of variant `seed` (0: as written)."""
        if seed < 0:
            raise VariantError(f"a seed is a whole number from 0, not {seed}")
        if seed == 0:
            return self.default
        while len(self._drawn) < seed and not self._exhausted:
            self._extend()
        if not self._drawn:
            raise VariantError(f"exercise {self.exercise_id}: no values satisfy the constraints "
                               f"other than the written ones ({MAX_TRIES} draws tried)")
        return dict(zip(self.names, self._drawn[(seed - 1) % len(self._drawn)]))

    def _extend(self) -> None:
        if self._rng is None:
            self._rng = random.Random(f"variants:{self.exercise_id}")
            self._seen.add(tuple(p.default for p in self.params))
        for _ in range(MAX_TRIES):
            combo = tuple(self._rng.choice(p.values) for p in self.params)
            if combo not in self._seen and self.accepts(dict(zip(self.names, combo))):
                self._seen.add(combo)
                self._drawn.append(combo)
                return
        self._exhausted = True


# -- reading a family ------------------------------------------------------------------------------


def number(value: Any, what: str) -> Fraction:
    """A parameter value: an int, or text of a plain number ('3', '-2', '0.5', '3/4'); nothing else."""
    if isinstance(value, bool):
        raise VariantError(f"{what}: {value!r} is not a number")
    if isinstance(value, int):
        return Fraction(int(value))
    text = getattr(value, "source", value) if isinstance(value, float) else value
    if isinstance(text, float):
        text = repr(text)
    if not isinstance(text, str) or not _NUMBER.fullmatch(text.strip()):
        raise VariantError(f"{what}: {str(value)[:40]!r} is not a number (write 3, -2, 0.5 or 3/4)")
    result = Fraction(text.strip())
    if result.denominator > MAX_DENOMINATOR:
        raise VariantError(f"{what}: {text} is not a readable number")
    return result


def read_family(exercise_id: str, params: Any, where: Any, reserved: set[str]) -> Family:
    """The family declared by `params` and `where`; `reserved` are the exercise's own variables."""
    if not isinstance(params, dict) or not params:
        raise VariantError("'params' must map each parameter name to {range: [lo, hi]} or {choose: [...]}")
    read: list[Param] = []
    for name, spec in params.items():
        name = str(name)
        if not name.isidentifier() or name.startswith("_") or not name.isascii():
            raise VariantError(f"parameter name '{name}' must be a plain name such as a or k")
        if name in reserved:
            raise VariantError(f"parameter '{name}' is also a variable of the exercise")
        if name in FUNCTIONS or name in CONSTANTS or name in FORBIDDEN or name in ("E", "I", "oo"):
            raise VariantError(f"parameter name '{name}' is a name of the answer language (a function or "
                               "constant): choose another")
        read.append(_param(name, spec))
    if not isinstance(where, (list, type(None), str)):
        raise VariantError("'where' must be a list of conditions such as \"a != b\"")
    items = [where] if isinstance(where, str) else list(where or ())
    names = tuple(p.name for p in read)
    conditions: list[Relation] = []
    integers: list[Node] = []
    for item in items:
        if not isinstance(item, str):
            raise VariantError(f"condition {item!r} must be text such as \"a != b\"")
        whole = _INTEGER_CONDITION.match(item.strip())
        try:
            if whole:
                integers.append(parse(whole.group(1), names).tree)
            else:
                conditions.extend(parse_conditions(item, names))
        except MathError as exc:
            raise VariantError(f"condition '{item}': {exc}") from None
    family = Family(exercise_id, tuple(read), tuple(conditions), tuple(integers))
    if not family.accepts(family.default):
        raise VariantError("the written values (each parameter's 'value') do not meet the conditions in 'where'")
    return family


def _param(name: str, spec: Any) -> Param:
    what = f"parameter '{name}'"
    if not isinstance(spec, dict):
        raise VariantError(f"{what} must be {{range: [lo, hi], value: v}} or {{choose: [...], value: v}}")
    unknown = [str(k) for k in spec if k not in PARAM_FIELDS]
    if unknown:
        raise VariantError(f"{what}: unknown field '{unknown[0]}' (allowed: {', '.join(PARAM_FIELDS)})")
    if ("range" in spec) == ("choose" in spec):
        raise VariantError(f"{what} needs exactly one of 'range' and 'choose'")
    if "value" not in spec:
        raise VariantError(f"{what} needs 'value': the number written in the exercise (seed 0)")
    default = number(spec["value"], what)
    if "range" in spec:
        bounds = spec["range"]
        if not isinstance(bounds, list) or len(bounds) != 2:
            raise VariantError(f"{what}: 'range' is [lo, hi]")
        lo, hi = (number(b, what) for b in bounds)
        if lo.denominator != 1 or hi.denominator != 1 or lo > hi:
            raise VariantError(f"{what}: 'range' is two whole numbers [lo, hi] with lo <= hi")
        if hi - lo >= MAX_RANGE:
            raise VariantError(f"{what}: a range holds at most {MAX_RANGE} values")
        values = tuple(Fraction(v) for v in range(int(lo), int(hi) + 1))
    else:
        choices = spec["choose"]
        if not isinstance(choices, list) or not choices:
            raise VariantError(f"{what}: 'choose' is a list of numbers")
        values = tuple(dict.fromkeys(number(c, what) for c in choices))
    if default not in values:
        raise VariantError(f"{what}: the written value {format_number(default)} is not one of its values")
    return Param(name, values, default)


# -- exact values ----------------------------------------------------------------------------------


def exact_value(node: Node, values: dict[str, Fraction]) -> Fraction:
    """The value of a tree of numbers, parameters, + - * / and whole powers, as a Fraction."""
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Var):
        if node.name not in values:
            raise VariantError(f"'{node.name}' is not a parameter")
        return values[node.name]
    if isinstance(node, Neg):
        return -exact_value(node.operand, values)
    if isinstance(node, BinOp):
        left, right = exact_value(node.left, values), exact_value(node.right, values)
        if node.op == "/":
            if right == 0:
                raise VariantError("division by zero")
            return left / right
        return {"+": left + right, "-": left - right, "*": left * right}[node.op]
    if isinstance(node, Pow):
        base, exponent = exact_value(node.base, values), exact_value(node.exponent, values)
        if exponent.denominator != 1 or abs(exponent) > 64 or (base == 0 and exponent < 0):
            raise VariantError("only whole powers (up to 64) have exact values here")
        return base ** int(exponent)
    raise VariantError("only numbers, parameters, + - * / and whole powers have exact values here")


def _holds(relation: Relation, values: dict[str, Fraction]) -> bool:
    numbers = [exact_value(o, values) for o in relation.operands]
    tests: dict[str, Callable[[Fraction, Fraction], bool]] = {
        "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
        ">=": lambda a, b: a >= b, "!=": lambda a, b: a != b, "=": lambda a, b: a == b,
    }
    return all(tests[op](a, b) for op, a, b in zip(relation.ops, numbers, numbers[1:]))


def decimal_text(value: Fraction) -> str:
    """A number as an exact decimal (3/4 -> 0.75), or as a fraction when it has none (1/3)."""
    denominator, twos, fives = value.denominator, 0, 0
    while denominator % 2 == 0:
        denominator, twos = denominator // 2, twos + 1
    while denominator % 5 == 0:
        denominator, fives = denominator // 5, fives + 1
    if denominator != 1:
        return format_number(value)
    places = max(twos, fives)
    scaled = abs(value) * 10**places
    digits = str(scaled.numerator).rjust(places + 1, "0")
    text = digits if not places else f"{digits[:-places]}.{digits[-places:]}"
    return ("−" if value < 0 else "") + text


def format_number(value: Fraction, superscript: bool = False) -> str:
    """A number for prose: 5, −3, 3/4."""
    text = str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    if superscript:
        if value.denominator != 1:
            raise VariantError(f"{text} cannot be written as a superscript")
        return text.translate(_SUPERSCRIPT)
    return text.replace("-", "−")


# -- substitution into trees -----------------------------------------------------------------------


def number_node(value: Fraction) -> Node:
    if value < 0:
        return Neg(number_node(-value))
    if value.denominator == 1:
        return Num(value, str(value.numerator))
    return BinOp("/", Num(Fraction(value.numerator), str(value.numerator)),
                 Num(Fraction(value.denominator), str(value.denominator)))


def substitute(tree: Node, values: dict[str, Fraction]) -> Node:
    """The tree with every parameter replaced by its number, numbers folded exactly."""
    replaced = replace_nodes(tree, lambda n: number_node(values[n.name])
                             if isinstance(n, Var) and n.name in values else None)
    return fold(replaced)


def _numeric(node: Node) -> Fraction | None:
    try:
        return exact_value(node, {})
    except VariantError:
        return None


def fold(node: Node) -> Node:
    """Numbers folded into one exact number, and 1·u, u·1, u/1, u^1, u + 0 written as u."""
    if isinstance(node, (Num, Var, Const)):
        return node
    if isinstance(node, Call):
        return Call(node.func, tuple(fold(a) for a in node.args), node.known)
    if isinstance(node, Vector):
        return Vector(tuple(fold(i) for i in node.items))
    if isinstance(node, Relation):
        return Relation(tuple(fold(o) for o in node.operands), node.ops)
    if isinstance(node, Neg):
        inner = fold(node.operand)
        value = _numeric(inner)
        if value is not None:
            return number_node(-value)
        return inner.operand if isinstance(inner, Neg) else Neg(inner)
    if isinstance(node, Pow):
        base, exponent = fold(node.base), fold(node.exponent)
        whole = Pow(base, exponent)
        value = _numeric(whole) if _numeric(base) is not None else None
        if value is not None and value.denominator <= MAX_DENOMINATOR and abs(value.numerator) < 10**9:
            return number_node(value)
        return base if _numeric(exponent) == 1 else whole
    assert isinstance(node, BinOp)
    left, right = fold(node.left), fold(node.right)
    lv, rv = _numeric(left), _numeric(right)
    if lv is not None and rv is not None and not (node.op == "/" and rv == 0):
        return number_node(exact_value(BinOp(node.op, left, right), {}))
    if node.op == "*" and lv == 1:
        return right
    if node.op == "*" and lv == -1:
        return fold(Neg(right))
    if node.op in "*/" and rv == 1:
        return left
    if node.op == "+" and lv == 0:
        return right
    if node.op in "+-" and rv == 0:
        return left
    if node.op in "+-" and rv is not None and rv < 0:  # u + (−3) is u − 3
        return BinOp("-" if node.op == "+" else "+", left, number_node(-rv))
    if node.op in "+-" and isinstance(right, Neg):
        return BinOp("-" if node.op == "+" else "+", left, right.operand)
    if node.op in "+-" and isinstance(right, BinOp) and right.op in "*/":
        coefficient = _numeric(right.left)
        if coefficient is not None and coefficient < 0:  # u + (−3)·x is u − 3·x
            flipped = fold(BinOp(right.op, number_node(-coefficient), right.right))
            return BinOp("-" if node.op == "+" else "+", left, flipped)
    return BinOp(node.op, left, right)


def substitute_text(text: str, values: dict[str, Fraction], variables: tuple[str, ...]) -> str:
    """An expression field with the parameters put in: parsed, substituted, rendered. Text that
    uses no parameter is returned as written."""
    names = tuple(values)
    try:
        tree = parse(text, tuple(variables) + names).tree
    except MathError as exc:
        raise VariantError(f"'{text}' cannot be read: {exc}") from None
    if not any(isinstance(n, Var) and n.name in values for n in walk(tree)):
        return text
    return render(substitute(tree, values))


def substitute_conditions(text: str, values: dict[str, Fraction], variables: tuple[str, ...]) -> str:
    try:
        relations = parse_conditions(text, tuple(variables) + tuple(values))
    except MathError as exc:
        raise VariantError(f"domain '{text}' cannot be read: {exc}") from None
    return ", ".join(render(substitute(r, values)) for r in relations)


def fill_prose(text: str, values: dict[str, Fraction]) -> str:
    """Prose with `{a}`, `{a:sup}` and `{= expression}` replaced by exact numbers. Any other
    `{...}` is refused, so a typo never reaches the learner."""

    def one(match: re.Match[str]) -> str:
        inside = match.group(1).strip()
        body, colon, style_text = inside.rpartition(":")
        styles = {part.strip() for part in style_text.split(",")}
        if not colon or not styles <= set(STYLES):
            body, styles = inside, set()
        body = body.strip()
        if body.startswith("~"):
            return approximate_text(body[1:], values, inside)
        if body.startswith("="):
            try:
                value = exact_value(parse(body[1:], tuple(values)).tree, values)
            except MathError as exc:
                raise VariantError(f"'{{{inside}}}' cannot be read: {exc}") from None
        elif body in values:
            value = values[body]
        else:
            raise VariantError(f"'{{{inside}}}' is not a parameter ({', '.join(values)}), "
                               "'{name:sup}', '{name:pow}', '{name:+}', '{name:coef}', '{name:par}', "
                               "'{= expression}' (with styles if wanted, '{= a - b:dec,par}') or '{~ expression}'")
        text = styled(value, styles)
        # A negative value after an operator is bracketed: 4 − (−8), not 4 − −8.
        return f"({text})" if "par" in styles and value < 0 and text else text

    return _PLACEHOLDER.sub(one, text)


def styled(value: Fraction, styles: set[str]) -> str:
    """A number in the styles of a placeholder (all but `par`)."""
    if "+" in styles:  # a signed term: "+ 3" or "− 3"
        return f"{'−' if value < 0 else '+'} {format_number(abs(value))}"
    if "dec" in styles:
        return decimal_text(value)
    if "coef" in styles and abs(value) == 1:  # a coefficient: 1·x is written x, −1·x is −x
        return "" if value == 1 else "−"
    if "pow" in styles and value == 1:  # a power of 1 is not written: x, not x¹
        return ""
    return format_number(value, superscript=bool(styles & {"sup", "pow"}))


    return _PLACEHOLDER.sub(one, text)


def approximate_text(text: str, values: dict[str, Fraction], inside: str) -> str:
    """An expression of the parameters with no exact value (σ(a), e^a, ln 2), to 6 significant
    figures: parsed, substituted and evaluated by our own tree walk, like a reference."""
    # The evaluator (SymPy, mpmath) loads only when a lesson shows such a value, not to read a course.
    from tutor.checking.compare import format_value
    from tutor.checking.numeval import Evaluation, Undefined, evaluate_stable
    from tutor.mathlang.build import to_sympy

    try:
        tree = substitute(parse(text, tuple(values)).tree, values)
        value = evaluate_stable(to_sympy(tree, False), Evaluation({}))
    except MathError as exc:
        raise VariantError(f"'{{{inside}}}' cannot be read: {exc}") from None
    except Undefined as exc:
        raise VariantError(f"'{{{inside}}}' has no value: {exc.reason}") from None
    return format_value(value).replace("-", "−")


# -- a whole exercise block ------------------------------------------------------------------------

PROSE_FIELDS = ("prompt", "solution", "message")
PROSE_LISTS = ("hints", "options")
EXPRESSION_FIELDS = ("function", "answer")


def _variables(data: dict, inherited: tuple[str, ...]) -> tuple[str, ...]:
    names = list(inherited)
    declared = data.get("vars")
    if isinstance(declared, str):
        names += declared.replace(",", " ").split()
    elif isinstance(declared, list):
        names += [str(v) for v in declared]
    if isinstance(data.get("var"), str):
        names.append(data["var"])
    return tuple(dict.fromkeys(names or ["x"]))


def _copy(original: Any, value: Any) -> Any:
    """`value` as the same YAML container type, keeping the source lines of `original`."""
    if type(original) in (dict, list) or not hasattr(original, "lines"):
        return value
    result = type(original)(value)
    result.lines = original.lines
    if hasattr(original, "duplicates"):
        result.duplicates = original.duplicates
    return result


def instantiate(data: dict, values: dict[str, Fraction], inherited: tuple[str, ...] = ()) -> dict:
    """The exercise block with the parameter values put in (params and where removed)."""
    variables = _variables(data, inherited)
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in ("params", "where"):
            continue
        if key in PROSE_FIELDS and isinstance(value, str):
            out[key] = fill_prose(value, values)
        elif key in PROSE_LISTS and isinstance(value, list):
            out[key] = _copy(value, [fill_prose(v, values) if isinstance(v, str) else v for v in value])
        elif key in EXPRESSION_FIELDS and value is not None and not isinstance(value, (dict, bool)):
            out[key] = _copy(value, _expression(value, values, variables)) if isinstance(value, list) \
                else _expression(value, values, variables)
        elif key == "domain" and isinstance(value, (str, list)):
            items = [value] if isinstance(value, str) else value
            filled = [substitute_conditions(str(v), values, variables) for v in items]
            out[key] = filled[0] if isinstance(value, str) else _copy(value, filled)
        elif key in ("mistakes", "parts") and isinstance(value, list):
            out[key] = _copy(value, [instantiate(v, values, variables) if isinstance(v, dict) else v for v in value])
        else:
            out[key] = value
    return _copy(data, out)


def _expression(value: Any, values: dict[str, Fraction], variables: tuple[str, ...]) -> Any:
    if isinstance(value, list):
        return [_expression(v, values, variables) for v in value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value  # a number as written: no parameter in it
    return substitute_text(str(value), values, variables)
