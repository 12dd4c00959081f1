"""Mastery, XP, the daily goal and the streak: what the learner has earned, from verified outcomes.

Mastery of a lesson moves new → practised → proficient → mastered:
- practised: something in the lesson was tried;
- proficient: every exercise of the lesson has been solved (a revealed solution is not a solve);
- mastered: proficient, then every reviewable exercise of the lesson passed in a review session
  on a later day than the day it became proficient, and none has failed since.

XP comes only from solves, weighted by the kind's difficulty; a solve that needed a wrong try or
a hint earns half, and a revealed or abandoned exercise earns nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from tutor.practice.episodes import Outcome
from tutor.practice.shape import CourseShape

NEW, PRACTISED, PROFICIENT, MASTERED = "new", "practised", "proficient", "mastered"
MASTERY_LEVELS = (NEW, PRACTISED, PROFICIENT, MASTERED)

KIND_XP: dict[str, int] = {
    "choice": 5, "numeric": 10, "vector": 10, "matrix": 15, "expression": 15, "derivative": 15,
    "antiderivative": 20, "gd": 15, "backprop": 25, "code": 30,
}
DEFAULT_GOAL = 50  # XP a day
FREEZE_EVERY = 7  # goal days that earn one freeze
MAX_FREEZES = 2


def day_of(moment: datetime, tz: tzinfo | None) -> date:
    """The learner's calendar day of a moment (their local time zone unless one is given)."""
    return moment.astimezone(tz).date()


# -- mastery -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LessonMastery:
    lesson: str
    level: str
    solved: int  # exercises with a verified solve
    total: int
    proficient_at: datetime | None = None  # the solve that made it proficient
    mastered_at: datetime | None = None  # the review pass that made it mastered
    tz: tzinfo | None = None

    @property
    def proficient_on(self) -> date | None:
        return None if self.proficient_at is None else day_of(self.proficient_at, self.tz)

    @property
    def mastered_on(self) -> date | None:
        return None if self.mastered_at is None else day_of(self.mastered_at, self.tz)


def lesson_mastery(lesson: str, outcomes: list[Outcome], shape: CourseShape, tz: tzinfo | None) -> LessonMastery:
    exercises = shape.exercises_of(lesson)
    mine = [o for o in outcomes if shape.lesson_of(o.exercise) == lesson and o.exercise in exercises]
    first_solve: dict[str, datetime] = {}
    for o in mine:
        if o.solved and o.exercise not in first_solve:
            first_solve[o.exercise] = o.ended
    total = len(exercises)
    if not mine:
        return LessonMastery(lesson, NEW, 0, total)
    if len(first_solve) < total or total == 0:
        return LessonMastery(lesson, PRACTISED, len(first_solve), total)
    proficient_at = max(first_solve.values())
    proficient_on = day_of(proficient_at, tz)
    reviewable = [e for e in exercises if shape.reviewable(e)]
    if not reviewable:  # nothing a review could ask: proficiency is as far as it goes
        return LessonMastery(lesson, PROFICIENT, total, total, proficient_at, tz=tz)
    passed_later: dict[str, datetime] = {}
    for exercise in reviewable:
        latest = [o for o in mine if o.exercise == exercise]
        if latest and not latest[-1].solved:
            break  # failed since: not mastered until it is passed again
        later = [o.ended for o in latest if o.review and o.solved and day_of(o.ended, tz) > proficient_on]
        if not later:
            break
        passed_later[exercise] = later[0]
    else:
        return LessonMastery(lesson, MASTERED, total, total, proficient_at, max(passed_later.values()), tz)
    return LessonMastery(lesson, PROFICIENT, total, total, proficient_at, tz=tz)


def mastery(outcomes: Iterable[Outcome], shape: CourseShape, tz: tzinfo | None = None) -> dict[str, LessonMastery]:
    ordered = sorted(outcomes, key=lambda o: o.ended)
    return {lesson: lesson_mastery(lesson, ordered, shape, tz) for lesson in shape.lessons}


# -- XP, goal, streak --------------------------------------------------------------------------------


def xp_of(outcome: Outcome, kind: str) -> int:
    if not outcome.solved:
        return 0
    base = KIND_XP.get(kind, 10)
    return base if outcome.first_try else base // 2


def daily_xp(outcomes: Iterable[Outcome], shape: CourseShape, tz: tzinfo | None = None) -> dict[date, int]:
    days: dict[date, int] = {}
    for o in outcomes:
        gained = xp_of(o, shape.kind_of(o.exercise))
        if gained:
            day = day_of(o.ended, tz)
            days[day] = days.get(day, 0) + gained
    return days


@dataclass(frozen=True)
class Streak:
    length: int  # goal days in the current streak (covered days are not counted, but do not break it)
    freezes: int  # missed days the streak can still absorb
    covered: tuple[date, ...]  # missed days a freeze absorbed
    today_done: bool


def streak(days: dict[date, int], goal: int, today: date) -> Streak:
    """Walk forward from the first goal day. A missed day spends a freeze if there is one (one is
    earned every FREEZE_EVERY goal days, at most MAX_FREEZES held), else the streak starts over.
    Today, still in progress, never breaks it."""
    goal = max(1, goal)
    hit = sorted(d for d, xp in days.items() if xp >= goal and d <= today)
    if not hit:
        return Streak(0, 0, (), False)
    length, freezes, earned_towards, covered = 0, 0, 0, []
    day = hit[0]
    while day <= today:
        if days.get(day, 0) >= goal:
            length += 1
            earned_towards += 1
            if earned_towards == FREEZE_EVERY:
                freezes, earned_towards = min(MAX_FREEZES, freezes + 1), 0
        elif day != today:
            if freezes:
                freezes -= 1
                covered.append(day)
            else:
                length, earned_towards, covered = 0, 0, []
        day += timedelta(days=1)
    return Streak(length, freezes, tuple(covered), days.get(today, 0) >= goal)
