"""The answer checker. Importing this package stays light: SymPy loads on the first check.

- `check(spec, answer)`: decide an answer in this process, without a time limit.
- `self_check(spec)`: what is wrong with an exercise's own references (for `tutor validate`).
- `tutor.checking.service.CheckService`: the same in a worker process, with a time budget.
"""

from __future__ import annotations

from tutor.checking.spec import ExerciseSpec, Mistake
from tutor.checking.verdict import Verdict

__all__ = ["ExerciseSpec", "Mistake", "Verdict", "check", "preview", "self_check"]


def check(spec: ExerciseSpec, answer: str, seed: int = 0) -> Verdict:
    from tutor.checking.engine import check as run

    return run(spec, answer, seed)


def preview(text: str, variables: tuple[str, ...]) -> Verdict:
    from tutor.checking.engine import preview as run

    return run(text, variables)


def self_check(spec: ExerciseSpec) -> list[str]:
    from tutor.checking.selfcheck import self_check as run

    return run(spec)
