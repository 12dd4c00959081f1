"""Exercise status transitions, the other pure changes, and merging."""

from __future__ import annotations

import pytest

from tutor.progress import model
from tutor.progress.model import (
    EVENTS,
    STATUSES,
    TRANSITIONS,
    apply_attempt,
    apply_draft,
    apply_hint,
    apply_position,
    apply_reveal,
    apply_setting,
    changed_since_solved,
    merge_profiles,
    new_profile,
    next_status,
)

# Written out by hand, independently of the table in model.py.
EXPECTED = {
    ("unseen", "wrong"): "attempted",
    ("unseen", "partial"): "attempted",
    ("unseen", "correct"): "solved",
    ("unseen", "correct-helped"): "solved-with-help",
    ("unseen", "hint"): "attempted",
    ("unseen", "reveal"): "revealed",
    ("attempted", "wrong"): "attempted",
    ("attempted", "partial"): "attempted",
    ("attempted", "correct"): "solved",
    ("attempted", "correct-helped"): "solved-with-help",
    ("attempted", "hint"): "attempted",
    ("attempted", "reveal"): "revealed",
    **{("revealed", e): "revealed" for e in EVENTS},
    **{("solved-with-help", e): "solved-with-help" for e in EVENTS},
    **{("solved", e): "solved" for e in EVENTS},
}

T0 = "2026-11-21T10:00:00.000000+00:00"
T1 = "2026-11-21T10:01:00.000000+00:00"
T2 = "2026-11-21T10:02:00.000000+00:00"


def test_the_table_covers_every_status_and_event():
    assert set(TRANSITIONS) == {(s, e) for s in STATUSES for e in EVENTS}


@pytest.mark.parametrize(("status", "event"), sorted(EXPECTED))
def test_every_transition(status, event):
    assert next_status(status, event) == EXPECTED[(status, event)]


def test_no_transition_downgrades_a_solved_exercise():
    for status in ("solved", "solved-with-help"):
        for event in EVENTS:
            assert model.STATUS_RANK[next_status(status, event)] >= model.STATUS_RANK[status]


# --- the same transitions, driven through the recording functions -------------------------


def test_wrong_answer_marks_attempted_and_keeps_the_attempt():
    p = new_profile("t")
    r = apply_attempt(p, "chain-rule/e1", "cos(x^3)", "incorrect", diagnosis="missing-inner", message="No", time=T0)
    assert r.status == "attempted"
    assert r.attempts == [model.Attempt(T0, "cos(x^3)", "incorrect", "", "missing-inner", "No")]
    assert r.first_solved is None


def test_invalid_answer_also_counts_as_an_attempt():
    p = new_profile("t")
    assert apply_attempt(p, "a/e1", "sin(", "invalid").status == "attempted"


def test_correct_without_help_is_solved_with_time_and_hash():
    p = new_profile("t")
    apply_attempt(p, "a/e1", "1", "incorrect", time=T0)
    r = apply_attempt(p, "a/e1", "2", "correct", content_hash="h1", time=T1)
    assert (r.status, r.first_solved, r.solved_hash) == ("solved", T1, "h1")


def test_hint_before_solving_gives_solved_with_help():
    p = new_profile("t")
    assert apply_hint(p, "a/e1", 2).status == "attempted"
    r = apply_attempt(p, "a/e1", "2", "correct")
    assert r.status == "solved-with-help"
    assert r.hints_used == 2


def test_reveal_before_solving_stays_revealed_after_a_correct_answer():
    p = new_profile("t")
    assert apply_reveal(p, "a/e1", content_hash="h").status == "revealed"
    r = apply_attempt(p, "a/e1", "2", "correct", content_hash="h2")
    assert r.status == "revealed"
    assert r.first_solved is None
    assert r.solved_hash == "h"  # the content it was finished (revealed) under


def test_nothing_after_solving_downgrades_it():
    p = new_profile("t")
    apply_attempt(p, "a/e1", "2", "correct", content_hash="h1", time=T0)
    apply_attempt(p, "a/e1", "3", "incorrect", time=T1)
    apply_hint(p, "a/e1", 3)
    r = apply_reveal(p, "a/e1", content_hash="h2")
    assert r.status == "solved"
    assert r.revealed is True and r.hints_used == 3
    assert (r.first_solved, r.solved_hash) == (T0, "h1")  # the first solve is what counts
    assert len(r.attempts) == 2


def test_parts_complete_the_exercise_only_when_all_are_correct():
    p = new_profile("t")
    r = apply_attempt(p, "a/e4", "x", "correct", part="a", parts=("a", "b"))
    assert r.status == "attempted"
    assert r.parts_solved == ["a"]
    r = apply_attempt(p, "a/e4", "y", "incorrect", part="b", parts=("a", "b"))
    assert r.status == "attempted"
    r = apply_attempt(p, "a/e4", "z", "correct", part="b", parts=("a", "b"))
    assert r.status == "solved"
    assert r.parts_solved == ["a", "b"]


def test_bad_inputs_are_refused():
    p = new_profile("t")
    with pytest.raises(ValueError):
        apply_attempt(p, "a/e1", "x", "right")
    with pytest.raises(ValueError):
        apply_hint(p, "a/e1", 0)
    with pytest.raises(ValueError):
        apply_attempt(p, "", "x", "correct")
    assert p.exercises == {}


def test_changed_since_solved():
    p = new_profile("t")
    r = apply_attempt(p, "a/e1", "2", "correct", content_hash="h1")
    assert not changed_since_solved(r, "h1")
    assert changed_since_solved(r, "h2")
    open_one = apply_attempt(p, "a/e2", "2", "incorrect", content_hash="h1")
    assert not changed_since_solved(open_one, "h2")  # nothing finished, nothing to flag
    migrated = model.ExerciseProgress(status="solved")  # hash unknown (schema 1)
    assert not changed_since_solved(migrated, "h2")


def test_drafts_positions_settings_report_whether_they_changed():
    p = new_profile("t")
    assert apply_draft(p, "a/e1", "") is False
    assert "a/e1" not in p.exercises  # an empty draft creates no record
    assert apply_draft(p, "a/e1", "cos") is True
    assert apply_draft(p, "a/e1", "cos") is False
    assert apply_draft(p, "a/e1", "") is True
    assert p.exercises["a/e1"].drafts == {}
    assert apply_position(p, "a", 2, 3.5, "a/e1") is True
    assert apply_position(p, "a", 2, 3.5, "a/e1") is False
    assert p.last_lesson == "a"
    assert apply_setting(p, "theme", "dark") is True
    assert apply_setting(p, "theme", "dark") is False
    with pytest.raises(ValueError):
        apply_position(p, "a", -1)


def test_resets():
    p = new_profile("t")
    apply_attempt(p, "a/e1", "1", "correct")
    apply_attempt(p, "a/e2", "1", "correct")
    apply_attempt(p, "b/e1", "1", "correct")
    apply_position(p, "a", 1)
    apply_setting(p, "theme", "dark")
    assert model.reset_exercise(p, "a/e1") is True
    assert model.reset_exercise(p, "a/e1") is False
    assert model.reset_lesson(p, "a") is True
    assert set(p.exercises) == {"b/e1"} and p.lessons == {} and p.last_lesson is None
    assert model.reset_lesson(p, "a") is False
    assert model.reset_all(p) is True
    assert p.exercises == {} and p.settings == {"theme": "dark"}
    assert model.reset_all(p) is False


def test_copy_is_independent():
    p = new_profile("t")
    apply_attempt(p, "a/e1", "1", "incorrect")
    q = p.copy()
    apply_attempt(q, "a/e1", "2", "correct")
    apply_draft(q, "a/e1", "x")
    assert len(p.exercises["a/e1"].attempts) == 1
    assert p.exercises["a/e1"].status == "attempted" and p.exercises["a/e1"].drafts == {}


# --- merging -------------------------------------------------------------------------------


def test_merge_never_downgrades_either_way():
    solved = new_profile("s")
    apply_attempt(solved, "a/e1", "2", "correct", time=T1)
    tried = new_profile("t")
    apply_attempt(tried, "a/e1", "3", "incorrect", time=T0)
    apply_reveal(tried, "a/e1")
    for ours, theirs in ((solved, tried), (tried, solved)):
        merged = merge_profiles(ours, theirs)
        r = merged.exercises["a/e1"]
        assert r.status == "solved"
        assert [a.answer for a in r.attempts] == ["3", "2"]  # united, in time order
        assert r.revealed is True
        assert r.first_solved == T1


def test_merge_is_idempotent_and_takes_the_best_facts():
    a = new_profile("a")
    apply_attempt(a, "x/e1", "1", "incorrect", time=T0)
    apply_hint(a, "x/e1", 1)
    apply_attempt(a, "x/e1", "2", "correct", time=T2, content_hash="new")
    b = new_profile("b")
    apply_attempt(b, "x/e1", "2", "correct", time=T1, content_hash="old")
    apply_hint(b, "x/e1", 3)
    once = merge_profiles(a, b)
    twice = merge_profiles(once, b)
    assert once == twice
    r = once.exercises["x/e1"]
    assert r.status == "solved"  # b solved without help before its hint
    assert r.solved_hash == "old"  # the hash belongs to the status that won
    assert r.first_solved == T1
    assert r.hints_used == 3
    assert len(r.attempts) == 3


def test_merge_positions_settings_and_drafts():
    ours = new_profile("o")
    apply_position(ours, "a", 1, time=T1)
    apply_setting(ours, "theme", "dark")
    apply_draft(ours, "a/e1", "mine")
    theirs = new_profile("t")
    apply_position(theirs, "a", 5, time=T2)
    apply_position(theirs, "b", 2, time=T0)
    apply_setting(theirs, "theme", "light")
    apply_setting(theirs, "width", 80)
    apply_draft(theirs, "a/e1", "theirs")
    apply_draft(theirs, "a/e2", "other")
    merged = merge_profiles(ours, theirs)
    assert merged.lessons["a"].page == 5  # the later position
    assert merged.lessons["b"].page == 2
    assert merged.settings == {"theme": "dark", "width": 80}
    assert merged.exercises["a/e1"].drafts == {"": "mine"}
    assert merged.exercises["a/e2"].drafts == {"": "other"}
    assert ours.lessons["a"].page == 1  # inputs untouched


def test_totals():
    p = new_profile("t")
    apply_attempt(p, "a/e1", "1", "correct")
    apply_hint(p, "a/e2", 2)
    apply_attempt(p, "a/e2", "1", "correct")
    apply_reveal(p, "a/e3")
    apply_attempt(p, "a/e4", "1", "incorrect")
    t = model.totals(p)
    assert (t.exercises, t.solved, t.solved_with_help, t.revealed, t.attempted, t.attempts, t.hints) == (
        4, 2, 1, 1, 1, 3, 2,
    )
