"""Tangent explorer and secant-to-tangent: the derivative as the slope of a line that follows x₀."""

from __future__ import annotations

from tutor.plots.assemble import Curve, Points, line_through, make_panel
from tutor.plots.fmt import num, plus, shifted
from tutor.plots.functions import PlotFunction
from tutor.plots.interactive.base import Backdrop, Control, Interactive, as_function, clamp, finite, nice_step, tidy
from tutor.plots.model import Figure, Marker
from tutor.plots.schema import DEFAULT_X


class TangentExplorer(Interactive):
    """Move x₀ along f; the tangent line and the slope readout follow."""

    kind = "tangent"
    controls = (
        Control("move", "left", "move x₀ left", (-1,)),
        Control("move", "right", "move x₀ right", (1,)),
        Control("finer", "minus", "smaller steps"),
        Control("coarser", "plus", "bigger steps"),
    )

    def __init__(self, f: str | PlotFunction, x0: float = 0.0, step: float | None = None,
                 backdrop: Backdrop | None = None) -> None:
        self.f = as_function(f)
        self.df = self.f.derivative()
        self.backdrop = backdrop or Backdrop()
        self.x_range = self.backdrop.x_range or DEFAULT_X
        lo, hi = self.x_range
        self.step = step or nice_step(hi - lo)
        self.x0 = clamp(float(x0), lo, hi)

    # Controls -------------------------------------------------------------------------------
    def move(self, delta: int = 1) -> bool:
        return self.set_x0(self.x0 + delta * self.step)

    def set_x0(self, x: float) -> bool:
        new = tidy(clamp(x, *self.x_range))
        changed, self.x0 = new != self.x0, new
        return changed

    def finer(self) -> bool:
        lo, hi = self.x_range
        new = max(nice_step(hi - lo, 1000), self.step / 2)
        changed, self.step = new != self.step, new
        return changed

    def coarser(self) -> bool:
        lo, hi = self.x_range
        new = min(nice_step(hi - lo, 5), self.step * 2)
        changed, self.step = new != self.step, new
        return changed

    # State ------------------------------------------------------------------------------------
    @property
    def value(self) -> float:
        return self.f.at(self.x0)

    @property
    def slope(self) -> float:
        """f'(x₀); NaN at a kink (relu at 0), where there is no tangent."""
        return self.df.at(self.x0) if self.f.smooth_at(self.x0) else float("nan")

    def figure(self, width: int = 80) -> Figure:
        lo, hi = self.x_range
        y0, slope = self.value, self.slope
        curves = self.backdrop.curves
        if not any(c.mask is None and c.f.expr == self.f.expr for c in curves):
            curves += (Curve(self.f, f"f(x) = {self.f.text}"),)  # the curve the tangent touches
        points, markers = list(self.backdrop.lines), list(self.backdrop.markers)
        if finite(y0):
            markers.append(Marker(self.x0, y0, "x₀"))
        if finite(y0) and finite(slope):
            xs, ys = line_through(self.x0, y0, slope, lo, hi)
            points.append(Points("tangent", xs, ys, "dashed"))
            readout = (f"x₀ = {num(self.x0)}   f(x₀) = {num(y0)}   slope f'(x₀) = {num(slope)}",
                       f"tangent: y = {num(y0)} {plus(slope)}·({shifted('x', self.x0)})")
        elif finite(y0):
            readout = (f"x₀ = {num(self.x0)}   f(x₀) = {num(y0)}", "f has no derivative here: no tangent line")
        else:
            readout = (f"x₀ = {num(self.x0)}: f is undefined here",)
        built = make_panel("", self.x_range, width, curves=curves, points=points, markers=markers,
                           y_range=self.backdrop.y_range, readout=readout)
        return Figure(self.backdrop.title or f"Tangent to {self.f.text}", (built.panel,))


class SecantToTangent(Interactive):
    """Shrink h and watch the secant through x₀ and x₀ + h turn into the tangent."""

    kind = "secant"
    controls = (
        Control("shrink", "minus", "shrink h"),
        Control("grow", "plus", "grow h"),
    )

    def __init__(self, f: str | PlotFunction, x0: float, h: float = 1.0, factor: float = 2.0,
                 h_min: float = 1e-6, backdrop: Backdrop | None = None) -> None:
        self.f = as_function(f)
        self.df = self.f.derivative()
        self.backdrop = backdrop or Backdrop()
        self.x_range = self.backdrop.x_range or (x0 - 2.0, x0 + 2.0)
        lo, hi = self.x_range
        self.x0 = clamp(float(x0), lo, hi)
        self.factor = factor
        self.h_min = h_min
        # x₀ + h stays on the plot; where x₀ sits at the right edge, allow half the width.
        self.h_max = (hi - self.x0) if hi - self.x0 > h_min else (hi - lo) / 2
        self.h = clamp(float(h), h_min, self.h_max)

    def shrink(self) -> bool:
        new = tidy(max(self.h / self.factor, self.h_min))
        changed, self.h = new != self.h, new
        return changed

    def grow(self) -> bool:
        new = tidy(min(self.h * self.factor, self.h_max))
        changed, self.h = new != self.h, new
        return changed

    @property
    def secant_slope(self) -> float:
        return (self.f.at(self.x0 + self.h) - self.f.at(self.x0)) / self.h

    @property
    def slope(self) -> float:
        return self.df.at(self.x0)

    def figure(self, width: int = 80) -> Figure:
        lo, hi = self.x_range
        x0, x1 = self.x0, self.x0 + self.h
        y0, y1 = self.f.at(x0), self.f.at(x1)
        secant, slope = self.secant_slope, self.slope
        curves = (Curve(self.f, f"f(x) = {self.f.text}"),)
        points, markers = [], list(self.backdrop.markers)
        if finite(secant):
            xs, ys = line_through(x0, y0, secant, lo, hi)
            points.append(Points(f"secant, h = {num(self.h)}", xs, ys, "line"))
        if finite(slope):
            xs, ys = line_through(x0, y0, slope, lo, hi)
            points.append(Points("tangent", xs, ys, "dashed"))
        markers += [Marker(x0, y0, "x₀"), Marker(x1, y1, "x₀ + h")]
        readout = (
            f"h = {num(self.h)}   secant slope {num(secant)} → f'({num(x0)}) = {num(slope)}",
            f"gap {num(abs(secant - slope), 3)}",
        )
        built = make_panel("", self.x_range, width, curves=curves, points=points,
                           markers=[m for m in markers if finite(m.y)], y_range=self.backdrop.y_range,
                           readout=readout)
        return Figure(self.backdrop.title or f"Secants of {self.f.text} at x = {num(x0)}", (built.panel,))
