"""Helpers for the lesson tests: build small lesson folders in a temporary directory.

Import the `make_course` fixture into a test module to use it.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


# A variant family (one parameter, 39 values) for tests of "Show me another" and of reviews.
SLOPE_FAMILY = """\
id: a/e1
kind: numeric
prompt: What is the slope of y = x² at x = {k}?
answer: 2*k
params:
  k: {range: [2, 40], value: 3}
hints:
  - The slope of x² is 2x.
solution: 2 · {k} = {= 2*k}.
"""


def front_matter(lesson_id: str, *, part: int = 1, requires: str = "[]", extra: str = "") -> str:
    return (
        f"---\nid: {lesson_id}\ntitle: Lesson {lesson_id}\npart: {part}\nrequires: {requires}\n"
        f"minutes: 5\n{extra}---\n"
    )


def exercise(body: str) -> str:
    """An ```exercise fence around `body` (dedented)."""
    return "```exercise\n" + textwrap.dedent(body).strip("\n") + "\n```\n"


def numeric(exercise_id: str, answer: str = '"4"', extra: str = "") -> str:
    return exercise(
        f"id: {exercise_id}\nkind: numeric\nprompt: 2 + 2?\nanswer: {answer}\n"
        f"hints: [Count.]\nsolution: Four.\n{extra}"
    )


def line_of(text: str, needle: str, start: int = 1) -> int:
    """The 1-based number of the first line at or after `start` that contains `needle`."""
    for number, line in enumerate(text.splitlines(), start=1):
        if number >= start and needle in line:
            return number
    raise AssertionError(f"{needle!r} not found")


@pytest.fixture
def make_course(tmp_path: Path):
    """make_course({"a": text, ...}, parts=[(1, ["a"])]) -> the folder, with course.yaml."""

    def make(lessons: dict[str, str | bytes], parts: list[tuple[int, list[str]]] | None = None) -> Path:
        folder = tmp_path / "lessons"
        folder.mkdir(exist_ok=True)
        if parts is None:
            parts = [(1, list(lessons))]
        manifest = "parts:\n"
        for number, ids in parts:
            manifest += f"  - number: {number}\n    title: Part {number}\n    lessons: [{', '.join(ids)}]\n"
        (folder / "course.yaml").write_text(manifest, encoding="utf-8")
        for lesson_id, text in lessons.items():
            target = folder / f"{lesson_id}.md"
            if isinstance(text, bytes):
                target.write_bytes(text)
            else:
                target.write_text(text, encoding="utf-8")
        return folder

    return make
