"""Gradient checking: the relative error between an analytic gradient and a finite-difference
one, against h, on log-log axes.

The numerical gradients are computed in float64 the way a learner's NumPy check computes them
(perturb a copy by ±h, evaluate, subtract, divide), so round-off on the left and truncation on
the right are both real. The analytic gradient is SymPy's exact one; a control swaps in a buggy
one (half the true gradient, "the factor 2 forgotten"), whose error stays near 1/3 for every h.
"""

from __future__ import annotations

import numpy as np

from tutor.plots.assemble import Points, make_panel
from tutor.plots.fmt import num
from tutor.plots.interactive.base import Control, Interactive, clamp
from tutor.plots.model import Figure, Marker
from tutor.plots.surface import NAMES, Surface, surface
from tutor.plots.vectorize import PlotError

THRESHOLD = 1e-5  # above this, suspect a bug (the usual rule of thumb)
METHODS = ("forward", "central")


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    return float(np.linalg.norm(analytic - numeric)
                 / (np.linalg.norm(analytic) + np.linalg.norm(numeric) + 1e-12))


def numerical_gradient(f: Surface, point: np.ndarray, h: float, method: str) -> np.ndarray:
    grad = np.zeros(len(point))
    for i in range(len(point)):
        up, down = point.copy(), point.copy()
        up[i] += h
        if method == "central":
            down[i] -= h
            grad[i] = (f.value(up) - f.value(down)) / (2 * h)
        else:
            grad[i] = (f.value(up) - f.value(point)) / h
    return grad


class GradCheckError(Interactive):
    kind = "gradcheck-error"
    controls = (
        Control("move", "left", "smaller h", (-1,)),
        Control("move", "right", "larger h", (1,)),
        Control("toggle_bug", "b", "buggy analytic gradient on/off"),
    )

    def __init__(self, f: str, point: tuple[float, ...], h_range: tuple[float, float] = (1e-13, 1.0),
                 samples: int = 53, title: str = "") -> None:
        if point is None or len(point) not in (2, 3):
            raise PlotError("a gradient check needs 'point' with 2 or 3 coordinates (variables x, y[, z])")
        self.f = surface(f, len(point))
        self.point = np.array(point, dtype=float)
        lo, hi = h_range
        if not 0 < lo < hi:
            raise PlotError(f"the h range must be positive, low < high, not [{lo:g}, {hi:g}]")
        self.hs = np.geomspace(lo, hi, int(samples))
        self.title = title
        self.exact = self.f.gradient(self.point)
        if not np.all(np.isfinite(self.exact)):
            raise PlotError(f"∇f is undefined at {list(point)}")
        self.numeric = {m: [numerical_gradient(self.f, self.point, float(h), m) for h in self.hs] for m in METHODS}
        self.buggy = False
        self.y_range = self._y_range()
        self.cursor = int(np.argmin(np.abs(np.log10(self.hs) + 6)))  # start at h = 1e-6

    @property
    def analytic(self) -> np.ndarray:
        return self.exact / 2 if self.buggy else self.exact

    def errors(self, method: str) -> np.ndarray:
        return self._errors(method, self.buggy)

    def _y_range(self) -> tuple[float, float]:
        """One y range for both the right and the buggy gradient (so the picture stays put when
        the bug is switched on), from the smallest error drawn up to 1, threshold included."""
        errors = [e for buggy in (False, True) for m in METHODS for e in self._errors(m, buggy) if e > 0]
        lo = min([THRESHOLD, *errors])
        hi = max([1.0, *errors])
        return 10.0 ** np.floor(np.log10(lo)), 10.0 ** np.ceil(np.log10(hi))

    def _errors(self, method: str, buggy: bool) -> np.ndarray:
        analytic = self.exact / 2 if buggy else self.exact
        return np.array([relative_error(analytic, g) for g in self.numeric[method]])

    def move(self, delta: int = 1) -> bool:
        new = int(clamp(self.cursor + delta, 0, len(self.hs) - 1))
        changed, self.cursor = new != self.cursor, new
        return changed

    def toggle_bug(self) -> bool:
        self.buggy = not self.buggy
        return True

    def figure(self, width: int = 80) -> Figure:
        h = float(self.hs[self.cursor])
        points = [Points(f"threshold {num(THRESHOLD)}", self.hs, np.full(len(self.hs), THRESHOLD), "dashed")]
        markers, readout = [], []
        for method in METHODS:
            errors = self.errors(method)
            shown = np.where(errors > 0, errors, np.nan)  # an error of exactly 0 has no place on a log axis
            points.append(Points(method, self.hs, shown, "line", fit=True))
            err = float(errors[self.cursor])
            if err > 0:
                markers.append(Marker(h, err, method))
            verdict = "passes" if err < THRESHOLD else "fails"
            readout.append(f"{method}, h = {num(h, 2)}: relative error {num(err, 3)} ({verdict})")
        names = ", ".join(NAMES[: len(self.point)])
        readout.append(f"analytic ∇f({names}) = [{', '.join(num(float(v), 6) for v in self.analytic)}]"
                       + (" (buggy: half the true gradient)" if self.buggy else ""))
        built = make_panel("", (float(self.hs[0]), float(self.hs[-1])), width, axes="loglog", points=points,
                           markers=markers, readout=readout, x_label="h", y_label="relative error",
                           y_range=self.y_range)
        title = self.title or f"Gradient check of {self.f.text}: relative error against h"
        return Figure(title, (built.panel,))
