"""`tutor check` for backprop exercises, the block validator, and the course's own backprop blocks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tutor.autodiff import check_backprop, validate_backprop
from tutor.autodiff.graph import build_graph
from tutor.autodiff.numbers import fmt
from tutor.autodiff.stepper import Stepper

try:  # tests/ is a package or a plain folder, depending on the day
    from tests.test_autodiff_graph import EXAMPLES
except ImportError:
    from test_autodiff_graph import EXAMPLES

E10 = EXAMPLES["chain-rule/e10"]
RIGHT = "1.25; 0.948985; 2.58309; 2.58309; 0.814505; 0.814505"


def answer_for(data) -> str:
    return "; ".join(fmt(s.expected) for s in Stepper(build_graph(data)).steps)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_right_values_in_step_order_are_correct(name):
    verdict = check_backprop(EXAMPLES[name], answer_for(EXAMPLES[name]))
    assert verdict.status == "correct", verdict.message
    assert all(e.correct for e in verdict.entries)


def test_the_verdict_names_the_first_wrong_step():
    verdict = check_backprop(E10, "1.25; 0.948985; 2.58309; 2.58309; 2.58309; 0.814505")
    assert verdict.status == "incorrect"
    assert verdict.message.startswith("step 5 (∂y/∂u): You used the local derivative of the sin node")
    assert verdict.diagnosis == "local-as-one"
    assert [e.correct for e in verdict.entries] == [True, True, True, True, False, True]
    assert verdict.extra["steps"] == ["u", "v", "y", "∂y/∂v", "∂y/∂u", "∂y/∂x"]


def test_several_wrong_steps_are_counted():
    verdict = check_backprop(E10, "1.25; 0.9; 2.58309; 2.58309; 2; 0.814505")
    assert verdict.message.startswith("step 2 (v): ") and "(2 of the 6 steps given are wrong.)" in verdict.message


def test_a_right_prefix_says_how_many_remain():
    verdict = check_backprop(E10, "1.25; 0.948985; 2.58309")
    assert verdict.status == "incorrect" and verdict.diagnosis == "unfinished"
    assert verdict.message == "The first 3 steps are right; 3 to go (next: step 4, ∂y/∂v)."
    assert check_backprop(E10, "1.25").message.startswith("The first step is right; 5 to go")


def test_the_given_output_gradient_may_be_written_too():
    verdict = check_backprop(E10, "1.25; 0.948985; 2.58309; 1; 2.58309; 0.814505; 0.814505")
    assert verdict.status == "correct" and verdict.notes


@pytest.mark.parametrize(("answer", "phrase"), [
    ("", "Type the 6 step values separated by ';': u; v; y; ∂y/∂v; ∂y/∂u; ∂y/∂x."),
    ("1.25; ; 2.58309", "step 2 (v): this step is empty"),
    ("1.25; x", "step 2 (v): unknown name 'x'"),
    (RIGHT + "; 3; 4", "has 6 steps"),
])
def test_unreadable_answers_are_invalid(answer, phrase):
    verdict = check_backprop(E10, answer)
    assert verdict.status == "invalid" and phrase in verdict.message


def test_a_trailing_separator_and_closed_forms_are_fine():
    assert check_backprop(E10, "5/4; sin(1.25); exp(sin(1.25)); 2.58309; 0.814505; 0.814505;").correct


def test_a_broken_exercise_says_so():
    verdict = check_backprop({"inputs": {"x": 1}, "nodes": [{"name": "u", "formula": "tan(x)"}], "output": "u"},
                             "1")
    assert verdict.status == "invalid" and verdict.diagnosis == "broken-exercise"


def test_verdict_serialises():
    import json

    assert json.dumps(check_backprop(E10, RIGHT).to_json(), ensure_ascii=False)


# -- the validator -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_syllabus_examples_validate(name):
    assert validate_backprop(EXAMPLES[name]) == []


def test_wrong_expected_numbers_are_reported():
    data = {**E10, "expected": {"forward": {"u": 1.25, "v": 0.95}, "backward": {"x": 0.8145, "q": 1},
                                "sideways": {}}}
    problems = validate_backprop(data)
    assert "expected.forward.v is 0.95, but v = 0.948985" in problems
    assert "expected.backward names 'q', which is not a node or input" in problems
    assert any("sideways" in p for p in problems)
    assert not any("expected.backward.x" in p for p in problems)  # within 1e-4


def test_every_formula_problem_is_reported_at_once():
    data = {"inputs": {"x": 1}, "nodes": [{"name": "u", "formula": "x +"}, {"name": "v", "formula": "tan(u)"},
                                          {"name": "w", "formula": "v*q"}], "output": "w"}
    problems = validate_backprop(data)
    assert len(problems) == 3
    assert problems[0].startswith("node u: formula 'x +' does not parse")
    assert problems[1].startswith("node v: tan is not available")
    assert problems[2].startswith("node w: formula 'v*q' does not parse: unknown name 'q'")


def test_a_node_that_does_not_feed_the_output_is_reported():
    data = {"inputs": {"x": 1}, "nodes": [{"name": "u", "formula": "2*x"}, {"name": "v", "formula": "3*x"}],
            "output": "v"}
    assert validate_backprop(data) == ["node u does not feed the output v"]


def test_undefined_forward_values_are_reported():
    data = {"inputs": {"x": -1}, "nodes": [{"name": "u", "formula": "sqrt(x)"}], "output": "u"}
    (problem,) = validate_backprop(data)
    assert "node u = sqrt(x) has no value at x = -1" in problem


# -- the real course ---------------------------------------------------------------------------------

LESSONS = Path(__file__).parent.parent / "lessons"


def _course_blocks():
    from tutor.lessons.loader import load_course
    from tutor.lessons.model import BackpropBlock

    course = load_course(LESSONS)
    found = []
    for lesson in course.lessons.values():
        for page in lesson.pages:
            for segment in page.segments:
                if isinstance(segment, BackpropBlock):
                    found.append(pytest.param(segment.data, id=f"{lesson.id}:{segment.line}"))
                elif getattr(segment, "kind", None) == "backprop":
                    found.append(pytest.param(segment.data, id=segment.id))
    return found


COURSE_BLOCKS = _course_blocks()


@pytest.mark.skipif(not COURSE_BLOCKS, reason="no backprop blocks in the course yet")
@pytest.mark.parametrize("data", COURSE_BLOCKS)
def test_the_course_backprop_blocks_validate_and_their_numbers_check(data):
    assert validate_backprop(data) == []
    assert check_backprop(data, answer_for(data)).correct


def test_the_engine_does_not_import_textual_or_sympy():
    code = ("import sys, tutor.autodiff as a\n"
            "g = a.build_graph({'inputs': {'x': 0.5}, 'nodes': [{'name': 'u', 'formula': 'sin(x)*x'}], "
            "'output': 'u'})\n"
            "s = a.Stepper(g); s.submit(0, '0.239713'); s.submit(1, '0.5'); s.template(1)\n"
            "a.check_backprop({'inputs': {'x': 2}, 'nodes': [{'name': 'u', 'formula': 'x^2'}], 'output': 'u'}, "
            "'4; 4')\n"
            "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules), 'sympy' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]
