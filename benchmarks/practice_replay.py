"""How long the practice game takes to replay a long history (the course map and the review
screen rebuild it on each refresh; the save writer once per answer, for the achievements).
Prints medians; no asserts.

    python benchmarks/practice_replay.py [EVENTS ...]
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tutor.lessons.loader import load_course
from tutor.practice.episodes import Event
from tutor.practice.service import practice
from tutor.practice.shape import shape_of

ROOT = Path(__file__).resolve().parent.parent


def history(n: int, exercises: list[str]) -> list[Event]:
    rng = random.Random(1)
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    events, t = [], start
    while len(events) < n:
        exercise = rng.choice(exercises)
        t += timedelta(minutes=rng.randint(1, 300))
        for what in rng.choice([["correct"], ["wrong", "correct"], ["hint", "correct"], ["wrong", "reveal"]]):
            events.append(Event(t, exercise, what))  # type: ignore[arg-type]
    return events[:n]


def main(sizes: list[int]) -> None:
    shape = shape_of(load_course(ROOT / "lessons"))
    exercises = [e for lesson in shape.lessons for e in shape.exercises_of(lesson)]
    for n in sizes:
        events = history(n, exercises)
        now = events[-1].time + timedelta(days=1)
        times, achieved = [], []
        for _ in range(5):
            t0 = time.perf_counter()
            game = practice(events, shape, now)
            game.queue(), game.mastery, game.xp_days
            t1 = time.perf_counter()
            game.stats()  # with the achievements
            times.append(time.perf_counter() - t0)
            achieved.append(time.perf_counter() - t1)
        print(f"{n:>7} events: replay + queue + stats {statistics.median(times) * 1000:8.1f} ms "
              f"(achievements and the rest of the stats {statistics.median(achieved) * 1000:.1f} ms; median of 5)")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 1000, 10000])
