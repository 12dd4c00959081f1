"""Equivalence by evaluation: sample the reference where it is defined, then compare values there."""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction

import mpmath

from tutor.checking.numeval import KINK_MARGIN, Evaluation, Undefined, evaluate
from tutor.checking.sampling import Domain, as_env, draw_point

# Expression kinds compare at 40 digits: exact in practice, yet blind to rounding in the last digits.
EXACT_REL = mpmath.mpf("1e-20")
EXACT_ABS = mpmath.mpf("1e-25")
MAX_DRAWS = 300
MIN_POINTS = 4


class NoPoints(Exception):
    """The reference has too few points where it is defined on the domain."""


@dataclass(eq=False)  # hashed by identity: probes are cached per exercise
class Probe:
    points: list[dict[str, Fraction]]
    envs: list[dict]

    def values(self, expr) -> list[mpmath.mpf | Undefined]:
        out: list[mpmath.mpf | Undefined] = []
        for env in self.envs:
            try:
                out.append(evaluate(expr, Evaluation(env)))
            except Undefined as exc:
                out.append(exc)
            except (ZeroDivisionError, OverflowError, ValueError) as exc:
                out.append(Undefined(str(exc) or type(exc).__name__))
        return out


def sample(required: list, names: tuple[str, ...], domain: Domain, seed: int, count: int) -> Probe:
    """Points where every expression in `required` is real, finite and away from kinks."""
    rng = random.Random(seed)
    points: list[dict[str, Fraction]] = []
    envs: list[dict] = []
    seen: set[tuple] = set()
    for _ in range(MAX_DRAWS):
        if len(points) >= count:
            break
        point = draw_point(rng, names, domain)
        key = tuple(point.values())
        if key in seen:
            continue
        seen.add(key)
        env = as_env(point)
        if not domain.admits(env):
            continue
        ctx = Evaluation(env)
        try:
            for expr in required:
                evaluate(expr, ctx)
        except (Undefined, ZeroDivisionError, OverflowError, ValueError):
            continue
        if ctx.nearest_kink < KINK_MARGIN * 1000:
            continue
        points.append(point)
        envs.append(env)
    if len(points) < min(MIN_POINTS, count):
        raise NoPoints(f"found only {len(points)} points where the reference is defined")
    return Probe(points, envs)


def close(a, b, rel, abs_) -> bool:
    return mpmath.fabs(a - b) <= max(rel * max(mpmath.fabs(a), mpmath.fabs(b)), abs_)


def first_difference(answer_values: list, expected: list, rel=EXACT_REL, abs_=EXACT_ABS) -> int | None:
    """Index of the first point where the answer differs (or is undefined), or None if all agree."""
    for i, (a, e) in enumerate(zip(answer_values, expected)):
        if isinstance(e, Undefined):
            continue
        if isinstance(a, Undefined) or not close(a, e, rel, abs_):
            return i
    return None


def agrees(expr, probe: Probe, expected: list, rel=EXACT_REL, abs_=EXACT_ABS) -> bool:
    return first_difference(probe.values(expr), expected, rel, abs_) is None


def constant_ratio(answer_values: list, expected: list) -> mpmath.mpf | None:
    """k when answer = k·expected at every point (k ≠ 1), else None."""
    ratios = []
    for a, e in zip(answer_values, expected):
        if isinstance(a, Undefined) or isinstance(e, Undefined):
            return None
        if e == 0:
            if a != 0 and mpmath.fabs(a) > EXACT_ABS:
                return None
            continue
        ratios.append(a / e)
    if len(ratios) < 2:
        return None
    k = ratios[0]
    if all(close(r, k, mpmath.mpf("1e-15"), EXACT_ABS) for r in ratios) and not close(k, 1, EXACT_REL, EXACT_ABS):
        return k
    return None


def constant_offset(answer_values: list, expected: list) -> mpmath.mpf | None:
    """c when answer = expected + c at every point (c ≠ 0), else None."""
    diffs = []
    for a, e in zip(answer_values, expected):
        if isinstance(a, Undefined) or isinstance(e, Undefined):
            return None
        diffs.append(a - e)
    if len(diffs) < 2:
        return None
    c = diffs[0]
    scale = max([mpmath.fabs(e) for e in expected if not isinstance(e, Undefined)] + [mpmath.mpf(1)])
    if mpmath.fabs(c) <= EXACT_ABS + EXACT_REL * scale:
        return None
    if all(mpmath.fabs(d - c) <= mpmath.mpf("1e-15") * scale for d in diffs):
        return c
    return None


def nice_number(value: mpmath.mpf) -> str:
    """A short exact-looking form for diagnosis messages: 2, 1/2, -3, π/2, or 6 significant figures."""
    exact = mpmath.mpf("1e-25") * max(1, abs(value))
    f = Fraction(str(mpmath.nstr(value, 30))).limit_denominator(1000)
    if mpmath.fabs(mpmath.mpf(f.numerator) / f.denominator - value) < exact:
        return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"
    for name, const in (("π", mpmath.pi), ("e", mpmath.e)):
        g = Fraction(str(mpmath.nstr(value / const, 30))).limit_denominator(100)
        if mpmath.fabs(mpmath.mpf(g.numerator) / g.denominator * const - value) < exact:
            head = "" if g.numerator == 1 else "-" if g.numerator == -1 else str(g.numerator)
            return f"{head}{name}" + ("" if g.denominator == 1 else f"/{g.denominator}")
    return format_value(value)


def format_value(value) -> str:
    if isinstance(value, Undefined):
        return "undefined"
    text = mpmath.nstr(value, 6, min_fixed=-4, max_fixed=7)
    if "." in text and "e" not in text:
        text = text.rstrip("0").rstrip(".")
    return text
