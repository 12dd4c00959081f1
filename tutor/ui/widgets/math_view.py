"""A ```math block: each formula drawn in two dimensions by the checker's worker."""

from __future__ import annotations

from textual.widgets import Static

from tutor.lessons.model import MathBlock
from tutor.ui.background import background


class MathView(Static):
    """Shows the lines as typed at once, then their 2-D form when the worker has drawn it."""

    def __init__(self, block: MathBlock) -> None:
        super().__init__("\n".join(block.lines), classes="math", markup=False)
        self.block = block

    def on_mount(self) -> None:
        self.render_formulas()

    @background(group="math")
    def render_formulas(self) -> None:
        pictures = []
        for line in self.block.lines:
            verdict = self.app.checker.formula(line)
            pictures.append(verdict.pretty if verdict.status == "correct" else line)
        self.app.call_from_thread(self.update, "\n\n".join(pictures))
