"""A ```math block: each formula drawn in two dimensions by the checker's worker (and, in the
accessible mode, also said in words on one line)."""

from __future__ import annotations

from textual.widgets import Static

from tutor.lessons.model import MathBlock
from tutor.ui.background import background
from tutor.ui.widgets.accessibility import accessible, follow_accessible


class MathView(Static):
    """Shows the lines as typed at once, then their 2-D form when the worker has drawn it."""

    def __init__(self, block: MathBlock) -> None:
        super().__init__("\n".join(block.lines), classes="math", markup=False)
        self.block = block
        self._drawn: list[tuple[str, str]] = []  # (picture, words) per line, once drawn

    def on_mount(self) -> None:
        follow_accessible(self, self._redraw)
        self.render_formulas()

    @background(group="math")
    def render_formulas(self) -> None:
        drawn = []
        for line in self.block.lines:
            verdict = self.app.checker.formula(line)
            drawn.append((verdict.pretty, verdict.words) if verdict.status == "correct" else (line, ""))
        self.app.call_from_thread(self._show, drawn)

    def _show(self, drawn: list[tuple[str, str]]) -> None:
        self._drawn = drawn
        self._redraw()

    def _redraw(self, _accessible: bool | None = None) -> None:
        if not self._drawn:
            return
        words = accessible(self)
        self.update("\n\n".join(picture + (f"\nin words: {said}" if words and said else "")
                                for picture, said in self._drawn))
