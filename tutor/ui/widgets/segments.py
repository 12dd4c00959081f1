"""One widget for each segment of a lesson page."""

from __future__ import annotations

import importlib

from textual.widget import Widget
from textual.widgets import Markdown

from tutor import kinds
from tutor.lessons.model import (
    BackpropBlock,
    Exercise,
    MathBlock,
    PlotBlock,
    Prose,
    Segment,
)
from tutor.session import Session
from tutor.ui.widgets.exercise_card import ExerciseCard
from tutor.ui.widgets.math_view import MathView

# The card for each engine kind (module, class), imported on first use; the answer kinds of the
# registry (`tutor.kinds`, checker=True) all play in ExerciseCard.
CARDS: dict[str, tuple[str, str]] = {
    "code": ("tutor.ui.widgets.code_card", "CodeCard"),
    "backprop": ("tutor.ui.widgets.backprop_card", "BackpropCard"),
    "gd": ("tutor.ui.widgets.gd_card", "GdCard"),
}
# The widget for a kind's free playground in a plot block (`interactive:` as the registry says).
PLAYGROUNDS: dict[str, tuple[str, str]] = {
    "gd": ("tutor.ui.widgets.gd_card", "playground_plot"),
}


def _load(where: tuple[str, str]):
    module, name = where
    return getattr(importlib.import_module(module), name)


def card_class(kind: str) -> type[Widget]:
    return ExerciseCard if kinds.get(kind).checker else _load(CARDS[kind])


def segment_widget(segment: Segment, session: Session) -> Widget:
    if isinstance(segment, Prose):
        return Markdown(segment.markdown)
    if isinstance(segment, MathBlock):
        return MathView(segment)
    if isinstance(segment, Exercise):
        return card_class(segment.kind)(segment, session.record(segment.id))
    if isinstance(segment, PlotBlock):
        from tutor.ui.widgets.plot_view import InteractivePlot, PlotView

        data = segment.data if isinstance(segment.data, dict) else {}
        playground = kinds.for_plot_block(data)
        if playground is not None:
            return _load(PLAYGROUNDS[playground.name])(data)
        return InteractivePlot.from_block(data) if data.get("interactive") else PlotView.from_block(data)
    if isinstance(segment, BackpropBlock):
        from tutor.ui.widgets.backprop_card import BackpropExample

        return BackpropExample(segment)
    raise TypeError(f"no widget for {type(segment).__name__}")
