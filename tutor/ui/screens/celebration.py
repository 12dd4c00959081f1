"""A short celebration when a lesson's last exercise is solved: what was earned, what it
unlocked, what to do next. The words come from `tutor.practice.celebrate` (domain)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tutor.practice.celebrate import Celebration


class CelebrationScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,enter", "close", "Close", id="close-celebration")]

    def __init__(self, celebration: Celebration) -> None:
        super().__init__()
        self.celebration = celebration

    def compose(self) -> ComposeResult:
        c = self.celebration
        with Vertical(id="celebration", classes="dialog"):
            yield Static(f"★ Lesson complete: {c.title}", classes="title")
            yield Static("\n".join(c.lines()), id="celebration-text")
            yield Button("Carry on", id="carry-on", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#carry-on", Button).focus()

    def on_button_pressed(self, _event: Button.Pressed) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
