"""Achievements, each rule on a simulated history: what it counts, that hints and reveals never
earn one, that the earned time is the time of the event that crossed it, and that the app's
watch tells each one once."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from tutor.practice.achievements import Watch, earned_at, table
from tutor.practice.episodes import Event
from tutor.practice.service import Settings, practice
from tutor.practice.shape import CourseShape

UTC = timezone.utc
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

# Part 1: basics, middle; part 2: net (a backprop challenge and a numeric exercise).
SHAPE = CourseShape(
    lessons=("basics", "middle", "net", "notes"),
    lesson_part={"basics": 1, "middle": 1, "net": 2, "notes": 2},
    lesson_title={"basics": "Basics", "middle": "Middle", "net": "Net", "notes": "Notes"},
    requires={"basics": (), "middle": ("basics",), "net": ("middle",), "notes": ()},
    exercises={"basics": ("basics/e1", "basics/e2"), "middle": ("middle/e1",), "net": ("net/bp", "net/e1"),
               "notes": ()},
    kinds={"basics/e1": "numeric", "basics/e2": "numeric", "middle/e1": "numeric", "net/bp": "backprop",
           "net/e1": "numeric"},
    part_titles={1: "Foundations", 2: "Networks"},
)


def at(minutes: float, exercise: str, what: str, review: bool = False, seed: int | None = None) -> Event:
    return Event(T0 + timedelta(minutes=minutes), exercise, what, review, seed)  # type: ignore[arg-type]


def day(n: float) -> float:
    return n * 24 * 60


def status(events: list[Event], ident: str, settings: Settings | None = None, now: datetime | None = None):
    game = practice(events, SHAPE, now or events[-1].time + timedelta(hours=1), settings, UTC)
    found = {s.id: s for s in game.achievements}
    return found.get(ident)


def test_the_table_has_one_entry_per_part_titled_from_the_course_then_the_milestones():
    ids = [a.id for a in table(SHAPE)]
    assert len(ids) == len(set(ids))
    assert ids[:3] == ["part-1", "part-2", "course"]
    titles = {a.id: a.title for a in table(SHAPE)}
    assert "Foundations" in titles["part-1"] and "Networks" in titles["part-2"]
    assert {"first-mastery", "backprop-unaided", "first-try-25", "first-try-100", "review-week", "goal-week",
            "variants", "streak-week"} <= set(ids)


def test_a_part_is_finished_by_the_solve_that_makes_its_last_lesson_proficient():
    events = [at(0, "basics/e1", "correct"), at(1, "basics/e2", "wrong"), at(2, "basics/e2", "correct")]
    part = status(events, "part-1")
    assert (part.done, part.needed, part.earned) == (1, 2, None)  # basics proficient, middle not yet
    revealed = events + [at(3, "middle/e1", "reveal")]
    assert status(revealed, "part-1").earned is None  # a revealed solution is not a solve
    solved = revealed + [at(400, "middle/e1", "correct")]
    part = status(solved, "part-1")
    assert (part.done, part.needed, part.earned) == (2, 2, solved[-1].time)
    # A lesson with no exercises asks nothing; the course needs every lesson that has some.
    assert status(solved, "course").needed == 3 and status(solved, "course").earned is None
    done = solved + [at(500, "net/bp", "correct"), at(501, "net/e1", "correct")]
    assert status(done, "part-2").earned == status(done, "course").earned == done[-1].time


def test_a_first_mastery_is_a_review_pass_on_a_later_day_and_stays_earned_after_a_lapse():
    events = [at(0, "basics/e1", "correct"), at(1, "basics/e2", "correct")]
    same_day = events + [at(60, "basics/e1", "correct", True), at(61, "basics/e2", "correct", True)]
    assert status(same_day, "first-mastery").earned is None  # not spaced
    revealed = events + [at(day(2), "basics/e1", "correct", True), at(day(2) + 1, "basics/e2", "reveal", True)]
    assert status(revealed, "first-mastery").earned is None
    later = events + [at(day(2), "basics/e1", "correct", True), at(day(3), "basics/e2", "correct", True)]
    mastered = status(later, "first-mastery")
    assert (mastered.done, mastered.needed, mastered.earned) == (1, 1, later[-1].time)
    lapsed = later + [at(day(9), "basics/e2", "reveal", True)]
    assert status(lapsed, "first-mastery").earned == later[-1].time


def test_backprop_by_hand_needs_no_hint_and_no_wrong_step():
    assert status([at(0, "net/bp", "hint"), at(5, "net/bp", "correct")], "backprop-unaided").earned is None
    assert status([at(0, "net/bp", "wrong"), at(5, "net/bp", "correct")], "backprop-unaided").earned is None
    assert status([at(0, "net/bp", "reveal")], "backprop-unaided").earned is None
    assert status([at(0, "net/e1", "correct")], "backprop-unaided").earned is None  # not a backprop
    events = [at(0, "net/bp", "reveal"), at(day(1), "net/bp", "partial"), at(day(1) + 3, "net/bp", "correct")]
    assert status(events, "backprop-unaided").earned == events[-1].time


def test_first_tries_count_solves_with_no_wrong_try_and_no_hint():
    events, minute = [], 0
    for n in range(30):
        exercise = ("basics/e1", "basics/e2", "middle/e1")[n % 3]
        if n % 5 == 4:  # every fifth solve needed a hint: it does not count
            events.append(at(minute, exercise, "hint"))
            minute += 1
        events.append(at(minute, exercise, "correct"))
        minute += 1
    first = [e for i, e in enumerate(events) if e.what == "correct" and events[i - 1].what != "hint"]
    assert len(first) == 24
    found = status(events, "first-try-25")
    assert (found.done, found.needed, found.earned) == (24, 25, None)
    events.append(at(minute, "basics/e1", "correct"))
    assert status(events, "first-try-25").earned == events[-1].time
    assert status(events, "first-try-100").done == 25


def test_a_week_of_reviews_counts_days_with_a_passed_review():
    events = [at(0, "basics/e1", "correct")]
    for d in range(1, 7):
        events.append(at(day(d), "basics/e1", "correct", True))
        events.append(at(day(d) + 30, "basics/e1", "correct", True))  # a second one the same day: still one day
    events.append(at(day(7), "basics/e1", "reveal", True))  # a revealed review passes nothing
    found = status(events, "review-week")
    assert (found.done, found.needed, found.earned) == (6, 7, None)
    events += [at(day(8), "basics/e1", "correct", True), at(day(8) + 5, "basics/e2", "correct", True)]
    assert status(events, "review-week").earned == events[-2].time  # the first pass of the seventh day


def test_seven_goal_days_earned_by_the_solve_that_met_the_seventh_days_goal():
    goal = Settings(daily_goal=10)
    events = []
    for d in range(6):
        events.append(at(day(d), "basics/e1", "correct"))  # numeric first try: 10 XP
    events += [at(day(6), "middle/e1", "reveal"), at(day(6) + 1, "basics/e2", "hint"),
               at(day(6) + 2, "basics/e2", "correct")]  # a reveal: 0 XP; a helped solve: 5 XP
    found = status(events, "goal-week", goal)
    assert (found.done, found.needed, found.earned) == (6, 7, None)
    events.append(at(day(6) + 3, "middle/e1", "correct"))  # 5 + 10: the goal, at this solve
    events.append(at(day(6) + 4, "net/e1", "correct"))
    assert status(events, "goal-week", goal).earned == events[-2].time


def test_variant_solves_count_seeds_from_one():
    events = [at(n, "basics/e1", "correct", seed=0) for n in range(5)]
    events += [at(10 + n, "basics/e1", "correct", seed=n + 1) for n in range(9)]
    events.append(at(30, "basics/e2", "reveal", seed=3))
    found = status(events, "variants")
    assert (found.done, found.needed, found.earned) == (9, 10, None)
    events += [at(40, "basics/e2", "hint", seed=4), at(41, "basics/e2", "correct", seed=4)]  # a helped solve is a solve
    assert status(events, "variants").earned == events[-1].time


def test_a_weeks_streak_only_for_learners_who_opted_in():
    events = [at(day(d) + 60 * 3, "basics/e1", "correct") for d in range(7)]
    assert status(events, "streak-week", Settings(daily_goal=10, streak=False)) is None
    on = Settings(daily_goal=10, streak=True)
    three = status(events[:3], "streak-week", on)
    assert (three.done, three.needed, three.earned) == (3, 7, None)
    assert status(events, "streak-week", on).earned == events[-1].time
    broken = events[:3] + [at(day(d) + 60 * 3, "basics/e1", "correct") for d in range(5, 9)]
    assert status(broken, "streak-week", on).earned is None  # a missed day with no freeze starts over


def test_the_lesson_finish_names_what_it_earned():
    events = [at(0, "basics/e1", "correct"), at(1, "basics/e2", "correct"), at(2, "middle/e1", "correct")]
    game = practice(events, SHAPE, T0 + timedelta(hours=1), Settings(), UTC)
    finish = game.mastery["middle"].proficient_at
    assert finish == events[-1].time
    assert [s.id for s in earned_at(game.achievements, finish)] == ["part-1"]


def test_stats_carry_the_achievements_for_the_screen_and_the_json():
    events = [at(0, "net/bp", "correct")]
    stats = practice(events, SHAPE, T0 + timedelta(hours=1), Settings(), UTC).stats()
    data = json.loads(json.dumps(stats.to_json()))["achievements"]
    entry = next(a for a in data if a["id"] == "backprop-unaided")
    assert entry["earned"] == events[0].time.isoformat() and entry["progress"] == [1, 1]
    other = next(a for a in data if a["id"] == "first-try-25")
    assert other["earned"] is None and other["progress"] == [1, 25] and other["title"]


def test_the_watch_tells_each_new_achievement_once():
    history = [at(0, "net/bp", "correct")]  # earned before the app looked

    def look(events):
        return lambda: practice(events, SHAPE, T0 + timedelta(days=1), Settings(), UTC).achievements

    watch = Watch()
    # A first look for a key is taken before the write: what was earned already is not new.
    watch.before("session", look(history))
    assert watch.after(look(history)) == []
    history = history + [at(5, "basics/e1", "correct"), at(6, "basics/e2", "correct"), at(7, "middle/e1", "correct")]
    watch.before("session", look([]))  # the same key: no new first look
    assert [s.id for s in watch.after(look(history))] == ["part-1"]
    watch.before("session", look(history))
    assert watch.after(look(history)) == []  # never twice
    watch.before("other profile", look(history))
    assert watch.after(look(history)) == []  # a new key looks first

    def broken():
        raise RuntimeError("no replay")

    failing = Watch()
    try:
        failing.before("session", broken)
    except RuntimeError:
        pass
    assert failing.after(look(history)) == []  # no first look: nothing can be told as new
