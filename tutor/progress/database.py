"""The save database: one SQLite file per profile, its tables, rows <-> model, and migrations.

Why SQLite: an attempt is one small transaction (one row appended, one row updated), so a write
costs the same with 10 attempts stored or 100 000. WAL mode makes each commit atomic, and
`synchronous = FULL` fsyncs the log on every commit, so a committed write survives SIGKILL and
power loss; readers see the last commit while a writer works.

The database version is `PRAGMA user_version`. `MIGRATIONS[n]` turns version n into n + 1 (0 is
an empty file); every migration lives here, so a new table (the review log of the scheduler) is
one more entry. A file with a higher version was written by a newer tutor and is never changed.
JSON (schema.py) stays the export/import format and the format of saves before this one.

Text a learner typed can hold lone surrogates (undecodable terminal bytes) that UTF-8 cannot
encode; such a string is stored as a BLOB of its surrogate-passing bytes and read back as the
same text (the columns holding typed text are `ANY`).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

from tutor.progress.errors import FutureVersionError, SchemaError
from tutor.progress.model import (
    EVENT_WHATS,
    STATUSES,
    VERDICT_STATUSES,
    Attempt,
    ExerciseProgress,
    LessonPosition,
    PracticeEvent,
    Profile,
    episode_parts,
    new_profile,
)

HEADER = b"SQLite format 3\x00"


def _in(values: Iterable[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


MIGRATIONS: dict[int, tuple[str, ...]] = {
    0: (
        """CREATE TABLE profile (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            last_lesson TEXT,
            revision INTEGER NOT NULL,  -- +1 per write: how a tutor notices another one's changes
            migrated_from TEXT          -- sha256 of the JSON save this database was made from
        ) STRICT""",
        "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT",  # value: JSON scalar
        """CREATE TABLE lessons (
            lesson_id TEXT PRIMARY KEY,
            page INTEGER NOT NULL CHECK (page >= 0),
            scroll REAL NOT NULL CHECK (scroll >= 0),
            focused_exercise TEXT,
            updated TEXT NOT NULL
        ) STRICT""",
        f"""CREATE TABLE exercises (
            exercise_id TEXT PRIMARY KEY,
            status TEXT NOT NULL CHECK (status IN ({_in(STATUSES)})),
            hints_used INTEGER NOT NULL CHECK (hints_used >= 0),
            revealed INTEGER NOT NULL CHECK (revealed IN (0, 1)),
            first_solved TEXT,
            solved_hash TEXT,
            parts_solved TEXT NOT NULL,  -- JSON list of part keys
            drafts TEXT NOT NULL         -- JSON object: part key -> text in the answer box
        ) STRICT""",
        f"""CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,      -- the order they were recorded in
            exercise_id TEXT NOT NULL,
            time TEXT NOT NULL,
            part TEXT NOT NULL,
            answer ANY NOT NULL,
            status TEXT NOT NULL CHECK (status IN ({_in(VERDICT_STATUSES)})),
            diagnosis ANY,
            message ANY NOT NULL
        ) STRICT""",
        "CREATE INDEX attempts_by_exercise ON attempts (exercise_id, id)",
        # What the last reset removed, as a JSON save, for `reset --undo`.
        "CREATE TABLE undo (id INTEGER PRIMARY KEY CHECK (id = 1), removed TEXT NOT NULL) STRICT",
    ),
    1: (
        # What the practice game replays (tutor.practice): one row per thing that happened to an
        # exercise, in the order recorded. Old attempts become events in the same migration.
        f"""CREATE TABLE practice_events (
            id INTEGER PRIMARY KEY,
            exercise_id TEXT NOT NULL,
            time TEXT NOT NULL,
            what TEXT NOT NULL CHECK (what IN ({_in(EVENT_WHATS)})),
            review INTEGER NOT NULL CHECK (review IN (0, 1)),
            seed INTEGER
        ) STRICT""",
        "CREATE INDEX practice_events_by_time ON practice_events (time, id)",
        "DERIVE",  # events from the attempts, hints and reveals already stored: see DERIVE_EVENTS
    ),
    # The variant each attempt answered (tutor.lessons.variants), so resume shows the same one.
    # Old attempts answered the exercise as written: seed 0.
    2: ("ALTER TABLE attempts ADD COLUMN seed INTEGER NOT NULL DEFAULT 0 CHECK (seed >= 0)",),
}
VERSION = len(MIGRATIONS)
TABLES = frozenset({"profile", "settings", "lessons", "exercises", "attempts", "undo", "practice_events"})

# Practice events for history recorded without them (a save from before the events table, a JSON
# save moved in, an import), for exercises that have no event yet. Attempts keep their times: an
# incorrect one is `wrong` (an answer that could not be read asked nothing: no event), a correct
# one before the exercise was first solved is `partial`, later ones `correct`. Hints (one per
# rung) go just before the first attempt, a reveal at the last attempt: the best times known.
DERIVE_EVENTS: tuple[str, ...] = (
    """INSERT INTO practice_events (exercise_id, time, what, review, seed)
    WITH RECURSIVE rungs(exercise_id, rung, hints) AS (
        SELECT exercise_id, 1, hints_used FROM exercises WHERE hints_used > 0
        UNION ALL SELECT exercise_id, rung + 1, hints FROM rungs WHERE rung < hints
    )
    SELECT r.exercise_id,
           coalesce((SELECT min(a.time) FROM attempts a WHERE a.exercise_id = r.exercise_id),
                    (SELECT updated FROM profile)),
           'hint', 0, NULL
    FROM rungs r
    WHERE NOT EXISTS (SELECT 1 FROM practice_events p WHERE p.exercise_id = r.exercise_id)
    ORDER BY r.exercise_id, r.rung""",
    """INSERT INTO practice_events (exercise_id, time, what, review, seed)
    SELECT a.exercise_id, a.time,
           CASE WHEN a.status = 'incorrect' THEN 'wrong'
                WHEN e.first_solved IS NOT NULL AND a.time >= e.first_solved THEN 'correct'
                ELSE 'partial' END,
           0, NULL
    FROM attempts a JOIN exercises e ON e.exercise_id = a.exercise_id
    WHERE a.status IN ('correct', 'incorrect')
      AND NOT EXISTS (SELECT 1 FROM practice_events p WHERE p.exercise_id = a.exercise_id AND p.what != 'hint')
    ORDER BY a.id""",
    """INSERT INTO practice_events (exercise_id, time, what, review, seed)
    SELECT e.exercise_id,
           coalesce((SELECT max(a.time) FROM attempts a WHERE a.exercise_id = e.exercise_id),
                    (SELECT updated FROM profile)),
           'reveal', 0, NULL
    FROM exercises e
    WHERE e.revealed = 1
      AND NOT EXISTS (SELECT 1 FROM practice_events p WHERE p.exercise_id = e.exercise_id AND p.what = 'reveal')""",
)


# --- files and connections -------------------------------------------------------------------


# Files this process has a connection to: (device, inode) -> [a descriptor kept open with the
# connection, how many connections]. POSIX locks belong to the process, and closing ANY descriptor
# of a file drops them all, SQLite's included; another program's connection then believes it is
# the last, and deletes the WAL our connection still writes to. So the header of a file we have
# open is read through the descriptor that stays open, never by opening and closing the file.
_HELD: dict[tuple[int, int], list[int]] = {}
_HELD_LOCK = threading.Lock()


def hold(path: Path) -> tuple[int, int]:
    """Keep a descriptor of `path` open while a connection to it is; returns its identity."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    st = os.fstat(fd)
    key = (st.st_dev, st.st_ino)
    with _HELD_LOCK:
        held = _HELD.get(key)
        if held is None:
            _HELD[key] = [fd, 1]
            return key
        held[1] += 1
    os.close(fd)  # another descriptor of the same file is already held, with its locks
    return key


def release(key: tuple[int, int]) -> None:
    """The connection to the file `hold` returned `key` for is closed."""
    with _HELD_LOCK:
        held = _HELD.get(key)
        if held is None:
            return
        held[1] -= 1
        if held[1] > 0:
            return
        del _HELD[key]
    os.close(held[0])


def check_header(path: Path) -> bool:
    """Whether the file holds anything (an empty file is an empty database), without opening it
    with SQLite. Raises SchemaError for a file that is not an SQLite database, OSError when it
    cannot be read."""
    st = os.stat(path)
    with _HELD_LOCK:
        held = _HELD.get((st.st_dev, st.st_ino))
    if held is not None and hasattr(os, "pread"):  # (Windows locks belong to handles: no pread needed)
        return header_ok(os.pread(held[0], 100, 0))
    with open(path, "rb") as f:
        return header_ok(f.read(100))


def header_ok(head: bytes) -> bool:
    """`check_header` on a file's first 100 bytes."""
    if not head:
        return False
    if not head.startswith(HEADER):
        raise SchemaError("", "not a tutor save database (damaged, or some other file)")
    if len(head) < 100:
        raise SchemaError("", "the file ends too early: truncated?")
    return True


def version_of(path: Path) -> int:
    """The database's version, read through a read-only connection (the header in the file can
    be older than the log), so a file from a newer tutor, or garbage, is never changed."""
    if not check_header(path):
        return 0
    try:
        conn = connect_read_only(path)
        try:
            return user_version(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise SchemaError("", f"not a usable database: {exc}") from None


def connect(path: Path, timeout: float) -> sqlite3.Connection:
    """A connection for this process's store; autocommit, so transactions are explicit."""
    conn = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA synchronous = FULL")  # durable when COMMIT returns, power cut included
    return conn


def connect_read_only(path: Path) -> sqlite3.Connection:
    """For looking at a file that is not ours to change (a backup, another profile)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    return conn


def user_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def prepare(conn: sqlite3.Connection) -> None:
    """Put a new (empty) file in WAL mode: persistent, and not allowed inside a transaction."""
    if user_version(conn) == 0 and not conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]:
        conn.execute("PRAGMA journal_mode = WAL")


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the database to VERSION. Call inside the caller's write transaction, so the
    migration commits together with the write that needed it (or not at all)."""
    version = user_version(conn)
    if version == VERSION:
        return
    if version > VERSION:
        raise FutureVersionError(version, VERSION)
    if version == 0 and conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]:
        raise SchemaError("", "an SQLite database, but not a tutor save (it has other tables)")
    while version < VERSION:
        for statement in MIGRATIONS[version]:
            if statement == "DERIVE":
                derive_events(conn)
            else:
                conn.execute(statement)
        version += 1
        conn.execute(f"PRAGMA user_version = {version}")


def derive_events(conn: sqlite3.Connection) -> None:
    """Events for exercises stored without any (see DERIVE_EVENTS); inside the caller's transaction."""
    for statement in DERIVE_EVENTS:
        conn.execute(statement)


def check_tables(conn: sqlite3.Connection) -> None:
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    missing = TABLES - names
    if missing:
        raise SchemaError("", f"not a tutor save database (tables missing: {', '.join(sorted(missing))})")


def integrity_problem(conn: sqlite3.Connection) -> str | None:
    """What `PRAGMA quick_check` finds wrong, or None. O(size): run before a backup, not per write."""
    rows = [row[0] for row in conn.execute("PRAGMA quick_check")]
    return None if rows == ["ok"] else "; ".join(rows[:3])


# --- typed text ------------------------------------------------------------------------------


def _text(value: str) -> str | bytes:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogatepass")
    return value


def _untext(value: Any, where: str) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "surrogatepass")
    if not isinstance(value, str):
        raise SchemaError(where, f"expected text, got {type(value).__name__}")
    return value


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True)  # escapes lone surrogates, which read back as they were


def _from_json(text: str, where: str, kind: type) -> Any:
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        raise SchemaError(where, "not valid JSON") from None
    if not isinstance(value, kind):
        raise SchemaError(where, f"expected a JSON {kind.__name__}")
    return value


# --- reading ---------------------------------------------------------------------------------

_RECORD_COLUMNS = "exercise_id, status, hints_used, revealed, first_solved, solved_hash, parts_solved, drafts"
_ATTEMPT_COLUMNS = "exercise_id, time, part, answer, status, diagnosis, message, seed"


def _record(row: tuple) -> ExerciseProgress:
    exercise_id, status, hints, revealed, first_solved, solved_hash, parts, drafts = row
    where = f"exercises[{exercise_id!r}]"
    # The tables' CHECK constraints keep these right; a file made some other way is checked too.
    if status not in STATUSES:
        raise SchemaError(f"{where}.status", f"expected one of {', '.join(STATUSES)}")
    if type(hints) is not int or hints < 0 or revealed not in (0, 1):
        raise SchemaError(where, "hints_used or revealed out of range")
    return ExerciseProgress(
        status=status,
        attempts=[],
        hints_used=hints,
        revealed=bool(revealed),
        first_solved=first_solved,
        solved_hash=solved_hash,
        parts_solved=sorted(_from_json(parts, f"{where}.parts_solved", list)),
        drafts=_from_json(drafts, f"{where}.drafts", dict),
    )


def _attempt(row: tuple) -> Attempt:
    exercise_id, time, part, answer, status, diagnosis, message, seed = row
    # The hot path of reading a long history: plain text, as written, is taken as it is; only
    # the rare BLOB (text with lone surrogates) or a wrong value goes through the checks below.
    if (
        type(answer) is str
        and type(message) is str
        and (diagnosis is None or type(diagnosis) is str)
        and status in VERDICT_STATUSES
        and type(time) is str
        and type(part) is str
        and type(seed) is int
    ):
        return Attempt(time, answer, status, part, diagnosis, message, seed)
    where = f"attempts of {exercise_id!r}"
    if status not in VERDICT_STATUSES:
        raise SchemaError(f"{where}.status", f"expected one of {', '.join(VERDICT_STATUSES)}")
    if type(time) is not str or type(part) is not str:
        raise SchemaError(where, "time and part must be text")
    if type(seed) is not int or seed < 0:
        raise SchemaError(where, "the seed must be a whole number from 0")
    return Attempt(
        time,
        _untext(answer, where),
        status,
        part,
        None if diagnosis is None else _untext(diagnosis, where),
        _untext(message, where),
        seed,
    )


def read_revision(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT revision FROM profile").fetchone()
    return 0 if row is None else row[0]


def read_head(conn: sqlite3.Connection, name: str) -> tuple[Profile, int]:
    """The profile without its exercises (times, settings, positions: small), and its revision."""
    row = conn.execute("SELECT created, updated, last_lesson, revision FROM profile").fetchone()
    profile = new_profile(name)
    revision = 0
    if row is not None:
        profile.created, profile.updated, profile.last_lesson, revision = row
    for key, value in conn.execute("SELECT key, value FROM settings"):
        profile.settings[key] = _from_json(value, f"settings[{key!r}]", object)
    for lesson_id, page, scroll, focused, updated in conn.execute("SELECT * FROM lessons"):
        profile.lessons[lesson_id] = LessonPosition(page, scroll, focused, updated)
    return profile, revision


def read_records(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, ExerciseProgress]:
    """Exercise records without their attempts: what a new attempt, hint or draft needs."""
    found = {}
    for exercise_id in ids:
        row = conn.execute(f"SELECT {_RECORD_COLUMNS} FROM exercises WHERE exercise_id = ?", (exercise_id,)).fetchone()
        if row is not None:
            found[exercise_id] = _record(row)
    return found


def read_attempts(conn: sqlite3.Connection, exercise_id: str) -> list[Attempt]:
    rows = conn.execute(
        f"SELECT {_ATTEMPT_COLUMNS} FROM attempts WHERE exercise_id = ? ORDER BY id", (exercise_id,)
    )
    return [_attempt(row) for row in rows]


def _lesson_range(lesson: str | None) -> tuple[str, tuple]:
    """A WHERE clause picking the rows of one lesson's exercises ("lesson/..."), or every row."""
    return ("", ()) if lesson is None else ("WHERE exercise_id >= ? AND exercise_id < ?", (f"{lesson}/", f"{lesson}0"))


def read_profile(conn: sqlite3.Connection, name: str, *, ids: Iterable[str] | None = None,
                 lesson: str | None = None, events: bool = False) -> tuple[Profile, int]:
    """The whole profile (or only the exercises `ids`, or those of `lesson`), attempts included,
    and with `events` the practice events of the same exercises. Call inside a transaction, so
    the tables are read at one moment."""
    profile, revision = read_head(conn, name)
    if ids is not None:
        ids = list(ids)
        records = read_records(conn, ids)
        for exercise_id, record in records.items():
            record.attempts = read_attempts(conn, exercise_id)
        profile.exercises = records
        if events:
            profile.practice = read_practice(conn, ids=ids)
        return profile, revision
    if events:
        profile.practice = read_practice(conn, lesson=lesson)
    where, args = _lesson_range(lesson)
    profile.exercises = {row[0]: _record(row) for row in conn.execute(f"SELECT {_RECORD_COLUMNS} FROM exercises {where}", args)}
    records = profile.exercises
    for row in conn.execute(f"SELECT {_ATTEMPT_COLUMNS} FROM attempts {where} ORDER BY id", args):
        record = records.get(row[0])
        if record is None:
            raise SchemaError(f"attempts of {row[0]!r}", "attempts of an exercise that has no record")
        record.attempts.append(_attempt(row))
    return profile, revision


def summary(conn: sqlite3.Connection) -> tuple[int, int, str]:
    """(solved, attempts, updated) without reading every row into Python."""
    solved = conn.execute(
        "SELECT count(*) FROM exercises WHERE status IN ('solved', 'solved-with-help')"
    ).fetchone()[0]
    attempts = conn.execute("SELECT count(*) FROM attempts").fetchone()[0]
    row = conn.execute("SELECT updated FROM profile").fetchone()
    return solved, attempts, row[0] if row else ""


def read_events(conn: sqlite3.Connection) -> list[tuple[str, str, str, bool, int | None]]:
    """Every practice event as (exercise_id, time, what, review, seed), in time order."""
    return [(e, t, w, bool(r), s) for e, t, w, r, s in conn.execute(
        "SELECT exercise_id, time, what, review, seed FROM practice_events ORDER BY time, id")]


def read_practice(conn: sqlite3.Connection, *, ids: Iterable[str] | None = None,
                  lesson: str | None = None) -> tuple[PracticeEvent, ...]:
    """The practice events of the exercises `ids`, or of `lesson`, or all, in time order."""
    if ids is not None:
        wanted = set(ids)
        return tuple(PracticeEvent(*row) for row in read_events(conn) if row[0] in wanted)
    where, args = _lesson_range(lesson)
    return tuple(PracticeEvent(e, t, w, bool(r), s) for e, t, w, r, s in conn.execute(
        f"SELECT exercise_id, time, what, review, seed FROM practice_events {where} ORDER BY time, id", args))


def read_episode_parts(conn: sqlite3.Connection, exercise_id: str) -> set[str]:
    """The parts of an exercise answered right in its current episode (model.episode_parts)."""
    events = conn.execute("SELECT time, what, review FROM practice_events WHERE exercise_id = ? ORDER BY id",
                          (exercise_id,))
    attempts = conn.execute("SELECT time, part FROM attempts WHERE exercise_id = ? AND status = 'correct'",
                            (exercise_id,))
    return episode_parts(((t, w, bool(r)) for t, w, r in events), attempts)


def read_undo(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT removed FROM undo").fetchone()
    return None if row is None else row[0]


# --- writing ---------------------------------------------------------------------------------


def _put_record(conn: sqlite3.Connection, exercise_id: str, r: ExerciseProgress) -> None:
    conn.execute(
        f"INSERT OR REPLACE INTO exercises ({_RECORD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (exercise_id, r.status, r.hints_used, int(r.revealed), r.first_solved, r.solved_hash,
         _json_text(list(r.parts_solved)), _json_text(r.drafts)),
    )


def _add_attempts(conn: sqlite3.Connection, exercise_id: str, attempts: Iterable[Attempt]) -> None:
    conn.executemany(
        f"INSERT INTO attempts ({_ATTEMPT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(exercise_id, a.time, a.part, _text(a.answer), a.status,
          None if a.diagnosis is None else _text(a.diagnosis), _text(a.message), a.seed) for a in attempts],
    )


def _record_state(r: ExerciseProgress) -> tuple:
    return (r.status, r.hints_used, r.revealed, r.first_solved, r.solved_hash, list(r.parts_solved), r.drafts)


def write_changes(conn: sqlite3.Connection, before: Profile, after: Profile, revision: int,
                  migrated_from: str | None = None) -> None:
    """Write what differs between `before` (as read in this transaction: all of the head, and
    the exercises it holds, with or without their attempts) and `after`, and bump the revision.
    An exercise whose attempt list in `after` extends the one in `before` gets only the new rows."""
    conn.execute(
        "INSERT INTO profile (id, created, updated, last_lesson, revision, migrated_from) VALUES (1, ?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET created = excluded.created, updated = excluded.updated, "
        "last_lesson = excluded.last_lesson, revision = excluded.revision, "
        "migrated_from = coalesce(excluded.migrated_from, migrated_from)",
        (after.created, after.updated, after.last_lesson, revision + 1, migrated_from),
    )
    for key in before.settings.keys() - after.settings.keys():
        conn.execute("DELETE FROM settings WHERE key = ?", (key,))
    for key, value in after.settings.items():
        if key not in before.settings or _json_text(before.settings[key]) != _json_text(value):
            conn.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", (key, _json_text(value)))
    for lesson_id in before.lessons.keys() - after.lessons.keys():
        conn.execute("DELETE FROM lessons WHERE lesson_id = ?", (lesson_id,))
    for lesson_id, p in after.lessons.items():
        if before.lessons.get(lesson_id) != p:
            conn.execute("INSERT OR REPLACE INTO lessons VALUES (?, ?, ?, ?, ?)",
                         (lesson_id, p.page, p.scroll, p.focused_exercise, p.updated))
    for exercise_id in before.exercises.keys() - after.exercises.keys():
        conn.execute("DELETE FROM exercises WHERE exercise_id = ?", (exercise_id,))
        conn.execute("DELETE FROM attempts WHERE exercise_id = ?", (exercise_id,))
    for exercise_id, record in after.exercises.items():
        old = before.exercises.get(exercise_id)
        if old is None or _record_state(old) != _record_state(record):
            _put_record(conn, exercise_id, record)
        kept = old.attempts if old is not None else []
        if record.attempts[: len(kept)] == kept:
            _add_attempts(conn, exercise_id, record.attempts[len(kept):])
        else:  # reordered or shortened (a merge): rewrite this exercise's attempts
            conn.execute("DELETE FROM attempts WHERE exercise_id = ?", (exercise_id,))
            _add_attempts(conn, exercise_id, record.attempts)
    if after.practice is not None:  # this copy carries events: `before` holds those read for it
        _write_events(conn, before.practice or (), after.practice)


def _write_events(conn: sqlite3.Connection, before: Iterable[PracticeEvent], after: Iterable[PracticeEvent]) -> None:
    """Make the events read (`before`) into `after`: remove the ones gone (a reset), add the new
    ones (an import, an undo). Events are counted, not just compared: two hints at one moment are
    two events."""
    old, new = Counter(before), Counter(after)
    for event, n in (old - new).items():
        conn.execute(
            "DELETE FROM practice_events WHERE id IN (SELECT id FROM practice_events WHERE exercise_id = ? "
            "AND time = ? AND what = ? AND review = ? AND seed IS ? ORDER BY id DESC LIMIT ?)",
            (event.exercise, event.time, event.what, int(event.review), event.seed, n))
    for event in sorted((new - old).elements(), key=lambda e: e.time):
        add_event(conn, *event.row)


def add_event(conn: sqlite3.Connection, exercise_id: str, time: str, what: str, review: bool = False,
              seed: int | None = None) -> None:
    if what not in EVENT_WHATS:
        raise ValueError(f"a practice event is one of {', '.join(EVENT_WHATS)}, not {what!r}")
    conn.execute("INSERT INTO practice_events (exercise_id, time, what, review, seed) VALUES (?, ?, ?, ?, ?)",
                 (exercise_id, time, what, int(review), seed))


def write_undo(conn: sqlite3.Connection, removed: str | None) -> None:
    conn.execute("DELETE FROM undo")
    if removed is not None:
        conn.execute("INSERT INTO undo VALUES (1, ?)", (removed,))
