"""An exercise checks itself: its references parse and have values, its own answer is accepted,
and every mistake it lists is rejected."""

from __future__ import annotations

from tutor.checking.engine import check
from tutor.checking.spec import CHECKED_KINDS, ExerciseSpec


def self_check(spec: ExerciseSpec) -> list[str]:
    if spec.kind not in CHECKED_KINDS:
        return [f"the checker cannot play kind '{spec.kind}'"]
    problems: list[str] = []
    if spec.kind in ("derivative", "antiderivative") and not spec.function:
        problems.append(f"a {spec.kind} exercise needs a 'function'")
        return problems
    if spec.kind not in ("derivative", "antiderivative") and not spec.answer:
        problems.append("the exercise has no 'answer'")
        return problems
    if spec.answer:
        verdict = check(spec, spec.answer)
        if verdict.diagnosis == "broken-exercise":
            return [verdict.message.removeprefix("This exercise cannot be checked: ")]
        if verdict.status != "correct":
            problems.append(f"the reference answer '{spec.answer}' is rejected by its own checker: {verdict.message}")
    elif spec.kind == "derivative":
        # No answer given: at least make sure the function has points where it can be checked.
        verdict = check(spec, spec.function or "")
        if verdict.diagnosis == "broken-exercise":
            return [verdict.message.removeprefix("This exercise cannot be checked: ")]
    for mistake in spec.mistakes:
        verdict = check(spec, mistake.answer)
        if verdict.status == "correct":
            problems.append(f"the mistake '{mistake.answer}' is accepted by the checker")
        elif verdict.status == "invalid":
            problems.append(f"the mistake '{mistake.answer}' cannot be read: {verdict.message}")
    return problems
