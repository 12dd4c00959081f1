"""The store on disk: durable transactions, backups, bad saves, migration from JSON, locking,
reset/undo, import, profiles."""

from __future__ import annotations

import dataclasses

import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tutor.checking.verdict import Verdict
from tutor.progress import backups, database, fileio, model
from tutor.progress.errors import ProfileBusy, ProfileNameError, ReadOnlyProfile, SaveFileError
from tutor.progress.schema import encode, loads
from tutor.progress.listing import list_profiles
from tutor.progress.store import ProgressStore, open_profile, record_check, validate_profile_name

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "progress"


def fresh(tmp_path: Path, name: str = "default") -> ProgressStore:
    store, issue = open_profile(tmp_path, name)
    assert issue is None
    return store


def answers(store: ProgressStore) -> list[str]:
    return [a.answer for r in store.profile.exercises.values() for a in r.attempts]


def reopen(tmp_path: Path, name: str = "default") -> ProgressStore:
    return fresh(tmp_path, name)


def revision(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT revision FROM profile").fetchone()[0]
    finally:
        conn.close()


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock"))


# --- recording -----------------------------------------------------------------------------


def test_every_change_is_on_disk_when_the_call_returns(tmp_path):
    store = fresh(tmp_path)
    assert not store.path.exists()  # opening writes nothing
    store.record_attempt("chain-rule/e1", "cos(x^3)", "incorrect", diagnosis="inner", content_hash="h")
    assert answers(reopen(tmp_path)) == ["cos(x^3)"]
    store.record_hint("chain-rule/e1", 2)
    assert reopen(tmp_path).profile.exercises["chain-rule/e1"].hints_used == 2
    store.record_attempt("chain-rule/e1", "3*x^2*cos(x^3)", "correct", content_hash="h")
    store.record_reveal("chain-rule/e1")
    store.set_draft("chain-rule/e2", "sin(")
    store.set_position("chain-rule", 3, 12.5, "chain-rule/e2")
    store.set_setting("theme", "dark")
    p = reopen(tmp_path).profile
    e1 = p.exercises["chain-rule/e1"]
    assert (e1.status, e1.revealed, e1.solved_hash) == ("solved-with-help", True, "h")
    assert p.exercises["chain-rule/e2"].drafts == {"": "sin("}
    assert p.lessons["chain-rule"].page == 3 and p.lessons["chain-rule"].focused_exercise == "chain-rule/e2"
    assert p.last_lesson == "chain-rule"
    assert p.settings == {"theme": "dark"}


def test_record_check_from_a_verdict(tmp_path):
    from tutor.checking.spec import ExerciseSpec
    from tutor.lessons.model import Exercise, ExercisePart

    spec = ExerciseSpec("numeric", answer="1")
    exercise = Exercise(
        id="chain-rule/e11",
        kind="numeric",
        prompt="p",
        parts=(ExercisePart("a", "p", spec), ExercisePart("b", "p", spec)),
        hints=("h",),
        solution="s",
        line=1,
        content_hash="abc",
    )
    wrong = Verdict("incorrect", "Not quite.", diagnosis="sign")
    r = record_check(tmp_path, "alice", exercise, "a", "-0.1", wrong)
    assert r.status == "attempted" and r.attempts[0].diagnosis == "sign" and r.attempts[0].message == "Not quite."
    record_check(tmp_path, "alice", exercise, "a", "0.1", Verdict("correct", "Yes"))
    r = record_check(tmp_path, "alice", exercise, "b", "0.02", Verdict("correct", "Yes"))
    assert r.status == "solved" and r.solved_hash == "abc"
    assert reopen(tmp_path, "alice").profile.exercises["chain-rule/e11"].parts_solved == ["a", "b"]


@pytest.mark.parametrize("name, bad", [("default.json", b"{oops"), ("default.sqlite3", b"oops" * 40)])
def test_record_check_refuses_when_the_save_is_bad(tmp_path, name, bad):
    (tmp_path / name).write_bytes(bad)
    from tutor.lessons.model import Exercise

    exercise = Exercise("a/e1", "numeric", "p", (), (), "", 1, "h")
    with pytest.raises(SaveFileError) as info:
        record_check(tmp_path, "default", exercise, "", "1", Verdict("correct", ""))
    assert "tutor recover --backup" in str(info.value)
    assert (tmp_path / name).read_bytes() == bad
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")] == [name]


def test_a_write_reads_and_writes_the_same_few_rows_however_long_the_history(tmp_path):
    """O(1) per attempt: the statements run and the rows changed do not grow with the history."""
    store = fresh(tmp_path)

    def cost(n: int) -> tuple[int, int]:
        statements: list[str] = []
        conn = store._conn
        conn.set_trace_callback(statements.append)
        changes = conn.total_changes
        store.record_attempt("a/e1", f"probe {n}", "incorrect")
        conn.set_trace_callback(None)
        return len(statements), conn.total_changes - changes

    store.record_attempt("a/e1", "first", "incorrect")
    small = cost(1)
    history = model.new_profile("x")
    for i in range(3000):
        model.apply_attempt(history, f"b/e{i % 40}", f"old {i}", "incorrect")
    store.import_profile(history)
    store.record_attempt("a/e1", "warm", "incorrect")
    assert cost(2) == small
    assert small[1] == 3  # the profile row, the new attempt and its practice event (the exercise state is unchanged)
    assert len(answers(reopen(tmp_path))) == 3004


def test_the_database_is_durable_on_every_commit(tmp_path):
    store = fresh(tmp_path)
    store.record_attempt("a/e1", "x", "incorrect")
    conn = store._conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL: the log is fsynced per commit
    assert conn.execute("PRAGMA user_version").fetchone()[0] == database.VERSION


# --- backups --------------------------------------------------------------------------------


def test_backup_is_taken_after_the_first_write_on_schedule_and_on_close(tmp_path, monkeypatch):
    store = fresh(tmp_path)
    store.record_attempt("a/e1", "one", "incorrect")
    backup = store.paths.backup
    assert backups.backup_info(backup).summary.startswith("0 solved, 1 attempts, saved ")
    store.record_attempt("a/e1", "two", "incorrect")  # not due yet: the backup stays as it was
    assert [a.answer for a in backups.read_backup(backup, "default").exercise("a/e1").attempts] == ["one"]
    monkeypatch.setattr(backups, "BACKUP_EVERY", 0.0)
    store.record_attempt("a/e1", "three", "incorrect")
    assert len(backups.read_backup(backup, "default").exercise("a/e1").attempts) == 3
    monkeypatch.setattr(backups, "BACKUP_EVERY", 3600.0)
    store.record_attempt("a/e1", "four", "incorrect")
    store.close()  # quitting backs up what was written since
    assert len(backups.read_backup(backup, "default").exercise("a/e1").attempts) == 4
    # The backup is one self-contained file, and a kill during a backup leaves only a temporary.
    assert not backup.with_name(backup.name + "-wal").exists()
    torn = fileio.tmp_path(backup)
    torn.write_bytes(b"SQLite format 3\x00 torn")
    reopen(tmp_path).record_attempt("a/e1", "five", "incorrect")
    assert not torn.exists()


def test_the_offered_backup_says_what_it_lacks(tmp_path):
    store = fresh(tmp_path)
    store.record_attempt("a/e1", "one", "incorrect")
    store.record_attempt("a/e1", "two", "correct")  # after the backup
    store.close(backup=False)
    store.path.write_bytes(b"garbage" * 30)
    _, issue = open_profile(tmp_path)
    assert issue.can_recover
    assert "0 solved, 1 attempts, saved" in issue.message
    assert "anything recorded after it was taken is not in it" in issue.message


def test_unchanged_draft_writes_nothing(tmp_path):
    store = fresh(tmp_path)
    store.set_draft("a/e1", "x")
    before = revision(store.path)
    store.set_draft("a/e1", "x")
    store.set_position("a", 0)
    after_position = revision(store.path)
    store.set_position("a", 0)
    assert after_position == before + 1  # the position did write
    assert revision(store.path) == after_position  # the repeats did not


def test_non_utf8_terminal_input_is_saved_and_read_back(tmp_path):
    store = fresh(tmp_path)
    store.record_attempt("a/e1", "x\udcff²", "invalid", message="read as x\udcff")  # surrogateescape'd bytes
    store.set_draft("a/e1", "y\udcfe")
    p = reopen(tmp_path).profile
    assert answers(reopen(tmp_path)) == ["x\udcff²"]
    assert p.exercises["a/e1"].attempts[0].message == "read as x\udcff"
    assert p.exercises["a/e1"].drafts == {"": "y\udcfe"}
    assert loads(reopen(tmp_path).export_text().encode())[0].exercises["a/e1"].attempts[0].answer == "x\udcff²"


def test_an_id_that_is_not_valid_text_is_refused_not_a_crash(tmp_path):
    store = fresh(tmp_path)
    store.record_attempt("a/e1", "kept", "incorrect")
    for change in (
        lambda: store.record_attempt("a/\udcff", "x", "incorrect"),
        lambda: store.set_position("\udcff", 1),
        lambda: store.set_setting("\udcff", 1),
    ):
        with pytest.raises(SaveFileError):
            change()
    assert store.writable and answers(reopen(tmp_path)) == ["kept"]


# --- atomic writes -------------------------------------------------------------------------


def test_a_failure_inside_a_write_leaves_the_last_commit(tmp_path, monkeypatch):
    store = fresh(tmp_path)
    store.record_attempt("a/e1", "kept", "incorrect")
    real = database.write_changes

    def fail_halfway(conn, before, after, revision, migrated_from=None):
        real(conn, before, after, revision, migrated_from)  # rows written, then the disk fails
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(database, "write_changes", fail_halfway)
    with pytest.raises(SaveFileError):
        store.record_attempt("a/e1", "lost", "incorrect")
    monkeypatch.undo()
    assert answers(reopen(tmp_path)) == ["kept"]
    assert answers(store) == ["kept"]
    store.record_attempt("a/e1", "next", "incorrect")  # the store still works
    assert answers(reopen(tmp_path)) == ["kept", "next"]


def test_atomic_write_fsyncs_file_and_folder(tmp_path, monkeypatch):
    synced = []
    real = os.fsync
    monkeypatch.setattr(fileio.os, "fsync", lambda fd: (synced.append(fd), real(fd))[1])
    fileio.atomic_write(tmp_path / "f.json", b"{}")
    assert len(synced) == (2 if os.name == "posix" else 1)
    assert (tmp_path / "f.json").read_bytes() == b"{}"


# --- bad files -----------------------------------------------------------------------------

GOOD = (FIXTURES / "v2.json").read_bytes()
BAD_JSON = {
    "corrupt": (b'{"schema_version": 2, "exercises": {"a/e1": {"status": "solved",,}}}', "line 1"),
    "truncated": (GOOD[: len(GOOD) // 2], "truncated"),
    "empty": (b"", "empty"),
    "wrong-type": (b"[1, 2, 3]", "expected an object, got a list"),
    "wrong-field-type": (GOOD.replace(b'"hints_used": 2', b'"hints_used": "two"'), "hints_used"),
    "nul-bytes": (b"\x00" * 512, "NUL bytes"),
    "hand-edited": (GOOD.replace(b'"status": "revealed"', b'"status": "done"'), "exercises['chain-rule/e2'].status"),
}


def _real_database(folder: Path) -> bytes:
    """The bytes of a small real save database, checkpointed into one file."""
    store = fresh(folder, "model")
    store.record_attempt("a/e1", "one", "incorrect")
    store.set_draft("a/e2", "x")
    store.close(backup=False)
    return (folder / "model.sqlite3").read_bytes()


def _other_app_database(folder: Path) -> bytes:
    conn = sqlite3.connect(folder / "other.db")
    conn.execute("CREATE TABLE notes (text TEXT)")
    conn.commit()
    conn.close()
    return (folder / "other.db").read_bytes()


def _bad_database(kind: str, folder: Path) -> tuple[bytes, str]:
    scratch = folder / "scratch"
    scratch.mkdir(exist_ok=True)
    if kind == "not-sqlite":
        return b'{"schema_version": 2}' * 10, "not a tutor save database"
    if kind == "nul-bytes":
        return b"\x00" * 4096, "not a tutor save database"
    if kind == "truncated":
        return _real_database(scratch)[:60], "truncated"
    if kind == "other-app":
        return _other_app_database(scratch), "not a tutor save"
    if kind == "damaged-pages":
        good = _real_database(scratch)
        return good[:4096] + b"\xa5" * (len(good) - 4096), "malformed"
    assert kind in ("bad-row", "unchecked-status")
    _real_database(scratch)
    conn = sqlite3.connect(scratch / "model.sqlite3")
    if kind == "unchecked-status":  # edited past the CHECK constraints
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute("UPDATE attempts SET status = 'done'")
        conn.commit()
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.close()
        return (scratch / "model.sqlite3").read_bytes(), "attempts of 'a/e1'.status: expected one of"
    conn.execute("UPDATE exercises SET drafts = '{oops' WHERE exercise_id = 'a/e2'")
    conn.commit()
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    return (scratch / "model.sqlite3").read_bytes(), "exercises['a/e2'].drafts: not valid JSON"


BAD_DATABASES = ["not-sqlite", "nul-bytes", "truncated", "other-app", "damaged-pages", "bad-row", "unchecked-status"]


def _assert_read_only(store: ProgressStore) -> None:
    assert not store.writable
    for change in (
        lambda: store.record_attempt("a/e1", "x", "incorrect"),
        lambda: store.record_hint("a/e1", 1),
        lambda: store.set_draft("a/e1", "x"),
        lambda: store.reset_all(),
    ):
        with pytest.raises(ReadOnlyProfile):
            change()


@pytest.mark.parametrize("kind", sorted(BAD_JSON))
def test_bad_json_save_gives_an_issue_and_is_never_overwritten(tmp_path, kind):
    bad, expected = BAD_JSON[kind]
    path = tmp_path / "default.json"
    path.write_bytes(bad)
    store, issue = open_profile(tmp_path)
    assert issue is not None and issue.kind == "corrupt"
    assert expected in issue.message
    assert str(path) in issue.message
    assert issue.backup is None and not issue.can_recover and issue.can_start_fresh
    _assert_read_only(store)
    assert path.read_bytes() == bad
    assert files(tmp_path) == ["default.json"]


@pytest.mark.parametrize("kind", BAD_DATABASES)
def test_bad_database_gives_an_issue_and_is_never_changed(tmp_path, kind):
    bad, expected = _bad_database(kind, tmp_path)
    path = tmp_path / "default.sqlite3"
    path.write_bytes(bad)
    store, issue = open_profile(tmp_path)
    assert issue is not None and issue.kind == "corrupt", issue
    assert expected in issue.message
    assert str(path) in issue.message
    assert issue.backup is None and not issue.can_recover and issue.can_start_fresh
    _assert_read_only(store)
    store.close()
    assert path.read_bytes() == bad
    assert [f for f in files(tmp_path) if f.startswith("default")] == ["default.sqlite3"] or kind in (
        "bad-row",
        "unchecked-status",
    )


@pytest.mark.parametrize("kind", BAD_DATABASES)
def test_recover_from_backup_keeps_the_bad_file_aside(tmp_path, kind):
    bad, _ = _bad_database(kind, tmp_path)
    store = fresh(tmp_path)
    store.record_attempt("a/e1", "one", "incorrect")  # the first write takes a backup
    store.record_attempt("a/e1", "two", "correct")
    store.close(backup=False)
    store.path.write_bytes(bad)
    store, issue = open_profile(tmp_path)
    assert issue is not None and issue.can_recover
    assert "0 solved, 1 attempts" in issue.backup.summary
    aside = store.recover_from_backup()
    assert aside is not None and aside.name.startswith("default.sqlite3.corrupt-")
    assert aside.read_bytes() == bad
    assert store.writable
    assert answers(store) == ["one"]
    assert answers(reopen(tmp_path)) == ["one"]
    store.record_attempt("a/e1", "three", "incorrect")
    assert answers(reopen(tmp_path)) == ["one", "three"]


def test_start_fresh_keeps_the_bad_file_and_the_old_backup(tmp_path):
    store = fresh(tmp_path)
    store.record_attempt("a/e1", "one", "incorrect")
    store.record_attempt("a/e1", "two", "incorrect")
    store.close()
    old_backup = store.paths.backup.read_bytes()
    store.path.write_bytes(b"garbage" * 20)
    store, issue = open_profile(tmp_path)
    aside = store.start_fresh()
    assert aside.read_bytes() == b"garbage" * 20
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("default.sqlite3.bak-")]
    assert [p.read_bytes() for p in kept] == [old_backup]
    assert reopen(tmp_path).profile.exercises == {}
    assert reopen(tmp_path).path.exists()  # a fresh database: the next open finds no problem
    store.record_attempt("b/e1", "x", "correct")
    store.close()  # a new backup; the kept copy is not touched
    assert [p.read_bytes() for p in kept] == [old_backup]


def test_unusable_backup_is_reported_not_offered(tmp_path):
    (tmp_path / "default.sqlite3").write_bytes(b"{" * 200)
    (tmp_path / "default.sqlite3.bak").write_bytes(b"")
    store, issue = open_profile(tmp_path)
    assert issue.backup is not None and not issue.backup.usable and not issue.can_recover
    assert "cannot be used either" in issue.message
    with pytest.raises(SaveFileError):
        store.recover_from_backup()
    assert (tmp_path / "default.sqlite3").read_bytes() == b"{" * 200


def _future_database(path: Path, version: int = 5) -> bytes:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE stars (exercise_id TEXT, stars INTEGER)")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    return path.read_bytes()


def test_future_database_is_read_only_and_untouched(tmp_path):
    path = tmp_path / "default.sqlite3"
    future = _future_database(path)
    stat = path.stat()
    _real_database(tmp_path)
    (tmp_path / "model.sqlite3").rename(tmp_path / "default.sqlite3.bak")
    store, issue = open_profile(tmp_path)
    assert issue.kind == "future"
    assert f"written by a newer tutor (schema 5; this one reads up to {database.VERSION})" in issue.message
    assert not issue.can_recover and not issue.can_start_fresh
    for change in (
        lambda: store.record_attempt("a/e1", "x", "incorrect"),
        store.recover_from_backup,
        store.start_fresh,
        store.export_text,
    ):
        with pytest.raises(ReadOnlyProfile):
            change()
    store.close()
    assert path.read_bytes() == future and path.stat().st_mtime_ns == stat.st_mtime_ns
    assert [f for f in files(tmp_path) if f.startswith("default")] == ["default.sqlite3", "default.sqlite3.bak"]
    assert [p.state for p in list_profiles(tmp_path) if p.name == "default"] == ["future"]


def test_future_json_save_is_read_only_and_not_migrated(tmp_path):
    future = b'{"schema_version": 5, "exercises": {"a/e1": {"stars": 3}}}'
    (tmp_path / "default.json").write_bytes(future)
    store, issue = open_profile(tmp_path)
    assert issue.kind == "future" and not issue.can_start_fresh
    with pytest.raises(ReadOnlyProfile):
        store.record_attempt("a/e1", "x", "incorrect")
    assert files(tmp_path) == ["default.json"]


def test_unreadable_file_is_left_alone(tmp_path):
    (tmp_path / "default.sqlite3").mkdir()  # the OS refuses to read it as a file
    store, issue = open_profile(tmp_path)
    assert issue.kind == "unreadable" and "cannot be read" in issue.message
    assert not issue.can_start_fresh and not issue.can_recover
    for change in (lambda: store.record_attempt("a/e1", "x", "incorrect"), store.start_fresh):
        with pytest.raises(ReadOnlyProfile):
            change()
    assert (tmp_path / "default.sqlite3").is_dir()
    assert [p.state for p in list_profiles(tmp_path)] == ["unreadable"]


def test_missing_database_with_a_backup_offers_it(tmp_path):
    store = fresh(tmp_path)
    store.record_attempt("a/e1", "one", "incorrect")  # backed up
    store.record_attempt("a/e1", "two", "incorrect")
    for p in tmp_path.glob("default.sqlite3*"):
        if not p.name.endswith((".bak", ".lock")):
            p.unlink()  # the database and its log are lost
    store, issue = open_profile(tmp_path)
    assert issue.kind == "missing" and issue.can_recover
    assert "anything recorded after it was taken is not in it" in issue.message
    [info] = list_profiles(tmp_path)
    assert info.state == "missing" and "tutor recover --backup" in info.summary
    assert store.recover_from_backup() is None  # nothing bad to keep aside
    assert answers(reopen(tmp_path)) == ["one"]


def test_database_going_bad_while_open_is_not_overwritten(tmp_path):
    store = fresh(tmp_path)
    store.record_attempt("a/e1", "one", "incorrect")
    bad = b'{"schema_version": 2, "exercises": 7}' * 4
    with open(store.path, "r+b") as f:  # someone writes over it in place
        f.write(bad)
        f.truncate()
    with pytest.raises(SaveFileError) as info:
        store.record_attempt("a/e1", "two", "incorrect")
    assert "not a tutor save database" in str(info.value)
    assert store.path.read_bytes() == bad
    assert store.issue is not None and not store.writable
    with pytest.raises(ReadOnlyProfile):
        store.record_attempt("a/e1", "two", "incorrect")


def test_another_tutor_repairing_the_save_resolves_the_issue(tmp_path):
    (tmp_path / "default.sqlite3").write_bytes(b"{" * 200)
    first, issue = open_profile(tmp_path)
    second, _ = open_profile(tmp_path)
    assert issue is not None
    second.start_fresh()
    assert first.recover_from_backup() is None  # sees the repaired file, moves nothing more
    assert first.writable
    assert len([p for p in tmp_path.iterdir() if ".corrupt-" in p.name]) == 1
    first.record_attempt("a/e1", "x", "incorrect")
    assert answers(second) == [] and second.refresh() and answers(second) == ["x"]


def test_a_backup_restored_by_another_tutor_is_followed(tmp_path):
    first = fresh(tmp_path)
    first.record_attempt("a/e1", "one", "incorrect")
    first.record_attempt("a/e1", "two", "incorrect")
    first.close(backup=False)
    first = fresh(tmp_path)
    (tmp_path / "default.sqlite3").write_bytes(b"x" * 200)
    second, issue = open_profile(tmp_path)
    second.recover_from_backup()  # a new file under the old name
    first.record_attempt("a/e1", "three", "incorrect")
    assert answers(reopen(tmp_path)) == ["one", "three"]
    assert answers(first) == ["one", "three"]


# --- migration from JSON saves and between database versions -----------------------------


def test_old_schema_json_save_migrates_on_open_and_the_original_is_kept(tmp_path):
    original = (FIXTURES / "v1.json").read_bytes()
    (tmp_path / "default.json").write_bytes(original)
    store = fresh(tmp_path)
    assert store.version_read == 1
    assert store.profile.exercises["chain-rule/e1"].status == "solved"
    assert not (tmp_path / "default.json").exists()
    assert (tmp_path / "default.json.migrated").read_bytes() == original
    assert store.path.exists()
    p = reopen(tmp_path).profile
    assert p.exercises["chain-rule/e3"].drafts == {"": "cos(x^2)*2x"}
    assert p.exercises["chain-rule/e2"].status == "solved"
    assert p.settings == {"theme": "dark"} and p.last_lesson == "chain-rule"
    store.record_attempt("chain-rule/e3", "2x*cos(x^2)", "correct")
    assert reopen(tmp_path).profile.exercises["chain-rule/e3"].status == "solved"


def test_current_json_save_migrates_with_nothing_lost(tmp_path):
    original = (FIXTURES / "v2.json").read_bytes()
    (tmp_path / "default.json").write_bytes(original)
    (tmp_path / "default.json.bak").write_bytes(original)  # an old backup is left as it was
    expected, _ = loads(original)
    store = fresh(tmp_path)
    assert store.profile == expected
    assert reopen(tmp_path).profile == expected
    exported = loads(reopen(tmp_path).export_text().encode())[0]
    assert dataclasses.replace(exported, practice=None) == expected
    assert exported.practice and {e.exercise for e in exported.practice} <= set(expected.exercises)  # derived history
    assert (tmp_path / "default.json.migrated").read_bytes() == original
    assert (tmp_path / "default.json.bak").read_bytes() == original
    assert [p.name for p in list_profiles(tmp_path)] == ["default"]


def test_a_migration_that_fails_leaves_the_json_save_to_migrate_again(tmp_path, monkeypatch):
    original = (FIXTURES / "v2.json").read_bytes()
    (tmp_path / "default.json").write_bytes(original)

    def fail(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(database, "write_changes", fail)
    store, issue = open_profile(tmp_path)
    assert issue.kind == "unreadable" and "default.json could not be moved" in issue.message
    assert store.profile == loads(original)[0]  # shown, though nothing can be saved
    with pytest.raises(ReadOnlyProfile):
        store.record_attempt("a/e1", "x", "incorrect")
    monkeypatch.undo()
    assert (tmp_path / "default.json").read_bytes() == original
    assert reopen(tmp_path).profile == loads(original)[0]
    assert not (tmp_path / "default.json").exists()


def test_a_json_save_beside_a_database_of_another_program_is_an_issue_not_a_crash(tmp_path):
    (tmp_path / "default.json").write_bytes((FIXTURES / "v2.json").read_bytes())
    other = _other_app_database(tmp_path)
    (tmp_path / "other.db").rename(tmp_path / "default.sqlite3")
    store, issue = open_profile(tmp_path)
    assert issue.kind == "corrupt" and "not a tutor save" in issue.message
    store.close()
    assert (tmp_path / "default.sqlite3").read_bytes() == other
    assert (tmp_path / "default.json").exists()


def test_a_migrated_json_save_left_in_place_by_a_crash_is_moved_aside_once(tmp_path):
    original = (FIXTURES / "v2.json").read_bytes()
    (tmp_path / "default.json").write_bytes(original)
    fresh(tmp_path).record_attempt("a/e1", "after", "incorrect")
    (tmp_path / "default.json").write_bytes(original)  # as if killed before the rename
    store = reopen(tmp_path)
    assert not (tmp_path / "default.json").exists()
    assert len(answers(store)) == 7  # the six of the fixture and the new one, not twice
    (tmp_path / "default.json").write_bytes(original.replace(b"cos(x^3)", b"other"))
    reopen(tmp_path)
    assert (tmp_path / "default.json").exists()  # not the file it was made from: left alone


def test_missing_json_save_with_a_json_backup_offers_it(tmp_path):
    (tmp_path / "default.json.bak").write_bytes((FIXTURES / "v2.json").read_bytes())
    store, issue = open_profile(tmp_path)
    assert issue.kind == "missing" and issue.can_recover
    assert [p.state for p in list_profiles(tmp_path)] == ["missing"]
    store.recover_from_backup()
    assert reopen(tmp_path).profile.exercises["chain-rule/e1"].status == "solved"


def test_an_older_database_migrates_to_the_current_version_in_one_place(tmp_path, monkeypatch):
    store = fresh(tmp_path)
    store.record_attempt("a/e1", "kept", "correct")
    store.close()
    # A later version adds the review log: one more entry in MIGRATIONS, nothing else.
    current = database.VERSION
    table = "CREATE TABLE reviews (exercise_id TEXT NOT NULL, time TEXT NOT NULL) STRICT"
    monkeypatch.setattr(database, "MIGRATIONS", {**database.MIGRATIONS, current: (table,)})
    monkeypatch.setattr(database, "VERSION", current + 1)
    store = reopen(tmp_path)
    assert answers(store) == ["kept"]
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == current + 1
    assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 0
    conn.close()
    monkeypatch.undo()  # this tutor is now older than the file
    store, issue = open_profile(tmp_path)
    assert issue.kind == "future" and f"schema {current + 1}; this one reads up to {current}" in issue.message


def test_a_database_from_before_variants_gets_the_seed_column_and_keeps_its_attempts(tmp_path):
    store = fresh(tmp_path)
    store.record_attempt("a/e1", "old", "incorrect")
    store.close(backup=False)
    conn = sqlite3.connect(store.path, isolation_level=None)  # back to the version before: no seed column
    conn.execute("ALTER TABLE attempts DROP COLUMN seed")
    conn.execute(f"PRAGMA user_version = {database.VERSION - 1}")
    conn.close()
    store = reopen(tmp_path)
    assert [(a.answer, a.seed) for a in store.profile.exercises["a/e1"].attempts] == [("old", 0)]
    store.record_attempt("a/e1", "new", "correct", seed=7)
    store.close()
    assert [(a.answer, a.seed) for a in reopen(tmp_path).profile.exercises["a/e1"].attempts] == [("old", 0), ("new", 7)]


def test_every_database_version_has_a_migration():
    assert sorted(database.MIGRATIONS) == list(range(database.VERSION))


# --- two writers ---------------------------------------------------------------------------


def test_two_stores_in_one_process_lose_nothing(tmp_path):
    a = fresh(tmp_path)
    b = fresh(tmp_path)
    for i in range(5):
        a.record_attempt("x/e1", f"a{i}", "incorrect")
        b.record_attempt("x/e1", f"b{i}", "incorrect")
        b.set_position("x", i)
    assert len(answers(reopen(tmp_path))) == 10
    assert len(answers(a)) == 9  # a's view is as of its last write...
    assert a.refresh() is True  # ...until it looks again
    assert sorted(answers(a)) == sorted(answers(b))


WRITER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {root!r})
    from tutor.progress.store import open_profile
    store, issue = open_profile(sys.argv[1], "shared")
    assert issue is None, issue
    print("ready", flush=True)
    sys.stdin.readline()  # start together
    for i in range(int(sys.argv[3])):
        store.record_attempt(f"x/e{{i % 3}}", f"{{sys.argv[2]}}-{{i}}", "incorrect")
        if i % 7 == 0:
            store.record_hint(f"x/e{{i % 3}}", 1)
    """
)


def test_two_processes_on_one_profile_lose_no_update(tmp_path):
    n = 40
    script = WRITER.format(root=str(ROOT))
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(tmp_path), tag, str(n)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for tag in ("p", "q")
    ]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        assert proc.wait(timeout=120) == 0
    store = reopen(tmp_path, "shared")
    got = answers(store)
    assert len(got) == 2 * n
    assert set(got) == {f"{t}-{i}" for t in "pq" for i in range(n)}


def test_a_stuck_lock_holder_is_named(tmp_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, time
                sys.path.insert(0, {str(ROOT)!r})
                from tutor.progress.store import ProgressStore
                store = ProgressStore({str(tmp_path)!r}, "default")
                with store._locked():
                    print("locked", flush=True)
                    time.sleep(30)
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        store, _ = open_profile(tmp_path, lock_timeout=0.3)
        started = time.monotonic()
        with pytest.raises(ProfileBusy) as info:
            store.record_attempt("a/e1", "x", "incorrect")
        assert time.monotonic() - started < 5
        assert f"process {holder.pid}" in str(info.value)
    finally:
        holder.kill()
        holder.wait()
    store.record_attempt("a/e1", "x", "incorrect")  # a killed holder's lock is released by the OS
    assert answers(reopen(tmp_path)) == ["x"]


# --- reset and undo --------------------------------------------------------------------------


def _three(store: ProgressStore) -> None:
    store.record_attempt("a/e1", "1", "correct")
    store.record_attempt("a/e2", "2", "incorrect")
    store.record_attempt("b/e1", "3", "correct")
    store.set_position("a", 2, 5.0)
    store.set_setting("theme", "dark")


def test_reset_exercise_and_undo(tmp_path):
    store = fresh(tmp_path)
    _three(store)
    assert store.reset_exercise("a/e1") is True
    assert "a/e1" not in reopen(tmp_path).profile.exercises
    assert store.can_undo_reset()
    assert store.undo_reset() is True
    p = reopen(tmp_path).profile
    assert p.exercises["a/e1"].status == "solved"
    assert not store.can_undo_reset()
    assert store.undo_reset() is False


def test_reset_lesson_and_all(tmp_path):
    store = fresh(tmp_path)
    _three(store)
    assert store.reset_lesson("a") is True
    p = reopen(tmp_path).profile
    assert set(p.exercises) == {"b/e1"} and "a" not in p.lessons
    assert store.reset_lesson("a") is False
    assert store.reset_all() is True
    p = reopen(tmp_path).profile
    assert p.exercises == {} and p.lessons == {} and p.settings == {"theme": "dark"}
    store.undo_reset()  # undoes the last reset: everything but lesson a comes back
    assert set(reopen(tmp_path).profile.exercises) == {"b/e1"}


def test_undo_keeps_progress_made_after_the_reset(tmp_path):
    store = fresh(tmp_path)
    _three(store)
    store.reset_all()
    store.record_attempt("a/e1", "again", "incorrect")
    store.record_attempt("c/e1", "new", "correct")
    store.undo_reset()
    p = reopen(tmp_path).profile
    assert p.exercises["a/e1"].status == "solved"
    assert [a.answer for a in p.exercises["a/e1"].attempts] == ["1", "again"]
    assert p.exercises["c/e1"].status == "solved"
    assert p.lessons["a"].page == 2 and p.last_lesson == "a"


def test_reset_of_nothing_writes_nothing(tmp_path):
    store = fresh(tmp_path)
    assert store.reset_all() is False
    assert not store.path.exists() and not store.can_undo_reset()
    store.record_attempt("a/e1", "1", "correct")
    assert store.reset_exercise("zzz/e9") is False
    assert not store.can_undo_reset()
    assert store.undo_reset() is False


# --- export and import -----------------------------------------------------------------------


def test_export_import_merge_never_downgrades(tmp_path):
    home = fresh(tmp_path / "home", "me")
    home.record_attempt("a/e1", "right", "correct")  # solved at home
    home.record_attempt("a/e2", "wrong", "incorrect")
    laptop = fresh(tmp_path / "laptop", "me")
    laptop.record_attempt("a/e1", "wrong", "incorrect")
    laptop.record_reveal("a/e1")  # revealed on the laptop: must not downgrade home's solve
    laptop.record_hint("a/e2", 1)
    laptop.record_attempt("a/e2", "right", "correct")  # solved with help on the laptop
    exported, _ = loads(laptop.export_text().encode())

    summary = home.import_profile(exported)
    assert (summary.exercises_added, summary.newly_solved, summary.attempts_added) == (0, 1, 2)
    p = reopen(tmp_path / "home", "me").profile
    assert p.exercises["a/e1"].status == "solved"
    assert p.exercises["a/e1"].revealed is True
    assert p.exercises["a/e2"].status == "solved-with-help"
    assert sorted(a.answer for a in p.exercises["a/e1"].attempts) == ["right", "wrong"]

    again = home.import_profile(exported)  # importing twice adds nothing
    assert (again.exercises_added, again.newly_solved, again.attempts_added) == (0, 0, 0)
    assert len(reopen(tmp_path / "home", "me").profile.exercises["a/e1"].attempts) == 2


# --- profiles --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["default", "alice", "Bob_2", "x-y", "a" * 40, "0"])
def test_good_profile_names(name):
    assert validate_profile_name(name) == name


@pytest.mark.parametrize(
    "name", ["", "../x", "a/b", "a\\b", ".hidden", "a b", "a" * 41, "é", "con", "NUL", "lpt1", "x.json", "~"]
)
def test_bad_profile_names(tmp_path, name):
    with pytest.raises(ProfileNameError) as info:
        open_profile(tmp_path, name)
    assert repr(name) in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_list_profiles(tmp_path):
    fresh(tmp_path, "alice").record_attempt("a/e1", "1", "correct")
    (tmp_path / "bob.sqlite3").write_bytes(b"{" * 200)
    _future_database(tmp_path / "carol.sqlite3", 9)
    (tmp_path / "dave.json").write_bytes((FIXTURES / "v2.json").read_bytes())
    (tmp_path / "erin.json").write_bytes(b"{")
    fresh(tmp_path, "fay").record_attempt("a/e1", "1", "correct")
    for p in tmp_path.glob("fay.sqlite3*"):
        if not p.name.endswith((".bak", ".lock")):
            p.unlink()
    (tmp_path / "not a profile.sqlite3").write_bytes(b"{}")
    (tmp_path / "gus.sqlite3.corrupt-20260101T000000Z").write_bytes(b"{}")
    found = {p.name: p for p in list_profiles(tmp_path)}
    assert set(found) == {"alice", "bob", "carol", "dave", "erin", "fay"}
    assert found["alice"].state == "ok" and found["alice"].summary.startswith("1 solved, 1 attempts")
    assert found["bob"].state == "corrupt"
    assert found["carol"].state == "future" and "schema 9" in found["carol"].summary
    assert found["dave"].state == "ok" and found["dave"].summary.startswith("1 solved, 6 attempts")
    assert found["erin"].state == "corrupt"
    assert found["fay"].state == "missing" and "1 solved, 1 attempts" in found["fay"].summary
    assert (tmp_path / "dave.json").exists() and not (tmp_path / "dave.sqlite3").exists()  # listing changes nothing
    assert list_profiles(tmp_path / "nowhere") == []


def test_profiles_are_separate(tmp_path):
    fresh(tmp_path, "alice").record_attempt("a/e1", "1", "correct")
    fresh(tmp_path, "bob").record_attempt("a/e1", "2", "incorrect")
    assert answers(reopen(tmp_path, "alice")) == ["1"]
    assert reopen(tmp_path, "bob").profile.exercises["a/e1"].status == "attempted"


def test_refresh_picks_up_another_process_writes(tmp_path):
    ui = fresh(tmp_path)
    assert ui.refresh() is False
    fresh(tmp_path).record_attempt("a/e1", "from elsewhere", "correct")
    assert ui.refresh() is True
    assert answers(ui) == ["from elsewhere"]


def test_export_is_the_whole_profile_as_json(tmp_path):
    store = fresh(tmp_path)
    store.record_attempt("a/e1", "1", "correct")
    store.set_position("a", 1)
    exported = loads(store.export_text().encode())[0]
    assert dataclasses.replace(exported, practice=None) == reopen(tmp_path).profile == store.profile
    assert [e.row for e in exported.practice] == store.practice_events()  # and its practice history
    with_events = dataclasses.replace(store.profile, practice=exported.practice)
    assert store.export_text().encode() == encode(with_events)
    assert model.totals(store.profile).solved == 1


def test_another_program_reading_the_database_never_loses_a_later_write(tmp_path):
    """Closing any descriptor of a file drops every POSIX lock the process holds on it. Were the
    store to open and close the database to read its header, another program's connection would
    believe it was the last one when it closed, and delete the WAL our connection still writes
    to: every later attempt would vanish without an error."""
    import subprocess
    import sys

    store, issue = open_profile(tmp_path)
    assert issue is None
    store.record_attempt("a/e1", "1", "correct", time="2026-03-02T09:00:00+00:00")
    store.record_attempt("a/e2", "1", "correct", time="2026-03-02T09:00:30+00:00")
    reader = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
              "print(c.execute('select count(*) from attempts').fetchone()[0]); c.close()")
    main = store.path
    out = subprocess.run([sys.executable, "-c", reader, str(main)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "2"
    assert main.with_name(main.name + "-wal").exists()  # still ours: the reader was not the last
    store.record_attempt("a/e3", "1", "correct", time="2026-03-02T09:01:00+00:00")
    out = subprocess.run([sys.executable, "-c", reader, str(main)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "3"
    store.close(backup=False)
    again, issue = open_profile(tmp_path)
    assert issue is None and sorted(again.profile.exercises) == ["a/e1", "a/e2", "a/e3"]
    again.close(backup=False)
