""""Show me another" in the exercise card: offered after three wrong tries (or a solve), gives a
fresh variant, saves its seed with each attempt, and a resumed session shows the same variant."""

from __future__ import annotations

import json

from textual.widgets import Input, Markdown

from lessonkit import SLOPE_FAMILY, exercise, front_matter, make_course  # noqa: F401
from uikit import card, make_app, verdict_text, wait_for
from tutor.lessons.exercises import variant
from tutor.lessons.loader import load_course
from tutor.ui.screens.lesson import LessonScreen

SIZE = (100, 40)


def attempts(save_dir) -> list[dict]:
    from tutor.progress import open_profile

    store, _ = open_profile(save_dir)
    try:
        return json.loads(store.export_text())["exercises"].get("a/e1", {}).get("attempts", [])
    finally:
        store.close(backup=False)


async def answer(pilot, app, text: str, expect: str) -> None:
    box = card(app, "a/e1").query_one(Input)
    box.focus()
    box.value = ""
    await pilot.press(*text, "enter")
    await wait_for(pilot, lambda: expect in verdict_text(app, "a/e1"))


async def test_show_me_another_after_three_wrong_tries_and_resume(tmp_path, make_course, service):
    folder = make_course({"a": front_matter("a") + "\nSlopes.\n\n" + exercise(SLOPE_FAMILY)})
    course_exercise = load_course(folder).exercise("a/e1")
    save_dir = tmp_path / "saves"
    app = make_app(save_dir, service, lessons=folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, LessonScreen)
        first = card(app, "a/e1")
        assert first.exercise.seed == 0 and not first.check_action("another", ())
        for wrong in ("1", "2", "4"):
            await answer(pilot, app, wrong, "Not yet")
        await wait_for(pilot, lambda: len(attempts(save_dir)) == 3)
        await wait_for(pilot, lambda: card(app, "a/e1").check_action("another", ()) is True)
        await pilot.press("f7")
        await wait_for(pilot, lambda: card(app, "a/e1").exercise.seed == 1)
        shown = card(app, "a/e1")
        expected = variant(course_exercise, 1)
        assert shown.query_one(".prompt", Markdown).source == expected.prompt != course_exercise.prompt
        assert shown.query_one(Input).value == ""  # a fresh variant starts empty
        assert not shown.check_action("another", ())  # three wrong tries at the old one do not count
        await answer(pilot, app, expected.parts[0].spec.answer, "Correct")
        await wait_for(pilot, lambda: len(attempts(save_dir)) == 4)
        assert [a.get("seed", 0) for a in attempts(save_dir)] == [0, 0, 0, 1]
        await wait_for(pilot, lambda: card(app, "a/e1").check_action("another", ()) is True)  # solved

    again = make_app(save_dir, service, lessons=folder)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        resumed = card(again, "a/e1")
        assert resumed.exercise.seed == 1
        assert resumed.query_one(".prompt", Markdown).source == variant(course_exercise, 1).prompt
