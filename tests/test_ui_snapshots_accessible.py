"""The accessible mode's look: high contrast, focus shown by the border's shape, the answer's
reading also in words, and a figure followed by its description with its key numbers.

Update the baselines after an intended change with
`pytest tests/test_ui_snapshots_accessible.py --snapshot-update`, and look at the report first.
"""

from __future__ import annotations

from test_ui_snapshots_plots import _pin, _settle_on
from uikit import answer_box, freeze_cursors, make_app, text_of, verdict_text, wait_for
from tutor.ui.widgets.plot_view import PlotView


def test_accessible_exercise_after_a_wrong_answer(snap_compare, tmp_path, service):
    app = make_app(tmp_path, service)
    app.accessible = True

    async def answer_wrong(pilot):
        app.open_lesson("slopes", page=2)
        await pilot.pause(0.2)
        box = answer_box(app, "slopes/e3")
        box.focus()
        await pilot.press(*"cos(x^3)")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Not yet" in verdict_text(app, "slopes/e3"))
        await wait_for(pilot, lambda: "in words" in text_of(app.screen.query(".reading").first()))
        await wait_for(pilot, lambda: "attempted" in str(app.screen.query(".card-title").first().render()))
        freeze_cursors(app)
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=(100, 40), run_before=answer_wrong)


def test_accessible_figure_with_its_description(snap_compare, tmp_path, service):
    app = make_app(tmp_path, service)
    app.accessible = True

    async def show(pilot):
        view = await _settle_on(pilot, app, 1, lambda a: a.screen.query_one(PlotView))
        app.screen.query_one("#page").focus()
        await _pin(pilot, app, view)
        assert "Figure: x³ and its derivative" in text_of(view.query_one(".plot-words"))

    assert snap_compare(app, terminal_size=(100, 44), run_before=show)
