"""Where to test answers: random points drawn from each variable's domain, reproducibly.

Points are short decimals (three places), held as exact fractions, so a point prints the way
it was used and evaluation starts from exact values.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction

import mpmath
import sympy

from tutor.checking.numeval import Evaluation, Undefined, evaluate
from tutor.mathlang import MathError, parse_conditions
from tutor.mathlang.ast import Relation, Var
from tutor.mathlang.build import symbol, to_sympy

DEFAULT_SPAN = 4.0  # variables with no bounds are drawn from [-4, 4]


@dataclass(frozen=True)
class Domain:
    bounds: dict[str, tuple[float | None, float | None]]
    # Conditions that are not simple bounds, kept as (left, op, right) SymPy expressions.
    filters: tuple[tuple[object, str, object], ...] = ()
    text: str = ""

    def interval(self, name: str) -> tuple[float, float]:
        low, high = self.bounds.get(name, (None, None))
        if low is None and high is None:
            return -DEFAULT_SPAN, DEFAULT_SPAN
        if low is None:
            return high - 2 * DEFAULT_SPAN, high  # type: ignore[operator]
        if high is None:
            return low, low + DEFAULT_SPAN
        return low, high

    def admits(self, point: dict[sympy.Symbol, mpmath.mpf]) -> bool:
        ctx = Evaluation(point)
        for left, op, right in self.filters:
            try:
                a, b = evaluate(left, ctx), evaluate(right, ctx)
            except Undefined:
                return False
            if not _holds(a, op, b):
                return False
        return True


def _holds(a, op: str, b) -> bool:
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "!=": abs(a - b) > 1e-9}[op]


_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "!=": "!="}


def parse_domain(text: str | None, variables: tuple[str, ...]) -> Domain:
    """Read "x > 0, -pi/2 < x < pi/2, x != 1" into bounds and filters. Raises MathError."""
    if not text or not text.strip():
        return Domain({}, (), "")
    bounds: dict[str, list[float | None]] = {}
    filters: list[tuple[object, str, object]] = []
    for relation in parse_conditions(text, variables):
        _absorb(relation, bounds, filters)
    return Domain({k: (v[0], v[1]) for k, v in bounds.items()}, tuple(filters), text)


def _absorb(relation: Relation, bounds: dict[str, list[float | None]], filters: list) -> None:
    exprs = [to_sympy(o) for o in relation.operands]
    for (left_node, left), op, (right_node, right) in zip(
        zip(relation.operands, exprs), relation.ops, zip(relation.operands[1:], exprs[1:])
    ):
        filters.append((left, op, right))
        # Simple bounds (x > 0, 1 <= x) also narrow the interval points are drawn from.
        if isinstance(left_node, Var) and right.is_number:
            name, op_for_var, value = left_node.name, op, right
        elif isinstance(right_node, Var) and left.is_number:
            name, op_for_var, value = right_node.name, _FLIP[op], left
        else:
            continue
        try:
            number = float(value.evalf(20))
        except (TypeError, ValueError) as exc:
            raise MathError(f"the bound {value} is not a real number") from exc
        slot = bounds.setdefault(name, [None, None])
        if op_for_var in (">", ">="):
            slot[0] = number if slot[0] is None else max(slot[0], number)
        elif op_for_var in ("<", "<="):
            slot[1] = number if slot[1] is None else min(slot[1], number)
    for name, (low, high) in bounds.items():
        if low is not None and high is not None and low >= high:
            raise MathError(f"the domain leaves no room for {name} ({low:g} to {high:g})")


def draw_point(rng: random.Random, names: tuple[str, ...], domain: Domain) -> dict[str, Fraction]:
    point: dict[str, Fraction] = {}
    for name in names:
        low, high = domain.interval(name)
        margin = (high - low) * 0.002
        value = rng.uniform(low + margin, high - margin)
        point[name] = Fraction(round(value * 1000), 1000)
    return point


def as_env(point: dict[str, Fraction]) -> dict[sympy.Symbol, mpmath.mpf]:
    with mpmath.workdps(40):
        return {symbol(k): mpmath.mpf(v.numerator) / v.denominator for k, v in point.items()}


def format_point(point: dict[str, Fraction]) -> str:
    return ", ".join(f"{name} = {format_fraction(value)}" for name, value in point.items())


def format_fraction(value: Fraction) -> str:
    text = f"{float(value):.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
