"""What every exercise card shares: its title and status, the hint ladder, the solution reveal,
record updates and the messages it posts. A kind's card composes only its body
(`compose_body`) and its own buttons, and says how to submit (`action_check`).

Screens find cards by type (`query(Card)`), never by CSS class.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Markdown, Static

from tutor.lessons.model import Exercise
from tutor.progress.model import ExerciseProgress
from tutor.ui.widgets.card_messages import DraftChanged, HintShown, RevealAsked
from tutor.ui.widgets.glyphs import EXERCISE_GLYPHS
from tutor.ui.widgets.hints import hints_text


def show(widget: Static, content: Text | str) -> None:
    """Update a Static and hide it while it is empty, so an unanswered card stays compact."""
    widget.update(content)
    widget.display = bool(str(content))


def reveal(widget: Widget) -> None:
    """Scroll `widget` into view once it has been laid out: whatever a key makes appear is seen."""
    widget.call_after_refresh(widget.scroll_visible, animate=False)


class Card(Vertical, can_focus=False):
    BINDINGS = [
        Binding("f2", "hint", "Hint", id="hint"),
        Binding("f3", "reveal", "Solution", id="reveal"),
    ]
    TITLE_WORD = "Exercise"
    DRAFT_DELAY_S = 0.6  # a pause in typing this long saves a whole-card draft

    record: reactive[ExerciseProgress] = reactive(ExerciseProgress, init=False, always_update=True)

    def __init__(self, exercise: Exercise, record: ExerciseProgress) -> None:
        super().__init__(classes="card", id=f"ex-{exercise.id.replace('/', '-')}")
        self.exercise = exercise
        self.set_reactive(Card.record, record)
        self.hints_shown = record.hints_used
        self._draft_timer: Timer | None = None

    # -- building ----------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(self.title_text(), classes="card-title")
        yield Markdown(self.exercise.prompt, classes="prompt")
        yield from self.compose_body()
        with Horizontal(classes="card-buttons"):
            yield from self.compose_buttons()
            yield Button("Hint F2", id="hint", compact=True)
            yield Button("Solution F3", id="reveal", compact=True)
        yield Static(hints_text(self.exercise.hints, self.hints_shown), classes="hints")
        yield from self.compose_solution()

    def compose_body(self) -> ComposeResult:
        """The kind's own widgets, between the prompt and the buttons."""
        return iter(())

    def compose_buttons(self) -> ComposeResult:
        """The kind's own buttons (Check, Run), before Hint and Solution."""
        return iter(())

    def compose_solution(self) -> ComposeResult:
        yield Markdown(self.exercise.solution if self.record.revealed else "", classes="solution")

    def on_mount(self) -> None:
        hints = self.query_one(".hints", Static)
        hints.display = bool(str(hints.render()))
        self.query_one(".solution").display = self.record.revealed

    def status_words(self) -> str:
        return self.exercise.kind

    def title_text(self) -> Text:
        glyph, word = EXERCISE_GLYPHS.get(self.record.status, ("·", "new"))
        return Text.assemble((f"{glyph} ", "bold"), (f"{self.TITLE_WORD} ", "bold"), self.exercise.id,
                             (f"  · {self.status_words()} · {word}", "dim"))

    # -- what the screen calls ---------------------------------------------------------------------
    def watch_record(self, _record: ExerciseProgress) -> None:
        self.query_one(".card-title", Static).update(self.title_text())

    def update_record(self, record: ExerciseProgress) -> None:
        self.record = record

    def focus_answer(self) -> None:
        """Put the cursor where the learner answers (and bring it into view)."""

    def pending_drafts(self) -> list[tuple[str, str]]:
        """(part key, text) for everything typed but not saved yet: the whole-card draft, if its
        save is still waiting. Cards with one draft per answer row override this."""
        if self._draft_timer is None:
            return []
        self._draft_timer.stop()
        self._draft_timer = None
        text = self.draft_text()
        return [] if text is None else [("", text)]

    # -- a whole-card draft (the code editor, a typed setting) ----------------------------------------
    def draft_text(self) -> str | None:
        """What the card keeps as its draft; None when it has none to save."""
        return None

    def draft_typed(self) -> None:
        """The learner typed: save the draft once the typing pauses (the app's writer does the disk)."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(self.DRAFT_DELAY_S, self._save_draft)

    def _save_draft(self) -> None:
        self._draft_timer = None
        text = self.draft_text()
        if text is not None:
            self.post_message(DraftChanged(self.exercise, "", text))

    @property
    def solution_shown(self) -> bool:
        return bool(self.query_one(".solution").display)

    def show_solution(self) -> None:
        solution = self.query_one(".solution")
        if isinstance(solution, Markdown):
            solution.update(self.exercise.solution)
        solution.display = True
        reveal(solution)

    # -- keys and buttons --------------------------------------------------------------------------
    def on_button_pressed(self, event: Button.Pressed) -> None:
        action = getattr(self, f"action_{event.button.id}", None) if event.button.id else None
        if action is not None:
            event.stop()
            action()

    def action_check(self) -> None:
        """Submit the answer (kinds that have one)."""

    def action_hint(self) -> None:
        if not self.next_hint():
            if not self.exercise.hints:
                self.notify("This exercise has no hints.")
            else:
                self.notify("That was the last hint; F3 shows the worked solution.")

    def next_hint(self) -> bool:
        """Show the next rung of the ladder and report it; False when there is none left."""
        hints = self.exercise.hints
        if self.hints_shown >= len(hints):
            return False
        self.hints_shown += 1
        self._show_hints()
        self.post_message(HintShown(self.exercise, self.hints_shown))
        return True

    def _show_hints(self) -> None:
        ladder = self.query_one(".hints", Static)
        show(ladder, hints_text(self.exercise.hints, self.hints_shown))
        reveal(ladder)

    def action_reveal(self) -> None:
        if self.solution_shown:
            reveal(self.query_one(".solution"))
            return
        self.post_message(RevealAsked(self.exercise))
