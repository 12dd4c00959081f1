"""Riemann sums: strips under f on [a, b]; change n and watch the sum close in on the area.

The strips are drawn as their outlines (up the left edge, across the top, down the right edge),
so the gap between the strips and the curve is the error the readout prints.
"""

from __future__ import annotations

import numpy as np

from tutor.plots import quadrature
from tutor.plots.assemble import Curve, Points, make_panel
from tutor.plots.fmt import num
from tutor.plots.functions import PlotFunction
from tutor.plots.interactive.base import Backdrop, Control, Interactive, as_function
from tutor.plots.model import Figure
from tutor.plots.vectorize import PlotError

# n moves along this ladder: the lesson's table rows (4, 10, 100, 1000) are a few presses apart.
N_LADDER = (1, 2, 4, 5, 10, 20, 50, 100, 200, 500, 1000)
RULES = ("left", "trapezoid")


class RiemannSums(Interactive):
    kind = "riemann"
    controls = (
        Control("more", "plus", "more strips"),
        Control("fewer", "minus", "fewer strips"),
        Control("switch_rule", "m", "left sum / trapezoid"),
    )

    def __init__(self, f: str | PlotFunction, interval: tuple[float, float], n: int = 4, rule: str = "left",
                 backdrop: Backdrop | None = None) -> None:
        self.f = as_function(f)
        self.a, self.b = (float(v) for v in interval)
        if not self.a < self.b:
            raise PlotError(f"the interval must have a < b, not [{num(self.a)}, {num(self.b)}]")
        if rule not in RULES:
            raise PlotError(f"unknown rule '{rule}' (known: {', '.join(RULES)})")
        ys = self.f(quadrature.nodes(self.a, self.b, N_LADDER[-1]))
        if not np.isfinite(ys).all():
            raise PlotError(f"{self.f.text} is undefined somewhere on [{num(self.a)}, {num(self.b)}]: no area to sum")
        self.n = min(N_LADDER, key=lambda k: abs(k - int(n)))
        self.rule = rule
        self.backdrop = backdrop or Backdrop()
        self.exact = quadrature.reference(self.f, self.a, self.b)

    def more(self) -> bool:
        above = [k for k in N_LADDER if k > self.n]
        return self._set_n(above[0]) if above else False

    def fewer(self) -> bool:
        below = [k for k in N_LADDER if k < self.n]
        return self._set_n(below[-1]) if below else False

    def _set_n(self, n: int) -> bool:
        changed, self.n = n != self.n, n
        return changed

    def switch_rule(self) -> bool:
        self.rule = RULES[(RULES.index(self.rule) + 1) % len(RULES)]
        return True

    def estimate(self) -> float:
        return quadrature.rule(self.rule, self.f, self.a, self.b, self.n)

    def outline(self) -> tuple[np.ndarray, np.ndarray]:
        """One path through every strip: up at x_i, along the top, down at x_(i+1)."""
        xs = quadrature.nodes(self.a, self.b, self.n)
        ys = self.f(xs)
        left, right = xs[:-1], xs[1:]
        top_left = ys[:-1]
        top_right = ys[:-1] if self.rule == "left" else ys[1:]
        zero = np.zeros(self.n)
        path_x = np.column_stack([left, left, right, right]).ravel()
        path_y = np.column_stack([zero, top_left, top_right, zero]).ravel()
        return path_x, path_y

    def figure(self, width: int = 80) -> Figure:
        value = self.estimate()
        error = value - self.exact
        name = "left Riemann sum" if self.rule == "left" else "trapezoid rule"
        dx = (self.b - self.a) / self.n
        readout = [
            f"n = {self.n}, dx = {num(dx)}: {name} = {num(value, 7)}",
            f"exact area {num(self.exact, 7)}; error {num(error, 3)}",
        ]
        xs, ys = self.outline()
        shape = "rectangles" if self.rule == "left" else "trapezoids"
        curves = (Curve(self.f, f"f(x) = {self.f.text}", "line"),)
        x_range = self.backdrop.x_range or (self.a, self.b)
        built = make_panel("", x_range, width, curves=curves,
                           points=[Points(f"{self.n} {shape}", xs, ys, "line", fit=True)],
                           markers=self.backdrop.markers, y_range=self.backdrop.y_range, readout=readout)
        title = self.backdrop.title or f"∫ {self.f.text} dx on [{num(self.a)}, {num(self.b)}] as strips"
        return Figure(title, (built.panel,))
