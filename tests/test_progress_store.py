"""The store on disk: durable writes, backups, bad files, locking, reset/undo, import, profiles."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tutor.checking.verdict import Verdict
from tutor.progress import fileio, model
from tutor.progress.errors import ProfileBusy, ProfileNameError, ReadOnlyProfile, SaveFileError
from tutor.progress.schema import encode, loads
from tutor.progress.store import ProgressStore, list_profiles, open_profile, record_check, validate_profile_name

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


def test_record_check_refuses_when_the_file_is_bad(tmp_path):
    (tmp_path / "default.json").write_bytes(b"{oops")
    from tutor.lessons.model import Exercise

    exercise = Exercise("a/e1", "numeric", "p", (), (), "", 1, "h")
    with pytest.raises(SaveFileError) as info:
        record_check(tmp_path, "default", exercise, "", "1", Verdict("correct", ""))
    assert "not saved" in str(info.value)
    assert (tmp_path / "default.json").read_bytes() == b"{oops"


def test_previous_good_file_is_kept_as_backup(tmp_path):
    store = fresh(tmp_path)
    store.record_attempt("a/e1", "one", "incorrect")
    first = store.path.read_bytes()
    assert not store.paths.backup.exists()
    store.record_attempt("a/e1", "two", "incorrect")
    assert store.paths.backup.read_bytes() == first
    assert loads(store.paths.backup.read_bytes())[0].exercise("a/e1").attempts[0].answer == "one"


def test_unchanged_draft_writes_nothing(tmp_path):
    store = fresh(tmp_path)
    store.set_draft("a/e1", "x")
    before = store.path.stat()
    store.set_draft("a/e1", "x")
    store.set_position("a", 0)
    after_position = store.path.stat()
    store.set_position("a", 0)
    assert before.st_ino != after_position.st_ino  # the position did write
    assert store.path.stat().st_ino == after_position.st_ino  # the repeats did not


def test_non_utf8_terminal_input_is_saved_and_read_back(tmp_path):
    store = fresh(tmp_path)
    store.record_attempt("a/e1", "x\udcff²", "invalid")  # surrogateescape'd bytes from a terminal
    assert answers(reopen(tmp_path)) == ["x\udcff²"]


# --- atomic writes -------------------------------------------------------------------------


def test_failure_before_replace_leaves_the_old_file(tmp_path, monkeypatch):
    store = fresh(tmp_path)
    store.record_attempt("a/e1", "kept", "incorrect")
    good = store.path.read_bytes()
    real_replace = os.replace

    def crash(src, dst):
        if Path(dst) == store.path:
            raise OSError(28, "No space left on device")  # as if the process died right here
        real_replace(src, dst)

    monkeypatch.setattr(fileio.os, "replace", crash)
    with pytest.raises(OSError):
        store.record_attempt("a/e1", "lost", "incorrect")
    monkeypatch.undo()
    assert store.path.read_bytes() == good
    assert answers(reopen(tmp_path)) == ["kept"]
    assert fileio.stale_temporaries(store.path) == []  # the temporary file was cleaned up


def test_torn_temporary_file_from_a_killed_writer_is_ignored_then_removed(tmp_path):
    store = fresh(tmp_path)
    store.record_attempt("a/e1", "kept", "incorrect")
    torn = store.path.with_name(store.path.name + ".tmp-99999-deadbeef")
    torn.write_bytes(store.path.read_bytes()[:40])  # a write cut short by SIGKILL
    other = reopen(tmp_path)
    assert answers(other) == ["kept"]
    other.record_attempt("a/e1", "next", "incorrect")
    assert not torn.exists()
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
BAD_FILES = {
    "corrupt": (b'{"schema_version": 2, "exercises": {"a/e1": {"status": "solved",,}}}', "line 1"),
    "truncated": (GOOD[: len(GOOD) // 2], "truncated"),
    "empty": (b"", "empty"),
    "wrong-type": (b"[1, 2, 3]", "expected an object, got a list"),
    "wrong-field-type": (GOOD.replace(b'"hints_used": 2', b'"hints_used": "two"'), "hints_used"),
    "nul-bytes": (b"\x00" * 512, "NUL bytes"),
    "hand-edited": (GOOD.replace(b'"status": "revealed"', b'"status": "done"'), "exercises['chain-rule/e2'].status"),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_bad_file_gives_an_issue_and_is_never_overwritten(tmp_path, kind):
    bad, expected = BAD_FILES[kind]
    path = tmp_path / "default.json"
    path.write_bytes(bad)
    store, issue = open_profile(tmp_path)
    assert issue is not None and issue.kind == "corrupt"
    assert expected in issue.message
    assert str(path) in issue.message
    assert issue.backup is None and not issue.can_recover and issue.can_start_fresh
    assert not store.writable
    for change in (
        lambda: store.record_attempt("a/e1", "x", "incorrect"),
        lambda: store.record_hint("a/e1", 1),
        lambda: store.set_draft("a/e1", "x"),
        lambda: store.reset_all(),
    ):
        with pytest.raises(ReadOnlyProfile):
            change()
    assert path.read_bytes() == bad
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == ["default.json"]


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_recover_from_backup_keeps_the_bad_file_aside(tmp_path, kind):
    bad, _ = BAD_FILES[kind]
    store = fresh(tmp_path)
    store.record_attempt("a/e1", "one", "incorrect")
    store.record_attempt("a/e1", "two", "correct")  # .bak now holds "one"
    store.path.write_bytes(bad)
    store, issue = open_profile(tmp_path)
    assert issue is not None and issue.can_recover
    assert "1 attempts" in issue.backup.summary or "0 solved, 1 attempts" in issue.backup.summary
    aside = store.recover_from_backup()
    assert aside is not None and aside.name.startswith("default.json.corrupt-")
    assert aside.read_bytes() == bad
    assert store.writable
    assert answers(reopen(tmp_path)) == ["one"]
    store.record_attempt("a/e1", "three", "incorrect")
    assert answers(reopen(tmp_path)) == ["one", "three"]


def test_start_fresh_keeps_the_bad_file_and_the_old_backup(tmp_path):
    store = fresh(tmp_path)
    store.record_attempt("a/e1", "one", "incorrect")
    store.record_attempt("a/e1", "two", "incorrect")
    old_backup = store.paths.backup.read_bytes()
    store.path.write_bytes(b"garbage")
    store, issue = open_profile(tmp_path)
    aside = store.start_fresh()
    assert aside.read_bytes() == b"garbage"
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("default.json.bak-")]
    assert [p.read_bytes() for p in kept] == [old_backup]
    assert reopen(tmp_path).profile.exercises == {}
    store.record_attempt("b/e1", "x", "correct")
    store.record_attempt("b/e1", "y", "correct")  # twice, so .bak is replaced; the kept copy is not
    assert [p.read_bytes() for p in kept] == [old_backup]


def test_unusable_backup_is_reported_not_offered(tmp_path):
    (tmp_path / "default.json").write_bytes(b"{")
    (tmp_path / "default.json.bak").write_bytes(b"")
    store, issue = open_profile(tmp_path)
    assert issue.backup is not None and not issue.backup.usable and not issue.can_recover
    assert "cannot be used either" in issue.message
    with pytest.raises(SaveFileError):
        store.recover_from_backup()
    assert (tmp_path / "default.json").read_bytes() == b"{"


def test_future_version_is_read_only_and_untouched(tmp_path):
    future = b'{"schema_version": 5, "exercises": {"a/e1": {"stars": 3}}}'
    path = tmp_path / "default.json"
    path.write_bytes(future)
    (tmp_path / "default.json.bak").write_bytes(GOOD)
    store, issue = open_profile(tmp_path)
    assert issue.kind == "future"
    assert "save file was written by a newer tutor (schema 5; this one reads up to 2)" in issue.message
    assert not issue.can_recover and not issue.can_start_fresh
    for change in (
        lambda: store.record_attempt("a/e1", "x", "incorrect"),
        store.recover_from_backup,
        store.start_fresh,
        store.export_text,
    ):
        with pytest.raises(ReadOnlyProfile):
            change()
    assert path.read_bytes() == future
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == [
        "default.json",
        "default.json.bak",
    ]


def test_unreadable_file_is_left_alone(tmp_path):
    (tmp_path / "default.json").mkdir()  # the OS refuses to read it as a file
    store, issue = open_profile(tmp_path)
    assert issue.kind == "unreadable" and "cannot be read" in issue.message
    assert not issue.can_start_fresh and not issue.can_recover
    for change in (lambda: store.record_attempt("a/e1", "x", "incorrect"), store.start_fresh):
        with pytest.raises(ReadOnlyProfile):
            change()
    assert (tmp_path / "default.json").is_dir()
    assert [p.state for p in list_profiles(tmp_path)] == ["unreadable"]


def test_missing_file_with_a_backup_offers_it(tmp_path):
    store = fresh(tmp_path)
    store.record_attempt("a/e1", "one", "incorrect")
    store.record_attempt("a/e1", "two", "incorrect")
    store.path.unlink()
    store, issue = open_profile(tmp_path)
    assert issue.kind == "missing" and issue.can_recover
    assert store.recover_from_backup() is None  # nothing bad to keep aside
    assert answers(reopen(tmp_path)) == ["one"]


def test_file_going_bad_while_open_is_not_overwritten(tmp_path):
    store = fresh(tmp_path)
    store.record_attempt("a/e1", "one", "incorrect")
    store.path.write_bytes(b'{"schema_version": 2, "exercises": 7}')  # someone edits it badly
    with pytest.raises(SaveFileError) as info:
        store.record_attempt("a/e1", "two", "incorrect")
    assert info.value.where == "exercises"
    assert store.path.read_bytes() == b'{"schema_version": 2, "exercises": 7}'
    assert store.issue is not None and not store.writable
    with pytest.raises(ReadOnlyProfile):
        store.record_attempt("a/e1", "two", "incorrect")


def test_another_tutor_repairing_the_file_resolves_the_issue(tmp_path):
    (tmp_path / "default.json").write_bytes(b"{")
    first, issue = open_profile(tmp_path)
    second, _ = open_profile(tmp_path)
    assert issue is not None
    second.start_fresh()
    assert first.recover_from_backup() is None  # sees the repaired file, moves nothing more
    assert first.writable
    assert len([p for p in tmp_path.iterdir() if ".corrupt-" in p.name]) == 1


# --- migration through the store ------------------------------------------------------------


def test_old_schema_file_migrates_and_the_original_is_kept(tmp_path):
    original = (FIXTURES / "v1.json").read_bytes()
    (tmp_path / "default.json").write_bytes(original)
    store = fresh(tmp_path)
    assert store.version_read == 1
    assert store.profile.exercises["chain-rule/e1"].status == "solved"
    assert (tmp_path / "default.json").read_bytes() == original  # reading does not rewrite
    store.record_attempt("chain-rule/e3", "2x*cos(x^2)", "correct")
    assert (tmp_path / "default.json.schema1").read_bytes() == original
    assert json.loads(store.path.read_text("utf-8"))["schema_version"] == 2
    p = reopen(tmp_path).profile
    assert p.exercises["chain-rule/e3"].status == "solved"
    assert p.exercises["chain-rule/e3"].drafts == {"": "cos(x^2)*2x"}
    assert p.exercises["chain-rule/e2"].status == "solved"


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
    (tmp_path / "bob.json").write_bytes(b"{")
    (tmp_path / "carol.json").write_bytes(b'{"schema_version": 9}')
    (tmp_path / "not a profile.json").write_bytes(b"{}")
    (tmp_path / "alice.json.bak").write_bytes(b"{}")
    found = {p.name: p for p in list_profiles(tmp_path)}
    assert set(found) == {"alice", "bob", "carol"}
    assert found["alice"].state == "ok" and found["alice"].summary.startswith("1 solved, 1 attempts")
    assert found["bob"].state == "corrupt"
    assert found["carol"].state == "future" and "schema 9" in found["carol"].summary
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


def test_encoded_profile_is_what_is_on_disk(tmp_path):
    store = fresh(tmp_path)
    store.record_attempt("a/e1", "1", "correct")
    assert store.path.read_bytes() == encode(store.profile)
    assert model.totals(store.profile).solved == 1
