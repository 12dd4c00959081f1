"""`Session.next_unsolved`: the F6 key's rule, across pages and lessons."""

from __future__ import annotations

from pathlib import Path

from tutor.checking.verdict import Verdict
from tutor.session import Session

FIXTURE_LESSONS = Path(__file__).parent / "fixtures" / "lessons"


def test_next_unsolved_goes_on_in_course_order_and_skips_solved_ones(tmp_path):
    session = Session.open(FIXTURE_LESSONS, tmp_path, "default")
    order = [exercise.id for _, _, exercise in session.course_exercises()]
    first, second, third = order[:3]
    assert session.next_unsolved(None)[2].id == first
    assert session.next_unsolved(first)[2].id == second
    session.record_verdict(session.find_exercise(second)[2], "", "b", Verdict("correct", "Correct."))
    assert session.next_unsolved(first)[2].id == third  # a solved one is skipped
    lesson, page, exercise = session.next_unsolved(order[-1])
    assert exercise.id == first  # round to the start
    last_of_lesson = [e for l, _, e in session.course_exercises() if l.id == lesson.id][-1]
    assert session.next_unsolved(last_of_lesson.id)[0].id != lesson.id  # on into the next lesson
