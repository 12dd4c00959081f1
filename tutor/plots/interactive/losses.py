"""MSE, MAE, Huber and binary cross-entropy against the prediction ŷ, each with its gradient
∂L/∂ŷ, for a target y the learner can switch between 0 and 1, and a probe ŷ that moves.

Where they differ is the point: MSE's gradient grows with the error and fades near the target;
MAE's is ±1 however close ŷ gets; Huber's is MSE's inside |ŷ − y| ≤ δ and MAE's outside; BCE's
(ŷ − y)/(ŷ(1 − ŷ)) blows up as a confident prediction turns out wrong.
"""

from __future__ import annotations

from tutor.plots.assemble import Curve, make_panel
from tutor.plots.fmt import num
from tutor.plots.functions import PlotFunction, plot_function
from tutor.plots.interactive.base import Control, Interactive, clamp, finite, tidy
from tutor.plots.interactive.slopes import slope_at
from tutor.plots.model import Figure, Marker

# (name, one-example loss in the answer language over ŷ = x and the target y, x range).
# Huber with δ = 1: ½r² for |r| ≤ 1, |r| − ½ beyond, written with min so it is one expression.
LOSSES = (
    ("MSE", "(x - y)^2", (-2.0, 3.0)),
    ("MAE", "abs(x - y)", (-2.0, 3.0)),
    ("Huber (δ = 1)", "min(abs(x - y), 1)^2/2 + abs(x - y) - min(abs(x - y), 1)", (-2.0, 3.0)),
    ("BCE", "-y*ln(x) - (1 - y)*ln(1 - x)", (0.01, 0.99)),
)
PROBE_RANGE = (-2.0, 3.0)
REGRESSION_Y = (-3.0, 5.0)
GRADIENT_Y = (-5.0, 5.0)  # BCE's gradient is unbounded near 0 and 1; the panel shows this much


class LossGradients(Interactive):
    kind = "losses"
    controls = (
        Control("move", "left", "lower the prediction ŷ", (-1,)),
        Control("move", "right", "raise the prediction ŷ", (1,)),
        Control("toggle_target", "y", "switch the target y between 1 and 0"),
    )

    def __init__(self, prediction: float = 0.2, target: int = 1, step: float = 0.05, title: str = "") -> None:
        self.prediction = clamp(float(prediction), *PROBE_RANGE)
        self.target = 1 if target else 0
        self.step = step
        self.title = title

    def move(self, delta: int = 1) -> bool:
        new = tidy(clamp(self.prediction + delta * self.step, *PROBE_RANGE))
        changed, self.prediction = new != self.prediction, new
        return changed

    def toggle_target(self) -> bool:
        self.target = 1 - self.target
        return True

    def functions(self) -> list[tuple[str, PlotFunction, tuple[float, float]]]:
        fixed = (("y", float(self.target)),)
        return [(name, plot_function(text, "x", fixed), x_range) for name, text, x_range in LOSSES]

    def values(self) -> list[tuple[str, float, float]]:
        """(name, L(ŷ), ∂L/∂ŷ) at the probe; NaN where the loss is undefined (BCE outside (0, 1))
        or has no derivative (MAE at ŷ = y)."""
        out = []
        for name, f, (lo, hi) in self.functions():
            inside = lo <= self.prediction <= hi
            value = f.at(self.prediction) if inside else float("nan")
            slope = slope_at(f, self.prediction) if inside and finite(value) else float("nan")
            out.append((name, value, slope))
        return out

    def figure(self, width: int = 80) -> Figure:
        x, panels = self.prediction, []
        for (name, f, x_range), (_, value, slope) in zip(self.functions(), self.values()):
            curves = [Curve(f, "loss L", "line"), Curve(f.derivative(), "∂L/∂ŷ", "dashed", mask=f)]
            markers = []
            if finite(value):
                markers.append(Marker(x, value, ""))
                shown = num(slope, 4) if finite(slope) else "undefined (kink)"
                readout = (f"{name}: ŷ = {num(x)}, L = {num(value, 4)}, ∂L/∂ŷ = {shown}",)
                if finite(slope) and GRADIENT_Y[0] <= slope <= GRADIENT_Y[1]:
                    markers.append(Marker(x, slope, ""))
            else:
                readout = (f"{name}: ŷ = {num(x)} is outside {num(x_range[0])} … {num(x_range[1])}",)
            y_range = GRADIENT_Y if name == "BCE" else REGRESSION_Y
            panels.append(make_panel(f"{name}, y = {self.target}", x_range, width, curves=curves,
                                     markers=markers, y_range=y_range, readout=readout).panel)
        return Figure(self.title or "Four losses and their gradients against the prediction ŷ", tuple(panels))
