"""One widget for each segment of a lesson page."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Markdown, Static

from tutor.lessons.model import BackpropBlock, Exercise, MathBlock, PlotBlock, Prose, Segment
from tutor.session import Session
from tutor.ui.widgets.exercise_card import ExerciseCard
from tutor.ui.widgets.math_view import MathView


def segment_widget(segment: Segment, session: Session) -> Widget:
    if isinstance(segment, Prose):
        return Markdown(segment.markdown)
    if isinstance(segment, MathBlock):
        return MathView(segment)
    if isinstance(segment, Exercise):
        return ExerciseCard(segment, session.record(segment.id))
    if isinstance(segment, PlotBlock):
        title = segment.data.get("title", "a figure") if isinstance(segment.data, dict) else "a figure"
        return Static(Text(f"[plot] {title}: figures are drawn once the plot engine lands.", style="italic"),
                      classes="placeholder")
    if isinstance(segment, BackpropBlock):
        return Static(Text("[backprop graph] step-through graphs arrive with the backprop stepper.",
                           style="italic"), classes="placeholder")
    raise TypeError(f"no widget for {type(segment).__name__}")
