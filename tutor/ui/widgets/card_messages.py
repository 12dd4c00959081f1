"""What exercise cards tell the lesson screen, which records it in the save file.

Every kind of card (answers, code, backprop) posts these, so the screen records them the same
way; the rest of a card's interface is on its base class, `tutor.ui.widgets.card.Card`.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from tutor.checking.verdict import Verdict
from tutor.lessons.model import Exercise


@dataclass
class AnswerChecked(Message):
    exercise: Exercise
    part: str
    answer: str
    verdict: Verdict


@dataclass
class DraftChanged(Message):
    exercise: Exercise
    part: str
    text: str


@dataclass
class HintShown(Message):
    exercise: Exercise
    rung: int


@dataclass
class RevealAsked(Message):
    exercise: Exercise


@dataclass
class AnotherAsked(Message):
    """"Show me another": the learner wants a fresh variant of this exercise."""

    exercise: Exercise
