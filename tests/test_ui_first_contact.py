"""The first ten minutes in a terminal (issue 12): each key a learner presses does something they
can see, nothing stale stays beside a new draft, switching profile does not crash, and an answer
typed in a burst is checked exactly as it is in the box."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Button, Input, OptionList, Static

from uikit import answer_box, card, make_app, text_of, verdict_text, wait_for
from tutor.progress import open_profile
from tutor.ui.screens.course_map import CourseMapScreen
from tutor.ui.screens.dialogs import AskScreen, ConfirmScreen
from tutor.ui.screens.lesson import LessonScreen
from tutor.ui.widgets.answer_rows import AnswerRow

SIZE = (100, 30)
COURSE = Path(__file__).parent.parent / "lessons"


def in_view(widget) -> bool:
    """Some of `widget` is inside the visible part of the lesson page."""
    page = widget.screen.query_one("#page")
    region = widget.region
    return bool(region.height) and region.y < page.region.bottom and region.bottom > page.region.y


def stored(save_dir, exercise_id: str, profile: str = "default"):
    store, _ = open_profile(save_dir, profile)
    return store.profile.exercise(exercise_id)


async def open_slopes(pilot, app, page: int) -> LessonScreen:
    app.open_lesson("slopes", page=page)
    await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen.query(AnswerRow))
    await pilot.pause(0.1)
    return app.screen


async def type_in(pilot, app, exercise_id: str, text: str) -> None:
    box = answer_box(app, exercise_id)
    box.focus()
    box.value = ""
    await pilot.press(*text)


# -- the crash ---------------------------------------------------------------------------------------

async def test_switching_to_a_new_profile_from_the_palette_does_not_crash(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        await open_slopes(pilot, app, 1)
        app.ask_new_profile()
        await wait_for(pilot, lambda: isinstance(app.screen, AskScreen))
        await pilot.press(*"alice", "enter")
        await wait_for(pilot, lambda: app.session.profile_name == "alice" and isinstance(app.screen, CourseMapScreen))
        assert len(app.screen_stack) == 2
        app.switch_profile("default")  # an existing profile, from anywhere
        await wait_for(pilot, lambda: app.session.profile_name == "default" and isinstance(app.screen, CourseMapScreen))
        assert app.return_code is None  # still running


# -- keys that did nothing --------------------------------------------------------------------------

async def test_first_launch_enter_opens_the_highlighted_lesson(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        options = app.screen.query_one("#lessons", OptionList)
        assert options.highlighted is not None and app.focused is options
        await pilot.press("enter")
        assert isinstance(app.screen, LessonScreen)


async def test_reading_keys_scroll_the_text_even_without_contents(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=(120, 24)) as pilot:
        screen = await open_slopes(pilot, app, 1)
        page = screen.query_one("#page")
        assert app.focused is page
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: page.scroll_y > 0)
        await pilot.press("t")  # hide the contents: the keys still scroll the text
        assert not screen.query_one("#toc").display and app.focused is page
        await pilot.press("home")
        await wait_for(pilot, lambda: page.scroll_y == 0)
        await pilot.press("end")
        await wait_for(pilot, lambda: page.scroll_y > 0)


async def test_a_hint_appears_in_view(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_slopes(pilot, app, 1)
        answer_box(app, "slopes/e1").focus()
        await pilot.pause()
        await pilot.press("f2")
        hints = card(app, "slopes/e1").query_one(".hints", Static)
        await wait_for(pilot, lambda: hints.display and in_view(hints))


async def test_palette_go_to_exercise_shows_the_box(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_lesson("slopes", 2, "slopes/e4")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen.query(AnswerRow))
        box = answer_box(app, "slopes/e4")
        await wait_for(pilot, lambda: app.focused is box and in_view(box))


async def test_tab_goes_to_the_exercise_on_screen_and_f3_names_it(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_slopes(pilot, app, 2)
        page = screen.query_one("#page")
        last = card(app, "slopes/e4")
        page.scroll_to_widget(last, animate=False, top=True)
        page.focus()
        await pilot.pause(0.1)
        await pilot.press("tab")
        assert app.focused is answer_box(app, "slopes/e4")
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "slopes/e4" in app.screen.question


async def test_f6_goes_to_the_next_unsolved_exercise_across_pages(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_slopes(pilot, app, 1)
        await type_in(pilot, app, "slopes/e1", "6")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Correct" in verdict_text(app, "slopes/e1"))
        assert "f6" in app.screen.active_bindings  # in the footer
        await pilot.press("f6")  # from inside the box: a key that does not type
        assert answer_box(app, "slopes/e1").value == "6"
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "choice-main")
        assert screen.page == 1  # slopes/e2 (a choice) is on the same page
        await wait_for(pilot, lambda: stored(tmp_path, "slopes/e1").solved)
        await pilot.press("f6")
        await wait_for(pilot, lambda: screen.page == 2 and app.focused is answer_box(app, "slopes/e3"))



async def test_f6_to_another_page_brings_the_box_into_view_at_80x24(tmp_path, service):
    """The first lesson at 80x24: F6 opened page 2 with its answer box focused below the fold,
    so what the learner typed went into a box they could not see."""
    app = make_app(tmp_path, service, lessons=COURSE)
    async with app.run_test(size=(80, 24)) as pilot:
        first = next(iter(app.session.course.lessons.values()))
        app.open_lesson(first.id)
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.pause(0.2)
        await pilot.press("f6")
        await wait_for(pilot, lambda: app.screen.page > 0 and isinstance(app.focused, Input))
        await wait_for(pilot, lambda: in_view(app.focused), timeout=5)
        await pilot.pause(0.5)  # and it stays there while the prose above it settles
        assert in_view(app.focused)

# -- stale or doubled state -------------------------------------------------------------------------

async def test_typing_after_a_wrong_answer_clears_its_verdict_and_plot_offer(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        await open_slopes(pilot, app, 2)
        await type_in(pilot, app, "slopes/e3", "cos(x^3)")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Not yet" in verdict_text(app, "slopes/e3"))
        row = card(app, "slopes/e3").query_one(AnswerRow)
        await wait_for(pilot, lambda: row.query(".plot-answer"))
        await pilot.press("backspace", "backspace", "backspace", "backspace", "(")
        assert verdict_text(app, "slopes/e3") == ""
        assert not row.query(".plot-answer") and not row.can_plot
        await pilot.press("f4")
        await pilot.pause(0.1)
        assert not row.query(".answer-plot")  # F4 never plots an answer that is no longer there


async def test_solved_note_goes_when_the_draft_changes(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        await open_slopes(pilot, app, 1)
        await type_in(pilot, app, "slopes/e1", "6")
        await pilot.press("enter")
        await wait_for(pilot, lambda: stored(tmp_path, "slopes/e1").solved)
        await pilot.press("ctrl+q")
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        await open_slopes(pilot, app, 1)
        assert "Solved" in verdict_text(app, "slopes/e1")
        await type_in(pilot, app, "slopes/e1", "7")
        assert verdict_text(app, "slopes/e1") == ""


async def test_an_invalid_answer_is_explained_once(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        await open_slopes(pilot, app, 2)
        await type_in(pilot, app, "slopes/e3", "3x^2 + )")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Can't read" in verdict_text(app, "slopes/e3"))
        await pilot.pause(0.5)  # any preview still on its way arrives
        reading = text_of(card(app, "slopes/e3").query_one(".reading", Static))
        verdict = verdict_text(app, "slopes/e3")
        assert "nexpected" not in reading and "Unexpected ')'" in verdict


# -- an answer typed in a burst ----------------------------------------------------------------------

async def test_ctrl_u_then_a_burst_then_enter_checks_what_is_in_the_box(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        await open_slopes(pilot, app, 1)
        box = answer_box(app, "slopes/e1")
        box.focus()
        row = card(app, "slopes/e1").query_one(AnswerRow)
        for round_ in range(5):
            box.value = "9999"
            box.cursor_position = 4
            await pilot.pause()
            checked = []
            # As a terminal delivers a fast burst: every key queued before any is handled.
            for key, char in [("ctrl+u", None), *[(c, c) for c in "7016"], ("enter", None)]:
                app.post_message(events.Key(key, char))
            await wait_for(pilot, lambda: row.verdict is not None and not row.checking)
            checked.append(row.checked_answer)
            assert box.value == "7016" and checked == ["7016"], round_
            row.forget_verdict()


# -- friction ------------------------------------------------------------------------------------------

async def test_confirm_dialog_enter_picks_the_highlighted_button(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        answers = []
        app.push_screen(ConfirmScreen("Sure?", yes="Do it", no="Keep"), answers.append)
        await pilot.pause()
        focused = app.focused
        assert isinstance(focused, Button) and focused.variant == "primary"
        others = [b for b in app.screen.query(Button) if b is not focused]
        assert all(b.variant != "primary" for b in others)
        await pilot.press("enter")
        assert answers == [focused.id == "yes"]


async def test_numeric_prompt_says_the_precision_up_front(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        await open_slopes(pilot, app, 1)
        numeric = [row for row in app.screen.query(AnswerRow) if row.part.spec.kind == "numeric"]
        assert numeric
        for row in numeric:
            assert "significant figures" in text_of(row.query_one(".precision", Static))
        others = [row for row in app.screen.query(AnswerRow) if row.part.spec.kind == "derivative"]
        assert all(not row.query(".precision") for row in others)


async def test_palette_exercise_entries_show_the_prompt(tmp_path, service):
    from tutor.ui.commands import TutorCommands

    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        provider = TutorCommands(app.screen)
        names = [name for name, _, _ in provider._commands() if name.startswith("Go to exercise: slopes/e1")]
        assert names and len(names[0]) > len("Go to exercise: slopes/e1 · ")
        await pilot.pause()


def test_help_mentions_the_sandbox_key_and_keeps_the_abs_row_whole():
    from tutor.ui.screens.help import HELP_TEXT

    assert "backprop sandbox" in HELP_TEXT.lower()
    abs_row = next(line for line in HELP_TEXT.splitlines() if "abs(x)" in line)
    assert abs_row.count("|") - abs_row.count("\\|") == 3  # two cells, not split by |x|


# -- speed: the first frame comes before the course is read -------------------------------------------

async def test_first_frame_comes_before_the_course_is_read(tmp_path, service):
    import threading

    from tutor.session import Session
    from tutor.ui.app import TutorApp
    from uikit import FIXTURE_LESSONS

    release = threading.Event()

    def slow_open():
        release.wait(10)  # the course is being read...
        return Session.open(FIXTURE_LESSONS, tmp_path, "default")

    app = TutorApp(slow_open, service)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        assert app.session is None and "Opening the course" in text_of(app.screen.query_one("#opening", Static))
        release.set()
        await wait_for(pilot, lambda: isinstance(app.screen, CourseMapScreen))
        await pilot.press("enter")
        assert isinstance(app.screen, LessonScreen)


# -- one writer: key presses never wait on the disk -------------------------------------------------------

async def test_typing_never_waits_on_a_held_save_lock_and_saves_keep_their_order(tmp_path, service):
    import threading
    import time

    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        await open_slopes(pilot, app, 1)
        gate = threading.Event()
        app.save(lambda: gate.wait(10))  # the disk (or another tutor's lock) is stuck for now
        box = answer_box(app, "slopes/e1")
        box.focus()
        started = time.perf_counter()
        for text in ("5", "6"):
            box.value = ""
            await pilot.press(*text, "enter")
            await wait_for(pilot, lambda: card(app, "slopes/e1").query_one(AnswerRow).verdict is not None)
        assert time.perf_counter() - started < 8  # answered while every save waited
        assert app.writer.pending >= 2
        gate.set()
        await pilot.press("ctrl+q")
    record = stored(tmp_path, "slopes/e1")
    assert [a.answer for a in record.attempts] == ["5", "6"] and record.solved


async def test_f6_while_reading_goes_to_the_open_exercise_on_screen(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_slopes(pilot, app, 2)  # slopes/e3 is on this page, nothing focused in it
        await pilot.press("f6")
        await wait_for(pilot, lambda: app.focused is answer_box(app, "slopes/e3"))
        assert screen.page == 2


async def test_n_on_the_last_page_says_so_once_however_often_it_is_pressed(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        last = len(app.session.course.lessons["slopes"].pages) - 1
        screen = await open_slopes(pilot, app, last)
        app.notify("Something else.")
        screen.query_one("#page").focus()
        for _ in range(4):
            await pilot.press("n")
            await pilot.pause()
        notes = [n.message for n in app._notifications]
        assert sum("last page" in m for m in notes) == 1  # replaced, not stacked
        assert "Something else." in notes  # other notifications stay
        assert screen.page == last
