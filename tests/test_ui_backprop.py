"""The backprop stepper driven like a learner: the card in a lesson, resume, and the sandbox."""

from __future__ import annotations

import json

from textual.widgets import Button, Input, Static

from rich.console import Console

from uikit import make_app, wait_for
from tutor.ui.screens.backprop_sandbox import BackpropSandboxScreen
from tutor.ui.screens.course_map import CourseMapScreen
from tutor.ui.screens.dialogs import ConfirmScreen
from tutor.ui.screens.lesson import LessonScreen
from tutor.ui.widgets.backprop_card import BackpropCard, BackpropExample, StepperPanel
from tutor.ui.widgets.graph_view import GraphView

SIZE = (100, 40)
# graphs/e1: y = exp(sin(x² + 1)) at x = 0.5. Forward u, v, y; backward ∂y/∂v, ∂y/∂u, ∂y/∂x.
CHAIN = ["1.25", "sin(1.25)", "2.58309", "2.58309", "2.58309*cos(1.25)", "0.814505"]
# graphs/e2: s = sin(x), q = x², y = s·q at x = 1.5. Forward s, q, y; backward ∂y/∂s, ∂y/∂q, ∂y/∂x.
FAN_OUT = ["sin(1.5)", "2.25", "2.24436", "2.25", "0.997495", "3.15164"]


def text_of(widget: Static) -> str:
    """What a Static shows, as plain text (its content may be a Rich table)."""
    content = widget.content
    if isinstance(content, str):
        return content
    console = Console(width=200, color_system=None, record=True, file=open("/dev/null", "w"))
    console.print(content)
    return console.export_text()


def saved(save_dir, exercise_id: str) -> dict:
    """The exercise's record as saved, read through the store as another process would."""
    from tutor.progress import open_profile

    store, _ = open_profile(save_dir)
    try:
        return json.loads(store.export_text())["exercises"].get(exercise_id, {})
    finally:
        store.close(backup=False)


def backprop_card(app, exercise_id: str) -> BackpropCard:
    for found in app.screen.query(BackpropCard):
        if found.exercise.id == exercise_id:
            return found
    raise LookupError(exercise_id)


def part(app, exercise_id: str, selector: str) -> str:
    return text_of(backprop_card(app, exercise_id).query_one(selector, Static))


async def open_card(pilot, app, exercise_id: str) -> BackpropCard:
    page = {"graphs/e1": 1, "graphs/e2": 2}[exercise_id]
    app.open_lesson("graphs", page=page, focus_exercise=exercise_id)
    await wait_for(pilot, lambda: app.screen.query(BackpropCard)
                   and isinstance(app.focused, Input) and app.focused.id == "answer-step")
    return backprop_card(app, exercise_id)


async def enter(pilot, card: BackpropCard, text: str) -> None:
    """Type one step's answer and wait until the stepper has judged it."""
    panel = card.query_one(StepperPanel)
    box = panel.query_one("#answer-step", Input)
    box.focus()
    box.value = ""
    before = text_of(panel.query_one(".step-feedback", Static)) if panel.query_one(".step-feedback").display else ""
    index = panel.stepper.index
    await pilot.press(*text)
    await pilot.press("enter")
    await wait_for(pilot, lambda: not panel.busy and (panel.stepper.index != index or text_of(
        panel.query_one(".step-feedback", Static)) != before))


async def test_a_challenge_completed_with_correct_entries_is_solved(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        card = await open_card(pilot, app, "graphs/e1")
        assert "Step 1 of 6" in part(app, "graphs/e1", ".step-question")
        assert "u = x² + 1" in part(app, "graphs/e1", ".step-question")
        for answer in CHAIN[:3]:
            await enter(pilot, card, answer)
        assert "Correct" in part(app, "graphs/e1", ".step-feedback")
        assert "backward pass" in part(app, "graphs/e1", ".step-question")
        for answer in CHAIN[3:]:
            await enter(pilot, card, answer)
        assert "All 6 steps done" in part(app, "graphs/e1", ".step-question")
        fd = part(app, "graphs/e1", ".fd-check")
        assert "Finite-difference check" in fd and "✗" not in fd
        rows = {line.split()[0]: line.split() for line in fd.splitlines() if line.strip().startswith("∂y/")}
        assert set(rows) == {"∂y/∂v", "∂y/∂u", "∂y/∂x"}
        assert rows["∂y/∂x"] == ["∂y/∂x", "0.814505", "0.814505", "0.814505", "✓"]  # yours, backprop, FD
        assert not card.query_one("#answer-step").display
        await wait_for(pilot, lambda: saved(tmp_path, "graphs/e1").get("status") == "solved")
        record = saved(tmp_path, "graphs/e1")
        assert record["attempts"][-1]["status"] == "correct"
        assert json.loads(record["drafts"][""])["phase"] == "done"
        await wait_for(pilot, lambda: "solved" in part(app, "graphs/e1", ".card-title"))


async def test_a_wrong_local_derivative_gets_a_targeted_message(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        card = await open_card(pilot, app, "graphs/e1")
        for answer in CHAIN[:4]:
            await enter(pilot, card, answer)
        template = part(app, "graphs/e1", ".step-template")
        assert "∂y/∂u = ∂y/∂v · ∂v/∂u" in template and "2.58309 × ∂v/∂u" in template
        await enter(pilot, card, "2.58309")  # ∂v/∂u taken as 1
        feedback = part(app, "graphs/e1", ".step-feedback")
        assert "Not yet" in feedback
        assert "local derivative of the sin node" in feedback and "cos(u) = 0.315322" in feedback
        assert card.stepper.index == 4  # still on ∂y/∂u
        await wait_for(pilot, lambda: saved(tmp_path, "graphs/e1").get("attempts"))
        attempt = saved(tmp_path, "graphs/e1")["attempts"][-1]
        assert attempt["status"] == "incorrect" and attempt["diagnosis"] == "local-as-one"
        assert attempt["answer"] == "∂y/∂u = 2.58309"
        assert saved(tmp_path, "graphs/e1")["status"] == "attempted"

        # F2: the local derivative's closed form, worked out off the UI thread; recorded as a hint.
        await pilot.press("f2")
        await wait_for(pilot, lambda: "cos(u)" in part(app, "graphs/e1", ".step-help"))
        assert "∂v/∂u = cos(u) = 0.315322" in part(app, "graphs/e1", ".step-help")
        assert "Hint 1/1" in part(app, "graphs/e1", ".hints")
        await wait_for(pilot, lambda: saved(tmp_path, "graphs/e1").get("hints_used") == 1)
        for answer in CHAIN[4:]:
            await enter(pilot, card, answer)
        await wait_for(pilot, lambda: saved(tmp_path, "graphs/e1").get("status") == "solved-with-help")


async def test_a_missed_fan_out_contribution_names_the_consumer(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        card = await open_card(pilot, app, "graphs/e2")
        for answer in FAN_OUT[:5]:
            await enter(pilot, card, answer)
        assert "∂y/∂x = ?" in part(app, "graphs/e2", ".step-question")
        template = part(app, "graphs/e2", ".step-template")
        assert "x feeds s and q" in template
        assert "through s:  2.25 × ∂s/∂x" in template and "through q:  0.997495 × ∂q/∂x" in template
        await enter(pilot, card, "2.25*cos(1.5)")  # only the path through s
        feedback = part(app, "graphs/e2", ".step-feedback")
        assert "You forgot the contribution through q" in feedback
        await wait_for(pilot, lambda: saved(tmp_path, "graphs/e2").get("attempts"))
        assert saved(tmp_path, "graphs/e2")["attempts"][-1]["diagnosis"] == "missed-contribution"
        await enter(pilot, card, FAN_OUT[5])
        assert card.stepper.done
        # The table lists both local derivatives of x, one per use.
        table = part(app, "graphs/e2", ".node-table")
        assert "∂s/∂x = 0.0707372" in table and "∂q/∂x = 3" in table


async def test_a_half_done_challenge_resumes_at_the_same_step(tmp_path, service):
    save_dir = tmp_path / "saves"
    app = make_app(save_dir, service)
    async with app.run_test(size=SIZE) as pilot:
        card = await open_card(pilot, app, "graphs/e1")
        for answer in CHAIN[:4]:
            await enter(pilot, card, answer)
        assert card.stepper.index == 4
        await pilot.press("ctrl+q")
    state = json.loads(saved(save_dir, "graphs/e1")["drafts"][""])
    assert state["phase"] == "backward" and state["node"] == "u" and len(state["entries"]) == 4

    app = make_app(save_dir, service)
    async with app.run_test(size=SIZE) as pilot:
        assert "Computation graphs" in str(app.screen.query_one("#continue", Button).label)
        await pilot.press("enter")  # Continue
        assert isinstance(app.screen, LessonScreen)
        await wait_for(pilot, lambda: app.screen.query(BackpropCard))
        card = backprop_card(app, "graphs/e1")
        assert card.stepper.index == 4
        assert "Step 5 of 6" in part(app, "graphs/e1", ".step-question")
        assert "∂y/∂u = ?" in part(app, "graphs/e1", ".step-question")
        picture = "\n".join(card.query_one(GraphView).drawing.lines)
        assert "∂ 2.58309" in picture and "∂ ?" in picture  # ∂y/∂v found, ∂y/∂u asked
        for answer in CHAIN[4:]:
            await enter(pilot, card, answer)
        await wait_for(pilot, lambda: saved(save_dir, "graphs/e1").get("status") == "solved")


async def test_the_solution_fills_in_every_step_after_a_confirmation(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        card = await open_card(pilot, app, "graphs/e2")
        await enter(pilot, card, FAN_OUT[0])
        await pilot.press("f3")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#yes")
        await wait_for(pilot, lambda: card.stepper.done)
        assert "◇" in part(app, "graphs/e2", ".node-table")
        assert "shown ◇" in part(app, "graphs/e2", ".fd-check")
        assert card.query_one(".solution").display
        await wait_for(pilot, lambda: saved(tmp_path, "graphs/e2").get("status") == "revealed")
        await wait_for(pilot, lambda: json.loads(saved(tmp_path, "graphs/e2")["drafts"][""])["phase"] == "done")


async def test_the_worked_example_is_filled_in_and_opens_in_the_sandbox(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        app.open_lesson("graphs", page=0)
        await wait_for(pilot, lambda: app.screen.query(BackpropExample))
        example = app.screen.query_one(BackpropExample)
        table = text_of(example.query_one(".node-table", Static))
        assert "yhat = w·x" in table and "— (data)" in table and "-8" in table
        picture = "\n".join(example.query_one(GraphView).drawing.lines)
        assert "e = y - yhat" in picture and "═" not in picture  # no current step in an example
        example.query_one("#step-through", Button).focus()  # scrolls it into view
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, BackpropSandboxScreen))
        panel = app.screen.query_one(StepperPanel)
        assert panel.stepper.graph.no_grad == {"x", "y"}
        assert "squared error" in text_of(app.screen.query_one("#sandbox-message", Static))
        await pilot.press("escape")
        assert isinstance(app.screen, LessonScreen)


async def test_the_sandbox_steps_through_a_typed_expression(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, CourseMapScreen)
        await pilot.press("b")
        assert isinstance(app.screen, BackpropSandboxScreen)
        screen = app.screen
        await wait_for(pilot, lambda: screen.query(StepperPanel))
        assert screen.query_one(StepperPanel).stepper.graph.output == "L"  # the example is ready

        # A mistake in the expression is explained, not a traceback.
        expression = screen.query_one("#sandbox-expression", Input)
        values = screen.query_one("#sandbox-values", Input)
        expression.value, values.value = "L = w*x", "w=1"
        expression.focus()
        await pilot.press("enter")
        message = text_of(screen.query_one("#sandbox-message", Static))
        assert "Can't build that" in message and "x has no value" in message
        values.value = "w=1, x"
        await pilot.press("enter")
        assert "not of the form name=value" in text_of(screen.query_one("#sandbox-message", Static))

        expression.value, values.value = "y = x*x + x", "x = 3"
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.query_one(StepperPanel).stepper.graph.output == "y"
                       and isinstance(app.focused, Input) and app.focused.id == "answer-step")
        panel = screen.query_one(StepperPanel)
        assert [s.label for s in panel.stepper.steps] == ["n1", "y", "∂y/∂n1", "∂y/∂x"]
        for answer in ["9", "12", "1"]:
            await pilot.press(*answer, "enter")
            await wait_for(pilot, lambda: not panel.busy)
        template = text_of(panel.query_one(".step-template", Static))
        assert "x feeds n1 and y" in template
        await pilot.press("f3")  # the sandbox shows one step
        await wait_for(pilot, lambda: panel.stepper.done)
        assert "◇ Shown" in text_of(panel.query_one(".step-feedback", Static))
        fd = text_of(panel.query_one(".fd-check", Static))
        assert "∂y/∂x" in fd and "shown ◇" in fd and "✗" not in fd
        await pilot.press("escape")
        assert isinstance(app.screen, CourseMapScreen)


async def test_the_palette_opens_the_sandbox(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"Backprop sandbox")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, BackpropSandboxScreen))


async def test_a_graph_that_cannot_be_built_is_explained_not_crashed(tmp_path, service):
    from dataclasses import replace

    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        lesson = app.session.course.lessons["graphs"]
        page = lesson.pages[1]
        exercise = page.exercises[0]
        broken = replace(exercise, data={**exercise.data, "nodes": [{"name": "u", "formula": "log(x - 1)"}],
                                         "output": "u"})
        pages = (lesson.pages[0], replace(page, segments=tuple(broken if s is exercise else s for s in page.segments)),
                 *lesson.pages[2:])
        app.session.course.lessons["graphs"] = replace(lesson, pages=pages)
        app.open_lesson("graphs", page=1)
        await wait_for(pilot, lambda: app.screen.query(BackpropCard))
        card = backprop_card(app, "graphs/e1")
        message = text_of(card.query_one(".unplayable", Static))
        assert "cannot be played" in message and "log(x - 1)" in message
        assert not card.query(StepperPanel) and not card.query("#check")
        card.query_one("#hint", Button).focus()
        await pilot.press("enter")  # the author's hint still shows
        assert "Hint 1/1" in text_of(card.query_one(".hints", Static))
