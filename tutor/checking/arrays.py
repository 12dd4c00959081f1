"""The vector and matrix kinds: shape first, then entry by entry, each entry decided like a
formula or a number."""

from __future__ import annotations


import mpmath

from tutor.checking import diagnose
from tutor.checking.compare import MIN_RESOLVED, NoPoints, close, compare, format_value
from tutor.checking.confirm import confirm_equal
from tutor.checking.formulas import probe_points
from tutor.checking.numbers import tolerances
from tutor.checking.numeval import Evaluation, Undefined, evaluate
from tutor.checking.reading import SpecError, read
from tutor.checking.spec import ExerciseSpec
from tutor.checking.verdict import EntryResult, Verdict
from tutor.mathlang import MathError, parse
from tutor.mathlang.ast import Vector


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
        probe = probe_points(spec, repr([g for _, g in got_entries]), variables, tuple(e for _, e in ref_entries), seed,
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
        rel, abs_ = tolerances(spec, reference, ref)
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


def check_vector(spec: ExerciseSpec, answer: str, seed: int) -> Verdict:
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
