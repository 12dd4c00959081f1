"""The formula kinds: derivative, expression and antiderivative answers, decided by sampling at
high precision, confirmed before "correct", and explained when wrong."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from functools import lru_cache
from typing import Callable

import sympy

from tutor.checking import diagnose
from tutor.checking.compare import (
    MIN_RESOLVED,
    agrees,
    Probe,
    compare,
    format_value,
    readable_difference,
    sample,
    seed_from,
)
from tutor.checking.confirm import confirm_equal, proven_equal
from tutor.checking.continuity import first_break
from tutor.checking.numdiff import is_antiderivative
from tutor.checking.numeval import Undefined
from tutor.checking.reading import Reading, SpecError, reference_expr, scalar_reading, spec_domain
from tutor.checking.sampling import format_fraction, format_point
from tutor.checking.spec import ExerciseSpec
from tutor.checking.verdict import Counterexample, Verdict
from tutor.mathlang import MathError, Parsed, parse
from tutor.mathlang.ast import Num, replace_nodes, walk
from tutor.mathlang.build import symbol, to_sympy


INTEGRATION_CONSTANTS = ("C", "c")


def _point_count(names: tuple[str, ...]) -> int:
    return 14 if len(names) <= 1 else 18


def _counterexample(point: dict[str, Fraction], got, expected, what: str,
                    of_answer: str = "your answer") -> Counterexample:
    where = format_point(point)
    if isinstance(got, Undefined):
        text = f"{of_answer} is undefined at {where} ({got.reason}); {what} is {format_value(expected)}"
    else:
        text = f"at {where} {of_answer} is {format_value(got)}; {what} is {format_value(expected)}"
    return Counterexample(point={k: format_fraction(v) for k, v in point.items()},
                          answer_value=None if isinstance(got, Undefined) else format_value(got),
                          expected_value=format_value(expected), text=text)


def _match_mistakes(spec: ExerciseSpec, variables, probe: Probe, got: list,
                    compared: Callable = lambda expr: expr) -> diagnose.Diagnosis | None:
    """The author's mistake whose values agree with `got`. `compared` turns a listed mistake into
    what `got` holds: for an antiderivative, `got` is the answer's derivative, so each listed
    antiderivative is differentiated first (a match then means equal up to a constant)."""
    for mistake in spec.mistakes:
        try:
            expr = compared(parse(mistake.answer, variables).to_sympy())
        except MathError:
            continue  # the validator reports it; a learner never sees a broken mistake
        if agrees(expr, probe, got):
            return diagnose.Diagnosis("author", mistake.message)
    return None


Candidates = Callable[[], list[diagnose.Candidate]]


def _no_candidates() -> list[diagnose.Candidate]:
    return []


def probe_points(spec: ExerciseSpec, answer: str, variables: tuple[str, ...], required: tuple, seed: int,
           watched: tuple = (), small: bool = False) -> Probe:
    """Points drawn for this exercise and this answer: the same answer always meets the same
    points, and no fixed set of points exists for a wrong answer to be built around."""
    return sample(list(required), variables, spec_domain(spec, variables), seed_from(spec, answer, seed),
                  _point_count(variables), watched, small)


def _has_decimals(parsed: Parsed) -> bool:
    return any(isinstance(node, Num) and "." in node.text for node in walk(parsed.tree))


def _rounding_slip(parsed: Parsed, variables: tuple[str, ...], probe: Probe, expected: list) -> bool:
    """True when the answer becomes right once each decimal is read as the simple fraction it
    rounds (0.333 -> 1/3, 0.67 -> 2/3): the learner rounded."""
    def exact(node):
        if isinstance(node, Num) and "." in node.text:
            fraction = node.value.limit_denominator(100)
            if fraction != node.value and abs(fraction - node.value) <= abs(fraction) * Fraction(1, 100):
                return Num(fraction, str(fraction))
        return None

    rewritten = replace_nodes(parsed.tree, exact)
    if rewritten == parsed.tree:
        return False
    try:
        return agrees(to_sympy(rewritten), probe, expected)
    except MathError:
        return False


ROUNDING = diagnose.Diagnosis("inexact-decimal", "Very close, but not exact: a rounded decimal such as 0.333 "
                                                 "is not 1/3. Type exact fractions and constants.")


def _judge_scalar(reading: Reading, answer_expr, reference, required: list, spec: ExerciseSpec,
                  variables: tuple[str, ...], seed: int, what: str,
                  candidates: Candidates = _no_candidates, quotient: Callable[[], bool] = lambda: False,
                  of_answer: str = "your answer", correct_message: str = "Correct.",
                  extra_diagnosis: Callable[[Probe], diagnose.Diagnosis | None] = lambda probe: None,
                  mistake_form: Callable = lambda expr: expr) -> Verdict:
    names = tuple(variables)
    everything = tuple(required) + (reference,)
    probe = probe_points(spec, reading.parsed.text, names, everything, seed, (answer_expr,))
    expected = probe.values(reference)
    got = probe.values(answer_expr)
    result = compare(probe, answer_expr, reference, got, expected)
    if result.difference is None and result.resolved < MIN_RESOLVED:
        # Too many digits needed far out (cosh(1000x)² − sinh(1000x)²): look near 0 as well.
        probe = probe_points(spec, reading.parsed.text, names, everything, seed, (answer_expr,), small=True)
        expected, got = probe.values(reference), probe.values(answer_expr)
        small = compare(probe, answer_expr, reference, got, expected)
        result = replace(small, unresolved=small.unresolved + result.unresolved)
    if result.difference is None:
        # Where the answer could not be evaluated, it could be wrong (1 + step(x - 2)·(cosh(1000x)²
        # − sinh(1000x)²) for 1): agreement elsewhere counts only when SymPy proves the difference 0.
        if result.resolved < MIN_RESOLVED or result.unresolved and not proven_equal(answer_expr, reference):
            return reading.verdict("invalid", "Your answer cannot be evaluated precisely enough to check it: "
                                              "write it in a simpler form.", diagnosis="imprecise")
        if confirm_equal(answer_expr, reference, probe):
            return reading.verdict("correct", correct_message)
        found = ROUNDING if _has_decimals(reading.parsed) else diagnose.Diagnosis(
            "tiny-difference", f"Very close, but not equal: your answer differs from {what} by a tiny amount "
                               "(less than 1e-20 of its size).")
        return reading.verdict("incorrect", found.message, diagnosis=found.code)
    i = result.difference
    if not answer_expr.free_symbols and all(isinstance(g, Undefined) for g in got):
        return reading.verdict("invalid", f"Your answer has no value: {got[i].reason}.")
    # Diagnosis is built only for wrong answers: it differentiates again and is the slow part.
    found = (_match_mistakes(spec, variables, probe, got, mistake_form)
             or diagnose.find(candidates(), got, probe)
             or extra_diagnosis(probe)
             or (ROUNDING if _has_decimals(reading.parsed) and _rounding_slip(reading.parsed, variables, probe, expected)
                 else None)
             or diagnose.shape_of_error(got, expected, what, quotient(), _has_decimals(reading.parsed)))
    shown = readable_difference(probe, names, spec_domain(spec, names), answer_expr, reference, list(required))
    point, shown_got, shown_expected = shown if shown else (probe.points[i], got[i], expected[i])
    counter = _counterexample(point, shown_got, shown_expected, what, of_answer)
    message = "Not equivalent: " + counter.text + "."
    if found is not None:
        message = f"{found.message} ({counter.text}.)"
    return reading.verdict("incorrect", message, diagnosis=found.code if found else None, counterexample=counter)


@lru_cache(maxsize=256)
def _derivativereference_expr(function: str, variables: tuple[str, ...], var: str, order: int):
    f = reference_expr(function, variables, "function")
    return f, sympy.diff(f, symbol(var), order)


def check_derivative(spec: ExerciseSpec, answer: str, seed: int) -> Verdict:
    variables = spec.declared
    var = spec.var or variables[0]
    f, d = _derivativereference_expr(spec.function or "", variables, var, spec.order)
    x = symbol(var)
    reading = scalar_reading(answer, variables)

    def candidates() -> list[diagnose.Candidate]:
        others = tuple(symbol(v) for v in variables if v != var and f.has(symbol(v)))
        return list(diagnose.derivative_candidates(f, x, spec.order, others, d))

    def integrated(probe: Probe) -> diagnose.Diagnosis | None:
        # A' = f: the answer is an antiderivative. Numerically, because SymPy's diff of a
        # learner's answer can cost more than the whole check.
        if spec.order == 1 and is_antiderivative(reading.expr, f, symbol(var), probe):
            return diagnose.Diagnosis("integrated", "It looks like you integrated instead of differentiating.")
        return None

    def quotient() -> bool:
        return (f.is_Mul or f.is_Pow) and sympy.fraction(sympy.together(f))[1].has(x)

    what = {1: "the derivative", 2: "the second derivative", 3: "the third derivative"}.get(
        spec.order, f"derivative number {spec.order}")
    return _judge_scalar(reading, reading.expr, d, [f], spec, variables, seed, what, candidates, quotient,
                         extra_diagnosis=integrated)


def check_expression(spec: ExerciseSpec, answer: str, seed: int) -> Verdict:
    variables = spec.declared
    reference = reference_expr(spec.answer, variables, "answer")
    if isinstance(reference, list):
        raise SpecError("the answer of an expression exercise is a list: use kind vector")
    reading = scalar_reading(answer, variables)
    return _judge_scalar(reading, reading.expr, reference, [], spec, variables, seed, "the expected expression")


def check_antiderivative(spec: ExerciseSpec, answer: str, seed: int) -> Verdict:
    variables = spec.declared
    var = spec.var or variables[0]
    x = symbol(var)
    integrand = reference_expr(spec.function, variables, "function")
    # A free C or c that the exercise does not declare is the constant of integration.
    constants = tuple(c for c in INTEGRATION_CONSTANTS if c not in variables)
    reading = scalar_reading(answer, variables + constants)
    free = [symbol(c) for c in constants if reading.expr.has(symbol(c))]
    derivative = sympy.diff(reading.expr, x)
    if any(derivative.has(c) for c in free):
        return reading.verdict("incorrect", "The constant of integration is added on its own: F(x) + C.",
                               diagnosis="constant-misplaced")
    antiderivative = reading.expr.subs({c: 0 for c in free})
    domain = spec_domain(spec, variables)
    probe = probe_points(spec, reading.parsed.text, variables, (integrand,), seed, (antiderivative,))
    # ln(x) for 1/x: right where x > 0, undefined where x < 0. Accepted with a note when ln|…|
    # in its place is right on the whole domain (as STACK does).
    with_abs = antiderivative.replace(sympy.log, lambda u: sympy.log(sympy.Abs(u)))
    needs_abs = False
    for i, value in enumerate(probe.values(antiderivative)):
        if isinstance(value, Undefined):
            if with_abs != antiderivative and not any(isinstance(v, Undefined) for v in probe.values(with_abs)):
                needs_abs = True
                break
            where = format_point(probe.points[i])
            return reading.verdict(
                "incorrect", f"Your answer is undefined at {where} ({value.reason}), where the integrand is "
                             "defined; an antiderivative must work on the whole domain.",
                diagnosis="undefined-on-domain")
    checked = with_abs if needs_abs else antiderivative
    fixed = {symbol(k): v for k, v in probe.points[0].items() if k != var}
    # The answer as typed must not break inside an interval of the integrand's domain either:
    # ln(x) for 1/x leaves out a whole interval (x < 0), x + ln(x²) - 2 ln(x) for 1 half of one.
    broken = first_break(antiderivative, integrand, var, fixed, domain)
    if broken is None and checked is not antiderivative:
        broken = first_break(checked, integrand, var, fixed, domain)
    if broken is not None:
        where = f"{var} ≈ {format_value(broken.at)}"
        if broken.kind == "undefined":
            message = (f"Your answer is undefined at {where}, inside an interval where the integrand is defined; "
                       "an antiderivative must work on the whole interval.")
        else:
            message = (f"Your answer jumps at {where} (from {format_value(broken.left)} to "
                       f"{format_value(broken.right)}), where the integrand is continuous: an antiderivative "
                       "has no jumps inside an interval of the domain.")
        return reading.verdict("incorrect", message, diagnosis="jump" if broken.kind == "jump" else
                               "undefined-on-domain")
    derivative = sympy.diff(checked, x)

    # Candidates are compared with the answer's derivative A'; shifting by (A' - A) makes each
    # equal A' exactly where the answer A itself equals the candidate.
    def candidates() -> list[diagnose.Candidate]:
        shift = derivative - checked
        return [
            diagnose.Candidate("differentiated", "It looks like you differentiated instead of integrating.",
                               sympy.diff(integrand, x) + shift),
            diagnose.Candidate("integrand-returned", "That is the integrand itself; it still needs integrating.",
                               integrand + shift),
        ]

    verdict = _judge_scalar(
        reading, derivative, integrand, [integrand], spec, variables, seed, "the integrand", candidates,
        of_answer="the derivative of your answer",
        correct_message="Correct: the derivative of your answer is the integrand."
        + ("" if free else " Any constant of integration is fine."),
        mistake_form=lambda mistake: sympy.diff(mistake, x),
    )
    if needs_abs and verdict.correct:
        note = ("ln|…| is the antiderivative on the whole domain; ln(…) is one only where its argument is "
                "positive.")
        return replace(verdict, message=f"{verdict.message} Note: {note}", notes=verdict.notes + (note,))
    return verdict
