"""A partial derivative as the slope of a slice: f(x, b) against x and f(a, y) against y, each
with its tangent at the point (a, b) the learner moves."""

from __future__ import annotations

import math

from tutor.plots.assemble import Curve, Points, line_through, make_panel
from tutor.plots.fmt import num
from tutor.plots.functions import plot_function
from tutor.plots.interactive.plane import MOVES, PlanePoint
from tutor.plots.model import Figure, Marker


class PartialSlices(PlanePoint):
    kind = "partial-slices"
    controls = MOVES

    def figure(self, width: int = 80) -> Figure:
        a, b = self.point
        value = self.f.value(self.point)
        fx, fy = self.f.gradient(self.point)
        panels = []
        for name, fixed_name, at, fixed, slope, span in (
            ("x", "y", a, b, fx, self.x_range), ("y", "x", b, a, fy, self.y_range),
        ):
            curve = plot_function(self.f.text, name, ((fixed_name, fixed),))
            lines = []
            if math.isfinite(value) and math.isfinite(slope):
                half = (span[1] - span[0]) / 4
                xs, ys = line_through(at, value, slope, at - half, at + half)
                lines.append(Points(f"slope ∂f/∂{name} = {num(slope, 5)}", xs, ys, "dashed"))
            label = f"f(x, {num(fixed, 4)})" if name == "x" else f"f({num(fixed, 4)}, y)"
            built = make_panel(f"slice {fixed_name} = {num(fixed, 4)}", span, width, curves=(Curve(curve, label),),
                               points=lines, markers=(Marker(at, value, f"{name} = {num(at, 4)}"),),
                               readout=(f"∂f/∂{name}({num(a, 4)}, {num(b, 4)}) = {num(slope, 6)}",),
                               x_label=name, y_label="f")
            panels.append(built.panel)
        title = self.title or f"Slices of {self.f.text} through ({num(a, 4)}, {num(b, 4)})"
        return Figure(title, tuple(panels))
