"""Level sets of f(x, y) with the gradient at a point the learner moves: ∇f crosses the level
curve through the point at a right angle, and its length is the steepness there."""

from __future__ import annotations

import math

import numpy as np

from tutor.plots.fmt import num
from tutor.plots.interactive.base import Control
from tutor.plots.interactive.plane import MOVES, PlanePoint
from tutor.plots.model import Figure, Marker, Panel
from tutor.plots.surface import arrow, clip_box, contour_levels, contour_series, equal_scale, segment


def vector_text(v) -> str:
    return "[" + ", ".join(num(float(c), 4) for c in v) + "]"


class LevelSetsGradient(PlanePoint):
    kind = "level-sets"
    controls = MOVES + (Control("flip", "d", "show ∇f or the descent direction −∇f"),)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.descent = False  # draw −∇f (where gradient descent goes) instead of ∇f

    def flip(self) -> bool:
        self.descent = not self.descent
        return True

    def figure(self, width: int = 80) -> Figure:
        x_range, y_range = equal_scale(self.x_range, self.y_range, width)
        f, p = self.f, self.point
        value, grad = f.value(p), f.gradient(p)
        levels = contour_levels(f, self.x_range, self.y_range)
        series = [contour_series(f, x_range, y_range, levels)]
        readout = [f"f({num(p[0], 4)}, {num(p[1], 4)}) = {num(value, 5)}",
                   f"∇f = {vector_text(grad)}, ‖∇f‖ = {num(float(np.hypot(*grad)), 5)}"]
        norm = float(np.hypot(*grad))
        if math.isfinite(value) and math.isfinite(norm) and norm > 1e-12:
            series.append(contour_series(f, x_range, y_range, [value], f"level set f = {num(value, 4)}", "bold"))
            span = y_range[1] - y_range[0]
            tangent = np.array([-grad[1], grad[0]]) / norm
            half = 0.3 * span
            series.append(clip_box(segment((p[0] - half * tangent[0], p[1] - half * tangent[1]),
                                           (p[0] + half * tangent[0], p[1] + half * tangent[1]),
                                           "tangent to the level set", "dashed"), x_range, y_range))
            direction = -grad if self.descent else grad
            label = "−∇f (steepest descent)" if self.descent else "∇f (steepest ascent)"
            series.append(clip_box(arrow(p, direction, 0.3 * span, label), x_range, y_range))
            unit = direction / norm
            readout.append(f"{'−∇f' if self.descent else '∇f'}/‖∇f‖ = {vector_text(unit)}; "
                           f"∇f · tangent = {num(float(grad @ tangent) + 0.0, 2)} (a right angle)")
        elif math.isfinite(value):
            readout.append("∇f = 0 here: a critical point, flat in every direction")
        else:
            readout.append("f is undefined here")
        panel = Panel("", x_range, y_range, "linear", tuple(series), (Marker(p[0], p[1], "p"),),
                      tuple(readout), "x", "y")
        return Figure(self.title or f"Level sets of {f.text}", (panel,))
