"""Level sets of f(x, y) on a rectangle, marching-squares style, in plain NumPy.

f is sampled on a (grid × grid) lattice; wherever f − level changes sign along a cell edge, the
crossing point is found by linear interpolation along that edge. Those points lie on f = level
(to the accuracy of the lattice), one per crossed edge, so a scatter plot of them draws the
level curve: dense enough for a terminal plot at the default grid of 120.

    level_sets(f, x_range, y_range, levels, grid=120) -> [(level, xs, ys), ...]
    level_lines(f, x_range, y_range, levels, grid=120) -> the same points joined into curves,
                                                          one curve after another, NaN between

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


def level_lines(f: Callable[[np.ndarray, np.ndarray], np.ndarray], x_range: tuple[float, float],
                y_range: tuple[float, float], levels: Sequence[float] | int, grid: int = 120) -> list[LevelSet]:
    """Each level's crossing points in drawing order: the marching-squares segments of every cell,
    chained into polylines, with a NaN between two polylines (the plot model's gap marker)."""
    grid = max(int(grid), 2)
    xs = np.linspace(float(x_range[0]), float(x_range[1]), grid)
    ys = np.linspace(float(y_range[0]), float(y_range[1]), grid)
    X, Y = np.meshgrid(xs, ys)
    with np.errstate(all="ignore"):
        Z = np.broadcast_to(np.asarray(f(X, Y), dtype=float), X.shape)
    return [(level, *_chain(X, Y, Z, level)) for level in _levels(Z, levels)]


def _chain(X: np.ndarray, Y: np.ndarray, Z: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    D = Z - level
    with np.errstate(all="ignore"):
        # Where each edge is crossed: t along the edge, NaN when it is not (or a value is undefined).
        def cut(a, b):
            crossed = np.isfinite(a) & np.isfinite(b) & ((a < 0) != (b < 0))
            return np.where(crossed, a / (a - b), np.nan)

        th = cut(D[:, :-1], D[:, 1:])  # horizontal edge (r, c) → (r, c + 1)
        tv = cut(D[:-1, :], D[1:, :])  # vertical edge (r, c) → (r + 1, c)
    rows, cols = D.shape

    def point(edge: tuple[str, int, int]) -> tuple[float, float]:
        kind, r, c = edge
        if kind == "h":
            t = th[r, c]
            return X[r, c] + t * (X[r, c + 1] - X[r, c]), Y[r, c]
        t = tv[r, c]
        return X[r, c], Y[r, c] + t * (Y[r + 1, c] - Y[r, c])

    # Cells with a crossing on some edge: bottom h(r, c), top h(r + 1, c), left v(r, c), right v(r, c + 1).
    crossed = ~np.isnan(th[:-1, :]) | ~np.isnan(th[1:, :]) | ~np.isnan(tv[:, :-1]) | ~np.isnan(tv[:, 1:])
    neighbours: dict[tuple[str, int, int], list[tuple[str, int, int]]] = {}
    for r, c in zip(*np.nonzero(crossed)):
        r, c = int(r), int(c)
        edges = [e for e, t in ((("h", r, c), th[r, c]), (("v", r, c + 1), tv[r, c + 1]),
                                (("h", r + 1, c), th[r + 1, c]), (("v", r, c), tv[r, c])) if not np.isnan(t)]
        if len(edges) == 2:
            pairs = [(edges[0], edges[1])]
        elif len(edges) == 4:  # a saddle: the centre's side decides which corners the curves cut off
            centre = (D[r, c] + D[r, c + 1] + D[r + 1, c] + D[r + 1, c + 1]) / 4
            low_corner = D[r, c] < 0  # corner (r, c) sits between edges 3 (left) and 0 (bottom)
            if (centre < 0) == low_corner:
                pairs = [(edges[0], edges[1]), (edges[2], edges[3])]
            else:
                pairs = [(edges[3], edges[0]), (edges[1], edges[2])]
        else:
            continue  # an odd count only where an undefined corner cuts the cell: skip it
        for a, b in pairs:
            neighbours.setdefault(a, []).append(b)
            neighbours.setdefault(b, []).append(a)
    out_x: list[float] = []
    out_y: list[float] = []
    seen: set[tuple[str, int, int]] = set()
    # Open curves first (from an end, a point with one neighbour), then the closed ones.
    starts = [e for e, n in neighbours.items() if len(n) == 1] + list(neighbours)
    for start in starts:
        if start in seen:
            continue
        if out_x:
            out_x.append(np.nan)
            out_y.append(np.nan)
        edge, previous = start, None
        while edge is not None and edge not in seen:
            seen.add(edge)
            x, y = point(edge)
            out_x.append(float(x))
            out_y.append(float(y))
            following = [n for n in neighbours[edge] if n != previous and n not in seen]
            previous, edge = edge, (following[0] if following else None)
        # A closed curve: return to its first point so the line closes.
        if previous is not None and start in neighbours.get(previous, []) and len(out_x) > 2:
            x, y = point(start)
            out_x.append(float(x))
            out_y.append(float(y))
    return np.array(out_x), np.array(out_y)
