"""Where to test answers: points drawn per check from every part of each variable's domain.

Points are drawn with a generator seeded from the expressions being compared, so a verdict is
reproducible, yet no fixed set of points exists to be gamed. They are spread over magnitudes
(small, around 1, large), over every interval the domain allows ((0, 1) as well as (1, 1000)
for x > 0), off any grid (binary fractions with ~40 random bits, held exactly), and crowd near
the kinks and jumps of |x|, relu, step, sign, max, min, where answers that differ only on one
side would otherwise slip through.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction

import mpmath
import sympy

from tutor.checking.numeval import Evaluation, Undefined, evaluate
from tutor.mathlang.table import lookup
from tutor.mathlang import MathError, parse_conditions
from tutor.mathlang.ast import Relation, Var
from tutor.mathlang.build import symbol, to_sympy

LARGE = 1000.0  # the largest magnitude drawn for an unbounded variable
SCAN_LIMIT = 1000.0  # kinks are looked for in [-SCAN_LIMIT, SCAN_LIMIT] (within the bounds)


@dataclass(frozen=True)
class Domain:
    bounds: dict[str, tuple[float | None, float | None]]
    # Conditions that are not simple bounds, kept as (left, op, right) SymPy expressions.
    filters: tuple[tuple[object, str, object], ...] = ()
    text: str = ""

    def regions(self, name: str) -> list[tuple[float, float]]:
        """Stretches of the variable's range, each drawn from in turn: near 0, around 1, large."""
        low, high = self.bounds.get(name, (None, None))
        if low is None and high is None:
            return [(-1, 1), (1, 4), (-4, -1), (4, 30), (-30, -4), (30, LARGE), (-LARGE, -30)]
        if high is None:
            return [(low, low + 1), (low + 1, low + 4), (low + 4, low + 30), (low + 30, low + LARGE)]
        if low is None:
            return [(high - 1, high), (high - 4, high - 1), (high - 30, high - 4), (high - LARGE, high - 30)]
        third = (high - low) / 3
        return [(low, low + third), (low + third, high - third), (high - third, high)]

    def limits(self, name: str) -> tuple[float, float]:
        low, high = self.bounds.get(name, (None, None))
        return (-SCAN_LIMIT if low is None else low), (SCAN_LIMIT if high is None else high)

    def admits(self, point: dict) -> bool:
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


def draw_value(rng: random.Random, low: float, high: float) -> Fraction:
    """A random number strictly inside (low, high), log-uniform over wide positive or negative
    stretches, as an exact binary fraction with ~40 random bits (never on a decimal grid)."""
    if low > 0 and high / low > 8:
        value = low * (high / low) ** rng.random()
    elif high < 0 and low / high > 8:
        value = high * (low / high) ** rng.random()
    else:
        value = low + (high - low) * rng.random()
    margin = (high - low) * 1e-6
    value = min(max(value, low + margin), high - margin)
    return Fraction(float(value)).limit_denominator(2**40) if abs(value) < 2**12 else Fraction(round(value * 2**20), 2**20)


def draw_point(rng: random.Random, names: tuple[str, ...], domain: Domain, turn: int,
               small: bool = False) -> dict[str, Fraction]:
    """One point; `small`: only from the first region of each variable (near 0 or its bound),
    where an answer that needs too many digits further out can still be resolved."""
    point: dict[str, Fraction] = {}
    for k, name in enumerate(names):
        regions = domain.regions(name)[:1] if small else domain.regions(name)
        # The first variable cycles through its regions; the others are picked at random.
        low, high = regions[turn % len(regions)] if k == 0 else rng.choice(regions)
        point[name] = draw_value(rng, low, high)
    return point


def as_env(point: dict[str, Fraction]) -> dict[sympy.Symbol, Fraction]:
    """Exact values: the evaluator converts them at whatever precision it works."""
    return {symbol(k): v for k, v in point.items()}


def format_point(point: dict[str, Fraction]) -> str:
    return ", ".join(f"{name} {format_fraction(value, with_sign=True)}" for name, value in point.items())


def format_fraction(value: Fraction, with_sign: bool = False) -> str:
    """1/2 and 0.25 exactly; anything else as ≈ four significant figures."""
    exact = None
    if value.denominator == 1:
        exact = str(value.numerator) if abs(value.numerator) < 10**12 else None
    elif all(p in (2, 5) for p in _small_factors(value.denominator)) and value.denominator <= 10**4:
        exact = f"{float(value):.4f}".rstrip("0").rstrip(".")
    elif value.denominator <= 12:
        exact = f"{value.numerator}/{value.denominator}"
    if exact is not None:
        return f"= {exact}" if with_sign else exact
    text = mpmath.nstr(mpmath.mpf(value.numerator) / value.denominator, 4, min_fixed=-3, max_fixed=6)
    return f"≈ {text}" if with_sign else f"≈{text}"


def _small_factors(n: int) -> set[int]:
    factors = set()
    for p in (2, 3, 5, 7, 11):
        while n % p == 0:
            factors.add(p)
            n //= p
    if n > 1:
        factors.add(n)
    return factors


# -- kinks: where |x|, step, sign, max... switch ----------------------------------------------------

def break_arguments(expr, kinds: tuple[str, ...] = ("kink", "jump", "extreme")) -> list:
    """Expressions whose zeros are where `expr` has a kink or jump ("kink", "jump", "extreme")
    or stops being defined ("pole": 1/u, tan, log and roots of u)."""
    out: list = []
    for node in sympy.preorder_traversal(expr):
        if node.is_Pow and "pole" in kinds:
            if node.exp.is_negative or not node.exp.is_integer:
                out.append(node.base)
            continue
        entry = lookup(node.func) if isinstance(node, sympy.Function) or node.func in (sympy.Max, sympy.Min) else None
        if entry is None:
            continue
        if entry.breaks in ("kink", "jump") and entry.breaks in kinds:
            out.append(node.args[0])
        elif entry.breaks == "extreme" and "extreme" in kinds:
            out.extend(a - b for a, b in zip(node.args, node.args[1:]))
        elif "pole" in kinds and (entry.breaks == "pole" or node.func in _BOUNDARY):
            out.append(_BOUNDARY.get(node.func, lambda a: a)(node.args[0]))
    return [g for g in out if g.free_symbols]


_BOUNDARY = {sympy.tan: sympy.cos, sympy.sec: sympy.cos, sympy.csc: sympy.sin, sympy.cot: sympy.sin,
             sympy.log: lambda a: a, sympy.asin: lambda a: 1 - a**2, sympy.acos: lambda a: 1 - a**2,
             sympy.acosh: lambda a: a - 1, sympy.atanh: lambda a: 1 - a**2, sympy.acoth: lambda a: a**2 - 1}


def scan_grid(low: float, high: float) -> list[Fraction]:
    """Where to look for sign changes: dense near 0, geometric out to the limits."""
    core_low, core_high = max(low, -10.0), min(high, 10.0)
    points: set[float] = set()
    if core_low < core_high:
        points |= {core_low + (core_high - core_low) * (i + 0.5) / 100 for i in range(100)}
    for i in range(31):
        magnitude = 10 * (SCAN_LIMIT / 10) ** (i / 30)
        points |= {v for v in (magnitude, -magnitude) if low < v < high}
    if low > -SCAN_LIMIT and high < SCAN_LIMIT and high - low < 20:
        points |= {low + (high - low) * (i + 0.5) / 60 for i in range(60)}
    return [Fraction(v) for v in sorted(points)]


def roots(g, name: str, fixed: dict, low: float, high: float, max_roots: int = 12) -> list[mpmath.mpf]:
    """Zeros (and sign changes) of g along the variable `name`, other variables held at `fixed`:
    exactly for polynomials (most arguments: x, x - 3, x² - 9), else by scanning and bisecting."""
    key = (g, name, tuple(sorted((str(k), v) for k, v in fixed.items())), low, high, max_roots)
    cached = _ROOTS.get(key)
    if cached is None:
        cached = _ROOTS[key] = _polynomial_roots(g, name, fixed, low, high)
        if cached is None:
            cached = _ROOTS[key] = _scanned_roots(g, name, fixed, low, high, max_roots)
        if len(_ROOTS) > 2048:
            _ROOTS.clear()
    return list(cached)


_ROOTS: dict = {}


def _polynomial_roots(g, name: str, fixed: dict, low: float, high: float) -> list[mpmath.mpf] | None:
    var = symbol(name)
    if not all(isinstance(v, Fraction) or getattr(v, "is_Rational", False) for v in fixed.values()):
        return None
    h = g.subs({k: sympy.Rational(v.numerator, v.denominator) for k, v in fixed.items()}) if fixed else g
    if not h.is_polynomial(var):
        return None
    try:
        poly = sympy.Poly(h, var)
    except sympy.PolynomialError:
        return None
    if not poly.free_symbols <= {var} or poly.degree() > 8 or poly.degree() < 1:
        return None if poly.degree() > 8 else []
    with mpmath.workdps(60):  # a jump is looked at 1e-25 from the root: the root needs more digits
        coefficients = [mpmath.mpf(int(c.p)) / int(c.q) for c in poly.all_coeffs() if c.is_Rational]
        if len(coefficients) != poly.degree() + 1:
            return None
        try:
            found = mpmath.polyroots(coefficients, maxsteps=200, extraprec=200)
        except mpmath.libmp.libhyper.NoConvergence:
            return None
    real = [mpmath.re(r) for r in (found if isinstance(found, list) else [found])
            if mpmath.fabs(mpmath.im(r)) <= mpmath.mpf(10) ** -30 * max(1, mpmath.fabs(r))]
    return sorted(r for r in real if low < r < high)


def _scanned_roots(g, name: str, fixed: dict, low: float, high: float, max_roots: int) -> list[mpmath.mpf]:
    var = symbol(name)

    def at(t) -> mpmath.mpf | None:
        env = dict(fixed)
        env[var] = t
        try:
            return evaluate(g, Evaluation(env), 50)
        except (Undefined, ZeroDivisionError, OverflowError, ValueError):
            return None

    found: list[mpmath.mpf] = []
    previous = None
    for t in scan_grid(low, high):
        value = at(t)
        if value is not None and value == 0:
            found.append(mpmath.mpf(t.numerator) / t.denominator)
        elif value is not None and previous is not None and previous[1] * value < 0:
            found.append(_bisect(at, previous[0], t, previous[1]))
        previous = (t, value) if value is not None else None
        if len(found) >= max_roots:
            break
    return found


def _bisect(at, a: Fraction, b: Fraction, fa) -> mpmath.mpf:
    """A sign change of `at` between a and b, to about 35 digits (a jump is then looked at
    from 1e-25 on either side)."""
    with mpmath.workdps(50):
        lo, hi = mpmath.mpf(a.numerator) / a.denominator, mpmath.mpf(b.numerator) / b.denominator
        width = hi - lo
        for _ in range(200):
            mid = (lo + hi) / 2
            fm = at(mid)
            if fm is None or fm == 0:
                return mid
            if (fm < 0) == (fa < 0):
                lo = mid
            else:
                hi = mid
            if hi - lo < width * mpmath.mpf(10) ** -36:
                break
        return (lo + hi) / 2


def kink_points(rng: random.Random, exprs: list, name: str, fixed: dict, domain: Domain) -> list[Fraction]:
    """Points on both sides of every kink or jump of the expressions, and between neighbouring
    kinks, so a difference confined to one side or one window is seen."""
    low, high = domain.limits(name)
    found: set = set()
    for expr in exprs:
        for g in break_arguments(expr):
            if g.free_symbols <= {symbol(name)} | set(fixed):
                found.update(roots(g, name, fixed, low, high))
    points: list[Fraction] = []
    ordered = sorted(found)
    for r in ordered:
        scale = max(1, abs(r))
        # A window beside the kink is met down to 10^-4.5 of its distance from 0 (0.002 at x = 60);
        # the closest decade stays clear of KINK_MARGIN, where points are redrawn.
        for decade in (-5.5, -4.5, -3.5, -2.5, -1.5):
            for side in (-1, 1):
                offset = scale * 10 ** (decade + rng.random())
                points.append(Fraction(float(r + side * offset)))
    for a, b in zip(ordered, ordered[1:]):
        points.append(Fraction(float(a + (b - a) * rng.uniform(0.25, 0.75))))
    return [p for p in points if low < p < high]
