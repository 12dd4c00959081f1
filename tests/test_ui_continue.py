"""Continue on the course map goes where the practice game says: the lesson in progress while it
has open exercises, then the next lesson whose prerequisites are proficient (due reviews first is
played in tests/test_ui_review.py)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from textual.widgets import Button
from uikit import make_app, wait_for

from tutor.progress import open_profile
from tutor.ui.screens.course_map import CourseMapScreen
from tutor.ui.screens.lesson import LessonScreen

SIZE = (100, 32)
DAY0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def solved(save_dir, answers: dict[str, str]) -> None:
    store, issue = open_profile(save_dir)
    assert issue is None
    for address, answer in answers.items():
        exercise, _, part = address.partition("#")
        store.record_attempt(exercise, answer, "correct", part=part, parts=("a", "b") if part else ("",),
                             time=DAY0.isoformat())
    store.close(backup=False)


async def continue_label(pilot, app) -> str:
    await wait_for(pilot, lambda: isinstance(app.screen, CourseMapScreen) and app.screen.step is not None)
    return str(app.screen.query_one("#continue", Button).label)


async def visit(pilot, app, lesson: str) -> None:
    """Open a lesson and come back to the map: it becomes the lesson in progress."""
    app.open_lesson(lesson)
    await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
    await pilot.press("escape")
    await wait_for(pilot, lambda: isinstance(app.screen, CourseMapScreen))
    app.screen.step = None
    app.screen.refresh_progress()


async def test_continue_resumes_an_open_lesson_then_starts_the_next_ready_one(tmp_path, service):
    solved(tmp_path, {"slopes/e1": "6"})
    app = make_app(tmp_path, service)
    app.session.clock = lambda: DAY0 + timedelta(hours=1)
    async with app.run_test(size=SIZE) as pilot:
        await visit(pilot, app, "slopes")
        assert (await continue_label(pilot, app)).startswith("Continue: Slopes and derivatives")
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen.lesson.id == "slopes")

    # Every exercise of 'slopes' solved: it is proficient, so Continue starts 'figures', which needs nothing.
    solved(tmp_path, {"slopes/e2": "b", "slopes/e3": "3x^2cos(x^3)", "slopes/e4": "[-4, 0, 4]",
                      "slopes/e5#a": "6", "slopes/e5#b": "24"})
    app = make_app(tmp_path, service)
    app.session.clock = lambda: DAY0 + timedelta(hours=1)  # the same day: nothing due yet
    async with app.run_test(size=SIZE) as pilot:
        label = await continue_label(pilot, app)
        assert label.startswith("Start: Figures to play with"), label
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen.lesson.id == "figures")


async def test_a_new_learner_keeps_the_welcome_and_c_starts_the_first_lesson(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.screen.step is not None)
        assert not app.screen.query_one("#continue").display
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen.lesson.id == "slopes")
