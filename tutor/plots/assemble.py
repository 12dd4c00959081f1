"""Build one Panel from functions and ready-made point lists, on shared axes.

Every figure goes through here, static or interactive, so all of them get the same treatment:
one y range for the panel (the block's, or fitted to its curves and markers), lines cut at the
frame, at most 2 x width points per series.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tutor.plots import sampling
from tutor.plots.functions import PlotFunction
from tutor.plots.model import Marker, Panel, Series


@dataclass(frozen=True)
class Curve:
    """A function to sample across the panel."""

    f: PlotFunction
    label: str
    style: str = "line"
    mask: PlotFunction | None = None  # undefined where this is undefined (a derivative's function)


@dataclass(frozen=True, eq=False)
class Points:
    """Points computed elsewhere: a tangent segment, GD iterates, an error curve."""

    label: str
    xs: np.ndarray
    ys: np.ndarray
    style: str = "line"
    fit: bool = False  # count these when fitting the y range (error curves: yes; tangents: no)


@dataclass(frozen=True)
class Built:
    panel: Panel
    empty: tuple[int, ...]  # indices of `curves` with no finite point in the x range


def make_panel(title: str, x_range: tuple[float, float], width: int, *, axes: str = "linear",
               curves: tuple[Curve, ...] | list[Curve] = (), points: tuple[Points, ...] | list[Points] = (),
               markers: tuple[Marker, ...] | list[Marker] = (), y_range: tuple[float, float] | None = None,
               readout: tuple[str, ...] | list[str] = (), x_label: str = "", y_label: str = "") -> Built:
    log_x, log_y = axes in ("loglog", "semilogx"), axes in ("loglog", "semilogy")
    sampled = [sampling.sample(c.f, x_range, width, log_x, c.mask) for c in curves]
    empty = tuple(i for i, (_, ys) in enumerate(sampled) if not np.isfinite(ys).any())
    if y_range is None:
        fitted = [ys for _, ys in sampled] + [np.asarray(p.ys, dtype=float) for p in points if p.fit]
        y_range = sampling.fit_y_range(fitted, log_y, [m.y for m in markers])
    series = []
    for curve, (xs, ys) in zip(curves, sampled):
        xs, ys = sampling.clip(xs, ys, y_range, log_x, log_y)
        xs, ys = sampling.downsample(xs, ys, width)
        series.append(Series(curve.label, xs, ys, curve.style))
    for p in points:
        xs, ys = np.asarray(p.xs, dtype=float), np.asarray(p.ys, dtype=float)
        if p.style == "scatter":  # separate dots: drop the ones outside, no crossings to add
            lo, hi = y_range
            ys = np.where((ys >= lo) & (ys <= hi), ys, np.nan)
        else:
            xs, ys = sampling.clip(xs, ys, y_range, log_x, log_y)
        xs, ys = sampling.downsample(xs, ys, width)
        series.append(Series(p.label, xs, ys, p.style))
    lo, hi = x_range
    visible = tuple(m for m in markers if lo <= m.x <= hi and y_range[0] <= m.y <= y_range[1])
    panel = Panel(title, (float(lo), float(hi)), (float(y_range[0]), float(y_range[1])), axes,
                  tuple(series), visible, tuple(readout), x_label, y_label)
    return Built(panel, empty)


LINE_POINTS = 129


def line_through(x0: float, y0: float, slope: float, x_from: float, x_to: float) -> tuple[np.ndarray, np.ndarray]:
    """The line through (x0, y0) with this slope, from x_from to x_to. Many points, not two, so
    that clipping to the frame (which cuts between samples) keeps the visible part of a steep
    line; the cut is exact, since interpolating a straight line is exact."""
    xs = np.linspace(x_from, x_to, LINE_POINTS)
    return xs, y0 + slope * (xs - x0)
