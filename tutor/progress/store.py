"""One profile's saves on disk: an SQLite database, changed one small transaction at a time.

Every change is: take the profile lock -> BEGIN IMMEDIATE -> read the few rows it needs ->
apply the model's change -> write the rows that differ -> COMMIT (fsynced) -> release. A write
costs the same however long the history is, and two tutors on one profile never lose each
other's updates: each reads inside its own transaction. A reader needs no lock.

Files in the save folder, for profile P:

    P.sqlite3 (+ -wal, -shm)     the database (database.py: tables, versions, migrations)
    P.sqlite3.bak                a backup, integrity-checked, taken with SQLite's backup API at
                                 most every BACKUP_EVERY while the tutor writes, and on close()
    P.sqlite3.lock               the lock; it holds the pid of the last holder
    P.sqlite3.corrupt-<time>     a bad database, kept aside when the learner chose what to do
    P.sqlite3.bak-<time>         an old backup, kept aside when the learner started fresh
    P.sqlite3.orphan-wal-<time>  the log of a database that was lost, kept aside on recovery
    P.json                       a save from before the database: moved into it on first open,
    P.json.migrated                then kept under this name, unchanged (P.json.bak is left as
                                   it was, and offered if neither P.sqlite3 nor P.json exists)

A problem found on open never raises: `open_profile` returns the store and a `LoadIssue`, and
the store stays read-only until the learner chooses `recover_from_backup()` or `start_fresh()`.
A database from a newer tutor stays read-only for good and is never opened for writing.
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import sqlite3
import sys
import threading
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from filelock import FileLock, Timeout

from tutor.progress import backups, database, model
from tutor.progress.backups import backup_info, copy_database, read_backup
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
from tutor.progress.fileio import fsync_dir, move_aside, stale_temporaries
from tutor.progress.model import ExerciseProgress, Profile
from tutor.progress.schema import CURRENT_VERSION, encode, loads

if TYPE_CHECKING:
    from tutor.checking.verdict import Verdict
    from tutor.lessons.model import Exercise

DEFAULT_PROFILE = "default"
LOCK_TIMEOUT = 10.0  # a holder keeps the lock for milliseconds; 10 s means it is stuck
SIDECARS = ("-wal", "-shm")
HOLDER_BYTES = 320  # the lock file's text is padded to this, so it is overwritten, never truncated
_NAME = re.compile(r"[A-Za-z0-9_-]{1,40}")
# Names Windows reserves for devices: a file "con.sqlite3" cannot be created there.
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
    main: Path  # the database
    backup: Path
    lock: Path
    legacy: Path  # the JSON save of tutors before the database
    legacy_backup: Path

    @classmethod
    def of(cls, save_dir: Path, profile: str) -> ProfilePaths:
        folder = Path(save_dir)
        main = folder / f"{validate_profile_name(profile)}.sqlite3"
        legacy = folder / f"{profile}.json"
        return cls(
            main=main,
            backup=main.with_name(main.name + ".bak"),
            lock=main.with_name(main.name + ".lock"),
            legacy=legacy,
            legacy_backup=legacy.with_name(legacy.name + ".bak"),
        )

    @property
    def migrated(self) -> Path:
        return self.legacy.with_name(self.legacy.name + ".migrated")


PROFILE_SUFFIXES = (".sqlite3", ".sqlite3.bak", ".json", ".json.bak")


@dataclass(frozen=True)
class MergeSummary:
    exercises_added: int  # exercises the profile had no record of
    newly_solved: int  # exercises now solved (with or without help) that were not before
    attempts_added: int


def _in_place(change: Callable[[Profile], Any]) -> Callable[[Profile], tuple[Profile, Any]]:
    def run(profile: Profile) -> tuple[Profile, Any]:
        return profile, change(profile)

    return run


@dataclass(frozen=True)
class _Found:
    """What is on disk for a profile, before anything is done about it."""

    kind: str  # "new" | "database" | "legacy" | "issue"
    version: int = 0
    legacy: Profile | None = None
    legacy_raw: bytes = b""
    issue: LoadIssue | None = None


class ProgressStore:
    """A profile's progress. Read `profile` (replaced, never mutated in place, after each
    change); change it only through the methods, each of which is durably committed before it
    returns. Methods raise `ProgressError` subclasses: `ReadOnlyProfile` while a load issue is
    unresolved, `SaveFileError` if the database went bad since, `ProfileBusy` if the lock is
    stuck, `OSError` if the disk refuses (full, read-only)."""

    def __init__(self, save_dir: Path | str, profile: str = DEFAULT_PROFILE, *, lock_timeout: float = LOCK_TIMEOUT):
        self.name = validate_profile_name(profile)
        self.save_dir = Path(save_dir)
        self.paths = ProfilePaths.of(self.save_dir, self.name)
        self.lock_timeout = lock_timeout
        self.issue: LoadIssue | None = None
        self.version_read = CURRENT_VERSION  # the JSON schema of a save migrated on open
        self._profile: Profile | None = None  # read on first use (`tutor check` never needs it all)
        self._conn: sqlite3.Connection | None = None
        self._identity: tuple[int, int] | None = None  # (device, inode) of the file _conn has open
        self._revision = -1  # the database revision `_profile` shows; -1: unknown
        self._wrote = False  # since the last backup
        self._file_lock = FileLock(str(self.paths.lock), timeout=lock_timeout)
        self._thread_lock = threading.RLock()
        self._cleaned = False

    @property
    def path(self) -> Path:
        return self.paths.main

    @property
    def writable(self) -> bool:
        return self.issue is None

    @property
    def profile(self) -> Profile:
        shown = self._profile  # no lock once read: the UI thread must never wait for a write
        if shown is not None:
            return shown
        with self._thread_lock:
            if self._profile is None:
                self._profile = self._read_all()
            return self._profile

    # --- opening -----------------------------------------------------------------------------

    def load(self, *, read_all: bool = True) -> LoadIssue | None:
        """(Re)open the profile. Never raises for a bad save: returns (and keeps) the issue.
        With `read_all`, every row is read now, so damage anywhere is reported at once."""
        with self._thread_lock:
            self._disconnect()
            self._profile = None
            self._revision = -1
            self.issue = None
            self.issue = self._open()
            if self.issue is None and read_all:
                self.profile  # noqa: B018 - reading sets `issue` if a row is damaged
            return self.issue

    def find(self) -> _Found:
        """What is on disk for this profile, decided without changing anything."""
        p = self.paths
        try:
            version: int | None = database.version_of(p.main)
        except FileNotFoundError:
            version = None
        except SchemaError as exc:
            return _Found("issue", issue=self._corrupt(p.main, exc))
        except OSError as exc:
            return _Found("issue", issue=LoadIssue("unreadable", p.main, f"cannot be read: {exc.strerror or exc}"))
        if version is not None and version > database.VERSION:
            exc = FutureVersionError(version, database.VERSION)
            return _Found("issue", issue=LoadIssue("future", p.main, exc.what))
        if not version and (p.legacy.exists() or p.legacy.is_symlink()):
            # No database yet (an empty one is what a crash during the first write leaves).
            try:
                raw = p.legacy.read_bytes()
            except OSError as exc:
                return _Found("issue", issue=LoadIssue("unreadable", p.legacy, f"cannot be read: {exc.strerror or exc}"))
            try:
                legacy, _ = loads(raw)
            except FutureVersionError as exc:
                return _Found("issue", issue=LoadIssue("future", p.legacy, exc.what))
            except SchemaError as exc:
                return _Found("issue", issue=self._corrupt(p.legacy, exc))
            return _Found("legacy", legacy=legacy, legacy_raw=raw)
        if version is None:
            backup = self._best_backup()
            if backup is not None:
                return _Found("issue", issue=LoadIssue("missing", p.main, "the save file is missing", backup=backup))
            return _Found("new")
        return _Found("database", version=version)

    def _open(self) -> LoadIssue | None:
        found = self.find()
        if found.kind == "issue":
            return found.issue
        if found.kind == "legacy":
            return self._migrate_legacy(found)
        if found.kind == "new":
            return None
        try:
            self._connect()
            if found.version < database.VERSION:
                with self._locked(), self._begin() as conn:
                    database.migrate(conn)
            database.check_tables(self._conn)
            self._finish_migration()
        except (SchemaError, sqlite3.DatabaseError) as exc:
            self._disconnect()
            return self._corrupt(self.paths.main, exc)
        return None

    def _migrate_legacy(self, found: _Found) -> LoadIssue | None:
        """Move a JSON save into a new database, in one transaction; then keep the JSON file
        aside, unchanged. A crash before the commit leaves the JSON file to migrate again."""
        assert found.legacy is not None
        p = self.paths
        self.version_read = loads(found.legacy_raw)[1]
        try:
            with self._locked():
                if p.main.exists() and database.version_of(p.main) > 0:
                    return self._open()  # another tutor migrated it meanwhile
                self._connect()
                with self._begin() as conn:
                    database.migrate(conn)
                    before = database.read_head(conn, self.name)[0]
                    found.legacy.name = self.name
                    database.write_changes(conn, before, found.legacy, 0, hashlib.sha256(found.legacy_raw).hexdigest())
                    database.derive_events(conn)  # its history counts in the practice game
                self._finish_migration()
        except SchemaError as exc:  # the database file there is not ours: leave both alone
            self._disconnect()
            return self._corrupt(p.main, exc)
        except (OSError, sqlite3.Error) as exc:
            self._disconnect()
            self._profile = found.legacy  # shown, but nothing can be saved
            what = f"cannot be created ({exc}), so {p.legacy.name} could not be moved into it"
            return LoadIssue("unreadable", p.main, what)
        return None

    def _finish_migration(self) -> None:
        """Keep the JSON save a database was made from aside (also after a crash right after
        the migration committed). A JSON file that differs from it is not ours: left alone."""
        p = self.paths
        if self._conn is None or not p.legacy.is_file():
            return
        row = self._conn.execute("SELECT migrated_from FROM profile").fetchone()
        try:
            digest = hashlib.sha256(p.legacy.read_bytes()).hexdigest()
        except OSError:
            return
        if row is not None and row[0] == digest:
            with self._locked(), suppress(FileNotFoundError):  # another tutor may have moved it
                target = p.migrated
                n = 2
                while target.exists():
                    target = p.migrated.with_name(f"{p.migrated.name}-{n}")
                    n += 1
                os.replace(p.legacy, target)
                fsync_dir(p.legacy.parent)

    def _corrupt(self, path: Path, exc: Exception) -> LoadIssue:
        if isinstance(exc, SchemaError):
            return LoadIssue("corrupt", path, exc.what, exc.where, self._best_backup())
        return LoadIssue("corrupt", path, str(exc), backup=self._best_backup())

    def _best_backup(self) -> BackupInfo | None:
        return backup_info(self.paths.backup) or backup_info(self.paths.legacy_backup)

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            self.save_dir.mkdir(parents=True, exist_ok=True)
            self._conn = database.connect(self.paths.main, self.lock_timeout)
            self._identity = database.hold(self.paths.main)  # its header is read without dropping locks
            database.prepare(self._conn)
        return self._conn

    def _disconnect(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self._identity is not None:
            database.release(self._identity)
        self._conn = None
        self._identity = None

    def close(self, *, backup: bool = True) -> None:
        """Take a backup if this store wrote anything since the last one, and close the
        database. Call when the tutor quits."""
        with self._thread_lock:
            if backup and self._wrote:
                self._try_backup()
            self._disconnect()

    # --- reading -----------------------------------------------------------------------------

    def _read_all(self) -> Profile:
        """The whole profile as committed now; on damage, sets `issue` and returns an empty one."""
        if self._conn is None or self.issue is not None:
            self._revision = 0
            return model.new_profile(self.name)
        try:
            with self._begin(write=False) as conn:
                profile, self._revision = database.read_profile(conn, self.name)
        except (SchemaError, sqlite3.DatabaseError) as exc:
            self.issue = self._corrupt(self.paths.main, exc)
            return model.new_profile(self.name)
        return profile

    def _read_record(self, exercise_id: str, written: ExerciseProgress) -> ExerciseProgress:
        """The exercise's whole record after a write: from memory, or (when the profile was
        never read, as in `tutor check`) its rows alone. `written` is what the write produced
        (its state and the new attempts), returned if the rows cannot be read back."""
        with self._thread_lock:
            if self._profile is not None or self._conn is None:
                return self.profile.exercise(exercise_id)
            try:
                with self._begin(write=False) as conn:
                    record = database.read_records(conn, [exercise_id]).get(exercise_id)
                    if record is None:
                        return ExerciseProgress()
                    record.attempts = database.read_attempts(conn, exercise_id)
                    return record
            except (SchemaError, sqlite3.DatabaseError) as exc:  # the write is committed all the same
                self.issue = self._corrupt(self.paths.main, exc)
                return written

    def refresh(self) -> bool:
        """Pick up changes another process wrote; True when the profile changed. If the
        database has gone bad meanwhile, `issue` is set (check it) and the profile stays."""
        with self._thread_lock:
            if self.issue is not None:
                return False
            try:
                st = os.stat(self.paths.main)
            except FileNotFoundError:
                return False
            if self._conn is None or (st.st_dev, st.st_ino) != self._identity:
                shown = self._profile
                issue = self.load()
                if issue is not None:
                    self._profile = shown
                return issue is None
            try:
                revision = database.read_revision(self._conn)
            except sqlite3.DatabaseError as exc:
                self.issue = self._corrupt(self.paths.main, exc)
                return False
            if revision == self._revision:
                return False
            fresh = self._read_all()
            if self.issue is None:
                self._profile = fresh
            return self.issue is None

    # --- locking and transactions ------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with self._thread_lock:
            if not self._cleaned:
                self.save_dir.mkdir(parents=True, exist_ok=True)
            try:
                self._file_lock.acquire()
            except Timeout:
                raise ProfileBusy(self.paths.lock, self._holder(), self.lock_timeout) from None
            try:
                self._note_holder()
                if not self._cleaned:
                    for stale in stale_temporaries(self.paths.backup):
                        stale.unlink(missing_ok=True)  # a backup cut short by a kill
                    self._cleaned = True
                yield
            finally:
                self._file_lock.release()

    def _note_holder(self) -> None:
        # Only informational, for the ProfileBusy message: never fsynced, failures ignored.
        # Written over the old text, padded, never truncated: on ext4, truncating a file that
        # holds unwritten data flushes it, which cost more than the whole transaction.
        text = f"process {os.getpid()} on {socket.gethostname()} ({' '.join(sys.argv)[:200]})"
        data = text.encode("utf-8", "replace")[:HOLDER_BYTES].ljust(HOLDER_BYTES)
        try:
            fd = os.open(self.paths.lock, os.O_WRONLY)
            try:
                os.write(fd, data)  # at offset 0: the file was just opened
            finally:
                os.close(fd)
        except OSError:
            pass

    def _holder(self) -> str:
        try:
            return self.paths.lock.read_text("utf-8", "replace").strip()
        except OSError:
            return ""

    @contextmanager
    def _begin(self, *, write: bool = True) -> Iterator[sqlite3.Connection]:
        """A transaction on the open connection: committed when the block ends, else rolled back."""
        conn = self._conn
        assert conn is not None
        conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield conn
            self._commit(conn)
        except BaseException:
            if conn.in_transaction:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            raise

    def _commit(self, conn: sqlite3.Connection) -> None:
        conn.execute("COMMIT")

    def _check_file(self) -> None:
        """Under the lock, before a write: the database on disk is still one we can write, and
        the one our connection has open (another tutor may have restored a backup)."""
        p = self.paths
        try:
            database.check_header(p.main)
            st = os.stat(p.main)
        except FileNotFoundError:
            shown = self._profile
            self._disconnect()
            self._connect()  # deleted while open: start a new file holding what we know
            if shown is not None and (shown.exercises or shown.lessons or shown.settings):
                with self._begin() as conn:
                    database.migrate(conn)
                    database.write_changes(conn, database.read_head(conn, self.name)[0], shown, 0)
            return
        except SchemaError as exc:
            self.issue = self._corrupt(p.main, exc)
            raise SaveFileError(p.main, exc.what, exc.where) from None
        if self._conn is None or (st.st_dev, st.st_ino) != self._identity:
            self._disconnect()
            self._connect()
            self._revision = -1  # another file now: what we show must be read again

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """Lock, check the file, BEGIN IMMEDIATE; commit (durably) when the block ends."""
        with self._locked():
            if self.issue is not None:
                raise ReadOnlyProfile(f"progress is not being saved: {self.issue.message}")
            try:
                self._check_file()
                with self._begin() as conn:
                    database.migrate(conn)  # a no-op, but on the profile's first write
                    yield conn
            except UnicodeEncodeError as exc:  # an id with a lone surrogate: not from any lesson
                raise SaveFileError(self.paths.main, f"could not be written: {exc.object!r} is not valid text") from None
            except FutureVersionError as exc:  # replaced by a newer tutor's database meanwhile
                self.issue = LoadIssue("future", self.paths.main, exc.what)
                raise ReadOnlyProfile(f"progress is not being saved: {self.issue.message}") from None
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    raise ProfileBusy(self.paths.main, "another program using the database", self.lock_timeout) from None
                raise SaveFileError(self.paths.main, f"could not be written: {exc}") from None
            except (SchemaError, sqlite3.DatabaseError) as exc:
                self.issue = self._corrupt(self.paths.main, exc)
                raise SaveFileError(self.paths.main, self.issue.what, self.issue.where) from None
        self._wrote = True
        self._backup_if_due()

    def _change(
        self,
        read: Callable[[sqlite3.Connection], Profile],
        change: Callable[[Profile], tuple[Profile, Any]],
        *,
        with_attempts: bool,
        keep_for_undo: bool = False,
        clear_undo: bool = False,
        events: list[tuple] | None = None,
        derive_events: bool = False,
    ) -> tuple[Any, Profile, Profile]:
        """Read part of the profile, change a copy, write what differs: one transaction.
        `read` gets the head (settings, positions) and some exercises, with their attempts
        when `with_attempts`. Returns the change's result and the part before and after."""
        with self._transaction() as conn:
            before = read(conn)
            revision = database.read_revision(conn)
            after, result = change(before.copy())
            if result is False:
                return result, before, before
            if keep_for_undo or clear_undo:
                database.write_undo(conn, encode(before).decode("utf-8") if keep_for_undo else None)
            database.write_changes(conn, before, after, revision)
            for event in events or ():  # filled in by `change`: committed with it, or not at all
                database.add_event(conn, *event)
            if derive_events:  # history brought in (an import): its exercises get their events
                database.derive_events(conn)
        self._remember(before, after, revision, with_attempts)
        return result, before, after

    def _remember(self, before: Profile, after: Profile, revision: int, with_attempts: bool) -> None:
        """Bring `profile` up to date after our commit: patch in what we changed, or read it all
        again if another process had written since we last looked."""
        known = revision == self._revision
        self._revision = revision + 1
        if self._profile is None:
            return
        if not known:
            self._profile = self._read_all()
            return
        old = self._profile
        exercises = dict(old.exercises)
        for exercise_id in before.exercises.keys() - after.exercises.keys():
            exercises.pop(exercise_id, None)
        for exercise_id, record in after.exercises.items():
            if not with_attempts:
                record = replace(record, attempts=old.exercise(exercise_id).attempts + record.attempts)
            exercises[exercise_id] = record
        self._profile = Profile(
            self.name, after.created, after.updated, after.last_lesson, after.settings, after.lessons, exercises
        )

    # --- backups -----------------------------------------------------------------------------

    def backup(self) -> Path | None:
        """Copy the database to the backup file now, after an integrity check (a damaged
        database is reported as an issue and never replaces a good backup). None when there
        is no database yet."""
        with self._thread_lock:
            if self._conn is None or self.issue is not None:
                return None
            problem = database.integrity_problem(self._conn)
            if problem is not None:
                self.issue = LoadIssue("corrupt", self.paths.main, f"integrity check failed: {problem}",
                                       backup=self._best_backup())
                raise SaveFileError(self.paths.main, self.issue.what)
            target = self.paths.backup
            copy_database(self._conn, target)
            self._wrote = False
            return target

    def _try_backup(self) -> None:
        # After a committed write: a failed backup must not turn it into an error.
        try:
            self.backup()
        except (ProgressError, OSError, sqlite3.Error):
            pass

    def _backup_if_due(self) -> None:
        try:
            age = time.time() - os.stat(self.paths.backup).st_mtime
        except OSError:
            age = backups.BACKUP_EVERY
        if age >= backups.BACKUP_EVERY:
            self._try_backup()

    # --- changes -----------------------------------------------------------------------------

    def _head_and(self, *ids: str) -> Callable[[sqlite3.Connection], Profile]:
        def read(conn: sqlite3.Connection) -> Profile:
            profile, _ = database.read_head(conn, self.name)
            profile.exercises = database.read_records(conn, ids)
            return profile

        return read

    def _small_change(self, change: Callable[[Profile], Any], *ids: str, events: list[tuple] | None = None) -> Any:
        return self._change(self._head_and(*ids), _in_place(change), with_attempts=False, events=events)[0]

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
        time: str | None = None,
        review: bool = False,
        seed: int = 0,
    ) -> ExerciseProgress:
        """Record a checked answer to variant `seed`, and its practice event (wrong, partial or
        correct; an answer that could not be read is none); returns the exercise's record once it
        is committed. `time` (ISO 8601) is now unless given; `review` marks an answer in a review."""
        t = time or model.now()
        events: list[tuple] = []
        right_before: set[str] = set()  # parts answered right earlier in this episode
        read_head = self._head_and(exercise_id)

        def read(conn: sqlite3.Connection) -> Profile:
            if verdict_status == "correct" and len(parts) > 1:
                right_before.update(database.read_episode_parts(conn, exercise_id))
            return read_head(conn)

        def change(p: Profile) -> ExerciseProgress:
            record = model.apply_attempt(p, exercise_id, answer, verdict_status, part=part, parts=parts,
                                         diagnosis=diagnosis, message=message, content_hash=content_hash, time=t,
                                         seed=seed)
            what = model.practice_event(verdict_status, part, parts, right_before)
            if what is not None:
                events.append((exercise_id, t, what, review, seed))
            return record

        written = self._change(read, _in_place(change), with_attempts=False, events=events)[0]
        return self._read_record(exercise_id, written)

    def record_verdict(self, exercise: Exercise, part_key: str, answer: str, verdict: Verdict, *,
                       time: str | None = None, review: bool = False, seed: int | None = None) -> ExerciseProgress:
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
            time=time,
            review=review,
            seed=exercise.seed if seed is None else seed,
        )

    def record_hint(self, exercise_id: str, rung: int, *, time: str | None = None, review: bool = False,
                    seed: int | None = None) -> ExerciseProgress:
        """Hint rung `rung` (1-based) was shown (a hint event each time: a hint opened again in
        a later visit is help in that visit)."""
        t = time or model.now()
        events = [(exercise_id, t, "hint", review, seed)]
        written = self._small_change(lambda p: model.apply_hint(p, exercise_id, rung, time=t), exercise_id,
                                     events=events)
        return self._read_record(exercise_id, written)

    def record_reveal(self, exercise_id: str, content_hash: str | None = None, *, time: str | None = None,
                      review: bool = False, seed: int | None = None) -> ExerciseProgress:
        t = time or model.now()
        events = [(exercise_id, t, "reveal", review, seed)]
        written = self._small_change(
            lambda p: model.apply_reveal(p, exercise_id, content_hash=content_hash, time=t), exercise_id,
            events=events,
        )
        return self._read_record(exercise_id, written)

    def record_shown(self, exercise_id: str, *, time: str | None = None, review: bool = True,
                     seed: int | None = None) -> None:
        """A review session served `exercise_id` (so how long the answer took is known)."""
        with self._transaction() as conn:
            database.add_event(conn, exercise_id, time or model.now(), "shown", review, seed)

    def practice_events(self) -> list[tuple[str, str, str, bool, int | None]]:
        """Every practice event, (exercise_id, time, what, review, seed) in time order; [] with
        no database yet."""
        with self._thread_lock:
            if self._conn is None:
                return []
            return database.read_events(self._conn)

    def set_draft(self, exercise_id: str, text: str, part: str = "") -> None:
        """The text in an answer box. Writes only if it changed; debounce typing in the UI."""
        self._small_change(lambda p: model.apply_draft(p, exercise_id, text, part=part), exercise_id)

    def set_position(self, lesson_id: str, page: int, scroll: float = 0.0, focused_exercise: str | None = None) -> None:
        """Where the learner is in a lesson; the lesson also becomes the last one opened."""
        self._small_change(lambda p: model.apply_position(p, lesson_id, page, scroll, focused_exercise))

    def set_setting(self, key: str, value: str | int | float | bool | None) -> None:
        self._small_change(lambda p: model.apply_setting(p, key, value))

    # --- reset, undo, import -----------------------------------------------------------------

    def _reset(self, read: Callable[[sqlite3.Connection], Profile], change: Callable[[Profile], bool]) -> bool:
        if self._conn is None and self.issue is None and not self.path.exists():
            return False  # nothing saved yet, so nothing to forget: create no file
        result, _, _ = self._change(read, _in_place(change), with_attempts=True, keep_for_undo=True)
        return bool(result)

    def reset_exercise(self, exercise_id: str) -> bool:
        """Forget one exercise and its practice events; False when there was nothing to forget.
        Undo with `undo_reset`."""
        return self._reset(
            lambda conn: database.read_profile(conn, self.name, ids=[exercise_id], events=True)[0],
            lambda p: model.reset_exercise(p, exercise_id),
        )

    def reset_lesson(self, lesson_id: str) -> bool:
        """Forget a lesson's exercises, their practice events and the reading position."""
        return self._reset(
            lambda conn: database.read_profile(conn, self.name, lesson=lesson_id, events=True)[0],
            lambda p: model.reset_lesson(p, lesson_id),
        )

    def reset_all(self) -> bool:
        """Forget every exercise, position and practice event (settings stay)."""
        return self._reset(lambda conn: database.read_profile(conn, self.name, events=True)[0], model.reset_all)

    def can_undo_reset(self) -> bool:
        with self._thread_lock:
            if self._conn is None or self.issue is not None:
                return False
            return database.read_undo(self._conn) is not None

    def _merge(self, other: Profile) -> tuple[Profile, Profile]:
        def read(conn: sqlite3.Connection) -> Profile:
            return _read_for(conn, self.name, other)

        def merge(current: Profile) -> tuple[Profile, Any]:
            merged = model.merge_profiles(current, other)
            return merged, merged != current

        _, before, after = self._change(read, merge, with_attempts=True, derive_events=True)
        return before, after

    def undo_reset(self) -> bool:
        """Bring back what the last reset removed, keeping everything recorded since (a merge).
        False when there is no reset to undo."""
        kept: list[Profile] = []

        def read(conn: sqlite3.Connection) -> Profile:
            raw = database.read_undo(conn)
            if raw is None:
                return database.read_head(conn, self.name)[0]
            try:
                previous, _ = loads(raw.encode("utf-8"))
            except SchemaError as exc:
                raise SaveFileError(self.paths.main, f"the state kept for undo is damaged: {exc}") from None
            kept.append(previous)
            return _read_for(conn, self.name, previous)

        def merge(current: Profile) -> tuple[Profile, Any]:
            if not kept:
                return current, False
            return model.merge_profiles(current, kept[0]), True

        if self._conn is None and not self.path.exists():
            return False
        result, _, _ = self._change(read, merge, with_attempts=True, clear_undo=True)
        return bool(result)

    def import_profile(self, other: Profile) -> MergeSummary:
        """Merge another save into this one: attempts are united, nothing solved is downgraded."""
        before, after = self._merge(other)
        return _summarise(before, after)

    def export_text(self) -> str:
        """The profile as current-schema JSON, freshly read, with its practice events."""
        self.refresh()
        if self.issue is not None:
            raise ReadOnlyProfile(self.issue.message)
        with self._thread_lock:
            profile = self.profile
            if self._conn is not None:
                with self._begin(write=False) as conn:
                    profile, _ = database.read_profile(conn, self.name, events=True)
        return encode(profile).decode("utf-8")  # escaped: always writable as UTF-8

    # --- resolving a load issue ------------------------------------------------------------

    def _still_broken(self) -> bool:
        """Under the lock: look again, in case another tutor resolved the problem meanwhile."""
        return self.issue is not None and self.load() is not None

    def _keep_bad_file(self, issue: LoadIssue) -> Path | None:
        if not (issue.path.exists() or issue.path.is_symlink()):
            return None
        sidecars = SIDECARS if issue.path == self.paths.main else ()
        return move_aside(issue.path, f"{issue.path.name}.corrupt", sidecars)

    def _resolvable(self) -> LoadIssue | None:
        if not self._still_broken():
            return None
        issue = self.issue
        assert issue is not None
        if not issue.can_start_fresh:
            raise ReadOnlyProfile(issue.message)
        return issue

    def _install(self, profile: Profile) -> None:
        """Make `profile` the whole content of a new database (the old one is already aside)."""
        self._disconnect()
        for suffix in SIDECARS:  # a log left by a database that is gone belongs to no file now
            orphan = self.paths.main.with_name(self.paths.main.name + suffix)
            if orphan.exists():
                move_aside(orphan, f"{self.paths.main.name}.orphan{suffix}")
        self.issue = None
        self._connect()
        with self._begin() as conn:
            database.migrate(conn)
            profile.name = self.name
            database.write_changes(conn, database.read_head(conn, self.name)[0], profile, 0)
            database.derive_events(conn)
        self._wrote = True

    def recover_from_backup(self) -> Path | None:
        """Replace a bad (or missing) save with the backup. The bad file is kept aside,
        renamed; returns where (None if there was none, or another tutor repaired it)."""
        with self._locked():
            issue = self._resolvable()
            if issue is None:
                return None
            source = next((b for b in (self.paths.backup, self.paths.legacy_backup) if b.exists()), None)
            if source is None:
                raise ProgressError(f"there is no backup ({self.paths.backup})")
            try:
                profile = read_backup(source, self.name)
            except SchemaError as exc:
                raise SaveFileError(source, exc.what, exc.where) from None
            aside = self._keep_bad_file(issue)
            self._install(profile)
            self.load()
            return aside

    def start_fresh(self) -> Path | None:
        """Begin again with empty progress. The bad file (and an old backup) are kept aside,
        renamed; returns where the bad file went."""
        with self._locked():
            issue = self._resolvable()
            if issue is None:
                return None
            aside = self._keep_bad_file(issue)
            for old in (self.paths.backup, self.paths.legacy_backup):
                if old.exists():
                    move_aside(old, old.name)  # it is not a backup of the fresh profile
            self._install(model.new_profile(self.name))
            self.load()
            return aside


def _read_for(conn: sqlite3.Connection, name: str, other: Profile) -> Profile:
    """What merging `other` in must read: the exercises it has records or events of, and, when it
    carries practice events, theirs."""
    ids = {*other.exercises, *(e.exercise for e in other.practice or ())}
    return database.read_profile(conn, name, ids=sorted(ids), events=other.practice is not None)[0]


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
    """Open a profile for the UI or a command. Never raises for a bad save: the issue comes
    back instead, and the store refuses changes until it is resolved. Raises `ProfileNameError`
    for a bad name (and `ProfileBusy` if a JSON save must be migrated while the lock is stuck)."""
    store = ProgressStore(save_dir, profile, lock_timeout=lock_timeout)
    return store, store.load()


def record_check(
    save_dir: Path | str, profile: str, exercise: Exercise, part_key: str, answer: str, verdict: Verdict,
    *, time: str | None = None, review: bool = False,
) -> ExerciseProgress:
    """What `tutor check` calls to record an attempt: returns only once it is durably written.
    Reads only the rows it needs, so its cost does not grow with the history.

    Raises `ProgressError` (print `str(exc)`, exit non-zero) when the profile name is bad, the
    save cannot be used (`SaveFileError`), or the lock is stuck; `OSError` if the disk fails.
    """
    store = ProgressStore(save_dir, profile)
    issue = store.load(read_all=False)
    if issue is not None:
        advice = (
            "run `tutor recover --backup` or `tutor recover --fresh` first"
            if issue.can_start_fresh
            else "this tutor cannot save to it"
        )
        raise SaveFileError(issue.path, f"{issue.what} ({advice})", issue.where)
    try:
        return store.record_verdict(exercise, part_key, answer, verdict, time=time, review=review)
    finally:
        store.close(backup=False)  # the write already took one if it was due
