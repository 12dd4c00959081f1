"""The numeric kind: a number (or a constant expression) against the reference, within the
exercise's tolerance, with the rounding and sign slips named."""

from __future__ import annotations


import mpmath

from tutor.checking import diagnose
from tutor.checking.compare import EXACT_ABS, EXACT_REL, close, format_value
from tutor.checking.numeval import Evaluation, Imprecise, Undefined, evaluate_stable
from tutor.checking.reading import SpecError, scalar_reading
from tutor.checking.spec import DEFAULT_REL_TOL, ExerciseSpec
from tutor.checking.verdict import Verdict
from tutor.mathlang import MathError, Parsed, parse


def _terminating(expr) -> bool:
    """An exact number that a decimal writes exactly: 2, -3/4, 0.125 (not 1/3, not √2)."""
    if not expr.is_Rational:
        return False
    q = int(expr.q)
    for p in (2, 5):
        while q % p == 0:
            q //= p
    return q == 1


def tolerances(spec: ExerciseSpec, reference, exact_form=None) -> tuple[mpmath.mpf, mpmath.mpf]:
    """The exercise's tolerances; without any, an entry of a vector or matrix whose reference is
    an exact terminating number (2, 0.5) must be matched exactly: 2.0001 is not 2."""
    if spec.rel_tol is None and spec.abs_tol is None and exact_form is not None and _terminating(exact_form):
        return EXACT_REL, EXACT_ABS
    rel = mpmath.mpf(spec.rel_tol if spec.rel_tol is not None else DEFAULT_REL_TOL)
    if spec.abs_tol is not None:
        abs_ = mpmath.mpf(spec.abs_tol)
    else:
        abs_ = mpmath.mpf("1e-9") if reference == 0 else mpmath.mpf(0)
    return rel, abs_


def _number(text: str, field: str):
    try:
        return _value(parse(text, ()))
    except MathError as err:
        raise SpecError(f"{field} '{text}' does not parse: {err.message}") from err
    except Undefined as err:
        raise SpecError(f"{field} '{text}' has no value: {err.reason}") from err


def _value(parsed: Parsed):
    """A constant's value, from its unevaluated form so that log(0) fails as a logarithm,
    not as SymPy's complex infinity. Recomputed with more digits while cancellation eats them
    (cosh(100)² − sinh(100)² is 1)."""
    return evaluate_stable(parsed.to_sympy(evaluate=False), Evaluation({}))


def _numeric_diagnosis(value, reference, rel, abs_) -> diagnose.Diagnosis | None:
    if reference != 0 and close(value, -reference, rel, abs_):
        return diagnose.Diagnosis("sign", "The size is right but the sign is wrong.")
    if reference != 0 and value != 0:
        ratio = value / reference
        k = mpmath.log10(mpmath.fabs(ratio))
        if ratio > 0 and abs(k - mpmath.nint(k)) < 1e-6 and mpmath.nint(k) != 0:
            return diagnose.Diagnosis("power-of-ten", "The digits are right but the decimal point is off "
                                                      f"(by a factor of 10^{int(mpmath.nint(k))}).")
        if mpmath.fabs(ratio - 1) < 1e-2:
            return diagnose.Diagnosis("precision", "Close, but not within the tolerance: keep more significant "
                                                   "figures (at least six) and round only at the end.")
    return None


def check_numeric(spec: ExerciseSpec, answer: str) -> Verdict:
    reference = _number(spec.answer or "", "answer")
    reading = scalar_reading(answer, ())
    try:
        value = _value(reading.parsed)
    except Imprecise:
        return reading.verdict("invalid", "Your answer cannot be evaluated precisely enough to check it: "
                                          "write it in a simpler form.", diagnosis="imprecise")
    except Undefined as err:
        return reading.verdict("invalid", f"Your answer has no value: {err.reason}.")
    rel, abs_ = tolerances(spec, reference)
    if mpmath.fabs(value - reference) <= max(rel * mpmath.fabs(reference), abs_):
        return reading.verdict("correct", "Correct.")
    found = None
    for mistake in spec.mistakes:
        try:
            wrong = _number(mistake.answer, "mistake")
        except SpecError:
            continue
        if mpmath.fabs(value - wrong) <= max(rel * mpmath.fabs(wrong), abs_):
            found = diagnose.Diagnosis("author", mistake.message)
            break
    found = found or _numeric_diagnosis(value, reference, rel, abs_)
    message = f"Not correct: your answer is {format_value(value)}."
    if found is not None:
        message = f"{found.message} (Your answer is {format_value(value)}.)"
    return reading.verdict("incorrect", message, diagnosis=found.code if found else None)
