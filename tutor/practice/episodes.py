"""From what the learner did to how well they knew it: the events of one exercise grouped into
episodes, each ending in a verified outcome.

An episode starts with the first event on an exercise after the previous episode ended, and ends
with a correct answer that completes the exercise (solved), a revealed solution (revealed), or
— when the learner walks away after wrong tries or hints — with abandonment, once ABANDON_AFTER
has passed without a solve. An episode that only showed the exercise (no answer, no hint) is not
an outcome: nothing was asked of the learner yet.

The rating of an outcome never comes from the learner's opinion of themselves, only from these
facts (see `rating.py`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

What = Literal["shown", "wrong", "partial", "hint", "correct", "reveal"]
WHATS: tuple[str, ...] = ("shown", "wrong", "partial", "hint", "correct", "reveal")

ABANDON_AFTER = timedelta(hours=6)  # a try left this long without a solve counts as a failure


@dataclass(frozen=True)
class Event:
    """One thing that happened to one exercise. `review` marks events of a review session;
    `seed` is the variant the learner saw (None for the exercise as written)."""

    time: datetime
    exercise: str  # "chain-rule/e3"
    what: What
    review: bool = False
    seed: int | None = None


@dataclass(frozen=True)
class Outcome:
    exercise: str
    started: datetime  # the first event of the episode ("shown" when the UI recorded it)
    ended: datetime  # the deciding event (the solve, the reveal, the last try before walking away)
    result: Literal["solved", "revealed", "abandoned"]
    wrong: int  # wrong answers in the episode
    hints: int  # hints opened in the episode
    review: bool  # the episode was served by a review session
    seed: int | None = None
    timed: bool = False  # `started` is when the exercise was shown, so `seconds` is meaningful

    @property
    def solved(self) -> bool:
        return self.result == "solved"

    @property
    def first_try(self) -> bool:
        """Solved with no wrong answer and no hint."""
        return self.solved and self.wrong == 0 and self.hints == 0

    @property
    def seconds(self) -> float | None:
        return (self.ended - self.started).total_seconds() if self.timed else None


def outcomes(events: Iterable[Event], now: datetime | None = None) -> list[Outcome]:
    """Every finished episode, in the order they ended. With `now`, a try left open for longer
    than ABANDON_AFTER before `now` is finished as abandoned."""
    by_exercise: dict[str, list[Event]] = {}
    for event in sorted(events, key=lambda e: e.time):
        by_exercise.setdefault(event.exercise, []).append(event)
    found: list[Outcome] = []
    for exercise, stream in by_exercise.items():
        found.extend(_episodes(exercise, stream, now))
    found.sort(key=lambda o: (o.ended, o.exercise))
    return found


def _episodes(exercise: str, stream: list[Event], now: datetime | None) -> list[Outcome]:
    out: list[Outcome] = []
    open_events: list[Event] = []

    def close(result: str, at: datetime) -> None:
        first = open_events[0]
        out.append(Outcome(
            exercise=exercise, started=first.time, ended=at, result=result,  # type: ignore[arg-type]
            wrong=sum(e.what == "wrong" for e in open_events),
            hints=sum(e.what == "hint" for e in open_events),
            review=any(e.review for e in open_events),
            seed=next((e.seed for e in reversed(open_events) if e.seed is not None), None),
            timed=first.what == "shown",
        ))
        open_events.clear()

    for event in stream:
        if open_events and _tried(open_events) and event.time - open_events[-1].time >= ABANDON_AFTER:
            close("abandoned", open_events[-1].time)
        elif open_events and not _tried(open_events) and event.time - open_events[-1].time >= ABANDON_AFTER:
            open_events.clear()  # shown long ago and never tried: that visit asked nothing
        open_events.append(event)
        if event.what == "correct":
            close("solved", event.time)
        elif event.what == "reveal":
            close("revealed", event.time)
    if open_events and _tried(open_events) and now is not None and now - open_events[-1].time >= ABANDON_AFTER:
        close("abandoned", open_events[-1].time)
    return out


def _tried(events: list[Event]) -> bool:
    return any(e.what in ("wrong", "hint", "partial") for e in events)
