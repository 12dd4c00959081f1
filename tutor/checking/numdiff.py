"""Is A an antiderivative of f? Decided numerically (central differences at 60 digits) to name
the slip "you integrated instead of differentiating" without asking SymPy to differentiate a
learner's answer, which can cost more than the whole check. Used for diagnosis only."""

from __future__ import annotations

from fractions import Fraction

import mpmath

from tutor.checking.compare import Probe, close
from tutor.checking.numeval import Evaluation, Undefined, evaluate

STEP = Fraction(1, 10**18)
DIGITS = 60
TOLERANCE = mpmath.mpf("1e-12")  # central differences at this step are good to ~1e-30
POINTS = 4


def is_antiderivative(answer, f, var, probe: Probe) -> bool:
    checked = 0
    for env in probe.envs[:POINTS]:
        value = env[var]
        here = Fraction(value) if isinstance(value, (Fraction, int)) else None
        if here is None:
            return False
        try:
            ahead = evaluate(answer, Evaluation({**env, var: here + STEP}), DIGITS)
            behind = evaluate(answer, Evaluation({**env, var: here - STEP}), DIGITS)
            slope = (ahead - behind) / (2 * (mpmath.mpf(STEP.numerator) / STEP.denominator))
            expected = evaluate(f, Evaluation(env), DIGITS)
        except (Undefined, ZeroDivisionError, OverflowError, ValueError):
            return False
        if not close(slope, expected, TOLERANCE, TOLERANCE):
            return False
        checked += 1
    return checked > 0
