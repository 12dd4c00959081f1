"""The slope a readout shows at a probe point, including points where max/min/abs switch branch."""

from __future__ import annotations

from tutor.plots.functions import PlotFunction
from tutor.plots.interactive.base import finite, tidy

ONE_SIDE = 1e-9  # how far left and right of a branch switch the one-sided slopes are read


def slope_at(f: PlotFunction, x: float) -> float:
    """f'(x), or NaN at a true kink. At a point where max/min switch but both one-sided slopes
    agree (ELU with α = 1 at 0, Huber at 0) the derivative exists: their mean is returned."""
    df = f.derivative()
    if f.smooth_at(x):
        return df.at(x)
    left, right = df.at(x - ONE_SIDE), df.at(x + ONE_SIDE)
    if finite(left) and finite(right) and abs(left - right) < 1e-6:
        mean = (left + right) / 2
        return 0.0 if abs(mean) < 1e-12 else tidy(mean)
    return float("nan")
