"""The practice game in the TUI: a review session played over three simulated days, the course
map's due line and mastery words, the stats screen and the lesson-complete celebration."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from textual.widgets import Input, Markdown, Static
from lessonkit import SLOPE_FAMILY, exercise as fence, front_matter, make_course  # noqa: F401
from uikit import answer_box, make_app, text_of, wait_for

from tutor.lessons.exercises import variant
from tutor.lessons.loader import load_course

from tutor.progress import open_profile
from tutor.ui.widgets.exercise_card import ExerciseCard
from tutor.ui.screens.course_map import CourseMapScreen
from tutor.ui.screens.review import ReviewScreen
from tutor.ui.screens.stats import StatsScreen

SIZE = (100, 32)
DAY0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
ANSWERS = {"slopes/e1": "6", "slopes/e3": "3x^2cos(x^3)", "figures/e1": "3x^2"}


def lesson_history(save_dir) -> None:
    """Day 0, in the lessons: slopes/e1 first try (Good), slopes/e3 revealed (Again), figures/e1
    after a wrong try (Hard)."""
    store, issue = open_profile(save_dir)
    assert issue is None
    t = DAY0.isoformat()
    store.record_attempt("slopes/e1", "6", "correct", time=t)
    store.record_attempt("slopes/e3", "1", "incorrect", time=t)
    store.record_reveal("slopes/e3", time=t)
    store.record_attempt("figures/e1", "x", "incorrect", time=t)
    store.record_attempt("figures/e1", "3x^2", "correct", time=t)
    store.close(backup=False)


def at(app, day: int) -> None:
    app.session.clock = lambda: DAY0 + timedelta(days=day, hours=1)


async def play_review(pilot, app) -> list[str]:
    """Open the review from the course map and answer every card right; the cards served."""
    await pilot.press("r")
    await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
    screen = app.screen
    served = []
    while screen.current is not None:
        exercise = screen.current
        served.append(exercise)
        await wait_for(pilot, lambda: any(c.exercise.id == exercise for c in screen.query(ExerciseCard)))
        await pilot.pause()
        box = answer_box(app, exercise)
        box.focus()
        box.value = ""
        await pilot.press(*ANSWERS[exercise], "enter")
        try:
            await wait_for(pilot, lambda: exercise in screen.finished, timeout=20)
        except AssertionError:
            from uikit import verdict_text
            raise AssertionError(f"{exercise}: {verdict_text(app, exercise)!r} {box.value!r} {app.focused}")
        await pilot.press("f6")
    app.writer.flush()
    await pilot.press("escape")
    await wait_for(pilot, lambda: isinstance(app.screen, CourseMapScreen))
    return served


async def recount(pilot, app) -> None:
    """Redraw the course map and wait for the practice game counted off the UI thread."""
    screen = app.screen
    screen.game = None
    screen.refresh_progress()
    await wait_for(pilot, lambda: screen.game is not None)
    await pilot.pause()


def due_line(app) -> str:
    line = app.screen.query_one("#due-line", Static)
    return text_of(line) if line.display else ""


async def test_a_review_session_over_three_days(tmp_path, service):
    lesson_history(tmp_path)
    app = make_app(tmp_path, service)
    at(app, 1)
    async with app.run_test(size=SIZE) as pilot:
        # Day 1: the revealed and the helped exercise are due; the first-try solve is not.
        await recount(pilot, app)
        assert "2 reviews due" in due_line(app)
        assert sorted(app.session.practice().queue()) == ["figures/e1", "slopes/e3"]
        served = await play_review(pilot, app)
        assert sorted(served) == ["figures/e1", "slopes/e3"]
        events = app.session.store.practice_events()
        assert [w for e, _t, w, r, _s in events if r] == ["shown", "correct", "shown", "correct"]
        await recount(pilot, app)
        assert due_line(app) == "" and app.session.practice().queue() == []

        # Day 2: the first-try solve of day 0 is due (its first interval is longer), and only it:
        # what was passed yesterday is not back yet.
        at(app, 2)
        await recount(pilot, app)
        assert "1 review due" in due_line(app)
        assert await play_review(pilot, app) == ["slopes/e1"]

        # Day 3: nothing is due.
        at(app, 3)
        await recount(pilot, app)
        assert due_line(app) == "" and app.session.practice().queue() == []
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, CourseMapScreen)  # nothing to review: a note, no screen
        assert app.session.practice().mastery["figures"].level == "mastered"  # proficient day 0, passed day 1


async def test_the_stats_screen_shows_the_numbers_and_the_charts(tmp_path, service):
    lesson_history(tmp_path)
    app = make_app(tmp_path, service)
    at(app, 1)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: getattr(app.screen, "game", None) is not None)
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, StatsScreen))
        summary = text_of(app.screen.query_one("#stats-summary", Static))
        assert "Reviews due now: 2" in summary and "XP in all" in summary
        plot = app.screen.query_one("#stats-plot")
        await wait_for(pilot, lambda: plot.draws > 0)
        assert [p.title for p in plot.figure.panels] == [
            "XP per day (last 30 days)", "Reviews due (next 14 days)", "Accuracy per part (%)",
            "Mastery per part (lessons)"]
        await pilot.press("escape")
        assert isinstance(app.screen, CourseMapScreen)


# -- fresh variants and multi-part cards in review -------------------------------------------------

TWO_PARTS = """\
id: a/e2
kind: numeric
prompt: Two sums.
parts:
  - key: a
    prompt: 2 + 2
    answer: "4"
  - key: b
    prompt: 3 + 3
    answer: "6"
solution: 4 and 6.
"""


def two_exercises(make_course):
    return make_course({"a": front_matter("a") + "\nSlopes.\n\n" + fence(SLOPE_FAMILY) + "\n" + fence(TWO_PARTS)})


def solved_with_a_wrong_try(save_dir) -> None:
    """Day 0, in the lesson: both exercises solved after a wrong try (Hard): due again on day 1."""
    store, issue = open_profile(save_dir)
    assert issue is None
    t = DAY0.isoformat()
    store.record_attempt("a/e1", "1", "incorrect", time=t)
    store.record_attempt("a/e1", "6", "correct", time=t)
    store.record_attempt("a/e2", "5", "incorrect", part="a", parts=("a", "b"), time=t)
    store.record_attempt("a/e2", "4", "correct", part="a", parts=("a", "b"), time=t)
    store.record_attempt("a/e2", "6", "correct", part="b", parts=("a", "b"), time=t)
    store.close(backup=False)


async def open_review(pilot, app) -> ReviewScreen:
    await recount(pilot, app)
    await pilot.press("r")
    await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
    return app.screen


async def serve(pilot, screen, exercise_id: str) -> ExerciseCard:
    while screen.current != exercise_id:  # the queue's order is the scheduler's; skip to the one wanted
        await pilot.press("f6")
    await wait_for(pilot, lambda: any(c.exercise.id == exercise_id for c in screen.query(ExerciseCard)))
    await pilot.pause()
    return screen.query_one(ExerciseCard)


async def type_into(pilot, box: Input, text: str) -> None:
    box.focus()
    box.value = ""
    await pilot.press(*text, "enter")


async def test_a_review_serves_a_fresh_variant_and_accepts_its_answer(tmp_path, make_course, service):
    folder = two_exercises(make_course)
    written = load_course(folder).exercise("a/e1")
    save_dir = tmp_path / "saves"
    solved_with_a_wrong_try(save_dir)
    app = make_app(save_dir, service, lessons=folder)
    at(app, 1)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, app)
        served = await serve(pilot, screen, "a/e1")
        fresh = variant(written, 1)  # one past the highest seed seen (0: the lesson's own)
        assert served.exercise.seed == 1 and served.exercise.prompt == fresh.prompt != written.prompt
        shown_prompt = served.query_one(".prompt", Markdown).source
        assert shown_prompt == fresh.prompt
        assert "fresh numbers" in text_of(screen.query_one("#review-status", Static))
        assert str(fresh.parts[0].spec.answer) != "6"  # the lesson's answer is not this one's
        assert "new" in text_of(served.query_one(".card-title", Static))
        await type_into(pilot, served.query_one(Input), "6")
        # The title follows this sitting, not the lesson's old record.
        await wait_for(pilot, lambda: "attempted" in text_of(served.query_one(".card-title", Static)))
        await pilot.press("f2")
        await type_into(pilot, served.query_one(Input), str(fresh.parts[0].spec.answer))
        await wait_for(pilot, lambda: "a/e1" in screen.finished)
        await wait_for(pilot, lambda: "solved with help" in text_of(served.query_one(".card-title", Static)))
        # No "Another" in a review: the next review brings new numbers.
        assert not served.check_action("another", ())
        app.writer.flush()
        review = [(w, seed) for e, _t, w, r, seed in app.session.store.practice_events() if r and e == "a/e1"]
        # History says which variant was answered, event by event.
        assert review == [("shown", 1), ("wrong", 1), ("hint", 1), ("correct", 1)]
        # The next review of it gets new numbers again.
        seen = app.session.practice().seeds["a/e1"]
        assert app.session.review_variant(written, seen).seed == 2


async def test_a_multi_part_card_in_review_needs_every_part_right_in_the_sitting(tmp_path, make_course, service):
    folder = two_exercises(make_course)
    save_dir = tmp_path / "saves"
    solved_with_a_wrong_try(save_dir)
    app = make_app(save_dir, service, lessons=folder)
    at(app, 1)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, app)
        served = await serve(pilot, screen, "a/e2")
        assert served.exercise.seed == 0  # no variants: as written
        assert "fresh numbers" not in text_of(screen.query_one("#review-status", Static))
        first, second = served.query(Input)
        await type_into(pilot, first, "4")
        app.writer.flush()
        await wait_for(pilot, lambda: [w for e, _t, w, r, _s in app.session.store.practice_events()
                                       if r and e == "a/e2"] == ["shown", "partial"])
        assert "a/e2" not in screen.finished  # the lesson solved part b long ago: that does not count
        await type_into(pilot, second, "7")
        await type_into(pilot, second, "6")
        await wait_for(pilot, lambda: "a/e2" in screen.finished)
        app.writer.flush()
        review = [w for e, _t, w, r, _s in app.session.store.practice_events() if r and e == "a/e2"]
        assert review == ["shown", "partial", "wrong", "correct"]
        outcome = [o for o in app.session.practice().outcomes if o.review and o.exercise == "a/e2"]
        assert len(outcome) == 1 and outcome[0].solved and outcome[0].wrong == 1  # one episode, Hard


# -- the profile picker shows each profile as it was left ------------------------------------------


async def test_switching_profile_applies_that_profiles_theme_and_accessible_mode(tmp_path, service):
    for name, settings in (("ann", {"theme": "textual-light"}), ("bob", {"theme": "nord", "accessible": True})):
        store, issue = open_profile(tmp_path, name)
        assert issue is None
        for key, value in settings.items():
            store.set_setting(key, value)
        store.close(backup=False)
    app = make_app(tmp_path, service, profile="ann")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "textual-light" and not app.accessible
        app.switch_profile("bob")
        await wait_for(pilot, lambda: app.session.profile_name == "bob" and isinstance(app.screen, CourseMapScreen))
        assert app.accessible and app.theme == "tutor-high-contrast"
        app.switch_profile("carol")  # new: never chose a theme, so the default, not bob's
        await wait_for(pilot, lambda: app.session.profile_name == "carol")
        await pilot.pause()
        assert not app.accessible and app.theme == "textual-dark"
        app.switch_profile("ann")
        await wait_for(pilot, lambda: app.session.profile_name == "ann")
        await pilot.pause()
        assert app.theme == "textual-light" and not app.accessible
        app.writer.flush()
    for name, theme in (("ann", "textual-light"), ("bob", "nord")):
        store, _ = open_profile(tmp_path, name)
        assert store.profile.settings.get("theme") == theme  # switching wrote no theme into another profile
        store.close(backup=False)
    assert not (tmp_path / "carol.sqlite3").exists()  # looking at a new profile does not create it


# -- `tutor --now`: the real app on a later day ----------------------------------------------------


async def test_the_app_takes_now_and_its_clock_runs_on_from_it(tmp_path):
    from tutor.cli import build_parser
    from tutor.ui.run import build_app
    from uikit import FIXTURE_LESSONS

    lesson_history(tmp_path)
    later = DAY0 + timedelta(days=1, hours=1)
    args = build_parser().parse_args(["--now", later.isoformat(), "--save-dir", str(tmp_path),
                                      "--lessons", str(FIXTURE_LESSONS)])
    app = build_app(args)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, CourseMapScreen))
            await wait_for(pilot, lambda: app.screen.game is not None)
            first = app.session.now()
            assert later <= first < later + timedelta(minutes=1)
            assert "2 reviews due" in due_line(app)  # day 1 of the history, not today's real date
            await pilot.pause(0.2)
            assert app.session.now() > first  # it runs on
            app.switch_profile("other")
            await wait_for(pilot, lambda: app.session.profile_name == "other")
            assert later <= app.session.now() < later + timedelta(minutes=1)  # the same clock, any profile
    finally:
        app.checker.close()


def test_now_is_read_before_or_after_a_command_name():
    from tutor.cli import build_parser
    from tutor.commands.common import now

    parser = build_parser()
    when = datetime(2026, 3, 5, 9, 0, tzinfo=timezone.utc)
    assert now(parser.parse_args(["--now", "2026-03-05T09:00"])) == when  # a time without offset is UTC
    assert now(parser.parse_args(["--now", "2026-03-05T10:00+01:00", "review"])) == when
    assert now(parser.parse_args(["review", "--now", "2026-03-05T09:00"])) == when
    assert now(parser.parse_args([])) is None


def test_the_clock_from_now_keeps_utc_and_runs_from_its_start():
    from tutor.session import clock_from

    start = datetime(2026, 3, 5, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    clock = clock_from(start, began=0.0)  # started "long ago" on the monotonic clock
    assert clock().tzinfo == timezone.utc and clock() > start
    fresh = clock_from(start)
    assert fresh() - start < timedelta(seconds=5)
