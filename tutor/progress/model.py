"""A learner's progress as plain data, and the pure functions that change it.

Nothing here touches the filesystem: the store rereads the file, calls one of these functions
and writes the result, so every change is a small, testable step.

Exercise status moves along a fixed table (`TRANSITIONS`): a wrong answer or a hint marks an
exercise attempted; a correct answer completing it marks it solved, or solved-with-help when a
hint was used first; revealing the solution first marks it revealed, and it stays revealed.
A solved status is never downgraded by anything but an explicit reset.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, Collection, Iterable, Literal, Sequence

Status = Literal["unseen", "attempted", "revealed", "solved-with-help", "solved"]
STATUSES: tuple[str, ...] = ("unseen", "attempted", "revealed", "solved-with-help", "solved")
# Higher wins when two records of one exercise are merged.
STATUS_RANK: dict[str, int] = {s: i for i, s in enumerate(STATUSES)}
SOLVED_STATUSES = frozenset({"solved", "solved-with-help"})
# Statuses that no attempt, hint or reveal changes any more.
FINAL_STATUSES = frozenset({"solved", "solved-with-help", "revealed"})

VERDICT_STATUSES: tuple[str, ...] = ("correct", "incorrect", "invalid")

Event = Literal["wrong", "partial", "correct", "correct-helped", "hint", "reveal"]
EVENTS: tuple[str, ...] = ("wrong", "partial", "correct", "correct-helped", "hint", "reveal")


# What happens to an exercise that is not finished yet, per event.
_OPEN_ROW: dict[str, str] = {
    "wrong": "attempted",
    "partial": "attempted",  # a correct part of an exercise whose other parts are still open
    "correct": "solved",
    "correct-helped": "solved-with-help",
    "hint": "attempted",
    "reveal": "revealed",
}

TRANSITIONS: dict[tuple[str, str], str] = {
    **{(status, event): target for status in ("unseen", "attempted") for event, target in _OPEN_ROW.items()},
    # Finished exercises keep their status: never downgrade, and a reveal is not undone by solving.
    **{(status, event): status for status in FINAL_STATUSES for event in EVENTS},
}


def next_status(status: str, event: str) -> str:
    return TRANSITIONS[(status, event)]


def now() -> str:
    """The current time as an ISO 8601 UTC string; attempts are told apart by it, so keep microseconds."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def parse_time(text: str) -> datetime:
    """ISO 8601 with an offset; a naive time (hand-edited) is taken as UTC."""
    value = datetime.fromisoformat(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Attempt:
    time: str
    answer: str
    status: str  # the verdict: "correct" | "incorrect" | "invalid"
    part: str = ""  # "" for an exercise without parts, else "a", "b", ...
    diagnosis: str | None = None
    message: str = ""
    seed: int = 0  # the exercise's variant (tutor.lessons.variants); 0: as written

    @property
    def key(self) -> tuple[str, str, str]:
        """What makes two attempts the same one when saves are merged."""
        return (self.time, self.part, self.answer)


@dataclass
class ExerciseProgress:
    status: str = "unseen"
    attempts: list[Attempt] = field(default_factory=list)
    hints_used: int = 0  # the highest hint rung shown, 1-based; 0 for none
    revealed: bool = False  # the solution was shown, before or after solving
    first_solved: str | None = None
    # The exercise's content hash when it reached a final status, so an edited exercise can be
    # flagged rather than silently reset. None when unknown (migrated from schema 1).
    solved_hash: str | None = None
    parts_solved: list[str] = field(default_factory=list)  # sorted part keys answered correctly
    drafts: dict[str, str] = field(default_factory=dict)  # part key -> the text in the answer box

    @property
    def solved(self) -> bool:
        return self.status in SOLVED_STATUSES


@dataclass(frozen=True)
class LessonPosition:
    page: int = 0
    scroll: float = 0.0
    focused_exercise: str | None = None
    updated: str = ""


EVENT_WHATS: tuple[str, ...] = ("shown", "wrong", "partial", "hint", "correct", "reveal")


@dataclass(frozen=True)
class PracticeEvent:
    """One practice-game event as saved (the game reads them as `tutor.practice.episodes.Event`):
    what happened to an exercise, when, whether a review session served it, and the variant."""

    exercise: str
    time: str
    what: str  # one of EVENT_WHATS
    review: bool = False
    seed: int | None = None

    @property
    def row(self) -> tuple[str, str, str, bool, int | None]:
        return (self.exercise, self.time, self.what, self.review, self.seed)


@dataclass
class Profile:
    name: str
    created: str = ""
    updated: str = ""
    last_lesson: str | None = None
    settings: dict[str, str | int | float | bool | None] = field(default_factory=dict)
    lessons: dict[str, LessonPosition] = field(default_factory=dict)
    exercises: dict[str, ExerciseProgress] = field(default_factory=dict)
    # The practice events of the exercises this copy holds, in time order; None when this copy
    # does not carry them (the store reads them apart: `ProgressStore.practice_events`). Exports,
    # imports, resets and their undo carry them.
    practice: tuple[PracticeEvent, ...] | None = None

    def exercise(self, exercise_id: str) -> ExerciseProgress:
        """The record of an exercise; an unseen one (not stored) when there is none."""
        return self.exercises.get(exercise_id) or ExerciseProgress()

    def copy(self) -> Profile:
        """A copy safe to change. Attempts and positions are immutable, so they are shared;
        this is much cheaper than deepcopy, and it runs on every save."""
        return Profile(
            name=self.name,
            created=self.created,
            updated=self.updated,
            last_lesson=self.last_lesson,
            settings=dict(self.settings),
            lessons=dict(self.lessons),
            exercises={k: _copy_record(r) for k, r in self.exercises.items()},
            practice=self.practice,  # a tuple of frozen events: shared
        )


def _copy_record(r: ExerciseProgress) -> ExerciseProgress:
    return ExerciseProgress(
        r.status,
        list(r.attempts),
        r.hints_used,
        r.revealed,
        r.first_solved,
        r.solved_hash,
        list(r.parts_solved),
        dict(r.drafts),
    )


def new_profile(name: str, time: str | None = None) -> Profile:
    t = time or now()
    return Profile(name=name, created=t, updated=t)


@dataclass(frozen=True)
class Totals:
    exercises: int  # exercises with any record
    solved: int  # solved or solved-with-help
    solved_with_help: int
    revealed: int
    attempted: int  # touched but not finished
    attempts: int
    hints: int  # hint rungs used, summed


def totals(profile: Profile) -> Totals:
    records = list(profile.exercises.values())
    return Totals(
        exercises=len(records),
        solved=sum(r.status in SOLVED_STATUSES for r in records),
        solved_with_help=sum(r.status == "solved-with-help" for r in records),
        revealed=sum(r.status == "revealed" for r in records),
        attempted=sum(r.status == "attempted" for r in records),
        attempts=sum(len(r.attempts) for r in records),
        hints=sum(r.hints_used for r in records),
    )


def changed_since_solved(record: ExerciseProgress, content_hash: str) -> bool:
    """True when the exercise was finished under different content (edited since)."""
    return record.status in FINAL_STATUSES and record.solved_hash is not None and record.solved_hash != content_hash


# --- changes -------------------------------------------------------------------------------
# Each takes the profile, changes it in place and returns the exercise record it touched.


def _record(profile: Profile, exercise_id: str) -> ExerciseProgress:
    if not exercise_id:
        raise ValueError("an exercise id must not be empty")
    return profile.exercises.setdefault(exercise_id, ExerciseProgress())


def _enter(record: ExerciseProgress, event: str, time: str, content_hash: str | None) -> None:
    before = record.status
    record.status = next_status(before, event)
    if record.status != before and record.status in FINAL_STATUSES:
        if content_hash is not None:
            record.solved_hash = content_hash
        if record.status in SOLVED_STATUSES and record.first_solved is None:
            record.first_solved = time


def apply_attempt(
    profile: Profile,
    exercise_id: str,
    answer: str,
    verdict_status: str,
    *,
    part: str = "",
    parts: Sequence[str] = ("",),
    diagnosis: str | None = None,
    message: str = "",
    content_hash: str | None = None,
    time: str | None = None,
    seed: int = 0,
) -> ExerciseProgress:
    """Record one checked answer (to variant `seed`). `parts` lists every part key of the
    exercise, so a correct answer to the last open part completes it."""
    if verdict_status not in VERDICT_STATUSES:
        raise ValueError(f"verdict status must be one of {', '.join(VERDICT_STATUSES)}, not {verdict_status!r}")
    t = time or now()
    record = _record(profile, exercise_id)
    record.attempts.append(Attempt(t, answer, verdict_status, part, diagnosis, message, seed))
    if verdict_status == "correct":
        if part not in record.parts_solved:
            record.parts_solved = sorted({*record.parts_solved, part})
        complete = set(parts or ("",)) <= set(record.parts_solved)
        if not complete:
            event = "partial"
        else:
            event = "correct-helped" if record.hints_used > 0 else "correct"
    else:
        event = "wrong"
    _enter(record, event, t, content_hash)
    profile.updated = t
    return record


EPISODE_ENDS = frozenset({"correct", "reveal"})


def episode_parts(events: Iterable[tuple[str, str, bool]], attempts: Iterable[tuple[str, str]]) -> set[str]:
    """The parts of an exercise answered right in its current episode. The episode starts after
    the last event that ended one (an answer completing the exercise, a reveal), or when a review
    session showed the exercise, whichever came last; before any, it is the whole history.
    `events`: the exercise's (time, what, review) in the order recorded; `attempts`: its correct
    answers as (time, part)."""
    start: datetime | None = None
    inclusive = False  # answers at the very moment a review showed the card belong to it
    for time, what, review in events:
        if what in EPISODE_ENDS or (what == "shown" and review):
            moment = parse_time(time)
            if start is None or moment >= start:
                start, inclusive = moment, what == "shown"
    found = set()
    for time, part in attempts:
        moment = parse_time(time)
        if start is None or moment > start or (inclusive and moment == start):
            found.add(part)
    return found


def practice_event(verdict_status: str, part: str, parts: Sequence[str], right_before: Collection[str]) -> str | None:
    """The practice game's event for a checked answer: wrong, partial (this part is right, others
    are still open in this episode) or correct (every part answered right in this episode, see
    `episode_parts`, which gives `right_before`). In a review, an episode is the sitting: parts
    solved in the lesson long ago do not complete it. An answer the checker could not read
    (invalid) asked nothing of what the learner knows, so it is none."""
    if verdict_status == "incorrect":
        return "wrong"
    if verdict_status != "correct":
        return None
    return "correct" if set(parts or ("",)) <= {*right_before, part} else "partial"


def apply_hint(profile: Profile, exercise_id: str, rung: int, *, time: str | None = None) -> ExerciseProgress:
    """Record that hint rung `rung` (1-based) was shown."""
    if rung < 1:
        raise ValueError(f"hint rungs count from 1, not {rung}")
    t = time or now()
    record = _record(profile, exercise_id)
    record.hints_used = max(record.hints_used, rung)
    _enter(record, "hint", t, None)
    profile.updated = t
    return record


def apply_reveal(
    profile: Profile, exercise_id: str, *, content_hash: str | None = None, time: str | None = None
) -> ExerciseProgress:
    t = time or now()
    record = _record(profile, exercise_id)
    record.revealed = True
    _enter(record, "reveal", t, content_hash)
    profile.updated = t
    return record


def apply_draft(profile: Profile, exercise_id: str, text: str, *, part: str = "") -> bool:
    """Keep the text in an answer box; False when nothing changed (so nothing needs writing)."""
    current = profile.exercises.get(exercise_id)
    if current is None and not text:
        return False
    record = _record(profile, exercise_id)
    if record.drafts.get(part, "") == text:
        return False
    if text:
        record.drafts[part] = text
    else:
        record.drafts.pop(part, None)
    return True


def apply_position(
    profile: Profile,
    lesson_id: str,
    page: int,
    scroll: float = 0.0,
    focused_exercise: str | None = None,
    *,
    time: str | None = None,
) -> bool:
    """Remember where the learner is in a lesson; it also becomes the last lesson opened."""
    if page < 0 or scroll < 0:
        raise ValueError("page and scroll must not be negative")
    old = profile.lessons.get(lesson_id)
    same = (
        old is not None
        and (old.page, old.scroll, old.focused_exercise) == (page, float(scroll), focused_exercise)
        and profile.last_lesson == lesson_id
    )
    if same:
        return False
    t = time or now()
    profile.lessons[lesson_id] = LessonPosition(page, float(scroll), focused_exercise, t)
    profile.last_lesson = lesson_id
    profile.updated = t
    return True


def apply_setting(profile: Profile, key: str, value: str | int | float | bool | None) -> bool:
    if not isinstance(value, (str, int, float, bool, type(None))):
        raise TypeError(f"setting {key!r} must be a string, number, boolean or None")
    if key in profile.settings and profile.settings[key] == value and type(profile.settings[key]) is type(value):
        return False
    profile.settings[key] = value
    return True


def lesson_of(exercise_id: str) -> str:
    return exercise_id.split("/", 1)[0]


def _forget_events(profile: Profile, forget: Callable[[str], bool]) -> bool:
    """Drop the practice events of the exercises `forget` picks (from a copy that carries them)."""
    if not profile.practice:
        return False
    kept = tuple(e for e in profile.practice if not forget(e.exercise))
    dropped = len(kept) != len(profile.practice)
    profile.practice = kept
    return dropped


def reset_exercise(profile: Profile, exercise_id: str) -> bool:
    """Forget an exercise: its record and its practice events (the review card, XP and mastery
    counted from them go too). False when there was nothing to forget."""
    had_record = profile.exercises.pop(exercise_id, None) is not None
    return _forget_events(profile, lambda e: e == exercise_id) or had_record


def reset_lesson(profile: Profile, lesson_id: str) -> bool:
    """Forget a lesson's exercises, their practice events and the position; False when there was
    nothing to forget."""
    ids = [i for i in profile.exercises if lesson_of(i) == lesson_id]
    for i in ids:
        del profile.exercises[i]
    had_position = profile.lessons.pop(lesson_id, None) is not None
    was_last = profile.last_lesson == lesson_id
    if was_last:
        profile.last_lesson = None
    had_events = _forget_events(profile, lambda e: lesson_of(e) == lesson_id)
    return bool(ids) or had_position or was_last or had_events


def reset_all(profile: Profile) -> bool:
    """Forget all progress and practice history; settings (the theme, the game's) stay. False when
    there was nothing to forget."""
    had = bool(profile.exercises or profile.lessons or profile.last_lesson)
    profile.exercises.clear()
    profile.lessons.clear()
    profile.last_lesson = None
    return _forget_events(profile, lambda _e: True) or had


# --- merging -------------------------------------------------------------------------------


def _time_key(text: str | None) -> datetime:
    if not text:
        return datetime.min.replace(tzinfo=timezone.utc)
    try:
        return parse_time(text)
    except ValueError:
        return datetime.min.replace(tzinfo=timezone.utc)


def merge_exercise(ours: ExerciseProgress, theirs: ExerciseProgress) -> ExerciseProgress:
    """One record holding both: every attempt once, the better status, the union of facts."""
    seen = {a.key for a in ours.attempts}
    attempts = list(ours.attempts) + [a for a in theirs.attempts if a.key not in seen]
    attempts.sort(key=lambda a: _time_key(a.time))
    better = theirs if STATUS_RANK[theirs.status] > STATUS_RANK[ours.status] else ours
    solved_times = [t for t in (ours.first_solved, theirs.first_solved) if t]
    drafts = dict(theirs.drafts)
    drafts.update(ours.drafts)  # our own unsent text wins
    return ExerciseProgress(
        status=better.status,
        attempts=attempts,
        hints_used=max(ours.hints_used, theirs.hints_used),
        revealed=ours.revealed or theirs.revealed,
        first_solved=min(solved_times, key=_time_key) if solved_times else None,
        solved_hash=better.solved_hash if better.solved_hash is not None else (ours.solved_hash or theirs.solved_hash),
        parts_solved=sorted({*ours.parts_solved, *theirs.parts_solved}),
        drafts=drafts,
    )


def merge_profiles(ours: Profile, theirs: Profile) -> Profile:
    """`ours` with everything `theirs` adds; nothing solved is ever downgraded."""
    result = ours.copy()
    for exercise_id, record in theirs.exercises.items():
        mine = result.exercises.get(exercise_id)
        result.exercises[exercise_id] = _copy_record(record) if mine is None else merge_exercise(mine, record)
    for lesson_id, position in theirs.lessons.items():
        mine_pos = result.lessons.get(lesson_id)
        if mine_pos is None or _time_key(position.updated) > _time_key(mine_pos.updated):
            result.lessons[lesson_id] = position
    if result.last_lesson is None:
        result.last_lesson = theirs.last_lesson
    for key, value in theirs.settings.items():
        result.settings.setdefault(key, value)
    if theirs.created and (not result.created or _time_key(theirs.created) < _time_key(result.created)):
        result.created = theirs.created
    result.practice = merge_events(ours.practice, theirs.practice)
    return result


def merge_events(ours: Sequence[PracticeEvent] | None, theirs: Sequence[PracticeEvent] | None,
                 ) -> tuple[PracticeEvent, ...] | None:
    """Both histories, each event once: an event in both (an export imported back) is kept as
    often as the side that has it more often (two hints at one moment are two rungs)."""
    if ours is None and theirs is None:
        return None
    counts = Counter(ours or ()) | Counter(theirs or ())
    order = {event: i for i, event in enumerate([*(ours or ()), *(theirs or ())])}
    return tuple(sorted(counts.elements(), key=lambda e: (_time_key(e.time), order[e])))
