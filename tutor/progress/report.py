"""Progress against the course outline: solved/total per part and lesson, for `tutor progress`
and the UI's contents page. Pure: takes a Course and a Profile, touches no files."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from tutor.progress.model import Profile, Totals, changed_since_solved, totals

if TYPE_CHECKING:
    from tutor.lessons.model import Course, Lesson


@dataclass(frozen=True)
class LessonReport:
    id: str
    title: str
    solved: int  # solved or solved-with-help
    total: int
    solved_with_help: int
    revealed: int
    attempted: int
    changed: tuple[str, ...]  # exercises finished under content that has changed since


@dataclass(frozen=True)
class PartReport:
    number: int
    title: str
    solved: int
    total: int
    lessons: tuple[LessonReport, ...]


@dataclass(frozen=True)
class CourseReport:
    profile: str
    solved: int
    total: int
    parts: tuple[PartReport, ...]
    totals: Totals  # over every record in the profile, in the course or not
    changed: tuple[str, ...]
    unknown: tuple[str, ...]  # recorded exercises the course no longer has


def lesson_report(lesson: Lesson, profile: Profile) -> LessonReport:
    records = [(ex, profile.exercise(ex.id)) for ex in lesson.exercises]
    return LessonReport(
        id=lesson.id,
        title=lesson.title,
        solved=sum(r.solved for _, r in records),
        total=len(records),
        solved_with_help=sum(r.status == "solved-with-help" for _, r in records),
        revealed=sum(r.status == "revealed" for _, r in records),
        attempted=sum(r.status == "attempted" for _, r in records),
        changed=tuple(ex.id for ex, r in records if changed_since_solved(r, ex.content_hash)),
    )


def course_report(course: Course, profile: Profile) -> CourseReport:
    parts = []
    placed: set[str] = set()
    groups = [(p.number, p.title, p.lesson_ids) for p in course.parts]
    for _, _, ids in groups:
        placed.update(ids)
    stray = tuple(i for i in course.lessons if i not in placed)
    if stray:
        groups.append((0, "Lessons in no part", stray))
    for number, title, ids in groups:
        lessons = tuple(lesson_report(course.lessons[i], profile) for i in ids if i in course.lessons)
        parts.append(
            PartReport(number, title, sum(r.solved for r in lessons), sum(r.total for r in lessons), lessons)
        )
    known = {ex.id for lesson in course.lessons.values() for ex in lesson.exercises}
    return CourseReport(
        profile=profile.name,
        solved=sum(p.solved for p in parts),
        total=sum(p.total for p in parts),
        parts=tuple(parts),
        totals=totals(profile),
        changed=tuple(c for p in parts for lesson in p.lessons for c in lesson.changed),
        unknown=tuple(sorted(i for i in profile.exercises if i not in known)),
    )


def report_to_json(report: CourseReport) -> dict[str, Any]:
    return asdict(report)  # nested dataclasses become dicts; json writes tuples as lists
