"""Activation functions and their derivatives side by side, with a probe x moving across them.

The probe shows what the shapes mean for training: σ'(5) ≈ 0.0066 (a vanishing gradient),
ReLU' = 0 for x < 0 (a dead unit), leaky ReLU' = 0.1 there (still learning).
"""

from __future__ import annotations

from tutor.plots.assemble import Curve, make_panel
from tutor.plots.fmt import num
from tutor.plots.functions import plot_function
from tutor.plots.interactive.base import Control, Interactive, clamp, finite, tidy
from tutor.plots.model import Figure, Marker

# (panel title, name in readouts, expression in the answer language)
ACTIVATIONS = (
    ("sigmoid σ(x)", "σ", "sigmoid(x)"),
    ("tanh(x)", "tanh", "tanh(x)"),
    ("ReLU(x) = max(0, x)", "ReLU", "relu(x)"),
    ("leaky ReLU max(x, 0.1x)", "leaky", "max(x, x/10)"),
)


class Activations(Interactive):
    kind = "activations"
    controls = (
        Control("move", "left", "move the probe left", (-1,)),
        Control("move", "right", "move the probe right", (1,)),
        Control("toggle_derivatives", "d", "show or hide the derivatives"),
    )

    def __init__(self, x_range: tuple[float, float] = (-5.0, 5.0), probe: float = 2.0, step: float = 0.25,
                 title: str = "") -> None:
        self.x_range = x_range
        self.functions = [(t, name, plot_function(text)) for t, name, text in ACTIVATIONS]
        self.probe = clamp(probe, *x_range)
        self.step = step
        self.show_derivatives = True
        self.title = title

    def move(self, delta: int = 1) -> bool:
        new = tidy(clamp(self.probe + delta * self.step, *self.x_range))
        changed, self.probe = new != self.probe, new
        return changed

    def toggle_derivatives(self) -> bool:
        self.show_derivatives = not self.show_derivatives
        return True

    def figure(self, width: int = 80) -> Figure:
        panels = []
        x = self.probe
        for title, name, f in self.functions:
            df = f.derivative()
            curves = [Curve(f, f"{name}(x)", "line")]
            value, slope = f.at(x), df.at(x)
            markers = [Marker(x, value, f"{name}({num(x)})")]
            if self.show_derivatives:
                curves.append(Curve(df, f"{name}'(x)", "dashed", mask=f))
                if finite(slope):
                    markers.append(Marker(x, slope, f"{name}'({num(x)})"))
            readout = (f"x = {num(x)}: {name} = {num(value, 4)}, {name}' = {num(slope, 4)}",)
            panels.append(make_panel(title, self.x_range, width, curves=curves, markers=markers,
                                     readout=readout).panel)
        return Figure(self.title or "Activation functions and their derivatives", tuple(panels))
