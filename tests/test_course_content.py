"""The real course in lessons/: it validates, and every answer key agrees with the checker.

Parametrized per exercise part, so a failure names the exercise to fix.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tutor.checking import check
from tutor.lessons.exercises import variant
from tutor.lessons.loader import load_course
from tutor.lessons.validate import validate_course

LESSONS = Path(__file__).parent.parent / "lessons"
COURSE = load_course(LESSONS)

# derivative / antiderivative exercises may leave `answer` out: the checker derives it.
PARTS = [
    pytest.param(part, id=f"{exercise.id}#{part.key}" if part.key else exercise.id)
    for lesson in COURSE.lessons.values()
    for exercise in lesson.exercises
    for part in exercise.parts
    if part.spec.answer is not None
]
MISTAKES = [
    pytest.param(part, mistake, id=f"{exercise.id}{'#' + part.key if part.key else ''}: {mistake.answer}")
    for lesson in COURSE.lessons.values()
    for exercise in lesson.exercises
    for part in exercise.parts
    for mistake in part.spec.mistakes
]


def test_the_course_validates_without_errors():
    errors = [str(p) for p in validate_course(COURSE) if p.severity == "error"]
    assert errors == []


def test_the_course_has_lessons_and_exercises():
    assert COURSE.parts and PARTS


@pytest.mark.parametrize("part", PARTS)
def test_reference_answer_is_accepted(part):
    verdict = check(part.spec, part.spec.answer)
    assert verdict.status == "correct", verdict.message


@pytest.mark.parametrize(("part", "mistake"), MISTAKES)
def test_listed_mistake_is_rejected(part, mistake):
    verdict = check(part.spec, mistake.answer)
    assert verdict.status == "incorrect", verdict.message


# What a placeholder written without its style leaves in a variant's text: an operator before a
# negative number ("4 − −8": use {a:par}), a power of one ("x¹", "e¹": use {a:pow}).
CLUMSY = re.compile(r"[+−·] ?−|(?<=[a-zA-Z])¹(?![⁰¹²³⁴⁵⁶⁷⁸⁹ᐟ])")
FAMILIES = [pytest.param(exercise, id=exercise.id) for lesson in COURSE.lessons.values()
            for exercise in lesson.exercises if exercise.family is not None]


@pytest.mark.parametrize("exercise", FAMILIES)
def test_every_variant_reads_cleanly(exercise):
    for seed in range(0, 21):
        one = variant(exercise, seed)
        texts = [one.prompt, one.solution, *one.hints]
        for part in one.parts:
            texts += [part.prompt, *(m.message for m in part.spec.mistakes)]
        clumsy = [(seed, m.group(0), text[max(0, m.start() - 25):m.end() + 10]) for text in texts if text
                  for m in CLUMSY.finditer(text)]
        assert not clumsy, clumsy
