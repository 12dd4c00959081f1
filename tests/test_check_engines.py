"""`tutor check` on exercises played by their own engines: backprop steps and code."""

from __future__ import annotations

import json
from pathlib import Path

from tutor.cli import main

LESSONS = Path(__file__).parent.parent / "lessons"
FIXTURE = Path(__file__).parent / "fixtures" / "lessons"


def run(capsys, *args: str) -> tuple[int, dict]:
    code = main(["check", *args, "--json", "--no-save"])
    return code, json.loads(capsys.readouterr().out)


def test_backprop_steps_in_order(capsys):
    right = "1.25; 0.948985; 2.58309; 2.58309; 0.814505; 0.814505"
    code, verdict = run(capsys, "--lessons", str(LESSONS), "chain-rule/e10", right)
    assert (code, verdict["status"]) == (0, "correct")
    # The local derivative dv/du = cos(u) taken as 1: the verdict names the step.
    wrong = "1.25; 0.948985; 2.58309; 2.58309; 2.58309; 2.58309"
    code, verdict = run(capsys, "--lessons", str(LESSONS), "chain-rule/e10", wrong)
    assert (code, verdict["status"]) == (1, "incorrect")
    assert verdict["message"].startswith("step 5")


def test_code_runs_in_the_sandbox(capsys):
    good = "def double(x):\n    return 2 * x\n"
    code, verdict = run(capsys, "--lessons", str(FIXTURE), "chains/e4", good)
    assert (code, verdict["status"]) == (0, "correct")
    code, verdict = run(capsys, "--lessons", str(FIXTURE), "chains/e4", "def double(x):\n    return x\n")
    assert (code, verdict["status"]) == (1, "incorrect")
    code, verdict = run(capsys, "--lessons", str(FIXTURE), "chains/e4", "import os\n")
    assert (code, verdict["status"]) == (2, "invalid")
