"""The Hessian at a point: its eigenvalues tell a bowl from a hill from a saddle, and Newton's
step w − H⁻¹∇f is drawn beside a gradient step w − lr·∇f on the level sets of f(x, y)."""

from __future__ import annotations

import math

import numpy as np

from tutor.plots.fmt import num
from tutor.plots.interactive.base import Control, clamp
from tutor.plots.interactive.level_sets import vector_text
from tutor.plots.interactive.plane import MOVES, PlanePoint
from tutor.plots.model import Figure, Marker, Panel
from tutor.plots.surface import clip_box, equal_scale, segment

LR_LADDER = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0)
FLAT = 1e-9  # an eigenvalue this close to 0 (relative to the largest) counts as 0


def classify(eigenvalues: np.ndarray) -> str:
    """The shape the second-order test reads from the Hessian's eigenvalues."""
    scale = max(float(np.max(np.abs(eigenvalues))), 1.0)
    if np.any(np.abs(eigenvalues) <= FLAT * scale):
        return "a zero eigenvalue: the test is inconclusive"
    if np.all(eigenvalues > 0):
        return "all positive: positive definite, a bowl (minimum)"
    if np.all(eigenvalues < 0):
        return "all negative: negative definite, a hill (maximum)"
    return "mixed signs: indefinite, a saddle"


class NewtonStep(PlanePoint):
    kind = "newton"
    controls = MOVES + (
        Control("faster", "plus", "larger learning rate"),
        Control("slower", "minus", "smaller learning rate"),
    )

    def __init__(self, *args, lr: float | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lr = min(LR_LADDER, key=lambda v: abs(v - (lr or 0.1)))

    def faster(self) -> bool:
        return self._set_lr(+1)

    def slower(self) -> bool:
        return self._set_lr(-1)

    def _set_lr(self, delta: int) -> bool:
        i = int(clamp(LR_LADDER.index(self.lr) + delta, 0, len(LR_LADDER) - 1))
        changed, self.lr = LR_LADDER[i] != self.lr, LR_LADDER[i]
        return changed

    def steps(self) -> tuple[np.ndarray, np.ndarray | None]:
        """(gradient step, Newton step or None when H is singular) from the current point."""
        p = np.array(self.point)
        grad, hess = self.f.gradient(p), self.f.hessian(p)
        gd = p - self.lr * grad
        try:
            newton = p - np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:
            return gd, None
        # Rounding leaves 1e-16 where the answer is 0 (the minimum of a quadratic): show 0.
        return gd, np.where(np.abs(newton) < 1e-12 * (1 + np.abs(p).max()), 0.0, newton)

    def figure(self, width: int = 80) -> Figure:
        x_range, y_range = equal_scale(self.x_range, self.y_range, width)
        f, p = self.f, self.point
        hess = f.hessian(p)
        eig = np.linalg.eigvalsh((hess + hess.T) / 2) if np.all(np.isfinite(hess)) else np.array([math.nan] * 2)
        gd, newton = self.steps()
        series = [self.backdrop(width)]
        series.append(clip_box(segment(p, tuple(gd), f"gradient step, lr {num(self.lr)}", points=min(41, 2 * width)), x_range, y_range))
        markers = [Marker(p[0], p[1], "w")]
        readout = [f"H = {_matrix_text(hess)}; eigenvalues {', '.join(num(float(v), 4) for v in eig)}: "
                   + (classify(eig) if np.all(np.isfinite(eig)) else "undefined here")]
        if np.all(np.isfinite(eig)) and (np.all(eig > 0) or np.all(eig < 0)):  # a bowl or a hill
            readout[0] += f"; condition number {num(float(np.max(np.abs(eig)) / np.min(np.abs(eig))), 4)}"
        readout.append(f"gradient step → {vector_text(gd)}, f = {num(f.value(gd), 5)}")
        markers.append(Marker(float(gd[0]), float(gd[1]), "GD"))
        if newton is not None:
            series.append(clip_box(segment(p, tuple(newton), "Newton step −H⁻¹∇f", points=min(41, 2 * width)), x_range, y_range))
            markers.append(Marker(float(newton[0]), float(newton[1]), "Newton"))
            readout.append(f"Newton step → {vector_text(newton)}, f = {num(f.value(newton), 5)}")
        else:
            readout.append("H is singular here: no Newton step")
        panel = Panel("", x_range, y_range, "linear", tuple(series), tuple(markers), tuple(readout), "x", "y")
        return Figure(self.title or f"Newton against gradient descent on {f.text}", (panel,))


def _matrix_text(m: np.ndarray) -> str:
    return "[" + ", ".join(vector_text(row) for row in m) + "]"
