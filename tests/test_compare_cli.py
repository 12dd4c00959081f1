"""`tutor compare`, run as a learner's script would: a real process, exit codes and JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def tutor(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tutor", *args], input=stdin, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize(
    ("args", "code", "status"),
    [
        (["x^2 + 2x + 1", "(x+1)^2"], 0, "equivalent"),
        (["x^2/3", "0.333333333333333x^2"], 1, "different"),
        (["x^2", "2x + )"], 2, "invalid"),
        (["sin(x^3)", "3x^2 cos(x^3)", "--mode", "derivative"], 0, "equivalent"),
        (["2x", "x^2 + C", "--mode", "antiderivative"], 0, "equivalent"),
        (["a x^2", "2 a x", "--vars", "a,x", "--var", "x", "--mode", "derivative"], 0, "equivalent"),
        (["60", "59", "--mode", "numeric"], 1, "different"),
        (["60", "59", "--mode", "numeric", "--rel-tol", "0.05"], 0, "equivalent"),
        (["0", "1e-7", "--mode", "numeric", "--abs-tol", "1e-6"], 0, "equivalent"),
        (["sqrt(x)", "1/(2 sqrt(x))", "--mode", "derivative", "--domain", "x>0"], 0, "equivalent"),
        (["X", "x"], 2, "invalid"),  # names are case-sensitive
    ],
)
def test_exit_codes_and_json(args, code, status):
    result = tutor("compare", *args, "--json")
    assert result.returncode == code, result.stderr
    data = json.loads(result.stdout)
    assert data["status"] == status
    assert set(data) >= {"status", "interpreted", "message", "diagnosis", "counterexample", "elapsed_ms"}


def test_human_output_shows_reading_and_diagnosis():
    result = tutor("compare", "sin(x^3)", "cos(x^3)", "--mode", "derivative")
    assert result.returncode == 1
    assert result.stdout.startswith("different")
    assert "read as:" in result.stdout
    assert "forgot to multiply by the derivative of the inside" in result.stdout


def test_batch_answers_every_line_in_one_process():
    lines = [
        {"expected": "x^2", "answer": "x*x"},
        {"expected": "sin(x^3)", "answer": "cos(x^3)", "mode": "derivative"},
        {"expected": "60", "answer": "60", "mode": "numeric"},
        {"expected": "x", "answer": "2x + )"},
    ]
    stdin = "\n".join(json.dumps(line) for line in lines) + "\nnot json\n"
    result = tutor("compare", "--batch", stdin=stdin)
    assert result.returncode == 0
    statuses = [json.loads(line)["status"] for line in result.stdout.splitlines()]
    assert statuses == ["equivalent", "different", "equivalent", "invalid", "invalid"]


def test_an_answer_with_a_leading_minus_is_an_answer():
    result = tutor("compare", "tan(x)", "-tan(x)", "--json")
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["diagnosis"] == "sign"
    assert tutor("compare", "-tan(x)", "-sin(x)/cos(x)").returncode == 0


def test_derivative_mode_with_several_variables_needs_var():
    result = tutor("compare", "x^2 y", "2xy", "--mode", "derivative")
    assert result.returncode == 2
    assert "--var" in result.stderr and "x, y" in result.stderr
    assert tutor("compare", "x^2 y", "2xy", "--mode", "derivative", "--var", "x").returncode == 0


@pytest.mark.parametrize("answer", ["10^10000*x", "10^4300*x", "10^9999 * 10^9999 * x"])
def test_huge_numbers_are_judged_and_printed_short(answer):
    result = tutor("compare", "x", answer)
    assert result.returncode == 1, result.stdout
    assert "failed" not in result.stdout
    assert len(result.stdout) < 1000
    assert "e+" in result.stdout


def test_control_characters_of_an_answer_never_reach_the_terminal():
    answer = "x\x1b[31m\x07\x9b"
    result = tutor("compare", "x", answer)
    assert result.returncode == 2
    for raw in ("\x1b", "\x07", "\x9b"):
        assert raw not in result.stdout and raw not in result.stderr
    assert "\\x1b" in result.stdout


def test_the_sanitiser_keeps_text_and_escapes_controls():
    from tutor.commands.output import printable

    assert printable("x² + σ(x)\n\tok") == "x² + σ(x)\n\tok"
    assert printable("a\x1b[2Jb\x07\x7f\x85\u202e") == "a\\x1b[2Jb\\x07\\x7f\\x85\\u202e"


def test_tutor_check_never_prints_control_characters(tmp_path):
    import os
    from pathlib import Path

    lessons = Path(__file__).parent / "fixtures" / "lessons"
    env = {**os.environ, "TUTOR_SAVE_DIR": str(tmp_path)}
    for answer in ("6\x1b]0;owned\x07", "x\x1b[2J"):
        result = subprocess.run([sys.executable, "-m", "tutor", "check", "--lessons", str(lessons), "slopes/e1",
                                 answer, "--no-save"], capture_output=True, text=True, env=env, timeout=120)
        assert result.returncode == 2, result.stdout + result.stderr
        for raw in ("\x1b", "\x07"):
            assert raw not in result.stdout and raw not in result.stderr
        assert "\\x1b" in result.stdout
