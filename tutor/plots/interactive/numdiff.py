"""|error| against h for finite differences, on log-log axes: truncation against rounding.

The estimates are computed in float64 exactly as a learner's NumPy code would compute them
(x + h rounded, f evaluated in float64, subtract, divide): the rounding error on the left of the
V *is* the lesson. The exact derivative comes from SymPy's derivative evaluated at 40 digits,
and the error is taken against it in double-double, so the error itself adds no rounding.
"""

from __future__ import annotations

import numpy as np

from tutor.plots.assemble import Points, make_panel
from tutor.plots.fmt import num
from tutor.plots.functions import PlotFunction
from tutor.plots.interactive.base import Backdrop, Control, Interactive, as_function, clamp
from tutor.plots.model import Figure, Marker
from tutor.plots.vectorize import PlotError

METHODS = ("forward", "backward", "central")


def exact_derivative(f: PlotFunction, x: float) -> tuple[float, float]:
    """f'(x) as a double-double (hi, lo): hi + lo agrees with the truth to ~32 digits."""
    import mpmath

    from tutor.checking.numeval import Evaluation, Undefined, evaluate

    try:
        with mpmath.workdps(40):
            exact = evaluate(f.derivative().expr, Evaluation({f.variable: mpmath.mpf(x)}))
            hi = float(exact)
            lo = float(exact - mpmath.mpf(hi))
    except Undefined as exc:
        raise PlotError(f"f'({num(x)}) is undefined ({exc.reason}), so there is no error to plot") from None
    return hi, lo


def estimates(f: PlotFunction, x: float, hs: np.ndarray, method: str) -> np.ndarray:
    """The float64 finite-difference estimates, as NumPy computes them."""
    x = np.float64(x)
    if method == "forward":
        return (f(x + hs) - f(x)) / hs
    if method == "backward":
        return (f(x) - f(x - hs)) / hs
    if method == "central":
        return (f(x + hs) - f(x - hs)) / (2 * hs)
    raise PlotError(f"unknown method '{method}' (known: {', '.join(METHODS)})")


class NumDiffError(Interactive):
    """Forward/backward/central |error| against h; a cursor walks along h with the numbers."""

    kind = "numdiff-error"
    controls = (
        Control("move", "left", "smaller h", (-1,)),
        Control("move", "right", "larger h", (1,)),
    )

    def __init__(self, f: str | PlotFunction, at: float, methods: tuple[str, ...] = ("forward", "central"),
                 h_range: tuple[float, float] = (1e-15, 1.0), samples: int = 100,
                 backdrop: Backdrop | None = None) -> None:
        self.f = as_function(f)
        self.at = float(at)
        self.methods = tuple(methods) or ("forward", "central")
        for method in self.methods:
            if method not in METHODS:
                raise PlotError(f"unknown method '{method}' (known: {', '.join(METHODS)})")
        lo, hi = h_range
        if not 0 < lo < hi:
            raise PlotError(f"the h range must be positive, low < high, not [{lo:g}, {hi:g}]")
        self.backdrop = backdrop or Backdrop()
        self.hs = np.geomspace(lo, hi, int(samples))
        self.exact = exact_derivative(self.f, self.at)
        if not np.isfinite(self.f.at(self.at)):
            raise PlotError(f"f is undefined at x = {num(self.at)}")
        hi_part, lo_part = self.exact
        self.estimates = {m: estimates(self.f, self.at, self.hs, m) for m in self.methods}
        # (estimate - hi) is exact when the two are close (Sterbenz), then the small part goes.
        self.errors = {m: np.abs((e - hi_part) - lo_part) for m, e in self.estimates.items()}
        self.cursor = int(np.argmin(np.abs(np.log10(self.hs) - np.log10(clamp(1e-1, lo, hi)))))

    def move(self, delta: int = 1) -> bool:
        new = int(clamp(self.cursor + delta, 0, len(self.hs) - 1))
        changed, self.cursor = new != self.cursor, new
        return changed

    def minimum(self, method: str) -> tuple[float, float]:
        """(h, |error|) where the error is smallest, among the errors a log axis can show (> 0)."""
        errors = np.where(self.errors[method] > 0, self.errors[method], np.inf)
        errors = np.where(np.isfinite(errors), errors, np.inf)
        i = int(np.argmin(errors))
        return float(self.hs[i]), float(errors[i])

    def figure(self, width: int = 80) -> Figure:
        points, readout = [], []
        markers = list(self.backdrop.markers)
        h = float(self.hs[self.cursor])
        for method in self.methods:
            errors = self.errors[method]
            zeros = int((errors == 0).sum())
            # A log axis cannot show an error of 0: those h are gaps in the curve.
            shown = np.where(errors > 0, errors, np.nan)
            points.append(Points(method, self.hs, shown, "line", fit=True))
            best_h, best = self.minimum(method)
            line = f"{method}: smallest |error| {num(best, 2)} at h = {num(best_h, 2)}"
            if zeros:
                line += f"; exact (error 0) at {zeros} of {len(self.hs)} h, not drawable on a log axis"
            readout.append(line)
            if errors[self.cursor] > 0:
                markers.append(Marker(h, float(errors[self.cursor]), method))
        at_cursor = ", ".join(
            f"{m} {num(float(self.estimates[m][self.cursor]), 12)} (|error| {num(float(self.errors[m][self.cursor]), 2)})"
            for m in self.methods
        )
        readout.append(f"h = {num(h, 3)}: {at_cursor}")
        readout.append(f"exact f'({num(self.at)}) = {num(self.exact[0], 15)}")
        built = make_panel("", (float(self.hs[0]), float(self.hs[-1])), width, axes="loglog", points=points,
                           markers=markers, readout=readout, x_label="h", y_label="|error|")
        title = self.backdrop.title or f"|error| against h for {self.f.text} at x = {num(self.at)}"
        return Figure(title, (built.panel,))
