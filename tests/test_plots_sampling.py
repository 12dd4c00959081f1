"""The plot engine's numbers: vectorised evaluation, gaps, clipping, downsampling, layering."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import mpmath
import numpy as np
import pytest

from tutor.checking.numeval import Evaluation, Undefined, evaluate
from tutor.plots.functions import plot_function
from tutor.plots.model import Series
from tutor.plots.sampling import clip, downsample, fit_y_range, sample
from tutor.plots.series import taylor_coefficients
from tutor.plots.vectorize import PlotError

EXPRESSIONS = [
    "x^2 - 3*x + 1", "sin(x^2)", "exp(-x)*cos(3*x)", "1/x", "sqrt(x)", "ln(x)", "log10(x)", "log2(x)",
    "x^(1/3)", "x^(2/3)", "abs(x - 1)", "sign(x)", "relu(x)", "sigmoid(x)", "softplus(x)", "tanh(x)",
    "sec(x)", "csc(x)", "cot(x)", "tan(x)", "asin(x/4)", "acos(x/4)", "atan(x)", "sinh(x)", "cosh(x)",
    "sech(x)", "max(x, x/10)", "min(x, 2)", "2^x", "x^x", "erf(x)", "x*ln(x + exp(-x))", "(x^2 - 1)/(x - 1)",
    "sigmoid(x)*(1 - sigmoid(x))", "exp(x)/(1 + exp(x))", "pi*x + e",
]
POINTS = [-3.7, -2.0, -1.0, -0.4, 0.0, 0.3, 1.0, 1.5, 2.25, 3.9]


@pytest.mark.parametrize("text", EXPRESSIONS)
def test_vectorised_values_match_the_checker(text):
    """The fast float64 walk and the checker's 40-digit walk agree, also on where f is undefined."""
    f = plot_function(text)
    values = f(np.array(POINTS))
    for x, got in zip(POINTS, values):
        try:
            want = float(evaluate(f.expr, Evaluation({f.variable: mpmath.mpf(x)})))
        except Undefined:
            assert math.isnan(got), f"{text} at {x}: expected a gap, got {got}"
            continue
        assert got == pytest.approx(want, rel=1e-12, abs=1e-12), f"{text} at {x}"


@pytest.mark.parametrize("text", EXPRESSIONS)
def test_derivatives_compile(text):
    f = plot_function(text)
    d = f.derivative()(np.linspace(0.1, 0.9, 5))
    assert d.shape == (5,)


def test_constants_fill_the_grid():
    ys = plot_function("5")(np.linspace(0, 1, 7))
    assert ys.shape == (7,) and np.all(ys == 5)


def test_complex_and_infinite_constants_are_gaps():
    assert np.all(np.isnan(plot_function("sqrt(-1)*x")(np.linspace(1, 2, 3))))
    assert np.all(np.isnan(plot_function("x/0")(np.linspace(1, 2, 3))))


def test_text_that_does_not_parse_is_a_plot_error():
    with pytest.raises(PlotError, match="does not parse"):
        plot_function("sin(")
    with pytest.raises(PlotError):
        plot_function("__import__('os')")


def test_one_over_x_breaks_at_zero():
    """No line joins -0.01 and 0.01 across the pole, even when no sample lands on 0."""
    xs, ys = sample(plot_function("1/x"), (-1.0, 1.0), 40)
    assert not np.any(xs == 0)
    pieces = Series("1/x", xs, ys).segments()
    assert len(pieces) == 2
    assert np.all(pieces[0][0] < 0) and np.all(pieces[1][0] > 0)


def test_tan_breaks_at_each_pole():
    xs, ys = sample(plot_function("tan(x)"), (-5.0, 5.0), 80)
    assert len(Series("tan", xs, ys).segments()) == 5  # poles at ±π/2 and ±3π/2


def test_sqrt_is_a_gap_for_negative_x():
    xs, ys = sample(plot_function("sqrt(x)"), (-2.0, 2.0), 40)
    assert np.all(np.isnan(ys[xs < 0]))
    assert np.all(np.isfinite(ys[xs > 0]))


def test_ln_is_a_gap_for_x_at_most_zero():
    xs, ys = sample(plot_function("ln(x)"), (-2.0, 2.0), 40)
    assert np.all(np.isnan(ys[xs <= 0]))
    assert np.all(np.isfinite(ys[xs > 0]))


def test_a_derivative_is_undefined_where_its_function_is():
    f = plot_function("ln(x)")
    xs, ys = sample(f.derivative(), (-2.0, 2.0), 40, mask=f)
    assert np.all(np.isnan(ys[xs <= 0])), "1/x exists for x < 0 but (ln x)' does not"


def test_step_derivative_of_relu_jumps_without_a_riser():
    f = plot_function("relu(x)")
    xs, ys = sample(f.derivative(), (-2.0, 2.0), 40, mask=f)
    pieces = Series("step", xs, ys).segments()
    assert len(pieces) == 2
    assert set(np.unique(pieces[0][1])) == {0.0} and set(np.unique(pieces[1][1])) == {1.0}


def test_clip_cuts_at_the_frame_edge():
    xs, ys = sample(plot_function("x^2"), (-3.0, 3.0), 40)
    cx, cy = clip(xs, ys, (0.0, 4.0))
    finite = cy[np.isfinite(cy)]
    assert finite.max() == pytest.approx(4.0) and finite.min() >= 0.0
    edge = cx[np.isclose(cy, 4.0)]
    assert sorted(np.round(edge, 3)) == [-2.0, 2.0]  # the crossings are exact on the parabola's chords


def test_spikes_are_clipped_not_streaked():
    f = plot_function("1/x")
    xs, ys = sample(f, (-5.0, 5.0), 80)
    y_range = fit_y_range([ys])
    assert y_range[1] < 20, "a pole must not stretch the y range to its biggest sample"
    cx, cy = clip(xs, ys, y_range)
    assert np.nanmax(np.abs(cy)) <= y_range[1] + 1e-9


def test_fit_keeps_the_full_curve_when_there_are_no_spikes():
    xs, ys = sample(plot_function("exp(x)"), (0.1, 2.0), 80)
    lo, hi = fit_y_range([ys])
    assert lo < math.exp(0.1) and hi > math.exp(2.0)


@pytest.mark.parametrize("width", [10, 40, 80, 200])
def test_downsample_keeps_extremes_and_length(width):
    rng = np.random.default_rng(1)
    xs = np.linspace(0, 1, 5000)
    ys = np.sin(40 * xs) + 0.1 * rng.standard_normal(5000)
    ys[1234], ys[3456] = 9.0, -9.0  # one sample spikes: the picture must keep both
    dx, dy = downsample(xs, ys, width)
    assert len(dx) <= 2 * width
    assert dy.max() == 9.0 and dy.min() == -9.0
    assert dx[0] == xs[0] and dx[-1] == xs[-1]
    assert np.all(np.diff(dx) > 0)


def test_downsample_keeps_gaps():
    f = plot_function("tan(x)")
    xs, ys = sample(f, (-5.0, 5.0), 200)
    cx, cy = clip(xs, ys, (-10.0, 10.0))
    dx, dy = downsample(cx, cy, 40)
    assert len(dx) <= 80
    assert len(Series("tan", dx, dy).segments()) == len(Series("tan", cx, cy).segments())


def test_downsample_leaves_short_series_alone():
    xs, ys = np.arange(10.0), np.arange(10.0)
    dx, dy = downsample(xs, ys, 80)
    assert np.array_equal(dx, xs) and np.array_equal(dy, ys)


def test_taylor_coefficients_match_known_series():
    x = plot_function("x").variable
    assert np.allclose(taylor_coefficients(plot_function("exp(x)").expr, x, 0, 6),
                       [1 / math.factorial(k) for k in range(7)], atol=1e-15)
    assert np.allclose(taylor_coefficients(plot_function("sin(x)").expr, x, 0, 5), [0, 1, 0, -1 / 6, 0, 1 / 120])
    assert np.allclose(taylor_coefficients(plot_function("sigmoid(x)").expr, x, 0, 3), [0.5, 0.25, 0, -1 / 48])
    assert np.allclose(taylor_coefficients(plot_function("ln(x)").expr, x, 1, 3), [0, 1, -0.5, 1 / 3])


def test_taylor_coefficients_refuse_a_kink():
    x = plot_function("x").variable
    for text in ("abs(x)", "ln(x)", "1/x", "sqrt(x)"):
        with pytest.raises(PlotError):
            taylor_coefficients(plot_function(text).expr, x, 0, 4)


def _loaded_after(module: str) -> set[str]:
    code = f"import importlib, sys; importlib.import_module({module!r}); print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_the_plot_domain_imports_neither_textual_nor_plotext():
    loaded = _loaded_after("tutor.plots.blocks") | _loaded_after("tutor.plots.interactive")
    assert not any(m.split(".")[0] in ("textual", "plotext", "textual_plotext") for m in loaded)


def test_the_model_types_load_without_numpy_or_sympy():
    loaded = _loaded_after("tutor.plots") | _loaded_after("tutor.plots.model")
    assert "sympy" not in loaded and "numpy" not in loaded


def test_no_code_generation_in_the_plot_engine():
    """Lesson and learner text must never reach eval/exec, directly or through SymPy helpers."""
    banned = re.compile(r"(?<![\w.])(eval|exec|lambdify|sympify|parse_expr|compile)\s*\(|\bS\(\s*['\"]")
    root = Path(__file__).resolve().parent.parent / "tutor" / "plots"
    for path in root.rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#")[0]
            assert not banned.search(code), f"{path.name}:{number}: {line.strip()}"
