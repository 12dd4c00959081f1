"""The integral-calculus figures: the rules give the lessons' numbers, and each figure shows
what its lesson says it shows (strips closing in on the area, slopes −1/−2/−4/−½, E[f] as area)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tutor.plots import check_plot_block, interactive_from_block, quadrature
from tutor.plots.interactive import Expectation, IntegrationError, RiemannSums
from tutor.plots.vectorize import PlotError


def square(x):
    return x**2


# The rules ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("rule", "n", "value"), [
    ("left", 4, 1.75), ("trapezoid", 4, 2.75), ("left", 10, 2.28), ("trapezoid", 10, 2.68),
    ("left", 1000, 2.662668), ("trapezoid", 1000, 2.666668), ("simpson", 2, 8 / 3),
])
def test_rules_give_the_lessons_numbers_for_x_squared(rule, n, value):
    assert quadrature.rule(rule, square, 0.0, 2.0, n) == pytest.approx(value, rel=1e-9)


def test_simpson_on_sine_and_its_even_n():
    assert quadrature.simpson(np.sin, 0, math.pi, 4) == pytest.approx(2.00455975498, rel=1e-10)
    assert abs(quadrature.simpson(np.sin, 0, math.pi, 1000) - 2) < 1e-10
    with pytest.raises(ValueError):
        quadrature.simpson(np.sin, 0, math.pi, 5)


def test_reference_and_monte_carlo_spread():
    assert quadrature.reference(np.exp, 0, 1) == pytest.approx(math.e - 1, rel=1e-14)
    # sd of π·sin(U), U ~ U(0, π): √(π²/2 − 4) = 0.966852; standard error 0.0967 at N = 100.
    assert quadrature.monte_carlo_spread(np.sin, 0, math.pi) == pytest.approx(math.sqrt(math.pi**2 / 2 - 4), rel=1e-10)


# Riemann sums ---------------------------------------------------------------------------------

def test_riemann_strips_are_the_sum_and_close_in_on_the_area():
    model = RiemannSums("x^2", (0, 2), n=4)
    xs, ys = model.outline()
    heights = ys[1::4]  # the top-left corner of each strip
    assert float(np.sum(heights) * 0.5) == pytest.approx(model.estimate()) == pytest.approx(1.75)
    assert model.exact == pytest.approx(8 / 3, rel=1e-14)
    errors = []
    while model.more():
        errors.append(abs(model.estimate() - model.exact))
    assert model.n == 1000 and errors == sorted(errors, reverse=True)
    assert "2.662668" in model.figure(80).readout[0]


def test_riemann_switches_to_trapezoids_and_clamps_n():
    model = RiemannSums("x^2", (0, 2), n=10)
    assert model.switch_rule() and model.rule == "trapezoid"
    _, ys = model.outline()
    assert ys[2] == pytest.approx(0.2**2), "a trapezoid's top right corner is on the curve"
    assert "trapezoid rule = 2.68" in model.figure(80).readout[0]
    while model.fewer():
        pass
    assert model.n == 1 and not model.fewer()


def test_riemann_counts_area_below_the_axis_as_negative():
    model = RiemannSums("sin(x)", (0, 2 * math.pi), n=100)
    assert abs(model.exact) < 1e-12
    assert abs(model.estimate()) < 1e-12


def test_riemann_refuses_an_integrand_undefined_on_the_interval():
    with pytest.raises(PlotError):
        RiemannSums("1/x", (-1, 1), n=4)


# Error against n --------------------------------------------------------------------------------

def test_error_slopes_are_minus_one_two_four_and_a_half():
    model = IntegrationError("exp(x)", (0, 1), 100_000)
    assert model.slope("left") == pytest.approx(-1, abs=0.05)
    assert model.slope("trapezoid") == pytest.approx(-2, abs=0.05)
    assert model.slope("simpson") == pytest.approx(-4, abs=0.1)
    slopes = []
    for _ in range(20):
        model.reseed()
        slopes.append(model.slope("Monte Carlo"))
    assert np.mean(slopes) == pytest.approx(-0.5, abs=0.1)


def test_monte_carlo_errors_sit_near_the_standard_error_band():
    model = IntegrationError("sin(x)", (0, math.pi), 100_000)
    band = model.spread / np.sqrt(model.ns)
    assert np.mean(model.mc_errors <= 2 * band) > 0.8
    before = model.mc_estimates.copy()
    assert model.reseed() and not np.array_equal(before, model.mc_estimates)


def test_left_equals_trapezoid_for_sine_on_zero_to_pi():
    model = IntegrationError("sin(x)", (0, math.pi))
    np.testing.assert_allclose(model.estimates["left"], model.estimates["trapezoid"], rtol=1e-14)
    i = list(model.ns).index(4)
    assert model.estimates["simpson"][i] == pytest.approx(2.00455975498, rel=1e-10)


def test_error_cursor_moves_along_n_and_stops_at_the_ends():
    model = IntegrationError("exp(x)", (0, 1), 1000)
    assert "at n = 100:" in model.figure(80).readout[0]
    assert model.move(1) and "at n = 200:" in model.figure(80).readout[0]
    for _ in range(50):
        model.move(1)
    assert model.ns[model.cursor] == 1000 and not model.move(1)
    panel = model.figure(80).panels[0]
    assert panel.axes == "loglog" and {s.label for s in panel.series} >= {"left Riemann", "trapezoid", "Simpson", "Monte Carlo"}


# Expectation as an area -------------------------------------------------------------------------

def test_expectation_of_x_squared_is_mean_squared_plus_variance():
    model = Expectation("x^2", mu=1.0, sigma=1.0, backdrop=None)
    assert model.expected() == pytest.approx(2.0, rel=1e-12)
    assert model.narrower() and model.sigma == 0.75
    assert model.expected() == pytest.approx(1 + 0.75**2, rel=1e-12)
    assert model.move(-1) and model.mu == 0.75
    assert model.expected() == pytest.approx(0.75**2 + 0.75**2, rel=1e-12)
    readout = model.figure(80).readout
    assert "1.125" in readout[0] and "f(μ) = 0.5625" in readout[1] and "= 0.5625" in readout[1].split("−")[-1]


def test_expectation_of_a_straight_line_is_the_line_at_the_mean():
    model = Expectation("3*x + 1", mu=2.0, sigma=2.0)
    assert model.expected() == pytest.approx(7.0, rel=1e-12)
    assert abs(model.monte_carlo() - 7.0) < 4 * 3 * 2.0 / math.sqrt(1000)


def test_expectation_hatching_reaches_the_product_curve():
    model = Expectation("x^2", mu=0.5)
    panel = model.figure(80).panels[0]
    hatch = panel.find("area = E[f(X)]")
    tops = [(xs[-1], ys[-1]) for xs, ys in hatch.segments() if len(xs) > 1]
    assert tops, "the area is drawn"
    for x, y in tops:
        assert y == pytest.approx(float(model.integrand(x)), rel=1e-9, abs=1e-12)


def test_expectation_refuses_a_function_undefined_under_the_density():
    with pytest.raises(PlotError):
        Expectation("ln(x)", mu=1.0)


# Blocks ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("block", [
    {"interactive": "riemann", "function": "x^2", "x": [0, 2], "n": 10},
    {"interactive": "integration-error", "function": "sin(x)", "x": [0, 3.14159265358979], "n": 10000},
    {"interactive": "expectation", "function": "x^2", "at": 1, "x": [-4, 4]},
])
def test_blocks_build_their_models_cleanly(block):
    assert check_plot_block(block) == []
    model = interactive_from_block(block)
    assert model is not None and model.figure(60).panels


def test_n_must_be_a_whole_number_in_range():
    issues = check_plot_block({"interactive": "riemann", "function": "x^2", "x": [0, 2], "n": 0})
    assert any(i.field == "n" for i in issues)
