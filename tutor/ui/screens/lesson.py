"""A lesson: one page at a time, with a table of contents, exercise cards and resume."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from tutor.lessons.model import Exercise, Lesson
from tutor.session import SessionError
from tutor.ui.background import background
from tutor.ui.widgets.card_messages import (
    AnswerChecked,
    DraftChanged,
    HintShown,
    RevealAsked,
)
from tutor.ui.widgets.glyphs import EXERCISE_GLYPHS
from tutor.ui.widgets.segments import segment_widget

SCROLL_SAVE_DELAY_S = 1.0


class LessonScreen(Screen):
    BINDINGS = [
        Binding("n", "page(1)", "Next page", id="next-page"),
        Binding("p", "page(-1)", "Previous page", id="previous-page"),
        Binding("ctrl+pagedown", "page(1)", "Next page", show=False, priority=True),
        Binding("ctrl+pageup", "page(-1)", "Previous page", show=False, priority=True),
        Binding("t", "toggle_toc", "Contents", id="toc"),
        Binding("escape", "leave", "Course map", id="leave"),
    ]

    def __init__(self, lesson: Lesson, page: int | None = None, focus_exercise: str | None = None) -> None:
        super().__init__()
        self.lesson = lesson
        saved = self.app.session.position(lesson)
        wanted = saved.page if page is None else page
        self.page = min(max(wanted, 0), max(len(lesson.pages) - 1, 0))
        # Resume where the learner was: scroll and focus come back only on the saved page.
        same_page = saved.page == self.page
        self.restore_scroll = saved.scroll if same_page and focus_exercise is None else 0.0
        self.focus_exercise = focus_exercise or (saved.focused_exercise if same_page else None)
        self._scroll_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="lesson"):
            yield OptionList(id="toc")
            with Vertical(id="reader"):
                yield Static("", id="page-header")
                yield VerticalScroll(id="page")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.lesson.title
        if self.app.size.width < 100:
            self.query_one("#toc").display = False
        self.watch(self.query_one("#page", VerticalScroll), "scroll_y", self._scrolled, init=False)
        self.show_page(self.page, restore=True)

    # -- pages --------------------------------------------------------------------------------------
    def show_page(self, index: int, restore: bool = False) -> None:
        self.flush()
        self.page = index
        container = self.query_one("#page", VerticalScroll)
        container.remove_children()
        container.mount_all(self._segments(index))
        self._update_header()
        self._fill_toc()
        if restore:
            self.call_after_refresh(self._restore_position)
        else:
            container.scroll_home(animate=False)
            self.save_position()

    def _segments(self, index: int):
        session = self.app.session
        if self.lesson.broken or not self.lesson.pages:
            problems = "\n".join(f"- line {p.line}: {p.message}" for p in self.lesson.problems
                                 if p.severity == "error")
            yield Static(Text("This lesson could not be loaded.", style="bold red"), classes="broken")
            yield Markdown(f"`{self.lesson.path}`\n\n{problems}")
            return
        for segment in self.lesson.pages[index].segments:
            yield segment_widget(segment, session)

    def _update_header(self) -> None:
        pages = len(self.lesson.pages)
        title = self.lesson.pages[self.page].title if pages else self.lesson.title
        header = Text.assemble((f"{self.lesson.title}", "bold"), f" — {title}",
                               (f"    page {self.page + 1} of {max(pages, 1)}", "dim"))
        self.query_one("#page-header", Static).update(header)

    def _fill_toc(self) -> None:
        session = self.app.session
        toc = self.query_one("#toc", OptionList)
        toc.clear_options()
        for index, page in enumerate(self.lesson.pages):
            marker = "▶ " if index == self.page else "  "
            toc.add_option(Option(Text.assemble(marker, (page.title, "bold" if index == self.page else "")),
                                  id=f"page-{index}"))
            for exercise in page.exercises:
                glyph, _ = EXERCISE_GLYPHS.get(session.record(exercise.id).status, ("·", ""))
                short = exercise.id.split("/", 1)[1]
                toc.add_option(Option(f"    {glyph} {short} {exercise.kind}", id=f"ex-{exercise.id}"))

    def _restore_position(self) -> None:
        container = self.query_one("#page", VerticalScroll)
        if self.focus_exercise:
            for card in self.query(".exercise"):
                if card.exercise.id == self.focus_exercise:
                    card.focus_answer()
                    if not self.restore_scroll:
                        container.scroll_to_widget(card, animate=False, top=True)
                    break
        if self.restore_scroll:
            container.scroll_to(y=self.restore_scroll, animate=False)

    def action_page(self, step: int) -> None:
        target = self.page + step
        if 0 <= target < len(self.lesson.pages):
            self.show_page(target)
        elif target >= len(self.lesson.pages):
            self.notify("That was the last page of this lesson. Esc goes back to the course map.")

    def action_toggle_toc(self) -> None:
        toc = self.query_one("#toc")
        toc.display = not toc.display

    def action_leave(self) -> None:
        focused = self.app.focused
        if focused is not None and focused.id and focused.id.startswith(("answer-", "choice-", "code-")):
            self.query_one("#page").focus()  # Esc first leaves the answer box or editor
            return
        self.flush()
        self.app.pop_screen()

    @on(OptionList.OptionSelected, "#toc")
    def toc_selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if option_id.startswith("page-"):
            self.show_page(int(option_id.removeprefix("page-")))
        elif option_id.startswith("ex-"):
            exercise_id = option_id.removeprefix("ex-")
            found = self.app.session.find_exercise(exercise_id)
            if found is not None:
                _, index, _ = found
                if index != self.page:
                    self.focus_exercise = exercise_id
                    self.restore_scroll = 0.0
                    self.show_page(index, restore=True)
                else:
                    self.focus_exercise = exercise_id
                    self.restore_scroll = 0.0
                    self._restore_position()

    # -- position ------------------------------------------------------------------------------------
    def _focused_exercise(self) -> str | None:
        focused = self.app.focused
        for card in self.query(".exercise"):
            if focused is not None and card in focused.ancestors:
                return card.exercise.id
        return None

    def on_descendant_focus(self) -> None:
        self.save_position()

    def _scrolled(self, _value: float) -> None:
        # Saved a moment after scrolling stops, not on every line.
        if self._scroll_timer is not None:
            self._scroll_timer.stop()
        self._scroll_timer = self.set_timer(SCROLL_SAVE_DELAY_S, self.save_position)

    def save_position(self) -> None:
        if not self.is_mounted:
            return
        scroll = float(self.query_one("#page", VerticalScroll).scroll_y)
        self.app.save_in_background(self.app.session.set_position, self.lesson, self.page, scroll,
                                    self._focused_exercise())

    def flush(self) -> None:
        """Write drafts and the position now, synchronously (page change, leaving, quitting)."""
        session = self.app.session
        if not session.store.writable:
            return  # a read-only profile: the learner was told when it opened
        try:
            for card in self.query(".exercise"):
                for part_key, text in card.pending_drafts():
                    session.set_draft(card.exercise, part_key, text)
            if self.is_mounted and self.lesson.pages:
                scroll = float(self.query_one("#page", VerticalScroll).scroll_y)
                session.set_position(self.lesson, self.page, scroll, self._focused_exercise())
        except SessionError as exc:
            self.notify(f"Not saved: {exc}", severity="error", timeout=10)

    def refresh_progress(self) -> None:
        self._fill_toc()

    # -- messages from the cards -------------------------------------------------------------------------
    def on_answer_checked(self, event: AnswerChecked) -> None:
        self.record_in_background("verdict", event.exercise, event.part, event.answer, event.verdict)

    def on_draft_changed(self, event: DraftChanged) -> None:
        session = self.app.session
        if session.store.writable:
            try:
                session.set_draft(event.exercise, event.part, event.text)
            except SessionError as exc:
                self.notify(str(exc), severity="error", timeout=10)

    def on_hint_shown(self, event: HintShown) -> None:
        self.record_in_background("hint", event.exercise, event.rung)

    def on_reveal_asked(self, event: RevealAsked) -> None:
        from tutor.ui.screens.dialogs import ConfirmScreen

        exercise = event.exercise

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            for found in self.query(".exercise"):
                if found.exercise.id == exercise.id:
                    found.show_solution()
            self.record_in_background("reveal", exercise)

        self.app.push_screen(
            ConfirmScreen("Show the worked solution? The exercise will be marked as revealed.",
                          yes="Show solution", no="Keep trying"),
            answer,
        )

    @background(group="record")
    def record_in_background(self, what: str, exercise: Exercise, *args) -> None:
        session = self.app.session
        if not session.store.writable:
            return
        try:
            if what == "verdict":
                record = session.record_verdict(exercise, *args)
            elif what == "hint":
                record = session.record_hint(exercise, *args)
            else:
                record = session.record_reveal(exercise)
        except SessionError as exc:
            self.app.call_from_thread(self.notify, f"Not saved: {exc}", severity="error", timeout=10)
            return
        self.app.call_from_thread(self._record_saved, exercise, record)

    def _record_saved(self, exercise: Exercise, record) -> None:
        for card in self.query(".exercise"):
            if card.exercise.id == exercise.id:
                card.update_record(record)
        self._fill_toc()
