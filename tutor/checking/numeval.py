"""Evaluate a SymPy expression at a point with mpmath, in real arithmetic, at a chosen precision.

Our own tree walk instead of `lambdify` (which generates and execs source) or `evalf` (slow):
it knows exactly the functions of the answer language (one table, `tutor.mathlang.table`),
honours every argument (log bases, step(0) = 1/2), refuses complex results, and guards against
values too large to compute.

Points are held as exact fractions and converted at the working precision, so a value can be
recomputed with more digits when cancellation has eaten them (`evaluate_stable`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import mpmath
import sympy

from tutor.mathlang.table import Undefined, lookup

__all__ = ["DIGITS", "Evaluation", "Imprecise", "Undefined", "evaluate", "evaluate_stable", "exact_rational"]

DIGITS = 40
MAX_DIGITS = 1500  # the precision ladder stops here; a value that needs more is "imprecise"
KINK_MARGIN = mpmath.mpf("1e-6")  # points this close to a kink of |x|, relu, max... are redrawn
MAX_POW_BITS = 10**12
_LOG10_2 = 0.30103


class Imprecise(Undefined):
    """The value is defined, but even MAX_DIGITS digits do not pin it down (extreme cancellation)."""


@dataclass
class Evaluation:
    """Per-point context: values of the variables (exact fractions or mpf), and how close we came
    to a kink."""

    env: dict
    nearest_kink: mpmath.mpf = field(default_factory=lambda: mpmath.inf)
    lost: float = 0.0  # most digits any sum lost to cancellation (inf: a sum cancelled to 0)
    size: float = 0.0  # log10 of the largest term of any sum that cancelled

    def kink(self, distance) -> None:
        distance = abs(distance)
        self.nearest_kink = min(self.nearest_kink, distance)


def _real(value) -> mpmath.mpf:
    if isinstance(value, mpmath.mpc):
        if abs(value.imag) > mpmath.mpf(10) ** (-mpmath.mp.dps + 5) * max(1, abs(value.real)):
            raise Undefined("not a real number")
        value = value.real
    if not mpmath.isfinite(value):
        raise Undefined("not a finite number")
    return value


def evaluate(expr, ctx: Evaluation, digits: int = DIGITS) -> mpmath.mpf:
    with mpmath.workdps(digits):
        return _real(_eval(expr, ctx))


def evaluate_stable(expr, ctx: Evaluation, digits: int = DIGITS) -> mpmath.mpf:
    """The value to about 20 correct digits: recomputed with more digits while cancellation in
    a sum leaves fewer than that, and until two precisions agree. Raises Imprecise when even
    MAX_DIGITS is not enough."""
    low, spread = None, None
    while True:
        run = Evaluation(ctx.env)
        value = evaluate(expr, run, digits)
        # Trusted: enough significant digits survived, or the sum's absolute error (about
        # 10^(size - digits)) is negligible, as for a true 0 (cosh(x)² − sinh(x)² − 1).
        trusted = run.lost < digits - 25 or run.size - digits < -30
        if trusted and low is not None and (value == low or mpmath.fabs(value - low) <= max(
                mpmath.mpf(10) ** -20 * mpmath.fabs(value), spread)):
            return value
        if trusted:
            low, spread = value, mpmath.mpf(10) ** (run.size - digits + 5) if run.lost > 0 else mpmath.mpf(0)
        else:
            low = None
        # A sum that cancelled to 0 needs at least the digits of its largest term (for a result
        # of size 1); a partial cancellation needs the digits it lost.
        needed = run.size + 45 if run.lost == float("inf") else digits + run.lost + 40
        if digits >= MAX_DIGITS or needed > MAX_DIGITS and not trusted:
            raise Imprecise("the value needs more digits than the checker uses")
        digits = min(MAX_DIGITS, max(2 * digits + 20, int(needed)))


def exact_rational(expr) -> Fraction | None:
    """The exact value of a tree of integers joined by +, ·, integer powers; None otherwise.
    Unevaluated trees (numeric answers) keep 1/3 as 1·3⁻¹: this reads it back as 1/3."""
    if expr.is_Rational:
        return Fraction(int(expr.p), int(expr.q))
    if expr.is_Add or expr.is_Mul:
        parts = [exact_rational(a) for a in expr.args]
        if any(p is None for p in parts):
            return None
        total = Fraction(0) if expr.is_Add else Fraction(1)
        for p in parts:
            total = total + p if expr.is_Add else total * p  # type: ignore[operator]
        return total
    if expr.is_Pow:
        base, exponent = exact_rational(expr.base), exact_rational(expr.exp)
        if base is None or exponent is None or exponent.denominator != 1 or abs(exponent) > 64:
            return None
        if base == 0 and exponent < 0:
            return None
        return base ** int(exponent)
    return None


def _variable(expr, ctx: Evaluation):
    try:
        value = ctx.env[expr]
    except KeyError:
        raise Undefined(f"no value for {expr}") from None
    if isinstance(value, Fraction):
        return mpmath.mpf(value.numerator) / value.denominator
    return mpmath.mpf(value)


def _eval(expr, ctx: Evaluation):
    if expr.is_Symbol:
        return _variable(expr, ctx)
    if expr is sympy.zoo or expr is sympy.oo or expr is sympy.S.NegativeInfinity:
        raise Undefined("division by zero or an infinite value")
    if expr.is_Number:
        if expr.is_Rational:
            return mpmath.mpf(int(expr.p)) / int(expr.q)
        if expr.is_Float:
            return mpmath.mpf(expr._mpf_)
        if expr is sympy.nan:
            raise Undefined("0/0 is undefined")
        raise Undefined("division by zero or an infinite value")
    if expr is sympy.pi:
        return +mpmath.pi
    if expr is sympy.E:
        return mpmath.e()
    if expr.is_Add:
        terms = [_real(_eval(a, ctx)) for a in expr.args]
        total = mpmath.fsum(terms)
        largest = max(mpmath.fabs(t) for t in terms)
        if largest != 0:
            # Binary magnitudes are cheap (no logarithm): digits ≈ bits · log10(2).
            lost = (mpmath.mag(largest) - mpmath.mag(total)) * _LOG10_2 if total != 0 else float("inf")
            if lost > ctx.lost:
                ctx.lost, ctx.size = lost, mpmath.mag(largest) * _LOG10_2
        return total
    if expr.is_Mul:
        result = mpmath.mpf(1)
        for a in expr.args:
            result *= _real(_eval(a, ctx))
        return result
    if expr.is_Pow:
        return _pow(_real(_eval(expr.base, ctx)), expr.exp, ctx)
    entry = lookup(expr.func)
    if entry is not None:
        args = [_real(_eval(a, ctx)) for a in expr.args]
        if entry.periodic:
            _reduction(args[0], ctx)
        if entry.breaks in ("kink", "jump"):
            ctx.kink(args[0])
        elif entry.breaks == "extreme" and len(args) > 1:
            ordered = sorted(args)
            ctx.kink(ordered[-1] - ordered[-2] if expr.func is sympy.Max else ordered[1] - ordered[0])
        return entry.mp(*args)
    if expr is sympy.I or expr.is_imaginary:
        raise Undefined("not a real number")
    raise Undefined(f"cannot evaluate {expr.func.__name__}")


def _reduction(x, ctx: Evaluation) -> None:
    """sin(x) needs x mod 2π: the digits of x's integer part are lost from its fraction, as in a
    sum that cancels (evaluate_stable adds them back). Past MAX_DIGITS no precision would do, and
    reducing it would take forever (sin(exp(exp(20))) wants π to 200 million digits)."""
    if x == 0:
        return
    digits = float(mpmath.mag(x)) * _LOG10_2
    if digits > MAX_DIGITS:
        raise Imprecise("the argument of a periodic function is too large to reduce")
    if digits > ctx.lost:
        ctx.lost, ctx.size = digits, digits


def _pow(base, exponent_expr, ctx: Evaluation):
    exact = exact_rational(exponent_expr) if exponent_expr.is_number else None
    if exact is not None and exact.denominator == 1:
        n = int(exact)
        if base == 0 and n < 0:
            raise Undefined("division by zero")
        if base != 0 and abs(n) * abs(mpmath.mag(base)) > MAX_POW_BITS:
            raise Undefined("too large to compute")
        return base**n
    exponent = _real(_eval(exponent_expr, ctx))
    if base < 0:
        # Odd roots of negatives are real (cube root of -8 is -2); other powers are not.
        if exact is not None and exact.denominator % 2 == 1:
            magnitude = (-base) ** exponent
            return -magnitude if exact.numerator % 2 else magnitude
        raise Undefined("not a real number (a negative number to a fractional power)")
    if base == 0:
        if exponent <= 0:
            raise Undefined("division by zero")
        return mpmath.mpf(0)
    if abs(exponent * mpmath.log(base, 2)) > MAX_POW_BITS:
        raise Undefined("too large to compute")
    return base**exponent
