"""Collecting problems for one file while it is being read."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tutor.lessons.model import Problem


@dataclass
class Report:
    path: Path
    problems: list[Problem] = field(default_factory=list)

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def warning(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message, "warning"))

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")
