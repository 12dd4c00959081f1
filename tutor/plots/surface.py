"""Functions of several variables for figures: f(x, y[, z]) with its exact gradient and Hessian,
and the pieces every contour figure draws (level sets at equal scale, arrows, the point).

Parsing goes through the same whitelisted parser as answers; SymPy only differentiates, and the
derivatives are compiled by `vectorize` (no lambdify, no eval).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import sympy

from tutor.plots.functions import scalar_expression
from tutor.plots.levelsets import level_lines
from tutor.plots.model import Series
from tutor.plots.vectorize import PlotError, Vectorized, vectorize

NAMES = ("x", "y", "z")
# The widget draws a figure on a canvas of 15 rows, 12 of them plot area, and a terminal cell is
# about twice as tall as it is wide: contour figures widen their x range to keep equal scales,
# so that a right angle (∇f against its level set) looks like one.
PLOT_ROWS = 12
CELL_ASPECT = 2.0
CONTOUR_GRID = 60  # fine enough for a terminal's braille dots, few enough points to draw fast
LEVELS = 8


@dataclass(frozen=True, eq=False)
class Surface:
    """f of 2 or 3 variables (x, y[, z]), with ∇f and the Hessian compiled once."""

    text: str
    expr: sympy.Expr
    symbols: tuple[sympy.Symbol, ...]
    fn: Vectorized
    grad: tuple[Vectorized, ...]
    hess: tuple[tuple[Vectorized, ...], ...]
    grad_exprs: tuple[sympy.Expr, ...]

    @property
    def dims(self) -> int:
        return len(self.symbols)

    def __call__(self, *coords) -> np.ndarray:
        return self.fn(*coords)

    def value(self, point) -> float:
        return float(self.fn(*[np.float64(c) for c in point]))

    def gradient(self, point) -> np.ndarray:
        return np.array([float(g(*[np.float64(c) for c in point])) for g in self.grad])

    def hessian(self, point) -> np.ndarray:
        return np.array([[float(h(*[np.float64(c) for c in point])) for h in row] for row in self.hess])


def surface(text: str, dims: int = 2) -> Surface:
    """Parse `text` over x, y (and z when dims = 3). Raises PlotError when it does not parse."""
    if dims not in (2, 3):
        raise PlotError(f"a surface has 2 or 3 variables, not {dims}")
    return _build(str(text).strip(), dims)


@lru_cache(maxsize=64)
def _build(text: str, dims: int) -> Surface:
    names = NAMES[:dims]
    expr = scalar_expression(text, names, "a surface needs one value per point")
    from tutor.mathlang.build import symbol  # the same real Symbol objects the parser builds

    symbols = tuple(symbol(n) for n in names)
    grads = tuple(sympy.diff(expr, s) for s in symbols)
    hess = tuple(tuple(vectorize(sympy.diff(g, s), symbols) for s in symbols) for g in grads)
    return Surface(text, expr, symbols, vectorize(expr, symbols), tuple(vectorize(g, symbols) for g in grads),
                   hess, grads)


def equal_scale(x_range: tuple[float, float], y_range: tuple[float, float],
                width: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """The smallest box holding both ranges whose x and y units look the same length on a panel
    `width` columns wide (the wider side stays, the other grows about its centre)."""
    cols = max(int(width) - 8, 10)  # minus the y tick labels and the frame
    ratio = cols / (PLOT_ROWS * CELL_ASPECT)  # x span per y span at equal scale
    (x0, x1), (y0, y1) = x_range, y_range
    x_span, y_span = x1 - x0, y1 - y0
    if x_span < y_span * ratio:
        grow = (y_span * ratio - x_span) / 2
        return (x0 - grow, x1 + grow), (y0, y1)
    grow = (x_span / ratio - y_span) / 2
    return (x0, x1), (y0 - grow, y1 + grow)


def contour_levels(f: Surface, x_range: tuple[float, float], y_range: tuple[float, float],
                   count: int = LEVELS) -> list[float]:
    """`count` round-ish levels spread over the values f takes in the box (5th to 95th percentile),
    so each figure shows its own shape without the author choosing levels."""
    xs, ys = np.linspace(*x_range, 41), np.linspace(*y_range, 41)
    gx, gy = np.meshgrid(xs, ys)
    values = f(gx, gy)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return []
    lo, hi = np.percentile(values, [5, 95])
    if hi <= lo:
        return [float(lo)]
    return [float(v) for v in np.linspace(lo, hi, count)]


def contour_series(f: Surface, x_range: tuple[float, float], y_range: tuple[float, float],
                   levels: list[float], budget: int, label: str = "level sets", style: str = "line") -> Series:
    """All the levels as one series (one colour), curves separated by NaN, in at most `budget`
    points (a figure keeps 2 x width points per series, so drawing stays fast)."""
    curves: list[tuple[np.ndarray, np.ndarray]] = []
    for _level, cx, cy in level_lines(lambda gx, gy: f(gx, gy), x_range, y_range, levels, CONTOUR_GRID):
        curves += _split(cx, cy)
    xs, ys = _resample(curves, budget)
    return Series(label, xs, ys, style)


def _split(xs: np.ndarray, ys: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    if xs.size == 0:
        return []
    cuts = np.flatnonzero(np.isnan(xs))
    return [(a, b) for a, b in zip(np.split(xs, cuts), np.split(ys, cuts))
            for a, b in [(a[np.isfinite(a)], b[np.isfinite(b)])] if a.size >= 2]


def _resample(curves: list[tuple[np.ndarray, np.ndarray]], budget: int) -> tuple[np.ndarray, np.ndarray]:
    """The polylines re-drawn with points evenly spaced along each, sharing `budget` points (NaN
    separators included) by length; the shortest curves go first when there is not room for all."""
    lengths = [float(np.hypot(np.diff(x), np.diff(y)).sum()) for x, y in curves]
    order = sorted(range(len(curves)), key=lambda i: -lengths[i])
    keep = order[: max(1, (budget + 1) // 5)]  # every kept curve gets at least 4 points and a NaN
    keep.sort()
    total = sum(lengths[i] for i in keep) or 1.0
    room = budget - (len(keep) - 1)
    out_x: list[np.ndarray] = []
    out_y: list[np.ndarray] = []
    for i in keep:
        x, y = curves[i]
        n = min(len(x), max(4, int(room * lengths[i] / total)))
        along = np.concatenate(([0.0], np.cumsum(np.hypot(np.diff(x), np.diff(y)))))
        at = np.linspace(0.0, along[-1], n)
        if out_x:
            out_x.append(np.array([np.nan]))
            out_y.append(np.array([np.nan]))
        out_x.append(np.interp(at, along, x))
        out_y.append(np.interp(at, along, y))
    if not out_x:
        return np.array([np.nan]), np.array([np.nan])
    xs, ys = np.concatenate(out_x), np.concatenate(out_y)
    return xs[:budget], ys[:budget]


def arrow(start: tuple[float, float], direction: np.ndarray, length: float, label: str,
          style: str = "line") -> Series:
    """An arrow of `length` from `start` along `direction` (any length), with a two-stroke head.
    Drawn in data units, so it looks right on an equal-scale panel."""
    d = np.asarray(direction, dtype=float)
    norm = float(np.hypot(d[0], d[1]))
    if norm == 0 or not math.isfinite(norm):
        return Series(label, np.array([np.nan]), np.array([np.nan]), style)
    u = d / norm
    sx, sy = start
    tip = (sx + length * u[0], sy + length * u[1])
    head = 0.3 * length
    xs, ys = [sx, tip[0]], [sy, tip[1]]
    for angle in (2.6, -2.6):  # about ±150° from the shaft: the two barbs
        c, s = math.cos(angle), math.sin(angle)
        bx, by = c * u[0] - s * u[1], s * u[0] + c * u[1]
        xs += [np.nan, tip[0], tip[0] + head * bx]
        ys += [np.nan, tip[1], tip[1] + head * by]
    return Series(label, np.array(xs), np.array(ys), style)


def segment(p: tuple[float, float], q: tuple[float, float], label: str, style: str = "line",
            points: int = 41) -> Series:
    """A straight segment, with enough points that clipping to the frame keeps its visible part."""
    t = np.linspace(0.0, 1.0, points)
    return Series(label, p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1]), style)


def clip_box(series: Series, x_range: tuple[float, float], y_range: tuple[float, float]) -> Series:
    """Points outside the box become gaps, so nothing is drawn over the frame."""
    inside = ((series.xs >= x_range[0]) & (series.xs <= x_range[1])
              & (series.ys >= y_range[0]) & (series.ys <= y_range[1]))
    ys = np.where(inside, series.ys, np.nan)
    return Series(series.label, series.xs, ys, series.style)
