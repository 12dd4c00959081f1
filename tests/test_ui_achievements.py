"""Achievements in the TUI: the answer that finishes part 1 earns "Part 1: Slopes" once — one
toast, the lesson-complete celebration names it — and the stats screen lists it with its date
and the rest with their progress."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from textual.widgets import Static
from uikit import make_app, text_of, wait_for

from tutor.progress import open_profile
from tutor.ui.screens.celebration import CelebrationScreen
from tutor.ui.screens.stats import StatsScreen

SIZE = (100, 32)
DAY0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
PART_1 = "Part 1: Slopes"


def all_but_the_last_answer(save_dir) -> None:
    """figures done; slopes done but for part b of its last exercise."""
    store, issue = open_profile(save_dir)
    assert issue is None
    t = DAY0.isoformat()
    store.record_attempt("figures/e1", "3x^2", "correct", time=t)
    for exercise, answer in (("slopes/e1", "6"), ("slopes/e2", "b"), ("slopes/e3", "3x^2cos(x^3)"),
                             ("slopes/e4", "[-4, 0, 4]")):
        store.record_attempt(exercise, answer, "correct", time=t)
    store.record_attempt("slopes/e5", "6", "correct", part="a", parts=("a", "b"), time=t)
    store.close(backup=False)


def toasts(app, words: str) -> int:
    return sum(words in str(n.message) for n in app._notifications)


async def answer(pilot, app, exercise: str, part: str, text: str) -> None:
    box = app.screen.query_one(f"#ex-{exercise.replace('/', '-')} #answer-{part}")
    box.focus()
    box.value = ""
    await pilot.press(*text, "enter")


async def test_the_finishing_answer_earns_the_part_once_with_a_toast_and_in_the_celebration(tmp_path, service):
    all_but_the_last_answer(tmp_path)
    app = make_app(tmp_path, service)
    app.session.clock = lambda: DAY0 + timedelta(minutes=30)
    async with app.run_test(size=SIZE) as pilot:
        app.open_lesson("slopes", page=2)
        await pilot.pause(0.2)
        await answer(pilot, app, "slopes/e5", "b", "24")
        await wait_for(pilot, lambda: isinstance(app.screen, CelebrationScreen))
        celebration = text_of(app.screen.query_one("#celebration-text", Static))
        assert f"★ Achievement: {PART_1}" in celebration
        await wait_for(pilot, lambda: toasts(app, PART_1) == 1)
        assert toasts(app, "first tries") == 0  # 6 first tries: 25 is far
        await pilot.press("escape")
        # Another right answer earns nothing new: no second toast.
        await answer(pilot, app, "slopes/e5", "b", "24")
        app.writer.flush()
        await pilot.pause(0.3)
        assert toasts(app, PART_1) == 1
        assert sum("Achievement" in str(n.title) for n in app._notifications) == 1


async def test_a_wrong_answer_earns_nothing(tmp_path, service):
    all_but_the_last_answer(tmp_path)
    app = make_app(tmp_path, service)
    app.session.clock = lambda: DAY0 + timedelta(minutes=30)
    async with app.run_test(size=SIZE) as pilot:
        app.open_lesson("slopes", page=2)
        await pilot.pause(0.2)
        await answer(pilot, app, "slopes/e5", "b", "23")
        await wait_for(pilot, lambda: app.session.record("slopes/e5").attempts[-1].answer == "23")
        app.writer.flush()
        await pilot.pause(0.3)
        assert not any("Achievement" in str(n.title) for n in app._notifications)


async def test_the_stats_screen_lists_earned_achievements_with_their_date_and_the_rest_with_progress(tmp_path, service):
    all_but_the_last_answer(tmp_path)
    store, _ = open_profile(tmp_path)
    store.record_attempt("slopes/e5", "24", "correct", part="b", parts=("a", "b"), time=DAY0.isoformat())
    store.close(backup=False)
    app = make_app(tmp_path, service)
    app.session.clock = lambda: DAY0 + timedelta(days=1)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: getattr(app.screen, "game", None) is not None)
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, StatsScreen))
        lines = text_of(app.screen.query_one("#stats-achievements", Static)).splitlines()
        assert lines[0] == f"★ {PART_1} · earned {DAY0.astimezone().date().isoformat()}"
        assert "○ Part 2: Chains · 0 / 2 lessons proficient" in lines
        assert "○ 25 first tries · 6 / 25 solves at the first try, with no hint" in lines
        summary = text_of(app.screen.query_one("#stats-summary", Static))
        assert f"Achievements: 1 of {len(lines)} earned" in summary
