"""`tutor validate`, `tutor lessons` and `tutor check` on the fixture courses."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from lessonkit import FIXTURES
from tutor.cli import main
from tutor.commands import course as course_command

LESSONS = FIXTURES / "lessons"
BROKEN = FIXTURES / "broken"
VERDICT_FIELDS = {"exercise", "status", "interpreted", "message", "diagnosis", "elapsed_ms"}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# -- tutor validate ------------------------------------------------------------------------------


def test_validate_clean_course(capsys):
    code, out, _ = run(capsys, "validate", str(LESSONS))
    assert code == 0
    lines = out.splitlines()
    assert lines[-1].endswith(" exercises: 0 errors, 0 warnings")
    assert len(lines) == 1  # chains/e4 is a code exercise, playable now: no "not yet playable" warning


def test_validate_broken_course(capsys):
    code, out, _ = run(capsys, "validate", str(BROKEN), "--no-self-check")
    assert code == 1
    lines = out.splitlines()
    assert lines[-1] == "9 lessons, 2 exercises: 7 errors, 2 warnings"
    assert lines[0].endswith("broken/course.yaml:12: lesson file missing.md not found (listed in course.yaml)")
    assert any(line.endswith("bad-yaml.md:11: bad YAML: mapping values are not allowed in this context; "
                             "put text that contains ': ' in quotes") for line in lines)
    assert any(line.endswith("stray.md:1: warning: 'stray' is not listed in course.yaml, so it is not in the course")
               for line in lines)
    for line in lines[:-1]:
        path, number, message = line.split(":", 2)
        assert path.endswith(".md") or path.endswith("course.yaml")
        assert int(number) >= 1 and message.startswith(" ")


def test_validate_uses_the_lessons_option_by_default(capsys):
    code, out, _ = run(capsys, "validate", "--lessons", str(BROKEN), "--no-self-check")
    assert code == 1 and "9 lessons" in out.splitlines()[-1]


def test_validate_paths_are_relative_to_the_current_folder(capsys, monkeypatch):
    monkeypatch.chdir(FIXTURES)
    _, out, _ = run(capsys, "validate", str(BROKEN), "--no-self-check")
    assert out.splitlines()[0].startswith("broken/course.yaml:12:")


# -- tutor lessons -------------------------------------------------------------------------------


def test_lessons_json_outline(capsys):
    code, out, _ = run(capsys, "lessons", "--json", "--lessons", str(LESSONS))
    assert code == 0
    data = json.loads(out)
    assert [p["number"] for p in data["parts"]] == [1, 2]
    slopes = data["parts"][0]["lessons"][0]
    assert {k: slopes[k] for k in ("id", "title", "minutes", "requires", "broken")} == {
        "id": "slopes", "title": "Slopes and derivatives", "minutes": 10, "requires": [], "broken": False
    }
    assert slopes["exercises"][1] == {
        "id": "slopes/e2", "kind": "choice", "prompt": "dL/dw = +2.5. Gradient descent should:", "parts": []
    }
    assert slopes["exercises"][4]["parts"] == ["a", "b"]
    assert data["parts"][1]["lessons"][0]["requires"] == ["slopes"]


def test_lessons_text_outline(capsys):
    code, out, _ = run(capsys, "lessons", "--lessons", str(LESSONS))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Part 1. Slopes"
    assert lines[1] == "  slopes: Slopes and derivatives (10 min)"
    assert "numeric" in lines[2] and "What is the slope of y = x² at x = 3?" in lines[2]
    assert "  chains: Chains (5 min; requires slopes)" in lines


def test_lessons_marks_broken_lessons(capsys):
    _, out, _ = run(capsys, "lessons", "--lessons", str(BROKEN))
    assert "  empty: empty (BROKEN: run tutor validate)" in out.splitlines()


# -- tutor check ---------------------------------------------------------------------------------


@pytest.fixture
def attempts(monkeypatch):
    """Attempts passed to the progress-store hook."""
    seen = []
    monkeypatch.setattr(course_command, "record_attempt", lambda args, attempt: seen.append(attempt))
    return seen


def check(capsys, *argv: str) -> tuple[int, str, str]:
    return run(capsys, "check", "--lessons", str(LESSONS), *argv)


def test_check_correct(capsys, attempts):
    code, out, _ = check(capsys, "slopes/e3", "3x^2 cos(x^3)")
    assert code == 0
    assert out.startswith("✓ correct: slopes/e3\nread as:")
    assert len(attempts) == 1 and attempts[0].exercise.id == "slopes/e3" and attempts[0].verdict.correct


def test_check_incorrect_shows_the_authors_message_and_a_counterexample(capsys, attempts):
    code, out, _ = check(capsys, "slopes/e3", "cos(x^3)")
    assert code == 1
    assert out.startswith("✗ incorrect: slopes/e3")
    assert "Multiply by the inner derivative 3x²." in out
    assert "counterexample: at x = " in out


def test_check_invalid_shows_where(capsys, attempts):
    code, out, _ = check(capsys, "slopes/e3", "sin(x^^2)")
    assert code == 2
    assert out.splitlines()[:3] == ["? invalid: slopes/e3", "  sin(x^^2)", "        ^"]


def test_check_json(capsys, attempts):
    code, out, _ = check(capsys, "slopes/e5#b", "24", "--json")
    assert code == 0
    data = json.loads(out)
    assert VERDICT_FIELDS <= set(data)
    assert data["exercise"] == "slopes/e5#b" and data["status"] == "correct"
    assert attempts[0].part.key == "b"


def test_check_json_vector_entries(capsys, attempts):
    code, out, _ = check(capsys, "slopes/e4", "[-4, 0, 5]", "--json")
    assert code == 1
    data = json.loads(out)
    assert [entry["correct"] for entry in data["entries"]] == [True, True, False]


def test_check_choice_by_letter(capsys, attempts):
    assert check(capsys, "slopes/e2", "b")[0] == 0
    assert check(capsys, "slopes/e2", "a")[0] == 1


def test_check_exercise_with_parts_needs_a_key(capsys, attempts):
    code, _, err = check(capsys, "slopes/e5", "6")
    assert code == 2
    assert "slopes/e5 has parts; give one of: slopes/e5#a, slopes/e5#b" in err
    assert attempts == []


def test_check_unknown_exercise(capsys, attempts):
    code, out, err = check(capsys, "slopes/e99", "1")
    assert code == 2 and "no exercise 'slopes/e99'" in err
    code, out, _ = check(capsys, "slopes/e99", "1", "--json")
    assert code == 2 and json.loads(out)["diagnosis"] == "unknown-exercise"


def test_check_needs_both_arguments(capsys):
    with pytest.raises(SystemExit) as info:
        main(["check", "slopes/e1"])
    assert info.value.code == 2


def test_check_batch(monkeypatch, capsys, attempts):
    requests = [
        {"exercise": "slopes/e1", "answer": "6"},
        {"exercise": "slopes/e1", "answer": "9"},
        "not json",
        {"exercise": "slopes/e5", "answer": "6"},
        {"exercise": "chains/e1", "answer": "2x + h"},
        {"exercise": "chains/e4", "answer": "x"},
        {"exercise": "slopes/e1"},
    ]
    lines = [r if isinstance(r, str) else json.dumps(r) for r in requests]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines[:3]) + "\n\n" + "\n".join(lines[3:]) + "\n"))
    code, out, _ = run(capsys, "check", "--batch", "--lessons", str(LESSONS))
    assert code == 0
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["status"] for r in results] == ["correct", "incorrect", "invalid", "invalid", "correct", "incorrect",
                                              "invalid"]
    assert [r["diagnosis"] for r in results][2:4] == ["bad-request", "needs-part"]
    assert results[5]["diagnosis"].startswith("code-")  # the code ran in the sandbox and failed its test
    assert results[1]["message"].startswith("That is the value x², not the slope.")
    assert all(VERDICT_FIELDS <= set(r) for r in results)
    assert len(attempts) == 4  # only answers that reached an engine


def test_check_batch_refuses_positional_arguments(capsys):
    with pytest.raises(SystemExit):
        main(["check", "--batch", "slopes/e1"])


def test_the_installed_command(tmp_path):
    """The real entry point, in its own process, as a script would call it."""
    env = {**os.environ, "TUTOR_SAVE_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "tutor", "check", "--lessons", str(LESSONS), "slopes/e1", "6", "--json"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["status"] == "correct"
    from tutor.progress import open_profile

    assert open_profile(tmp_path)[0].profile.exercises["slopes/e1"].status == "solved"


def test_no_save_writes_nothing(tmp_path):
    env = {**os.environ, "TUTOR_SAVE_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "tutor", "check", "--lessons", str(LESSONS), "slopes/e1", "5", "--no-save"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert list(tmp_path.iterdir()) == []


def test_check_takes_an_answer_that_starts_with_a_minus(capsys, attempts):
    code, out, err = check(capsys, "slopes/e3", "-3x^2 cos(x^3)")
    assert code == 1 and out.startswith("✗ incorrect: slopes/e3"), err
    assert "unrecognized arguments" not in err
