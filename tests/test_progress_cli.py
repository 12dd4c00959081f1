"""`tutor progress`, `reset`, `export`, `import`, `profiles`, `recover` through the CLI dispatcher."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest

from tutor.checking.spec import ExerciseSpec
from tutor.checking.verdict import Verdict
from tutor.cli import main
from tutor.commands import saves
from tutor.lessons.model import Course, Exercise, ExercisePart, Lesson, Page, Part
from tutor.progress.report import course_report
from tutor.progress.store import open_profile


def exercise(exercise_id: str, content_hash: str = "h") -> Exercise:
    spec = ExerciseSpec("numeric", answer="1")
    return Exercise(exercise_id, "numeric", "p", (ExercisePart("", "p", spec),), ("h",), "s", 1, content_hash)


def lesson(lesson_id: str, part: int, n: int) -> Lesson:
    exercises = tuple(exercise(f"{lesson_id}/e{i}") for i in range(1, n + 1))
    pages = (Page("p", exercises),)
    return Lesson(lesson_id, f"Title of {lesson_id}", part, (), 10, (), pages, Path(f"{lesson_id}.md"))


COURSE = Course(
    parts=(Part(1, "Foundations", ("limits", "slope")), Part(2, "Rules", ("chain-rule",))),
    lessons={
        "limits": lesson("limits", 1, 2),
        "slope": lesson("slope", 1, 3),
        "chain-rule": lesson("chain-rule", 2, 4),
    },
)


@pytest.fixture
def save(tmp_path, monkeypatch):
    monkeypatch.setattr(saves, "_course", lambda args: COURSE)
    monkeypatch.delenv("TUTOR_SAVE_DIR", raising=False)
    return tmp_path


def run(save: Path, *argv: str, stdin: str = "") -> int:
    import sys

    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        return main([*argv, "--save-dir", str(save)])
    finally:
        sys.stdin = old


def seed(save: Path, profile: str = "default"):
    store, issue = open_profile(save, profile)
    assert issue is None
    store.record_attempt("limits/e1", "1", "correct", content_hash="h")
    store.record_attempt("limits/e2", "5", "incorrect")
    store.record_hint("chain-rule/e1", 1)
    store.record_attempt("chain-rule/e1", "1", "correct", content_hash="old-hash")
    store.record_reveal("chain-rule/e2")
    store.record_attempt("removed/e1", "1", "correct")
    return store


def test_progress_json(save, capsys):
    seed(save)
    assert run(save, "progress", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["solved"], data["total"]) == (2, 9)
    assert [(p["number"], p["solved"], p["total"]) for p in data["parts"]] == [(1, 1, 5), (2, 1, 4)]
    limits, slope = data["parts"][0]["lessons"]
    assert (limits["id"], limits["solved"], limits["total"], limits["attempted"]) == ("limits", 1, 2, 1)
    assert (slope["solved"], slope["total"]) == (0, 3)
    chain = data["parts"][1]["lessons"][0]
    assert (chain["solved_with_help"], chain["revealed"]) == (1, 1)
    assert data["changed"] == ["chain-rule/e1"]
    assert data["unknown"] == ["removed/e1"]
    assert data["totals"]["attempts"] == 4 and data["totals"]["solved"] == 3
    assert data["save_file"] == str(save / "default.sqlite3")


def test_progress_text(save, capsys):
    seed(save)
    assert run(save, "progress") == 0
    out = capsys.readouterr().out
    assert "Solved 2 of 9 exercises" in out
    assert "Part 1  Foundations" in out
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("  ") and line.split()}
    assert lines["limits"].rstrip().endswith("1/2")
    assert lines["chain-rule"].rstrip().endswith("1/4  *")
    assert "changed since solved" in out and "    chain-rule/e1" in out
    assert "no longer in the course: removed/e1" in out


def test_progress_of_an_empty_profile(save, capsys):
    assert run(save, "progress", "--json", "--profile", "new") == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["solved"], data["total"], data["saved"]) == (0, 9, False)
    assert not (save / "new.sqlite3").exists()


def test_progress_on_a_corrupt_file_says_what_and_where(save, capsys):
    (save / "default.json").write_bytes(b'{"schema_version": 2, "exercises": {"a/e1": {"status": 3}}}')
    assert run(save, "progress") == 1
    err = capsys.readouterr().err
    assert f"{save / 'default.json'}: exercises['a/e1'].status: expected one of" in err
    assert "tutor recover --fresh" in err


def test_report_counts_match_the_course():
    from tutor.progress.model import apply_attempt, new_profile

    p = new_profile("x")
    apply_attempt(p, "slope/e3", "1", "correct", content_hash="h")
    report = course_report(COURSE, p)
    assert (report.solved, report.total, report.changed, report.unknown) == (1, 9, (), ())
    assert report.parts[0].lessons[1].solved == 1


# --- reset ---------------------------------------------------------------------------------


def exported(save: Path) -> str:
    store, issue = open_profile(save)
    assert issue is None
    return store.export_text()


def test_reset_asks_and_a_no_changes_nothing(save, capsys):
    seed(save)
    before = exported(save)
    assert run(save, "reset", "limits/e1", stdin="n\n") == 1
    assert "Reset limits/e1 (solved, 1 attempts, and its review history) in profile 'default'?" in capsys.readouterr().out
    assert exported(save) == before
    assert run(save, "reset", "limits/e1") == 1  # no answer at all (stdin closed) is a no
    assert exported(save) == before


def test_reset_exercise_lesson_all_and_undo(save, capsys):
    seed(save)
    assert run(save, "reset", "limits/e1", stdin="y\n") == 0
    assert "limits/e1" not in open_profile(save)[0].profile.exercises
    assert run(save, "reset", "--undo") == 0
    assert open_profile(save)[0].profile.exercises["limits/e1"].status == "solved"
    assert run(save, "reset", "chain-rule", "--yes") == 0
    assert not any(i.startswith("chain-rule/") for i in open_profile(save)[0].profile.exercises)
    assert run(save, "reset", "--all", "--yes") == 0
    assert open_profile(save)[0].profile.exercises == {}
    assert run(save, "reset", "--undo") == 0
    assert set(open_profile(save)[0].profile.exercises) == {"limits/e1", "limits/e2", "removed/e1"}
    assert run(save, "reset", "--undo") == 1
    assert "no reset to undo" in capsys.readouterr().err


def test_reset_refuses_unknown_targets_and_bad_combinations(save, capsys):
    seed(save)
    assert run(save, "reset", "nope/e1", "--yes") == 1
    assert "no exercise 'nope/e1'" in capsys.readouterr().err
    assert run(save, "reset", "nope", "--yes") == 1
    assert "no lesson 'nope'" in capsys.readouterr().err
    assert run(save, "reset", "limits/e1", "--all", "--yes") == 1
    assert run(save, "reset", "limits/e1#a", "--yes") == 1
    assert run(save, "reset", "slope/e1", "--yes") == 0  # in the course, but nothing to reset
    assert "nothing to reset" in capsys.readouterr().out
    assert "limits/e1" in open_profile(save)[0].profile.exercises


# --- export / import -------------------------------------------------------------------------


def test_export_to_stdout_and_file(save, capsys, tmp_path):
    store = seed(save)
    assert run(save, "export") == 0
    out = capsys.readouterr().out
    assert json.loads(out)["exercises"]["limits/e1"]["status"] == "solved"
    target = tmp_path / "out" / "mine.json"
    assert run(save, "export", str(target)) == 0
    assert target.read_text("utf-8") == store.export_text()
    assert run(save, "export", str(target)) == 1  # exists: not overwritten without --force
    assert "--force" in capsys.readouterr().err
    assert run(save, "export", str(target), "--force") == 0


def test_import_merges_and_never_downgrades(save, capsys, tmp_path):
    seed(save)
    other_dir = tmp_path / "laptop"
    laptop, _ = open_profile(other_dir, "default")
    laptop.record_attempt("limits/e1", "9", "incorrect")  # unsolved there, solved here
    laptop.record_attempt("limits/e2", "2", "correct")  # solved there only
    laptop.record_attempt("slope/e1", "x", "incorrect")
    assert run(other_dir, "export", str(tmp_path / "laptop.json")) == 0
    assert run(save, "import", str(tmp_path / "laptop.json")) == 0
    assert "1 new exercises, 1 newly solved, 3 attempts added" in capsys.readouterr().out
    p = open_profile(save)[0].profile
    assert p.exercises["limits/e1"].status == "solved"
    assert p.exercises["limits/e2"].status == "solved"
    assert p.exercises["slope/e1"].status == "attempted"


def test_import_of_a_bad_file_changes_nothing(save, capsys, tmp_path):
    seed(save)
    before = exported(save)
    bad = tmp_path / "bad.json"
    attempt = {"time": 1, "answer": "x", "status": "correct"}
    bad.write_text(json.dumps({"schema_version": 2, "exercises": {"a/e1": {"attempts": [attempt]}}}))
    assert run(save, "import", str(bad)) == 1
    err = capsys.readouterr().err
    assert "exercises['a/e1'].attempts[0].time: expected a string" in err and "nothing was imported" in err
    assert run(save, "import", str(tmp_path / "missing.json")) == 1
    future = tmp_path / "future.json"
    future.write_text('{"schema_version": 3}')
    assert run(save, "import", str(future)) == 1
    assert "newer tutor" in capsys.readouterr().err
    assert run(save, "import", str(save / "default.sqlite3")) == 1  # the database is not an export
    assert "nothing was imported" in capsys.readouterr().err
    assert exported(save) == before


# --- profiles / recover ----------------------------------------------------------------------


def test_profiles(save, capsys):
    assert run(save, "profiles") == 0
    assert "No profiles" in capsys.readouterr().out
    seed(save, "alice")
    (save / "bob.json").write_bytes(b"")
    assert run(save, "profiles", "--profile", "alice") == 0
    out = capsys.readouterr().out
    assert "* alice  3 solved, 4 attempts" in out
    assert "  bob    UNREADABLE: the file is empty" in out
    assert run(save, "profiles", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert [(p["name"], p["state"]) for p in data["profiles"]] == [("alice", "ok"), ("bob", "corrupt")]


def test_recover_from_the_command_line(save, capsys):
    store = seed(save)
    store.backup()
    store.record_attempt("slope/e1", "last", "incorrect")
    store.close(backup=False)
    (save / "default.sqlite3").write_bytes(b"\x00" * 4096)
    assert run(save, "recover", "--backup") == 0
    out = capsys.readouterr().out
    assert "Restored profile 'default' from its backup; the unreadable file was kept as" in out
    restored = open_profile(save)[0].profile
    assert restored.exercises["removed/e1"].status == "solved"
    assert "slope/e1" not in restored.exercises  # recorded after the backup: said so when offered
    assert run(save, "recover", "--fresh") == 0
    assert "nothing to recover" in capsys.readouterr().out
    for p in save.glob("default.sqlite3*"):
        if not p.name.endswith(".lock"):
            p.unlink()
    conn = sqlite3.connect(save / "default.sqlite3")
    conn.execute("PRAGMA user_version = 7")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = (save / "default.sqlite3").read_bytes()
    assert run(save, "recover", "--fresh") == 1
    assert "newer tutor (schema 7" in capsys.readouterr().err
    assert (save / "default.sqlite3").read_bytes() == before


def test_a_missing_save_with_a_backup_is_listed_and_explained_the_same_everywhere(save, capsys):
    from tutor.progress.errors import SaveFileError
    from tutor.progress.store import record_check

    store = seed(save)
    store.close()  # takes the backup
    for p in save.glob("default.sqlite3*"):
        if not p.name.endswith((".bak", ".lock")):
            p.unlink()
    assert run(save, "profiles") == 0
    out = capsys.readouterr().out
    assert "No profiles" not in out
    assert "* default  MISSING: the save file is missing; a backup is available (3 solved, 4 attempts" in out
    assert "`tutor recover --backup` restores it" in out
    assert run(save, "progress") == 1
    err = capsys.readouterr().err
    assert "the save file is missing" in err and "tutor recover --backup" in err
    with pytest.raises(SaveFileError) as info:
        record_check(save, "default", exercise("limits/e2"), "", "1", Verdict("correct", "Yes"))
    assert "the save file is missing" in str(info.value) and "tutor recover --backup" in str(info.value)
    assert run(save, "recover", "--backup") == 0
    assert run(save, "profiles") == 0
    assert "* default  3 solved, 4 attempts" in capsys.readouterr().out


def test_bad_profile_name_is_a_clear_error(save, capsys):
    assert run(save, "progress", "--profile", "../escape") == 1
    assert "profile name '../escape' is not allowed" in capsys.readouterr().err
    assert not (save.parent / "escape.json").exists()
