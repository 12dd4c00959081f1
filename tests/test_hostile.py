"""Hostile and degenerate answers: each is refused with a message, quickly, with no side effect."""

from __future__ import annotations

import pytest

from tutor.checking import ExerciseSpec

DERIVATIVE = ExerciseSpec("derivative", function="x^3")
NUMBER = ExerciseSpec("numeric", answer="1")

HOSTILE = [
    "().__class__.__bases__",
    "lambda: 1",
    "x.__dict__",
    "eval('1')",
    "exec('import os')",
    "__import__",
    "9**9**9**9",
    "x^(10^100)",
    "2^(2^(2^(2^(2^2))))",
    "factorial(10**9)",
    "(" * 10_000 + "x" + ")" * 10_000,
    "-" * 5000 + "x",
    "x^" * 600 + "2",
    "x" * 1_000_000,
    "x\x00",
    "x\u202e + 1",  # right-to-left override
    "x\u200b + 1",  # zero-width space
    "\ufeffx",
    "1/0",
    "0/0",
    "log(0)",
    "sqrt(-1)",
    "exp(exp(exp(100)))",
    "exp(10^6)",
    "(x + 1",
    "x + 1)",
    "|x",
    "[[1, 2], [3]]",
    "[]",
    "x" + "+x" * 999,
]


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: repr(t[:40]))
@pytest.mark.parametrize("spec", [DERIVATIVE, NUMBER], ids=["derivative", "numeric"])
def test_hostile_input_is_refused_with_a_message(service, spec, text):
    verdict = service.check(spec, text)
    assert verdict.status in ("invalid", "incorrect")
    assert verdict.message
    assert verdict.diagnosis not in ("timeout", "checker-crashed", "checker-error"), verdict.message
    # The worker keeps working after each one.
    assert service.check(DERIVATIVE, "3x^2").status == "correct"


def test_nothing_is_executed(service, tmp_path):
    marker = tmp_path / "pwned"
    for text in (
        f"__import__('os').system('touch {marker}')",
        f"eval(\"__import__('os').system('touch {marker}')\")",
        f"open('{marker}', 'w')",
    ):
        verdict = service.check(DERIVATIVE, text)
        assert verdict.status == "invalid"
    assert not marker.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1/0", "division by zero"),
        ("0/0", "division by zero"),
        ("log(0)", "logarithm"),
        ("sqrt(-1)", "not a real number"),
        ("9**9**9**9", "too large"),
        ("x" * 1_000_000, "too long"),
        ("(" * 10_000 + "x" + ")" * 10_000, "too long"),
        ("(" * 150 + "x" + ")" * 150, "nested too deeply"),
        ("x\u200b", "invisible character"),
        ("x\x00", "control character"),
    ],
)
def test_messages_say_what_is_wrong(service, text, message):
    spec = ExerciseSpec("numeric", answer="1") if "x" not in text else DERIVATIVE
    verdict = service.check(spec, text)
    assert message in verdict.message
