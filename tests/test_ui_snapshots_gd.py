"""The look of a gd exercise (momentum/e5: level sets, the path, the goal line, a verdict) in a
dark and a light theme.

Update the baselines after an intended change with
`pytest tests/test_ui_snapshots_gd.py --snapshot-update`, and look at the report first.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from lessonkit import FIXTURES
from uikit import freeze_cursors, make_app, text_of, wait_for
from tutor.ui.widgets.gd_card import GdCard

SIZE = (120, 66)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
def test_gd_card_after_an_oscillating_setting(snap_compare, tmp_path, service, theme):
    app = make_app(tmp_path, service, lessons=FIXTURES / "gd")

    async def check_too_much_momentum(pilot):
        app.theme = theme
        app.open_lesson("momentum")
        await pilot.pause(0.2)
        card = app.screen.query_one(GdCard)
        box = card.query_one(".gd-input", Input)
        box.focus()
        box.value = "beta=0.99"
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Not yet" in text_of(card.query_one(".verdict")))
        await wait_for(pilot, lambda: card.model is not None and card.model.settings["beta"] == 0.99
                       and card.plot.view.settled and "oscillating" in card.plot.view.figure.readout[1])
        await wait_for(pilot, lambda: "attempted" in text_of(card.query_one(".card-title")))
        card.plot.focus()  # out of the box: no cursor in the picture
        freeze_cursors(app)
        page = app.screen.query_one("#page")
        await pilot.wait_for_scheduled_animations()
        page.scroll_to_widget(card, animate=False, top=True)
        await pilot.pause()
        page.scroll_to(y=round(page.scroll_y), animate=False)
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=SIZE, run_before=check_too_much_momentum)
