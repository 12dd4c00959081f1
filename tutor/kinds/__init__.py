"""Every kind of exercise, in one table: what the validator, `tutor check` and the UI ask.

A kind says how its block is read (its fields; for an engine kind, a function that lists the
block's problems), how it is self-checked by `tutor validate`, how an answer is checked without
the UI, whether it has parts, and what an answer to it looks like. Engine modules are imported
only when one of their functions is called, so reading a course stays cheap.

Adding a kind: an entry here (and the domain module its functions call), a card in the UI's
kind → card table (tutor/ui/widgets/segments.py), a section in lessons/README.md.

The answer kinds are the ones `tutor.checking` decides: their list is the checker's own
(`CHECKED_KINDS`, which the checker's engine implements); this table adds their fields.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tutor.checking.spec import CHECKED_KINDS

if TYPE_CHECKING:  # pragma: no cover - types only
    from tutor.checking.verdict import Verdict

Block = Mapping[str, Any]


@dataclass(frozen=True)
class Kind:
    name: str
    answer_format: str  # what a learner's answer looks like, for help and error messages
    # Answer kinds: decided by the checker from an ExerciseSpec per part; they may have parts.
    checker: bool = False
    fields: tuple[str, ...] = ()  # answer kinds: the spec fields a block (or part) may set
    required: tuple[str, ...] = ()
    # Engine kinds: the whole block is the engine's data.
    problems: Callable[[Block], list[str]] | None = None  # reading the block: fast, always run
    self_check: Callable[[Block], list[str]] | None = None  # running it: slow, `tutor validate` only
    check: Callable[[Block, str], Verdict] | None = None  # `tutor check`: an answer's verdict
    playground: str | None = None  # the `interactive:` value of a plot block this kind's figure serves
    playground_problems: Callable[[Block], list[str]] | None = None

    @property
    def parts(self) -> bool:
        """Whether an exercise of this kind may have parts (a, b, ...)."""
        return self.checker


# -- the answer kinds ---------------------------------------------------------------------------------

_ANSWER_KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    # kind: (fields, required fields, answer format)
    "derivative": (("function", "var", "order", "answer", "vars", "domain"), ("function",), "an expression"),
    "expression": (("answer", "vars", "domain"), ("answer",), "an expression"),
    "antiderivative": (("function", "var", "answer", "vars", "domain"), ("function",), "an expression (+ C optional)"),
    "numeric": (("answer", "tolerance"), ("answer",), "a number"),
    "vector": (("answer", "vars", "domain", "tolerance"), ("answer",), "[a, b, ...]"),
    "matrix": (("answer", "vars", "domain", "tolerance"), ("answer",), "[[a, b], [c, d]]"),
    "choice": (("options", "answer", "feedback"), ("options", "answer"), "an option letter"),
}
assert set(_ANSWER_KINDS) == set(CHECKED_KINDS), "every kind the checker decides needs its fields here"


# -- the engine kinds (imported on use) ---------------------------------------------------------------


def _backprop_problems(data: Block) -> list[str]:
    from tutor.autodiff.headless import validate_backprop

    return validate_backprop(data)


def _backprop_check(data: Block, answer: str) -> Verdict:
    from tutor.autodiff.headless import check_backprop

    return check_backprop(data, answer)


def _code_self_check(data: Block) -> list[str]:
    from tutor.sandbox.exercise import validate_code_exercise

    return validate_code_exercise(dict(data), run=True)


def _code_check(data: Block, answer: str) -> Verdict:
    from tutor.sandbox.exercise import check_code

    return check_code(dict(data), answer)


def _gd_problems(data: Block) -> list[str]:
    from tutor.gd.exercise import block_problems

    return block_problems(data)


def _gd_self_check(data: Block) -> list[str]:
    from tutor.gd.exercise import self_check

    return self_check(data)


def _gd_check(data: Block, answer: str) -> Verdict:
    from tutor.gd.exercise import check_gd

    return check_gd(data, answer)


def _gd_playground_problems(data: Block) -> list[str]:
    from tutor.gd.exercise import playground_problems

    return playground_problems(data)


KINDS: dict[str, Kind] = {
    **{name: Kind(name, fmt, checker=True, fields=fields, required=required)
       for name, (fields, required, fmt) in _ANSWER_KINDS.items()},
    "backprop": Kind("backprop", "the step values in order, separated by ';'",
                     problems=_backprop_problems, check=_backprop_check),
    "code": Kind("code", "Python source defining the asked function", self_check=_code_self_check,
                 check=_code_check),
    "gd": Kind("gd", "the setting you choose: a number (0.01) or name=value pairs (beta=0.9)",
               problems=_gd_problems, self_check=_gd_self_check, check=_gd_check,
               playground="gd-playground", playground_problems=_gd_playground_problems),
}
NAMES = tuple(KINDS)


def get(name: str) -> Kind:
    """The kind called `name`; KeyError for an unknown one."""
    return KINDS[name]


def for_plot_block(data: Any) -> Kind | None:
    """The kind whose figure a plot block asks for with `interactive:` (None: the plot engine's)."""
    wanted = data.get("interactive") if isinstance(data, dict) else None
    return next((kind for kind in KINDS.values() if kind.playground and kind.playground == wanted), None)
