"""One widget for each segment of a lesson page."""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Markdown

from tutor.lessons.model import (
    BackpropBlock,
    Exercise,
    MathBlock,
    PlotBlock,
    Prose,
    Segment,
)
from tutor.session import Session
from tutor.ui.widgets.backprop_card import BackpropCard
from tutor.ui.widgets.card import Card
from tutor.ui.widgets.code_card import CodeCard
from tutor.ui.widgets.exercise_card import ExerciseCard
from tutor.ui.widgets.math_view import MathView

# The one table from an exercise kind to its card; every checked kind (derivative, numeric,
# choice...) uses ExerciseCard.
CARD_FOR_KIND: dict[str, type[Card]] = {
    "code": CodeCard,
    "backprop": BackpropCard,
}


def card_for(exercise: Exercise, session: Session) -> Card:
    return CARD_FOR_KIND.get(exercise.kind, ExerciseCard)(exercise, session.record(exercise.id))


def segment_widget(segment: Segment, session: Session) -> Widget:
    if isinstance(segment, Prose):
        return Markdown(segment.markdown)
    if isinstance(segment, MathBlock):
        return MathView(segment)
    if isinstance(segment, Exercise):
        return card_for(segment, session)
    if isinstance(segment, PlotBlock):
        from tutor.ui.widgets.plot_view import InteractivePlot, PlotView

        data = segment.data if isinstance(segment.data, dict) else {}
        return InteractivePlot.from_block(data) if data.get("interactive") else PlotView.from_block(data)
    if isinstance(segment, BackpropBlock):
        from tutor.ui.widgets.backprop_card import BackpropExample

        return BackpropExample(segment)
    raise TypeError(f"no widget for {type(segment).__name__}")
