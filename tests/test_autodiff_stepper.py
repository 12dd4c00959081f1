"""The step-through model: order of steps, cards, targeted feedback, saving and resuming."""

from __future__ import annotations

import json

import pytest

from tutor.autodiff import Stepper, build_graph, graph_from_expression
from tutor.autodiff.numbers import fmt

try:  # tests/ is a package or a plain folder, depending on the day
    from tests.test_autodiff_graph import EXAMPLES
except ImportError:
    from test_autodiff_graph import EXAMPLES


def stepper(name: str) -> Stepper:
    return Stepper(build_graph(EXAMPLES[name]))


def run_to(s: Stepper, label: str) -> None:
    """Answer every step right until the one labelled `label`."""
    while s.current is not None and s.current.label != label:
        assert s.submit(s.index, fmt(s.current.expected)).correct
    assert s.current is not None


def test_steps_are_forward_values_then_gradients():
    s = stepper("chain-rule/e10")
    assert [st.label for st in s.steps] == ["u", "v", "y", "∂y/∂v", "∂y/∂u", "∂y/∂x"]
    assert [st.phase for st in s.steps] == ["forward"] * 3 + ["backward"] * 3
    assert s.expected(4) == pytest.approx(0.814505, rel=1e-6)
    assert s.forward_count == 3


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_an_all_correct_run_finishes_and_passes_the_finite_difference_check(name):
    s = stepper(name)
    assert s.phase == "forward"
    while not s.done:
        verdict = s.submit(s.index, fmt(s.current.expected))
        assert verdict.correct, (s.current, verdict)
    assert s.phase == "done" and not s.helped
    rows = s.finite_difference_check()
    assert rows and all(r.agrees for r in rows)
    assert all(r.entered == pytest.approx(r.analytic, rel=1e-5, abs=1e-9) for r in rows)


def test_closed_forms_are_accepted():
    s = stepper("chain-rule/e10")
    assert s.submit(0, "0.5^2 + 1").correct
    assert s.submit(1, "sin(1.25)").correct
    assert s.submit(2, "exp(sin(5/4))").correct
    assert s.submit(3, "e^sin(1.25)").correct
    assert s.submit(4, "cos(1.25)*exp(sin(1.25))").correct


def test_the_card_shows_upstream_times_local():
    s = stepper("chain-rule/e10")
    assert s.template(0).text == "u = x^2 + 1, with x = 0.5"
    assert s.template(4).text == "∂y/∂u = ∂y/∂v · ∂v/∂u = 2.58309 × 0.315322"
    assert s.template(3).text == "∂y/∂v = ∂exp(v)/∂v = 2.58309"
    card = s.template(5, closed_forms=True)
    assert card.terms[0].local_text == "2·x" and card.terms[0].local == 1


def test_the_card_is_a_sum_where_a_node_feeds_several():
    s = stepper("autodiff/e1")
    card = s.template(4)
    assert s.steps[4].label == "∂d/∂b"
    assert card.text == "∂d/∂b = ∂d/∂c · ∂c/∂b + ∂(c + b)/∂b = 1 × 2 + 1"
    assert [(t.consumer, t.amount) for t in card.terms] == [("c", 2), ("d", 1)]


def test_wrong_local_derivative_is_named():
    s = stepper("autodiff/e1")
    run_to(s, "∂d/∂a")
    verdict = s.submit(s.index, "1")
    assert verdict.status == "incorrect" and verdict.diagnosis == "local-as-one"
    assert verdict.message == ("You used the local derivative of the × node c = a·b as 1; "
                               "for a·b with respect to a it is b = 3.")
    assert s.current.label == "∂d/∂a"  # a wrong answer does not move on
    assert s.entry(s.index).attempts == 1 and not s.entry(s.index).correct


def test_a_missed_fan_out_names_the_consumer():
    s = stepper("autodiff/e1")
    run_to(s, "∂d/∂b")
    verdict = s.submit(s.index, "2")  # only the path through c
    assert verdict.diagnosis == "missed-contribution"
    assert "forgot the contribution through d" in verdict.message
    verdict = s.submit(s.index, "1")  # only the path through d
    assert verdict.diagnosis == "missed-contribution"
    assert "forgot the contribution through c" in verdict.message
    assert s.submit(s.index, "3").correct and s.done


def test_a_missed_fan_out_among_three_uses():
    s = stepper("tanh-layer")
    run_to(s, "∂L/∂x0")
    terms = s.template(s.index).terms
    assert [t.consumer for t in terms] == ["a0", "a1", "a2"]
    missing_a1 = sum(t.amount for t in terms) - terms[1].amount
    verdict = s.submit(s.index, repr(missing_a1))
    assert verdict.diagnosis == "missed-contribution" and "through a1" in verdict.message
    verdict = s.submit(s.index, repr(terms[0].amount))
    assert verdict.diagnosis == "one-contribution" and "only the contribution through a0" in verdict.message


@pytest.mark.parametrize(("label", "answer", "diagnosis", "phrase"), [
    ("∂y/∂u", "0.315322", "upstream-forgotten", "multiply it by the upstream gradient ∂y/∂v = 2.58309"),
    ("∂y/∂u", "-0.814505", "sign", "sign is wrong"),
    ("∂y/∂u", "1.25", "forward-value", "forward value of u"),
    ("∂y/∂u", "2.58309", "local-as-one", "cos(u) = 0.315322"),
    ("∂y/∂u", "0.81", "precision", "six significant figures"),
    ("∂y/∂u", "0.299234", "value-for-gradient", "value of v"),  # sin(1.25)·cos(1.25)
    ("∂y/∂u", "0.5", None, "upstream × local: ∂y/∂u = ∂y/∂v · ∂v/∂u"),
    ("v", "0.0218149", "degrees", "degrees"),  # sin(1.25°)
    ("u", "-1.25", "sign", "sign"),
])
def test_targeted_feedback(label, answer, diagnosis, phrase):
    s = stepper("chain-rule/e10")
    run_to(s, label)
    verdict = s.submit(s.index, answer)
    assert verdict.status == "incorrect"
    assert verdict.diagnosis == diagnosis
    assert phrase in verdict.message


def test_sign_error_through_a_subtraction():
    s = stepper("graph2")
    run_to(s, "∂L/∂yhat")
    verdict = s.submit(s.index, "8")
    assert verdict.diagnosis == "sign"


def test_unreadable_answers_are_invalid_and_not_attempts():
    s = stepper("chain-rule/e10")
    for text, phrase in [("", "Type a number"), ("x + 1", "unknown name 'x'"), ("1 +", "ends too early"),
                         ("log(0)", "no value"), ("[1, 2]", "one number")]:
        verdict = s.submit(0, text)
        assert verdict.status == "invalid" and phrase in verdict.message, (text, verdict)
    assert s.entry(0) is None and s.index == 0
    assert s.submit(0, "1 + )").error_column == 5


def test_steps_are_answered_in_order():
    s = stepper("chain-rule/e10")
    verdict = s.submit(3, "2.58309")
    assert verdict.status == "invalid" and "Do step 1 (u) first" in verdict.message
    assert s.submit(99, "1").status == "invalid"
    assert s.submit(0, "1.25").correct
    assert s.submit(0, "7").status == "incorrect"  # re-checking a finished step changes nothing
    assert s.index == 1 and s.entry(0).correct


def test_state_is_json_and_resumes_where_it_stopped():
    s = stepper("autodiff/e1")
    run_to(s, "∂d/∂a")
    s.submit(s.index, "1")  # a wrong try on the current step
    saved = json.loads(json.dumps(s.state()))
    assert saved["phase"] == "backward" and saved["index"] == 3 and saved["node"] == "a" and saved["version"] == 1
    assert saved["entries"]["backward:a"] == {"text": "1", "correct": False, "attempts": 1, "revealed": False}
    resumed = Stepper.restore(build_graph(EXAMPLES["autodiff/e1"]), saved)
    assert resumed.index == 3 and resumed.current.label == "∂d/∂a"
    assert resumed.entry(3).text == "1"
    assert resumed.submit(3, "3").correct and resumed.submit(4, "3").correct and resumed.done


@pytest.mark.parametrize("state", [None, "junk", {}, {"entries": "x"}, {"entries": {"nope:q": {"text": "1"}}},
                                   {"entries": {"forward:c": "6"}}])
def test_damaged_state_starts_afresh(state):
    s = Stepper.restore(build_graph(EXAMPLES["autodiff/e1"]), state)
    assert s.index == 0 and s.entries == {}


def test_reveal_moves_on_and_marks_help():
    s = stepper("chain-rule/e10")
    assert s.reveal() == "1.25"
    assert s.index == 1 and s.helped and s.entry(0).revealed
    with pytest.raises(ValueError):
        s.reveal(0)
    resumed = Stepper.restore(s.graph, s.state())
    assert resumed.index == 1 and resumed.helped


def test_finite_difference_check_lists_the_learners_numbers():
    s = stepper("graph1")
    run_to(s, "∂L/∂x")
    s.submit(s.index, "14")  # wrong, kept as the entry
    rows = {r.name: r for r in s.finite_difference_check()}
    assert set(rows) == {"b", "a", "x", "y"}
    assert rows["x"].analytic == 42 and rows["x"].numeric == pytest.approx(42, rel=1e-8)
    assert rows["x"].entered == 14 and rows["y"].entered is None
    assert rows["b"].entered == 14 and all(r.agrees for r in rows.values())


def test_a_sandbox_expression_steps_one_operation_at_a_time():
    s = Stepper(graph_from_expression("L = (w*x + b - y)^2", {"w": 1, "x": 2, "b": 1, "y": 7}))
    # Backward: the inputs of the node just done come first, then the node that feeds it.
    assert [st.label for st in s.steps] == ["n1", "n2", "n3", "L", "∂L/∂n3", "∂L/∂y", "∂L/∂n2", "∂L/∂b",
                                           "∂L/∂n1", "∂L/∂w", "∂L/∂x"]
    assert [fmt(st.expected) for st in s.steps] == ["2", "3", "-4", "16", "-8", "8", "-8", "-8", "-8", "-16", "-8"]
    run_to(s, "∂L/∂w")
    verdict = s.submit(s.index, "-8")
    assert verdict.diagnosis == "local-as-one" and "for w·x with respect to w it is x = 2" in verdict.message


def test_fan_out_in_a_sandbox_expression():
    s = Stepper(graph_from_expression("x*x + x", {"x": 3}))
    run_to(s, "∂L/∂x")
    verdict = s.submit(s.index, "6")
    assert verdict.diagnosis == "missed-contribution" and "through L" in verdict.message
    assert s.submit(s.index, "7").correct
