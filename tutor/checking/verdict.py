"""The checker's answer, as plain data that crosses process boundaries and serialises to JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Status = Literal["correct", "incorrect", "invalid"]


@dataclass(frozen=True)
class Counterexample:
    """A point where the learner's answer and the reference disagree."""

    point: dict[str, str]  # variable -> value as typed for display, e.g. {"x": "1.3"}
    answer_value: str | None  # None: the learner's answer is undefined there
    expected_value: str
    text: str  # "at x = 1.3 your answer is 2.05; the derivative is 4.1"


@dataclass(frozen=True)
class EntryResult:
    """One entry of a vector or matrix answer."""

    index: tuple[int, ...]  # (i,) or (row, col), zero-based
    correct: bool
    message: str = ""


@dataclass(frozen=True)
class Verdict:
    status: Status
    message: str
    interpreted: str = ""  # one-line reading of the answer, e.g. "2·x·cos(x²)"
    pretty: str = ""  # 2-D Unicode rendering (sympy.pretty)
    words: str = ""  # the reading said in words, on one line (the accessible mode's preview)
    diagnosis: str | None = None  # a short code, e.g. "missing-inner-derivative"
    counterexample: Counterexample | None = None
    entries: tuple[EntryResult, ...] = ()
    notes: tuple[str, ...] = ()  # reading rules applied, e.g. "sin x is read as sin(x)"
    error_column: int | None = None  # 1-based column of a syntax error
    elapsed_ms: float = 0.0
    extra: dict = field(default_factory=dict)

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def to_json(self) -> dict:
        data = asdict(self)
        data["entries"] = [asdict(e) for e in self.entries]
        return data
