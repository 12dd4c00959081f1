"""From a function to points worth drawing: grid, gaps, spike clipping, downsampling.

The pipeline for a panel: `sample` every curve on a fine grid (gaps where undefined or where the
function jumps), `fit_y_range` over all of them when the block gives no y range, `clip` each to
the y range (the line is cut where it leaves the frame, at the frame's edge, so spikes and poles
become gaps instead of vertical streaks), then `downsample` to about twice the widget's width,
because plotext redraws every point on the UI thread.

Log axes are handled in display space: values <= 0 on a log axis are gaps, and crossings and
fits are computed on log10 of the data.
"""

from __future__ import annotations

import numpy as np

from tutor.plots.functions import PlotFunction
from tutor.plots.vectorize import PlotError, Vectorized, vectorize  # noqa: F401 - re-exported

OVERSAMPLE = 8  # samples per column before downsampling: keeps narrow peaks (sin(x^2) near |x| = 3)
MIN_SAMPLES = 400
MAX_SAMPLES = 4000
SPIKE_RATIO = 10.0  # full spread > this x the 5-95% spread: spikes dominate, fit to the bulk
PAD = 0.05  # fitted ranges get 5% of air on each side


def grid(x_range: tuple[float, float], n: int, log: bool = False) -> np.ndarray:
    lo, hi = x_range
    if log:
        if lo <= 0:
            raise PlotError(f"a log x axis needs a positive x range, not [{lo}, {hi}]")
        return np.geomspace(lo, hi, n)
    return np.linspace(lo, hi, n)


def samples_for(width: int) -> int:
    return int(min(MAX_SAMPLES, max(MIN_SAMPLES, OVERSAMPLE * width)))


def sample(f: PlotFunction, x_range: tuple[float, float], width: int, log_x: bool = False,
           mask: PlotFunction | None = None) -> tuple[np.ndarray, np.ndarray]:
    """f on a fine grid, with a NaN inserted between samples where f jumps.

    `mask`: another function whose undefined points are undefined here too (a derivative is not
    defined where the function itself is not: (ln x)' = 1/x only for x > 0).
    """
    xs = grid(x_range, samples_for(width), log_x)
    ys, breaks = f.with_breaks(xs)
    if mask is not None:
        base, base_breaks = mask.with_breaks(xs)
        ys[np.isnan(base)] = np.nan
        breaks = breaks | base_breaks
    return insert_breaks(xs, ys, breaks)


def insert_breaks(xs: np.ndarray, ys: np.ndarray, breaks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Put a NaN point between i and i + 1 wherever breaks[i]: the line stops there."""
    where = np.flatnonzero(breaks) + 1
    if not len(where):
        return xs, ys
    mid = (xs[where - 1] + xs[where]) / 2
    return np.insert(xs, where, mid), np.insert(ys, where, np.nan)


def _display(values: np.ndarray, log: bool) -> np.ndarray:
    if not log:
        return values
    with np.errstate(all="ignore"):
        return np.log10(np.where(values > 0, values, np.nan))


def _undisplay(values: np.ndarray, log: bool) -> np.ndarray:
    return 10.0 ** values if log else values


def fit_y_range(ys: list[np.ndarray], log: bool = False, extra: list[float] = ()) -> tuple[float, float]:
    """A y range that shows the curves: their full extent, unless a few spikes (a pole) would
    squash everything else flat, in which case the bulk of the points plus some air."""
    values = [_display(np.asarray(y, dtype=float), log) for y in ys]
    values.append(_display(np.asarray(list(extra), dtype=float), log))
    finite = np.concatenate([v[np.isfinite(v)] for v in values]) if values else np.array([])
    if not len(finite):
        return (0.1, 10.0) if log else (-1.0, 1.0)
    lo, hi = float(finite.min()), float(finite.max())
    q_lo, q_hi = (float(q) for q in np.percentile(finite, [5, 95]))
    if q_hi > q_lo and hi - lo > SPIKE_RATIO * (q_hi - q_lo):
        spread = q_hi - q_lo
        lo, hi = max(lo, q_lo - spread / 2), min(hi, q_hi + spread / 2)
    if hi - lo <= 1e-12 * max(1.0, abs(hi)):  # a constant: give it a band around its value
        half = 1.0 if log else max(1.0, abs(hi) * 0.5)
        lo, hi = lo - half, hi + half
    else:
        pad = (hi - lo) * PAD
        lo, hi = lo - pad, hi + pad
    return float(_undisplay(np.float64(lo), log)), float(_undisplay(np.float64(hi), log))


def clip(xs: np.ndarray, ys: np.ndarray, y_range: tuple[float, float], log_x: bool = False,
         log_y: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Cut the line where it leaves [lo, hi]: points outside become gaps, and a point on the edge
    is added where each piece leaves or enters, so lines run to the frame instead of stopping
    short of it, and a pole never draws a vertical streak through the plot."""
    dx, dy = _display(xs, log_x), _display(ys, log_y)
    lo, hi = (float(v) for v in _display(np.asarray(y_range, dtype=float), log_y))
    inside = np.isfinite(dy) & (dy >= lo) & (dy <= hi)
    outside = np.isfinite(dy) & ~inside
    # Pairs (i, i+1) with one point inside and the other outside: add the crossing between them.
    pair = (inside[:-1] & outside[1:]) | (outside[:-1] & inside[1:])
    idx = np.flatnonzero(pair)
    new_dx, new_dy = dx.copy(), dy.copy()
    new_dy[~inside] = np.nan
    if len(idx):
        x0, x1, y0, y1 = dx[idx], dx[idx + 1], dy[idx], dy[idx + 1]
        out_y = np.where(inside[idx], y1, y0)
        edge = np.where(out_y > hi, hi, lo)
        t = (edge - y0) / (y1 - y0)
        cx = x0 + t * (x1 - x0)
        # Between the two points: after i. Where the outside point is i, the crossing still sits
        # between i and i+1, so order along x is kept and the NaN at i separates the pieces.
        new_dx = np.insert(new_dx, idx + 1, cx)
        new_dy = np.insert(new_dy, idx + 1, edge)
    return _undisplay(new_dx, log_x), _undisplay(new_dy, log_y)


def downsample(xs: np.ndarray, ys: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """At most 2 x width points, keeping each bucket's minimum and maximum (so peaks and
    valleys survive), the ends of every unbroken piece, and the gaps between pieces."""
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    limit = max(2, 2 * int(width))
    if len(xs) <= limit:
        return xs, ys
    finite = np.isfinite(ys)
    padded = np.concatenate(([False], finite, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    runs = list(zip(edges[::2], edges[1::2]))
    if not runs:
        return xs[:1] * np.nan, ys[:1] * np.nan
    budget = limit - (len(runs) - 1)  # one NaN between consecutive runs
    if budget < 2 * len(runs):
        return _buckets_with_gaps(xs, ys, limit)
    total = sum(b - a for a, b in runs)
    shares = [max(2, int(budget * (b - a) / total)) for a, b in runs]
    if sum(shares) > budget:
        return _buckets_with_gaps(xs, ys, limit)
    out_x: list[np.ndarray] = []
    out_y: list[np.ndarray] = []
    for k, ((a, b), share) in enumerate(zip(runs, shares)):
        keep = _extremes(ys, a, b, share)
        if k:
            out_x.append(np.array([xs[a - 1]]))
            out_y.append(np.array([np.nan]))
        out_x.append(xs[keep])
        out_y.append(ys[keep])
    return np.concatenate(out_x), np.concatenate(out_y)


def _extremes(ys: np.ndarray, a: int, b: int, share: int) -> np.ndarray:
    """Indices in [a, b) to keep: both ends, then the min and max of (share - 2) / 2 buckets."""
    if b - a <= share:
        return np.arange(a, b)
    buckets = max(1, (share - 2) // 2)
    bounds = np.linspace(a, b, buckets + 1).astype(int)
    keep = [a, b - 1]
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        if hi > lo:
            chunk = ys[lo:hi]
            keep.append(lo + int(np.argmin(chunk)))
            keep.append(lo + int(np.argmax(chunk)))
    return np.unique(np.array(keep))


def _buckets_with_gaps(xs: np.ndarray, ys: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """Fallback for very gappy data (many poles): min and max of each bucket, NaN for a bucket
    holding any gap, so every gap stays a gap (narrow pieces may shrink to a point)."""
    buckets = limit // 2
    bounds = np.linspace(0, len(xs), buckets + 1).astype(int)
    out_x, out_y = [], []
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        chunk = ys[lo:hi]
        ok = np.isfinite(chunk)
        if not ok.all():
            out_x.append(xs[lo + int(np.argmin(ok))])
            out_y.append(np.nan)
            if ok.any():
                i = lo + int(np.flatnonzero(ok)[np.argmax(np.abs(chunk[ok]))])
                out_x.append(xs[i])
                out_y.append(ys[i])
            continue
        i, j = sorted((lo + int(np.argmin(chunk)), lo + int(np.argmax(chunk))))
        out_x.extend([xs[i], xs[j]] if i != j else [xs[i]])
        out_y.extend([ys[i], ys[j]] if i != j else [ys[i]])
    return np.array(out_x[:limit]), np.array(out_y[:limit])


def curve_points(f: PlotFunction, x_range: tuple[float, float], y_range: tuple[float, float], width: int,
                 axes: str = "linear", mask: PlotFunction | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The whole pipeline for one curve on known axes."""
    log_x, log_y = axes in ("loglog", "semilogx"), axes in ("loglog", "semilogy")
    xs, ys = sample(f, x_range, width, log_x, mask)
    xs, ys = clip(xs, ys, y_range, log_x, log_y)
    return downsample(xs, ys, width)
