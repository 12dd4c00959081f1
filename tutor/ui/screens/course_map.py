"""The course map: parts and lessons with their progress, a filter, and a way back in."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import (
    Button,
    Footer,
    Header,
    Input,
    OptionList,
    ProgressBar,
    Static,
)
from textual.widgets.option_list import Option

from tutor.lessons.model import Lesson
from tutor.practice.service import Practice
from tutor.session import NextStep
from tutor.ui.background import background
from tutor.ui.widgets.glyphs import LESSON_GLYPHS, bar

WELCOME = (
    "Welcome! The calculus behind machine learning, one short lesson at a time. Pick a lesson "
    "and press Enter; F1 shows how to type answers. Your progress is saved as you go."
)


class CourseMapScreen(Screen):
    BINDINGS = [
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("c", "continue", "Continue", id="continue"),
        Binding("b", "backprop_sandbox", "Backprop sandbox", id="backprop-sandbox"),
        Binding("r", "review", "Review", id="review", show=False),  # named on the due line and in help
        Binding("s", "stats", "Stats", id="stats", show=False),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    game: Practice | None = None  # the practice game as last counted (off the UI thread)
    step: NextStep | None = None  # where Continue goes, decided with the game

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="map"):
            with Horizontal(id="map-top"):
                yield Button("Continue", id="continue", variant="primary")
                yield Static(WELCOME, id="welcome")
            with Horizontal(id="overall"):
                yield Static("", id="overall-label")
                yield ProgressBar(total=1, show_eta=False, show_percentage=True, id="overall-bar")
            yield Static("", id="due-line")
            yield Input(placeholder="Filter lessons by title (press / to focus)", id="filter", compact=True)
            yield OptionList(id="lessons")
        yield Footer(compact=True)  # one line of keys that fits 80 columns

    def on_mount(self) -> None:
        self.refresh_progress()
        target = self.app.session.continue_target()
        if target is not None:
            self.query_one("#continue", Button).focus()
        else:
            options = self.query_one("#lessons", OptionList)
            options.focus()
            self._highlight_first(options)

    def _highlight_first(self, options: OptionList) -> None:
        """Highlight the first lesson not solved yet (or the first), so Enter opens something."""
        first = None
        for index in range(options.option_count):
            option = options.get_option_at_index(index)
            if option.disabled:
                continue
            first = index if first is None else first
            lesson = self.app.session.course.lessons.get(option.id or "")
            if lesson is not None and self.app.session.lesson_state(lesson) != "solved":
                options.highlighted = index
                return
        if first is not None:
            options.highlighted = first

    def on_resize(self) -> None:
        self._fill(self.query_one("#filter", Input).value)  # rows fit the new width

    def on_screen_resume(self) -> None:
        self.refresh_progress()

    # -- drawing ------------------------------------------------------------------------------------
    def refresh_progress(self) -> None:
        session = self.app.session
        target = session.continue_target()
        button = self.query_one("#continue", Button)
        welcome = self.query_one("#welcome", Static)
        button.display = target is not None
        welcome.display = target is None
        if target is not None:
            button.label = target.label
        solved, total = session.course_progress()
        self.query_one("#overall-label", Static).update(f"{solved} of {total} exercises solved")
        progress = self.query_one("#overall-bar", ProgressBar)
        progress.update(total=max(total, 1), progress=solved)
        self._fill(self.query_one("#filter", Input).value)
        self._count_practice()

    @background(group="practice", exclusive=True)
    def _count_practice(self) -> None:
        """The practice game replays the whole history (tens of ms for a long one): off the UI thread."""
        session = self.app.session
        game = session.practice()
        game.queue(), game.stats(), game.seeds  # noqa: B018 - computed here (mastery, achievements...), not on the UI thread
        self.app.call_from_thread(self._show_practice, game, session.next_step(game))

    def _show_practice(self, game: Practice, step: NextStep) -> None:
        if not self.is_attached:
            return
        self.game, self.step = game, step
        due = len(game.queue())
        line = self.query_one("#due-line", Static)
        line.display = due > 0
        line.update(f"↻ {due} review{'s' if due != 1 else ''} due today: press r to review, s for stats.")
        # A first visit keeps its welcome (c still starts the first lesson); after that the button
        # says where Continue goes.
        if due or self.app.session.continue_target() is not None:
            button = self.query_one("#continue", Button)
            button.display, self.query_one("#welcome", Static).display = True, False
            button.label = step.label
        self._fill(self.query_one("#filter", Input).value)

    def _fill(self, query: str) -> None:
        session = self.app.session
        options = self.query_one("#lessons", OptionList)
        highlighted = options.highlighted_option.id if options.highlighted_option is not None else None
        options.clear_options()
        needle = query.strip().lower()
        for part in session.course.parts:
            lessons = [session.course.lessons[i] for i in part.lesson_ids if i in session.course.lessons]
            shown = [lesson for lesson in lessons if not needle or needle in lesson.title.lower()
                     or needle in lesson.id]
            if not shown:
                continue
            solved = sum(session.lesson_report(lesson).solved for lesson in lessons)
            total = sum(session.lesson_report(lesson).total for lesson in lessons)
            header = Text.assemble((f"Part {part.number}. {part.title}", "bold"), f"   {solved}/{total}")
            options.add_option(Option(header, disabled=True))
            for number, lesson in enumerate(lessons, start=1):
                if lesson in shown:
                    options.add_option(Option(self._row(lesson, part.number, number), id=lesson.id))
        if not options.option_count:
            options.add_option(Option(Text(f"No lesson matches '{query}'.", "italic"), disabled=True))
        if highlighted is not None:
            try:
                options.highlighted = options.get_option_index(highlighted)
            except Exception:  # the lesson is filtered out now
                pass

    def _row(self, lesson: Lesson, part: int, number: int) -> Text:
        session = self.app.session
        report = session.lesson_report(lesson)
        state = "broken" if lesson.broken else session.lesson_state(lesson)
        glyph, word = LESSON_GLYPHS[state]
        row = Text.assemble(
            (f" {glyph} ", f"bold {'green' if state == 'solved' else ''}".strip()),
            f"{part}.{number} ",
            (lesson.title, "bold" if state == "started" else ""),
        )
        # One line per lesson, so a 24-line terminal shows most of a part.
        details = Text.assemble(
            ("  ·  ", "dim"),
            bar(report.solved, report.total, 6),
            f" {report.solved}/{report.total} {word}",
            self._mastery_words(lesson.id),
            (f" · {lesson.minutes} min", "dim"),
        )
        if lesson.broken:
            details.append("  ✗ this lesson has errors", style="bold red")
        # The title gives way (with an ellipsis) so a row never wraps onto a second line.
        width = self.query_one("#lessons", OptionList).scrollable_content_region.width or self.app.size.width - 6
        room = width - len(details) - 2
        if len(row) > room > 8:
            row.truncate(room - 1)
            row.append("…")
        return Text.assemble(row, details)

    def _mastery_words(self, lesson_id: str) -> Text:
        """Proficient or mastered, in words (the practice game's level); nothing below that."""
        level = self.game.mastery.get(lesson_id) if self.game is not None else None
        if level is None or level.level not in ("proficient", "mastered"):
            return Text("")
        return Text(f" · {level.level}", style="bold" if level.level == "mastered" else "")

    # -- events -------------------------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one("#lessons", OptionList)
        options.focus()
        self._highlight_first(options)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.open(event.option.id)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "continue":
            self.action_continue()

    def open(self, lesson_id: str) -> None:
        # Prerequisites are advice, mentioned once by the lesson itself: opening never asks.
        self.app.open_lesson(lesson_id)

    def action_continue(self) -> None:
        step = self.step
        if step is not None and step.what == "review":
            self.action_review()
            return
        if step is not None and step.lesson is not None:
            self.app.open_lesson(step.lesson.id, page=step.page, focus_exercise=step.exercise)
            return
        target = self.app.session.continue_target()  # the game is still being counted
        if target is None:
            self.notify("Nothing to continue yet: pick a lesson.")
            return
        self.app.open_lesson(target.lesson.id, page=target.page)

    def action_review(self) -> None:
        queue = self.game.queue() if self.game is not None else []
        if not queue:
            self.notify("Nothing due for review now.")
            return
        from tutor.ui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(queue, self.game.seeds))

    def action_stats(self) -> None:
        from tutor.ui.screens.stats import StatsScreen

        if self.game is None:
            self.notify("Still counting: try again in a moment.")
            return
        self.app.push_screen(StatsScreen(self.game.stats()))

    def action_backprop_sandbox(self) -> None:
        self.app.open_backprop_sandbox()

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = ""
        self.query_one("#lessons", OptionList).focus()
