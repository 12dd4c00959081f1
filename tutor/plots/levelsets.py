"""Level sets (contour lines) of f(x, y) by marching squares, as polylines ready to plot.

    for level, xs, ys in level_sets(f, (-2, 2), (-2, 2), [1, 2, 4]): ...

`f` takes two NumPy arrays (a meshgrid) and returns values of the same shape. Each level's curves
come back joined into as few polylines as possible, separated by NaN, so a plot draws one stroke
per curve instead of one per grid cell. Pure NumPy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

# An edge of the grid: ("h", i, j) joins nodes (i, j) and (i, j+1); ("v", i, j) joins (i, j) and (i+1, j).
Edge = tuple[str, int, int]


def level_sets(f: Callable[[np.ndarray, np.ndarray], np.ndarray], x_range: tuple[float, float],
               y_range: tuple[float, float], levels: Iterable[float],
               grid: int = 120) -> list[tuple[float, np.ndarray, np.ndarray]]:
    """(level, xs, ys) for each level: the curves f = level inside the box, NaN between curves.
    A level that the box never reaches has empty arrays."""
    xs = np.linspace(float(x_range[0]), float(x_range[1]), int(grid))
    ys = np.linspace(float(y_range[0]), float(y_range[1]), int(grid))
    gx, gy = np.meshgrid(xs, ys)  # values[i, j] is f(xs[j], ys[i])
    with np.errstate(all="ignore"):
        values = np.broadcast_to(np.asarray(f(gx, gy), dtype=float), gx.shape)
    return [(float(level), *_curves(values, xs, ys, float(level))) for level in levels]


def _curves(values: np.ndarray, xs: np.ndarray, ys: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    segments = _segments(values, level)
    if not segments:
        return np.array([]), np.array([])
    out_x: list[float] = []
    out_y: list[float] = []
    for chain in _chains(segments):
        if out_x:
            out_x.append(np.nan)
            out_y.append(np.nan)
        for edge in chain:
            x, y = _crossing(values, xs, ys, edge, level)
            out_x.append(x)
            out_y.append(y)
    return np.array(out_x), np.array(out_y)


def _segments(values: np.ndarray, level: float) -> list[tuple[Edge, Edge]]:
    """One or two segments per grid cell the level passes through, each joining two crossed edges."""
    above = values >= level
    ok = np.isfinite(values)
    a, b = above[:-1, :-1], above[:-1, 1:]  # corners (i, j), (i, j+1)
    c, d = above[1:, 1:], above[1:, :-1]  # (i+1, j+1), (i+1, j)
    cell_ok = ok[:-1, :-1] & ok[:-1, 1:] & ok[1:, 1:] & ok[1:, :-1]
    crossed = cell_ok & ~((a == b) & (b == c) & (c == d))
    segments: list[tuple[Edge, Edge]] = []
    for i, j in zip(*np.nonzero(crossed)):
        i, j = int(i), int(j)
        corners = (a[i, j], b[i, j], c[i, j], d[i, j])
        edges: list[Edge] = [("h", i, j), ("v", i, j + 1), ("h", i + 1, j), ("v", i, j)]  # bottom right top left
        cut = [edges[k] for k in range(4) if corners[k] != corners[(k + 1) % 4]]
        if len(cut) == 2:
            segments.append((cut[0], cut[1]))
            continue
        # A saddle cell (opposite corners alike): the centre value decides which corners connect.
        centre_above = float(values[i:i + 2, j:j + 2].mean()) >= level
        if centre_above == corners[0]:  # a and c joined through the centre: cut off b and d
            segments += [(edges[0], edges[1]), (edges[2], edges[3])]
        else:  # cut off a and c
            segments += [(edges[3], edges[0]), (edges[1], edges[2])]
    return segments


def _chains(segments: list[tuple[Edge, Edge]]) -> list[list[Edge]]:
    """Join segments that share an edge crossing into polylines: open ones from an end, then loops."""
    neighbours: dict[Edge, list[Edge]] = {}
    for p, q in segments:
        neighbours.setdefault(p, []).append(q)
        neighbours.setdefault(q, []).append(p)
    used: set[frozenset[Edge]] = set()
    chains: list[list[Edge]] = []
    starts = [e for e, n in neighbours.items() if len(n) == 1] + list(neighbours)
    for start in starts:
        chain = [start]
        current = start
        while True:
            step = next((n for n in neighbours[current] if frozenset((current, n)) not in used), None)
            if step is None:
                break
            used.add(frozenset((current, step)))
            chain.append(step)
            current = step
        if len(chain) > 1:
            chains.append(chain)
    return chains


def _crossing(values: np.ndarray, xs: np.ndarray, ys: np.ndarray, edge: Edge, level: float) -> tuple[float, float]:
    kind, i, j = edge
    i2, j2 = (i, j + 1) if kind == "h" else (i + 1, j)
    v1, v2 = values[i, j], values[i2, j2]
    t = (level - v1) / (v2 - v1) if v2 != v1 else 0.5
    return float(xs[j] + t * (xs[j2] - xs[j])), float(ys[i] + t * (ys[i2] - ys[i]))
