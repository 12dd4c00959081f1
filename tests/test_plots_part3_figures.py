"""The Part 3 figures (ReLU family, softmax sweep, losses): what each teaches must be true of its data."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tutor.plots import interactive_from_block
from tutor.plots.interactive import Control, LossGradients, ReluFamily, SoftmaxSweep
from tutor.plots.interactive.softmax import softmax


def _at(series, x: float) -> float:
    """The series' value at x, from the segment that contains x."""
    for xs, ys in series.segments():
        if xs[0] <= x <= xs[-1]:
            return float(np.interp(x, xs, ys))
    raise AssertionError(f"{series.label} has no point near x = {x}")


# ReLU family ----------------------------------------------------------------------------------

def test_relu_family_curves_and_derivatives():
    figure = ReluFamily().figure(80)
    values, slopes = figure.panels
    assert [s.label for s in values.series] == ["GELU", "ELU (α = 1)", "leaky ReLU (α = 0.1)", "ReLU"]
    gelu = values.find("GELU")
    xs, ys = gelu.segments()[0]
    exact = 0.5 * xs * (1 + np.tanh(math.sqrt(2 / math.pi) * (xs + 0.044715 * xs**3)))
    assert np.allclose(ys, exact)
    assert _at(values.find("ELU (α = 1)"), -1.0) == pytest.approx(math.exp(-1) - 1, abs=1e-3)
    relu_slope = slopes.find("ReLU'")
    assert len(relu_slope.segments()) == 2, "ReLU' jumps at 0: drawn as two pieces"
    leaky = slopes.find("leaky ReLU (α = 0.1)'")
    assert set(np.unique(np.round(leaky.ys[np.isfinite(leaky.ys)], 12))) == {0.1, 1.0}
    elu = slopes.find("ELU (α = 1)'")
    assert _at(elu, -2.0) == pytest.approx(math.exp(-2), abs=1e-3)
    assert _at(slopes.find("GELU'"), -1.0) < 0, "GELU dips: its slope is negative at −1"


def test_relu_family_probe_readout():
    model = ReluFamily(probe=-1.0)
    readout = model.figure().readout
    assert readout[0] == "x = -1"
    assert "ReLU: 0, slope 0" in readout[1]
    assert "slope 0.1" in readout[2]
    assert "ELU (α = 1): -0.6321, slope 0.3679" in readout[3]
    model = ReluFamily(probe=0.0)
    names = {name: slope for name, _, slope in model.values()}
    assert math.isnan(names["ReLU"]) and math.isnan(names["leaky ReLU (α = 0.1)"]), "kinks: no slope"
    assert names["ELU (α = 1)"] == pytest.approx(1.0) and names["GELU"] == pytest.approx(0.5)
    assert "undefined (kink)" in model.figure().readout[1]


def test_relu_family_probe_clamps():
    model = ReluFamily(probe=2.75)
    assert model.move(1) and model.probe == 3.0
    assert not model.move(1)


# Softmax ---------------------------------------------------------------------------------------

def test_softmax_is_stable_and_matches_the_lesson():
    assert np.allclose(softmax(np.array([2.0, 1.0, 0.1])), [0.659001, 0.242433, 0.0985659], atol=1e-6)
    with np.errstate(over="raise"):
        p = softmax(np.array([1000.0, 1001.0, 1002.0]))
    assert np.allclose(p, [0.0900306, 0.244728, 0.665241], atol=1e-6) and p.sum() == pytest.approx(1.0)


def test_softmax_sweep_curves_sum_to_one_and_pass_through_the_markers():
    model = SoftmaxSweep()
    sweep, logits, probs = model.figure(80).panels
    total = sum(s.ys for s in sweep.series)
    assert np.allclose(total[np.isfinite(total)], 1.0)
    for marker, series in zip(sweep.markers, sweep.series):
        assert marker.x == 2.0
        assert _at(series, 2.0) == pytest.approx(marker.y, abs=1e-3)
    p1 = sweep.series[0]
    finite = np.isfinite(p1.ys)
    assert np.all(np.diff(p1.ys[finite]) > 0), "raising z1 raises p1"
    assert np.all(np.diff(sweep.series[1].ys[np.isfinite(sweep.series[1].ys)]) < 0), "... and lowers p2"
    assert "softmax(z) = [0.659, 0.2424, 0.09857]" in model.figure().readout[1]
    assert np.nanmax(probs.series[0].ys) == pytest.approx(0.659001, abs=1e-6)
    assert np.nanmax(logits.series[0].ys) == pytest.approx(2.0)
    assert [m.label for m in probs.markers] == ["p1 = 0.659", "p2 = 0.242", "p3 = 0.0986"]


def test_softmax_moving_one_logit_and_shifting_all():
    model = SoftmaxSweep()
    before = model.probabilities
    assert model.move(1) and model.logits[0] == 2.25
    assert model.probabilities[0] > before[0] and np.all(model.probabilities[1:] < before[1:])
    model.move(-1)
    assert model.shift_all(1) and model.logits == [3.0, 2.0, 1.1]
    assert np.allclose(model.probabilities, before), "softmax(z + c) = softmax(z)"
    assert model.next_logit() and model.chosen == 1
    assert "moving z2" in model.figure().readout[0]
    for _ in range(10):
        model.shift_all(1)
    assert max(model.logits) <= 5.0


# Losses ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("prediction", "target", "expected"), [
    (0.2, 1, {"MSE": (0.64, -1.6), "MAE": (0.8, -1.0), "Huber (δ = 1)": (0.32, -0.8),
              "BCE": (-math.log(0.2), (0.2 - 1) / (0.2 * 0.8))}),
    (3.0, 1, {"MSE": (4.0, 4.0), "MAE": (2.0, 1.0), "Huber (δ = 1)": (1.5, 1.0)}),
    (-2.0, 1, {"MSE": (9.0, -6.0), "MAE": (3.0, -1.0), "Huber (δ = 1)": (2.5, -1.0)}),
    (0.9, 0, {"BCE": (-math.log(0.1), 0.9 / (0.9 * 0.1))}),
])
def test_loss_values_and_gradients_at_the_probe(prediction, target, expected):
    values = {name: (value, slope) for name, value, slope in LossGradients(prediction, target).values()}
    for name, (value, slope) in expected.items():
        assert values[name][0] == pytest.approx(value, rel=1e-9)
        assert values[name][1] == pytest.approx(slope, rel=1e-6)


def test_loss_gradients_where_the_losses_differ():
    at_target = {name: slope for name, _, slope in LossGradients(1.0, 1).values()}
    assert at_target["MSE"] == 0 and at_target["Huber (δ = 1)"] == 0
    assert math.isnan(at_target["MAE"]), "MAE has a kink at ŷ = y"
    assert math.isnan(at_target["BCE"]), "BCE is undefined at ŷ = 1"
    figure = LossGradients(0.5, 1).figure(80)
    mse, mae, huber, bce = figure.panels
    assert _at(mae.find("∂L/∂ŷ"), -1.5) == pytest.approx(-1.0)
    assert _at(huber.find("∂L/∂ŷ"), 0.5) == pytest.approx(-0.5, abs=1e-2)
    assert _at(huber.find("∂L/∂ŷ"), -1.5) == pytest.approx(-1.0, abs=1e-2), "Huber clips at −δ"
    assert _at(mse.find("∂L/∂ŷ"), 0.0) == pytest.approx(-2.0, abs=1e-2), "MSE grows with the error"
    assert _at(bce.find("∂L/∂ŷ"), 0.25) == pytest.approx(-4.0, rel=1e-2), "BCE punishes a confident miss"
    assert "outside" in LossGradients(2.0, 1).figure().readout[3]


def test_loss_target_toggle_moves_the_minimum():
    model = LossGradients(0.0, 1)
    assert model.toggle_target() and model.target == 0
    values = {name: (value, slope) for name, value, slope in model.values()}
    assert values["MSE"] == (0.0, 0.0)
    assert all(p.title.endswith("y = 0") for p in model.figure().panels)


# Blocks and the controls protocol -------------------------------------------------------------------

def test_part3_kinds_from_blocks():
    assert type(interactive_from_block({"interactive": "relu-family", "x": [-3, 3]})) is ReluFamily
    assert type(interactive_from_block({"interactive": "softmax"})) is SoftmaxSweep
    losses = interactive_from_block({"interactive": "losses", "at": 0.3})
    assert type(losses) is LossGradients and losses.prediction == 0.3


@pytest.mark.parametrize("model", [ReluFamily(), SoftmaxSweep(), LossGradients()], ids=lambda m: m.kind)
def test_controls_return_bools_and_figures_stay_small(model):
    for control in model.controls:
        assert isinstance(control, Control) and control.key and control.description
        for _ in range(200):
            assert isinstance(model.act(control), bool)
    for width in (20, 80, 200):
        for panel in model.figure(width).panels:
            for series in panel.series:
                assert len(series) <= 2 * width
