"""The step-through challenge as a model: where the learner is, what they entered, what is next.

The widget draws it; `tutor check` replays it headlessly. Its `state()` is plain JSON so a
half-done challenge is saved with the learner's progress and resumes at the same step.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from tutor.autodiff.engine import DomainError
from tutor.autodiff.feedback import StepVerdict, judge
from tutor.autodiff.graph import Graph
from tutor.autodiff.numbers import NoValue, fmt, read_number
from tutor.autodiff.steps import Step, Template, steps_of, template
from tutor.mathlang import MathError

STATE_VERSION = 1
FD_STEP = 1e-6


@dataclass
class Entry:
    """What the learner last entered for a step."""

    text: str
    correct: bool
    attempts: int = 0  # wrong and right answers judged (not unreadable ones)
    revealed: bool = False  # the answer was shown instead of found

    @property
    def done(self) -> bool:
        return self.correct or self.revealed


@dataclass(frozen=True)
class FDRow:
    """One gradient next to its central-difference estimate and the learner's number."""

    name: str
    label: str  # "∂L/∂w"
    analytic: float  # from the backward pass
    numeric: float | None  # (L(x + h) − L(x − h)) / 2h; None where L is undefined near x
    entered: float | None  # the learner's number, None if not entered
    agrees: bool  # analytic and numeric agree


class Stepper:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.steps: list[Step] = steps_of(graph)
        self.index = 0  # the current step; len(steps) when finished
        self.entries: dict[str, Entry] = {}

    # -- where we are --------------------------------------------------------------------------
    @property
    def phase(self) -> str:
        """"forward", "backward" or "done"."""
        return self.steps[self.index].phase if self.index < len(self.steps) else "done"

    @property
    def done(self) -> bool:
        return self.index >= len(self.steps)

    @property
    def current(self) -> Step | None:
        return None if self.done else self.steps[self.index]

    @property
    def forward_count(self) -> int:
        return sum(s.phase == "forward" for s in self.steps)

    @property
    def helped(self) -> bool:
        """Some answer was revealed: the challenge ends solved-with-help, not solved."""
        return any(e.revealed for e in self.entries.values())

    def step(self, index: int) -> Step:
        return self.steps[index]

    def expected(self, step: int | Step) -> float:
        return self._step(step).expected

    def template(self, step: int | Step, closed_forms: bool = False) -> Template:
        """The card: "∂y/∂u = ∂y/∂v · ∂v/∂u = 2.58309 × 0.315322", one term per use of the node."""
        return template(self.graph, self._step(step), closed_forms)

    def entry(self, step: int | Step) -> Entry | None:
        return self.entries.get(self._step(step).key)

    def _step(self, step: int | Step) -> Step:
        return step if isinstance(step, Step) else self.steps[step]

    # -- answering -----------------------------------------------------------------------------
    def judge(self, step: int, text: str) -> StepVerdict:
        """Judge `text` for a step without changing anything (any step, in any order)."""
        return judge(self.graph, self.steps[step], text)

    def submit(self, step: int, text: str) -> StepVerdict:
        """Answer the current step (or re-check an earlier one); a right answer moves on."""
        if not 0 <= step < len(self.steps):
            return StepVerdict("invalid", f"There is no step {step + 1}; this challenge has {len(self.steps)}.",
                               step=step)
        if step > self.index:
            now = self.steps[self.index]
            return StepVerdict("invalid", f"Do step {self.index + 1} ({now.label}) first.", step=step)
        verdict = self.judge(step, text)
        if step < self.index or verdict.status == "invalid":
            return verdict  # finished steps keep their entry; unreadable text is not an attempt
        key = self.steps[step].key
        previous = self.entries.get(key)
        attempts = (previous.attempts if previous else 0) + 1
        self.entries[key] = Entry(text.strip(), verdict.correct, attempts)
        if verdict.correct:
            self.index += 1
        return verdict

    def reveal(self, step: int | None = None) -> str:
        """Show the current step's answer, record it as revealed and move on; returns the text."""
        index = self.index if step is None else step
        if index != self.index or self.done:
            raise ValueError("only the current step can be revealed")
        s = self.steps[index]
        previous = self.entries.get(s.key)
        text = fmt(s.expected)
        self.entries[s.key] = Entry(text, False, previous.attempts if previous else 0, revealed=True)
        self.index += 1
        return text

    # -- saving --------------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        """{"version": 1, "phase": "backward", "index": 4, "node": "u", "entries": {"forward:u":
        {"text": "1.25", "correct": true, "attempts": 1, "revealed": false}, ...}}: JSON, with
        entries keyed by step key ("forward:<node>" / "backward:<node>"). `node` is None when done."""
        current = self.current
        return {"version": STATE_VERSION, "phase": self.phase, "index": self.index,
                "node": current.node if current else None,
                "entries": {key: asdict(entry) for key, entry in self.entries.items()}}

    @classmethod
    def restore(cls, graph: Graph, state: Any) -> Stepper:
        """A stepper at the saved point. A damaged or foreign state gives a fresh start, never an
        error; entries for steps the graph no longer has are dropped."""
        stepper = cls(graph)
        entries = state.get("entries") if isinstance(state, dict) else None
        if not isinstance(entries, dict):
            return stepper
        keys = {s.key for s in stepper.steps}
        for key, raw in entries.items():
            if key in keys and isinstance(raw, dict) and isinstance(raw.get("text"), str):
                stepper.entries[key] = Entry(raw["text"], raw.get("correct") is True,
                                             int(raw.get("attempts") or 0), raw.get("revealed") is True)
        # Resume at the first step not yet done, whatever index was saved.
        stepper.index = next((s.index for s in stepper.steps
                              if not (s.key in stepper.entries and stepper.entries[s.key].done)), len(stepper.steps))
        return stepper

    # -- the check at the end --------------------------------------------------------------------
    def finite_difference_check(self, h: float = FD_STEP) -> list[FDRow]:
        """Each gradient asked (backward steps), its central difference, and the learner's number."""
        rows = []
        for s in self.steps:
            if s.phase != "backward":
                continue
            numeric = central_difference(self.graph, s.node, h)
            entry = self.entries.get(s.key)
            rows.append(FDRow(s.node, s.label, s.expected, numeric, _number_or_none(entry),
                              numeric is not None and _agree(s.expected, numeric)))
        return rows


def central_difference(graph: Graph, name: str, h: float = FD_STEP) -> float | None:
    """(L(v + h) − L(v − h)) / 2h, nudging the value of `name` and recomputing what follows it."""
    base = graph.value(name)

    def loss_at(v: float) -> float:
        return graph.forward({}, {name: v})[graph.output]

    try:
        return (loss_at(base + h) - loss_at(base - h)) / (2 * h)
    except (DomainError, ZeroDivisionError, OverflowError):
        return None


def _agree(analytic: float, numeric: float) -> bool:
    # Central differences are good to about h² plus rounding (~1e-10/h relative): 1e-5 is ample.
    return abs(analytic - numeric) <= max(1e-5 * abs(analytic), 1e-6)


def _number_or_none(entry: Entry | None) -> float | None:
    if entry is None:
        return None
    try:
        return read_number(entry.text)
    except (MathError, NoValue):
        return None
