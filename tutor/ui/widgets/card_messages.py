"""What exercise cards tell the lesson screen, which records it in the save file.

Every kind of card (answers, code, backprop) posts these, so the screen records them the same
way. A card also offers `exercise`, `update_record(record)`, `pending_drafts()`,
`focus_answer()` and `show_solution()`, and carries the CSS class "exercise".
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
