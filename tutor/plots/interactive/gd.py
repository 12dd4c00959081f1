"""Gradient descent in 1-D: x_{k+1} = x_k − lr·f'(x_k), its path on f and its loss per step.

The learning rate moves along a 1-2-3-5-7 ladder, so the three regimes are a few key presses
apart: too small (still walking when the steps run out), good (at the bottom), divergent
(the loss goes up, |x| grows).
"""

from __future__ import annotations

import math

import numpy as np

from tutor.plots.assemble import Curve, Points, make_panel
from tutor.plots.fmt import num
from tutor.plots.functions import PlotFunction
from tutor.plots.interactive.base import Backdrop, Control, Interactive, as_function, clamp
from tutor.plots.model import Figure, Marker
from tutor.plots.schema import DEFAULT_X
from tutor.plots.vectorize import PlotError

LR_LADDER = tuple(sorted(m * 10.0**k for k in range(-4, 1) for m in (1, 2, 3, 5, 7))) + (10.0,)
LR_MIN, LR_MAX = LR_LADDER[0], LR_LADDER[-1]
GOOD_PROGRESS = 0.99  # share of the way down to the lowest value on the plot
FLAT = 1e-3  # |f'| fell below this share of where it started: at a minimum
ESCAPE = 1e6  # |x| beyond this x (1 + width of the plot): stop, it has diverged

TOO_SMALL, GOOD, DIVERGENT = "too small", "good", "divergent"


class GradientDescent1D(Interactive):
    kind = "gd"
    controls = (
        Control("faster", "plus", "larger learning rate"),
        Control("slower", "minus", "smaller learning rate"),
        Control("more_steps", "right", "more steps"),
        Control("fewer_steps", "left", "fewer steps"),
    )

    def __init__(self, f: str | PlotFunction, x0: float, lr: float = 0.1, steps: int = 20,
                 backdrop: Backdrop | None = None) -> None:
        self.f = as_function(f)
        self.df = self.f.derivative()
        self.x0 = float(x0)
        self.lr = float(clamp(lr, LR_MIN, LR_MAX))
        self.steps = int(clamp(steps, 1, 500))
        self.backdrop = backdrop or Backdrop()
        self.x_range = self.backdrop.x_range or DEFAULT_X
        if not math.isfinite(self.f.at(self.x0)) or not math.isfinite(self.df.at(self.x0)):
            raise PlotError(f"gradient descent cannot start at x = {num(self.x0)}: f or f' is undefined there")
        lo, hi = self.x_range
        grid = np.linspace(lo, hi, 801)
        values = self.f(grid)
        self.lowest = float(np.nanmin(values)) if np.isfinite(values).any() else math.nan

    # Controls -------------------------------------------------------------------------------
    def faster(self) -> bool:
        above = [v for v in LR_LADDER if v > self.lr * (1 + 1e-9)]
        return self._set_lr(above[0]) if above else False

    def slower(self) -> bool:
        below = [v for v in LR_LADDER if v < self.lr * (1 - 1e-9)]
        return self._set_lr(below[-1]) if below else False

    def _set_lr(self, lr: float) -> bool:
        changed, self.lr = lr != self.lr, lr
        return changed

    def more_steps(self) -> bool:
        new = min(self.steps + 5, 500)
        changed, self.steps = new != self.steps, new
        return changed

    def fewer_steps(self) -> bool:
        new = max(self.steps - 5, 1)
        changed, self.steps = new != self.steps, new
        return changed

    # The run --------------------------------------------------------------------------------
    def iterates(self) -> np.ndarray:
        """x_0 .. x_n; shorter than steps + 1 when it escaped (or hit an undefined point)."""
        lo, hi = self.x_range
        bound = ESCAPE * (1 + hi - lo)
        xs = [self.x0]
        x = self.x0
        for _ in range(self.steps):
            g = self.df.at(x)
            if not math.isfinite(g):
                break
            x = x - self.lr * g
            if not math.isfinite(x):
                break
            xs.append(x)
            if abs(x) > bound:
                break
        return np.array(xs)

    def losses(self) -> np.ndarray:
        return self.f(self.iterates())

    def regime(self) -> str:
        xs = self.iterates()
        losses = self.f(xs)
        if len(xs) < self.steps + 1 or not np.isfinite(losses).all():
            return DIVERGENT  # escaped, or stepped where f is undefined
        if losses[-1] >= losses[0] and np.any(xs != xs[0]):
            return DIVERGENT  # the loss went up, or bounced without going down (lr = 1 on x²)
        drop = losses[0] - min(self.lowest, float(losses.min()))
        progress = 1.0 if drop <= 0 else (losses[0] - losses[-1]) / drop
        # Near a local minimum that is not the lowest point on the plot, progress stays low but
        # the gradient has all but vanished: that is converged too.
        flat = abs(self.df.at(float(xs[-1]))) <= FLAT * abs(self.df.at(self.x0))
        return GOOD if progress >= GOOD_PROGRESS or flat else TOO_SMALL

    def figure(self, width: int = 80) -> Figure:
        xs = self.iterates()
        losses = self.f(xs)
        regime = self.regime()
        n = len(xs) - 1
        sub = "".join("₀₁₂₃₄₅₆₇₈₉"[int(d)] for d in str(n))
        path = Points("path", xs, losses, "line")
        dots = Points("iterates", xs, losses, "scatter")
        markers = list(self.backdrop.markers) + [Marker(xs[0], float(losses[0]), "x₀"),
                                                 Marker(xs[-1], float(losses[-1]), f"x{sub}")]
        curves = self.backdrop.curves or (Curve(self.f, f"f(x) = {self.f.text}"),)
        readout = [f"lr = {num(self.lr)}: {regime}", self._explain(regime, xs, losses)]
        top = make_panel("f and the steps", self.x_range, width, curves=curves, points=[path, dots],
                         markers=[m for m in markers if math.isfinite(m.y)], y_range=self.backdrop.y_range,
                         readout=readout)
        steps = np.arange(len(losses), dtype=float)
        positive = bool(np.all(losses > 0)) and float(losses.max()) > 10 * float(losses.min())
        loss = make_panel("loss f(x_k) per step", (0.0, float(max(self.steps, 1))), width,
                          axes="semilogy" if positive else "linear",
                          points=[Points("loss", steps, losses, "line", fit=True),
                                  Points("steps", steps, losses, "scatter", fit=True)],
                          x_label="step k", y_label="f(x_k)")
        title = self.backdrop.title or f"Gradient descent on {self.f.text} from x = {num(self.x0)}"
        return Figure(title, (top.panel, loss.panel))

    def _explain(self, regime: str, xs: np.ndarray, losses: np.ndarray) -> str:
        n = len(xs) - 1
        if regime == DIVERGENT:
            if n == self.steps and np.isfinite(losses).all() and abs(losses[-1] - losses[0]) <= 1e-9 * abs(losses[0]):
                return f"bouncing: x = {num(float(xs[0]), 4)}, {num(float(xs[1]), 4)}, …, the loss never goes down"
            if n < self.steps:
                return f"|x| blew up to {num(abs(float(xs[-1])), 3)} after {n} steps"
            return f"the loss went from {num(float(losses[0]), 4)} to {num(float(losses[-1]), 4)}: |x| {num(abs(float(xs[0])), 3)} → {num(abs(float(xs[-1])), 3)}"
        if regime == GOOD:
            return f"converged: x ≈ {num(float(xs[-1]), 5)}, f = {num(float(losses[-1]), 4)} after {n} steps"
        return f"still walking: x = {num(float(xs[-1]), 5)}, f = {num(float(losses[-1]), 4)} after {n} steps"
