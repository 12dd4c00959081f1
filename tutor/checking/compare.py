"""Equivalence by evaluation: sample where the reference is defined, compare values there, and
find a readable point to show when they differ."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from fractions import Fraction

import mpmath

from tutor.checking.numeval import DIGITS, KINK_MARGIN, Evaluation, Imprecise, Undefined, evaluate, evaluate_stable
from tutor.checking.sampling import Domain, as_env, draw_point, kink_points
from tutor.mathlang.build import symbol

# Expression kinds compare at 40 digits: exact in practice, yet blind to rounding in the last
# digits. Agreement is then confirmed exactly (`tutor.checking.confirm`), so a difference below
# this tolerance (x² + 1e-30) is still found.
EXACT_REL = mpmath.mpf("1e-20")
EXACT_ABS = mpmath.mpf("1e-25")
MAX_DRAWS = 400
MIN_POINTS = 4  # fewer points where the reference is defined: the exercise is broken
MIN_RESOLVED = 4  # fewer points where both sides could be compared: no verdict of "equal"
MAX_KINK_POINTS = 32


class NoPoints(Exception):
    """The reference has too few points where it is defined on the domain."""


def seed_from(*parts: object) -> int:
    """A seed from the texts being compared: the same check always draws the same points,
    a different answer draws different ones."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big")


@dataclass(eq=False)  # hashed by identity: values are cached per probe
class Probe:
    points: list[dict[str, Fraction]]
    envs: list[dict]
    rng: random.Random = field(default_factory=random.Random)
    # Values already computed while choosing the points (the reference's, mostly).
    known: dict = field(default_factory=dict)

    def values(self, expr) -> list[mpmath.mpf | Undefined]:
        known = self.known.get(expr)
        if known is not None and len(known) == len(self.envs):
            return list(known)
        return [_value(expr, env, _checked) for env in self.envs]

    def stable(self, expr, i: int) -> mpmath.mpf | Undefined:
        """The value at point i recomputed with as many digits as it takes (or Imprecise)."""
        return _value(expr, self.envs[i], lambda e, ctx: evaluate_stable(e, ctx, 100))


def _checked(expr, ctx: Evaluation) -> mpmath.mpf:
    """The value at 40 digits, unless a sum cancelled away more than half of them: then with as
    many digits as it takes (or Imprecise). Agreement computed from cancelled digits is noise
    (cosh(3000)² − sinh(3000)² is exactly 0 at 40 digits)."""
    value = evaluate(expr, ctx)
    if ctx.lost > DIGITS / 2:
        return evaluate_stable(expr, Evaluation(ctx.env), 100)
    return value


def _value(expr, env, how) -> mpmath.mpf | Undefined:
    try:
        return how(expr, Evaluation(env))
    except Undefined as exc:
        return exc
    except (ZeroDivisionError, OverflowError, ValueError, TypeError) as exc:
        return Undefined(str(exc) or type(exc).__name__)


def _usable(env: dict, required: list, domain: Domain) -> list | None:
    """The values of `required` at env, or None when a point is not usable there."""
    if not domain.admits(env):
        return None
    values = []
    nearest = mpmath.inf
    for expr in required:
        ctx = Evaluation(env)
        try:
            values.append(_checked(expr, ctx))
        except Imprecise as exc:
            values.append(exc)
        except (Undefined, ZeroDivisionError, OverflowError, ValueError, TypeError):
            return None
        nearest = min(nearest, ctx.nearest_kink)
    return values if nearest >= KINK_MARGIN else None


def sample(required: list, names: tuple[str, ...], domain: Domain, seed: int, count: int,
           watched: tuple = (), small: bool = False) -> Probe:
    """Points where every expression in `required` is real, finite and off its kinks: `count`
    drawn over every region of the domain, plus points on both sides of each kink of `required`
    and `watched` (the answer) along each variable."""
    rng = random.Random(seed)
    points: list[dict[str, Fraction]] = []
    envs: list[dict] = []
    known: dict = {expr: [] for expr in required}
    seen: set[tuple] = set()

    def take(point: dict[str, Fraction]) -> None:
        key = tuple(point.values())
        if key in seen:
            return
        seen.add(key)
        env = as_env(point)
        values = _usable(env, required, domain)
        if values is not None:
            points.append(point)
            envs.append(env)
            for expr, value in zip(required, values):
                known[expr].append(value)

    for turn in range(MAX_DRAWS):
        if len(points) >= count:
            break
        take(draw_point(rng, names, domain, turn, small))
    if len(points) < min(MIN_POINTS, count):
        raise NoPoints(f"found only {len(points)} points where the reference is defined")
    exprs = [e for e in (*required, *watched) if e is not None]
    base = dict(points[0])
    for name in names:
        fixed = {symbol(k): v for k, v in base.items() if k != name}
        extra = kink_points(rng, exprs, name, fixed, domain)[:MAX_KINK_POINTS]
        for value in extra:
            take({**base, name: value})
    return Probe(points, envs, rng, known)


def close(a, b, rel, abs_) -> bool:
    return mpmath.fabs(a - b) <= max(rel * max(mpmath.fabs(a), mpmath.fabs(b)), abs_)


def _clean(expr, env) -> bool:
    """True when evaluating at 40 digits lost fewer than 15 to cancellation (or failed before
    any sum did): its value, or its being undefined, can be trusted as it is."""
    ctx = Evaluation(env)
    try:
        evaluate(expr, ctx)
    except (Undefined, ZeroDivisionError, OverflowError, ValueError, TypeError):
        pass
    return ctx.lost < 15


@dataclass(frozen=True)
class Comparison:
    difference: int | None  # the first point where the answer is really different, or None
    resolved: int  # points where both sides had values that could be compared
    unresolved: int = 0  # points where even MAX_DIGITS could not pin a value down


def compare(probe: Probe, answer_expr, reference_expr, got: list, expected: list,
            rel=EXACT_REL, abs_=EXACT_ABS) -> Comparison:
    """Where the answer differs from the reference. A disagreement at 40 digits is recomputed
    with more digits before it counts: cancellation (cosh(30x)² − sinh(30x)²) eats digits."""
    resolved = unresolved = 0
    for i, (a, e) in enumerate(zip(got, expected)):
        if isinstance(e, Undefined):
            continue
        if not isinstance(a, Undefined) and close(a, e, rel, abs_):
            resolved += 1
            continue
        if _clean(answer_expr, probe.envs[i]) and _clean(reference_expr, probe.envs[i]):
            return Comparison(i, resolved, unresolved)  # no sum lost digits: the difference is real
        a2, e2 = probe.stable(answer_expr, i), probe.stable(reference_expr, i)
        if isinstance(a2, Imprecise) or isinstance(e2, Imprecise) or isinstance(e2, Undefined):
            unresolved += 1  # no evidence either way here: the caller must not call it equal lightly
            continue
        if not isinstance(a2, Undefined) and close(a2, e2, rel, abs_):
            resolved += 1
            continue
        return Comparison(i, resolved, unresolved)
    return Comparison(None, resolved, unresolved)


def agrees(expr, probe: Probe, expected: list, rel=EXACT_REL, abs_=EXACT_ABS) -> bool:
    """Equal to `expected` at every point, with both sides defined (undefined never counts as
    agreement); stops at the first point that differs: most candidates differ at once, so
    naming a mistake costs about one evaluation per candidate."""
    if not expected:
        return False
    for env, b in zip(probe.envs, expected):
        a = _value(expr, env, _checked)
        if isinstance(a, Undefined) or isinstance(b, Undefined) or not close(a, b, rel, abs_):
            return False
    return True


# -- readable counterexamples ------------------------------------------------------------------------

_SMALL = [Fraction(n) for n in (1, 2, -1, 3, -2)]
_SIMPLE = [Fraction(1, 2), Fraction(-1, 2), Fraction(3, 2), Fraction(1, 4), Fraction(1, 3), Fraction(-3, 2),
           Fraction(2, 3), Fraction(5, 2)]
_LARGER = [Fraction(n) for n in (4, 5, -3, -4, 10, 6, -5, 8, 100, -10)]


def readable_values(rng: random.Random, low: float | None, high: float | None) -> list[Fraction]:
    """Small integers first, then simple fractions, then larger numbers, each tier shuffled so
    feedback does not always name the same point; inside (low, high)."""
    out: list[Fraction] = []
    for tier in (_SMALL, _SIMPLE, _LARGER):
        tier = list(tier)
        rng.shuffle(tier)
        out += [v for v in tier if (low is None or v > low) and (high is None or v < high)]
    if low is not None and high is not None and len(out) < 4:
        width = Fraction(high - low).limit_denominator(1000)
        base = Fraction(low).limit_denominator(1000)
        out += [base + width * Fraction(k, 8) for k in (4, 2, 6, 1, 3, 5, 7)]
    return out


def readable_difference(probe: Probe, names: tuple[str, ...], domain: Domain, answer_expr, reference_expr,
                        required: list, rel=EXACT_REL, abs_=EXACT_ABS, tries: int = 24):
    """(point, answer value, expected value) at a readable point where the two differ, or None."""
    columns = [readable_values(probe.rng, *domain.bounds.get(name, (None, None))) for name in names]
    if not all(columns):
        return None
    for k in range(tries):
        point = {name: column[(k + j * (k // len(column) + 1)) % len(column)] for j, (name, column)
                 in enumerate(zip(names, columns))}
        env = as_env(point)
        if _usable(env, required + [reference_expr], domain) is None:
            continue
        extra = Probe([point], [env], probe.rng)
        a, e = extra.values(answer_expr)[0], extra.values(reference_expr)[0]
        if isinstance(e, Undefined):
            continue
        if isinstance(a, Undefined) or not close(a, e, rel, abs_):
            a, e = extra.stable(answer_expr, 0), extra.stable(reference_expr, 0)
            if isinstance(a, Imprecise) or isinstance(e, Undefined):
                continue
            if isinstance(a, Undefined) or not close(a, e, rel, abs_):
                return point, a, e
    return None


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
    """c when answer = expected + c at every point (c ≠ 0), else None. c is read where the
    values are smallest; elsewhere it is checked relative to each point's size."""
    pairs = []
    for a, e in zip(answer_values, expected):
        if isinstance(a, Undefined) or isinstance(e, Undefined):
            return None
        pairs.append((a, e))
    if len(pairs) < 2:
        return None
    a0, e0 = min(pairs, key=lambda p: mpmath.fabs(p[1]))
    c = a0 - e0
    if mpmath.fabs(c) <= EXACT_ABS + EXACT_REL * max(1, mpmath.fabs(e0)):
        return None
    if all(mpmath.fabs((a - e) - c) <= mpmath.mpf("1e-12") * max(1, mpmath.fabs(e)) for a, e in pairs):
        return c
    return None


def nice_number(value: mpmath.mpf) -> str:
    """A short exact-looking form for diagnosis messages: 2, 1/2, -3, π/2, or 6 significant figures."""
    if value != 0 and not mpmath.mpf("1e-9") < mpmath.fabs(value) < mpmath.mpf("1e12"):
        return format_value(value)  # no fraction or multiple of π is worth showing
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
