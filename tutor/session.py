"""A learner's session without any UI: the course, the save file and the checker together.

The TUI holds one of these and only calls it; tests drive it headlessly. Every write goes
through the progress store and is durable when the call returns; failures come back as
messages (`SessionError`), never as exceptions the UI would have to understand.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cached_property
from pathlib import Path

from tutor.checking.verdict import Verdict
from tutor.lessons.exercises import variant
from tutor.lessons.loader import load_course
from tutor.lessons.variants import VariantError
from tutor.lessons.model import Course, Exercise, Lesson
from tutor.progress import LoadIssue, ProgressError, ProgressStore, open_profile
from tutor.practice.episodes import Event
from tutor.practice.service import Practice, Settings, practice
from tutor.practice.shape import CourseShape, shape_of
from tutor.progress.model import ExerciseProgress, LessonPosition, Profile, parse_time
from tutor.progress.report import LessonReport, lesson_report


class SessionError(Exception):
    """Something the learner should be told (a save failed, a profile is read-only...)."""


def clock_from(start: datetime, began: float | None = None) -> Callable[[], datetime]:
    """A clock that reads `start` at the moment `began` (a `time.monotonic()` reading; now unless
    given) and runs on from it: `tutor --now` shows what is due on a later day in the real app.
    Kept in UTC, so stored times sort as times."""
    origin = start.astimezone(timezone.utc)
    zero = time.monotonic() if began is None else began
    return lambda: origin + timedelta(seconds=time.monotonic() - zero)


# -- variants ("Show me another") ------------------------------------------------------------------

ANOTHER_AFTER_WRONG = 3  # wrong tries at one variant after which another may be asked for


def shown_seed(exercise: Exercise, record: ExerciseProgress) -> int:
    """The variant the learner is on: the one of their last attempt (0 without variants)."""
    if exercise.family is None or not record.attempts:
        return 0
    return record.attempts[-1].seed


def solved_parts(exercise: Exercise, record: ExerciseProgress) -> set[str]:
    """The parts solved in the variant `exercise` is (the whole record's for the one as written)."""
    if exercise.seed == 0:
        return {p.key for p in exercise.parts} if record.solved else set(record.parts_solved)
    return {a.part for a in record.attempts if a.seed == exercise.seed and a.status == "correct"}


def can_show_another(exercise: Exercise, record: ExerciseProgress) -> bool:
    """"Show me another" is offered for an exercise with variants once it is solved, or after
    three wrong tries at the variant shown."""
    if exercise.family is None:
        return False
    if record.solved:
        return True
    wrong = sum(1 for a in record.attempts if a.seed == exercise.seed and a.status == "incorrect")
    return wrong >= ANOTHER_AFTER_WRONG


def next_seed(exercise: Exercise, record: ExerciseProgress, seen: Iterable[int] = ()) -> int:
    """A variant not seen yet: one past every seed answered, the one shown, and any other `seen`
    (the seeds of the exercise's practice events: what reviews served)."""
    return max([exercise.seed, *(a.seed for a in record.attempts), *seen]) + 1


@dataclass(frozen=True)
class ContinueTarget:
    lesson: Lesson
    page: int
    position: LessonPosition

    @property
    def label(self) -> str:
        page = self.lesson.pages[self.page]
        return f"Continue: {self.lesson.title} — {page.title}"


@dataclass(frozen=True)
class NextStep:
    """Continue's choice (the practice game's `whats_next`), ready to open: the due reviews, a
    lesson at the page the learner left it on, or the page of an exercise still open."""

    what: str  # "review" | "lesson" | "exercise" | "done"
    label: str  # the Continue button's words
    lesson: Lesson | None = None
    page: int = 0
    exercise: str | None = None


class Session:
    def __init__(self, course: Course, store: ProgressStore, load_issue: LoadIssue | None,
                 lessons_dir: Path, save_dir: Path) -> None:
        self.course = course
        self.store = store
        self.load_issue = load_issue
        self.lessons_dir = lessons_dir
        self.save_dir = save_dir
        self.clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)  # settable: tests, --now

    def now(self) -> datetime:
        return self.clock()

    def _time(self) -> str:
        return self.now().isoformat(timespec="microseconds")

    @classmethod
    def open(cls, lessons_dir: Path, save_dir: Path, profile: str) -> Session:
        course = load_course(lessons_dir)
        store, issue = open_profile(save_dir, profile)
        return cls(course, store, issue, lessons_dir, save_dir)

    # -- reading -------------------------------------------------------------------------------------
    @property
    def profile(self) -> Profile:
        return self.store.profile

    @property
    def profile_name(self) -> str:
        return self.store.name

    def record(self, exercise_id: str) -> ExerciseProgress:
        return self.profile.exercise(exercise_id)

    def shown_variant(self, exercise: Exercise) -> Exercise:
        """The exercise as the learner last saw it: the variant of their last attempt."""
        seed = shown_seed(exercise, self.record(exercise.id))
        try:
            return variant(exercise, seed) if seed else exercise
        except VariantError:  # the lesson changed since: its family no longer makes that seed
            return exercise

    def another_variant(self, exercise: Exercise) -> Exercise:
        """A fresh variant of `exercise` (one of its variants). Raises SessionError if none."""
        try:
            return variant(exercise, next_seed(exercise, self.record(exercise.id)))
        except VariantError as exc:
            raise SessionError(str(exc)) from exc

    def review_variant(self, exercise: Exercise, seen: Iterable[int] = ()) -> Exercise:
        """What a review serves: with variants, one the learner has never had (one past the
        highest seed of their attempts and of `seen`, the seeds their practice events name), so
        the numbers are never the same twice in a row; without, the exercise as written."""
        seed = self.review_seed(exercise, seen)
        try:
            return variant(exercise, seed) if seed else exercise
        except VariantError:  # this family cannot make that one: ask the exercise as written
            return exercise

    def review_seed(self, exercise: Exercise, seen: Iterable[int] = ()) -> int:
        """The variant a review would serve next (0: the exercise as written, it has none)."""
        return 0 if exercise.family is None else next_seed(exercise, self.record(exercise.id), seen)

    def lesson_report(self, lesson: Lesson) -> LessonReport:
        return lesson_report(lesson, self.profile)

    def lesson_state(self, lesson: Lesson) -> str:
        """'solved' when every exercise is solved, 'started' when any is touched, else 'new'."""
        report = self.lesson_report(lesson)
        if report.total and report.solved == report.total:
            return "solved"
        touched = report.solved + report.attempted + report.revealed
        if touched or lesson.id in self.profile.lessons:
            return "started"
        return "new"

    def course_progress(self) -> tuple[int, int]:
        solved = total = 0
        for lesson in self.course.lessons.values():
            report = self.lesson_report(lesson)
            solved += report.solved
            total += report.total
        return solved, total

    def unfinished_prerequisites(self, lesson: Lesson) -> list[Lesson]:
        out = []
        for lesson_id in lesson.requires:
            required = self.course.lessons.get(lesson_id)
            if required is not None and self.lesson_state(required) != "solved":
                out.append(required)
        return out

    def position(self, lesson: Lesson) -> LessonPosition:
        return self.profile.lessons.get(lesson.id) or LessonPosition()

    def continue_target(self) -> ContinueTarget | None:
        lesson_id = self.profile.last_lesson
        lesson = self.course.lessons.get(lesson_id) if lesson_id else None
        if lesson is None or not lesson.pages:
            return None
        position = self.position(lesson)
        page = min(max(position.page, 0), len(lesson.pages) - 1)
        return ContinueTarget(lesson, page, position)

    def next_step(self, game: Practice) -> NextStep:
        """Where Continue goes: due reviews first, then the lesson in progress while it has open
        exercises, then the next lesson whose prerequisites are proficient, else an open exercise."""
        current = self.profile.last_lesson
        choice = game.whats_next(self.unsolved_ids(), current if current in self.course.lessons else None)
        if choice.what == "review":
            return NextStep("review", f"Continue: {choice.reason}")
        if choice.what == "lesson" and self.course.lessons.get(choice.target, None) is not None:
            lesson = self.course.lessons[choice.target]
            if lesson.pages:
                page = min(max(self.position(lesson).page, 0), len(lesson.pages) - 1)
                verb = "Continue" if choice.target in self.profile.lessons else "Start"
                return NextStep("lesson", f"{verb}: {lesson.title} — {lesson.pages[page].title}", lesson, page)
        if choice.what == "exercise":
            found = self.find_exercise(choice.target)
            if found is not None:
                lesson, page, exercise = found
                return NextStep("exercise", f"Continue: {lesson.title}, exercise {exercise.id} (still open)",
                                lesson, page, exercise.id)
        return NextStep("done", "Everything is solved: s shows your stats")

    def find_exercise(self, exercise_id: str) -> tuple[Lesson, int, Exercise] | None:
        """The lesson and page index an exercise is on."""
        lesson = self.course.lessons.get(exercise_id.split("/", 1)[0])
        if lesson is None:
            return None
        for index, page in enumerate(lesson.pages):
            for exercise in page.exercises:
                if exercise.id == exercise_id:
                    return lesson, index, exercise
        return None

    def course_exercises(self) -> list[tuple[Lesson, int, Exercise]]:
        """Every exercise in course order (lessons, pages), with its lesson and page index."""
        return [(lesson, index, exercise) for lesson in self.course.lessons.values()
                for index, page in enumerate(lesson.pages) for exercise in page.exercises]

    def next_unsolved(self, after: str | None) -> tuple[Lesson, int, Exercise] | None:
        """The first exercise not solved yet (nor revealed) after `after` in course order, going
        round to the start; None when every exercise is done."""
        order = self.course_exercises()
        ids = [exercise.id for _, _, exercise in order]
        start = ids.index(after) + 1 if after in ids else 0
        for lesson, page, exercise in order[start:] + order[:start]:
            record = self.record(exercise.id)
            if exercise.id != after and not record.solved and not record.revealed:
                return lesson, page, exercise
        return None

    # -- the practice game ------------------------------------------------------------------------------
    @cached_property
    def shape(self) -> CourseShape:
        return shape_of(self.course)

    def practice_events(self) -> list[Event]:
        return [Event(parse_time(time), exercise, what, review, seed)  # type: ignore[arg-type]
                for exercise, time, what, review, seed in self.store.practice_events()]

    def practice(self, now: datetime | None = None) -> Practice:
        """The game's state at `now` (the clock, unless set): due reviews, mastery, XP, stats."""
        return practice(self.practice_events(), self.shape, now or self.now(), Settings.of(self.profile.settings))

    def unsolved_ids(self) -> list[str]:
        return [exercise.id for _, _, exercise in self.course_exercises()
                if not self.record(exercise.id).solved and not self.record(exercise.id).revealed]

    def record_shown(self, exercise: Exercise, seed: int | None = None) -> None:
        """A review session served `exercise`."""
        self._write(self.store.record_shown, exercise.id, time=self._time(), seed=_seed(exercise, seed))

    # -- writing (each durable on return) -------------------------------------------------------------
    def _write(self, action, *args, **kwargs):
        try:
            return action(*args, **kwargs)
        except ProgressError as exc:
            raise SessionError(str(exc)) from exc
        except OSError as exc:
            raise SessionError(f"could not save progress: {exc.strerror or exc}") from exc

    def record_verdict(self, exercise: Exercise, part_key: str, answer: str, verdict: Verdict, *,
                       review: bool = False, seed: int | None = None) -> ExerciseProgress:
        if verdict.status == "invalid":
            return self.record(exercise.id)  # an unreadable answer costs no attempt
        return self._write(self.store.record_verdict, exercise, part_key, answer, verdict, time=self._time(),
                           review=review, seed=seed)

    def record_hint(self, exercise: Exercise, rung: int, *, review: bool = False, seed: int | None = None) -> ExerciseProgress:
        return self._write(self.store.record_hint, exercise.id, rung, time=self._time(), review=review,
                           seed=_seed(exercise, seed))

    def record_reveal(self, exercise: Exercise, *, review: bool = False, seed: int | None = None) -> ExerciseProgress:
        return self._write(self.store.record_reveal, exercise.id, exercise.content_hash, time=self._time(),
                           review=review, seed=_seed(exercise, seed))

    def set_draft(self, exercise: Exercise, part_key: str, text: str) -> None:
        self._write(self.store.set_draft, exercise.id, text, part_key)

    def set_position(self, lesson: Lesson, page: int, scroll: float, focused: str | None) -> None:
        self._write(self.store.set_position, lesson.id, page, scroll, focused)

    def set_setting(self, key: str, value) -> None:
        self._write(self.store.set_setting, key, value)

    def reset_exercise(self, exercise: Exercise) -> bool:
        return self._write(self.store.reset_exercise, exercise.id)

    def recover_from_backup(self) -> None:
        self._write(self.store.recover_from_backup)
        self.load_issue = self.store.issue

    def start_fresh(self) -> None:
        self._write(self.store.start_fresh)
        self.load_issue = self.store.issue


def _seed(exercise: Exercise, seed: int | None) -> int:
    """The variant an event is about: the one given, else the one the exercise object shows."""
    return exercise.seed if seed is None else seed
