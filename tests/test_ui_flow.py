"""The TUI driven like a learner: keys and clicks through Textual's Pilot, on the fixture course."""

from __future__ import annotations

import json

from textual.widgets import Button, Input, Markdown, OptionList, Static

from uikit import answer_box, card, make_app, text_of, verdict_text, wait_for, page_header
from tutor.ui.screens.course_map import CourseMapScreen
from tutor.ui.screens.dialogs import ConfirmScreen
from tutor.ui.screens.help import HelpScreen
from tutor.ui.screens.lesson import LessonScreen

SIZE = (100, 40)


def saved(save_dir, exercise_id: str) -> dict:
    """The exercise's record as saved, read through the store as another process would."""
    from tutor.progress import open_profile

    store, _ = open_profile(save_dir)
    try:
        return json.loads(store.export_text())["exercises"].get(exercise_id, {})
    finally:
        store.close(backup=False)


async def type_answer(pilot, app, exercise_id: str, text: str) -> None:
    box = answer_box(app, exercise_id)
    box.focus()
    box.value = ""
    await pilot.press(*text)


async def test_a_new_learner_works_through_a_lesson_and_resumes(tmp_path, service):
    save_dir = tmp_path / "saves"
    app = make_app(save_dir, service)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, CourseMapScreen)
        assert not app.screen.query_one("#continue").display  # a new learner: a welcome, no "Continue"
        assert app.screen.query_one("#welcome").display
        await pilot.press("enter")  # the first lesson is highlighted already
        assert isinstance(app.screen, LessonScreen)
        assert "page 1 of 3" in page_header(app)
        await pilot.press("n")
        assert "page 2 of 3" in page_header(app)

        # A wrong answer: the author's diagnosis, and one attempt recorded.
        await type_answer(pilot, app, "slopes/e1", "9")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Not yet" in verdict_text(app, "slopes/e1"))
        assert "That is the value x², not the slope." in verdict_text(app, "slopes/e1")
        await wait_for(pilot, lambda: (save_dir / "default.sqlite3").exists()
                       and len(saved(save_dir, "slopes/e1").get("attempts", [])) == 1)

        # An answer that cannot be read costs no attempt.
        await type_answer(pilot, app, "slopes/e1", "6 +")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Can't read" in verdict_text(app, "slopes/e1"))
        await pilot.pause(0.3)
        assert len(saved(save_dir, "slopes/e1")["attempts"]) == 1

        # A hint, then the right answer: solved with help.
        await pilot.press("f2")
        hints = card(app, "slopes/e1").query_one(".hints", Static)
        assert hints.display and "The slope of x² is 2x." in text_of(hints)
        await type_answer(pilot, app, "slopes/e1", "6")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Correct" in verdict_text(app, "slopes/e1"))
        await wait_for(pilot, lambda: saved(save_dir, "slopes/e1")["status"] == "solved-with-help")
        assert app.focused is answer_box(app, "slopes/e1")  # focus stays until the learner moves on

        # A choice, picked with a number key.
        card(app, "slopes/e2").focus_answer()
        await pilot.press("2")
        await wait_for(pilot, lambda: "Correct" in verdict_text(app, "slopes/e2"))

        # Start an answer on the next page and quit without submitting it.
        await pilot.press("escape", "n")
        assert "page 3 of 3" in page_header(app)
        await type_answer(pilot, app, "slopes/e3", "3x^2")
        await pilot.press("ctrl+q")
    assert saved(save_dir, "slopes/e3")["drafts"] == {"": "3x^2"}

    # Starting again: "Continue" is focused, and Enter lands on the same page with the draft back.
    app = make_app(save_dir, service)
    async with app.run_test(size=SIZE) as pilot:
        button = app.screen.query_one("#continue", Button)
        assert button.display and app.focused is button
        assert "Slopes and derivatives — Practice" in str(button.label)
        assert "2 of " in text_of(app.screen.query_one("#overall-label", Static))
        await pilot.press("enter")
        assert isinstance(app.screen, LessonScreen)
        assert "page 3 of 3" in page_header(app)
        await wait_for(pilot, lambda: app.focused is answer_box(app, "slopes/e3"))
        assert answer_box(app, "slopes/e3").value == "3x^2"

        # Reveal the solution, after a confirmation.
        await pilot.press("f3")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#yes")
        solution = card(app, "slopes/e3").query_one(".solution", Markdown)
        assert solution.display
        await wait_for(pilot, lambda: saved(save_dir, "slopes/e3").get("status") == "revealed")


async def test_live_preview_shows_the_reading(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        app.open_lesson("slopes", page=2)
        await pilot.pause()
        await type_answer(pilot, app, "slopes/e3", "3x^2 cos x^3")
        reading = card(app, "slopes/e3").query_one(".reading", Static)
        # A pause between keys (a loaded machine) may show the reading of a prefix first ("3x");
        # the reading of the whole answer must follow, and a stale one is never shown after it.
        await wait_for(pilot, lambda: "cos x^3 is read as cos(x^3)" in text_of(reading))
        assert card(app, "slopes/e3").query_one(Input).value == "3x^2 cos x^3"
        await type_answer(pilot, app, "slopes/e3", "3x^2 + )")
        await wait_for(pilot, lambda: "Unexpected ')'" in text_of(reading))


async def test_derivative_diagnosis_and_vector_entries(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        app.open_lesson("slopes", page=2)
        await pilot.pause()
        await type_answer(pilot, app, "slopes/e3", "cos(x^3)")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Not yet" in verdict_text(app, "slopes/e3"))
        assert "Multiply by the inner derivative" in verdict_text(app, "slopes/e3")
        assert "at x = " in verdict_text(app, "slopes/e3")
        await type_answer(pilot, app, "slopes/e4", "[-4, 1, 4]")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Not yet" in verdict_text(app, "slopes/e4"))
        text = verdict_text(app, "slopes/e4")
        assert "✗ entry 2" in text and "✓ entry 1" in text


async def test_prerequisites_are_mentioned_once_and_never_block(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        options = app.screen.query_one("#lessons", OptionList)
        assert "first:" not in str(options.get_option("chains").prompt)
        options.highlighted = options.get_option_index("chains")
        await pilot.press("enter")  # no question asked
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen.lesson.id == "chains")
        note = app.screen.query_one("#lesson-note", Static)
        assert note.display and "builds on “Slopes" in text_of(note)
        await pilot.press("n")
        assert not note.display  # said once, quietly
        await pilot.press("escape", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        assert not app.screen.query_one("#lesson-note", Static).display  # not again this session


async def test_filter_narrows_the_course_map(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"chain")
        options = app.screen.query_one("#lessons", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert "chains" in ids and "slopes" not in ids


async def test_command_palette_goes_to_a_lesson(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"Go to lesson: Chains")
        await wait_for(pilot, lambda: app.screen.query("CommandList Option") or True)
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        assert app.screen.lesson.id == "chains"


async def test_help_opens_and_closes(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        assert "Typing answers" in app.screen.query_one(Markdown).source
        await pilot.press("escape")
        assert isinstance(app.screen, CourseMapScreen)


async def test_every_kind_plays_in_its_card(tmp_path, service):
    from tutor import kinds
    from tutor.ui.widgets.code_card import CodeCard
    from tutor.ui.widgets.exercise_card import ExerciseCard
    from tutor.ui.widgets.gd_card import GdCard
    from tutor.ui.widgets.segments import card_class

    for name, kind in kinds.KINDS.items():  # the registry's answer kinds share ExerciseCard
        assert (card_class(name) is ExerciseCard) == kind.checker, name
    assert card_class("gd") is GdCard and card_class("code") is CodeCard
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        app.open_lesson("chains", page=1)
        await pilot.pause()
        code_card = app.screen.query_one(CodeCard)
        assert code_card.exercise.id == "chains/e4" and not code_card.query(".unplayable")


async def test_a_bad_save_file_is_explained_not_crashed(tmp_path, service):
    save_dir = tmp_path / "saves"
    save_dir.mkdir()
    (save_dir / "default.json").write_text('{"schema_version": 2, "exercises": [}')
    app = make_app(save_dir, service)
    async with app.run_test(size=SIZE) as pilot:
        from tutor.ui.screens.dialogs import SaveProblemScreen

        assert isinstance(app.screen, SaveProblemScreen)
        assert "default.json" in text_of(app.screen.query(".question").first())
        await pilot.click("#fresh")
        assert isinstance(app.screen, CourseMapScreen)
    kept = [p.name for p in save_dir.iterdir() if ".corrupt-" in p.name]
    assert kept, "the bad file must be kept aside"


async def test_broken_lesson_shows_its_problems(tmp_path, service):
    from tutor.lessons.model import Lesson, Problem

    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        lesson = app.session.course.lessons["slopes"]
        broken = Lesson(lesson.id, lesson.title, lesson.part, lesson.requires, lesson.minutes, lesson.objectives,
                        (), lesson.path, (Problem(lesson.path, 12, "bad YAML in exercise block"),))
        app.session.course.lessons["slopes"] = broken
        app.open_lesson("slopes")
        await pilot.pause()
        assert "could not be loaded" in text_of(app.screen.query_one(".broken", Static))
        assert "bad YAML in exercise block" in app.screen.query_one("#page Markdown", Markdown).source


async def test_quit_key_in_an_answer_box_types_the_letter(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        app.open_lesson("slopes", page=2)
        await pilot.pause()
        await type_answer(pilot, app, "slopes/e3", "q")
        assert answer_box(app, "slopes/e3").value == "q"
        assert app.is_running
        assert isinstance(app.focused, Input)


class _BrokenChecker:
    """A checker whose worker has crashed in an unexpected way."""

    def __init__(self, real) -> None:
        self.real = real

    def check(self, spec, answer, seed=0):
        raise RuntimeError("the checker fell over")

    def __getattr__(self, name):
        return getattr(self.real, name)


async def test_a_crash_in_a_background_job_is_shown_not_printed(tmp_path, service):
    app = make_app(tmp_path, _BrokenChecker(service))
    async with app.run_test(size=SIZE) as pilot:
        app.open_lesson("slopes", page=1)
        await pilot.pause()
        await type_answer(pilot, app, "slopes/e1", "6")
        await pilot.press("enter")
        await wait_for(pilot, lambda: any("the checker fell over" in str(n.message) for n in app._notifications))
        assert app.is_running


async def test_quitting_waits_for_attempts_being_saved(tmp_path, service):
    save_dir = tmp_path / "saves"
    app = make_app(save_dir, service)
    async with app.run_test(size=SIZE) as pilot:
        app.open_lesson("slopes", page=1)
        await pilot.pause()
        await type_answer(pilot, app, "slopes/e1", "6")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Correct" in verdict_text(app, "slopes/e1"))
        await pilot.press("ctrl+q")  # at once: the attempt may still be on its way to disk
    assert saved(save_dir, "slopes/e1")["status"] == "solved"
