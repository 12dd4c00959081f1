"""A backprop challenge as played and recorded (`tutor.autodiff.play`, `tutor.autodiff.sandbox`):
what is known so far, saved state, and attempts in the format `tutor check` reads."""

from __future__ import annotations

import pytest

from tutor.autodiff import Stepper, build_graph
from tutor.autodiff.feedback import StepVerdict
from tutor.autodiff.headless import check_backprop
from tutor.autodiff.numbers import fmt
from tutor.autodiff.play import (
    all_found_state,
    finished_attempt,
    known_numbers,
    read_state,
    write_state,
    wrong_step_attempt,
)
from tutor.autodiff.sandbox import ValuesError, build_sandbox_graph, parse_values

try:
    from tests.test_autodiff_graph import EXAMPLES
except ImportError:
    from test_autodiff_graph import EXAMPLES

BLOCK = EXAMPLES["chain-rule/e10"]


def test_known_numbers_grow_step_by_step():
    s = Stepper(build_graph(BLOCK))
    values, grads = known_numbers(s)
    inputs = {name for name, node in s.graph.nodes.items() if node.is_input}
    assert set(values) == inputs and grads == {}
    first = s.current
    assert s.submit(s.index, fmt(first.expected)).correct
    values, _ = known_numbers(s)
    assert first.node in values
    while s.phase == "forward":
        s.submit(s.index, fmt(s.current.expected))
    _, grads = known_numbers(s)
    assert grads == {s.graph.output: 1.0}  # ∂L/∂L is given once the backward pass starts


def test_a_finished_run_is_recorded_in_the_format_tutor_check_reads():
    s = Stepper(build_graph(BLOCK))
    assert finished_attempt(s) is None
    while not s.done:
        s.submit(s.index, fmt(s.current.expected))
    answer, verdict = finished_attempt(s)
    assert verdict.correct
    assert check_backprop(BLOCK, answer).correct  # the same answer, checked headlessly


def test_a_helped_run_records_no_correct_attempt():
    s = Stepper(build_graph(BLOCK))
    s.reveal()
    while not s.done:
        s.submit(s.index, fmt(s.current.expected))
    assert finished_attempt(s) is None


def test_all_found_state_and_saved_state_round_trip():
    s = Stepper(build_graph(BLOCK))
    solved = Stepper.restore(s.graph, all_found_state(s))
    assert solved.done and not solved.helped
    again = Stepper.restore(s.graph, read_state(write_state(solved)))
    assert again.done
    assert read_state("") is None and read_state("not json") is None and read_state("[1]") is None


def test_a_wrong_step_is_recorded_with_its_label():
    s = Stepper(build_graph(BLOCK))
    step = s.current
    answer, verdict = wrong_step_attempt(step, " 3 ", StepVerdict("incorrect", "too big", step=step.index))
    assert answer == f"{step.label} = 3" and verdict.status == "incorrect" and "too big" in verdict.message


def test_sandbox_values_are_read_with_messages():
    assert parse_values("w=1, x=2; b=max(1, 2)") == {"w": "1", "x": "2", "b": "max(1, 2)"}
    for bad in ("w", "w=", "w=1, w=2"):
        with pytest.raises(ValuesError):
            parse_values(bad)


def test_a_name_without_a_value_is_said_so_not_called_unparsable():
    from tutor.autodiff.graph import GraphError

    with pytest.raises(GraphError) as err:
        build_sandbox_graph("L = (w*x + b - y)^2", "x=2, b=1, y=7")
    assert "w has no value" in str(err.value) and "does not parse" not in str(err.value)
    with pytest.raises(GraphError) as err:
        build_sandbox_graph("sin(", "x=1")
    assert "does not parse" in str(err.value)
    assert build_sandbox_graph("L = (w*x + b - y)^2", "w=1, x=2, b=1, y=7").output == "L"
