"""The checker: read the learner's answer, decide it against the exercise, and explain the verdict.

Runs in-process and without a time limit; `tutor.checking.service` runs it in a worker process
with a budget. Every learner-facing failure becomes a Verdict, never an exception.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import lru_cache
from typing import Callable

import mpmath
import sympy

from tutor.checking import diagnose
from tutor.checking.compare import (
    EXACT_ABS,
    EXACT_REL,
    MIN_RESOLVED,
    NoPoints,
    agrees,
    Probe,
    close,
    compare,
    format_value,
    readable_difference,
    sample,
    seed_from,
)
from tutor.checking.confirm import confirm_equal, proven_equal
from tutor.checking.continuity import first_break
from tutor.checking.lhs import equals_positions, split_lhs
from tutor.checking.numdiff import is_antiderivative
from tutor.checking.numeval import Evaluation, Imprecise, Undefined, evaluate, evaluate_stable
from tutor.checking.sampling import Domain, format_fraction, format_point, parse_domain
from tutor.checking.spec import DEFAULT_REL_TOL, ExerciseSpec
from tutor.checking.verdict import Counterexample, EntryResult, Verdict
from tutor.mathlang import MathError, Parsed, parse, parse_formula
from tutor.mathlang.ast import Num, Relation, Vector, replace_nodes, walk
from tutor.mathlang.build import symbol, to_sympy
from tutor.mathlang.words import in_words

INTEGRATION_CONSTANTS = ("C", "c")


class SpecError(Exception):
    """The exercise itself is broken (a lesson bug): its reference does not parse or has no value."""


@dataclass
class Reading:
    """The learner's answer as read: the parse, its SymPy form, and how to show it."""

    parsed: Parsed
    expr: object
    pretty: str

    def verdict(self, status: str, message: str, **fields) -> Verdict:
        return Verdict(status=status, message=message, interpreted=self.parsed.interpreted, pretty=self.pretty,
                       words=in_words(self.parsed.tree), notes=self.parsed.notes, **fields)


# -- reading ---------------------------------------------------------------------------------------

def pretty(parsed: Parsed) -> str:
    tree = parsed.to_sympy(evaluate=False, display=True)
    if isinstance(tree, list):
        if tree and all(isinstance(row, list) for row in tree):
            if len({len(row) for row in tree}) == 1:
                return sympy.pretty(sympy.Matrix(tree), use_unicode=True)
            return "[" + ", ".join(sympy.pretty(r, use_unicode=True) for r in tree) + "]"
        return sympy.pretty(tree, use_unicode=True)
    return sympy.pretty(tree, use_unicode=True)


def read(text: str, variables: tuple[str, ...]) -> Reading:
    """Parse and build the learner's text. Raises MathError with a column where it can."""
    parsed = parse(text, variables)
    expr = parsed.to_sympy()
    return Reading(parsed, expr, pretty(parsed))


def invalid_from(error: MathError, text: str) -> Verdict:
    caret = error.caret()
    return Verdict(status="invalid", message=error.message, error_column=error.column,
                   extra={"caret": caret} if caret else {})


def preview(text: str, variables: tuple[str, ...]) -> Verdict:
    """How an answer is read, without judging it: the UI's live preview."""
    if not text.strip():
        return Verdict(status="invalid", message="")
    equals = equals_positions(text)
    if len(equals) == 1 and text[equals[0] + 1:].strip():
        # `y = …`: the check decides whether the left side names what is asked; show the right.
        verdict = preview(text[equals[0] + 1:], variables)
        return replace(verdict, notes=("only the right-hand side of '=' is checked", *verdict.notes))
    try:
        reading = read(text, variables)
    except MathError as err:
        return invalid_from(err, text)
    return reading.verdict("correct", "")


@lru_cache(maxsize=512)
def formula(text: str) -> Verdict:
    """A ```math line drawn in two dimensions; `=` chains are drawn side by side."""
    from sympy.printing.pretty.pretty import PrettyPrinter
    from sympy.printing.pretty.stringpict import prettyForm, stringPict

    try:
        parsed = parse_formula(text)
        built = parsed.to_sympy(evaluate=False, display=True)
    except MathError as err:
        return invalid_from(err, text)
    sides = built if isinstance(built, list) and isinstance(parsed.tree, Relation) else [built]
    printer = PrettyPrinter({"use_unicode": True})
    pieces: list = []
    for i, side in enumerate(sides):
        if i:
            pieces.append(f" {_RELATION_TEXT[parsed.tree.ops[i - 1]]} ")
        pieces.append(printer._print(side))
    picture = prettyForm(*stringPict.next(*pieces)) if len(pieces) > 1 else pieces[0]
    return Verdict(status="correct", message="", interpreted=parsed.interpreted, pretty=picture.render(wrap_line=False),
                   words=in_words(parsed.tree))


_RELATION_TEXT = {"=": "=", "<": "<", ">": ">", "<=": "≤", ">=": "≥", "!=": "≠"}


@lru_cache(maxsize=512)
def _reference(text: str | None, variables: tuple[str, ...], field: str):
    if text is None or not str(text).strip():
        raise SpecError(f"the exercise has no {field}")
    try:
        return parse(str(text), variables).to_sympy()
    except MathError as err:
        raise SpecError(f"{field} '{text}' does not parse: {err.message}") from err


def _domain(spec: ExerciseSpec, variables: tuple[str, ...]) -> Domain:
    try:
        return parse_domain(spec.domain, variables)
    except MathError as err:
        raise SpecError(f"domain '{spec.domain}' does not parse: {err.message}") from err


# -- entry point -----------------------------------------------------------------------------------

def check(spec: ExerciseSpec, answer: str, seed: int = 0) -> Verdict:
    start = time.perf_counter()
    try:
        verdict = _dispatch(spec, str(answer), seed)
    except SpecError as err:
        verdict = Verdict(status="invalid", message=f"This exercise cannot be checked: {err}",
                          diagnosis="broken-exercise")
    except NoPoints as err:
        verdict = Verdict(status="invalid", message=f"This exercise cannot be checked: {err}",
                          diagnosis="broken-exercise")
    except MathError as err:
        verdict = invalid_from(err, answer)
    return replace(verdict, elapsed_ms=round((time.perf_counter() - start) * 1000, 2))


def _dispatch(spec: ExerciseSpec, answer: str, seed: int) -> Verdict:
    if spec.kind == "choice":
        return _check_choice(spec, answer)
    if not answer.strip():
        return Verdict(status="invalid", message="Type an answer first.")
    split = split_lhs(spec, answer)
    if split.note:
        verdict = _dispatch(spec, split.rhs, seed)
        return replace(verdict, notes=(split.note, *verdict.notes))
    if spec.kind == "numeric":
        return _check_numeric(spec, answer)
    if spec.kind in ("vector", "matrix"):
        return _check_vector(spec, answer, seed)
    if spec.kind == "derivative":
        return _check_derivative(spec, answer, seed)
    if spec.kind == "antiderivative":
        return _check_antiderivative(spec, answer, seed)
    if spec.kind == "expression":
        return _check_expression(spec, answer, seed)
    raise SpecError(f"the checker cannot play exercises of kind '{spec.kind}'")


# -- expression kinds ------------------------------------------------------------------------------

def _point_count(names: tuple[str, ...]) -> int:
    return 14 if len(names) <= 1 else 18


def _scalar_reading(text: str, variables: tuple[str, ...]) -> Reading:
    reading = read(text, variables)
    if isinstance(reading.expr, list):
        raise MathError("this answer is a single expression, not a list")
    return reading


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


def _probe(spec: ExerciseSpec, answer: str, variables: tuple[str, ...], required: tuple, seed: int,
           watched: tuple = (), small: bool = False) -> Probe:
    """Points drawn for this exercise and this answer: the same answer always meets the same
    points, and no fixed set of points exists for a wrong answer to be built around."""
    return sample(list(required), variables, _domain(spec, variables), seed_from(spec, answer, seed),
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
    probe = _probe(spec, reading.parsed.text, names, everything, seed, (answer_expr,))
    expected = probe.values(reference)
    got = probe.values(answer_expr)
    result = compare(probe, answer_expr, reference, got, expected)
    if result.difference is None and result.resolved < MIN_RESOLVED:
        # Too many digits needed far out (cosh(1000x)² − sinh(1000x)²): look near 0 as well.
        probe = _probe(spec, reading.parsed.text, names, everything, seed, (answer_expr,), small=True)
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
    shown = readable_difference(probe, names, _domain(spec, names), answer_expr, reference, list(required))
    point, shown_got, shown_expected = shown if shown else (probe.points[i], got[i], expected[i])
    counter = _counterexample(point, shown_got, shown_expected, what, of_answer)
    message = "Not equivalent: " + counter.text + "."
    if found is not None:
        message = f"{found.message} ({counter.text}.)"
    return reading.verdict("incorrect", message, diagnosis=found.code if found else None, counterexample=counter)


@lru_cache(maxsize=256)
def _derivative_reference(function: str, variables: tuple[str, ...], var: str, order: int):
    f = _reference(function, variables, "function")
    return f, sympy.diff(f, symbol(var), order)


def _check_derivative(spec: ExerciseSpec, answer: str, seed: int) -> Verdict:
    variables = spec.declared
    var = spec.var or variables[0]
    f, d = _derivative_reference(spec.function or "", variables, var, spec.order)
    x = symbol(var)
    reading = _scalar_reading(answer, variables)

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


def _check_expression(spec: ExerciseSpec, answer: str, seed: int) -> Verdict:
    variables = spec.declared
    reference = _reference(spec.answer, variables, "answer")
    if isinstance(reference, list):
        raise SpecError("the answer of an expression exercise is a list: use kind vector")
    reading = _scalar_reading(answer, variables)
    return _judge_scalar(reading, reading.expr, reference, [], spec, variables, seed, "the expected expression")


def _check_antiderivative(spec: ExerciseSpec, answer: str, seed: int) -> Verdict:
    variables = spec.declared
    var = spec.var or variables[0]
    x = symbol(var)
    integrand = _reference(spec.function, variables, "function")
    # A free C or c that the exercise does not declare is the constant of integration.
    constants = tuple(c for c in INTEGRATION_CONSTANTS if c not in variables)
    reading = _scalar_reading(answer, variables + constants)
    free = [symbol(c) for c in constants if reading.expr.has(symbol(c))]
    derivative = sympy.diff(reading.expr, x)
    if any(derivative.has(c) for c in free):
        return reading.verdict("incorrect", "The constant of integration is added on its own: F(x) + C.",
                               diagnosis="constant-misplaced")
    antiderivative = reading.expr.subs({c: 0 for c in free})
    domain = _domain(spec, variables)
    probe = _probe(spec, reading.parsed.text, variables, (integrand,), seed, (antiderivative,))
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


# -- numbers ---------------------------------------------------------------------------------------

def _terminating(expr) -> bool:
    """An exact number that a decimal writes exactly: 2, -3/4, 0.125 (not 1/3, not √2)."""
    if not expr.is_Rational:
        return False
    q = int(expr.q)
    for p in (2, 5):
        while q % p == 0:
            q //= p
    return q == 1


def _tolerances(spec: ExerciseSpec, reference, exact_form=None) -> tuple[mpmath.mpf, mpmath.mpf]:
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


def _check_numeric(spec: ExerciseSpec, answer: str) -> Verdict:
    reference = _number(spec.answer or "", "answer")
    reading = _scalar_reading(answer, ())
    try:
        value = _value(reading.parsed)
    except Imprecise:
        return reading.verdict("invalid", "Your answer cannot be evaluated precisely enough to check it: "
                                          "write it in a simpler form.", diagnosis="imprecise")
    except Undefined as err:
        return reading.verdict("invalid", f"Your answer has no value: {err.reason}.")
    rel, abs_ = _tolerances(spec, reference)
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


# -- vectors and matrices --------------------------------------------------------------------------

def _shape(tree) -> tuple[int, ...]:
    if isinstance(tree, Vector):
        inner = {_shape(item) for item in tree.items}
        if len(inner) == 1:
            return (len(tree.items), *inner.pop())
        return (len(tree.items), -1)
    return ()


def _flatten(expr, index=()) -> list[tuple[tuple[int, ...], object]]:
    if isinstance(expr, list):
        out = []
        for i, item in enumerate(expr):
            out.extend(_flatten(item, index + (i,)))
        return out
    return [(index, expr)]


def _entry_name(index: tuple[int, ...]) -> str:
    if len(index) == 1:
        return f"entry {index[0] + 1}"
    return f"row {index[0] + 1}, column {index[1] + 1}"


def _shape_text(shape: tuple[int, ...]) -> str:
    if len(shape) == 1:
        return f"a vector of {shape[0]} entries"
    if len(shape) == 2:
        return f"a {shape[0]}×{shape[1]} matrix"
    return "a single value"


def _compare_entries(spec: ExerciseSpec, variables: tuple[str, ...], ref_entries: list, got_entries: list,
                     seed: int) -> tuple[list[EntryResult], list]:
    """Entry by entry: expressions at sample points, numbers within the tolerance.
    Returns the results and, for numeric entries, (value, reference) pairs (None: no value)."""
    symbolic = bool(variables) and any(e.free_symbols for _, e in ref_entries)
    if symbolic:
        probe = _probe(spec, repr([g for _, g in got_entries]), variables, tuple(e for _, e in ref_entries), seed,
                       tuple(g for _, g in got_entries))
    results: list[EntryResult] = []
    values: list = []
    for (index, ref), (_, got) in zip(ref_entries, got_entries):
        if symbolic:
            result = compare(probe, got, ref, probe.values(got), probe.values(ref))
            ok = (result.difference is None and result.resolved >= MIN_RESOLVED
                  and confirm_equal(got, ref, probe))
            results.append(EntryResult(index, ok))
            continue
        try:
            reference = evaluate(ref, Evaluation({}))
        except Undefined as err:
            raise SpecError(f"{_entry_name(index)} of the answer has no value: {err.reason}") from err
        try:
            value = evaluate(got, Evaluation({}))
        except Undefined as err:
            results.append(EntryResult(index, False, f"{_entry_name(index)} has no value ({err.reason})"))
            values.append(None)
            continue
        rel, abs_ = _tolerances(spec, reference, ref)
        ok = mpmath.fabs(value - reference) <= max(rel * mpmath.fabs(reference), abs_)
        results.append(EntryResult(index, ok, "" if ok else f"{_entry_name(index)} is {format_value(value)}"))
        values.append((value, reference))
    return results, values


def _vector_mistake(spec: ExerciseSpec, variables: tuple[str, ...], shape: tuple[int, ...], got_entries: list,
                    seed: int) -> diagnose.Diagnosis | None:
    """The author's mistake that the answer matches entry by entry, if any."""
    for mistake in spec.mistakes:
        try:
            parsed = parse(mistake.answer, variables)
        except MathError:
            continue  # the validator reports it
        if _shape(parsed.tree) != shape:
            continue
        try:
            results, _ = _compare_entries(spec, variables, _flatten(parsed.to_sympy()), got_entries, seed)
        except (SpecError, NoPoints):
            continue
        if all(r.correct for r in results):
            return diagnose.Diagnosis("author", mistake.message)
    return None


def _check_vector(spec: ExerciseSpec, answer: str, seed: int) -> Verdict:
    variables = tuple(spec.variables)
    try:
        ref_parsed = parse(str(spec.answer or ""), variables)
    except MathError as err:
        raise SpecError(f"answer '{spec.answer}' does not parse: {err.message}") from err
    ref_shape = _shape(ref_parsed.tree)
    if not ref_shape or -1 in ref_shape:
        raise SpecError("the answer of a vector or matrix exercise must be [a, b, ...] or [[a, b], [c, d]]")
    reading = read(answer, variables)
    got_shape = _shape(reading.parsed.tree)
    if got_shape != ref_shape:
        example = "[a, b, c]" if len(ref_shape) == 1 else "[[a, b], [c, d]]"
        return reading.verdict("invalid", f"The answer is {_shape_text(ref_shape)}; you typed "
                                          f"{_shape_text(got_shape)}. Type it as {example}.")
    got_entries = _flatten(reading.expr)
    results, values = _compare_entries(spec, variables, _flatten(ref_parsed.to_sympy()), got_entries, seed)
    wrong = [r for r in results if not r.correct]
    if not wrong:
        return reading.verdict("correct", "Correct.", entries=tuple(results))
    names = ", ".join(_entry_name(r.index) for r in wrong)
    count = f"{len(wrong)} of {len(results)} entries are wrong" if len(wrong) > 1 else "1 entry is wrong"
    message = f"{count}: {names}."
    found = _vector_mistake(spec, variables, ref_shape, got_entries, seed)
    if found is None and values and len(wrong) == len(results) and all(
        v is not None and v[1] != 0 and close(v[0], -v[1], mpmath.mpf("1e-4"), mpmath.mpf("1e-9")) for v in values
    ):
        found = diagnose.Diagnosis("sign", "Every entry has the wrong sign.")
    if found is not None:
        message = f"{found.message} ({message})"
    return reading.verdict("incorrect", message, diagnosis=found.code if found else None, entries=tuple(results))


# -- choices ---------------------------------------------------------------------------------------

_CHOICE = re.compile(r"^\(?\s*([A-Za-z]|\d{1,2})\s*[).]?$")


def choice_index(spec: ExerciseSpec, text: str) -> int | None:
    """The option a learner's text names: a letter, a number from 1, or the option's own text."""
    cleaned = text.strip()
    match = _CHOICE.match(cleaned)
    if match:
        token = match.group(1)
        index = int(token) - 1 if token.isdigit() else ord(token.lower()) - ord("a")
        return index if 0 <= index < len(spec.options) else None
    for i, option in enumerate(spec.options):
        if option.strip().lower() == cleaned.lower():
            return i
    return None


def letter(index: int) -> str:
    return chr(ord("a") + index)


def _check_choice(spec: ExerciseSpec, answer: str) -> Verdict:
    if len(spec.options) < 2:
        raise SpecError("a choice exercise needs at least two options")
    correct = choice_index(spec, str(spec.answer or ""))
    if correct is None:
        raise SpecError(f"the answer '{spec.answer}' is not one of the options a–{letter(len(spec.options) - 1)}")
    picked = choice_index(spec, answer)
    if picked is None:
        return Verdict(status="invalid",
                       message=f"Pick one of the options: a letter from a to {letter(len(spec.options) - 1)}.")
    shown = f"({letter(picked)}) {spec.options[picked]}"
    feedback = dict(spec.option_feedback).get(letter(picked), "")
    if picked == correct:
        return Verdict(status="correct", message="Correct." + (f" {feedback}" if feedback else ""),
                       interpreted=shown)
    return Verdict(status="incorrect", message="Not this one." + (f" {feedback}" if feedback else ""),
                   interpreted=shown, diagnosis="author" if feedback else None)
