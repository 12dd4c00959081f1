"""A computation graph drawn left to right, with the current node's box highlighted.

The picture comes from `tutor.autodiff.layout` (pure text); this widget only styles it and
scrolls sideways when it is wider than the card.
"""

from __future__ import annotations

from typing import Mapping

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import ScrollableContainer
from textual.widgets import Static

from tutor.autodiff.graph import Graph
from tutor.autodiff.layout import ARROW, Drawing, render


def legend(graph: Graph) -> str:
    return (f"Each box: name = formula on top, forward value inside, ∂{graph.output}/∂name below. "
            "Double border: this step.")


class GraphView(ScrollableContainer, can_focus=False):
    """The picture of a graph; `show` redraws it with the values known so far."""

    COMPONENT_CLASSES = {"graph-view--current"}

    def __init__(self, graph: Graph, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="graph-view")
        self.graph = graph
        self.drawing: Drawing | None = None
        self._args: tuple = ({}, {}, None, "")

    def compose(self) -> ComposeResult:
        yield Static("", classes="graph-lines")

    def on_mount(self) -> None:
        self._redraw()

    def show(self, values: Mapping[str, float], grads: Mapping[str, float], current: str | None = None,
             asking: str = "") -> None:
        """The numbers known, by node name; `current` gets a double border and a `?` where `asking`
        says. Numbers get six significant figures, or four when six would need a sideways scroll."""
        self._args = (dict(values), dict(grads), current, asking)
        if self.is_mounted:
            self._redraw()

    def on_resize(self) -> None:
        self._redraw()

    def _redraw(self) -> None:
        values, grads, current, asking = self._args
        self.drawing = render(self.graph, values, grads, current, asking)
        room = self.scrollable_content_region.width
        if room and self.drawing.width > room:  # shorter numbers before a sideways scroll
            self.drawing = render(self.graph, values, grads, current, asking, digits=4)
        self.query_one(".graph-lines", Static).update(self.picture())
        self.call_after_refresh(self._follow)

    def _follow(self) -> None:
        """Scroll sideways so the current box is in view."""
        current = self.drawing.boxes.get(self._args[2]) if self.drawing and self._args[2] else None
        room = self.scrollable_content_region.width
        if current is None or not room:
            return
        if current.x < self.scroll_x:
            self.scroll_to(x=current.x, animate=False)
        elif current.x + current.width > self.scroll_x + room:
            self.scroll_to(x=current.x + current.width - room, animate=False)

    def picture(self) -> Text:
        assert self.drawing is not None
        current_style = self.get_component_rich_style("graph-view--current", partial=True)
        lines = self.drawing.lines
        text = Text(no_wrap=True, overflow="ignore")
        current = self.drawing.boxes.get(self._args[2]) if self._args[2] else None
        for y, line in enumerate(lines):
            row = Text(line)
            for x, ch in enumerate(line):
                if ch == ARROW:
                    row.stylize(Style(bold=True), x, x + 1)
            if current is not None and current.y <= y < current.y + current.height:
                row.stylize(current_style, current.x, current.x + current.width)
            text.append_text(row)
            if y < len(lines) - 1:
                text.append("\n")
        return text
