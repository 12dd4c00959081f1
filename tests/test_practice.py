"""The practice game's rules: ratings from verified outcomes, FSRS due dates on a simulated clock,
implicit credit to prerequisites, mastery, XP, the streak and the review queue."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from fsrs import Rating

from tutor.practice.episodes import ABANDON_AFTER, Event, outcomes
from tutor.practice.progress import (
    MASTERED, NEW, PRACTISED, PROFICIENT, KIND_XP, daily_xp, mastery, streak, xp_of,
)
from tutor.practice.queue import review_queue, whats_next
from tutor.practice.rating import QUICK_SECONDS, rate
from tutor.practice.schedule import CREDIT_BY_DEPTH, build_deck
from tutor.practice.shape import CourseShape

UTC = timezone.utc
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

# basics ← middle ← top: a chain of three lessons, two exercises each.
SHAPE = CourseShape(
    lessons=("basics", "middle", "top"),
    lesson_part={"basics": 1, "middle": 1, "top": 2},
    lesson_title={"basics": "Basics", "middle": "Middle", "top": "Top"},
    requires={"basics": (), "middle": ("basics",), "top": ("middle",)},
    exercises={"basics": ("basics/e1", "basics/e2"), "middle": ("middle/e1", "middle/e2"),
               "top": ("top/e1", "top/e2")},
    kinds={"basics/e1": "numeric", "basics/e2": "derivative", "middle/e1": "numeric",
           "middle/e2": "choice", "top/e1": "numeric", "top/e2": "code"},
)


def ev(minutes: float, exercise: str, what: str, review: bool = False) -> Event:
    return Event(T0 + timedelta(minutes=minutes), exercise, what, review)  # type: ignore[arg-type]


# -- episodes and ratings --------------------------------------------------------------------------


def test_a_first_try_solve_is_good_and_a_quick_one_is_easy():
    slow = outcomes([ev(0, "basics/e1", "shown"), ev(5, "basics/e1", "correct")])
    assert rate(slow[0], "numeric") == Rating.Good
    quick = outcomes([ev(0, "basics/e1", "shown"), ev(QUICK_SECONDS["numeric"] / 60 / 2, "basics/e1", "correct")])
    assert rate(quick[0], "numeric") == Rating.Easy
    untimed = outcomes([ev(0, "basics/e1", "correct")])  # no "shown": the time taken is unknown
    assert rate(untimed[0], "numeric") == Rating.Good


def test_a_wrong_try_or_a_hint_makes_it_hard():
    wrong = outcomes([ev(0, "basics/e1", "wrong"), ev(1, "basics/e1", "correct")])
    hinted = outcomes([ev(0, "basics/e1", "hint"), ev(1, "basics/e1", "correct")])
    assert rate(wrong[0], "numeric") == Rating.Hard and rate(hinted[0], "numeric") == Rating.Hard


def test_a_reveal_or_walking_away_is_again():
    revealed = outcomes([ev(0, "basics/e1", "wrong"), ev(1, "basics/e1", "reveal")])
    assert revealed[0].result == "revealed" and rate(revealed[0], "numeric") == Rating.Again
    left = [ev(0, "basics/e1", "wrong")]
    assert outcomes(left, now=T0 + ABANDON_AFTER / 2) == []  # still in progress
    gone = outcomes(left, now=T0 + ABANDON_AFTER * 2)
    assert gone[0].result == "abandoned" and rate(gone[0], "numeric") == Rating.Again
    # A visit that only looked at the exercise asks nothing of the learner.
    assert outcomes([ev(0, "basics/e1", "shown")], now=T0 + timedelta(days=3)) == []


def test_a_new_episode_starts_after_a_solve():
    found = outcomes([ev(0, "basics/e1", "wrong"), ev(1, "basics/e1", "correct"),
                      ev(60 * 24, "basics/e1", "correct", review=True)])
    assert [o.first_try for o in found] == [False, True]
    assert found[1].review


# -- scheduling ------------------------------------------------------------------------------------


def deck_after(events, now=None):
    return build_deck(outcomes(events, now), SHAPE)


def test_a_lesson_solve_is_not_asked_again_the_same_day_and_failures_come_back_sooner():
    good = deck_after([ev(0, "basics/e1", "correct")])
    again = deck_after([ev(0, "basics/e1", "reveal")])
    assert good.cards["basics/e1"].due - T0 >= timedelta(days=1)
    assert good.due(T0 + timedelta(hours=12)) == []
    assert again.cards["basics/e1"].due < good.cards["basics/e1"].due


def test_due_dates_move_out_with_each_successful_review_on_a_simulated_clock():
    events = [ev(0, "basics/e1", "correct")]
    deck = deck_after(events)
    gaps = []
    for _ in range(4):
        due = deck.cards["basics/e1"].due
        gaps.append(due)
        minutes = (due - T0).total_seconds() / 60
        events.append(ev(minutes, "basics/e1", "correct", review=True))
        deck = deck_after(events)
    intervals = [(b - a) for a, b in zip(gaps, gaps[1:])]
    assert all(later > earlier for earlier, later in zip(intervals, intervals[1:]))


def test_a_lapse_in_review_comes_back_within_the_sitting():
    events = [ev(0, "basics/e1", "correct"), ev(60 * 24 * 2, "basics/e1", "wrong", review=True),
              ev(60 * 24 * 2 + 1, "basics/e1", "reveal", review=True)]
    deck = deck_after(events)
    assert deck.cards["basics/e1"].due - (T0 + timedelta(days=2, minutes=1)) <= timedelta(minutes=10)


def test_code_exercises_are_not_reviewed():
    deck = deck_after([ev(0, "top/e2", "correct")])
    assert "top/e2" not in deck.cards


# -- implicit credit -------------------------------------------------------------------------------


def test_success_in_a_lesson_gives_discounted_credit_to_its_prerequisites():
    base = [ev(0, "basics/e1", "correct"), ev(1, "basics/e2", "correct")]
    deck = deck_after(base + [ev(10, "middle/e1", "correct")])
    assert deck.credit["basics/e1"] == pytest.approx(CREDIT_BY_DEPTH[0])  # half a review, not a whole one
    assert not any(r.implicit for r in deck.reviews)
    # Two successes in the dependent lesson add up to one implicit Good review of each basic card.
    deck = deck_after(base + [ev(10, "middle/e1", "correct"), ev(11, "middle/e2", "correct")])
    implicit = [r for r in deck.reviews if r.implicit]
    assert {r.exercise for r in implicit} == {"basics/e1", "basics/e2"}
    assert all(r.rating == Rating.Good for r in implicit)
    without = deck_after(base)
    assert deck.cards["basics/e1"].due > without.cards["basics/e1"].due  # drilled less


def test_credit_reaches_two_levels_down_at_a_quarter_and_halves_after_help():
    base = [ev(0, "basics/e1", "correct"), ev(1, "middle/e1", "correct")]
    deck = deck_after(base + [ev(10, "top/e1", "correct")])
    assert deck.credit["basics/e1"] == pytest.approx(CREDIT_BY_DEPTH[0] + CREDIT_BY_DEPTH[1])
    helped = deck_after(base + [ev(9, "top/e1", "wrong"), ev(10, "top/e1", "correct")])
    assert helped.credit["basics/e1"] == pytest.approx(CREDIT_BY_DEPTH[0] + CREDIT_BY_DEPTH[1] / 2)


def test_credit_never_stands_in_for_learning_an_unseen_exercise():
    deck = deck_after([ev(0, "middle/e1", "correct"), ev(1, "middle/e2", "correct")])
    assert "basics/e1" not in deck.cards and "basics/e1" not in deck.credit


def test_failures_pass_on_no_credit():
    base = [ev(0, "basics/e1", "correct")]
    deck = deck_after(base + [ev(10, "middle/e1", "reveal")])
    assert deck.credit.get("basics/e1", 0) == 0


# -- mastery, XP, streak ---------------------------------------------------------------------------


def test_mastery_moves_from_new_to_mastered():
    levels = mastery(outcomes([]), SHAPE, UTC)
    assert levels["basics"].level == NEW
    events = [ev(0, "basics/e1", "correct")]
    assert mastery(outcomes(events), SHAPE, UTC)["basics"].level == PRACTISED
    events.append(ev(1, "basics/e2", "reveal"))
    assert mastery(outcomes(events), SHAPE, UTC)["basics"].level == PRACTISED  # a reveal is not a solve
    events.append(ev(2, "basics/e2", "correct"))
    assert mastery(outcomes(events), SHAPE, UTC)["basics"].level == PROFICIENT
    same_day = events + [ev(60, "basics/e1", "correct", True), ev(61, "basics/e2", "correct", True)]
    assert mastery(outcomes(same_day), SHAPE, UTC)["basics"].level == PROFICIENT  # not spaced
    later = events + [ev(60 * 30, "basics/e1", "correct", True), ev(60 * 50, "basics/e2", "correct", True)]
    level = mastery(outcomes(later), SHAPE, UTC)["basics"]
    assert level.level == MASTERED and level.mastered_on == date(2026, 3, 4)
    lapsed = later + [ev(60 * 100, "basics/e2", "reveal", True)]
    assert mastery(outcomes(lapsed), SHAPE, UTC)["basics"].level == PROFICIENT


def test_xp_only_for_verified_work_weighted_by_kind_and_first_try():
    solved = outcomes([ev(0, "basics/e2", "correct")])[0]
    helped = outcomes([ev(0, "basics/e2", "hint"), ev(1, "basics/e2", "correct")])[0]
    revealed = outcomes([ev(0, "basics/e2", "reveal")])[0]
    assert xp_of(solved, "derivative") == KIND_XP["derivative"]
    assert 0 < xp_of(helped, "derivative") < xp_of(solved, "derivative")
    assert xp_of(revealed, "derivative") == 0
    assert xp_of(solved, "derivative") > xp_of(solved, "choice")


def test_daily_xp_sums_by_the_learners_day():
    found = outcomes([ev(0, "basics/e1", "correct"), ev(60 * 24, "basics/e2", "correct")])
    assert daily_xp(found, SHAPE, UTC) == {date(2026, 3, 2): 10, date(2026, 3, 3): 15}


def test_streak_counts_goal_days_and_a_freeze_covers_a_missed_day():
    start = date(2026, 3, 1)
    days = {start + timedelta(days=i): 60 for i in range(7)}  # a week of goal days earns a freeze
    days[start + timedelta(days=8)] = 60  # day 7 missed, day 8 met
    result = streak(days, 50, start + timedelta(days=8))
    assert result.length == 8 and result.covered == (start + timedelta(days=7),) and result.freezes == 0
    # Without a freeze, a missed day starts the streak over.
    short = {start: 60, start + timedelta(days=2): 60}
    assert streak(short, 50, start + timedelta(days=2)).length == 1
    # Today, not yet done, does not break it.
    assert streak({start: 60}, 50, start + timedelta(days=1)).length == 1


# -- the queue and what next -----------------------------------------------------------------------


def test_the_review_queue_interleaves_lessons_and_respects_the_daily_size():
    events = [ev(0, "basics/e1", "correct"), ev(1, "basics/e2", "correct"),
              ev(2, "middle/e1", "correct"), ev(3, "middle/e2", "correct")]
    deck = deck_after(events)
    later = T0 + timedelta(days=30)
    queue = review_queue(deck, later, SHAPE, daily_size=10, tz=UTC)
    lessons = [SHAPE.lesson_of(e) for e in queue]
    assert sorted(queue) == sorted(deck.cards) and all(a != b for a, b in zip(lessons, lessons[1:]))
    assert len(review_queue(deck, later, SHAPE, daily_size=3, tz=UTC)) == 3
    # Reviews done today use up the day's size.
    done = events + [ev(60 * 24 * 30, "basics/e1", "correct", True)]
    assert len(review_queue(deck_after(done), later + timedelta(minutes=1), SHAPE, daily_size=3, tz=UTC)) == 2


def test_continue_picks_reviews_then_the_next_ready_lesson():
    events = [ev(0, "basics/e1", "correct"), ev(1, "basics/e2", "correct")]
    levels = mastery(outcomes(events), SHAPE, UTC)
    assert whats_next(["basics/e1"], levels, SHAPE, []).what == "review"
    nxt = whats_next([], levels, SHAPE, ["middle/e1"])
    assert (nxt.what, nxt.target) == ("lesson", "middle")


def test_continue_finishes_the_lesson_in_progress_before_starting_the_next():
    # basics/e2 was skipped; the learner went on into 'middle' and stopped there.
    events = [ev(0, "basics/e1", "correct"), ev(2, "middle/e1", "correct")]
    levels = mastery(outcomes(events), SHAPE, UTC)
    open_ = ["basics/e2", "middle/e2", "top/e1"]
    assert whats_next([], levels, SHAPE, open_).target == "basics"  # no lesson in progress: the first open one
    nxt = whats_next([], levels, SHAPE, open_, current="middle")
    assert (nxt.what, nxt.target) == ("lesson", "middle") and "back to" in nxt.reason
    events = [ev(0, "basics/e1", "correct"), ev(1, "basics/e2", "correct"), ev(2, "middle/e1", "correct")]
    # A finished (proficient) current lesson hands over to the next ready one...
    done = events + [ev(3, "middle/e2", "correct")]
    levels = mastery(outcomes(done), SHAPE, UTC)
    nxt = whats_next([], levels, SHAPE, ["top/e1"], current="middle")
    assert (nxt.what, nxt.target) == ("lesson", "top")
    # ...and due reviews still come first.
    assert whats_next(["basics/e1"], levels, SHAPE, ["top/e1"], current="top").what == "review"
