"""Code exercises from the real lessons: right and wrong solutions, the validator's checks, the Verdict."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tutor.lessons.loader import load_course
from tutor.sandbox import CodeExercise, CodeExerciseError, check_code, to_verdict, validate_code_exercise

LESSONS = Path(__file__).parent.parent / "lessons"
COURSE = load_course(LESSONS)
CODE_EXERCISES = [(lesson, ex) for lesson in COURSE.lessons.values() for ex in lesson.exercises if ex.kind == "code"]


def exercise(exercise_id: str) -> CodeExercise:
    return CodeExercise.from_exercise(COURSE.exercise(exercise_id))


def code(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def test_the_course_has_code_exercises():
    assert len(CODE_EXERCISES) >= 5


@pytest.mark.parametrize("lesson, ex", CODE_EXERCISES, ids=[ex.id for _, ex in CODE_EXERCISES])
def test_every_lesson_code_exercise_validates(lesson, ex):
    """Reference passes, starter does not, fields and Python well-formed. Lessons are not edited here:
    a failure names the file and line of the block."""
    problems = validate_code_exercise(dict(ex.data))
    assert problems == [], f"{lesson.path.name}:{ex.line}: {problems}"


# --------------------------------------------------------------------------- right and wrong solutions


def test_numerical_differentiation_correct_in_another_style():
    learner = code("""
        def forward_diff(f, x, h):
            rise = f(x + h) - f(x)
            return rise / h

        def backward_diff(f, x, h):
            return forward_diff(f, x - h, h)

        def centered_diff(f, x, h):
            return (forward_diff(f, x, h) + backward_diff(f, x, h)) / 2
    """)
    result = exercise("numerical-differentiation/e1").run(learner)
    assert result.status == "passed", result.message


def test_numerical_differentiation_central_difference_divided_by_h():
    learner = code("""
        def forward_diff(f, x, h):
            return (f(x + h) - f(x)) / h

        def backward_diff(f, x, h):
            return (f(x) - f(x - h)) / h

        def centered_diff(f, x, h):
            return (f(x + h) - f(x - h)) / h
    """)
    result = exercise("numerical-differentiation/e1").run(learner)
    assert result.status == "failed"
    assert [t.status for t in result.tests] == ["passed", "passed", "failed", "failed"]
    third = result.tests[2]
    assert third.expected == "12.000001" and third.actual.startswith("24.00000")
    assert third.tolerance == "rel_tol=1e-09"


def test_power_rule_without_the_constant_case():
    learner = "def power_rule(coeff, exp):\n    return (coeff * exp, exp - 1)\n"
    result = exercise("power-and-sum-rules/e9").run(learner)
    assert [t.status for t in result.tests] == ["passed", "passed", "failed", "passed"]
    assert result.tests[2].message == "expected (0, 0), got (0, -1)"


def test_power_rule_correct():
    learner = code("""
        def power_rule(coeff, exp):
            if exp == 0:
                return 0, 0
            return coeff * exp, exp - 1
    """)
    assert exercise("power-and-sum-rules/e9").run(learner).passed


def test_product_rule_multiplying_the_derivatives():
    learner = "def product_rule(f, f_p, g, g_p, x):\n    return f_p(x) * g_p(x)\n"
    result = exercise("product-and-quotient-rules/e8").run(learner)
    assert result.status == "failed" and result.passed_count == 0
    assert result.tests[0].expected == "8.15485"


def test_implicit_slope_with_the_wrong_sign_reports_the_first_failing_x():
    learner = code("""
        import math

        def y_upper(x):
            return 3 * math.sqrt(1 - x**2 / 4)

        def dydx_ellipse(x, y):
            return 9 * x / (4 * y)
    """)
    result = exercise("implicit-differentiation/e3").run(learner)
    first = result.tests[0]
    assert first.status == "failed" and first.where == "x = 0.5"
    assert first.actual.startswith("0.3872")
    assert result.tests[2].passed


def test_taylor_with_one_term_too_many():
    learner = code("""
        import math

        def taylor_exp(x, n_terms):
            return sum(x**n / math.factorial(n) for n in range(n_terms + 1))

        def taylor_sin(x, n_terms):
            return sum((-1)**n * x**(2*n + 1) / math.factorial(2*n + 1) for n in range(n_terms))
    """)
    result = exercise("taylor-series/e5").run(learner)
    assert [t.status for t in result.tests] == ["failed", "failed", "passed", "passed"]


def test_lipschitz_check_with_numpy_random():
    ex = exercise("mean-value-theorem/e2")
    wrong = code("""
        import numpy as np

        def check_sin_lipschitz():
            ok, worst = True, 0.0
            for _ in range(20):
                a, b = np.random.uniform(-10, 10, 2)
                ratio = abs(np.sin(a) - np.sin(b)) / abs(a - b)
                ok = ok and ratio <= 1
                worst = max(worst, ratio)
            return ok, worst
    """)  # forgot the seed: the maximum is some other number
    result = ex.run(wrong)
    assert result.tests[0].passed and result.tests[1].status == "failed"
    assert ex.run(wrong.replace("ok, worst = True, 0.0", "np.random.seed(42)\n    ok, worst = True, 0.0")).passed


def test_limit_that_evaluates_f_at_a_is_an_error_at_the_learners_line():
    learner = code("""
        def numerical_limit(f, a):
            value = f(a)
            return value
    """)
    result = exercise("limits-and-continuity/e5").run(learner)
    assert result.status == "failed"
    assert result.tests[0].message == "ZeroDivisionError: float division by zero"
    assert result.tests[0].line == 2


# --------------------------------------------------------------------------- the validator


def block(**changes) -> dict:
    data = {
        "id": "demo/e1",
        "kind": "code",
        "prompt": "Write `square(x)`.",
        "function": "def square(x):",
        "starter": "def square(x):\n    return x\n",
        "tests": ["assert square(3) == 9", "assert square(-2) == 4"],
        "reference": "def square(x):\n    return x * x\n",
        "hints": ["Multiply x by itself."],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_good_block_validates():
    assert validate_code_exercise(block()) == []


def test_validator_fails_a_reference_that_does_not_pass():
    problems = validate_code_exercise(block(reference="def square(x):\n    return 2 * x\n"))
    assert len(problems) == 1
    assert problems[0].startswith("the reference solution does not pass the tests: `assert square(3) == 9`: "
                                  "expected 9, got 6")


def test_validator_fails_a_starter_that_already_passes():
    problems = validate_code_exercise(block(starter="def square(x):\n    return x ** 2\n"))
    assert problems == ["the starter already passes every test; the tests must fail until the learner "
                        "writes the solution"]


def test_validator_fails_a_reference_that_is_too_slow():
    slow = "def square(x):\n    while True:\n        pass\n"
    problems = validate_code_exercise(block(reference=slow, time_limit=0.5))
    assert len(problems) == 1 and "time limit" in problems[0]


@pytest.mark.parametrize("changes, expected", [
    ({"tests": None}, "missing field 'tests'"),
    ({"reference": None}, "missing field 'reference'"),
    ({"tests": ["assert square(3) =="]}, "test 1 is not valid Python"),
    ({"tests": ["x = square(3)"]}, "the tests have no `assert` statement"),
    ({"tests": [3]}, "'tests' must be a list"),
    ({"reference": "def square(x)\n    return x * x\n"}, "the reference is not valid Python"),
    ({"function": "def cube(x):"}, "the starter does not define cube"),
    ({"function": "square"}, "'function' should show the signature"),
    ({"reference": "import os\ndef square(x):\n    return x * x\n"}, "the reference imports 'os' (line 1)"),
    ({"time_limit": 0}, "'time_limit' must be a number"),
    ({"time_limit": 300}, "'time_limit' must be a number"),
    ({"allowed_imports": ["math", "no such"]}, "'allowed_imports' must be a list of module names"),
    ({"test": "assert square(3) == 9"}, "unknown field(s) test"),
])
def test_validator_static_checks(changes, expected):
    problems = validate_code_exercise(block(**changes), run=False)
    assert any(p.startswith(expected) for p in problems), problems


def test_static_validation_never_runs_code(tmp_path):
    marker = tmp_path / "ran"
    reference = f"open({str(marker)!r}, 'w').close()\ndef square(x):\n    return x * x\n"
    validate_code_exercise(block(reference=reference), run=False)
    assert not marker.exists()


def test_from_block_reads_the_lesson_fields():
    ex = CodeExercise.from_block(block(time_limit=2, allowed_imports="math, numpy, itertools",
                                       tests="assert square(3) == 9"))
    assert ex.time_limit == 2.0
    assert ex.allowed_imports == ("math", "numpy", "itertools")
    assert ex.tests == ("assert square(3) == 9",)
    assert ex.function_names == ("square",)
    assert exercise("product-and-quotient-rules/e7").function_names == ("f_prime", "g_prime", "h_prime")
    with pytest.raises(CodeExerciseError) as info:
        CodeExercise.from_block(block(starter=None, tests=None))
    assert info.value.problems == ["missing field 'starter'", "missing field 'tests'"]


def test_allowed_imports_from_the_block_are_honoured():
    data = block(allowed_imports=["math"], reference="import numpy\ndef square(x):\n    return x * x\n")
    assert "the reference imports 'numpy' (line 1)" in validate_code_exercise(data, run=False)[0]


# --------------------------------------------------------------------------- the Verdict


def test_verdicts():
    correct = check_code(block(), "def square(x):\n    return x * x\n")
    assert correct.status == "correct" and correct.correct
    assert [e.correct for e in correct.entries] == [True, True]

    wrong = check_code(block(), "def square(x):\n    return 3 * x\n")
    assert wrong.status == "incorrect" and wrong.diagnosis == "code-failed"
    assert [e.correct for e in wrong.entries] == [True, False]
    assert wrong.entries[1].message == "expected 4, got -6"
    assert wrong.extra["run"]["tests"][1]["actual"] == "-6"

    unreadable = check_code(block(), "def square(x):\n    return x *\n")
    assert unreadable.status == "invalid" and unreadable.error_column == 15
    assert to_verdict(exercise("chain-rule/e12").run_starter()).status == "incorrect"
