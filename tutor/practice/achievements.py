"""Achievements: real milestones, read from the replayed history like mastery and XP, never kept
in a counter of their own that could drift from it.

One table (`table`), one entry per achievement: its id, its title, what it asks, and a rule — a
function of the game's state giving how far the learner is (done of needed) and when it was
earned: the time of the event that crossed it. Every rule counts verified solves, so a hint or a
revealed solution never earns one (a solve after a hint still counts where the entry says
"solve", never where it says "first try"). Once crossed, an achievement stays earned: a lesson
mastered and lapsed since was still mastered once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from tutor.practice.episodes import Outcome
from tutor.practice.progress import MASTERED, PROFICIENT, day_of, lesson_mastery, streak, xp_of

if TYPE_CHECKING:  # pragma: no cover - types only
    from tutor.practice.service import Practice
    from tutor.practice.shape import CourseShape

FIRST_TRY_STEPS = (25, 100)
REVIEW_DAYS = 7
GOAL_DAYS = 7
VARIANT_SOLVES = 10
STREAK_DAYS = 7


@dataclass(frozen=True)
class Reached:
    """How far a learner is towards one achievement."""

    done: int
    needed: int
    earned: datetime | None = None  # the time of the event that crossed it; None while not


@dataclass(frozen=True)
class Achievement:
    id: str
    title: str
    asks: str
    rule: Callable[[Practice], Reached]
    applies: Callable[[Practice], bool] = lambda _game: True  # e.g. only for learners who opted in


@dataclass(frozen=True)
class Status:
    """One achievement as the learner stands with it now."""

    id: str
    title: str
    asks: str
    done: int
    needed: int
    earned: datetime | None
    earned_on: date | None = None  # the learner's day of `earned`

    def line(self) -> str:
        """How the stats screen and `tutor stats` say it."""
        if self.earned_on is not None:
            return f"★ {self.title} · earned {self.earned_on.isoformat()}"
        return f"○ {self.title} · {self.done} / {self.needed} {self.asks}"

    def to_json(self) -> dict:
        return {"id": self.id, "title": self.title, "asks": self.asks,
                "earned": None if self.earned is None else self.earned.isoformat(),
                "progress": [self.done, self.needed]}


# -- rules -------------------------------------------------------------------------------------------


def nth(times: Iterable[datetime], needed: int) -> Reached:
    """`needed` milestones, each reached at one of `times`: earned at the one that made `needed`."""
    ordered = sorted(times)
    earned = ordered[needed - 1] if len(ordered) >= needed else None
    return Reached(min(len(ordered), needed), needed, earned)


def _ready_lessons(game: Practice, lessons: Iterable[str]) -> Reached:
    """Every lesson (with exercises) proficient: earned when the last of them became so."""
    wanted = [lesson for lesson in lessons if game.shape.exercises_of(lesson)]
    times = [game.mastery[lesson].proficient_at for lesson in wanted
             if game.mastery[lesson].level in (PROFICIENT, MASTERED)]
    return nth([t for t in times if t is not None], len(wanted)) if wanted else Reached(0, 0)


def part_finished(part: int) -> Callable[[Practice], Reached]:
    return lambda game: _ready_lessons(game, game.shape.lessons_of_part(part))


def course_finished(game: Practice) -> Reached:
    return _ready_lessons(game, game.shape.lessons)


def first_mastered_at(lesson: str, mine: list[Outcome], shape: CourseShape, tz) -> datetime | None:
    """The first moment `lesson` was mastered (it may have lapsed since), replaying `mine`, the
    lesson's outcomes in time order. Only review passes made after every reviewable exercise of
    the lesson had one can be that moment, so the replay starts there."""
    reviewable = [e for e in shape.exercises_of(lesson) if shape.reviewable(e)]
    first_pass: dict[str, datetime] = {}
    for outcome in mine:
        if outcome.review and outcome.solved:
            first_pass.setdefault(outcome.exercise, outcome.ended)
    if not reviewable or any(e not in first_pass for e in reviewable):
        return None
    start = max(first_pass[e] for e in reviewable)
    for index, outcome in enumerate(mine):
        if outcome.ended >= start and outcome.review and outcome.solved:
            if lesson_mastery(lesson, mine[:index + 1], shape, tz).level == MASTERED:
                return outcome.ended
    return None


def lesson_mastered(game: Practice) -> Reached:
    by_lesson: dict[str, list[Outcome]] = {}
    for outcome in game.outcomes:
        by_lesson.setdefault(game.shape.lesson_of(outcome.exercise), []).append(outcome)
    found = (first_mastered_at(lesson, by_lesson.get(lesson, []), game.shape, game.tz) for lesson in game.shape.lessons
             if game.mastery[lesson].level in (PROFICIENT, MASTERED))  # never proficient: never mastered
    return nth([t for t in found if t is not None], 1)


def backprop_unaided(game: Practice) -> Reached:
    return nth([o.ended for o in game.outcomes if o.first_try and game.shape.kind_of(o.exercise) == "backprop"], 1)


def first_tries(needed: int) -> Callable[[Practice], Reached]:
    return lambda game: nth([o.ended for o in game.outcomes if o.first_try], needed)


def _first_of_each_day(times: Iterable[datetime], tz) -> list[datetime]:
    first: dict[date, datetime] = {}
    for t in sorted(times):
        first.setdefault(day_of(t, tz), t)
    return list(first.values())


def review_days(game: Practice) -> Reached:
    """Reviews passed on different days: each day counts from its first passed review."""
    passed = [o.ended for o in game.outcomes if o.review and o.solved]
    return nth(_first_of_each_day(passed, game.tz), REVIEW_DAYS)


def goal_crossings(game: Practice) -> dict[date, datetime]:
    """For each day the daily goal was met, the solve that brought that day's XP to the goal."""
    goal = max(1, game.settings.daily_goal)
    totals: dict[date, int] = {}
    crossed: dict[date, datetime] = {}
    for outcome in game.outcomes:  # in the order they ended
        gained = xp_of(outcome, game.shape.kind_of(outcome.exercise))
        if not gained:
            continue
        day = day_of(outcome.ended, game.tz)
        totals[day] = totals.get(day, 0) + gained
        if totals[day] >= goal and day not in crossed:
            crossed[day] = outcome.ended
    return crossed


def goal_days(game: Practice) -> Reached:
    return nth(goal_crossings(game).values(), GOAL_DAYS)


def variant_solves(game: Practice) -> Reached:
    return nth([o.ended for o in game.outcomes if o.solved and (o.seed or 0) >= 1], VARIANT_SOLVES)


def streak_week(game: Practice) -> Reached:
    """A streak of STREAK_DAYS goal days: earned by the solve that met the goal on its last day.
    Until then, progress is the streak as it stands."""
    goal = game.settings.daily_goal
    for day, when in sorted(goal_crossings(game).items()):
        if streak(game.xp_days, goal, day).length >= STREAK_DAYS:
            return Reached(STREAK_DAYS, STREAK_DAYS, when)
    now = streak(game.xp_days, goal, game.today).length
    return Reached(min(now, STREAK_DAYS), STREAK_DAYS)


# -- the table ---------------------------------------------------------------------------------------


def table(shape: CourseShape) -> tuple[Achievement, ...]:
    """Every achievement of this course, in the order they are shown. `asks` names what is
    counted: it reads after the progress ("3 / 7 days with a review passed")."""
    return (
        *(Achievement(f"part-{part}", f"Part {part}: {shape.part_titles[part]}" if shape.part_titles.get(part)
                      else f"Part {part}", "lessons proficient", part_finished(part))
          for part in shape.parts if any(shape.exercises_of(lesson) for lesson in shape.lessons_of_part(part))),
        Achievement("course", "The whole course", "lessons proficient", course_finished),
        Achievement("first-mastery", "First lesson mastered",
                    "lesson passed again in a review on a later day", lesson_mastered),
        Achievement("backprop-unaided", "Backprop by hand",
                    "backprop challenge with no hint and no wrong step", backprop_unaided),
        *(Achievement(f"first-try-{n}", f"{n} first tries", "solves at the first try, with no hint",
                      first_tries(n)) for n in FIRST_TRY_STEPS),
        Achievement("review-week", "A week of reviews", "days with a review passed", review_days),
        Achievement("goal-week", "Seven goal days", "days with the daily goal met", goal_days),
        Achievement("variants", "Same idea, new numbers", "solves of another variant", variant_solves),
        Achievement("streak-week", "A week's streak", "goal days in a row", streak_week,
                    applies=lambda game: game.settings.streak),
    )


def statuses(game: Practice) -> list[Status]:
    """Every achievement that applies to this learner, with where they stand."""
    found = []
    for achievement in table(game.shape):
        if achievement.applies(game):
            reached = achievement.rule(game)
            found.append(Status(achievement.id, achievement.title, achievement.asks, reached.done, reached.needed,
                                reached.earned, None if reached.earned is None else day_of(reached.earned, game.tz)))
    return found


def shown_in_order(found: Iterable[Status]) -> list[Status]:
    """Earned ones first, in the order they were earned; then the rest, in the table's order."""
    found = list(found)
    earned = sorted((s for s in found if s.earned is not None), key=lambda s: s.earned)  # type: ignore[arg-type, return-value]
    return earned + [s for s in found if s.earned is None]


def earned_ids(found: Iterable[Status]) -> frozenset[str]:
    return frozenset(s.id for s in found if s.earned is not None)


def earned_at(found: Iterable[Status], moment: datetime) -> list[Status]:
    """The achievements crossed by the event at `moment` (a lesson's finishing solve)."""
    return [s for s in found if s.earned == moment]


class Watch:
    """Tells each newly earned achievement once, for whoever records answers (the app's writer).

    Around each write: `before(key, look)` takes a first look when `key` (the session and its
    settings) is new, so nothing earned earlier is told as new; `after(look)` returns what was
    earned since the last look. Nothing is told twice."""

    def __init__(self) -> None:
        self._key: object = None
        self._earned: frozenset[str] = frozenset()

    def before(self, key: object, look: Callable[[], list[Status]]) -> None:
        if key != self._key:
            self._key = None  # until the look succeeds
            self._earned, self._key = earned_ids(look()), key

    def after(self, look: Callable[[], list[Status]]) -> list[Status]:
        if self._key is None:
            return []  # no first look to compare with
        now = look()
        new = [s for s in now if s.earned is not None and s.id not in self._earned]
        self._earned = self._earned | earned_ids(now)
        return new
