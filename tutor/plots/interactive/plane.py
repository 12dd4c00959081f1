"""What the figures of f(x, y) share: a point the arrow keys move across the (x, y) box."""

from __future__ import annotations

from tutor.plots.interactive.base import Control, Interactive, clamp, nice_step, tidy
from tutor.plots.model import Series
from tutor.plots.surface import Surface, contour_levels, contour_series, equal_scale, surface
from tutor.plots.vectorize import PlotError

DEFAULT_BOX = (-3.0, 3.0)
MOVES = (
    Control("move", "left", "move the point left", (-1, 0)),
    Control("move", "right", "move the point right", (1, 0)),
    Control("move", "down", "move the point down", (0, -1)),
    Control("move", "up", "move the point up", (0, 1)),
)


class PlanePoint(Interactive):
    """A point (x, y) in a box, moved in 1-2-5 steps of about 1/20 of the box."""

    def __init__(self, f: str | Surface, point: tuple[float, ...] | None, x_range: tuple[float, float] | None,
                 y_range: tuple[float, float] | None, title: str = "") -> None:
        self.f = f if isinstance(f, Surface) else surface(f, 2)
        self.x_range = x_range or DEFAULT_BOX
        self.y_range = y_range or DEFAULT_BOX
        self.title = title
        if point is not None and len(point) != 2:
            raise PlotError(f"'point' needs 2 coordinates [x, y] here, not {len(point)}")
        x, y = point if point is not None else (sum(self.x_range) / 2, sum(self.y_range) / 2)
        self.x, self.y = clamp(float(x), *self.x_range), clamp(float(y), *self.y_range)
        self.x_step = nice_step(self.x_range[1] - self.x_range[0], 20)
        self.y_step = nice_step(self.y_range[1] - self.y_range[0], 20)
        self._backdrops: dict[int, Series] = {}

    def backdrop(self, width: int) -> Series:
        """The level sets of f over the equal-scale box: they do not move with the point, so they
        are traced once per width (the costly part of a contour figure)."""
        if width not in self._backdrops:
            x_range, y_range = equal_scale(self.x_range, self.y_range, width)
            levels = contour_levels(self.f, self.x_range, self.y_range)
            self._backdrops[width] = contour_series(self.f, x_range, y_range, levels, 2 * width)
        return self._backdrops[width]

    @property
    def point(self) -> tuple[float, float]:
        return (self.x, self.y)

    def move(self, dx: int = 0, dy: int = 0) -> bool:
        return self.set_point(self.x + dx * self.x_step, self.y + dy * self.y_step)

    def set_point(self, x: float, y: float) -> bool:
        new = (tidy(clamp(x, *self.x_range)), tidy(clamp(y, *self.y_range)))
        changed = new != (self.x, self.y)
        self.x, self.y = new
        return changed
