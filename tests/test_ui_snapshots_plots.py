"""The look of two figures in the lesson reader: a static one, and an interactive one after a key.

plotext output is deterministic for a given figure and size; the figures come from the fixture
lesson `figures`. Update the baselines after an intended change with
`pytest tests/test_ui_snapshots_plots.py --snapshot-update`, and look at the report first.
"""

from __future__ import annotations

from uikit import freeze_cursors, make_app, wait_for
from tutor.ui.widgets.plot_view import InteractivePlot, PlotView

SIZE = (100, 32)


async def _settle_on(pilot, app, page: int, widget_of) -> None:
    """Open a page of `figures`, wait for every figure, and put `widget_of(app)` at the top."""
    app.open_lesson("figures", page=page)
    await pilot.pause(0.1)
    views = list(app.screen.query(PlotView))
    await wait_for(pilot, lambda: all(v.settled for v in views), timeout=30)
    return widget_of(app)


async def _pin(pilot, app, widget) -> None:
    page = app.screen.query_one("#page")
    await pilot.wait_for_scheduled_animations()
    page.scroll_to_widget(widget, animate=False, top=True)
    await pilot.pause()
    page.scroll_to(y=round(page.scroll_y), animate=False)
    freeze_cursors(app)
    await pilot.pause(0.3)
    # The first figure may have been computed before the page's scroll bar took its column, and
    # small width changes are not recomputed: draw every figure once more at the final width.
    views = list(app.screen.query(PlotView))
    for view in views:
        view.redraw()
    await wait_for(pilot, lambda: all(v.settled for v in views), timeout=30)
    await pilot.pause(0.1)
    assert page.scroll_y == int(page.scroll_y)


def test_static_figure(snap_compare, tmp_path, service):
    app = make_app(tmp_path, service)

    async def show(pilot):
        view = await _settle_on(pilot, app, 1, lambda a: a.screen.query_one(PlotView))
        assert view.figure is not None and view.figure.title == "x³ and its derivative"
        app.screen.query_one("#page").focus()
        await _pin(pilot, app, view)

    assert snap_compare(app, terminal_size=SIZE, run_before=show)


def test_interactive_figure_after_a_key(snap_compare, tmp_path, service):
    app = make_app(tmp_path, service)

    async def play(pilot):
        plot = await _settle_on(pilot, app, 3, lambda a: a.screen.query(InteractivePlot).first())
        await wait_for(pilot, lambda: plot.query(".plot-control"))
        assert plot.model.kind == "taylor" and plot.model.order == 1
        plot.focus()
        draws = plot.view.draws
        await pilot.press("plus")  # sin: degree 1 -> 3
        await wait_for(pilot, lambda: plot.view.draws > draws)
        assert plot.model.order == 3
        await _pin(pilot, app, plot)

    assert snap_compare(app, terminal_size=SIZE, run_before=play)
