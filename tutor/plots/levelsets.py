"""Level sets of f(x, y) on a rectangle, marching-squares style, in plain NumPy.

f is sampled on a (grid × grid) lattice; wherever f − level changes sign along a cell edge, the
crossing point is found by linear interpolation along that edge. Those points lie on f = level
(to the accuracy of the lattice), one per crossed edge, so a scatter plot of them draws the
level curve: dense enough for a terminal plot at the default grid of 120.

    level_sets(f, x_range, y_range, levels, grid=120) -> [(level, xs, ys), ...]

`levels` is a sequence of values, or a count: that many levels spread between the lowest and
the highest value on the lattice (by quantiles of f, so a bowl gets rings near its bottom too).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

LevelSet = tuple[float, np.ndarray, np.ndarray]


def level_sets(f: Callable[[np.ndarray, np.ndarray], np.ndarray], x_range: tuple[float, float],
               y_range: tuple[float, float], levels: Sequence[float] | int, grid: int = 120) -> list[LevelSet]:
    """The points where f = level, for every level; levels that f never crosses get empty arrays."""
    grid = max(int(grid), 2)
    xs = np.linspace(float(x_range[0]), float(x_range[1]), grid)
    ys = np.linspace(float(y_range[0]), float(y_range[1]), grid)
    X, Y = np.meshgrid(xs, ys)  # rows follow y, columns follow x
    with np.errstate(all="ignore"):
        Z = np.broadcast_to(np.asarray(f(X, Y), dtype=float), X.shape)
    values = _levels(Z, levels)
    return [(level, *_crossings(X, Y, Z, level)) for level in values]


def _levels(Z: np.ndarray, levels: Sequence[float] | int) -> list[float]:
    if isinstance(levels, (int, np.integer)):
        finite = Z[np.isfinite(Z)]
        if int(levels) <= 0 or finite.size == 0:
            return []
        # Interior quantiles: the extreme values themselves are single points, not curves.
        q = np.linspace(0.0, 1.0, int(levels) + 2)[1:-1]
        return [float(v) for v in np.quantile(finite, q)]
    return [float(v) for v in levels]


def _crossings(X: np.ndarray, Y: np.ndarray, Z: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Crossing points on horizontal edges, then on vertical edges (order within is row-major)."""
    D = Z - level
    px, py = [], []
    for axis in (1, 0):  # edges between neighbours along x, then along y
        a = D[:, :-1] if axis == 1 else D[:-1, :]
        b = D[:, 1:] if axis == 1 else D[1:, :]
        # A sign change, or a lattice point exactly on the level (it may then appear twice).
        hit = np.isfinite(a) & np.isfinite(b) & (((a < 0) & (b > 0)) | ((a > 0) & (b < 0)) | (a == 0))
        if not hit.any():
            continue
        with np.errstate(all="ignore"):
            t = np.where(a == b, 0.0, a / (a - b))  # a + t (b − a) = 0
        t = t[hit]
        x0 = (X[:, :-1] if axis == 1 else X[:-1, :])[hit]
        x1 = (X[:, 1:] if axis == 1 else X[1:, :])[hit]
        y0 = (Y[:, :-1] if axis == 1 else Y[:-1, :])[hit]
        y1 = (Y[:, 1:] if axis == 1 else Y[1:, :])[hit]
        px.append(x0 + t * (x1 - x0))
        py.append(y0 + t * (y1 - y0))
    if not px:
        return np.empty(0), np.empty(0)
    return np.concatenate(px), np.concatenate(py)
