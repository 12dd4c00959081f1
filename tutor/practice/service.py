"""The practice game in one place for a UI or a command: from the store's events, the course
shape, the learner's settings and a clock (settable, so scheduling is testable), everything the
game shows — the review deck and what is due, mastery, XP, the streak, Continue's choice and the
stats. Pure: nothing here reads a file or knows about Textual."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from functools import cached_property

from tutor.practice.achievements import Status, statuses
from tutor.practice.episodes import Event, Outcome, outcomes
from tutor.practice.progress import (
    MASTERY_LEVELS, DEFAULT_GOAL, LessonMastery, Streak, daily_xp, day_of, mastery, streak, xp_of,
)
from tutor.practice.queue import DEFAULT_DAILY_REVIEWS, Next, review_queue, whats_next
from tutor.practice.schedule import Deck, build_deck
from tutor.practice.shape import CourseShape

XP_DAYS = 30  # the stats' XP chart
DUE_DAYS = 14  # the stats' forecast of reviews

# The profile settings the game reads (the learner sets them; stored by the progress store).
DAILY_REVIEWS_KEY, DAILY_GOAL_KEY, STREAK_KEY = "daily_reviews", "daily_goal", "streak"


@dataclass(frozen=True)
class Settings:
    daily_reviews: int = DEFAULT_DAILY_REVIEWS
    daily_goal: int = DEFAULT_GOAL
    streak: bool = False  # opt-in

    @classmethod
    def of(cls, values: Mapping[str, object]) -> Settings:
        """From a profile's settings; a missing or unusable value takes the default."""
        def number(key: str, default: int, low: int, high: int) -> int:
            value = values.get(key)
            return min(high, max(low, value)) if type(value) is int else default
        return cls(number(DAILY_REVIEWS_KEY, DEFAULT_DAILY_REVIEWS, 1, 500),
                   number(DAILY_GOAL_KEY, DEFAULT_GOAL, 1, 10_000),
                   values.get(STREAK_KEY) is True)


@dataclass(frozen=True)
class PartStats:
    part: int
    title: str
    correct: int  # answers checked correct (parts included)
    answered: int  # answers checked correct or wrong
    mastery: dict[str, int]  # level -> lessons of the part at that level

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.answered if self.answered else None


@dataclass(frozen=True)
class Stats:
    today: date
    xp_total: int
    xp_today: int
    daily_goal: int
    xp_per_day: list[tuple[date, int]]  # the last XP_DAYS days, oldest first, today last
    due_per_day: list[tuple[date, int]]  # the next DUE_DAYS days from today (overdue counts today)
    parts: list[PartStats]
    streak: Streak | None  # None when the learner has not opted in
    due_now: int
    achievements: list[Status] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "today": self.today.isoformat(),
            "xp_total": self.xp_total,
            "xp_today": self.xp_today,
            "daily_goal": self.daily_goal,
            "xp_per_day": [{"day": d.isoformat(), "xp": xp} for d, xp in self.xp_per_day],
            "reviews_due_per_day": [{"day": d.isoformat(), "due": n} for d, n in self.due_per_day],
            "due_now": self.due_now,
            "parts": [{"part": p.part, "title": p.title, "correct": p.correct, "answered": p.answered,
                       "accuracy": p.accuracy, "mastery": p.mastery} for p in self.parts],
            "streak": None if self.streak is None else {
                "length": self.streak.length, "freezes": self.streak.freezes,
                "covered": [d.isoformat() for d in self.streak.covered], "today_done": self.streak.today_done,
            },
            "achievements": [a.to_json() for a in self.achievements],
        }


@dataclass
class Practice:
    """The game's state at `now`. Built once per question asked (it replays the whole history:
    milliseconds for years of use)."""

    shape: CourseShape
    events: list[Event]
    now: datetime
    settings: Settings = field(default_factory=Settings)
    tz: tzinfo | None = None  # the learner's day; their local time zone unless given

    @cached_property
    def outcomes(self) -> list[Outcome]:
        return outcomes(self.events, self.now)

    @cached_property
    def deck(self) -> Deck:
        return build_deck(self.outcomes, self.shape)

    @cached_property
    def mastery(self) -> dict[str, LessonMastery]:
        return mastery(self.outcomes, self.shape, self.tz)

    @cached_property
    def xp_days(self) -> dict[date, int]:
        return daily_xp(self.outcomes, self.shape, self.tz)

    @cached_property
    def seeds(self) -> dict[str, set[int]]:
        """exercise -> the variants its events name (answered, shown, hinted, revealed)."""
        found: dict[str, set[int]] = {}
        for event in self.events:
            if event.seed is not None:
                found.setdefault(event.exercise, set()).add(event.seed)
        return found

    @cached_property
    def achievements(self) -> list[Status]:
        return statuses(self)

    @property
    def today(self) -> date:
        return day_of(self.now, self.tz)

    def due(self) -> list[tuple[str, datetime]]:
        """Every card due now, one per exercise family, the longest overdue first."""
        return self.deck.due(self.now)

    def queue(self) -> list[str]:
        """What a review session serves now: due cards mixed across lessons, within the daily size."""
        return review_queue(self.deck, self.now, self.shape, self.settings.daily_reviews, self.tz)

    def whats_next(self, unsolved: list[str], current: str | None = None) -> Next:
        return whats_next(self.queue(), self.mastery, self.shape, unsolved, current)

    def streak(self) -> Streak | None:
        return streak(self.xp_days, self.settings.daily_goal, self.today) if self.settings.streak else None

    def lesson_xp(self, lesson: str) -> int:
        return sum(xp_of(o, self.shape.kind_of(o.exercise)) for o in self.outcomes
                   if self.shape.lesson_of(o.exercise) == lesson)

    def stats(self) -> Stats:
        """Everything the stats screen and `tutor stats` show (counted once per game)."""
        return self._stats

    @cached_property
    def _stats(self) -> Stats:
        today = self.today
        xp_per_day = [(d, self.xp_days.get(d, 0))
                      for d in (today - timedelta(days=XP_DAYS - 1 - i) for i in range(XP_DAYS))]
        due_counts: dict[date, int] = {}
        for card in self.deck.cards.values():
            day = max(today, day_of(card.due, self.tz))
            due_counts[day] = due_counts.get(day, 0) + 1
        due_per_day = [(d, due_counts.get(d, 0)) for d in (today + timedelta(days=i) for i in range(DUE_DAYS))]
        return Stats(
            today=today,
            xp_total=sum(self.xp_days.values()),
            xp_today=self.xp_days.get(today, 0),
            daily_goal=self.settings.daily_goal,
            xp_per_day=xp_per_day,
            due_per_day=due_per_day,
            parts=self._parts(),
            streak=self.streak(),
            due_now=len(self.due()),
            achievements=self.achievements,
        )

    def _parts(self) -> list[PartStats]:
        answered: dict[int, list[int]] = {}
        for event in self.events:
            if event.what in ("wrong", "partial", "correct"):
                part = self.shape.lesson_part.get(self.shape.lesson_of(event.exercise))
                if part is not None:
                    counts = answered.setdefault(part, [0, 0])
                    counts[0] += event.what != "wrong"
                    counts[1] += 1
        found = []
        for part in self.shape.parts:
            levels = dict.fromkeys(MASTERY_LEVELS, 0)
            for lesson in self.shape.lessons_of_part(part):
                if self.shape.exercises_of(lesson):
                    levels[self.mastery[lesson].level] += 1
            correct, total = answered.get(part, [0, 0])
            found.append(PartStats(part, self.shape.part_titles.get(part, f"Part {part}"), correct, total, levels))
        return found


def practice(events: Iterable[Event], shape: CourseShape, now: datetime, settings: Settings | None = None,
             tz: tzinfo | None = None) -> Practice:
    return Practice(shape, sorted(events, key=lambda e: e.time), now, settings or Settings(), tz)
