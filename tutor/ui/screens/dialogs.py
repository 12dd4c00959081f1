"""Small modal dialogs: a yes/no question, and what to do about a bad save file."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from tutor.progress import LoadIssue


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("y", "confirm", "Yes", show=False),
                Binding("n", "cancel", "No", show=False)]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No", default: str = "no") -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no
        self.default = default  # "yes" or "no": the highlighted button, focused, is what Enter picks

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="question")
            with Horizontal(classes="buttons"):
                yield Button(self.yes, id="yes", variant="primary" if self.default == "yes" else "default")
                yield Button(self.no, id="no", variant="primary" if self.default == "no" else "default")

    def on_mount(self) -> None:
        self.query_one(f"#{self.default}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class SaveProblemScreen(ModalScreen[str]):
    """A save file that could not be read: say what and where, and let the learner choose."""

    BINDINGS = [Binding("escape", "dismiss('readonly')", "Continue without saving")]

    def __init__(self, issue: LoadIssue) -> None:
        super().__init__()
        self.issue = issue

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static("Your save file could not be read", classes="title")
            yield Static(self.issue.message, classes="question")
            with Horizontal(classes="buttons"):
                if self.issue.can_recover:
                    yield Button("Use the backup", id="backup", variant="primary")
                if self.issue.can_start_fresh:
                    yield Button("Start fresh", id="fresh")
                yield Button("Continue without saving", id="readonly")

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)


class AskScreen(ModalScreen[str]):
    """Ask for one line of text; Enter answers, Esc cancels."""

    BINDINGS = [Binding("escape", "dismiss('')", "Cancel")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="question")
            yield Input(id="ask")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())
