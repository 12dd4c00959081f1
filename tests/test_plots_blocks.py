"""Plot blocks -> figures: every block of the real lessons, each field, and the validator."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import yaml

from tutor.plots import figure_from_block, interactive_from_block, validate_plot_block
from tutor.plots.blocks import check_plot_block
from tutor.plots.functions import plot_function
from tutor import kinds
from tutor.plots.interactive import Interactive

LESSONS = Path(__file__).resolve().parent.parent / "lessons"
FENCE = re.compile(r"^```plot\n(.*?)^```", re.S | re.M)


def _lesson_blocks() -> list[tuple[str, dict]]:
    """Every ```plot block in lessons/*.md (README examples included), read with plain YAML."""
    found = []
    for path in sorted(LESSONS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            line = text[: match.start()].count("\n") + 1
            data = yaml.safe_load(match.group(1))
            if kinds.for_plot_block(data) is None:  # a kind's own playground is not the plot engine's
                found.append((f"{path.name}:{line}", data))
    return found


BLOCKS = _lesson_blocks()


def test_the_lessons_have_plot_blocks():
    assert len(BLOCKS) >= 15


@pytest.mark.parametrize(("where", "data"), BLOCKS, ids=[w for w, _ in BLOCKS])
@pytest.mark.parametrize("width", [20, 80, 200])
def test_every_lesson_block_draws(where, data, width):
    figure = figure_from_block(data, width)
    assert figure.panels, where
    assert not figure.notes, f"{where}: {figure.notes}"
    for panel in figure.panels:
        assert panel.y_range[0] < panel.y_range[1]
        assert panel.series, f"{where}: panel '{panel.title}' has no series"
        for series in panel.series:
            assert series.finite_count > 0, f"{where}: '{series.label}' draws nothing"
            assert len(series) <= 2 * width, f"{where}: '{series.label}' has {len(series)} points"
            assert series.style in ("line", "dashed", "bold", "scatter")


@pytest.mark.parametrize(("where", "data"), BLOCKS, ids=[w for w, _ in BLOCKS])
def test_every_lesson_block_validates_clean(where, data):
    assert validate_plot_block(data) == [], where


@pytest.mark.parametrize(("where", "data"), BLOCKS, ids=[w for w, _ in BLOCKS])
def test_every_interactive_lesson_block_has_a_model(where, data):
    model = interactive_from_block(data)
    if "interactive" not in data:
        assert model is None
        return
    assert isinstance(model, Interactive)
    assert model.kind == data["interactive"]
    before = model.figure(80)
    for control in model.controls:
        model.act(control)
    after = model.figure(80)
    assert before.panels and after.panels


def test_the_course_loader_blocks_draw_too():
    """The blocks as the app sees them (through the lesson loader's YAML) draw without notes."""
    from tutor.lessons.loader import load_course
    from tutor.lessons.model import PlotBlock

    course = load_course(LESSONS)
    blocks = [s for lesson in course.lessons.values() for page in lesson.pages for s in page.segments
              if isinstance(s, PlotBlock)]
    from tutor import kinds

    assert len(blocks) >= 15
    playgrounds = 0
    for block in blocks:
        kind = kinds.for_plot_block(block.data)
        if kind is not None:  # a kind's own figure (the gd playground): its engine reads and draws it
            from tutor.gd.figure import playground_from_block

            playgrounds += 1
            assert kind.playground_problems(block.data) == []
            assert playground_from_block(block.data).figure(80).panels
            continue
        assert not figure_from_block(block.data, 80).notes
        assert validate_plot_block(block.data) == []
    assert playgrounds >= 3


# Figure data ---------------------------------------------------------------------------------

def test_tangent_segment_has_the_derivative_as_slope():
    data = {"x": [-3, 3], "y": [-2, 2], "curves": [{"expr": "sin(x^2)"}],
            "tangents": [{"of": "sin(x^2)", "at": 1.2, "half_width": 0.5, "label": "t"}]}
    panel = figure_from_block(data).panels[0]
    xs, ys = panel.find("t").segments()[0]
    slope = (ys[-1] - ys[0]) / (xs[-1] - xs[0])
    assert slope == pytest.approx(2 * 1.2 * np.cos(1.44), rel=1e-9)
    assert xs[0] == pytest.approx(0.7) and xs[-1] == pytest.approx(1.7)


def test_derivative_curve_is_the_derivative():
    data = {"x": [-2, 2], "curves": [{"derivative": "x^3", "label": "d"}]}
    xs, ys = figure_from_block(data).panels[0].find("d").segments()[0]
    assert np.allclose(ys, 3 * xs**2)


def test_points_become_markers_and_labels_default():
    data = {"x": [-5, 5], "y": [-0.1, 1.1], "curves": [{"expr": "sigmoid(x)"}],
            "points": [{"at": [0, 0.5], "label": "σ(0) = 0.5"}]}
    panel = figure_from_block(data).panels[0]
    assert panel.series[0].label == "sigmoid(x)"
    assert [(m.x, m.y, m.label) for m in panel.markers] == [(0.0, 0.5, "σ(0) = 0.5")]
    assert panel.y_range == (-0.1, 1.1)


def test_panels_inherit_x_and_axes():
    data = {"title": "t", "x": [0.5, 4], "axes": "semilogy",
            "panels": [{"title": "a", "curves": [{"expr": "exp(x)"}]}, {"title": "b", "x": [1, 2], "curves": [{"expr": "x"}]}]}
    a, b = figure_from_block(data).panels
    assert a.x_range == (0.5, 4.0) and b.x_range == (1.0, 2.0)
    assert a.axes == b.axes == "semilogy"


def test_loglog_curves_are_positive_and_geometric():
    data = {"x": [1e-3, 1e3], "axes": "loglog", "curves": [{"expr": "x^2", "label": "sq"}]}
    panel = figure_from_block(data).panels[0]
    xs, ys = panel.find("sq").segments()[0]
    assert np.all(ys > 0) and panel.y_range[0] > 0
    ratios = xs[1:] / xs[:-1]
    assert ratios.max() < 2  # samples spread over the decades, not bunched at the top


def test_sin_x_over_x_has_a_hole_at_zero():
    data = {"x": [-10, 10], "y": [-0.4, 1.2], "curves": [{"expr": "sin(x)/x", "label": "s"}]}
    assert len(figure_from_block(data).panels[0].find("s").segments()) == 2


def test_function_alone_draws_the_function():
    panel = figure_from_block({"x": [0, 1], "function": "x^2"}).panels[0]
    assert panel.series[0].label == "x^2"


def test_numdiff_block_without_curves_draws_the_error_curves():
    data = {"function": "exp(x)", "at": 1, "h": [1e-15, 1], "axes": "loglog", "interactive": "numdiff-error"}
    panel = figure_from_block(data).panels[0]
    assert panel.axes == "loglog"
    assert [s.label for s in panel.series] == ["forward", "central"]


def test_yaml_exponents_read_as_text_still_work():
    """Plain YAML reads 1e-15 as text; the block reader takes it as the number it spells."""
    data = yaml.safe_load("function: exp(x)\nat: 1\nh: [1e-15, 1]\ninteractive: numdiff-error\n")
    assert data["h"][0] == "1e-15"
    assert validate_plot_block(data) == []


# The validator -------------------------------------------------------------------------------

GOOD = {"x": [-1, 1], "curves": [{"expr": "x^2"}]}


def _messages(data) -> list[str]:
    return validate_plot_block(data)


def _one(data, *words) -> str:
    messages = _messages(data)
    hits = [m for m in messages if all(w in m for w in words)]
    assert hits, f"no message with {words} in {messages}"
    return hits[0]


def test_good_block_has_no_messages():
    assert _messages(GOOD) == []


def test_not_a_mapping():
    assert _one(["x^2"], "YAML fields")


def test_unknown_fields_everywhere_are_warnings():
    data = {**GOOD, "colour": "red", "curves": [{"expr": "x", "colour": "red"}],
            "tangents": [{"of": "x", "at": 0, "width": 1}], "points": [{"at": [0, 0], "size": 2}]}
    for field in ("colour", "curves[1].colour", "tangents[1].width", "points[1].size"):
        assert _one(data, field, "unknown field").startswith("warning: ")
    panel = {"panels": [{"x": [-1, 1], "curves": [{"expr": "x"}], "interactive": "tangent"}]}
    assert _one(panel, "panels[1].interactive", "unknown field")


@pytest.mark.parametrize("bad", [[1], [2, 1], [1, 1], "0..1", [0, "a"], [0, None], {"lo": 0}])
def test_ranges_must_be_low_high(bad):
    assert "low < high" in _one({**GOOD, "x": bad}, "x:")
    assert "low < high" in _one({**GOOD, "y": bad}, "y:")


def test_log_axes_need_positive_ranges_and_points():
    assert _one({**GOOD, "axes": "loglog"}, "x:", "positive")
    assert _one({"x": [1, 10], "y": [-1, 10], "axes": "semilogy", "curves": [{"expr": "x"}]}, "y:", "positive")
    assert _one({"x": [1, 10], "axes": "loglog", "curves": [{"expr": "x"}], "points": [{"at": [0, 1]}]},
                "points[1].at", "cannot be shown")


def test_unknown_axes():
    assert _one({**GOOD, "axes": "polar"}, "axes", "not one of")


def test_expressions_that_do_not_parse():
    assert _one({"x": [0, 1], "curves": [{"expr": "sin("}]}, "curves[1].expr", "does not parse")
    assert _one({"x": [0, 1], "curves": [{"derivative": "x +* 2"}]}, "curves[1].derivative", "does not parse")
    assert _one({"x": [0, 1], "tangents": [{"of": "foo(x)", "at": 0.5}]}, "tangents[1].of")
    assert _one({"function": "exp(", "at": 1, "interactive": "numdiff-error"}, "function", "does not parse")
    data = {"panels": [{"x": [0, 1], "curves": [{"expr": "2**"}]}]}
    assert _one(data, "panels[1].curves[1].expr", "does not parse")


def test_curves_with_no_finite_points_in_range():
    assert _one({"x": [-5, -1], "curves": [{"expr": "ln(x)"}]}, "curves[1].expr", "draws nothing")
    assert _one({"x": [-5, -1], "curves": [{"derivative": "sqrt(x)"}]}, "curves[1].derivative", "draws nothing")


def test_curve_entries_need_exactly_one_expression():
    assert _one({"x": [0, 1], "curves": [{"label": "nothing"}]}, "curves[1]", "exactly one")
    assert _one({"x": [0, 1], "curves": [{"expr": "x", "derivative": "x"}]}, "curves[1]", "exactly one")


def test_unknown_style_is_a_warning():
    assert _one({"x": [0, 1], "curves": [{"expr": "x", "style": "dotted"}]}, "curves[1].style").startswith("warning")


def test_tangent_problems():
    assert _one({"x": [0, 1], "tangents": [{"of": "x^2"}]}, "tangents[1].at", "needs 'at'")
    assert _one({"x": [0, 1], "tangents": [{"at": 1}]}, "tangents[1].of", "needs 'of'")
    assert _one({"x": [-1, 1], "tangents": [{"of": "relu(x)", "at": 0}]}, "tangents[1].of", "no tangent")
    assert _one({"x": [-1, 1], "tangents": [{"of": "x^2", "at": 0, "half_width": -1}]}, "half_width")
    assert _one({"x": [-1, 1], "tangents": [{"of": "x^2", "at": 5}]}, "outside the x range").startswith("warning")


def test_things_outside_the_frame_are_warnings():
    assert _one({"x": [0, 1], "y": [5, 6], "curves": [{"expr": "x"}]}, "curves[1].expr", "outside the y range") \
        .startswith("warning")
    assert _one({**GOOD, "y": [0, 1], "points": [{"at": [3, 0.5]}]}, "points[1].at", "outside the plot") \
        .startswith("warning")


def test_bad_points():
    assert _one({**GOOD, "points": [{"at": [1]}]}, "points[1].at", "two numbers")
    assert _one({**GOOD, "points": ["(0, 0)"]}, "points[1]", "mapping")


def test_unknown_interactive_kind():
    assert _one({**GOOD, "interactive": "wobble"}, "interactive", "not one of")


def test_interactive_settings():
    base = {"function": "exp(x)", "interactive": "numdiff-error"}
    assert _one(base, "needs 'at'")
    assert _one({**base, "at": 1, "h": [0, 1]}, "h:", "positive")
    assert _one({**base, "at": 1, "methods": ["sideways"]}, "methods", "sideways")
    assert _one({**base, "at": 1, "samples": 3}, "samples")
    assert _one({**base, "at": 0, "function": "sqrt(x)"}, "function", "undefined")
    assert _one({"interactive": "taylor", "x": [-1, 1], "curves": [{"expr": "abs(x)"}]}, "not smooth")
    assert _one({"interactive": "gd", "x": [-1, 1]}, "needs 'function'")
    assert _one({"interactive": "gd", "function": "x^2", "lr": -1}, "lr", "positive")
    assert _one({"interactive": "taylor", "function": "exp(x)", "order": 99}, "order")


def test_nothing_to_draw_is_a_warning():
    assert _one({"title": "empty", "x": [0, 1]}, "draws nothing").startswith("warning")


def test_issues_name_fields_as_the_lesson_loader_does():
    """`PlotBlock.lines` keys look like "panels[2].curves[1].expr": issues use the same names."""
    data = {"panels": [{"x": [0, 1], "curves": [{"expr": "x"}]}, {"x": [0, 1], "curves": [{"expr": "sin("}]}]}
    (issue,) = check_plot_block(data)
    assert issue.field == "panels[2].curves[1].expr" and issue.severity == "error"


def test_every_readme_interactive_kind_is_known():
    from tutor.plots.schema import INTERACTIVE

    readme = (LESSONS / "README.md").read_text(encoding="utf-8")
    for kind in INTERACTIVE:
        assert kind in readme


def test_plot_functions_are_cached():
    assert plot_function("sin(x^2)") is plot_function("sin(x^2)")
