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


# -- a review sitting is one episode, multi-part exercises included --------------------------------


def _outcome_of(store: ProgressStore, exercise: str, review: bool = True):
    from tutor.practice.episodes import Event, outcomes
    from tutor.progress.model import parse_time

    events = [Event(parse_time(t), e, w, r, s) for e, t, w, r, s in store.practice_events() if e == exercise]
    return [o for o in outcomes(events) if o.review == review]


def test_a_review_completes_only_when_every_part_is_right_in_that_sitting(tmp_path):
    store = fresh(tmp_path)
    parts = ("a", "b")
    store.record_attempt("a/e1", "1", "correct", part="a", parts=parts, time=T.format(1))
    store.record_attempt("a/e1", "2", "correct", part="b", parts=parts, time=T.format(1))
    assert whats(store) == [("a/e1", "partial"), ("a/e1", "correct")]  # the lesson: solved
    # Days later, a review: part a right is not the whole card, though the lesson solved both.
    store.record_shown("a/e1", time=T.format(4), seed=3)
    store.record_attempt("a/e1", "1", "correct", part="a", parts=parts, time=T.format(4), review=True, seed=3)
    assert whats(store)[-1] == ("a/e1", "partial")
    store.record_attempt("a/e1", "9", "incorrect", part="b", parts=parts, time=T.format(4), review=True, seed=3)
    store.record_attempt("a/e1", "2", "correct", part="b", parts=parts, time=T.format(4), review=True, seed=3)
    assert [w for e, _t, w, r, _s in store.practice_events() if r] == ["shown", "partial", "wrong", "correct"]
    (review,) = _outcome_of(store, "a/e1")
    assert review.solved and review.wrong == 1 and review.seed == 3  # one episode, Hard: a wrong part between
    from fsrs import Rating
    from tutor.practice.rating import rate
    assert rate(review, "numeric") == Rating.Hard


def test_a_review_sitting_right_first_time_in_every_part_is_good(tmp_path):
    from fsrs import Rating
    from tutor.practice.rating import rate

    store = fresh(tmp_path)
    parts = ("a", "b")
    store.record_attempt("a/e1", "1", "correct", part="a", parts=parts, time=T.format(1))
    store.record_attempt("a/e1", "2", "correct", part="b", parts=parts, time=T.format(1))
    store.record_shown("a/e1", time="2026-03-05T10:00:00+00:00")
    store.record_attempt("a/e1", "1", "correct", part="a", parts=parts, time="2026-03-05T10:09:00+00:00", review=True)
    store.record_attempt("a/e1", "2", "correct", part="b", parts=parts, time="2026-03-05T10:10:00+00:00", review=True)
    (review,) = _outcome_of(store, "a/e1")
    assert review.first_try and rate(review, "numeric") == Rating.Good


def test_the_episode_rule_reads_only_this_episode():
    from tutor.progress.model import episode_parts, practice_event

    lesson = [(T.format(1), "partial", False), (T.format(1), "correct", False)]
    answers = [(T.format(1), "a"), (T.format(1), "b")]
    assert episode_parts(lesson, answers) == set()  # after the solve, a new episode starts empty
    assert episode_parts([], answers) == {"a", "b"}  # no episode ended yet: the whole history
    shown = [*lesson, (T.format(3), "shown", True)]
    assert episode_parts(shown, [*answers, (T.format(3), "a")]) == {"a"}  # from the moment it was shown
    assert episode_parts([(T.format(3), "shown", False)], answers) == {"a", "b"}  # a lesson's look is no sitting
    assert practice_event("correct", "b", ("a", "b"), {"a"}) == "correct"
    assert practice_event("correct", "b", ("a", "b"), set()) == "partial"
    assert practice_event("correct", "", ("",), set()) == "correct"
    assert practice_event("incorrect", "a", ("a", "b"), {"a", "b"}) == "wrong"
    assert practice_event("invalid", "a", ("a", "b"), set()) is None


# -- reset, export, import ----------------------------------------------------------------------------


def _history(store: ProgressStore) -> None:
    store.record_attempt("a/e1", "x", "incorrect", time=T.format(1))
    store.record_attempt("a/e1", "y", "correct", time=T.format(1))
    store.record_attempt("a/e2", "y", "correct", time=T.format(1), seed=2)
    store.record_shown("a/e2", time=T.format(3), seed=4)
    store.record_hint("a/e2", 1, time=T.format(3), review=True, seed=4)
    store.record_attempt("a/e2", "z", "correct", time=T.format(3), review=True, seed=4)
    store.record_attempt("b/e1", "1", "correct", time=T.format(2))
    store.set_setting("daily_goal", 80)
    store.set_setting("streak", True)


def test_resetting_an_exercise_a_lesson_or_everything_forgets_its_practice_events(tmp_path):
    store = fresh(tmp_path)
    _history(store)
    everything = store.practice_events()
    assert store.reset_exercise("a/e2")
    assert {e for e, *_ in store.practice_events()} == {"a/e1", "b/e1"}
    assert store.undo_reset()
    assert store.practice_events() == everything  # undo brings the events back, each once
    assert store.reset_lesson("a")
    assert {e for e, *_ in store.practice_events()} == {"b/e1"}
    assert store.undo_reset() and store.practice_events() == everything
    assert store.reset_all()
    assert store.practice_events() == []
    assert store.profile.settings == {"daily_goal": 80, "streak": True}  # settings stay
    store.close()
    assert fresh(tmp_path).practice_events() == []


def test_a_reset_of_an_exercise_with_only_events_still_forgets_them(tmp_path):
    store = fresh(tmp_path)
    store.record_shown("a/e1", time=T.format(1))  # served in a review, then skipped: no record
    assert store.reset_exercise("a/e1") and store.practice_events() == []


def test_export_then_import_carries_every_practice_event_and_the_game_settings(tmp_path):
    from tutor.progress.schema import loads

    source = fresh(tmp_path / "a")
    _history(source)
    text = source.export_text()
    exported, _ = loads(text.encode())
    assert [e.row for e in exported.practice] == source.practice_events()
    assert exported.settings["daily_goal"] == 80 and exported.settings["streak"] is True
    target = fresh(tmp_path / "b")
    target.import_profile(exported)
    assert target.practice_events() == source.practice_events()  # events in == events out
    assert target.profile.settings["daily_goal"] == 80
    target.import_profile(exported)  # again: nothing twice
    assert target.practice_events() == source.practice_events()
    # A JSON save moved in (no database yet) keeps them too.
    moved = tmp_path / "c"
    moved.mkdir()
    (moved / "default.json").write_text(text, "utf-8")
    assert fresh(moved).practice_events() == source.practice_events()


def test_an_old_json_export_without_events_still_loads_and_derives_them(tmp_path):
    import json

    from tutor.progress.schema import loads

    source = fresh(tmp_path / "a")
    _history(source)
    data = json.loads(source.export_text())
    del data["practice_events"]
    old, _ = loads(json.dumps(data).encode())
    assert old.practice is None
    target = fresh(tmp_path / "b")
    target.import_profile(old)
    derived = target.practice_events()
    assert sorted((e, w, r) for e, _t, w, r, _s in derived) == [  # from the attempts, as before events existed
        ("a/e1", "correct", False), ("a/e1", "wrong", False), ("a/e2", "correct", False), ("a/e2", "correct", False),
        ("a/e2", "hint", False), ("b/e1", "correct", False)]


def test_bad_practice_events_in_json_are_refused_with_their_place():
    import pytest

    from tutor.progress.errors import SchemaError
    from tutor.progress.schema import loads

    bad = b'{"schema_version": 2, "practice_events": [{"exercise": "a/e1", "time": "x", "what": "correct"}]}'
    with pytest.raises(SchemaError, match="time"):
        loads(bad)
    worse = b'{"schema_version": 2, "practice_events": [{"exercise": "a/e1", "time": "2026-03-01T10:00:00+00:00", "what": "eval"}]}'
    with pytest.raises(SchemaError) as caught:
        loads(worse)
    assert caught.value.where == "practice_events[0].what"
