"""The backprop stepper pinned mid-forward and mid-backward, at a fixed size, on the fixture course.

Update the baselines after an intended change with
`pytest tests/test_ui_snapshots_backprop.py --snapshot-update`, and look at the report first.
"""

from __future__ import annotations

from textual.widgets import Input

from uikit import make_app, wait_for
from tutor.ui.widgets.backprop_card import BackpropCard, StepperPanel

SIZE = (100, 32)


def freeze_cursors(app) -> None:
    """No cursor blink in the answer boxes of the screen shown (`app.query` does not reach the
    boxes of a pushed screen, so uikit.freeze_cursors misses them)."""
    for box in app.screen.query(Input):
        box.cursor_blink = False


async def _open(pilot, app, page: int, exercise_id: str) -> StepperPanel:
    app.open_lesson("graphs", page=page)
    await wait_for(pilot, lambda: app.screen.query("#answer-step"))
    await pilot.pause()
    # The blink stops before the answer box is focused, so no blink tick can hide the cursor.
    freeze_cursors(app)
    card = app.screen.query_one(BackpropCard)
    assert card.exercise.id == exercise_id
    card.focus_answer()
    app.screen.query_one("#page").scroll_to_widget(card, animate=False, top=True)
    await wait_for(pilot, lambda: isinstance(app.focused, Input) and app.focused.id == "answer-step")
    return card.query_one(StepperPanel)


def _judged(panel: StepperPanel) -> int:
    return sum(entry.attempts for entry in panel.stepper.entries.values())


async def _answer(pilot, panel: StepperPanel, text: str) -> None:
    """Type an answer and wait until it is judged (every judged answer counts one attempt)."""
    count = _judged(panel)
    await pilot.press(*text, "enter")
    await wait_for(pilot, lambda: not panel.busy and _judged(panel) > count)


async def _settle(pilot, app, word: str) -> None:
    # The attempt is saved in the background; the card's status follows when it is on disk.
    await wait_for(pilot, lambda: word in str(app.screen.query_one(".card-title").render()))
    await pilot.pause(0.3)


def test_stepper_mid_forward(snap_compare, tmp_path, service):
    app = make_app(tmp_path, service)

    async def run(pilot):
        panel = await _open(pilot, app, 1, "graphs/e1")
        await _answer(pilot, panel, "1.25")
        await _answer(pilot, panel, "sin(1.25*pi/180)")  # a calculator in degrees: a targeted message
        await _settle(pilot, app, "attempted")

    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_stepper_mid_backward_with_a_sum(snap_compare, tmp_path, service):
    app = make_app(tmp_path, service)

    async def run(pilot):
        panel = await _open(pilot, app, 2, "graphs/e2")
        for text in ("sin(1.5)", "2.25", "2.24436", "2.25", "0.997495"):
            await _answer(pilot, panel, text)
        await _answer(pilot, panel, "2.25*cos(1.5)")  # the path through q forgotten
        await _settle(pilot, app, "attempted")

    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_sandbox_small_terminal(snap_compare, tmp_path, service):
    app = make_app(tmp_path, service)

    async def run(pilot):
        await pilot.press("b")
        await wait_for(pilot, lambda: app.screen.query("#answer-step"))
        await pilot.pause()
        freeze_cursors(app)  # before the answer box is focused: see _open
        panel = app.screen.query_one(StepperPanel)
        panel.focus_answer()
        for text in ("2", "3", "-4", "16", "-8"):
            await _answer(pilot, panel, text)
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run)
