"""The practice events in the save store: written with every attempt, hint, reveal and shown, in
the same transaction; old saves migrate with events derived from their history."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tutor.progress import database
from tutor.progress.store import ProgressStore, open_profile

T = "2026-03-0{}T10:00:00+00:00"


def fresh(tmp_path: Path) -> ProgressStore:
    store, issue = open_profile(tmp_path)
    assert issue is None
    return store


def whats(store: ProgressStore) -> list[tuple[str, str]]:
    return [(e, w) for e, _t, w, _r, _s in store.practice_events()]


def test_every_attempt_hint_reveal_and_shown_writes_one_event(tmp_path):
    store = fresh(tmp_path)
    store.record_shown("a/e1", time=T.format(1), seed=7)
    store.record_attempt("a/e1", "x", "incorrect", time=T.format(1), review=True, seed=7)
    store.record_attempt("a/e1", "?", "invalid", time=T.format(1))  # unreadable: no event
    store.record_hint("a/e1", 1, time=T.format(1))
    store.record_attempt("a/e2", "1", "correct", part="a", parts=("a", "b"), time=T.format(2))
    store.record_attempt("a/e2", "2", "correct", part="b", parts=("a", "b"), time=T.format(2))
    store.record_reveal("a/e3", time=T.format(3))
    assert whats(store) == [("a/e1", "shown"), ("a/e1", "wrong"), ("a/e1", "hint"),
                            ("a/e2", "partial"), ("a/e2", "correct"), ("a/e3", "reveal")]
    first = store.practice_events()[0]
    assert first == ("a/e1", T.format(1), "shown", True, 7)
    assert store.practice_events()[1][3:] == (True, 7)
    store.close()
    again = fresh(tmp_path)
    assert len(again.practice_events()) == 6


def test_an_event_commits_with_its_attempt_or_not_at_all(tmp_path, monkeypatch):
    store = fresh(tmp_path)
    store.record_attempt("a/e1", "x", "incorrect", time=T.format(1))

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(database, "add_event", broken)
    try:
        store.record_attempt("a/e1", "y", "correct", time=T.format(2))
    except Exception:
        pass
    monkeypatch.undo()
    store.close()
    again = fresh(tmp_path)
    assert [a.answer for a in again.profile.exercises["a/e1"].attempts] == ["x"]
    assert whats(again) == [("a/e1", "wrong")]


def _version_one_save(path: Path) -> None:
    """A save as the tutor before practice events wrote it."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    for statement in database.MIGRATIONS[0]:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO profile VALUES (1, ?, ?, NULL, 5, NULL)", (T.format(1), T.format(6)))
    rows = [
        ("a/e1", "solved", 0, 0, T.format(2), "[\"\"]"),
        ("a/e2", "solved-with-help", 2, 0, T.format(3), "[\"\"]"),
        ("a/e3", "revealed", 0, 1, None, "[]"),
        ("a/e4", "attempted", 1, 0, None, "[]"),  # a hint, never answered
    ]
    for eid, status, hints, revealed, solved, parts in rows:
        conn.execute("INSERT INTO exercises VALUES (?, ?, ?, ?, ?, NULL, ?, '{}')", (eid, status, hints, revealed, solved, parts))
    attempts = [
        ("a/e1", T.format(1), "incorrect"), ("a/e1", T.format(1), "invalid"), ("a/e1", T.format(2), "correct"),
        ("a/e2", T.format(3), "correct"), ("a/e3", T.format(4), "incorrect"), ("a/e1", T.format(5), "correct"),
    ]
    for eid, time, status in attempts:
        conn.execute("INSERT INTO attempts (exercise_id, time, part, answer, status, diagnosis, message) "
                     "VALUES (?, ?, '', 'x', ?, NULL, '')", (eid, time, status))
    conn.execute("COMMIT")
    conn.close()


def test_an_old_save_migrates_with_its_history_as_events_and_loses_nothing(tmp_path):
    _version_one_save(tmp_path / "default.sqlite3")
    store = fresh(tmp_path)
    assert sum(len(r.attempts) for r in store.profile.exercises.values()) == 6
    events = [(e, t, w) for e, t, w, _r, _s in store.practice_events()]
    assert events == [
        ("a/e1", T.format(1), "wrong"),
        ("a/e1", T.format(2), "correct"),
        ("a/e2", T.format(3), "hint"),  # hints just before the first attempt, one per rung
        ("a/e2", T.format(3), "hint"),
        ("a/e2", T.format(3), "correct"),
        ("a/e3", T.format(4), "wrong"),
        ("a/e3", T.format(4), "reveal"),  # at the last attempt
        ("a/e1", T.format(5), "correct"),  # solved again later
        ("a/e4", T.format(6), "hint"),  # no attempt: the save's last change
    ]
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == database.VERSION
    conn.close()
    store.record_attempt("a/e4", "y", "correct", time=T.format(7))
    assert whats(store)[-1] == ("a/e4", "correct")
    assert len(store.practice_events()) == 10  # the migration does not run twice


def test_a_json_save_moved_in_counts_its_history(tmp_path):
    store = fresh(tmp_path)
    store.record_attempt("a/e1", "x", "correct", time=T.format(1))
    text = store.export_text()
    store.close()
    other = tmp_path / "other"
    other.mkdir()
    (other / "default.json").write_text(text, "utf-8")
    moved = fresh(other)
    assert whats(moved) == [("a/e1", "correct")]


def test_an_imported_history_counts_for_exercises_that_had_none(tmp_path):
    source = fresh(tmp_path / "a")
    source.record_attempt("a/e1", "x", "incorrect", time=T.format(1))
    source.record_attempt("a/e1", "y", "correct", time=T.format(2))
    other = source.profile
    target = fresh(tmp_path / "b")
    target.record_attempt("b/e1", "z", "correct", time=T.format(3))
    target.import_profile(other)
    assert whats(target) == [("a/e1", "wrong"), ("a/e1", "correct"), ("b/e1", "correct")]
    target.import_profile(other)  # again: nothing new, no event twice
    assert len(target.practice_events()) == 3
