"""What to do next: the review queue for a session, and "Continue"'s choice.

A review session serves what is due, the longest overdue first, interleaved across lessons (two
cards of one lesson are not served back to back while another lesson has something due), and
no more than the daily size the learner set, counting the reviews already done today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from tutor.practice.progress import PROFICIENT, MASTERED, LessonMastery, day_of
from tutor.practice.schedule import Deck
from tutor.practice.shape import CourseShape

DEFAULT_DAILY_REVIEWS = 20


def reviews_done_today(deck: Deck, now: datetime, tz: tzinfo | None) -> int:
    today = day_of(now, tz)
    return sum(1 for r in deck.reviews if r.in_review_session and not r.implicit and day_of(r.time, tz) == today)


def review_queue(deck: Deck, now: datetime, shape: CourseShape, daily_size: int = DEFAULT_DAILY_REVIEWS,
                 tz: tzinfo | None = None) -> list[str]:
    room = max(0, daily_size - reviews_done_today(deck, now, tz))
    by_lesson: dict[str, list[str]] = {}
    for exercise, _due in deck.due(now):  # longest overdue first
        by_lesson.setdefault(shape.lesson_of(exercise), []).append(exercise)
    lessons = sorted(by_lesson, key=lambda lesson: deck.cards[by_lesson[lesson][0]].due)
    queue: list[str] = []
    while len(queue) < room and any(by_lesson.values()):
        for lesson in lessons:
            if by_lesson[lesson] and len(queue) < room:
                queue.append(by_lesson[lesson].pop(0))
    return queue


@dataclass(frozen=True)
class Next:
    """Continue's choice: `what` is "review", "lesson" or "exercise" (or "done")."""

    what: str
    target: str = ""  # the lesson or exercise id
    reason: str = ""


def whats_next(queue: list[str], levels: dict[str, LessonMastery], shape: CourseShape,
               unsolved: list[str], current: str | None = None) -> Next:
    """Due reviews first (the queue is already bounded); then the lesson the learner was last in,
    while it still has open exercises (finish what was started); then the first lesson not yet
    proficient whose prerequisites are proficient; else the next unsolved exercise anywhere."""
    if queue:
        return Next("review", queue[0], f"{len(queue)} review{'s' if len(queue) != 1 else ''} due")
    ready = (PROFICIENT, MASTERED)
    open_lessons = {shape.lesson_of(exercise) for exercise in unsolved}
    if current in open_lessons and (levels.get(current) is None or levels[current].level not in ready):
        return Next("lesson", current, f"back to {shape.lesson_title.get(current, current)}")
    for lesson in shape.lessons:
        level = levels.get(lesson)
        if level is None or level.level in ready or not shape.exercises_of(lesson):
            continue
        if all(levels.get(r) is not None and levels[r].level in ready for r in shape.requires.get(lesson, ())):
            return Next("lesson", lesson, f"next lesson: {shape.lesson_title.get(lesson, lesson)}")
    if unsolved:
        return Next("exercise", unsolved[0], "an exercise still open")
    return Next("done", "", "everything is solved and nothing is due")
