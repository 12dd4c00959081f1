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
from tutor.ui.background import background
from tutor.ui.widgets.card import Card
from tutor.ui.widgets.card_messages import (
    AnotherAsked,
    AnswerChecked,
    DraftChanged,
    HintShown,
    RevealAsked,
)
from tutor.ui.widgets.glyphs import EXERCISE_GLYPHS
from tutor.ui.widgets.segments import card_class, segment_widget

SCROLL_SAVE_DELAY_S = 1.0
PIN_S = 3.0  # how long a card the learner was taken to stays pinned while the page lays out


class LessonScreen(Screen):
    AUTO_FOCUS = "#page"  # the reading keys scroll the text, not the contents list
    BINDINGS = [
        Binding("n", "page(1)", "Next page", id="next-page"),
        Binding("p", "page(-1)", "Previous page", id="previous-page", show=False),
        Binding("ctrl+pagedown", "page(1)", "Next page", show=False, priority=True),
        Binding("ctrl+pageup", "page(-1)", "Previous page", show=False, priority=True),
        Binding("f6", "next_exercise", "Next exercise", id="next-exercise", priority=True),
        Binding("t", "toggle_toc", "Contents", id="toc"),
        Binding("escape", "leave", "Back", id="leave"),
        Binding("tab", "tab", show=False),
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
        self._pinned: Card | None = None  # a card to keep at the top while the page settles

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="lesson"):
            yield OptionList(id="toc")
            with Vertical(id="reader"):
                with Horizontal(id="page-header"):
                    yield Static("", id="page-title")
                    yield Static("", id="page-count")
                yield Static("", id="lesson-note")
                yield VerticalScroll(id="page")
        yield Footer(compact=True)  # one line of keys that fits 80 columns

    def on_mount(self) -> None:
        self.sub_title = self.lesson.title
        if self.app.size.width < 100:
            self.query_one("#toc").display = False
        page = self.query_one("#page", VerticalScroll)
        self.watch(page, "scroll_y", self._scrolled, init=False)
        self.watch(page, "virtual_size", self._scroll_to_pinned, init=False)
        self.show_page(self.page, restore=True)
        self._mention_prerequisites()

    def _mention_prerequisites(self) -> None:
        """Prerequisites are advice: said once per lesson and session, quietly, never blocking."""
        told = self.app.told_prerequisites
        missing = self.app.session.unfinished_prerequisites(self.lesson)
        note = self.query_one("#lesson-note", Static)
        note.display = False
        if missing and self.lesson.id not in told:
            told.add(self.lesson.id)
            names = ", ".join(f"“{m.title}”" for m in missing)
            note.update(Text(f"This lesson builds on {names}, not finished yet.", style="italic"))
            note.display = True  # until the page changes

    # -- pages --------------------------------------------------------------------------------------
    def show_page(self, index: int, restore: bool = False) -> None:
        if self.is_mounted and index != self.page:
            self.query_one("#lesson-note").display = False
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
            container.focus()  # the reading keys (PageDown, arrows, Space, End) scroll the text
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
        # The lesson's title is in the app header; this line names the page and where it is.
        pages = len(self.lesson.pages)
        title = self.lesson.pages[self.page].title if pages else self.lesson.title
        self.query_one("#page-title", Static).update(Text(title, style="bold", no_wrap=True, overflow="ellipsis"))
        self.query_one("#page-count", Static).update(Text(f"page {self.page + 1} of {max(pages, 1)}", style="dim"))

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

    def card(self, exercise_id: str) -> Card | None:
        return next((card for card in self.query(Card) if card.exercise.id == exercise_id), None)

    def _restore_position(self) -> None:
        container = self.query_one("#page", VerticalScroll)
        card = self.card(self.focus_exercise) if self.focus_exercise else None
        if self.restore_scroll:
            container.scroll_to(y=self.restore_scroll, animate=False)
        if card is not None:
            card.focus_answer()
            if not self.restore_scroll:
                self._keep_in_view(card)
        elif self.app.focused is None or container not in (self.app.focused, *self.app.focused.ancestors):
            container.focus()  # the reading keys scroll the text (unless something on the page has focus)

    def _keep_in_view(self, card: Card) -> None:
        """Scroll the card to the top of the page, and keep it there while the prose above it is
        still being laid out (Markdown settles its height some frames after it is mounted)."""
        self._pinned = card
        self.call_after_refresh(self._scroll_to_pinned)
        self.set_timer(PIN_S, lambda: setattr(self, "_pinned", None) if self._pinned is card else None)

    def _scroll_to_pinned(self, *_args) -> None:
        card = self._pinned
        focused = self.app.focused
        page = self.query_one("#page", VerticalScroll)
        # Focus moves to the card a moment after the page is shown (still on the page, or on
        # nothing, until then): only focus elsewhere means the learner went on.
        moving = focused is None or focused is page
        if card is None or not card.is_attached or not (moving or card in focused.ancestors):
            self._pinned = None
            return
        page.scroll_to_widget(card, animate=False, top=True)

    def action_tab(self) -> None:
        """From the page (or contents), Tab goes to the exercise on screen, not the page's first."""
        container = self.query_one("#page", VerticalScroll)
        focused = self.app.focused
        if focused is container or focused is self.query_one("#toc") or focused is None:
            card = self._card_in_view()
            if card is not None:
                card.focus_answer()
                return
        self.focus_next()

    def _card_in_view(self) -> Card | None:
        container = self.query_one("#page", VerticalScroll)
        top, bottom = container.scroll_y, container.scroll_y + container.scrollable_content_region.height
        cards = list(self.query(Card))
        for card in cards:  # virtual_region: the card's place in the scrolled page
            y = card.virtual_region.y
            if y + card.virtual_region.height > top and y < bottom:
                return card
        after = [c for c in cards if c.virtual_region.y >= bottom]
        return after[0] if after else (cards[-1] if cards else None)

    def action_next_exercise(self) -> None:
        """The next exercise not solved yet, after the one in focus (or on screen), on any page of
        any lesson."""
        current = self._focused_exercise()
        if current is None:
            card = self._card_in_view()
            if card is not None and not (card.record.solved or card.record.revealed):
                # Reading, not answering: the open exercise on screen is the next one to do.
                self.focus_exercise, self.restore_scroll = card.exercise.id, 0.0
                self._restore_position()
                return
            current = card.exercise.id if card is not None else None
        found = self.app.session.next_unsolved(current)
        if found is None:
            self.notify("Every exercise is solved or revealed. Well done!")
            return
        lesson, page, exercise = found
        if lesson.id != self.lesson.id:
            self.app.open_lesson(lesson.id, page, exercise.id)
        elif page != self.page:
            self.focus_exercise, self.restore_scroll = exercise.id, 0.0
            self.show_page(page, restore=True)
        else:
            self.focus_exercise, self.restore_scroll = exercise.id, 0.0
            self._restore_position()

    def action_page(self, step: int) -> None:
        target = self.page + step
        if 0 <= target < len(self.lesson.pages):
            self.show_page(target)
        elif target >= len(self.lesson.pages):
            self.app.notify_once("last-page", "That was the last page of this lesson. Esc goes back to the course map.")

    def action_toggle_toc(self) -> None:
        toc = self.query_one("#toc")
        toc.display = not toc.display
        if not toc.display and (self.app.focused is None or self.app.focused is toc):
            self.query_one("#page").focus()  # keys keep working on the text

    def action_leave(self) -> None:
        focused = self.app.focused
        page = self.query_one("#page")
        if focused is not None and focused is not page and page in focused.ancestors:
            page.focus()  # Esc first leaves the answer box or editor
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
                self.focus_exercise, self.restore_scroll = exercise_id, 0.0
                if index != self.page:
                    self.show_page(index, restore=True)
                else:
                    self._restore_position()

    # -- position ------------------------------------------------------------------------------------
    def _focused_exercise(self) -> str | None:
        focused = self.app.focused
        for card in self.query(Card):
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
        if not self.is_mounted or not self.lesson.pages:
            return
        scroll = float(self.query_one("#page", VerticalScroll).scroll_y)
        self.app.save(self.app.session.set_position, self.lesson, self.page, scroll, self._focused_exercise())

    def flush(self) -> None:
        """Queue the drafts not saved yet and the position (page change, leaving, quitting)."""
        session = self.app.session
        for card in self.query(Card):
            for part_key, text in card.pending_drafts():
                self.app.save(session.set_draft, card.exercise, part_key, text)
        self.save_position()

    def refresh_progress(self) -> None:
        self._fill_toc()

    # -- messages from the cards -------------------------------------------------------------------------
    def on_answer_checked(self, event: AnswerChecked) -> None:
        session = self.app.session
        was_done = session.lesson_state(self.lesson) == "solved"
        self.app.save_answer(session.record_verdict, event.exercise, event.part, event.answer, event.verdict,
                             then=self._record_saved(event.exercise, celebrate=not was_done and event.verdict.correct))
        if event.verdict.correct:
            self.notify("Correct! F6 goes to the next exercise.", timeout=4)

    async def on_another_asked(self, event: AnotherAsked) -> None:
        from tutor.session import SessionError

        old = self.card(event.exercise.id)
        if old is None or old.parent is None:
            return
        try:
            fresh = self.app.session.another_variant(event.exercise)
        except SessionError as exc:
            self.notify(str(exc), severity="warning")
            return
        parent, index = old.parent, old.parent.children.index(old)
        await old.remove()
        card = card_class(fresh.kind)(fresh, self.app.session.record(fresh.id))
        await parent.mount(card, before=index if index < len(parent.children) else None)
        card.focus_answer()
        self.notify("A new variant: same idea, new numbers.", timeout=3)

    def on_draft_changed(self, event: DraftChanged) -> None:
        self.app.save(self.app.session.set_draft, event.exercise, event.part, event.text)

    def on_hint_shown(self, event: HintShown) -> None:
        self.app.save(self.app.session.record_hint, event.exercise, event.rung,
                      then=self._record_saved(event.exercise))

    def on_reveal_asked(self, event: RevealAsked) -> None:
        from tutor.ui.screens.dialogs import ConfirmScreen

        exercise = event.exercise

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            card = self.card(exercise.id)
            if card is not None:
                card.show_solution()
            self.app.save(self.app.session.record_reveal, exercise, then=self._record_saved(exercise))

        self.app.push_screen(
            ConfirmScreen(f"Show the worked solution of {exercise.id}? It will be marked as revealed.",
                          yes="Show solution", no="Keep trying"),
            answer,
        )

    def _record_saved(self, exercise: Exercise, celebrate: bool = False):
        def saved(record) -> None:
            if not self.is_attached:
                return
            card = self.card(exercise.id)
            if card is not None and record is not None:
                card.update_record(record)
            self._fill_toc()
            if celebrate and self.app.session.lesson_state(self.lesson) == "solved":
                self.call_later(self._celebrate)  # on the screen's own loop: composing needs the app

        return saved

    def _celebrate(self) -> None:
        self._build_celebration(self.lesson.id)

    @background(group="celebration", exclusive=True)
    def _build_celebration(self, lesson_id: str) -> None:
        """The last exercise of the lesson is solved: what was earned, unlocked, and next. The
        game's state is a replay of the whole history, so it is built off the UI thread."""
        from tutor.practice.celebrate import celebration

        session = self.app.session
        text = celebration(session.practice(), lesson_id, session.unsolved_ids())
        self.app.call_from_thread(self._show_celebration, text)

    def _show_celebration(self, text) -> None:
        from tutor.ui.screens.celebration import CelebrationScreen

        if self.is_attached:
            self.app.push_screen(CelebrationScreen(text))
