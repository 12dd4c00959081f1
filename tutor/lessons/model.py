"""The course as typed data: lessons made of pages made of segments.

Pure data; built by `tutor.lessons.loader`, read by the validator, the CLI and the UI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.checking.spec import ExerciseSpec


@dataclass(frozen=True)
class Problem:
    """Something wrong (or, with severity "warning", worth knowing) in a lesson file."""

    path: Path
    line: int
    message: str
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        tag = "" if self.severity == "error" else "warning: "
        return f"{self.path}:{self.line}: {tag}{self.message}"


@dataclass(frozen=True)
class Prose:
    markdown: str
    line: int


@dataclass(frozen=True)
class MathBlock:
    """Formulas in the answer language, one per line; `=` may join the two sides."""

    lines: tuple[str, ...]
    line: int
    line_numbers: tuple[int, ...] = ()  # the file line of each entry of `lines`


@dataclass(frozen=True)
class ExercisePart:
    """One checkable piece of an exercise: the whole exercise, or its part (a), (b)..."""

    key: str  # "" for an exercise without parts, else "a", "b", ...
    prompt: str
    spec: ExerciseSpec


@dataclass(frozen=True)
class Exercise:
    id: str  # "chain-rule/e3"
    kind: str
    prompt: str
    parts: tuple[ExercisePart, ...]
    hints: tuple[str, ...]
    solution: str
    line: int
    content_hash: str  # changes whenever the exercise block changes
    data: dict[str, Any] = field(default_factory=dict)  # the raw YAML, for kinds with their own engines
    # Variants (tutor.lessons.variants): the family and the block as written, with its parameters;
    # `seed` says which variant this is (0: as written). See `tutor.lessons.exercises.variant`.
    family: Any = field(default=None, compare=False, repr=False)
    template: dict[str, Any] | None = field(default=None, compare=False, repr=False)
    seed: int = 0

    def part(self, key: str) -> ExercisePart:
        for part in self.parts:
            if part.key == key:
                return part
        raise KeyError(key)


@dataclass(frozen=True)
class PlotBlock:
    data: dict[str, Any]
    line: int
    lines: dict[str, int] = field(default_factory=dict)  # "curves[1].expr" -> its file line


@dataclass(frozen=True)
class BackpropBlock:
    data: dict[str, Any]
    line: int


Segment = Prose | MathBlock | Exercise | PlotBlock | BackpropBlock


@dataclass(frozen=True)
class Page:
    title: str
    segments: tuple[Segment, ...]
    line: int = 0  # the file line of its `## ` heading (or of its first text, for the opening page)

    @property
    def exercises(self) -> tuple[Exercise, ...]:
        return tuple(s for s in self.segments if isinstance(s, Exercise))


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    part: int
    requires: tuple[str, ...]
    minutes: int
    objectives: tuple[str, ...]
    pages: tuple[Page, ...]
    path: Path
    problems: tuple[Problem, ...] = ()  # errors make the lesson "broken": the UI shows them instead
    requires_line: int = 1  # where `requires` is written, for problems about it

    @property
    def broken(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    @property
    def exercises(self) -> tuple[Exercise, ...]:
        return tuple(e for page in self.pages for e in page.exercises)


@dataclass(frozen=True)
class Part:
    number: int
    title: str
    lesson_ids: tuple[str, ...]


@dataclass(frozen=True)
class Course:
    parts: tuple[Part, ...]
    lessons: dict[str, Lesson]  # in course order
    problems: tuple[Problem, ...] = ()  # course-level (manifest) problems

    def exercise(self, exercise_id: str) -> Exercise:
        lesson_id = exercise_id.split("/", 1)[0]
        lesson = self.lessons.get(lesson_id)
        if lesson is not None:
            for ex in lesson.exercises:
                if ex.id == exercise_id:
                    return ex
        raise KeyError(exercise_id)
