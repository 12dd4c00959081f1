"""Reading an answer and an exercise's own fields: the parse, its SymPy form and picture, and
the errors that say which side is at fault (the learner's text or the lesson)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy

from tutor.checking.sampling import Domain, parse_domain
from tutor.checking.spec import ExerciseSpec
from tutor.checking.verdict import Verdict
from tutor.mathlang import MathError, Parsed, parse
from tutor.mathlang.words import in_words


class SpecError(Exception):
    """The exercise itself is broken (a lesson bug): its reference does not parse or has no value."""


@dataclass
class Reading:
    """The learner's answer as read: the parse, its SymPy form, and how to show it."""

    parsed: Parsed
    expr: object
    pretty: str

    def verdict(self, status: str, message: str, **fields) -> Verdict:
        return Verdict(status=status, message=message, interpreted=self.parsed.interpreted, pretty=self.pretty,
                       words=in_words(self.parsed.tree), notes=self.parsed.notes, **fields)


# -- reading ---------------------------------------------------------------------------------------

def pretty(parsed: Parsed) -> str:
    tree = parsed.to_sympy(evaluate=False, display=True)
    if isinstance(tree, list):
        if tree and all(isinstance(row, list) for row in tree):
            if len({len(row) for row in tree}) == 1:
                return sympy.pretty(sympy.Matrix(tree), use_unicode=True)
            return "[" + ", ".join(sympy.pretty(r, use_unicode=True) for r in tree) + "]"
        return sympy.pretty(tree, use_unicode=True)
    return sympy.pretty(tree, use_unicode=True)


def read(text: str, variables: tuple[str, ...]) -> Reading:
    """Parse and build the learner's text. Raises MathError with a column where it can."""
    parsed = parse(text, variables)
    expr = parsed.to_sympy()
    return Reading(parsed, expr, pretty(parsed))


def invalid_from(error: MathError, text: str) -> Verdict:
    caret = error.caret()
    return Verdict(status="invalid", message=error.message, error_column=error.column,
                   extra={"caret": caret} if caret else {})




@lru_cache(maxsize=512)
def reference_expr(text: str | None, variables: tuple[str, ...], field: str):
    if text is None or not str(text).strip():
        raise SpecError(f"the exercise has no {field}")
    try:
        return parse(str(text), variables).to_sympy()
    except MathError as err:
        raise SpecError(f"{field} '{text}' does not parse: {err.message}") from err


def spec_domain(spec: ExerciseSpec, variables: tuple[str, ...]) -> Domain:
    try:
        return parse_domain(spec.domain, variables)
    except MathError as err:
        raise SpecError(f"domain '{spec.domain}' does not parse: {err.message}") from err


def scalar_reading(text: str, variables: tuple[str, ...]) -> Reading:
    """The answer read as one expression (a list is refused: the exercise wants one value)."""
    reading = read(text, variables)
    if isinstance(reading.expr, list):
        raise MathError("this answer is a single expression, not a list")
    return reading
