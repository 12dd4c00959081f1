"""The practice game in the TUI: a review session played over three simulated days, the course
map's due line and mastery words, the stats screen and the lesson-complete celebration."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from textual.widgets import Static
from uikit import answer_box, make_app, text_of, wait_for

from tutor.progress import open_profile
from tutor.ui.widgets.exercise_card import ExerciseCard
from tutor.ui.screens.course_map import CourseMapScreen
from tutor.ui.screens.review import ReviewScreen
from tutor.ui.screens.stats import StatsScreen

SIZE = (100, 32)
DAY0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
ANSWERS = {"slopes/e1": "6", "slopes/e3": "3x^2cos(x^3)", "figures/e1": "3x^2"}


def lesson_history(save_dir) -> None:
    """Day 0, in the lessons: slopes/e1 first try (Good), slopes/e3 revealed (Again), figures/e1
    after a wrong try (Hard)."""
    store, issue = open_profile(save_dir)
    assert issue is None
    t = DAY0.isoformat()
    store.record_attempt("slopes/e1", "6", "correct", time=t)
    store.record_attempt("slopes/e3", "1", "incorrect", time=t)
    store.record_reveal("slopes/e3", time=t)
    store.record_attempt("figures/e1", "x", "incorrect", time=t)
    store.record_attempt("figures/e1", "3x^2", "correct", time=t)
    store.close(backup=False)


def at(app, day: int) -> None:
    app.session.clock = lambda: DAY0 + timedelta(days=day, hours=1)


async def play_review(pilot, app) -> list[str]:
    """Open the review from the course map and answer every card right; the cards served."""
    await pilot.press("r")
    await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
    screen = app.screen
    served = []
    while screen.current is not None:
        exercise = screen.current
        served.append(exercise)
        await wait_for(pilot, lambda: any(c.exercise.id == exercise for c in screen.query(ExerciseCard)))
        await pilot.pause()
        box = answer_box(app, exercise)
        box.focus()
        box.value = ""
        await pilot.press(*ANSWERS[exercise], "enter")
        try:
            await wait_for(pilot, lambda: exercise in screen.finished, timeout=20)
        except AssertionError:
            from uikit import verdict_text
            raise AssertionError(f"{exercise}: {verdict_text(app, exercise)!r} {box.value!r} {app.focused}")
        await pilot.press("f6")
    app.writer.flush()
    await pilot.press("escape")
    await wait_for(pilot, lambda: isinstance(app.screen, CourseMapScreen))
    return served


async def recount(pilot, app) -> None:
    """Redraw the course map and wait for the practice game counted off the UI thread."""
    screen = app.screen
    screen.game = None
    screen.refresh_progress()
    await wait_for(pilot, lambda: screen.game is not None)
    await pilot.pause()


def due_line(app) -> str:
    line = app.screen.query_one("#due-line", Static)
    return text_of(line) if line.display else ""


async def test_a_review_session_over_three_days(tmp_path, service):
    lesson_history(tmp_path)
    app = make_app(tmp_path, service)
    at(app, 1)
    async with app.run_test(size=SIZE) as pilot:
        # Day 1: the revealed and the helped exercise are due; the first-try solve is not.
        await recount(pilot, app)
        assert "2 reviews due" in due_line(app)
        assert sorted(app.session.practice().queue()) == ["figures/e1", "slopes/e3"]
        served = await play_review(pilot, app)
        assert sorted(served) == ["figures/e1", "slopes/e3"]
        events = app.session.store.practice_events()
        assert [w for e, _t, w, r, _s in events if r] == ["shown", "correct", "shown", "correct"]
        await recount(pilot, app)
        assert due_line(app) == "" and app.session.practice().queue() == []

        # Day 2: the first-try solve of day 0 is due (its first interval is longer), and only it:
        # what was passed yesterday is not back yet.
        at(app, 2)
        await recount(pilot, app)
        assert "1 review due" in due_line(app)
        assert await play_review(pilot, app) == ["slopes/e1"]

        # Day 3: nothing is due.
        at(app, 3)
        await recount(pilot, app)
        assert due_line(app) == "" and app.session.practice().queue() == []
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, CourseMapScreen)  # nothing to review: a note, no screen
        assert app.session.practice().mastery["figures"].level == "mastered"  # proficient day 0, passed day 1


async def test_the_stats_screen_shows_the_numbers_and_the_charts(tmp_path, service):
    lesson_history(tmp_path)
    app = make_app(tmp_path, service)
    at(app, 1)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: getattr(app.screen, "game", None) is not None)
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, StatsScreen))
        summary = text_of(app.screen.query_one("#stats-summary", Static))
        assert "Reviews due now: 2" in summary and "XP in all" in summary
        plot = app.screen.query_one("#stats-plot")
        await wait_for(pilot, lambda: plot.draws > 0)
        assert [p.title for p in plot.figure.panels] == [
            "XP per day (last 30 days)", "Reviews due (next 14 days)", "Accuracy per part (%)",
            "Mastery per part (lessons)"]
        await pilot.press("escape")
        assert isinstance(app.screen, CourseMapScreen)
