"""Figures in the lesson reader, driven like a learner: keys and clicks change them.

The fixture lesson `figures` holds one static figure with a derivative exercise (page 1) and one
figure of each interactive kind (pages 2-4).
"""

from __future__ import annotations

import pytest
from textual.app import App
from textual.widgets import Button, Input, Static

from uikit import card, make_app, text_of, verdict_text, wait_for
from tutor.ui.widgets.plot_view import InteractivePlot, PlotCanvas, PlotView

SIZE = (100, 40)
FIGURES = {"static": 1, "tangent": 2, "secant": 2, "taylor": 3, "activations": 3, "gd": 4, "numdiff-error": 4}


async def open_figures(pilot, app, page: int) -> list[PlotView]:
    app.open_lesson("figures", page=page)
    await pilot.pause(0.1)
    views = list(app.screen.query(PlotView))
    await wait_for(pilot, lambda: all(v.draws for v in views), timeout=30)
    return views


def interactive(app, kind: str) -> InteractivePlot:
    for plot in app.screen.query(InteractivePlot):
        if plot.model is not None and plot.model.kind == kind:
            return plot
    raise LookupError(kind)


async def test_a_static_figure_is_drawn_with_its_legend_and_points(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        (view,) = await open_figures(pilot, app, FIGURES["static"])
        assert not app.screen.query(InteractivePlot)  # no `interactive:`, no controls
        assert view.error is None
        assert view.figure.title == "x³ and its derivative"
        (panel,) = view.figure.panels
        assert [s.label for s in panel.series] == ["x³", "3x²"]
        assert [m.label for m in panel.markers] == ["(1, 1)"]
        canvas = view.query_one(PlotCanvas)
        drawn = canvas.render().plain
        assert any("\u2800" < ch <= "\u28ff" for ch in drawn), "the curves are braille lines"
        assert "● (1, 1)" in drawn
        legend = text_of(view.query_one(".plot-legend", Static))
        assert "── x³" in legend and "╌╌ 3x²" in legend  # the glyph tells line from dashed
        assert not view.query_one(".plot-status").display  # "drawing…" is gone


@pytest.mark.parametrize(("kind", "keys", "state"), [
    ("tangent", ["right", "right"], lambda m: m.x0),
    ("secant", ["minus"], lambda m: m.h),
    ("taylor", ["plus"], lambda m: m.order),
    ("activations", ["d"], lambda m: m.show_derivatives),
    ("activations", ["left"], lambda m: m.probe),
    ("gd", ["plus", "plus"], lambda m: m.lr),
    ("gd", ["right"], lambda m: m.steps),
    ("numdiff-error", ["left"], lambda m: m.cursor),
])
async def test_each_interactive_figure_changes_with_its_keys(tmp_path, service, kind, keys, state):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        await open_figures(pilot, app, FIGURES[kind])
        plot = interactive(app, kind)
        await wait_for(pilot, lambda: plot.query(".plot-control"))  # its buttons, once the model is built
        plot.focus()
        await pilot.pause()
        before_state, before = state(plot.model), plot.view.summary()
        draws = plot.view.draws
        await pilot.press(*keys)
        await wait_for(pilot, lambda: plot.view.draws > draws and plot.view.summary() != before)
        await pilot.pause(0.2)  # every queued key has been drawn
        assert state(plot.model) != before_state
        assert plot.view.summary() != before


async def test_controls_are_keys_and_buttons_but_leave_the_footer_to_the_page(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        await open_figures(pilot, app, FIGURES["tangent"])
        plot = interactive(app, "tangent")
        await wait_for(pilot, lambda: plot.query(".plot-control"))
        plot.focus()
        await pilot.pause()
        active = app.screen.active_bindings
        assert active["right"].binding.description == "move x₀ right"
        assert active["minus"].binding.description == "smaller steps"
        assert not active["right"].binding.show  # listed on the buttons, not in the footer
        assert active["n"].binding.show  # the page's own keys stay in the footer
        assert plot.has_focus  # the focused figure shows its border (CSS :focus)

        # A click on a button is the same as its key.
        x0, readout = plot.model.x0, plot.view.figure.readout
        draws = plot.view.draws
        await pilot.click("#control-1")  # "→ move x₀ right"
        await wait_for(pilot, lambda: plot.view.draws > draws)
        assert plot.model.x0 > x0
        assert plot.view.figure.readout != readout and "x₀ = " in plot.view.figure.readout[0]
        assert app.focused is plot


async def test_taylor_stops_at_its_lowest_degree(tmp_path, service):
    """A key that changes nothing (already at the limit) does not redraw."""
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        await open_figures(pilot, app, FIGURES["taylor"])
        plot = interactive(app, "taylor")
        await wait_for(pilot, lambda: plot.query(".plot-control"))
        plot.focus()
        assert plot.model.order == 1
        draws = plot.view.draws
        await pilot.press("minus", "minus", "minus")  # degree 1 is the lowest non-zero term of sin
        await pilot.pause(0.3)
        assert plot.model.order == 1 and plot.view.draws == draws


async def test_a_resize_recomputes_the_figure_for_the_new_width(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        (view,) = await open_figures(pilot, app, FIGURES["static"])
        width, draws = view._width, view.draws
        await pilot.resize_terminal(140, 40)
        await wait_for(pilot, lambda: view.draws > draws)
        assert view._width > width
        assert view.query_one(PlotCanvas).plan is not None


async def test_plot_my_answer_after_a_wrong_derivative(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        await open_figures(pilot, app, FIGURES["static"])
        exercise = card(app, "figures/e1")
        assert not exercise.query(".plot-answer")  # nothing to plot before a wrong answer
        box = exercise.query_one(Input)
        box.focus()
        await pilot.press("f4")
        assert not exercise.query(".answer-plot")

        await pilot.press(*"3*x", "enter")
        await wait_for(pilot, lambda: "Not yet" in verdict_text(app, "figures/e1"))
        assert exercise.query_one(".plot-answer", Button).display
        assert app.screen.active_bindings["f4"].binding.description == "Plot answer"  # short: the footer fits 80 columns
        await pilot.press("f4")
        await wait_for(pilot, lambda: exercise.query(".answer-plot")
                       and exercise.query_one(".answer-plot", InteractivePlot).view.draws)
        plot = exercise.query_one(".answer-plot", InteractivePlot)
        figure = plot.view.figure
        assert figure.title == "your f' against true f'"
        (panel,) = figure.panels
        assert {s.label for s in panel.series} == {"your f'", "true f'"}
        assert "largest gap at x = " in figure.readout[0]  # and it is marked on both curves
        assert {m.label for m in panel.markers} == {"your f'", "true f'"}

        box.focus()
        await pilot.press("f4")
        await pilot.pause()
        assert not exercise.query(".answer-plot")
        await pilot.click(".plot-answer")  # the button toggles it too
        await wait_for(pilot, lambda: exercise.query(".answer-plot"))

        # The right answer: nothing left to compare, the key and the button go away.
        box.focus()
        box.value = ""
        await pilot.press(*"3*x^2", "enter")
        await wait_for(pilot, lambda: "Correct" in verdict_text(app, "figures/e1"))
        await pilot.pause()
        assert not exercise.query(".plot-answer") and not exercise.query(".answer-plot")
        assert "f4" not in app.screen.active_bindings or not app.screen.active_bindings["f4"].enabled


class _OnePlot(App):
    def __init__(self, data) -> None:
        super().__init__()
        self.data = data

    def compose(self):
        yield PlotView.from_block(self.data)


@pytest.mark.parametrize("data", [
    {"title": "broken", "curves": [{"expr": "x^^2"}]},
    {"title": "nothing here", "x": [0, 1], "curves": [{"expr": "ln(x - 5)"}]},
])
async def test_a_figure_that_fails_says_why_in_one_line(data):
    app = _OnePlot(data)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(PlotView)
        await wait_for(pilot, lambda: view.draws, timeout=30)
        status = text_of(view.query_one(".plot-status", Static))
        assert view.figure is None and status.startswith("This figure could not be drawn: ")
        assert "Traceback" not in status and "\n" not in status
        assert not view.query_one(".plot-grid").display


class _Figures(App):
    """One PlotView on a figure the test makes; failures of background jobs are kept."""

    def __init__(self, source) -> None:
        super().__init__()
        self.source = source
        self.failures: list[BaseException] = []

    def compose(self):
        yield PlotView(self.source)

    def report_failure(self, error: BaseException) -> None:
        self.failures.append(error)


def _one_panel(readout: tuple[str, ...] = ()):
    import numpy as np

    from tutor.plots.model import Figure, Panel, Series

    xs = np.linspace(0.0, 1.0, 50)
    return Figure("f", (Panel("p", (0.0, 1.0), (0.0, 1.0), series=(Series("x", xs, xs),), readout=readout),))


async def test_a_readout_is_plain_text_not_markup():
    """`f(E[X])` is how the expectation figure writes Jensen's gap; `[X]` is not a style."""
    app = _Figures(lambda width: _one_panel(("f(E[X]) = 4.00 ≤ E[f(X)] = 5.00", "[bold]x[/bold]")))
    async with app.run_test(size=(80, 30)) as pilot:
        view = app.query_one(PlotView)
        await wait_for(pilot, lambda: view.draws, timeout=30)
        readout = text_of(view.query_one(".plot-readout", Static))
        assert readout == "f(E[X]) = 4.00 ≤ E[f(X)] = 5.00\n[bold]x[/bold]"


async def test_a_figure_that_arrives_while_its_page_is_being_removed_is_dropped_quietly():
    """Paging fast (`n` through `hessian` at 80x24): a page's figure is computed, then lands while
    the page is being taken down, its title and panels already gone. The learner must see
    nothing of it (it was "NoMatches: No nodes match '.plot-title'" in a red toast)."""
    from tutor.ui.widgets.plot_draw import plan_panel
    from tutor.ui.widgets.plot_view import CANVAS_ROWS

    app = _Figures(lambda width: _one_panel())
    async with app.run_test(size=(80, 30)) as pilot:
        view = app.query_one(PlotView)
        await wait_for(pilot, lambda: view.draws, timeout=30)
        figure = _one_panel()
        plans = tuple(plan_panel(panel, 60, CANVAS_ROWS) for panel in figure.panels)
        await view.remove_children()  # a removal takes the children first...
        removed = view.remove()  # ...and the view is on its way out when the figure lands
        view._show(view.next_generation(), figure, plans)
        view._show_failure(view.next_generation(), "late")
        await removed
        await pilot.pause(0.2)
        assert view.draws == 1 and view.error is None
        assert app.failures == []


@pytest.mark.parametrize("y_range", [(-3.0, 0.5), (-2.9, 0.2), (-1.0, 1.0), (-0.5, 2.5)])
async def test_a_curve_at_zero_is_drawn_in_the_row_of_the_zero_tick(y_range):
    """plotext places ticks and lines by different roundings: a line at y = 0 sat a row above or
    below its 0 tick for some ranges. Ticks are now put where the line is drawn."""
    import numpy as np

    from tutor.plots.model import Figure, Panel, Series

    xs = np.linspace(0.0, 1.0, 80)
    figure = Figure("zero", (Panel("p", (0.0, 1.0), y_range, series=(Series("0", xs, np.zeros_like(xs)),)),))
    app = _Figures(lambda width: figure)
    async with app.run_test(size=(70, 30)) as pilot:
        view = app.query_one(PlotView)
        await wait_for(pilot, lambda: view.draws, timeout=30)
        await pilot.pause(0.1)
        rows = view.query_one(PlotCanvas).render().plain.split("\n")
        (tick,) = [i for i, row in enumerate(rows) if row.lstrip().startswith("0┤")]
        (line,) = [i for i, row in enumerate(rows) if sum("\u2800" < ch <= "\u28ff" for ch in row) > 20]
        assert line == tick, "\n".join(rows)


async def test_a_line_ending_at_the_right_edge_stays_inside_the_frame():
    import numpy as np

    from tutor.plots.model import Figure, Marker, Panel, Series

    xs = np.linspace(-3.0, 5.0, 200)
    panel = Panel("p", (-3.0, 5.0), (0.0, 1.0), series=(Series("p3", xs, 1 / (1 + np.exp(-xs)), "bold"),),
                  markers=(Marker(5.0, 1 / (1 + np.exp(-5.0)), "p3 at z = 5"),))
    for size in ((50, 30), (71, 30), (100, 30)):
        app = _Figures(lambda width: Figure("edge", (panel,)))
        async with app.run_test(size=size) as pilot:
            view = app.query_one(PlotView)
            await wait_for(pilot, lambda: view.draws, timeout=30)
            await pilot.pause(0.1)
            rows = view.query_one(PlotCanvas).render().plain.split("\n")
            edge = rows[0].index("┐")
            for row in rows[1:-1]:
                assert row[edge] in "│┤┘" and not row[edge + 1:].strip(), "\n".join(rows)
            assert "p3 at z = 5 ●" in "\n".join(rows)


def test_a_change_asked_before_the_model_exists_is_applied_when_it_is_built():
    """A setting typed (and checked) while the figure's first drawing is still in its worker must
    still move the figure: it waits for the model instead of being dropped."""
    from tutor.plots import interactive_from_block

    block = {"x": [0, 3], "function": "x^2", "at": 1, "h": 1, "interactive": "secant"}
    plot = InteractivePlot(lambda: interactive_from_block(block))
    moved = []

    def change(model):
        moved.append(model)
        return True

    plot.change(change)
    assert plot.model is None and not moved
    plot._figure(60)
    assert moved == [plot.model] and plot.model is not None
