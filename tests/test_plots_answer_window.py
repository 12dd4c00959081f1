"""Where F4's plot of a wrong answer against the truth opens: the domain's bounds, read by the
checker's domain parser, and a window chosen from where the two curves differ."""

from __future__ import annotations

import math

import pytest

from tutor.checking.spec import ExerciseSpec
from tutor.plots.answer_spec import plottable
from tutor.plots.answer_window import DEFAULT_WINDOW, domain_window
from tutor.plots.interactive.answer import answer_against_truth


@pytest.mark.parametrize("domain, low, high", [
    ("x > 1/2", 0.5, None),
    ("-pi/3<x<pi/3", -math.pi / 3, math.pi / 3),
    ("x > e", math.e, None),
    ("x >= 0, x < 2", 0.0, 2.0),
    ("x != 0", DEFAULT_WINDOW[0], DEFAULT_WINDOW[1]),
    (None, DEFAULT_WINDOW[0], DEFAULT_WINDOW[1]),
])
def test_the_window_keeps_to_the_domain(domain, low, high):
    lo, hi = domain_window(domain, "x")
    assert lo == pytest.approx(low)
    if high is not None:
        assert hi == pytest.approx(high)
    assert hi > lo


def test_an_unreadable_domain_leaves_the_default():
    assert domain_window("x >>> 2", "x") == DEFAULT_WINDOW


def test_a_fast_oscillating_derivative_opens_on_a_readable_window():
    # d/dx sin(x³) = 3x²cos(x³) turns about 80 times on [-5, 5]: the window narrows.
    model = answer_against_truth(ExerciseSpec("derivative", function="sin(x^3)", var="x"), "cos(x^3)")
    lo, hi = model.x_range
    assert lo < 0 < hi and hi - lo < 6
    assert model.y_range[1] - model.y_range[0] < 200  # not flattened by the ±75 amplitude at x = ±5


def test_a_gentle_wrong_answer_keeps_the_whole_window():
    model = answer_against_truth(ExerciseSpec("derivative", function="x^2", var="x"), "3x")
    assert model.x_range == DEFAULT_WINDOW


def test_a_pole_is_clipped_not_allowed_to_flatten_the_picture():
    model = answer_against_truth(ExerciseSpec("derivative", function="tan(x)", var="x"), "1")
    lo, hi = model.y_range
    assert hi - lo < 1000  # sec² x shoots to 1e6 near ±π/2; the range keeps the bulk in view


def test_the_window_follows_the_domain_of_the_exercise():
    model = answer_against_truth(ExerciseSpec("derivative", function="ln(x)", var="x", domain="x > e"), "1")
    assert model.x_range[0] == pytest.approx(math.e)


def test_only_one_variable_parts_with_a_truth_are_plotted():
    assert plottable(ExerciseSpec("derivative", function="x^2", var="x"))
    assert plottable(ExerciseSpec("expression", answer="2x", variables=("x",)))
    assert not plottable(ExerciseSpec("expression", answer="2x+y", variables=("x", "y")))
    assert not plottable(ExerciseSpec("numeric", answer="4"))


def test_an_interactive_tangent_figure_keeps_the_tangents_its_block_lists():
    from tutor.plots import interactive_from_block

    block = {"title": "Tangents to x² at x = −2, 0, 2", "x": [-3, 3], "y": [-3, 10],
             "curves": [{"expr": "x^2", "label": "y = x²"}],
             "tangents": [{"of": "x^2", "at": a, "label": f"at {a}"} for a in (-2, 0, 2)],
             "interactive": "tangent"}
    labels = [s.label for s in interactive_from_block(block).figure(80).panels[0].series]
    assert {"at -2", "at 0", "at 2", "tangent"} <= set(labels)
