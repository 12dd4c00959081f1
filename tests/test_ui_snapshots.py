"""The look of the key screens, pinned at a fixed size on the fixture course.

Update the baselines after an intended change with `pytest tests/test_ui_snapshots.py --snapshot-update`,
and look at the report before committing them.
"""

from __future__ import annotations

from uikit import answer_box, freeze_cursors, make_app, verdict_text, wait_for

SIZE = (100, 32)


def test_course_map(snap_compare, tmp_path, service):
    app = make_app(tmp_path, service)

    async def settle(pilot):
        freeze_cursors(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_lesson_page(snap_compare, tmp_path, service):
    app = make_app(tmp_path, service)

    async def open_page(pilot):
        app.open_lesson("slopes", page=1)
        await pilot.pause(0.2)
        # The math block is drawn by the checker's worker; wait for its 2-D form.
        await wait_for(pilot, lambda: "2⋅x" in str(app.screen.query_one(".math").render()))
        freeze_cursors(app)
        app.screen.query_one("#page").focus()
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=open_page)


def test_exercise_after_a_wrong_answer(snap_compare, tmp_path, service):
    app = make_app(tmp_path, service)

    async def answer_wrong(pilot):
        app.open_lesson("slopes", page=2)
        await pilot.pause(0.2)
        box = answer_box(app, "slopes/e3")
        box.focus()
        await pilot.press(*"cos(x^3)")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Not yet" in verdict_text(app, "slopes/e3"))
        await wait_for(pilot, lambda: "read as" in str(app.screen.query(".reading").first().render()))
        # The attempt is saved in the background; the card's status mark follows when it is on disk.
        await wait_for(pilot, lambda: "attempted" in str(app.screen.query(".card-title").first().render()))
        freeze_cursors(app)
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=(100, 36), run_before=answer_wrong)


def test_help_screen(snap_compare, tmp_path, service):
    app = make_app(tmp_path, service)

    async def open_help(pilot):
        await pilot.press("f1")
        freeze_cursors(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=open_help)


def _lesson_header_at(width: int):
    def test(snap_compare, tmp_path, service):
        app = make_app(tmp_path, service)

        async def open_page(pilot):
            app.open_lesson("slopes", page=1)
            await pilot.pause(0.2)
            freeze_cursors(app)
            app.screen.query_one("#page").focus()
            await pilot.pause()

        assert snap_compare(app, terminal_size=(width, 12), run_before=open_page)

    return test


# The page line names the page and keeps "page n of m" whole at every width.
test_lesson_header_80 = _lesson_header_at(80)
test_lesson_header_100 = _lesson_header_at(100)
test_lesson_header_120 = _lesson_header_at(120)


def test_course_map_80x24(snap_compare, tmp_path, service):
    app = make_app(tmp_path, service)

    async def settle(pilot):
        freeze_cursors(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)
