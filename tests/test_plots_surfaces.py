"""Figures of f(x, y): level sets, the gradient at a moving point, slices, Newton steps and the
gradient check. What each figure teaches must be true of its data."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tutor.plots import interactive_from_block
from tutor.plots.blocks import check_plot_block
from tutor.plots.interactive import GradCheckError, LevelSetsGradient, NewtonStep, PartialSlices
from tutor.plots.interactive.newton import classify
from tutor.plots.levelsets import level_lines
from tutor.plots.surface import equal_scale, surface
from tutor.plots.vectorize import PlotError


def _pieces(xs: np.ndarray) -> int:
    return int(np.isnan(xs).sum()) + 1 if xs.size else 0


# level_lines, the chained level sets the contour figures draw ------------------------------------

def test_a_circle_level_set_lies_on_the_circle_and_is_one_closed_curve():
    ((level, xs, ys),) = level_lines(lambda x, y: x**2 + y**2, (-3, 3), (-3, 3), [4.0])
    assert level == 4.0
    assert _pieces(xs) == 1
    assert np.allclose(np.hypot(xs, ys), 2.0, atol=0.01)  # linear interpolation on a 120 grid
    assert (xs[0], ys[0]) == pytest.approx((xs[-1], ys[-1]))  # closed: it ends where it starts
    angles = np.arctan2(ys, xs)
    assert angles.max() - angles.min() > 6.0  # all the way round


def test_a_hyperbola_has_two_branches_and_an_unreached_level_is_empty():
    (_, xs, ys), (_, empty_x, empty_y) = level_lines(lambda x, y: x * y, (-2, 2), (-2, 2), [1.0, 100.0])
    assert _pieces(xs) == 2
    ok = np.isfinite(xs)
    assert np.allclose(xs[ok] * ys[ok], 1.0, atol=0.01)
    assert empty_x.size == 0 and empty_y.size == 0


def test_level_sets_skip_where_f_is_undefined():
    ((_, xs, ys),) = level_lines(lambda x, y: np.sqrt(np.where(x > 0, x, np.nan)) + 0 * y, (-1, 1), (-1, 1), [0.5])
    ok = np.isfinite(xs)
    assert ok.any() and np.all(xs[ok] > 0)
    assert np.allclose(xs[ok], 0.25, atol=0.01)


def test_equal_scale_widens_the_short_side_about_its_centre():
    (x0, x1), (y0, y1) = equal_scale((-2, 2), (-2, 2), 80)
    assert (y0, y1) == (-2, 2) and x1 - x0 > 4 and x0 == pytest.approx(-x1)
    (x0, x1), (y0, y1) = equal_scale((-50, 50), (-1, 1), 80)
    assert (x0, x1) == (-50, 50) and y1 - y0 > 2


# The gradient on level sets ----------------------------------------------------------------

def _direction(series) -> np.ndarray:
    xs, ys = series.segments()[0]
    d = np.array([xs[-1] - xs[0], ys[-1] - ys[0]])
    return d / np.linalg.norm(d)


def test_the_arrow_is_the_gradient_and_meets_the_level_set_at_a_right_angle():
    model = LevelSetsGradient("x^2 + 3*x*y + y^2", (1.0, 1.0), (-2, 2), (-2, 2))
    panel = model.figure(80).panels[0]
    grad = np.array([5.0, 5.0])
    arrow = next(s for s in panel.series if s.label.startswith("∇f"))
    tangent = panel.find("tangent to the level set")
    assert _direction(arrow) == pytest.approx(grad / np.linalg.norm(grad), abs=1e-9)
    assert abs(_direction(tangent) @ grad) < 1e-9
    level = next(s for s in panel.series if s.label.startswith("level set f ="))
    assert level.label == "level set f = 5"
    ok = np.isfinite(level.xs) & np.isfinite(level.ys)
    assert np.allclose(level.xs[ok] ** 2 + 3 * level.xs[ok] * level.ys[ok] + level.ys[ok] ** 2, 5, atol=0.1)
    assert "∇f = [5, 5]" in " ".join(panel.readout)


def test_descent_flips_the_arrow_and_arrows_shrink_towards_the_minimum():
    model = LevelSetsGradient("x^2 + y^2", (2.0, 1.0), (-3, 3), (-3, 3))
    assert model.act("flip")
    arrow = next(s for s in model.figure().panels[0].series if s.label.startswith("−∇f"))
    assert _direction(arrow) == pytest.approx(-np.array([4.0, 2.0]) / math.hypot(4, 2), abs=1e-9)
    far = model.arrow_length(math.hypot(4, 2), 6.0)
    model.set_point(0.5, 0.0)
    near = model.arrow_length(1.0, 6.0)
    assert near < far / 4


def test_the_point_moves_with_the_arrow_keys_and_stops_at_the_box():
    model = LevelSetsGradient("x^2 + y^2", (2.0, 1.0), (-3, 3), (-3, 3))
    assert model.act("toggle_field")
    assert any(s.label == "∇f field" for s in model.figure().panels[0].series)
    up = next(c for c in model.controls if c.key == "up")
    before = model.point
    assert model.act(up) and model.point[1] > before[1] and model.point[0] == before[0]
    for _ in range(100):
        model.move(1, 0)
    assert model.x == 3.0 and not model.move(1, 0)


def test_at_a_critical_point_there_is_no_arrow():
    model = LevelSetsGradient("x^2 + y^2", (0.0, 0.0), (-3, 3), (-3, 3))
    panel = model.figure().panels[0]
    assert "critical point" in " ".join(panel.readout)
    assert not any(s.label.startswith("∇f") for s in panel.series)


# Slices --------------------------------------------------------------------------------------

def _slope(series) -> float:
    xs, ys = series.segments()[0]
    return float((ys[-1] - ys[0]) / (xs[-1] - xs[0]))


def test_each_slice_tangent_has_the_partial_derivative_as_its_slope():
    model = PartialSlices("x^2 + 3*x*y + y^2", (1.0, 2.0), (-2, 2), (-2, 2))
    left, right = model.figure().panels
    assert _slope(next(s for s in left.series if s.label.startswith("slope"))) == pytest.approx(8)
    assert _slope(next(s for s in right.series if s.label.startswith("slope"))) == pytest.approx(7)
    assert left.find("f(x, 2)") and right.find("f(1, y)")
    model.set_point(-1.0, 0.5)  # ∂f/∂x = 2x + 3y = -0.5, ∂f/∂y = 3x + 2y = -2
    left, right = model.figure().panels
    assert _slope(next(s for s in left.series if s.label.startswith("slope"))) == pytest.approx(-0.5)
    assert _slope(next(s for s in right.series if s.label.startswith("slope"))) == pytest.approx(-2)


# Newton ---------------------------------------------------------------------------------------

def test_newton_lands_on_the_minimum_of_a_quadratic_in_one_step():
    model = NewtonStep("x^2 + 3*y^2", (4.0, 2.0), (-5, 5), (-3, 3), lr=0.1)
    gd, newton = model.steps()
    assert newton == pytest.approx([0, 0], abs=1e-12)
    assert gd == pytest.approx([3.2, 0.8])
    readout = " ".join(model.figure().readout)
    assert "eigenvalues 2, 6" in readout and "bowl" in readout and "condition number 3" in readout
    assert model.act("faster") and model.lr == 0.2
    assert model.steps()[0] == pytest.approx([4 - 0.2 * 8, 2 - 0.2 * 12])


def test_a_saddle_is_named_and_newton_heads_for_it():
    model = NewtonStep("x^2 + 3*x*y + y^2", (1.0, 0.5), (-2, 2), (-2, 2))
    assert model.steps()[1] == pytest.approx([0, 0], abs=1e-12)
    assert "saddle" in model.figure().readout[0]
    assert "eigenvalues -1, 5" in model.figure().readout[0]


@pytest.mark.parametrize(("eigenvalues", "word"), [
    ([2, 6], "bowl"), ([-1, -3], "hill"), ([5, -1], "saddle"), ([0, 2], "inconclusive"),
])
def test_classify(eigenvalues, word):
    assert word in classify(np.array(eigenvalues, dtype=float))


def test_a_singular_hessian_has_no_newton_step():
    model = NewtonStep("x^2", (1.0, 1.0), (-2, 2), (-2, 2))
    assert model.steps()[1] is None
    assert "no Newton step" in " ".join(model.figure().readout)


# Gradient check -------------------------------------------------------------------------------

def test_gradient_check_is_a_v_for_central_and_a_plateau_for_a_bug():
    model = GradCheckError("x^3 + y^3 + z^3", (1, 2, 3))
    central, forward = model.errors("central"), model.errors("forward")
    at = lambda h: int(np.argmin(np.abs(np.log10(model.hs) - math.log10(h))))  # noqa: E731
    assert model.hs[model.cursor] == pytest.approx(1e-6)
    assert central.min() < 1e-9 and central[at(1e-2)] == pytest.approx(2.916e-6, rel=1e-2)  # h² truncation
    assert forward[at(1e-3)] == pytest.approx(1.89e-4, rel=1e-2) and forward[at(1e-3)] > 100 * central[at(1e-3)]
    assert central[at(1e-12)] > central[at(1e-5)]  # round-off on the left
    y_range = model.figure().panels[0].y_range
    assert y_range[0] <= central.min() and y_range[1] >= 1  # threshold and every error in view
    model.toggle_bug()
    assert model.figure().panels[0].y_range == y_range  # the bug moves the curves, not the axes
    assert model.analytic == pytest.approx([1.5, 6, 13.5])
    assert np.allclose(model.errors("central")[at(1e-1):at(1e-9)], 1 / 3, atol=1e-4)
    assert "fails" in model.figure().readout[1]


def test_the_worked_l2_check():
    model = GradCheckError("x^2 + y^2 + z^2", (1, 2, 3))
    error = model.errors("central")[model.cursor]
    assert 1e-13 < error < 1e-8  # rounding level; the exact figure varies by platform


# Blocks ------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["level-sets", "partial-slices", "newton"])
def test_blocks_build_their_models_and_report_bad_settings(kind):
    block = {"function": "x^2 + 3*y^2", "x": [-2, 2], "y": [-2, 2], "point": [1, 1], "interactive": kind}
    assert interactive_from_block(block).kind == kind
    assert check_plot_block(block) == []
    assert any("point" in str(i) for i in check_plot_block({**block, "point": [1, 2, 3, 4]}))
    assert any("'point' needs 2" in str(i) for i in check_plot_block({**block, "point": [1, 2, 3]}))
    no_function = {k: v for k, v in block.items() if k != "function"}
    assert any("needs 'function'" in str(i) for i in check_plot_block(no_function))


def test_a_gradcheck_block_and_a_bad_expression():
    block = {"function": "x^3 + y^3 + z^3", "point": [1, 2, 3], "h": [1e-13, 1], "interactive": "gradcheck-error"}
    assert interactive_from_block(block).kind == "gradcheck-error"
    assert check_plot_block(block) == []
    with pytest.raises(PlotError):
        surface("x^2 + * y")
    with pytest.raises(PlotError):
        surface("x^2 + w", 2)  # w is not a variable of a surface in x and y
