"""From a `tutor.plots` Panel to the plotext calls that draw it, with no Textual in sight.

`plan_panel` runs in a worker thread: it turns series into strokes (lines cut at gaps, dashes
cut in screen space, markers as labelled dots), picks round ticks and places labels so they stay
inside the frame. `draw` replays a plan on a plotext figure on the UI thread, with the colours of
the current theme; it is the only part that costs UI time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from tutor.plots.model import BAR, Panel

# Columns plotext keeps left of the plotting area for y tick labels and the frame.
Y_LABEL_COLS = 7
WHOLE_TICK_COLS = 5  # whole-number ticks (days, parts) have short labels ("-28"): one every 5 columns at most
# Braille dots per character cell: the resolution of a line.
DOTS_X, DOTS_Y = 2, 4
DASH_DOTS = 5  # on, then off, along the curve: about two and a half columns per dash

MARKERS = {"line": "braille", "dashed": "braille", "bold": "hd", "scatter": "•"}
# Legend glyphs, one per style, so a curve is told apart without colour.
LEGEND_GLYPHS = {"line": "──", "dashed": "╌╌", "bold": "━━", "scatter": "••"}
DOT = "●"
# Bars: a lone row of bars in half blocks (two per cell across: narrow bars keep their gaps);
# rows of bars that share a panel (stacked) each in their own shade, told apart without colour.
LONE_BAR = "hd"
BAR_FILLS = ("█", "▓", "▒", "░")
BAR_WIDTH = 0.7  # of the distance between two bars (plotext's rule; of one unit for a lone bar)

# Curve colours: picked for contrast on each kind of background, the same order in both.
PALETTES = {
    "dark": ((97, 175, 239), (229, 192, 123), (152, 195, 121), (224, 108, 117), (198, 120, 221), (86, 182, 194)),
    "light": ((0, 92, 197), (178, 94, 0), (34, 134, 58), (203, 36, 49), (111, 66, 193), (0, 122, 122)),
}
MARKER_COLOURS = {"dark": (255, 121, 198), "light": (176, 0, 120)}


@dataclass(frozen=True)
class Stroke:
    """One plotext call: a run of points drawn as a line (or as separate dots), or a row of bars."""

    xs: list[float]
    ys: list[float]
    marker: str
    colour: int  # index into the palette
    lines: bool = True
    bars: bool = False  # one bar per point, from 0 up to it
    width: float = 0.0  # of each bar, in x units


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    alignment: str  # "left": the dot is the first character; "right": the last


@dataclass(frozen=True)
class PanelPlan:
    title: str
    strokes: tuple[Stroke, ...]
    labels: tuple[Label, ...]
    xlim: tuple[float, float]  # in plot space: log10 of the data on a log axis
    ylim: tuple[float, float]
    xticks: tuple[tuple[float, ...], tuple[str, ...]]
    yticks: tuple[tuple[float, ...], tuple[str, ...]]
    log_x: bool
    log_y: bool
    legend: tuple[tuple[str, str, int], ...]  # (glyph, label, colour index)
    readout: tuple[str, ...]
    x_label: str = ""
    y_label: str = ""


# -- planning (worker thread) ------------------------------------------------------------------------


def plan_panel(panel: Panel, cols: int, rows: int) -> PanelPlan:
    """The drawing of `panel` on a canvas of cols x rows cells.

    Everything is in plot space: log10 of the data on a log axis, so plotext draws linear axes
    only (its own log axes place tick labels a row off now and then)."""
    import numpy as np

    area_cols = max(cols - Y_LABEL_COLS - 1, 8)
    area_rows = max(rows - 3, 4)  # the frame and the x tick labels
    xlim, ylim = _limits(panel.x_range, panel.log_x), _limits(panel.y_range, panel.log_y)
    x_dots = area_cols * DOTS_X / (xlim[1] - xlim[0]) if xlim[1] > xlim[0] else 0.0
    y_dots = area_rows * DOTS_Y / (ylim[1] - ylim[0]) if ylim[1] > ylim[0] else 0.0
    strokes: list[Stroke] = []
    bold: list[Stroke] = []  # drawn last: a reference curve stays whole where another crosses it
    legend: list[tuple[str, str, int]] = []
    bars, bar_legend = _bar_strokes(panel)
    for index, series in enumerate(panel.series):
        if series.style == BAR:
            continue
        colour = index if series.colour is None else series.colour
        marker = MARKERS.get(series.style, "braille")
        drawn = False
        for xs, ys in series.segments():
            xs, ys = _plot_space(xs, panel.log_x), _plot_space(ys, panel.log_y)
            if series.style == "dashed":
                xs, ys = _dashed(xs, ys, x_dots, y_dots)
            stroke = Stroke(xs.tolist(), ys.tolist(), marker, colour, lines=series.style not in ("scatter", "dashed"))
            if len(stroke.xs):
                (bold if series.style == "bold" else strokes).append(stroke)
                drawn = True
        if series.label and drawn and series.label not in [label for _, label, _ in legend]:
            legend.append((LEGEND_GLYPHS.get(series.style, "──"), series.label, colour))
    labels = []
    taken: list[tuple[int, int, int]] = []  # (row, first column, last column) of placed labels
    # The last markers are the live ones (x₀, the cursor): they get their labels first, and a
    # label that would overwrite another keeps only its dot.
    for marker in reversed(panel.markers):
        x = float(_plot_space(np.array([marker.x]), panel.log_x)[0])
        y = float(_plot_space(np.array([marker.y]), panel.log_y)[0])
        if not (math.isfinite(x) and math.isfinite(y)):
            continue
        col, row = int((x - xlim[0]) * x_dots / DOTS_X), int((y - ylim[0]) * y_dots / DOTS_Y)
        text, alignment, first, last = DOT, "left", col, col
        if marker.label:
            text = f"{DOT} {marker.label}"
            first, last = col, col + len(text) - 1
            if last >= area_cols:
                text, alignment = f"{marker.label} {DOT}", "right"
                first, last = col - len(text) + 1, col
            if any(r == row and a <= last + 1 and first <= b + 1 for r, a, b in taken):
                text, alignment, first, last = DOT, "left", col, col
        taken.append((row, first, last))
        labels.append(Label(x, y, text, alignment))
    labels.reverse()
    return PanelPlan(
        title=panel.title,
        strokes=tuple(strokes + bold + bars),  # bars last: a line (the goal) shows between them, not across
        labels=tuple(labels),
        xlim=xlim,
        ylim=ylim,
        xticks=_log_ticks(panel.x_ticks) if panel.log_x else nice_ticks(
            *panel.x_range, max(2, area_cols // (WHOLE_TICK_COLS if panel.whole_ticks[0] else 10)), panel.whole_ticks[0]),
        yticks=_log_ticks(panel.y_ticks) if panel.log_y else nice_ticks(
            *panel.y_range, max(2, area_rows // 3), panel.whole_ticks[1]),
        log_x=panel.log_x,
        log_y=panel.log_y,
        legend=tuple(bar_legend + legend),
        readout=tuple(panel.readout),
        x_label=panel.x_label,
        y_label=panel.y_label,
    )


def _bar_strokes(panel: Panel) -> tuple[list[Stroke], list[tuple[str, str, int]]]:
    """The panel's bar series as strokes in drawing order, and their legend entries (in the
    series' order). Stacked rows are drawn as running totals, the top one first, so each row
    below paints over the part of the total that is its own. A bar of its own height 0 (or NaN,
    no data) is left out: drawn, it would blank the cells of the rows it stands under."""
    import numpy as np

    rows = [(index, series) for index, series in enumerate(panel.series) if series.style == BAR]
    if not rows:
        return [], []
    lone = len(rows) == 1
    strokes, legend = [], []
    base: np.ndarray | None = None
    for place, (index, series) in enumerate(rows):
        colour = index if series.colour is None else series.colour
        own = np.where(np.isfinite(series.ys), series.ys, 0.0)
        tops = base + own if panel.stacked and base is not None else own
        base = tops
        xs = np.asarray(series.xs, dtype=float)
        gaps = np.diff(np.unique(xs[np.isfinite(xs)]))
        width = BAR_WIDTH * (float(gaps.min()) if len(gaps) else 1.0)
        keep = (own > 0) & np.isfinite(xs)
        fill = LONE_BAR if lone else BAR_FILLS[place % len(BAR_FILLS)]
        if keep.any():
            strokes.append(Stroke(_float_list(xs[keep]), _float_list(tops[keep]), fill, colour, lines=False, bars=True,
                                  width=width))
        if series.label:
            legend.append(("██" if lone else BAR_FILLS[place % len(BAR_FILLS)] * 2, series.label, colour))
    return (strokes[::-1] if panel.stacked else strokes), legend


def _float_list(values) -> list[float]:
    return [float(v) for v in values]


def _limits(span: tuple[float, float], log: bool) -> tuple[float, float]:
    lo, hi = span
    return (math.log10(lo), math.log10(hi)) if log and lo > 0 else (lo, hi)


def _plot_space(values, log: bool):
    import numpy as np

    values = np.asarray(values, dtype=float)
    if not log:
        return values
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log10(values)


def _log_ticks(ticks: tuple[tuple[float, ...], tuple[str, ...]]) -> tuple[tuple[float, ...], tuple[str, ...]]:
    """The model's decade ticks, at their place in plot space (whole powers of ten)."""
    values, labels = ticks
    return tuple(float(round(math.log10(v))) for v in values), labels


def _dashed(xs, ys, x_dots: float, y_dots: float):
    """The 'on' parts of a dashed curve as separate dots, about one per braille dot along it.

    Walked in screen space, so every dash has the same length on screen whatever the axes. Drawn
    as one scatter: plotext pays per series, and a series per dash costs a lot more."""
    import numpy as np

    if len(xs) < 2 or not x_dots or not y_dots:
        return xs, ys
    sx, sy = xs * x_dots, ys * y_dots
    along = np.concatenate(([0.0], np.cumsum(np.hypot(np.diff(sx), np.diff(sy)))))
    walk = np.arange(0.0, along[-1], 0.75)  # a little finer than a dot: no holes on slopes
    walk = walk[(np.floor(walk / DASH_DOTS) % 2) == 0]
    return np.interp(walk, along, xs), np.interp(walk, along, ys)


def nice_ticks(lo: float, hi: float, most: int, whole: bool = False) -> tuple[tuple[float, ...], tuple[str, ...]]:
    """Round ticks (a 1-2-2.5-5 step) inside [lo, hi]: as many as fit in `most`, with short labels.
    `whole`: whole numbers only (days, parts, counts), so no step below 1 and no 2.5."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return (), ()
    most = max(most, 2)
    power = 10.0 ** math.floor(math.log10((hi - lo) / most))
    if whole:
        power = max(power, 1.0)
    step = 10 * power
    for candidate in (m * p for p in (power / 10, power, power * 10) for m in (1, 2, 2.5, 5)):
        if whole and (candidate < 1 or candidate != int(candidate)):
            continue
        if math.floor(hi / candidate + 1e-9) - math.ceil(lo / candidate - 1e-9) + 1 <= most:
            step = candidate
            break
    first = math.ceil(lo / step - 1e-9)
    last = math.floor(hi / step + 1e-9)
    values = [k * step for k in range(first, last + 1)]
    decimals = next((d for d in range(12) if abs(round(step, d) - step) <= 1e-9 * step), 12)  # 0.25: 2, 25: 0
    labels = []
    for v in values:
        if abs(v) >= 1e5 or (v != 0 and abs(v) < 1e-4):
            text = f"{v:.3g}"
        else:
            text = f"{v:.{decimals}f}"
        labels.append("0" if text.strip("-0.") == "" else text)
    return tuple(values), tuple(labels)


# -- drawing (UI thread) --------------------------------------------------------------------------------


def palette(dark: bool) -> tuple[tuple[int, int, int], ...]:
    return PALETTES["dark" if dark else "light"]


def draw(plt: Any, plan: PanelPlan, dark: bool, foreground: tuple[int, int, int],
         background: tuple[int, int, int], size: tuple[int, int] | None = None) -> None:
    """Replay `plan` on a fresh plotext figure (the widget builds it right after) of `size`
    (cols, rows): ticks and labels are then placed in the cell where a curve through the same
    value is drawn (see `snap`)."""
    colours = palette(dark)
    grid = _Grid.of(plan, *size) if size else None
    plt.clear_figure()
    for stroke in plan.strokes:
        colour = colours[stroke.colour % len(colours)]
        if stroke.bars:
            plt.bar(stroke.xs, stroke.ys, marker=stroke.marker, color=colour, width=_plotext_bar_width(stroke),
                    fill=True, reset_ticks=False)
        elif stroke.lines:
            plt.plot(stroke.xs, stroke.ys, marker=stroke.marker, color=colour)
        else:
            plt.scatter(stroke.xs, stroke.ys, marker=stroke.marker, color=colour)
    dot = MARKER_COLOURS["dark" if dark else "light"]
    for label in plan.labels:
        x, y = (grid.x(label.x), grid.y(label.y)) if grid else (label.x, label.y)
        if label.text != DOT:
            plt.text(label.text, x, y, color=foreground, background=background, alignment=label.alignment)
        plt.text(DOT, x, y, color=dot, background=background, alignment=label.alignment, style="bold")
    plt.xlim(*plan.xlim)
    plt.ylim(*plan.ylim)
    if plan.xticks[0]:
        plt.xticks([grid.x(v) for v in plan.xticks[0]] if grid else list(plan.xticks[0]), list(plan.xticks[1]))
    if plan.yticks[0]:
        plt.yticks([grid.y(v) for v in plan.yticks[0]] if grid else list(plan.yticks[0]), list(plan.yticks[1]))


def _plotext_bar_width(stroke: Stroke) -> float:
    """plotext's `width` for bars `stroke.width` wide: it takes a share of the average distance
    between the bars it is given (of one x unit for a lone bar)."""
    span = max(stroke.xs) - min(stroke.xs)
    return stroke.width * (len(stroke.xs) - 1) / span if len(stroke.xs) > 1 and span > 0 else stroke.width


def snap(value: float, lo: float, hi: float, cells: int, dots: int) -> float:
    """Where to ask plotext for a tick or a text so it lands in the cell where a line through
    `value` is drawn.

    plotext puts a tick or a text at value v in cell floor(0.5 + (cells - 1)·t), t = (v - lo)/(hi - lo),
    but a line's dot at floor(0.5 + (cells·dots - 1)·t), in cell dot // dots: the two disagree by
    a cell now and then (a curve at y = 0 a row off its 0 tick). The answer is the value that
    plotext's tick rule sends to the line's cell."""
    if cells < 2 or not hi > lo or not math.isfinite(value):
        return value
    t = (value - lo) / (hi - lo)
    cell = min(max(math.floor(round(0.5 + (cells * dots - 1) * t, 8)) // dots, 0), cells - 1)
    return lo + (hi - lo) * cell / (cells - 1)


@dataclass(frozen=True)
class _Grid:
    """The plotting area plotext will have on a canvas of cols x rows: the frame takes two columns
    and two rows, the y tick labels their width, the x tick labels a row."""

    plan: PanelPlan
    cols: int
    rows: int

    @classmethod
    def of(cls, plan: PanelPlan, width: int, height: int) -> _Grid:
        label_cols = max((len(label) for label in plan.yticks[1]), default=0)
        return cls(plan, width - 2 - label_cols, height - 2 - (1 if plan.xticks[1] else 0))

    def x(self, value: float) -> float:
        return snap(value, *self.plan.xlim, self.cols, DOTS_X)

    def y(self, value: float) -> float:
        return snap(value, *self.plan.ylim, self.rows, DOTS_Y)
