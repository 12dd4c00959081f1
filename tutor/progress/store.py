"""One profile's save file on disk: load, change, write, with no lost progress.

Every change is: take the profile lock -> reread the file -> apply the one change -> write it
atomically (keeping the previous good file as `<profile>.json.bak`) -> release. Because each
process rereads under the lock, two tutors on one profile never lose each other's updates.
Reading needs no lock: `os.replace` means a reader always sees a whole file, old or new.

Files in the save folder, for profile P:

    P.json                     the save file
    P.json.bak                 the previous good version (before the last write)
    P.json.lock                the lock; it holds the pid of the last holder
    P.json.before-reset        the state before the last `reset`, for `reset --undo`
    P.json.schema1             the file as it was before migration to the current schema
    P.json.corrupt-<time>      a bad file, kept aside when the learner chose what to do
    P.json.bak-<time>          an old backup, kept aside when the learner started fresh

A problem found on load never raises: `open_profile` returns the store and a `LoadIssue`, and
the store stays read-only until the learner chooses `recover_from_backup()` or `start_fresh()`.
A file from a newer tutor stays read-only for good and is never touched.
"""

from __future__ import annotations

import os
import re
import socket
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timezone
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from filelock import FileLock, Timeout

from tutor.progress import model
from tutor.progress.errors import (
    BackupInfo,
    FutureVersionError,
    LoadIssue,
    ProfileBusy,
    ProfileNameError,
    ProgressError,
    ReadOnlyProfile,
    SaveFileError,
    SchemaError,
)
from tutor.progress.fileio import atomic_write, keep_aside, stale_temporaries
from tutor.progress.model import ExerciseProgress, Profile
from tutor.progress.schema import CURRENT_VERSION, encode, loads

if TYPE_CHECKING:
    from tutor.checking.verdict import Verdict
    from tutor.lessons.model import Exercise

DEFAULT_PROFILE = "default"
LOCK_TIMEOUT = 10.0  # a holder keeps the lock for milliseconds; 10 s means it is stuck
_NAME = re.compile(r"[A-Za-z0-9_-]{1,40}")
# Names Windows reserves for devices: a file "con.json" cannot be created there.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def validate_profile_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ProfileNameError(
            f"profile name {name!r} is not allowed: use 1 to 40 letters (a-z, A-Z), digits, '-' or '_'"
        )
    if name.lower() in _RESERVED:
        raise ProfileNameError(f"profile name {name!r} is reserved on Windows; choose another")
    return name


@dataclass(frozen=True)
class ProfilePaths:
    main: Path
    backup: Path
    lock: Path
    before_reset: Path

    @classmethod
    def of(cls, save_dir: Path, profile: str) -> ProfilePaths:
        main = Path(save_dir) / f"{validate_profile_name(profile)}.json"
        return cls(
            main=main,
            backup=main.with_name(main.name + ".bak"),
            lock=main.with_name(main.name + ".lock"),
            before_reset=main.with_name(main.name + ".before-reset"),
        )

    def premigration(self, version: int) -> Path:
        return self.main.with_name(f"{self.main.name}.schema{version}")


@dataclass(frozen=True)
class MergeSummary:
    exercises_added: int  # exercises the profile had no record of
    newly_solved: int  # exercises now solved (with or without help) that were not before
    attempts_added: int


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def describe(profile: Profile) -> str:
    t = model.totals(profile)
    try:
        saved = model.parse_time(profile.updated).astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        saved = "time unknown"
    return f"{t.solved} solved, {t.attempts} attempts, saved {saved}"


def backup_info(path: Path) -> BackupInfo | None:
    raw = _read(path)
    if raw is None:
        return None
    try:
        profile, _ = loads(raw)
    except SchemaError as exc:
        return BackupInfo(path, False, str(exc))
    return BackupInfo(path, True, describe(profile))


class ProgressStore:
    """A profile's progress. Read `profile` (replaced, never mutated in place, after each
    change); change it only through the methods, each of which is durably written before it
    returns. Methods raise `ProgressError` subclasses: `ReadOnlyProfile` while a load issue is
    unresolved, `SaveFileError` if the file went bad since, `ProfileBusy` if the lock is stuck,
    `OSError` if the disk refuses (full, read-only)."""

    def __init__(self, save_dir: Path | str, profile: str = DEFAULT_PROFILE, *, lock_timeout: float = LOCK_TIMEOUT):
        self.name = validate_profile_name(profile)
        self.save_dir = Path(save_dir)
        self.paths = ProfilePaths.of(self.save_dir, self.name)
        self.lock_timeout = lock_timeout
        self.profile: Profile = model.new_profile(self.name)
        self.issue: LoadIssue | None = None
        self.version_read = CURRENT_VERSION
        self._last_bytes: bytes | None = None  # the file as last read or written, validated
        self._file_lock = FileLock(str(self.paths.lock), timeout=lock_timeout)
        self._thread_lock = threading.RLock()
        self._cleaned = False

    @property
    def path(self) -> Path:
        return self.paths.main

    @property
    def writable(self) -> bool:
        return self.issue is None

    # --- loading ---------------------------------------------------------------------------

    def load(self) -> LoadIssue | None:
        """(Re)read the save file. Never raises for a bad file: returns (and keeps) the issue."""
        with self._thread_lock:
            self.issue = None
            try:
                raw = _read(self.paths.main)
            except OSError as exc:  # permissions, a folder where the file should be...
                self.profile = model.new_profile(self.name)
                self._last_bytes = None
                self.issue = LoadIssue("unreadable", self.paths.main, f"cannot be read: {exc.strerror or exc}")
                return self.issue
            if raw is None:
                self.profile = model.new_profile(self.name)
                self._last_bytes = None
                self.version_read = CURRENT_VERSION
                backup = backup_info(self.paths.backup)
                if backup is not None:
                    self.issue = LoadIssue("missing", self.paths.main, "the save file is missing", backup=backup)
                return self.issue
            try:
                self._adopt(raw)
            except SchemaError as exc:
                self.profile = model.new_profile(self.name)
                self._last_bytes = None
                self.issue = self._issue_for(exc)
            return self.issue

    def refresh(self) -> bool:
        """Pick up changes another process wrote; True when the profile changed. If the file has
        gone bad meanwhile, `issue` is set (check it) and the profile shown stays as it was."""
        with self._thread_lock:
            if self.issue is not None:
                return False
            raw = _read(self.paths.main)
            if raw is None or raw == self._last_bytes:
                return False
            try:
                self._adopt(raw)
            except SchemaError as exc:
                self.issue = self._issue_for(exc)
                return False
            return True

    def _adopt(self, raw: bytes) -> None:
        profile, version = loads(raw)
        profile.name = self.name  # the file name decides; a copied file keeps its old "profile" text
        self.profile = profile
        self.version_read = version
        self._last_bytes = raw

    def _issue_for(self, exc: SchemaError) -> LoadIssue:
        if isinstance(exc, FutureVersionError):
            return LoadIssue("future", self.paths.main, exc.what)
        return LoadIssue("corrupt", self.paths.main, exc.what, exc.where, backup_info(self.paths.backup))

    # --- locking and writing ---------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with self._thread_lock:
            self.save_dir.mkdir(parents=True, exist_ok=True)
            try:
                self._file_lock.acquire()
            except Timeout:
                raise ProfileBusy(self.paths.lock, self._holder(), self.lock_timeout) from None
            try:
                self._note_holder()
                if not self._cleaned:
                    for stale in stale_temporaries(self.paths.main):
                        stale.unlink(missing_ok=True)
                    self._cleaned = True
                yield
            finally:
                self._file_lock.release()

    def _note_holder(self) -> None:
        # Only informational, for the ProfileBusy message: never fsynced, failures ignored.
        text = f"process {os.getpid()} on {socket.gethostname()} ({' '.join(sys.argv)[:200]})"
        try:
            fd = os.open(self.paths.lock, os.O_WRONLY)
            try:
                os.ftruncate(fd, 0)
                os.write(fd, text.encode("utf-8", "replace"))
            finally:
                os.close(fd)
        except OSError:
            pass

    def _holder(self) -> str:
        try:
            return self.paths.lock.read_text("utf-8", "replace").strip()
        except OSError:
            return ""

    def _current(self) -> Profile:
        """The profile as on disk now (call under the lock), as a copy safe to change."""
        if self.issue is not None:
            raise ReadOnlyProfile(f"progress is not being saved: {self.issue.message}")
        raw = _read(self.paths.main)
        if raw is None:
            # Never written yet, or deleted while open: what we hold is the best knowledge.
            return self.profile.copy()
        if raw == self._last_bytes:
            return self.profile.copy()
        try:
            self._adopt(raw)
        except SchemaError as exc:
            self.issue = self._issue_for(exc)
            raise SaveFileError(self.paths.main, exc.what, exc.where) from None
        return self.profile.copy()

    def _write(self, profile: Profile, *, keep_backup: bool = True) -> None:
        """Write under the lock. The old file becomes the backup only if it was good."""
        profile.name = self.name
        data = encode(profile)
        exists = self.paths.main.exists()
        if exists and self.version_read < CURRENT_VERSION:
            # The first write after a migration: keep the old-schema file as it was, once.
            keep = self.paths.premigration(self.version_read)
            if not keep.exists():
                atomic_write(keep, self.paths.main.read_bytes())
        atomic_write(self.paths.main, data, backup=self.paths.backup if keep_backup and exists else None)
        self.profile = profile
        self._last_bytes = data
        self.version_read = CURRENT_VERSION

    def _mutate(self, change: Callable[[Profile], object]) -> object:
        """Lock, reread, apply `change`, write unless it returned False. Returns its result."""
        with self._locked():
            profile = self._current()
            result = change(profile)
            if result is not False:
                self._write(profile)
            return result

    # --- changes ---------------------------------------------------------------------------

    def record_attempt(
        self,
        exercise_id: str,
        answer: str,
        verdict_status: str,
        *,
        part: str = "",
        parts: tuple[str, ...] = ("",),
        diagnosis: str | None = None,
        message: str = "",
        content_hash: str | None = None,
    ) -> ExerciseProgress:
        """Record a checked answer; returns the exercise's record once it is on disk."""
        self._mutate(
            lambda p: model.apply_attempt(
                p,
                exercise_id,
                answer,
                verdict_status,
                part=part,
                parts=parts,
                diagnosis=diagnosis,
                message=message,
                content_hash=content_hash,
            )
        )
        return self.profile.exercise(exercise_id)

    def record_verdict(self, exercise: Exercise, part_key: str, answer: str, verdict: Verdict) -> ExerciseProgress:
        """`record_attempt` for a course exercise and the checker's verdict."""
        return self.record_attempt(
            exercise.id,
            answer,
            verdict.status,
            part=part_key,
            parts=tuple(p.key for p in exercise.parts) or ("",),
            diagnosis=verdict.diagnosis,
            message=verdict.message,
            content_hash=exercise.content_hash,
        )

    def record_hint(self, exercise_id: str, rung: int) -> ExerciseProgress:
        """Hint rung `rung` (1-based) was shown."""
        self._mutate(lambda p: model.apply_hint(p, exercise_id, rung))
        return self.profile.exercise(exercise_id)

    def record_reveal(self, exercise_id: str, content_hash: str | None = None) -> ExerciseProgress:
        self._mutate(lambda p: model.apply_reveal(p, exercise_id, content_hash=content_hash))
        return self.profile.exercise(exercise_id)

    def set_draft(self, exercise_id: str, text: str, part: str = "") -> None:
        """The text in an answer box. Writes only if it changed; debounce typing in the UI."""
        if self.profile.exercise(exercise_id).drafts.get(part, "") == text and self.issue is None:
            # Unchanged as far as we know; skip the lock and the write.
            raw = _read(self.paths.main)
            if raw == self._last_bytes:
                return
        self._mutate(lambda p: model.apply_draft(p, exercise_id, text, part=part))

    def set_position(self, lesson_id: str, page: int, scroll: float = 0.0, focused_exercise: str | None = None) -> None:
        """Where the learner is in a lesson; the lesson also becomes the last one opened."""
        self._mutate(lambda p: model.apply_position(p, lesson_id, page, scroll, focused_exercise))

    def set_setting(self, key: str, value: str | int | float | bool | None) -> None:
        self._mutate(lambda p: model.apply_setting(p, key, value))

    # --- reset, undo, import -----------------------------------------------------------------

    def _reset(self, change: Callable[[Profile], bool]) -> bool:
        with self._locked():
            profile = self._current()
            before = _read(self.paths.main)
            if before is None or not change(profile):
                return False
            atomic_write(self.paths.before_reset, before)
            self._write(profile)
            return True

    def reset_exercise(self, exercise_id: str) -> bool:
        """Forget one exercise; False when there was nothing to forget. Undo with `undo_reset`."""
        return self._reset(lambda p: model.reset_exercise(p, exercise_id))

    def reset_lesson(self, lesson_id: str) -> bool:
        return self._reset(lambda p: model.reset_lesson(p, lesson_id))

    def reset_all(self) -> bool:
        """Forget every exercise and position (settings stay)."""
        return self._reset(model.reset_all)

    def can_undo_reset(self) -> bool:
        return self.paths.before_reset.exists()

    def undo_reset(self) -> bool:
        """Bring back what the last reset removed, keeping everything recorded since (a merge).
        False when there is no reset to undo."""
        with self._locked():
            raw = _read(self.paths.before_reset)
            if raw is None:
                return False
            try:
                previous, _ = loads(raw)
            except SchemaError as exc:
                raise SaveFileError(self.paths.before_reset, exc.what, exc.where) from None
            profile = model.merge_profiles(self._current(), previous)
            self._write(profile)
            self.paths.before_reset.unlink()
            return True

    def import_profile(self, other: Profile) -> MergeSummary:
        """Merge another save into this one: attempts are united, nothing solved is downgraded."""
        with self._locked():
            current = self._current()
            merged = model.merge_profiles(current, other)
            if merged != current:
                self._write(merged)
            return _summarise(current, merged)

    def export_text(self) -> str:
        """The profile as current-schema JSON, freshly read."""
        self.refresh()
        if self.issue is not None:
            raise ReadOnlyProfile(self.issue.message)
        return encode(self.profile).decode("utf-8")  # escaped: always writable as UTF-8

    # --- resolving a load issue ------------------------------------------------------------

    def _still_broken(self) -> bool:
        """Under the lock: look again, in case another tutor resolved the problem meanwhile."""
        return self.issue is not None and self.load() is not None

    def _keep_bad_file(self) -> Path | None:
        if not self.paths.main.exists():
            return None
        return keep_aside(self.paths.main, f"{self.paths.main.name}.corrupt")

    def recover_from_backup(self) -> Path | None:
        """Replace a bad save file with the backup. The bad file is kept aside, renamed; returns
        where (None if there was no bad file, or it had been repaired meanwhile)."""
        with self._locked():
            if not self._still_broken():
                return None
            issue = self.issue
            assert issue is not None
            if not issue.can_start_fresh:
                raise ReadOnlyProfile(issue.message)
            raw = _read(self.paths.backup)
            if raw is None:
                raise ProgressError(f"there is no backup ({self.paths.backup})")
            try:
                profile, _ = loads(raw)
            except SchemaError as exc:
                raise SaveFileError(self.paths.backup, exc.what, exc.where) from None
            aside = self._keep_bad_file()
            self.version_read = CURRENT_VERSION
            self._write(profile, keep_backup=False)
            self.issue = None
            return aside

    def start_fresh(self) -> Path | None:
        """Begin again with empty progress. The bad file (and an old backup) are kept aside,
        renamed; returns where the bad file went."""
        with self._locked():
            if not self._still_broken():
                return None
            issue = self.issue
            assert issue is not None
            if not issue.can_start_fresh:
                raise ReadOnlyProfile(issue.message)
            aside = self._keep_bad_file()
            if self.paths.backup.exists():
                keep_aside(self.paths.backup, self.paths.backup.name)  # later writes replace the backup
            self.version_read = CURRENT_VERSION
            self._write(model.new_profile(self.name), keep_backup=False)
            self.issue = None
            return aside


def _summarise(before: Profile, after: Profile) -> MergeSummary:
    added = sum(1 for i in after.exercises if i not in before.exercises)
    solved = sum(1 for i, r in after.exercises.items() if r.solved and not before.exercise(i).solved)
    attempts = sum(len(r.attempts) for r in after.exercises.values()) - sum(
        len(r.attempts) for r in before.exercises.values()
    )
    return MergeSummary(added, solved, attempts)


def open_profile(
    save_dir: Path | str, profile: str = DEFAULT_PROFILE, *, lock_timeout: float = LOCK_TIMEOUT
) -> tuple[ProgressStore, LoadIssue | None]:
    """Open a profile for the UI or a command. Never raises for a bad save file: the issue comes
    back instead, and the store refuses changes until it is resolved. Raises `ProfileNameError`
    for a bad name."""
    store = ProgressStore(save_dir, profile, lock_timeout=lock_timeout)
    return store, store.load()


def record_check(
    save_dir: Path | str, profile: str, exercise: Exercise, part_key: str, answer: str, verdict: Verdict
) -> ExerciseProgress:
    """What `tutor check` calls to record an attempt: returns only once it is durably written.

    Raises `ProgressError` (print `str(exc)`, exit non-zero) when the profile name is bad, the
    save file cannot be read (`SaveFileError`), or the lock is stuck; `OSError` if the disk fails.
    """
    store, issue = open_profile(save_dir, profile)
    if issue is not None:
        raise SaveFileError(issue.path, issue.what + "; the attempt was not saved", issue.where)
    return store.record_verdict(exercise, part_key, answer, verdict)


@dataclass(frozen=True)
class ProfileInfo:
    name: str
    path: Path
    state: str  # "ok" | "corrupt" | "future" | "unreadable"
    summary: str  # describe() of the profile, or what is wrong


def list_profiles(save_dir: Path | str) -> list[ProfileInfo]:
    folder = Path(save_dir)
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.json")):
        name = path.stem
        try:
            validate_profile_name(name)
        except ProfileNameError:
            continue  # not one of ours
        try:
            raw = _read(path)
        except OSError as exc:
            found.append(ProfileInfo(name, path, "unreadable", f"cannot be read: {exc.strerror or exc}"))
            continue
        if raw is None:
            continue
        try:
            profile, _ = loads(raw)
        except FutureVersionError as exc:
            found.append(ProfileInfo(name, path, "future", exc.what))
        except SchemaError as exc:
            found.append(ProfileInfo(name, path, "corrupt", str(exc)))
        else:
            found.append(ProfileInfo(name, path, "ok", describe(profile)))
    return found
