"""Helpers for driving the TUI in tests: an app on the fixture course, and waiting for it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.widgets import Input, Static

from tutor.session import Session
from tutor.ui.app import TutorApp
from tutor.ui.widgets.exercise_card import ExerciseCard

FIXTURE_LESSONS = Path(__file__).parent / "fixtures" / "lessons"


def make_app(save_dir: Path, checker, profile: str = "default", lessons: Path = FIXTURE_LESSONS) -> TutorApp:
    return TutorApp(Session.open(lessons, save_dir, profile), checker)


async def wait_for(pilot, predicate, timeout: float = 15.0) -> None:
    """Let the app run until `predicate()` holds: checks run in worker threads and processes."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("timed out waiting for the app")
        await pilot.pause(0.05)


def card(app, exercise_id: str) -> ExerciseCard:
    """The card on the lesson screen, also while a dialog (a celebration) is open over it."""
    for screen in reversed(app.screen_stack):
        for found in screen.query(ExerciseCard):
            if found.exercise.id == exercise_id:
                return found
    raise LookupError(exercise_id)


def text_of(widget: Static) -> str:
    return str(widget.render())


def verdict_text(app, exercise_id: str) -> str:
    return text_of(card(app, exercise_id).query_one(".verdict", Static))


def answer_box(app, exercise_id: str) -> Input:
    return card(app, exercise_id).query_one(Input)


def freeze_cursors(app) -> None:
    """Snapshots must not depend on where the cursor blink happens to be. `app.query` sees only
    the default screen, so the boxes of the screen on top are asked for by name."""
    for box in app.screen.query(Input):
        box.cursor_blink = False


def page_header(app) -> str:
    """The lesson's page line: the page title and "page n of m"."""
    screen = app.screen
    return f'{text_of(screen.query_one("#page-title", Static))}  {text_of(screen.query_one("#page-count", Static))}'
