"""The look of a code exercise after a failing run, in a dark and a light theme.

Update the baselines after an intended change with
`pytest tests/test_ui_snapshots_code.py --snapshot-update`, and look at the report first.
"""

from __future__ import annotations

import pytest
from textual.widgets import TextArea

from uikit import freeze_cursors, make_app, wait_for
from tutor.ui.widgets.code_card import CodeCard

SIZE = (100, 44)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
def test_code_exercise_after_a_failing_run(snap_compare, tmp_path, service, theme):
    app = make_app(tmp_path, service)

    async def run_wrong_code(pilot):
        app.theme = theme
        app.open_lesson("chains", page=1)
        await pilot.pause(0.2)
        card = app.screen.query_one(CodeCard)
        card.editor.text = 'def double(x):\n    print("double of", x)\n    return x + 1\n'
        card.focus_answer()
        await pilot.press("f5")
        await wait_for(pilot, lambda: not card.running and "Not yet" in str(card.query_one(".verdict").render()))
        await wait_for(pilot, lambda: "attempted" in str(card.query_one(".card-title").render()))
        # Esc leaves the editor, so no blinking cursor is drawn. (TextArea caches its lines by
        # cursor visibility, so `cursor_blink = False` alone can leave the cursor in or out.)
        await pilot.press("escape")
        assert not isinstance(app.focused, TextArea)
        freeze_cursors(app)
        # Focus scrolls the page smoothly and can leave it between two lines: scroll the card into
        # view (it is the last thing on the page), on a whole line.
        page = app.screen.query_one("#page")
        await pilot.wait_for_scheduled_animations()
        page.scroll_to_widget(card, animate=False, top=True)
        await pilot.pause()
        page.scroll_to(y=round(page.scroll_y), animate=False)
        await pilot.pause(0.3)
        assert page.scroll_y == int(page.scroll_y)
        assert page.region.contains_region(card.region)  # the whole card is in the picture

    assert snap_compare(app, terminal_size=SIZE, run_before=run_wrong_code)
