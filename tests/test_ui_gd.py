"""The gd card (the gradient-descent playground) driven by keys and by typing, and the free
playground in a lesson: the path and the verdict follow the setting."""

from __future__ import annotations

from textual.widgets import Input

from lessonkit import FIXTURES
from uikit import make_app, text_of, wait_for
from tutor.ui.widgets.gd_card import GdCard
from tutor.ui.widgets.plot_view import InteractivePlot

SIZE = (110, 50)
GD = FIXTURES / "gd"


def gd_card(app, exercise_id: str) -> GdCard:
    return next(c for c in app.screen.query(GdCard) if c.exercise.id == exercise_id)


def path_end(card: GdCard) -> tuple[float, ...]:
    """The last point of the path series as drawn (x, and y: f(x) in 1-D, w1 in 2-D)."""
    series = card.plot.view.figure.panels[0].find("path")
    return float(series.xs[-1]), float(series.ys[-1])


async def drawn(pilot, card: GdCard, predicate=lambda: True) -> None:
    await wait_for(pilot, lambda: card.plot.view.figure is not None and card.plot.view.settled and predicate())


async def test_keys_change_the_setting_the_path_and_the_verdict(tmp_path, service):
    app = make_app(tmp_path, service, lessons=GD)
    async with app.run_test(size=SIZE) as pilot:
        app.open_lesson("learning-rate")
        await pilot.pause()
        card = gd_card(app, "learning-rate/e1")
        await drawn(pilot, card)
        assert card.model.settings["lr"] == 0.001
        assert card.plot.view.figure.readout[1].startswith("|x − 2.25| = 0.0867115")
        assert "Too slow" in card.plot.view.figure.readout[1]
        slow_end = path_end(card)
        card.plot.focus()
        for _ in range(5):  # 0.001 → 0.002 → 0.003 → 0.005 → 0.007 → 0.01 on the 1-2-3-5-7 ladder
            await pilot.press("plus")
        await drawn(pilot, card, lambda: card.model.settings["lr"] == 0.01)
        assert card.plot.view.figure.readout == ("α = 0.01", "✓ |x − 2.25| = 6.49543e-11 after 100 steps "
                                                 "(goal < 0.001); it got there at step 27.")
        assert path_end(card) != slow_end and abs(path_end(card)[0] - 2.25) < 1e-3
        assert card.query_one(".gd-input", Input).value == "0.01"  # the box follows the keys
        await pilot.press("right")  # nudge: ×1.1
        await drawn(pilot, card, lambda: card.model.settings["lr"] == 0.011)
        await pilot.press("left")
        await drawn(pilot, card, lambda: card.model.settings["lr"] == 0.01)
        await pilot.press("f5")  # Check the figure's setting: recorded like any attempt
        await wait_for(pilot, lambda: "Correct" in text_of(card.query_one(".verdict")))
        await wait_for(pilot, lambda: "solved" in text_of(card.query_one(".card-title")))
        attempts = app.session.record("learning-rate/e1").attempts
        assert [(a.answer, a.status) for a in attempts] == [("0.01", "correct")]


async def test_a_typed_setting_is_checked_and_drawn(tmp_path, service):
    app = make_app(tmp_path, service, lessons=GD)
    async with app.run_test(size=SIZE) as pilot:
        app.open_lesson("learning-rate")
        await pilot.pause()
        card = gd_card(app, "learning-rate/e1")
        await drawn(pilot, card)
        box = card.query_one(".gd-input", Input)
        box.focus()
        box.value = "0.1"
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Not yet" in text_of(card.query_one(".verdict")))
        assert "It diverged at step 3" in text_of(card.query_one(".verdict"))
        await drawn(pilot, card, lambda: card.model.settings["lr"] == 0.1)
        assert "diverged at step 3" in card.plot.view.figure.readout[1]
        assert len(card.plot.view.figure.panels[0].find("iterates").xs) == 3  # x0, x1, x2: then it escaped
        box.value = "beta=0.9"
        await pilot.press("enter")
        await wait_for(pilot, lambda: "not something you choose" in text_of(card.query_one(".verdict")))
        assert card.model.settings["lr"] == 0.1  # an unreadable setting leaves the figure alone
        attempts = app.session.record("learning-rate/e1").attempts
        assert [(a.answer, a.status, a.diagnosis) for a in attempts][0] == ("0.1", "incorrect", "diverged")


async def test_two_dimensional_card_draws_level_sets_and_the_goal_line(tmp_path, service):
    app = make_app(tmp_path, service, lessons=GD)
    async with app.run_test(size=SIZE) as pilot:
        app.open_lesson("momentum")
        await pilot.pause()
        card = gd_card(app, "momentum/e5")
        await drawn(pilot, card)
        top, measure = card.plot.view.figure.panels
        assert top.find("level sets of the loss").finite_count > 100
        assert measure.find("goal: < 0.05").ys.tolist() == [0.05, 0.05]
        card.plot.focus()
        for _ in range(9):  # β from 0 in steps of 0.1
            await pilot.press("plus")
        await drawn(pilot, card, lambda: abs(card.model.settings["beta"] - 0.9) < 1e-12)
        assert card.plot.view.figure.readout[1] == "✓ ‖w‖ = 0.019034 after 100 steps (goal < 0.05)."


async def test_the_free_playground_switches_optimizer(tmp_path, service):
    app = make_app(tmp_path, service, lessons=GD)
    async with app.run_test(size=SIZE) as pilot:
        app.open_lesson("gradient-descent-1d", page=1)
        await pilot.pause()
        plot = app.screen.query_one(InteractivePlot)
        await wait_for(pilot, lambda: plot.view.figure is not None and plot.model is not None)
        assert plot.view.figure.title.startswith("Gradient descent on w0^2 + 10*w1^2")
        gd_end = plot.view.figure.panels[0].find("path").xs[-1]
        plot.focus()
        await pilot.press("o")
        await wait_for(pilot, lambda: plot.view.figure.title.startswith("Momentum"))
        assert plot.view.figure.panels[0].find("path").xs[-1] != gd_end
        assert plot.view.figure.readout[0].startswith("α = 0.05, β = 0.9")
        await pilot.press("o")
        await wait_for(pilot, lambda: plot.view.figure.title.startswith("Adam"))
