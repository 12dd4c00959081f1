"""Figure data: what a plot widget draws, with no drawing library in sight.

A Figure is panels; a Panel is series, markers and readout lines on fixed axes. Series carry
their points as float64 arrays in which NaN marks a gap (an undefined point, a pole, a jump):
the widget must break the line there, and `Series.segments()` does that split for it.

Importing this module loads neither NumPy nor SymPy, so a widget can import the types cheaply.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - types only
    import numpy as np

AXES = ("linear", "loglog", "semilogx", "semilogy")
STYLES = ("line", "dashed", "bold", "scatter")  # what a lesson's curve may ask for
BAR = "bar"  # data figures (the stats): one bar per point, from 0 up to it; NaN is no bar


@dataclass(frozen=True, eq=False)  # eq=False: arrays have no single truth value
class Series:
    """One curve, or one row of bars. `xs` and `ys` have the same length; a NaN in `ys` (and its
    `xs`) is a gap, or no bar."""

    label: str
    xs: np.ndarray
    ys: np.ndarray
    style: str = "line"  # line | dashed | bold | scatter | bar
    colour: int | None = None  # a palette index; by default the series' place in its panel

    def segments(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """The runs of consecutive finite points, each to be drawn as one unbroken line."""
        import numpy as np

        ok = np.isfinite(self.xs) & np.isfinite(self.ys)
        if not ok.any():
            return []
        # Edges where `ok` switches on or off; pairs of (start, stop) index the runs.
        padded = np.concatenate(([False], ok, [False]))
        edges = np.flatnonzero(padded[1:] != padded[:-1])
        return [(self.xs[a:b], self.ys[a:b]) for a, b in zip(edges[::2], edges[1::2])]

    @property
    def finite_count(self) -> int:
        import numpy as np

        return int((np.isfinite(self.xs) & np.isfinite(self.ys)).sum())

    def __len__(self) -> int:
        return len(self.xs)


@dataclass(frozen=True)
class Marker:
    """A labelled point (a landmark of the lesson, a tangency point, the current iterate)."""

    x: float
    y: float
    label: str = ""


@dataclass(frozen=True)
class Panel:
    title: str
    x_range: tuple[float, float]
    y_range: tuple[float, float]  # always set: fitted to the data when the block gives none
    axes: str = "linear"  # linear | loglog | semilogx | semilogy
    series: tuple[Series, ...] = ()
    markers: tuple[Marker, ...] = ()
    readout: tuple[str, ...] = ()  # text lines under the panel: slopes, errors, regimes
    x_label: str = ""
    y_label: str = ""
    stacked: bool = False  # its bar series stand on one another, the first at the bottom
    whole_ticks: tuple[bool, bool] = (False, False)  # (x, y): ticks only at whole numbers (days, counts)

    @property
    def log_x(self) -> bool:
        return self.axes in ("loglog", "semilogx")

    @property
    def log_y(self) -> bool:
        return self.axes in ("loglog", "semilogy")

    @property
    def x_ticks(self) -> tuple[tuple[float, ...], tuple[str, ...]]:
        """Decade ticks ("1e-12", "0.01", "1") on a log x axis; () () on a linear one (the
        drawing library's own ticks are fine there, but print 0.000000000006 on log axes)."""
        return log_ticks(*self.x_range) if self.log_x else ((), ())

    @property
    def y_ticks(self) -> tuple[tuple[float, ...], tuple[str, ...]]:
        return log_ticks(*self.y_range) if self.log_y else ((), ())

    def find(self, label: str) -> Series:
        """The series with this label (tests and widgets pick curves by name)."""
        for series in self.series:
            if series.label == label:
                return series
        raise KeyError(label)


def log_ticks(lo: float, hi: float, most: int = 6) -> tuple[tuple[float, ...], tuple[str, ...]]:
    """Powers of ten inside [lo, hi], thinned to at most `most`, with short labels."""
    if not (0 < lo < hi):
        return (), ()
    first, last = math.ceil(math.log10(lo) - 1e-9), math.floor(math.log10(hi) + 1e-9)
    powers = list(range(first, last + 1))
    every = max(1, math.ceil(len(powers) / most))
    powers = [k for k in powers if (k - powers[-1]) % every == 0] if powers else []
    labels = tuple(f"1e{k}" if abs(k) >= 3 else f"{10.0 ** k:g}" for k in powers)
    return tuple(10.0**k for k in powers), labels


@dataclass(frozen=True)
class Figure:
    title: str
    panels: tuple[Panel, ...]
    notes: tuple[str, ...] = field(default=())  # problems met while building (a curve that drew nothing)

    @property
    def readout(self) -> tuple[str, ...]:
        return tuple(line for panel in self.panels for line in panel.readout)

    def summary(self) -> dict[str, Any]:
        """A plain description for benchmarks and debugging: sizes, not the numbers."""
        return {
            "title": self.title,
            "panels": [
                {
                    "title": p.title,
                    "axes": p.axes,
                    "x": p.x_range,
                    "y": tuple(round(v, 6) for v in p.y_range),
                    "series": [(s.label, len(s), len(s.segments())) for s in p.series],
                    "markers": len(p.markers),
                    "readout": list(p.readout),
                }
                for p in self.panels
            ],
        }
