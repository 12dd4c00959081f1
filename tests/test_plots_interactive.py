"""Interactive figures: what each one teaches must be true of its data."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tutor.plots import interactive_from_block
from tutor.plots.interactive import (
    Activations,
    AnswerVsTruth,
    Control,
    GradientDescent1D,
    NumDiffError,
    SecantToTangent,
    TangentExplorer,
    TaylorExplorer,
)
from tutor.plots.interactive.gd import DIVERGENT, GOOD, TOO_SMALL
from tutor.plots.vectorize import PlotError


def _slope_of(series) -> float:
    xs, ys = series.segments()[0]
    return float((ys[-1] - ys[0]) / (xs[-1] - xs[0]))


def _through(series, x: float) -> float:
    xs, ys = series.segments()[0]
    return float(np.interp(x, xs, ys))


# Tangent explorer ----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "x0", "slope"), [
    ("x^2", 1.5, 3.0), ("x^2", -2.0, -4.0), ("sin(x)", 0.7, math.cos(0.7)),
    ("-x^3 + 3*x", 1.0, 0.0), ("sigmoid(x)", 0.0, 0.25), ("exp(x)", 0.3, math.exp(0.3)),
])
def test_tangent_slope_equals_the_derivative(text, x0, slope):
    model = TangentExplorer(text, x0)
    panel = model.figure(80).panels[0]
    tangent = panel.find("tangent")
    assert _slope_of(tangent) == pytest.approx(slope, abs=1e-9)
    assert _through(tangent, x0) == pytest.approx(model.value, abs=1e-9)  # it touches f at x₀
    assert any(m.label == "x₀" and m.x == x0 for m in panel.markers)


def test_tangent_follows_x0_and_clamps():
    model = TangentExplorer("x^2", 0.0, step=0.5)
    assert model.move(1) and model.x0 == 0.5
    assert _slope_of(model.figure().panels[0].find("tangent")) == pytest.approx(1.0)
    assert "slope f'(x₀) = 1" in model.figure().readout[0]
    model.set_x0(4.9)
    assert model.move(1) and model.x0 == 5.0
    assert not model.move(1), "the right edge of the plot stops it"
    for _ in range(100):
        model.move(-1)
    assert model.x0 == -5.0


def test_repeated_small_steps_do_not_drift():
    model = TangentExplorer("x^2", 0.0, step=0.1)
    for _ in range(3):
        model.move(1)
    assert model.x0 == 0.3


def test_no_tangent_at_a_kink():
    model = TangentExplorer("relu(x)", 0.0)
    figure = model.figure()
    assert math.isnan(model.slope)
    with pytest.raises(KeyError):
        figure.panels[0].find("tangent")
    assert "no derivative" in " ".join(figure.readout)
    model.move(1)
    assert model.slope == 1.0


def test_finer_and_coarser_steps_clamp():
    model = TangentExplorer("x^2", 0.0)
    while model.finer():
        pass
    assert model.step > 0 and not model.finer()
    while model.coarser():
        pass
    assert not model.coarser() and model.step <= 10


# Secant to tangent ---------------------------------------------------------------------------

def test_secant_slope_converges_to_the_derivative():
    model = SecantToTangent("x^2", 3.0, h=1.0)
    gaps = []
    while True:
        figure = model.figure()
        secant = figure.panels[0].series[1]
        assert secant.label.startswith("secant")
        assert _slope_of(secant) == pytest.approx(6.0 + model.h, rel=1e-9)  # (x₀ + h)² − x₀² over h
        gaps.append(abs(model.secant_slope - 6.0))
        if not model.shrink():
            break
    assert all(b < a for a, b in zip(gaps, gaps[1:]))
    assert gaps[-1] < 1e-4  # 1/8! on [-1, 1]
    assert model.h == model.h_min


def test_secant_readout_names_both_slopes():
    model = SecantToTangent("x^2", 3.0, h=0.1, factor=10)
    assert model.figure().readout[0] == "h = 0.1   secant slope 6.1 → f'(3) = 6"
    model.shrink()
    assert model.h == 0.01 and "6.01 → f'(3) = 6" in model.figure().readout[0]


def test_secant_h_stays_on_the_plot():
    model = SecantToTangent("x^2", 3.0, h=1.0, backdrop=None)
    while model.grow():
        pass
    assert model.x0 + model.h <= model.x_range[1]


# Numerical differentiation error -------------------------------------------------------------

def test_exp_at_1_has_the_v_shapes():
    model = NumDiffError("exp(x)", 1.0, ("forward", "central"), (1e-15, 1.0), 100)
    h_central, e_central = model.minimum("central")
    h_forward, e_forward = model.minimum("forward")
    assert 1e-6 <= h_central <= 5e-5 and e_central < 1e-9
    assert 1e-9 <= h_forward <= 1e-7 and e_forward < 1e-7
    # Both arms of the V: rounding on the left, truncation on the right.
    for method in ("forward", "central"):
        errors = model.errors[method]
        assert errors[0] > 1e-3 and errors[-1] > 1e-3


def test_x_squared_central_difference_is_exact_up_to_rounding():
    model = NumDiffError("x^2", 3.0, ("forward", "central"), (1e-15, 1.0), 100)
    central, forward, hs = model.errors["central"], model.errors["forward"], model.hs
    large = hs > 1e-2
    assert np.all(central[large] < 1e-12), "no truncation error for a quadratic, only rounding"
    assert np.allclose(forward[large], hs[large], rtol=1e-6), "forward error is exactly h for x²"
    h_forward, _ = model.minimum("forward")
    assert 1e-9 <= h_forward <= 1e-7


def test_errors_are_those_numpy_computes():
    """The estimates are NumPy's own float64 arithmetic, rounding included."""
    model = NumDiffError("exp(x)", 1.0, ("forward",), (1e-12, 1e-4), 9)
    hs = model.hs
    numpy_way = (np.exp(1.0 + hs) - np.exp(1.0)) / hs
    assert np.array_equal(model.estimates["forward"], numpy_way)
    assert np.allclose(model.errors["forward"], np.abs(numpy_way - math.e), rtol=1e-6)


def test_numdiff_figure_is_loglog_with_gaps_for_exact_zeros():
    model = NumDiffError("x^2", 3.0, ("forward", "central"), (1e-15, 1.0), 100)
    panel = model.figure(80).panels[0]
    assert panel.axes == "loglog" and panel.x_label == "h"
    central = panel.find("central")
    zeros = int((model.errors["central"] == 0).sum())
    assert central.finite_count == 100 - zeros
    assert all(s.ys[np.isfinite(s.ys)].min() > 0 for s in panel.series)
    if zeros:
        assert "exact (error 0)" in " ".join(panel.readout)


def test_numdiff_cursor_moves_and_clamps():
    model = NumDiffError("exp(x)", 1.0, samples=20)
    start = model.cursor
    assert model.move(-1) and model.cursor == start - 1
    while model.move(1):
        pass
    assert model.cursor == 19 and not model.move(1)
    assert "h = 1:" in model.figure().readout[-2]


def test_numdiff_refuses_an_undefined_derivative():
    with pytest.raises(PlotError):
        NumDiffError("sqrt(x)", 0.0)


def test_backward_differences_are_available():
    model = NumDiffError("exp(x)", 1.0, ("backward",), (1e-6, 1e-1), samples=20)
    # Truncation dominates here: |error| ≈ (h/2)·f''(1) = e·h/2.
    assert np.allclose(model.errors["backward"], math.e * model.hs / 2, rtol=0.05)


# Taylor ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "center"), [("exp(x)", 0.0), ("sin(x)", 0.0), ("ln(x)", 1.0),
                                                ("sigmoid(x)", 0.5), ("x*ln(x + exp(-x))", 1.5)])
def test_taylor_polynomial_at_the_centre_equals_f(text, center):
    model = TaylorExplorer(text, center, order=0)
    while True:
        assert model.polynomial(np.array([center]))[0] == pytest.approx(model.f.at(center), abs=1e-14)
        if not model.raise_order():
            break
    assert model.order == 20 or model.order == max(model._nonzero)


def test_taylor_hugs_f_more_closely_as_the_order_rises():
    model = TaylorExplorer("exp(x)", 0.0, order=0)
    xs = np.linspace(-1, 1, 101)
    gaps = []
    for _ in range(8):
        gaps.append(float(np.max(np.abs(model.polynomial(xs) - np.exp(xs)))))
        model.raise_order()
    assert all(b < a for a, b in zip(gaps, gaps[1:]))
    assert gaps[-1] < 1e-4  # 1/8! on [-1, 1]


def test_taylor_skips_zero_terms_and_clamps():
    model = TaylorExplorer("sin(x)", 0.0, order=1)
    assert model.raise_order() and model.order == 3
    assert model.figure().readout[0] == "degree 3: p(x) = x − x³/6"
    assert model.lower_order() and model.order == 1
    assert not model.lower_order()
    while model.raise_order():
        pass
    assert model.order == 19 and not model.raise_order()


def test_taylor_series_matches_the_lesson_polynomial():
    model = TaylorExplorer("exp(x)", 0.0, order=4)
    xs = np.linspace(-3, 3, 13)
    assert np.allclose(model.polynomial(xs), 1 + xs + xs**2 / 2 + xs**3 / 6 + xs**4 / 24)


def test_taylor_at_a_kink_is_an_error():
    with pytest.raises(PlotError):
        TaylorExplorer("abs(x)", 0.0)


# Gradient descent ----------------------------------------------------------------------------

def test_learning_rate_regimes_on_x_squared():
    slow = GradientDescent1D("x^2", 5.0, lr=0.01, steps=20)
    good = GradientDescent1D("x^2", 5.0, lr=0.1, steps=20)
    wild = GradientDescent1D("x^2", 5.0, lr=1.5, steps=20)
    assert slow.regime() == TOO_SMALL and abs(slow.iterates()[-1]) > 1
    assert good.regime() == GOOD and abs(good.iterates()[-1]) < 0.1
    assert wild.regime() == DIVERGENT
    xs = np.abs(wild.iterates())
    assert np.all(np.diff(xs) > 0), "divergent iterates grow in |x|"
    assert "divergent" in wild.figure().readout[0]


def test_gd_iterates_follow_the_update_rule():
    model = GradientDescent1D("x^2", 5.0, lr=0.1, steps=5)
    assert np.allclose(model.iterates(), 5.0 * 0.8 ** np.arange(6))


def test_gd_lr_controls_walk_the_ladder_and_clamp():
    model = GradientDescent1D("x^2", 5.0, lr=0.1)
    assert model.faster() and model.lr == 0.2
    assert model.slower() and model.slower() and model.lr == pytest.approx(0.07)
    while model.slower():
        pass
    assert model.lr == 1e-4 and not model.slower()
    while model.faster():
        pass
    assert model.lr == 10.0 and not model.faster()


def test_gd_blowup_stops_early_and_says_so():
    model = GradientDescent1D("x^2", 5.0, lr=10.0, steps=100)
    assert len(model.iterates()) < 101
    assert model.regime() == DIVERGENT and "blew up" in model.figure().readout[1]


def test_gd_figure_has_the_path_and_the_loss_curve():
    model = GradientDescent1D("x^2", 5.0, lr=0.3, steps=10)
    curve, loss = model.figure(80).panels
    assert [s.label for s in curve.series] == ["f(x) = x^2", "path", "iterates"]
    assert curve.find("iterates").style == "scatter"
    assert loss.find("loss").finite_count == 11
    assert loss.axes == "semilogy"


def test_gd_at_a_bouncing_rate():
    model = GradientDescent1D("x^2", 5.0, lr=1.0)
    assert model.regime() == DIVERGENT and "bouncing" in model.figure().readout[1]


# Activations -----------------------------------------------------------------------------------

def test_activation_panels_and_derivatives():
    model = Activations()
    figure = model.figure(40)
    assert len(figure.panels) == 4
    sigmoid = figure.panels[0]
    xs, ys = sigmoid.find("σ'(x)").segments()[0]
    s = 1 / (1 + np.exp(-xs))
    assert np.allclose(ys, s * (1 - s))
    relu = figure.panels[2].find("ReLU'(x)")
    assert len(relu.segments()) == 2, "ReLU' jumps at 0: no riser drawn"
    leaky = figure.panels[3].find("leaky'(x)")
    values = np.unique(np.round(leaky.ys[np.isfinite(leaky.ys)], 12))
    assert set(values) == {0.1, 1.0}


def test_activation_probe_shows_the_vanishing_gradient():
    model = Activations(probe=5.0)
    readout = model.figure().readout[0]
    assert "σ' = 0.006648" in readout
    assert model.toggle_derivatives()
    assert all(len(p.series) == 1 for p in model.figure().panels)
    assert not model.move(1) and model.move(-1)


# Answer against the truth --------------------------------------------------------------------

def test_answer_vs_truth_marks_the_largest_gap():
    model = AnswerVsTruth("cos(x^3)", "3*x^2*cos(x^3)", ("x",), (-2.0, 2.0))
    panel = model.figure(80).panels[0]
    assert {s.label for s in panel.series} == {"your answer", "true"}
    x, mine, true = model.largest_gap()
    xs = np.linspace(-2, 2, 2001)
    gap = np.abs(np.cos(xs**3) - 3 * xs**2 * np.cos(xs**3))
    assert abs(mine - true) == pytest.approx(gap.max(), rel=1e-2)
    assert {m.label for m in panel.markers} == {"your answer", "true"}
    assert all(m.x == x for m in panel.markers)
    assert "largest gap" in panel.readout[0]


def test_answer_vs_truth_agreeing_forms():
    model = AnswerVsTruth("2*sin(x)*cos(x)", "sin(2*x)")
    assert model.figure().readout[0] == "the two curves agree everywhere on this range"
    assert not model.figure().panels[0].markers


def test_answer_vs_truth_for_a_derivative_exercise():
    model = AnswerVsTruth.for_derivative("1/x", "ln(x^2)", "x", 1, (-3.0, 3.0))
    readout = " ".join(model.figure().readout)
    assert "largest gap" in readout  # 1/x against 2/x
    xs = np.array([0.5, 1.0, 2.0])
    assert np.allclose(model.truth(xs), 2 / xs)


def test_answer_vs_truth_zoom_clamps():
    model = AnswerVsTruth("x^2", "2*x")
    assert model.zoom_in()
    lo, hi = model.x_range
    assert hi - lo == pytest.approx(5.0)
    while model.zoom_out():
        pass
    assert model.x_range[1] - model.x_range[0] == pytest.approx(1e4)


def test_answer_vs_truth_with_a_second_variable():
    model = AnswerVsTruth("2*x*y", "2*x", ("x", "y"), (-1.0, 1.0), fixed_value=1.0)
    assert "with y = 1" in model.figure().readout[-1]


# From blocks, and the controls protocol ----------------------------------------------------------

def test_interactive_from_block_kinds():
    assert interactive_from_block({"x": [-1, 1], "curves": [{"expr": "x"}]}) is None
    cases = {
        "tangent": {"x": [-3, 3], "tangents": [{"of": "x^2", "at": -2}]},
        "secant": {"x": [1.5, 4.5], "function": "x^2", "at": 3},
        "taylor": {"x": [-3, 3], "curves": [{"expr": "exp(x)", "style": "bold"}, {"expr": "1 + x"}]},
        "gd": {"x": [-6, 6], "function": "x^2", "at": 5, "lr": 0.3, "steps": 10},
        "activations": {},
        "numdiff-error": {"function": "exp(x)", "at": 1, "h": [1e-15, 1], "samples": 50},
    }
    expected = {"tangent": TangentExplorer, "secant": SecantToTangent, "taylor": TaylorExplorer,
                "gd": GradientDescent1D, "activations": Activations, "numdiff-error": NumDiffError}
    for kind, data in cases.items():
        model = interactive_from_block({**data, "interactive": kind})
        assert type(model) is expected[kind]
    tangent = interactive_from_block({**cases["tangent"], "interactive": "tangent"})
    assert tangent.x0 == -2 and tangent.slope == -4
    gd = interactive_from_block({**cases["gd"], "interactive": "gd"})
    assert (gd.x0, gd.lr, gd.steps) == (5.0, 0.3, 10)


def test_tangent_explorer_draws_the_function_it_touches():
    """The README example draws σ curves but moves a tangent along x²: x² must be drawn too."""
    data = {"x": [-5, 5], "curves": [{"expr": "sigmoid(x)", "label": "σ"}],
            "tangents": [{"of": "x^2", "at": 1.5}], "interactive": "tangent"}
    labels = [s.label for s in interactive_from_block(data).figure().panels[0].series]
    assert labels == ["σ", "f(x) = x^2", "tangent"]
    data = {"x": [-3, 3], "curves": [{"expr": "x^2", "label": "y = x²"}], "tangents": [{"of": "x^2", "at": 1}],
            "interactive": "tangent"}
    labels = [s.label for s in interactive_from_block(data).figure().panels[0].series]
    assert labels == ["y = x²", "tangent"]


def test_block_points_stay_on_the_interactive_figure():
    data = {"function": "exp(x)", "at": 1, "h": [1e-15, 1], "interactive": "numdiff-error",
            "points": [{"at": [1e-6, 1e-10], "label": "best"}]}
    figure = interactive_from_block(data).figure()
    assert any(m.label == "best" for m in figure.panels[0].markers)


@pytest.mark.parametrize("model", [
    TangentExplorer("x^2", 0.0), SecantToTangent("x^2", 1.0), NumDiffError("exp(x)", 1.0, samples=30),
    TaylorExplorer("exp(x)"), GradientDescent1D("x^2", 5.0), Activations(), AnswerVsTruth("x", "2*x"),
], ids=lambda m: m.kind)
def test_controls_return_bools_and_figures_stay_small(model):
    for control in model.controls:
        assert isinstance(control, Control) and control.key and control.description
        for _ in range(200):  # hammering a key reaches a limit and then changes nothing
            result = model.act(control)
            assert isinstance(result, bool)
        assert model.act(control) is False or control.action == "toggle_derivatives"
    for width in (20, 80, 200):
        for panel in model.figure(width).panels:
            for series in panel.series:
                assert len(series) <= 2 * width


def test_act_refuses_unknown_controls():
    with pytest.raises(KeyError):
        TangentExplorer("x^2").act("explode")
