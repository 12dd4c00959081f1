"""The ReLU family and GELU overlaid, next to their derivatives, with a probe x moving across.

The probe makes the differences concrete: at x = −1 ReLU' = 0 (a dead unit), leaky ReLU' = α,
ELU' = e⁻¹ ≈ 0.368 and GELU' ≈ −0.083 (GELU dips below zero before it turns up).
"""

from __future__ import annotations

from tutor.plots.assemble import Curve, make_panel
from tutor.plots.fmt import num
from tutor.plots.functions import plot_function
from tutor.plots.interactive.base import Control, Interactive, clamp, finite, tidy
from tutor.plots.interactive.slopes import slope_at
from tutor.plots.model import Figure, Marker

# (name in labels and readouts, expression in the answer language). Leaky ReLU is drawn with
# α = 0.1, not the usual 0.01, so that its slope on the left can be seen at terminal resolution.
# ELU is α(eˣ − 1) for x ≤ 0 with α = 1; GELU is its tanh approximation (no erf in the language).
RELU_FAMILY = (
    ("ReLU", "relu(x)"),
    ("leaky ReLU (α = 0.1)", "max(x, x/10)"),
    ("ELU (α = 1)", "max(x, 0) + min(exp(x) - 1, 0)"),
    ("GELU", "0.5*x*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x^3)))"),
)
STYLES = ("line", "dashed", "line", "line")


class ReluFamily(Interactive):
    kind = "relu-family"
    controls = (
        Control("move", "left", "move the probe left", (-1,)),
        Control("move", "right", "move the probe right", (1,)),
    )

    def __init__(self, x_range: tuple[float, float] = (-3.0, 3.0), probe: float = -1.0, step: float = 0.25,
                 title: str = "") -> None:
        self.x_range = x_range
        self.functions = [(name, plot_function(text)) for name, text in RELU_FAMILY]
        self.probe = clamp(probe, *x_range)
        self.step = step
        self.title = title

    def move(self, delta: int = 1) -> bool:
        new = tidy(clamp(self.probe + delta * self.step, *self.x_range))
        changed, self.probe = new != self.probe, new
        return changed

    def values(self) -> list[tuple[str, float, float]]:
        """(name, f(probe), f'(probe)) for each activation; the slope is NaN at a kink."""
        return [(name, f.at(self.probe), slope_at(f, self.probe)) for name, f in self.functions]

    def figure(self, width: int = 80) -> Figure:
        x = self.probe
        values, slopes, readout = [], [], [f"x = {num(x)}"]
        for (name, f), style, (_, value, slope) in zip(self.functions, STYLES, self.values()):
            values.append(Curve(f, name, style))
            slopes.append(Curve(f.derivative(), f"{name}'", style, mask=f))
            shown = num(slope, 4) if finite(slope) else "undefined (kink)"
            readout.append(f"{name}: {num(value, 4)}, slope {shown}")
        # Drawn in reverse so that ReLU comes last and stays visible where the others coincide
        # with it (all four are x for large x).
        values.reverse()
        slopes.reverse()
        value_markers = [Marker(x, v, "") for _, v, _ in self.values() if finite(v)]
        slope_markers = [Marker(x, s, "") for _, _, s in self.values() if finite(s)]
        left = make_panel("the activations", self.x_range, width, curves=values, markers=value_markers,
                          readout=tuple(readout)).panel
        right = make_panel("their derivatives", self.x_range, width, curves=slopes, markers=slope_markers,
                           y_range=(-0.3, 1.3)).panel
        return Figure(self.title or "ReLU, leaky ReLU, ELU and GELU, and their slopes", (left, right))
