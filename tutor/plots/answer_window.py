"""Where to look when a learner's answer is plotted against the truth: the x window and the
y range are chosen from the exercise's domain and from where the two curves differ.

A fixed [-5, 5] is useless when f' is large or oscillates fast (the derivative of sin(x³) turns
about 80 times there) or has a pole: the window shrinks around the middle of the domain until
each curve turns only a few times, and the y range is fitted to the points where they differ.
"""

from __future__ import annotations

import numpy as np

from tutor.plots import sampling
from tutor.plots.functions import PlotFunction

DEFAULT_WINDOW = (-5.0, 5.0)
SAMPLES = 4001
MAX_TURNS = 12  # local extrema per curve that still read as a picture in a terminal
MIN_HALF_WIDTH = 0.05
DIFFER = 1e-7  # relative gap below which the curves are the same at a point


def domain_window(domain: str | None, variable: str, variables: tuple[str, ...] = ()) -> tuple[float, float]:
    """DEFAULT_WINDOW cut to the domain's bounds on `variable` ("x > 1/2", "-pi/3 < x < pi/3",
    "x > e"), read by the same parser the checker uses. A domain that cannot be read leaves the
    default."""
    from tutor.checking.sampling import parse_domain
    from tutor.mathlang import MathError

    try:
        bounds = parse_domain(domain, tuple(variables) or (variable,)).bounds.get(variable, (None, None))
    except MathError:
        return DEFAULT_WINDOW
    lo, hi = bounds
    d_lo, d_hi = DEFAULT_WINDOW
    span = d_hi - d_lo
    if lo is not None and hi is not None:
        return float(lo), float(hi)
    if lo is not None:
        return (float(lo), float(max(d_hi, lo + span / 2))) if lo < d_hi else (float(lo), float(lo + span))
    if hi is not None:
        return (float(min(d_lo, hi - span / 2)), float(hi)) if hi > d_lo else (float(hi - span), float(hi))
    return DEFAULT_WINDOW


def _turns(ys: np.ndarray) -> int:
    """Local extrema of a sampled curve (sign changes of its slope), over its finite stretches."""
    finite = ys[np.isfinite(ys)]
    if len(finite) < 3:
        return 0
    slope = np.sign(np.diff(finite))
    slope = slope[slope != 0]
    return int(np.count_nonzero(slope[1:] != slope[:-1]))


def _differ(mine: np.ndarray, true: np.ndarray) -> np.ndarray:
    both = np.isfinite(mine) & np.isfinite(true)
    scale = np.maximum(1.0, np.abs(np.where(both, true, 0.0)))
    gap = np.abs(np.where(both, mine - true, 0.0))
    # Where only one of them is defined they differ too (a wrong domain is a wrong answer).
    return (both & (gap > DIFFER * scale)) | (np.isfinite(mine) != np.isfinite(true))


def answer_window(mine: PlotFunction, true: PlotFunction, home: tuple[float, float]) -> tuple[float, float]:
    """The x window to show first: inside `home`, centred on the difference nearest the middle,
    as wide as it can be while each curve turns at most MAX_TURNS times."""
    lo, hi = home
    xs = np.linspace(lo, hi, SAMPLES)
    with np.errstate(all="ignore"):
        a, b = mine(xs), true(xs)
    differ = _differ(a, b)
    if not differ.any():
        return home
    middle = (lo + hi) / 2
    centre = float(xs[differ][np.argmin(np.abs(xs[differ] - middle))])
    best = None
    half = (hi - lo) / 2
    while half >= MIN_HALF_WIDTH:
        left = min(max(centre - half, lo), hi - 2 * half)
        window = (left, left + 2 * half)
        inside = (xs >= window[0]) & (xs <= window[1])
        if _turns(a[inside]) <= MAX_TURNS and _turns(b[inside]) <= MAX_TURNS:
            best = window
            break
        half /= 1.25
    if best is None:
        best = (centre - MIN_HALF_WIDTH, centre + MIN_HALF_WIDTH)
    return float(best[0]), float(best[1])


def answer_y_range(mine: PlotFunction, true: PlotFunction, window: tuple[float, float],
                   width: int = 80) -> tuple[float, float]:
    """A y range fitted to both curves on the window, clipping poles (the truth's values lead:
    a learner's answer that shoots off is cut at the edge, not allowed to flatten the truth)."""
    xs = sampling.grid(window, sampling.samples_for(width))
    with np.errstate(all="ignore"):
        a, b = mine(xs), true(xs)
    lo, hi = sampling.fit_y_range([b])
    spread = hi - lo
    a_lo, a_hi = sampling.fit_y_range([a])
    # Show the learner's curve too while it stays within a few times the truth's extent.
    return float(max(min(lo, a_lo), lo - 2 * spread)), float(min(max(hi, a_hi), hi + 2 * spread))
