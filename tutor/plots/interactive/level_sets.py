"""Level sets of f(x, y) with the gradient at a point the learner moves: ∇f crosses the level
curve through the point at a right angle, and its length is the steepness there.

Arrows are drawn in proportion to ‖∇f‖, the longest gradient in the box getting ARROW of the
box height, so they are long on steep walls and shrink towards a minimum. A key adds the whole
field on a FIELD × FIELD grid (the classic quiver picture)."""

from __future__ import annotations

import math

import numpy as np

from tutor.plots.fmt import num
from tutor.plots.interactive.base import Control
from tutor.plots.interactive.plane import MOVES, PlanePoint
from tutor.plots.model import Figure, Marker, Panel, Series
from tutor.plots.surface import Surface, arrow, clip_box, contour_series, equal_scale, segment

ARROW = 0.5  # the longest gradient in the box, as a share of the box height
FIELD = 8


def vector_text(v) -> str:
    return "[" + ", ".join(num(float(c), 4) for c in v) + "]"


class LevelSetsGradient(PlanePoint):
    kind = "level-sets"
    controls = MOVES + (
        Control("flip", "d", "show ∇f or the descent direction −∇f"),
        Control("toggle_field", "g", "arrows all over the plane on/off"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.descent = False  # draw −∇f (where gradient descent goes) instead of ∇f
        self.field = False
        self.largest = _largest_gradient(self.f, self.x_range, self.y_range)

    def flip(self) -> bool:
        self.descent = not self.descent
        return True

    def toggle_field(self) -> bool:
        self.field = not self.field
        return True

    def arrow_length(self, norm: float, span: float) -> float:
        return ARROW * span * min(norm / self.largest, 1.0) if self.largest > 0 else 0.0

    def figure(self, width: int = 80) -> Figure:
        x_range, y_range = equal_scale(self.x_range, self.y_range, width)
        span = y_range[1] - y_range[0]
        f, p = self.f, self.point
        value, grad = f.value(p), f.gradient(p)
        norm = float(np.hypot(*grad))
        series = [self.backdrop(width)]
        readout = [f"f({num(p[0], 4)}, {num(p[1], 4)}) = {num(value, 5)}",
                   f"∇f = {vector_text(grad)}, ‖∇f‖ = {num(norm, 5)}"]
        if not math.isfinite(value) or not math.isfinite(norm):
            readout.append("f or ∇f is undefined here")
        elif norm <= 1e-12:
            readout.append("∇f = 0 here: a critical point, flat in every direction")
        else:
            series.append(contour_series(f, x_range, y_range, [value], 2 * width,
                                         f"level set f = {num(value, 4)}", "bold"))
            tangent = np.array([-grad[1], grad[0]]) / norm
            half = 0.3 * span
            series.append(clip_box(segment((p[0] - half * tangent[0], p[1] - half * tangent[1]),
                                           (p[0] + half * tangent[0], p[1] + half * tangent[1]),
                                           "tangent to the level set", "dashed", min(41, 2 * width)), x_range, y_range))
            direction = -grad if self.descent else grad
            label = "−∇f (downhill)" if self.descent else "∇f (uphill)"
            series.append(clip_box(arrow(p, direction, self.arrow_length(norm, span), label), x_range, y_range))
            readout.append(f"{'−∇f' if self.descent else '∇f'}/‖∇f‖ = {vector_text(direction / norm)}; "
                           f"∇f · tangent = {num(float(grad @ tangent) + 0.0, 2)} (a right angle)")
        if self.field:
            series.append(clip_box(self._field(span, width), x_range, y_range))
        panel = Panel("", x_range, y_range, "linear", tuple(series), (Marker(p[0], p[1], "p"),),
                      tuple(readout), "x", "y")
        return Figure(self.title or f"Level sets of {f.text}", (panel,))

    def _field(self, span: float, width: int) -> Series:
        """Short arrows (shafts and heads, 9 points each) on an n × n grid inside the box: FIELD × FIELD
        when the figure is wide enough to keep 2 x width points, fewer on a narrow one."""
        n = max(2, min(FIELD, int(math.sqrt(2 * width / 9))))
        xs: list[np.ndarray] = []
        ys: list[np.ndarray] = []
        for gx in np.linspace(*self.x_range, n + 2)[1:-1]:
            for gy in np.linspace(*self.y_range, n + 2)[1:-1]:
                grad = self.f.gradient((gx, gy))
                norm = float(np.hypot(*grad))
                if not math.isfinite(norm) or norm == 0:
                    continue
                one = arrow((gx, gy), -grad if self.descent else grad, 0.5 * self.arrow_length(norm, span), "")
                xs += [one.xs, np.array([np.nan])]
                ys += [one.ys, np.array([np.nan])]
        if not xs:
            return Series("field", np.array([np.nan]), np.array([np.nan]))
        return Series("−∇f field" if self.descent else "∇f field", np.concatenate(xs)[:-1], np.concatenate(ys)[:-1])


def _largest_gradient(f: Surface, x_range: tuple[float, float], y_range: tuple[float, float]) -> float:
    gx, gy = np.meshgrid(np.linspace(*x_range, 21), np.linspace(*y_range, 21))
    parts = [np.broadcast_to(g(gx, gy), gx.shape) for g in f.grad]
    norms = np.hypot(*parts)
    norms = norms[np.isfinite(norms)]
    return float(norms.max()) if norms.size else 0.0
