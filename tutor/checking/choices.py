"""The choice kind: a letter, a number or an option's text, mapped to the option it names."""

from __future__ import annotations

import re

from tutor.checking.reading import SpecError
from tutor.checking.spec import ExerciseSpec
from tutor.checking.verdict import Verdict


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


def check_choice(spec: ExerciseSpec, answer: str) -> Verdict:
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
