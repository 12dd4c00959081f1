"""The parts of the course the practice game needs: which lesson and kind each exercise has,
which lessons each lesson builds on, and the parts. Built once from the loaded course."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

# Kinds served in review. A code exercise is a whole program to write again: it stays in its
# lesson, and a review session is kept to things that take a minute or two.
REVIEW_KINDS = frozenset({"numeric", "choice", "expression", "derivative", "antiderivative", "vector",
                          "matrix", "backprop", "gd"})


@dataclass(frozen=True)
class CourseShape:
    lessons: tuple[str, ...]  # in course order
    lesson_part: dict[str, int]
    lesson_title: dict[str, str]
    requires: dict[str, tuple[str, ...]]
    exercises: dict[str, tuple[str, ...]]  # lesson -> its exercise ids, in order
    kinds: dict[str, str] = field(default_factory=dict)  # exercise -> kind
    part_titles: dict[int, str] = field(default_factory=dict)

    def lesson_of(self, exercise: str) -> str:
        return exercise.split("/", 1)[0]

    def kind_of(self, exercise: str) -> str:
        return self.kinds.get(exercise, "")

    def exercises_of(self, lesson: str) -> tuple[str, ...]:
        return self.exercises.get(lesson, ())

    def reviewable(self, exercise: str) -> bool:
        return self.kinds.get(exercise) in REVIEW_KINDS

    def prerequisites(self, lesson: str, depth: int) -> dict[str, int]:
        """Lessons `lesson` builds on, up to `depth` levels down, each with its nearest level."""
        found: dict[str, int] = {}
        queue = deque([(lesson, 0)])
        while queue:
            current, level = queue.popleft()
            if level == depth:
                continue
            for required in self.requires.get(current, ()):
                if required not in found and required != lesson:
                    found[required] = level + 1
                    queue.append((required, level + 1))
        return found

    def lessons_of_part(self, part: int) -> tuple[str, ...]:
        return tuple(lesson for lesson in self.lessons if self.lesson_part.get(lesson) == part)

    @property
    def parts(self) -> tuple[int, ...]:
        return tuple(sorted(set(self.lesson_part.values())))


def shape_of(course) -> CourseShape:
    """From a loaded `tutor.lessons.model.Course` (broken lessons have no exercises)."""
    lessons = tuple(course.lessons)
    return CourseShape(
        lessons=lessons,
        lesson_part={lid: lesson.part for lid, lesson in course.lessons.items()},
        lesson_title={lid: lesson.title for lid, lesson in course.lessons.items()},
        requires={lid: tuple(lesson.requires) for lid, lesson in course.lessons.items()},
        exercises={lid: tuple(e.id for e in lesson.exercises) for lid, lesson in course.lessons.items()},
        kinds={e.id: e.kind for lesson in course.lessons.values() for e in lesson.exercises},
        part_titles={part.number: part.title for part in course.parts},
    )
