"""What every interactive figure shares: named controls, a backdrop from the block, helpers.

A model is plain state plus methods that change it. Each control method returns True when the
figure changed (so the widget redraws only then) and clamps at its limits instead of failing.
`figure(width)` is cheap (a few ms): call it after every control.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import ClassVar

from tutor.plots.assemble import Curve
from tutor.plots.functions import PlotFunction, plot_function
from tutor.plots.model import Figure, Marker


@dataclass(frozen=True)
class Control:
    """One thing the learner can do: the model method `action`, called with `args`."""

    action: str
    key: str  # the key the widget is expected to bind ("left", "right", "plus", "minus", "d")
    description: str  # for the key help line: "move x₀ left"
    args: tuple = ()


@dataclass(frozen=True)
class Backdrop:
    """What the lesson's block adds around the live part: its title, axes, curves and points."""

    title: str = ""
    x_range: tuple[float, float] | None = None
    y_range: tuple[float, float] | None = None
    curves: tuple[Curve, ...] = ()
    markers: tuple[Marker, ...] = field(default=())
    lines: tuple = ()  # fixed segments the block lists (its tangents), as assemble.Points


class Interactive(ABC):
    kind: ClassVar[str]
    controls: ClassVar[tuple[Control, ...]]

    @abstractmethod
    def figure(self, width: int = 80) -> Figure: ...

    def act(self, control: Control | str) -> bool:
        """Run a control (a Control, or its action name when it takes no arguments)."""
        if isinstance(control, str):
            matches = [c for c in self.controls if c.action == control]
            if not matches:
                raise KeyError(f"{type(self).__name__} has no control '{control}'")
            control = matches[0]
        elif control not in self.controls:
            raise KeyError(f"{type(self).__name__} has no control {control}")
        return bool(getattr(self, control.action)(*control.args))


def as_function(f: str | PlotFunction, variable: str = "x") -> PlotFunction:
    return f if isinstance(f, PlotFunction) else plot_function(f, variable)


def finite(value: float) -> bool:
    return math.isfinite(value)


def clamp(value: float, lo: float, hi: float) -> float:
    return min(max(value, lo), hi)


def tidy(value: float) -> float:
    """Undo float drift from repeated steps (0.1 + 0.2): 12 significant digits are plenty."""
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, 11 - int(math.floor(math.log10(abs(value)))))


def nice_step(span: float, parts: int = 40) -> float:
    """A 1-2-5 step near span/parts, so positions read as round numbers."""
    raw = span / parts
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if m * power >= raw:
            return m * power
    return 10 * power
