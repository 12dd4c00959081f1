"""Verdicts decided in the parent on plain data agree with what Python itself would decide.

Each case: a value the learner's function returns, an assert, and Python's own outcome for that
assert on that value ("passed", "failed", or "error" when Python raises, as for the truth of an
array). All cases run in one sandboxed run: one function per case.
"""

from __future__ import annotations

from tutor.sandbox.plan import EXPECTED, LEARNER, make_plan, split_tests
from tutor.sandbox.runner import run_code

CASES = [
    ("(12, 3)", "assert f() == (12, 3)", "passed"),
    ("[12, 3]", "assert f() == (12, 3)", "failed"),  # a list is not a tuple, in Python either
    ("np.array([1.0, 2.0])", "assert np.allclose(f(), [1, 2])", "passed"),
    ("np.array([1.0, 2.0])", "assert f() == [1, 2]", "error"),  # the truth of an array is ambiguous
    ("None", "assert f() is None", "passed"),
    ("0", "assert f() is not None", "passed"),
    ("0.1 + 0.2", "assert f() == 0.3", "failed"),
    ("3", "assert 1 < f() < 5", "passed"),
    ("7", "assert 1 < f() < 5", "failed"),
    ("{'a': 1}", "assert f() == {'a': 1}", "passed"),
    ("{1, 2}", "assert f() == {2, 1}", "passed"),
    ("float('nan')", "assert f() != f()", "passed"),
    ("1 + 2j", "assert f() == 1 + 2j", "passed"),
    ("np.float64(2.5)", "assert f() == 2.5", "passed"),
    ("np.int64(3)", "assert f() == 3", "passed"),
    ("'abc'", "assert f() == 'abc'", "passed"),
    ("[1, 2, 3]", "assert len(f()) == 3 and sum(f()) == 6", "passed"),
    ("True", "assert f()", "passed"),
    ("[]", "assert f()", "failed"),
    ("0", "assert not f()", "passed"),
    ("np.array([[1, 2], [3, 4]])", "assert np.shape(f()) == (2, 2)", "passed"),
    ("np.array([True, True])", "assert np.all(f())", "passed"),
    ("[0.5, 1.5]", "assert all(abs(v - 1) <= 0.5 for v in f())", "passed"),
    ("[0.5, 1.6]", "assert all(abs(v - 1) <= 0.5 for v in f())", "failed"),
    ("[3, 4]", "assert any(v > 3 for v in f())", "passed"),
    ("2.0", "assert math.isclose(f(), math.sqrt(4))", "passed"),
    ("2.0", "assert abs(f() - np.exp(np.log(2.0))) < 1e-12", "passed"),
    ("'x'", "assert f() + 1 == 2", "error"),  # TypeError, decided here on the data
    ("[1, 2]", "assert f()[5] == 1", "error"),  # IndexError in the learner's process
]


def test_verdicts_agree_with_python():
    learner = "import numpy as np\n" + "".join(
        f"def f{i}():\n    return {value}\n" for i, (value, _, _) in enumerate(CASES))
    tests = [test.replace("f()", f"f{i}()") for i, (_, test, _) in enumerate(CASES)]
    result = run_code(learner, tests)
    got = [t.status for t in result.tests]
    want = [outcome for _, _, outcome in CASES]
    assert got == want, [(t.source, t.status, t.message) for t, w in zip(result.tests, want) if t.status != w]


def test_the_first_failing_item_and_both_values_are_reported():
    result = run_code("def sq(x):\n    return x * x if x < 3 else x\n",
                      ["assert all(sq(x) == x ** 2 for x in range(1, 6))"])
    (test,) = result.tests
    assert (test.where, test.actual, test.expected) == ("x = 3", "3", "9")


def test_leaves_are_split_between_the_learner_and_the_expected_side():
    plan = make_plan(split_tests(["X = np.arange(3)", "target = np.sum(X) * 2", "out = f(X)",
                                  "assert np.allclose(out, math.sqrt(target))"]))
    setup_x, setup_target, setup_out, check = plan.steps
    assert (setup_x.side, setup_x.in_learner) == (EXPECTED, True)  # an input the learner's side reads
    assert (setup_target.side, setup_target.in_learner) == (EXPECTED, False)  # an expected value: kept out
    assert setup_out.side == LEARNER
    assert [(leaf["src"], leaf["side"]) for leaf in check.leaves] == [("out", LEARNER), ("math.sqrt(target)", EXPECTED)]
    learner_view = repr(plan.for_child(LEARNER))
    assert "target" not in learner_view and "sqrt" not in learner_view


def test_several_statements_in_one_test_item_run_once_each():
    learner = "calls = []\ndef f(x):\n    calls.append(x)\n    return x\n"
    result = run_code(learner, ["a = 1; b = f(2)\nc = a + b", "assert c == 3", "assert len(calls) == 1"])
    assert result.passed, result.message
