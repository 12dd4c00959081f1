"""What the checker needs to know about one exercise (or one part of one).

Built by the lesson loader from an exercise block, or by `tutor compare` from its flags.
Expressions are kept as answer-language text; the checker parses them in its worker.
"""

from __future__ import annotations

from dataclasses import dataclass

# Kinds the checker decides. `backprop`, `code` and `gd` are played by their own engines.
CHECKED_KINDS = ("derivative", "expression", "antiderivative", "numeric", "vector", "matrix", "choice")
DEFAULT_REL_TOL = 1e-4  # a number is right within this relative distance of the reference


@dataclass(frozen=True)
class Mistake:
    """A wrong answer the lesson author anticipates, with the message to show when it matches."""

    answer: str
    message: str


@dataclass(frozen=True)
class ExerciseSpec:
    kind: str
    # derivative / antiderivative: the function to differentiate, or the integrand.
    function: str | None = None
    # The reference answer: an expression, a number, "[a, b]", "[[a, b], [c, d]]" or a choice letter.
    answer: str | None = None
    # Variable of differentiation or integration.
    var: str | None = None
    order: int = 1
    # Every name the learner may use; defaults to [var] or ["x"].
    variables: tuple[str, ...] = ()
    # Conditions such as "x > 0, a >= 1" or "-pi/2 < x < pi/2".
    domain: str | None = None
    rel_tol: float | None = None
    abs_tol: float | None = None
    # choice: the option texts, in order; the answer is a letter (a, b, ...).
    options: tuple[str, ...] = ()
    # choice: extra feedback per option letter.
    option_feedback: tuple[tuple[str, str], ...] = ()
    mistakes: tuple[Mistake, ...] = ()

    @property
    def declared(self) -> tuple[str, ...]:
        if self.variables:
            return self.variables
        return (self.var,) if self.var else ("x",)


def precision_note(spec: ExerciseSpec) -> str:
    """How close a numeric answer must be, said before the learner answers: "to 5 significant
    figures", "within 0.01"; empty where an exact form is expected."""
    if spec.kind not in ("numeric", "vector", "matrix"):
        return ""
    if spec.abs_tol is not None and spec.rel_tol is None:
        return f"within {spec.abs_tol:g}"
    rel = spec.rel_tol if spec.rel_tol is not None else DEFAULT_REL_TOL
    import math

    figures = max(1, math.ceil(-math.log10(rel)) + 1)
    return f"to {figures} significant figures (or exactly, e.g. 1/3 or pi/4)"
