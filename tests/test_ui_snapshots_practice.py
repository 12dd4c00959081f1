"""The look of the stats screen and of the lesson-complete celebration, in a dark and a light
theme, on a fixed simulated history and clock.

Update the baselines after an intended change with
`pytest tests/test_ui_snapshots_practice.py --snapshot-update`, and look at the report first.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from uikit import answer_box, freeze_cursors, make_app, wait_for
from tutor.progress import open_profile
from tutor.ui.screens.celebration import CelebrationScreen
from tutor.ui.screens.stats import StatsScreen

SIZE = (100, 44)
DAY0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def history(save_dir, days: int) -> None:
    """A few days of lessons and reviews, as `tutor check --now` would have recorded them."""
    store, issue = open_profile(save_dir)
    assert issue is None
    store.set_setting("streak", True)
    store.set_setting("daily_goal", 15)
    t = lambda d, h=0: (DAY0 + timedelta(days=d, hours=h)).isoformat()  # noqa: E731
    store.record_attempt("slopes/e1", "6", "correct", time=t(0))
    store.record_attempt("slopes/e2", "a", "incorrect", time=t(0))
    store.record_attempt("slopes/e2", "b", "correct", time=t(0))
    store.record_attempt("slopes/e3", "x", "incorrect", time=t(0))
    store.record_reveal("slopes/e3", time=t(0))
    store.record_attempt("figures/e1", "3x^2", "correct", time=t(1))
    store.record_attempt("chains/e1", "2x", "incorrect", time=t(1))
    store.record_attempt("slopes/e3", "3x^2cos(x^3)", "correct", time=t(days), review=True)
    store.close(backup=False)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
def test_stats_screen(snap_compare, tmp_path, service, theme):
    history(tmp_path, 2)
    app = make_app(tmp_path, service)
    app.session.clock = lambda: DAY0 + timedelta(days=2, hours=3)

    async def open_stats(pilot):
        app.theme = theme
        await wait_for(pilot, lambda: getattr(app.screen, "game", None) is not None)
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, StatsScreen))
        await wait_for(pilot, lambda: app.screen.query_one("#stats-plot").settled)
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=SIZE, run_before=open_stats)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
def test_lesson_complete_celebration(snap_compare, tmp_path, service, theme):
    store, _ = open_profile(tmp_path)
    t = DAY0.isoformat()
    for exercise, answer in (("slopes/e1", "6"), ("slopes/e2", "b"), ("slopes/e3", "3x^2cos(x^3)"),
                             ("slopes/e4", "[-4, 0, 4]")):
        store.record_attempt(exercise, answer, "correct", time=t)
    store.record_attempt("slopes/e5", "6", "correct", part="a", parts=("a", "b"), time=t)
    store.close(backup=False)
    app = make_app(tmp_path, service)
    app.session.clock = lambda: DAY0 + timedelta(minutes=30)

    async def solve_the_last(pilot):
        app.theme = theme
        app.open_lesson("slopes", page=2)
        await pilot.pause(0.2)
        box = app.screen.query_one("#ex-slopes-e5 #answer-b")
        box.focus()
        box.value = ""
        await pilot.press("2", "4", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CelebrationScreen))
        freeze_cursors(app)
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=SIZE, run_before=solve_the_last)
