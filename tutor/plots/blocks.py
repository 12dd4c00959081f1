"""```plot blocks -> Figure, and the validator's view of a block.

`figure_from_block` draws exactly what a block lists (curves, derivative curves, tangent
segments, points), panel by panel. A block whose figure is computed (numdiff-error, or any
interactive block without curves of its own) is drawn by its interactive model in its starting
state. A widget showing an interactive block should hold `interactive_from_block(data)` instead
and call its `figure(width)` after each control.

Nothing here raises for a bad block once it is a mapping: problems become `Figure.notes` (and
`check_plot_block` issues), and whatever can be drawn is drawn.
"""

from __future__ import annotations

from typing import Any

from tutor.plots.assemble import Curve, Points, line_through, make_panel
from tutor.plots.fmt import num
from tutor.plots.functions import PlotFunction, plot_function
from tutor.plots.model import Figure, Panel
from tutor.plots.schema import PanelSpec, PlotIssue, PlotSpec, read_block
from tutor.plots.vectorize import PlotError

VALIDATION_WIDTH = 80


def tangent_lines(tangents, x_range: tuple[float, float], issues: list | None = None) -> list[Points]:
    """The block's fixed tangents as dashed segments; a tangent that does not exist is reported
    in `issues` (when given) and left out."""
    issues = [] if issues is None else issues
    lo, hi = x_range
    lines: list[Points] = []
    for t in tangents:
        f = _function(t.of, t.field, issues)
        if f is None:
            continue
        y0, slope = f.at(t.at), f.derivative().at(t.at)
        if not f.smooth_at(t.at):
            slope = float("nan")
        if not (_finite(y0) and _finite(slope)):
            issues.append(PlotIssue(t.field, f"no tangent to {t.of} at x = {num(t.at)}: "
                                             f"{'it is undefined' if not _finite(y0) else 'it has no derivative'} there"))
            continue
        half = t.half_width or (hi - lo) / 6
        xs, ys = line_through(t.at, y0, slope, t.at - half, t.at + half)
        label = t.label or f"tangent at x = {num(t.at)}, slope {num(slope, 4)}"
        lines.append(Points(label, xs, ys, "dashed"))
    return lines


def figure_from_block(data: dict[str, Any], width: int = 80) -> Figure:
    """The figure of a plot block. `width`: columns of one panel's plotting area (the widget lays
    panels out and passes the width each one gets); series keep at most 2 x width points."""
    spec, issues = read_block(data)
    if spec is None:
        raise PlotError("; ".join(str(i) for i in issues))
    figure, build_issues = _build(spec, width)
    notes = tuple(str(i) for i in issues + build_issues)
    return Figure(figure.title, figure.panels, notes)


def check_plot_block(data: Any) -> list[PlotIssue]:
    """Every problem of a block, with its field (to find the line) and severity."""
    spec, issues = read_block(data)
    if spec is None:
        return issues
    _, build_issues = _build(spec, VALIDATION_WIDTH)
    if spec.interactive and any(p.draws for p in spec.panels):
        build_issues += _interactive_issues(spec)  # else _build already built the model
    seen: set[str] = set()
    unique = []
    for issue in issues + build_issues:
        if str(issue) not in seen:
            seen.add(str(issue))
            unique.append(issue)
    return unique


def validate_plot_block(data: Any) -> list[str]:
    """Messages for the lesson validator: "field: message", "warning: " in front of warnings."""
    return [str(issue) for issue in check_plot_block(data)]


def _build(spec: PlotSpec, width: int) -> tuple[Figure, list[PlotIssue]]:
    issues: list[PlotIssue] = []
    if spec.interactive and not any(p.draws for p in spec.panels):
        from tutor.plots.interactive import interactive_from_spec

        try:
            return interactive_from_spec(spec).figure(width), issues
        except PlotError as exc:
            issues.append(PlotIssue(_interactive_field(spec), str(exc)))
            return Figure(spec.title, ()), issues
    panels = tuple(_static_panel(p, width, issues) for p in spec.panels)
    return Figure(spec.title, panels), issues


def _interactive_issues(spec: PlotSpec) -> list[PlotIssue]:
    from tutor.plots.interactive import interactive_from_spec

    try:
        interactive_from_spec(spec).figure(VALIDATION_WIDTH)
    except PlotError as exc:
        return [PlotIssue(_interactive_field(spec), str(exc))]
    return []


def _interactive_field(spec: PlotSpec) -> str:
    return "function" if spec.main.function else "interactive"


def _function(text: str, field: str, issues: list[PlotIssue]) -> PlotFunction | None:
    try:
        return plot_function(text)
    except PlotError as exc:
        issues.append(PlotIssue(field, str(exc)))
        return None


def _static_panel(spec: PanelSpec, width: int, issues: list[PlotIssue]) -> Panel:
    lo, hi = spec.x
    curves: list[Curve] = []
    fields: list[str] = []
    for c in spec.curves:
        f = _function(c.text, c.field, issues)
        if f is None:
            continue
        if c.derivative:
            try:
                curves.append(Curve(f.derivative(), c.label, c.style, mask=f))
            except PlotError as exc:
                issues.append(PlotIssue(c.field, f"its derivative cannot be drawn: {exc}"))
                continue
        else:
            curves.append(Curve(f, c.label, c.style))
        fields.append(c.field)
    if not spec.curves and not spec.tangents and spec.function:
        f = _function(spec.function, f"{spec.prefix}function", issues)
        if f is not None:
            curves.append(Curve(f, spec.function))
            fields.append(f"{spec.prefix}function")
    lines = tangent_lines(spec.tangents, (lo, hi), issues)
    try:
        built = make_panel(spec.title, spec.x, width, axes=spec.axes, curves=curves, points=lines,
                           markers=spec.points, y_range=spec.y_range)
    except PlotError as exc:
        issues.append(PlotIssue(f"{spec.prefix}x", str(exc)))
        built = make_panel(spec.title, spec.x, width, markers=spec.points)
        return built.panel
    for index in built.empty:
        issues.append(PlotIssue(fields[index], f"draws nothing: {curves[index].f.text} has no finite "
                                               f"value for x in [{num(lo)}, {num(hi)}]"))
    for index, series in enumerate(built.panel.series[: len(curves)]):
        if index not in built.empty and series.finite_count == 0:
            y_lo, y_hi = built.panel.y_range
            issues.append(PlotIssue(fields[index], f"{curves[index].f.text} stays outside the y range "
                                                   f"[{num(y_lo)}, {num(y_hi)}]", "warning"))
    y_lo, y_hi = built.panel.y_range
    for index, point in enumerate(spec.points):
        if not (lo <= point.x <= hi and y_lo <= point.y <= y_hi):
            issues.append(PlotIssue(f"{spec.prefix}points[{index + 1}].at",
                                    f"the point ({num(point.x)}, {num(point.y)}) is outside the plot", "warning"))
    return built.panel


def _finite(value: float) -> bool:
    return value == value and abs(value) != float("inf")
