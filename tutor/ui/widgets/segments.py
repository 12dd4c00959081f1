"""One widget for each segment of a lesson page."""

from __future__ import annotations

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
from tutor.ui.widgets.backprop_card import BackpropCard
from tutor.ui.widgets.card import Card
from tutor.ui.widgets.code_card import CodeCard
from tutor.ui.widgets.exercise_card import ExerciseCard
from tutor.ui.widgets.gd_card import GdCard, playground_plot
from tutor.ui.widgets.math_view import MathView

# The one table from an exercise kind to its card; every kind the checker decides (derivative,
# numeric, choice...) uses ExerciseCard. A kind's free playground in a plot block (`interactive:`
# as the registry says) has its widget in PLAYGROUNDS.
CARD_FOR_KIND: dict[str, type[Card]] = {
    "code": CodeCard,
    "backprop": BackpropCard,
    "gd": GdCard,
}
PLAYGROUNDS = {"gd": playground_plot}


def card_class(kind: str) -> type[Card]:
    return ExerciseCard if kinds.get(kind).checker else CARD_FOR_KIND[kind]


def card_for(exercise: Exercise, session: Session) -> Card:
    """The card of an exercise, showing the variant the learner is on."""
    return card_class(exercise.kind)(session.shown_variant(exercise), session.record(exercise.id))


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
        playground = kinds.for_plot_block(data)
        if playground is not None:
            return PLAYGROUNDS[playground.name](data)
        return InteractivePlot.from_block(data) if data.get("interactive") else PlotView.from_block(data)
    if isinstance(segment, BackpropBlock):
        from tutor.ui.widgets.backprop_card import BackpropExample

        return BackpropExample(segment)
    raise TypeError(f"no widget for {type(segment).__name__}")
