"""An antiderivative must be continuous on every interval where the integrand is: F' = f at
sample points is not enough (`-atan(1/x)` has the right derivative for 1/(1+x²) everywhere but
at 0, where it jumps by π; `x + |x|/x` jumps at 0 for the integrand 1).

Along the variable of integration, the places where the answer could break (zeros of the
arguments of step, sign, 1/u, tan, log...) are found numerically; at each one that lies inside
an interval of the integrand's domain, the answer must be defined on both sides and take the
same value from the left and from the right.
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath

from tutor.checking.numeval import Evaluation, Undefined, evaluate
from tutor.checking.sampling import Domain, break_arguments, roots
from tutor.mathlang.build import symbol

_BREAKS = ("jump", "pole", "extreme")
OFFSET = mpmath.mpf("1e-25")  # how far either side of a break the answer is looked at
JUMP_TOLERANCE = mpmath.mpf("1e-15")  # relative: left and right values must agree this closely


@dataclass(frozen=True)
class Break:
    at: mpmath.mpf
    kind: str  # "jump" | "undefined"
    left: mpmath.mpf | None = None
    right: mpmath.mpf | None = None


def _where(expr, var, fixed: dict, value) -> mpmath.mpf | None:
    env = dict(fixed)
    env[var] = value
    try:
        return evaluate(expr, Evaluation(env), 60)
    except (Undefined, ZeroDivisionError, OverflowError, ValueError):
        return None


def _break_points(expr, name: str, fixed: dict, domain: Domain) -> list[mpmath.mpf]:
    low, high = domain.limits(name)
    found: list[mpmath.mpf] = []
    for g in break_arguments(expr, _BREAKS):
        if g.free_symbols <= {symbol(name)} | set(fixed):
            found.extend(roots(g, name, fixed, low, high))
    return sorted(found)


def first_break(answer, integrand, name: str, fixed: dict, domain: Domain) -> Break | None:
    """The first place inside an interval of the integrand's domain where the answer jumps or
    has no value, or None."""
    var = symbol(name)
    boundaries = _break_points(integrand, name, fixed, domain)
    for r in _break_points(answer, name, fixed, domain):
        scale = max(mpmath.mpf(1), mpmath.fabs(r))
        if any(mpmath.fabs(r - b) <= mpmath.mpf("1e-20") * scale for b in boundaries):
            continue  # the integrand itself breaks here: a boundary of its intervals
        h = OFFSET * scale
        with mpmath.workdps(60):
            left_x, right_x = r - h, r + h
        if _where(integrand, var, fixed, left_x) is None or _where(integrand, var, fixed, right_x) is None:
            continue  # the integrand is not defined on both sides: not inside one interval
        left, right = _where(answer, var, fixed, left_x), _where(answer, var, fixed, right_x)
        if left is None or right is None:
            return Break(r, "undefined", left, right)
        size = max(mpmath.mpf(1), mpmath.fabs(left), mpmath.fabs(right))
        if mpmath.fabs(right - left) > JUMP_TOLERANCE * size:
            return Break(r, "jump", left, right)
    return None
