"""The gd kind without the widget: its block's problems, its self-check, its headless check.

    block_problems(data)      fields, objective, ranges, reference and failing settings readable
    self_check(data)          the reference meets the goal; each listed failing setting does not
                              (and does what the block says it does: diverged, too-slow ...)
    check_gd(data, answer)    a Verdict, as `tutor check` and the card record it
    playground_problems(data) the same reading for a free playground (a plot block)
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from tutor.checking.verdict import Verdict
from tutor.gd.judge import OSCILLATES, STALLS, TOO_SLOW, DIVERGED, SettingError, describe, judge, read_setting
from tutor.gd.setup import SETUP_FIELDS, Setup, read_setup

EXERCISE_FIELDS = ("id", "kind", "prompt", "hints", "solution", *SETUP_FIELDS, "answer", "fails")
PLAYGROUND_FIELDS = ("interactive", "title", *SETUP_FIELDS)
FAILURES = (DIVERGED, OSCILLATES, STALLS, TOO_SLOW)
ANSWER_FORMAT = "the setting you choose: a number (0.01), or name=value pairs (beta=0.9, lr=0.1)"


def exercise_setup(data: Mapping[str, Any]) -> tuple[Setup | None, list[str]]:
    unknown = [str(k) for k in data if k not in EXERCISE_FIELDS]
    problems = [f"unknown field '{k}' (a gd exercise allows: {', '.join(EXERCISE_FIELDS)})" for k in unknown]
    setup, more = read_setup(data, exercise=True)
    return setup, problems + more


def _fails(data: Mapping[str, Any]) -> list[tuple[str, str | None]]:
    """(setting, expected behaviour or None) for each listed failing setting."""
    raw = data.get("fails", [])
    if isinstance(raw, dict):
        return [(str(k), None if v is None else str(v)) for k, v in raw.items()]
    if isinstance(raw, list):
        return [(str(item), None) for item in raw]
    return [(str(raw), None)]


def block_problems(data: Mapping[str, Any]) -> list[str]:
    setup, problems = exercise_setup(data)
    if setup is None:
        return problems
    if "answer" not in data:
        problems.append("'answer' is missing: the reference setting, as a learner would type it")
    else:
        try:
            read_setting(setup, str(data["answer"]))
        except SettingError as exc:
            problems.append(f"the reference answer '{data['answer']}' cannot be read: {exc}")
    raw = data.get("fails", [])
    if not isinstance(raw, (list, dict)):
        problems.append("'fails' must list settings that must fail, or map each to how it fails")
    for setting, expected in _fails(data):
        try:
            read_setting(setup, setting)
        except SettingError as exc:
            problems.append(f"the failing setting '{setting}' cannot be read: {exc}")
        if expected is not None and expected not in FAILURES:
            problems.append(f"'{setting}' is said to fail as '{expected}'; failures are {', '.join(FAILURES)}")
    return problems


def self_check(data: Mapping[str, Any]) -> list[str]:
    """Simulate the reference and every listed failing setting."""
    if block_problems(data):
        return []  # reported by the structural rule already
    setup, _ = exercise_setup(data)
    assert setup is not None
    objective = setup.objective()
    problems = []
    reference = str(data["answer"])
    outcome = judge(setup, read_setting(setup, reference), objective)
    if not outcome.passed:
        problems.append(f"the reference answer '{reference}' does not meet the goal: {outcome.message}")
    for setting, expected in _fails(data):
        outcome = judge(setup, read_setting(setup, setting), objective)
        if outcome.passed:
            problems.append(f"'{setting}' is listed as failing but meets the goal: {outcome.message}")
        elif expected is not None and outcome.code != expected:
            problems.append(f"'{setting}' is said to fail as '{expected}' but the simulation says "
                            f"'{outcome.code}': {outcome.message}")
    return problems


def check_gd(data: Mapping[str, Any], answer: str) -> Verdict:
    start = time.perf_counter()
    verdict = _check(data, str(answer))
    return replace(verdict, elapsed_ms=round((time.perf_counter() - start) * 1000, 2))


def _check(data: Mapping[str, Any], answer: str) -> Verdict:
    setup, problems = exercise_setup(data)
    if setup is None:
        return Verdict("invalid", f"This exercise cannot be checked: {problems[0]}", diagnosis="broken-exercise")
    try:
        setting = read_setting(setup, answer)
    except SettingError as exc:
        return Verdict("invalid", str(exc), diagnosis="bad-setting")
    try:
        outcome = judge(setup, setting)
    except ValueError as exc:  # the loss is undefined at the start: the exercise is broken
        return Verdict("invalid", f"This exercise cannot be checked: {exc}", diagnosis="broken-exercise")
    run = outcome.run
    extra = {"setting": setting, "steps_run": len(run.path) - 1, "diverged_at": run.diverged_at,
             "final": [float(v) for v in run.final], "measure": outcome.measure}
    status = "correct" if outcome.passed else "incorrect"
    return Verdict(status, outcome.message, interpreted=describe(setting),
                   diagnosis=None if outcome.passed else outcome.code, extra=extra)


def playground_problems(data: Mapping[str, Any]) -> list[str]:
    unknown = [str(k) for k in data if k not in PLAYGROUND_FIELDS]
    problems = [f"unknown field '{k}' (a gd playground allows: {', '.join(PLAYGROUND_FIELDS)})" for k in unknown]
    _setup, more = read_setup(data, exercise=False)
    return problems + more
