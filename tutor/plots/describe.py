"""A figure in words: what a screen reader, a pipe or the accessible mode says instead of a picture.

The description names each panel's axes and ranges, each curve with where it is lowest and
highest on the plot, the marked points, and the readout lines the figure computed (slopes,
errors, regimes). It reads only the Figure, so every figure kind is described the same way.
"""

from __future__ import annotations

import math

from tutor.plots.fmt import num
from tutor.plots.model import BAR, Figure, Panel, Series

# Series the models add only to draw the same data twice (dots over a line) say nothing new.
_DECORATION = ("iterates", "steps", "dots")
# Bars are read out one by one up to this many; beyond, only the ones above zero are.
BARS_IN_FULL = 14


def describe_figure(figure: Figure) -> list[str]:
    """Lines of plain text, starting with the figure's title."""
    lines = [f"Figure: {figure.title}" if figure.title else "Figure"]
    many = len(figure.panels) > 1
    for index, panel in enumerate(figure.panels, 1):
        lines.extend(_panel(panel, f"Panel {index}" if many else "", indent="  "))
    for note in figure.notes:
        lines.append(f"  Note: {note}")
    return lines


def _panel(panel: Panel, heading: str, indent: str) -> list[str]:
    lines: list[str] = []
    title = panel.title.strip()
    if heading or title:
        lines.append(f"{indent}{heading}{': ' if heading and title else ''}{title}")
    x_name, y_name = panel.x_label or "x", panel.y_label or "y"
    scale = {"loglog": ", both axes logarithmic", "semilogx": ", x axis logarithmic",
             "semilogy": ", y axis logarithmic"}.get(panel.axes, "")
    lines.append(f"{indent}Axes: {x_name} from {num(panel.x_range[0], 4)} to {num(panel.x_range[1], 4)}, "
                 f"{y_name} from {num(panel.y_range[0], 4)} to {num(panel.y_range[1], 4)}{scale}.")
    if panel.stacked and any(series.style == BAR for series in panel.series):
        lines.append(f"{indent}Bars stacked in this order, the first at the bottom.")
    for series in panel.series:
        if series.label in _DECORATION:
            continue
        if series.style == BAR:
            lines.append(f"{indent}Bars {_bars(series, x_name)}")
            continue
        described = _series(series, *_spans(panel))
        if described:
            lines.append(f"{indent}Curve {described}")
    for marker in panel.markers:
        if marker.label:
            lines.append(f"{indent}Marked: {marker.label} at ({num(marker.x, 4)}, {num(marker.y, 4)}).")
    lines.extend(f"{indent}{line}" for line in panel.readout)
    return lines


def _spans(panel: Panel) -> tuple[float, float]:
    """The spans used for rounding; a log axis rounds nothing (its values span decades)."""
    x_span = math.inf if panel.log_x else panel.x_range[1] - panel.x_range[0]
    y_span = math.inf if panel.log_y else panel.y_range[1] - panel.y_range[0]
    return x_span, y_span


def _snap(value: float, span: float) -> float:
    """Round to the plot's resolution (about a hundredth of its span), so a sampled 0.0078 on an axis
    from −5 to 5 reads as 0: the description should not be more precise than the picture."""
    if not math.isfinite(span) or span <= 0:
        return value
    step = 10.0 ** math.floor(math.log10(span / 100))
    return round(value / step) * step


def _series(series: Series, x_span: float, y_span: float) -> str:
    """"σ(x): from (−5, 0.007) to (5, 0.993); lowest 0.007 at x = −5, highest 0.993 at x = 5"."""
    points = [(float(x), float(y)) for x, y in zip(series.xs, series.ys)
              if math.isfinite(float(x)) and math.isfinite(float(y))]
    label = series.label or "unnamed"
    style = " (dashed)" if series.style == "dashed" else ""

    def at(point: tuple[float, float]) -> str:
        return f"({num(_snap(point[0], x_span), 4)}, {num(_snap(point[1], y_span), 4)})"

    if not points:
        return f"{label}{style}: nothing visible in this window."
    if len(points) == 1:
        return f"{label}{style}: one point, {at(points[0])}."
    low = min(points, key=lambda p: p[1])
    high = max(points, key=lambda p: p[1])
    gaps = " It has gaps (undefined or off the plot)." if len(series.segments()) > 1 else ""
    return (f"{label}{style}: from {at(points[0])} to {at(points[-1])}; "
            f"lowest {num(_snap(low[1], y_span), 4)} at x = {num(_snap(low[0], x_span), 4)}, "
            f"highest {num(_snap(high[1], y_span), 4)} at x = {num(_snap(high[0], x_span), 4)}.{gaps}")


def _bars(series: Series, x_name: str) -> str:
    """"reviews due: 0: 3, 1: 0, 2: 1…" (every bar when few, else those above zero), then the
    highest and the places with no bar at all (NaN: no data)."""
    label = series.label or "unnamed"
    bars = [(float(x), float(y)) for x, y in zip(series.xs, series.ys) if math.isfinite(float(x))]
    shown = [(x, y) for x, y in bars if math.isfinite(y)]
    missing = [num(x, 4) for x, y in bars if not math.isfinite(y)]
    if not shown:
        return f"{label}: no bars (no data at {x_name} {', '.join(missing)})." if missing else f"{label}: no bars."
    listed = shown if len(shown) <= BARS_IN_FULL else [(x, y) for x, y in shown if y != 0]
    if len(shown) <= BARS_IN_FULL:
        values = ", ".join(f"{num(x, 4)}: {num(y, 4)}" for x, y in listed)
        text = f"{label}, by {x_name}: {values}."
    elif listed:
        values = ", ".join(f"{num(x, 4)}: {num(y, 4)}" for x, y in listed)
        text = f"{label}, by {x_name}: {len(listed)} of {len(shown)} above zero ({values})."
    else:
        text = f"{label}, by {x_name}: all {len(shown)} are zero."
    high = max(shown, key=lambda p: p[1])
    if high[1] > 0:
        text += f" Highest {num(high[1], 4)} at {x_name} {num(high[0], 4)}."
    if missing:
        text += f" No bar (no data) at {x_name} {', '.join(missing)}."
    return text
