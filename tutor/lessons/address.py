"""Find an exercise part from its address: `chain-rule/e1`, or `chain-rule/e11#a` for a part."""

from __future__ import annotations

from tutor import kinds
from tutor.checking.spec import ExerciseSpec
from tutor.lessons.model import Course, Exercise, ExercisePart


class AddressError(LookupError):
    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason  # unknown-exercise | needs-part | unknown-part | not-playable


def find_part(course: Course, address: str) -> tuple[Exercise, ExercisePart]:
    exercise_id, _, key = address.strip().partition("#")
    try:
        exercise = course.exercise(exercise_id)
    except KeyError:
        raise AddressError(f"no exercise '{exercise_id}' in the course", "unknown-exercise") from None
    if not kinds.get(exercise.kind).parts:  # an engine kind: the whole exercise is one answer
        if key:
            raise AddressError(f"{exercise_id} has no parts: use {exercise_id} without '#{key}'", "unknown-part")
        return exercise, ExercisePart("", exercise.prompt, ExerciseSpec(exercise.kind))
    keys = [part.key for part in exercise.parts]
    if not keys:
        raise AddressError(f"{exercise_id} has nothing to check", "not-playable")
    if keys == [""]:
        if key:
            raise AddressError(f"{exercise_id} has no parts: use {exercise_id} without '#{key}'", "unknown-part")
        return exercise, exercise.parts[0]
    listing = ", ".join(f"{exercise_id}#{k}" for k in keys)
    if not key:
        raise AddressError(f"{exercise_id} has parts; give one of: {listing}", "needs-part")
    try:
        return exercise, exercise.part(key)
    except KeyError:
        raise AddressError(f"{exercise_id} has no part '{key}'; its parts are: {listing}", "unknown-part") from None
