"""A checked exercise (derivative, expression, number, vector, matrix, choice): its answer rows
on the shared card chrome.

The rows check answers themselves (through the app's checker, off the UI thread) and report
with messages; the screen records them in the save file.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Input, RadioSet, Static

from tutor.session import can_show_another, shown_seed, solved_parts
from tutor.ui.widgets.answer_rows import AnswerRow, ChoiceRow, Row
from tutor.ui.widgets.card import Card
from tutor.ui.widgets.card_messages import AnotherAsked


class ExerciseCard(Card):
    BINDINGS = [
        Binding("f4", "plot_answer", "Plot answer", id="plot-answer"),
        Binding("f7", "another", "Another", id="another"),
        Binding("enter", "check", "Check", show=False),
        *[Binding(str(n), f"pick({n - 1})", show=False) for n in range(1, 10)],
    ]
    offers_another = True  # "Show me another" (F7); a review card leaves new numbers to the next review

    def compose_body(self) -> ComposeResult:
        solved_keys = solved_parts(self.exercise, self.record)
        # A variant just asked for starts empty; the one the learner is on keeps their drafts.
        resumed = self.exercise.seed == shown_seed(self.exercise, self.record)
        for part in self.exercise.parts:
            draft = self.record.drafts.get(part.key, "") if resumed else ""
            solved = part.key in solved_keys
            row_type = ChoiceRow if part.spec.kind == "choice" else AnswerRow
            yield row_type(self.exercise, part, draft, solved)

    def compose_buttons(self) -> ComposeResult:
        yield Button("Check ⏎", id="check", variant="primary", compact=True)

    # -- rows -------------------------------------------------------------------------------------------
    def rows(self) -> list[Row]:
        return list(self.query(Row))

    def focused_row(self) -> Row | None:
        focused = self.app.focused
        rows = self.rows()
        for row in rows:
            if focused is not None and (focused is row or row in focused.ancestors):
                return row
        return rows[0] if rows else None

    def focus_answer(self) -> None:
        rows = self.rows()
        if rows:
            row = next((r for r in rows if not r.solved_note and not (r.verdict and r.verdict.correct)), rows[0])
            target = row.query_one(Input) if isinstance(row, AnswerRow) else row.query_one(RadioSet)
            target.focus()
            target.call_after_refresh(target.scroll_visible, animate=False)

    def pending_drafts(self) -> list[tuple[str, str]]:
        out = []
        for row in self.rows():
            text = row.take_pending_draft()
            if text is not None:
                out.append((row.key, text))
        return out

    @property
    def solved(self) -> bool:
        return self.record.solved

    # -- actions ----------------------------------------------------------------------------------------
    def action_check(self) -> None:
        row = self.focused_row()
        if row is not None:
            row.run_check()

    def action_pick(self, index: int) -> None:
        row = self.focused_row()
        if isinstance(row, ChoiceRow):
            row.pick(index)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "plot_answer":
            return any(isinstance(row, AnswerRow) and row.can_plot for row in self.rows())
        if action == "another":
            return self.offers_another and can_show_another(self.exercise, self.record)
        return True

    def watch_record(self, record) -> None:
        super().watch_record(record)
        self.refresh_bindings()  # "Another" appears once solved or after three wrong tries

    def action_another(self) -> None:
        """Show me another: a fresh variant of this exercise (the screen swaps the card)."""
        if self.offers_another and can_show_another(self.exercise, self.record):
            self.post_message(AnotherAsked(self.exercise))

    def action_plot_answer(self) -> None:
        plottable = [row for row in self.rows() if isinstance(row, AnswerRow) and row.can_plot]
        focused = self.focused_row()
        row = focused if focused in plottable else (plottable[0] if plottable else None)
        if row is not None:
            row.toggle_plot()
