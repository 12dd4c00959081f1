"""Backups of a profile's database, and the one-line summaries shown when one is offered.

The backup story: SQLite's WAL already makes every commit atomic and durable, so a backup is
not what protects an attempt from a crash; it protects against the database file itself being
damaged or lost (a disk error, a bad copy, a deleted file). It is a copy, taken with SQLite's
online backup API after `PRAGMA quick_check` (a damaged database never replaces a good backup),
written to a temporary file, fsynced and renamed over `<profile>.sqlite3.bak`: after the first
write of a session, at most every BACKUP_EVERY while the tutor writes, and when the store is
closed. It is therefore older than the database, by design; wherever it is offered, its summary
says what it holds and when it was saved, and the offer says later progress is not in it.
"""

from __future__ import annotations

import sqlite3
from datetime import timezone
from pathlib import Path

from tutor.progress import database, model
from tutor.progress.errors import BackupInfo, FutureVersionError, SchemaError
from tutor.progress.fileio import fsync_file, replace_durably, tmp_path
from tutor.progress.model import Profile
from tutor.progress.schema import loads

BACKUP_EVERY = 15 * 60.0  # seconds; a backup copies the whole database, so not on every write


def saved_text(updated: str) -> str:
    try:
        return model.parse_time(updated).astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return "time unknown"


def describe(profile: Profile) -> str:
    t = model.totals(profile)
    return f"{t.solved} solved, {t.attempts} attempts, saved {saved_text(profile.updated)}"


def describe_database(path: Path) -> str:
    """The summary line of a database, opened read-only and counted by SQLite, not loaded."""
    version = database.version_of(path)
    if version > database.VERSION:
        raise FutureVersionError(version, database.VERSION)
    if version == 0:
        return describe(model.new_profile(path.stem))
    conn = database.connect_read_only(path)
    try:
        database.check_tables(conn)
        solved, attempts, updated = database.summary(conn)
    finally:
        conn.close()
    return f"{solved} solved, {attempts} attempts, saved {saved_text(updated)}"


def read_backup(path: Path, name: str) -> Profile:
    """A backup's whole profile, validated: a database backup, or the JSON backup of a save from
    before the database. Raises SchemaError (or OSError) when it cannot be used."""
    if path.name.endswith(".json.bak"):
        return loads(path.read_bytes())[0]
    version = database.version_of(path)
    if version > database.VERSION:
        raise FutureVersionError(version, database.VERSION)
    conn = database.connect_read_only(path)
    try:
        database.check_tables(conn)
        conn.execute("BEGIN")
        return database.read_profile(conn, name, events=True)[0]  # its practice history too
    except sqlite3.DatabaseError as exc:
        raise SchemaError("", str(exc)) from None
    finally:
        conn.close()


def backup_info(path: Path) -> BackupInfo | None:
    if not path.exists():
        return None
    try:
        profile = read_backup(path, path.name.split(".", 1)[0])
    except SchemaError as exc:
        return BackupInfo(path, False, str(exc))
    except OSError as exc:
        return BackupInfo(path, False, f"cannot be read: {exc.strerror or exc}")
    return BackupInfo(path, True, describe(profile))


def copy_database(conn: sqlite3.Connection, target: Path) -> None:
    """Copy the database open on `conn` to `target` as one self-contained file, atomically:
    a kill during the copy leaves only a temporary file, removed by the next writer."""
    tmp = tmp_path(target)
    try:
        copy = sqlite3.connect(tmp)
        try:
            conn.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")  # no -wal beside the copy
        finally:
            copy.close()
        fsync_file(tmp)
        replace_durably(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
