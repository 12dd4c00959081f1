"""Code exercises in the TUI, driven like a learner: write, run (F5), read the tests, fix, resume.

The code really runs in the sandbox (a separate Python process), as in the app.
"""

from __future__ import annotations

import dataclasses
import json

from textual.widgets import Static

from uikit import make_app, text_of, wait_for
from tutor.ui.screens.course_map import CourseMapScreen
from tutor.ui.screens.dialogs import ConfirmScreen
from tutor.ui.screens.lesson import LessonScreen
from tutor.ui.widgets.code_card import SOLVED_NOTE, CodeCard, CodeEditor

SIZE = (100, 40)
EXERCISE = "chains/e4"  # `double(x)`, on page 2 of "chains"
STARTER = "def double(x):\n    return x\n"


def saved(save_dir, exercise_id: str = EXERCISE) -> dict:
    """The exercise's record as saved, read through the store as another process would."""
    from tutor.progress import open_profile

    store, _ = open_profile(save_dir)
    try:
        return json.loads(store.export_text())["exercises"].get(exercise_id, {})
    finally:
        store.close(backup=False)


def code_card(app, exercise_id: str = EXERCISE) -> CodeCard:
    for found in app.screen.query(CodeCard):
        if found.exercise.id == exercise_id:
            return found
    raise LookupError(exercise_id)


def part(app, name: str) -> str:
    return text_of(code_card(app).query_one(name, Static))


def on_screen(app, widget) -> bool:
    """Is `widget` what a click at its top-left corner would hit?"""
    try:
        return app.screen.get_widget_at(widget.region.x + 1, widget.region.y)[0] is widget
    except Exception:  # NoWidget: scrolled out of view
        return False


async def open_exercise(pilot, app) -> CodeEditor:
    app.open_lesson("chains", page=1)
    await pilot.pause()
    card = code_card(app)
    card.focus_answer()
    await pilot.pause()
    assert app.focused is card.editor
    return card.editor


async def type_code(pilot, editor: CodeEditor, *lines: str) -> None:
    """Replace the editor's text by typing: Enter for a new line, Tab for an indent."""
    editor.focus()
    editor.select_all()
    await pilot.press("delete")
    for number, line in enumerate(lines):
        if number:
            await pilot.press("enter", "shift+home", "delete")  # drop the automatic indent
        stripped = line.lstrip(" ")
        await pilot.press(*["tab"] * ((len(line) - len(stripped)) // 4), *stripped)


async def test_write_run_fix_solve_quit_and_resume(tmp_path, service):
    save_dir = tmp_path / "saves"
    app = make_app(save_dir, service)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_exercise(pilot, app)
        assert editor.text == STARTER
        assert editor.is_syntax_aware and editor.language == "python"  # tree-sitter highlighting
        assert "def double(x):" in part(app, ".signature")

        # A wrong body: the failing test with what it expected and what it got.
        await type_code(pilot, editor, "def double(x):", "    return x + 1")
        wrong = "def double(x):\n    return x + 1"
        assert editor.text == wrong  # Tab indented inside the editor
        await pilot.press("f5")
        await wait_for(pilot, lambda: "Not yet" in part(app, ".verdict"))
        results = part(app, ".test-results")
        assert "✗ test 1 failed  assert double(2) == 4" in results
        assert "expected: 4" in results and "got:      3" in results
        await wait_for(pilot, lambda: saved(save_dir).get("status") == "attempted")
        attempt = saved(save_dir)["attempts"][-1]
        assert attempt["answer"] == wrong and attempt["status"] == "incorrect"

        # Fixed, run with the other key: solved, and the code is what was recorded.
        await type_code(pilot, editor, "def double(x):", "    return 2 * x")
        fixed = "def double(x):\n    return 2 * x"
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: "Correct" in part(app, ".verdict"))
        assert SOLVED_NOTE in part(app, ".verdict")
        assert "✓ test 1  assert double(2) == 4" in part(app, ".test-results")
        await wait_for(pilot, lambda: saved(save_dir).get("status") == "solved")
        assert saved(save_dir)["attempts"][-1]["answer"] == fixed
        await wait_for(pilot, lambda: "solved" in text_of(code_card(app).query_one(".card-title", Static)))
        assert editor.text == fixed  # the editor keeps the solved code

        # A comment typed after solving, then quit at once: the draft is written on the way out.
        await pilot.press("end", "enter", *"# done")  # the new line keeps the indent of the one before
        await pilot.press("ctrl+q")
    kept = fixed + "\n    # done"
    assert saved(save_dir)["drafts"] == {"": kept}

    app = make_app(save_dir, service)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, CourseMapScreen)
        await pilot.press("enter")  # "Continue"
        assert isinstance(app.screen, LessonScreen) and app.screen.lesson.id == "chains"
        await wait_for(pilot, lambda: app.focused is code_card(app).editor)
        assert code_card(app).editor.text == kept
        assert SOLVED_NOTE in part(app, ".verdict")


async def test_timeout_keeps_the_app_responsive(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_exercise(pilot, app)
        card = code_card(app)
        # Long enough that the key presses below surely land during the run on a loaded machine.
        card.code_exercise = dataclasses.replace(card.code_exercise, time_limit=3.0)
        editor.text = "def double(x):\n    while True: pass\n"
        await pilot.press("f5")
        await pilot.pause(0.05)
        assert card.running and card.query_one(".checking").display  # the spinner
        # Keys are handled while the code runs: Esc leaves the editor, `t` hides the contents.
        toc = app.screen.query_one("#toc")
        assert toc.display
        await pilot.press("escape")
        assert app.focused is not editor and isinstance(app.screen, LessonScreen)
        await pilot.press("t")
        assert not toc.display
        assert card.running, "the key presses must have been handled during the run"
        await pilot.press("f5")  # a second run is refused while one is going
        assert len([w for w in app.workers if w.group == "run" and not w.is_finished]) == 1
        await wait_for(pilot, lambda: not card.running)
        verdict = part(app, ".verdict")
        assert "Stopped: time limit" in verdict and "3 s time limit" in verdict
        assert "✗ test 1 stopped" in part(app, ".test-results")
        assert "line 2, in double" in part(app, ".test-results")  # where the loop was when it was stopped
        assert not card.query_one(".checking").display

        # The tutor is fine: the next run works.
        editor.text = "def double(x):\n    return x * 2\n"
        button = card.query_one("#run")
        button.scroll_visible(animate=False)
        await wait_for(pilot, lambda: on_screen(app, button))
        await pilot.click("#run")
        await wait_for(pilot, lambda: "Correct" in part(app, ".verdict"))
        assert app.is_running


async def test_printed_output_errors_and_forbidden_imports(tmp_path, service):
    save_dir = tmp_path / "saves"
    app = make_app(save_dir, service)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_exercise(pilot, app)
        card = code_card(app)
        output = card.query_one(".run-output", Static)
        assert not output.display  # nothing printed yet

        editor.text = 'def double(x):\n    print("called with", x)\n    return x\n'
        await pilot.press("f5")
        await wait_for(pilot, lambda: not card.running and "Not yet" in part(app, ".verdict"))
        assert output.display and "called with 2" in text_of(output)

        # An exception: the traceback points at the learner's line.
        editor.text = "def double(x):\n    y = 1 / 0\n    return y\n"
        await pilot.press("f5")
        await wait_for(pilot, lambda: not card.running and "ZeroDivisionError" in part(app, ".test-results"))
        results = part(app, ".test-results")
        assert "✗ test 1 error" in results and "line 2, in double" in results and "y = 1 / 0" in results
        assert not output.display  # nothing printed this time
        await wait_for(pilot, lambda: len(saved(save_dir).get("attempts", [])) == 2)

        # Code that cannot run (a forbidden import): said plainly, and it costs no attempt.
        editor.text = "import os\n\ndef double(x):\n    return 2 * x\n"
        await pilot.press("f5")
        await wait_for(pilot, lambda: not card.running and "Can't run that" in part(app, ".verdict"))
        assert "Importing 'os' is not allowed" in part(app, ".verdict")
        assert "· test 1 not run" in part(app, ".test-results")
        await pilot.pause(0.3)
        assert len(saved(save_dir)["attempts"]) == 2


async def test_hint_and_solution_with_the_reference_code(tmp_path, service):
    save_dir = tmp_path / "saves"
    app = make_app(save_dir, service)
    async with app.run_test(size=SIZE) as pilot:
        await open_exercise(pilot, app)
        card = code_card(app)
        await pilot.press("f2")
        hints = card.query_one(".hints", Static)
        assert hints.display and "Multiply by two." in text_of(hints)
        assert not card.query_one(".solution").display
        await pilot.press("f3")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#yes")
        assert card.query_one(".solution").display
        reference = card.query_one(".reference", CodeEditor)
        assert reference.read_only and "return 2 * x" in reference.text
        await wait_for(pilot, lambda: saved(save_dir).get("status") == "revealed")


async def test_escape_leaves_the_editor_then_the_lesson(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_exercise(pilot, app)
        before = editor.text
        await pilot.press("tab")  # only passing through: focus moves on, line 1 is not indented
        assert editor.text == before and app.focused is not editor
        editor.focus()
        await pilot.press("x", "home", "tab")  # once the learner edits, Tab indents and focus stays
        assert editor.text.startswith("    x") and app.focused is editor
        await pilot.press("escape")
        assert isinstance(app.screen, LessonScreen) and app.focused is not editor
        await pilot.press("escape")
        assert isinstance(app.screen, CourseMapScreen)


async def test_typing_saves_a_draft_after_a_pause(tmp_path, service):
    save_dir = tmp_path / "saves"
    app = make_app(save_dir, service)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_exercise(pilot, app)
        await pilot.press("end", *"  # draft")
        await wait_for(pilot, lambda: saved(save_dir).get("drafts", {}).get("") == editor.text)
        assert "# draft" in saved(save_dir)["drafts"][""]
        assert code_card(app).pending_drafts() == []  # nothing left to flush
