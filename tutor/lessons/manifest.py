"""Read `course.yaml`: the parts, their titles and the lesson order."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tutor.lessons.fields import Fields
from tutor.lessons.model import Part, Problem
from tutor.lessons.report import Report
from tutor.lessons.yamlsource import YamlError, item_line, load_yaml

MANIFEST = "course.yaml"
COURSE_FIELDS = ("title", "parts")
PART_FIELDS = ("number", "title", "lessons")
LESSON_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@dataclass(frozen=True)
class Listing:
    """One lesson id as listed in the manifest."""

    lesson_id: str
    part: int
    line: int  # line in course.yaml


@dataclass(frozen=True)
class Manifest:
    parts: tuple[Part, ...]
    listings: tuple[Listing, ...]  # in course order, duplicates removed
    problems: tuple[Problem, ...]


def read_manifest(lessons_dir: Path) -> Manifest:
    path = lessons_dir / MANIFEST
    report = Report(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        report.error(1, f"no {MANIFEST} in {lessons_dir}: it lists the parts and lessons of the course")
        return Manifest((), (), tuple(report.problems))
    except (OSError, UnicodeDecodeError) as exc:
        report.error(1, f"cannot read {MANIFEST}: {exc}")
        return Manifest((), (), tuple(report.problems))
    try:
        data = load_yaml(text)
    except YamlError as exc:
        report.error(exc.line + 1, exc.message)
        return Manifest((), (), tuple(report.problems))
    if not isinstance(data, dict):
        report.error(1, f"{MANIFEST} must be a mapping with a 'parts' list")
        return Manifest((), (), tuple(report.problems))
    course = Fields(data, report, 1, 1, MANIFEST)
    course.check_keys(COURSE_FIELDS, MANIFEST)
    parts: list[Part] = []
    listings: list[Listing] = []
    seen: dict[str, Listing] = {}
    numbers: set[int] = set()
    for index, raw in enumerate(course.sequence("parts", required=True) or ()):
        if not isinstance(raw, dict):
            course.error("parts", f"part {index + 1} must be a mapping with number, title, lessons")
            continue
        fields = course.sub("parts", raw, f"part {index + 1}", index)
        fields.check_keys(PART_FIELDS, "a part")
        number = fields.integer("number", required=True, minimum=1)
        title = fields.text("title", required=True)
        lessons = fields.sequence("lessons", required=True) or []
        if number is not None:
            fields.context = f"part {number}"
            if number in numbers:
                fields.error("number", f"part number {number} is used twice")
            numbers.add(number)
        ids: list[str] = []
        for position, lesson_id in enumerate(lessons):
            line = 1 + item_line(lessons, position, fields.line_of("lessons") - 1)
            if not isinstance(lesson_id, str) or not LESSON_ID.fullmatch(lesson_id):
                report.error(line, f"'{lesson_id}' is not a lesson id (lowercase words joined by '-')")
                continue
            if lesson_id in seen:
                report.error(line, f"lesson '{lesson_id}' is listed twice (first at line {seen[lesson_id].line})")
                continue
            listing = Listing(lesson_id, number or 0, line)
            seen[lesson_id] = listing
            listings.append(listing)
            ids.append(lesson_id)
        parts.append(Part(number or 0, title or "", tuple(ids)))
    return Manifest(tuple(parts), tuple(listings), tuple(report.problems))
