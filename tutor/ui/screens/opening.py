"""The first frame: the app's chrome and a note, drawn before the course has been read.

Kept tiny on purpose (Header, Static, Footer, as in a minimal Textual app): the course map, with
its imports and the lessons it summarises, comes on top of it once the session is open.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class OpeningScreen(Screen):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Opening the course…", id="opening")
        yield Footer()

    def show_problem(self, message: str) -> None:
        self.query_one("#opening", Static).update(message)
