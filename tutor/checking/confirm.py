"""A second opinion before "equivalent": sampling found no difference; confirm it.

Sampling at 40 digits cannot see a difference below its tolerance (x² + 1e-30, 0.333…3x with
24 threes for x/3). So agreement is confirmed on the difference itself, which SymPy has
already cancelled term by term:
- a difference that is identically 0: equal;
- polynomials and rational functions: exact rational arithmetic decides (cancel to 0 or not);
- anything else: the difference is evaluated at the sample points with enough digits to see
  the smallest number either side contains, and must vanish to that precision.
"""

from __future__ import annotations

import mpmath
import sympy

from tutor.checking.compare import Probe
from tutor.checking.numeval import DIGITS, MAX_DIGITS, Evaluation, Imprecise, Undefined, evaluate, evaluate_stable

MAX_EXACT_DEGREE = 60  # beyond this, cancelling polynomials costs more than it is worth


def _digits_of(number) -> int:
    """Decimal digits it takes to write a rational exactly-ish (numerator and denominator)."""
    p, q = abs(int(number.p)), int(number.q)
    return int((p.bit_length() + q.bit_length()) * 0.30103) + 2


def needed_digits(*exprs) -> int:
    """Working digits that resolve every number in the expressions: 1e-30 needs 30 more."""
    extra = 0
    for expr in exprs:
        for node in sympy.preorder_traversal(expr):
            if node.is_Rational:
                extra = max(extra, _digits_of(node))
            elif node.is_Float:
                extra = max(extra, int(node._prec * 0.30103) + 2)
    return min(MAX_DIGITS, DIGITS + 20 + extra)


def _degree_ok(expr, symbols) -> bool:
    try:
        numerator, denominator = sympy.fraction(sympy.together(expr))
        return all(sympy.Poly(part, *symbols).total_degree() <= MAX_EXACT_DEGREE
                   for part in (numerator, denominator) if part.free_symbols)
    except (sympy.PolynomialError, ValueError, TypeError):
        return False


def confirm_equal(answer, reference, probe: Probe) -> bool:
    """True when the answer is really the reference, not just within 40-digit rounding."""
    difference = answer - reference
    if difference == 0:
        return True
    symbols = sorted(difference.free_symbols, key=str)
    if not symbols:
        # A constant difference: 10^-30 is not 0, however small against the answer's size.
        if difference.is_Rational:
            return False
        return _numeric_zero(difference, sympy.S.One, {})
    if difference.is_rational_function(*symbols) and _degree_ok(difference, symbols):
        return sympy.cancel(sympy.together(difference)) == 0
    digits = needed_digits(answer, reference)
    return all(_numeric_zero(difference, reference, env, digits) for env in probe.envs)


def _numeric_zero(difference, reference, env: dict, digits: int | None = None) -> bool:
    digits = digits or needed_digits(difference, reference)
    try:
        d = evaluate(difference, Evaluation(env), digits)
        scale = max(mpmath.mpf(1), mpmath.fabs(evaluate(reference, Evaluation(env), digits)))
    except Imprecise:
        return True  # no evidence either way; the sampled comparison stands
    except (Undefined, ZeroDivisionError, OverflowError, ValueError):
        return True  # the difference is undefined where both sides are: SymPy's form, not the answer's
    if mpmath.fabs(d) <= mpmath.mpf(10) ** (-(digits - 15)) * scale:
        return True
    # Cancellation inside the difference itself can leave noise: it counts only if it survives
    # more digits.
    try:
        stable = evaluate_stable(difference, Evaluation(env), digits)
    except Undefined:
        return True
    return mpmath.fabs(stable) <= mpmath.mpf(10) ** (-(digits - 15)) * scale


def proven_equal(answer, reference) -> bool:
    """SymPy shows the difference is 0 (rewriting hyperbolics, trig, powers). Slow; used only
    where numbers cannot decide. The worker's time budget bounds it."""
    difference = answer - reference
    return difference == 0 or sympy.simplify(difference.rewrite(sympy.exp)) == 0 or sympy.simplify(difference) == 0
