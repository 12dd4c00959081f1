"""The checker: read the learner's answer, decide it against the exercise, and explain the verdict.

Runs in-process and without a time limit; `tutor.checking.service` runs it in a worker process
with a budget. Every learner-facing failure becomes a Verdict, never an exception.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
import time

from tutor.checking.arrays import check_vector
from tutor.checking.choices import check_choice
from tutor.checking.compare import NoPoints
from tutor.checking.formulas import check_antiderivative, check_derivative, check_expression
from tutor.checking.lhs import equals_positions, split_lhs
from tutor.checking.numbers import check_numeric
from tutor.checking.reading import SpecError, invalid_from, read
from tutor.checking.spec import ExerciseSpec
from tutor.checking.verdict import Verdict
from tutor.mathlang import MathError, parse_formula
from tutor.mathlang.ast import Relation
from tutor.mathlang.words import in_words


# -- reading ---------------------------------------------------------------------------------------

def preview(text: str, variables: tuple[str, ...]) -> Verdict:
    """How an answer is read, without judging it: the UI's live preview."""
    if not text.strip():
        return Verdict(status="invalid", message="")
    equals = equals_positions(text)
    if len(equals) == 1 and text[equals[0] + 1:].strip():
        # `y = …`: the check decides whether the left side names what is asked; show the right.
        verdict = preview(text[equals[0] + 1:], variables)
        return replace(verdict, notes=("only the right-hand side of '=' is checked", *verdict.notes))
    try:
        reading = read(text, variables)
    except MathError as err:
        return invalid_from(err, text)
    return reading.verdict("correct", "")


@lru_cache(maxsize=512)
def formula(text: str) -> Verdict:
    """A ```math line drawn in two dimensions; `=` chains are drawn side by side."""
    from sympy.printing.pretty.pretty import PrettyPrinter
    from sympy.printing.pretty.stringpict import prettyForm, stringPict

    try:
        parsed = parse_formula(text)
        built = parsed.to_sympy(evaluate=False, display=True)
    except MathError as err:
        return invalid_from(err, text)
    sides = built if isinstance(built, list) and isinstance(parsed.tree, Relation) else [built]
    printer = PrettyPrinter({"use_unicode": True})
    pieces: list = []
    for i, side in enumerate(sides):
        if i:
            pieces.append(f" {_RELATION_TEXT[parsed.tree.ops[i - 1]]} ")
        pieces.append(printer._print(side))
    picture = prettyForm(*stringPict.next(*pieces)) if len(pieces) > 1 else pieces[0]
    return Verdict(status="correct", message="", interpreted=parsed.interpreted, pretty=picture.render(wrap_line=False),
                   words=in_words(parsed.tree))


_RELATION_TEXT = {"=": "=", "<": "<", ">": ">", "<=": "≤", ">=": "≥", "!=": "≠"}


# -- entry point -----------------------------------------------------------------------------------

def check(spec: ExerciseSpec, answer: str, seed: int = 0) -> Verdict:
    start = time.perf_counter()
    try:
        verdict = _dispatch(spec, str(answer), seed)
    except SpecError as err:
        verdict = Verdict(status="invalid", message=f"This exercise cannot be checked: {err}",
                          diagnosis="broken-exercise")
    except NoPoints as err:
        verdict = Verdict(status="invalid", message=f"This exercise cannot be checked: {err}",
                          diagnosis="broken-exercise")
    except MathError as err:
        verdict = invalid_from(err, answer)
    return replace(verdict, elapsed_ms=round((time.perf_counter() - start) * 1000, 2))


def _dispatch(spec: ExerciseSpec, answer: str, seed: int) -> Verdict:
    if spec.kind == "choice":
        return check_choice(spec, answer)
    if not answer.strip():
        return Verdict(status="invalid", message="Type an answer first.")
    split = split_lhs(spec, answer)
    if split.note:
        verdict = _dispatch(spec, split.rhs, seed)
        return replace(verdict, notes=(split.note, *verdict.notes))
    if spec.kind == "numeric":
        return check_numeric(spec, answer)
    if spec.kind in ("vector", "matrix"):
        return check_vector(spec, answer, seed)
    if spec.kind == "derivative":
        return check_derivative(spec, answer, seed)
    if spec.kind == "antiderivative":
        return check_antiderivative(spec, answer, seed)
    if spec.kind == "expression":
        return check_expression(spec, answer, seed)
    raise SpecError(f"the checker cannot play exercises of kind '{spec.kind}'")

