"""Softmax probabilities moving with one logit: the sweep of every probability against that
logit, and the logits and probabilities as bars.

What it shows: raising one logit takes probability from all the others at once (the outputs
always sum to 1), and adding the same constant to every logit changes nothing.
"""

from __future__ import annotations

import numpy as np

from tutor.plots.assemble import Points, make_panel
from tutor.plots.fmt import num
from tutor.plots.interactive.base import Control, Interactive, clamp, tidy
from tutor.plots.model import Figure, Marker

SWEEP = (-3.0, 5.0)
SWEEP_POINTS = 161
BAR_HALF_WIDTH = 0.3  # in class-index units


def softmax(z: np.ndarray) -> np.ndarray:
    """Softmax along the last axis, shifted by the max first so exp never overflows."""
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def bars(heights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The outlines of bars from 0 to each height at x = 1, 2, ..., separated by NaN gaps, so a
    plain line plot draws them (a terminal has no filled rectangles to spare)."""
    xs, ys = [], []
    for i, h in enumerate(heights, start=1):
        lo, hi = i - BAR_HALF_WIDTH, i + BAR_HALF_WIDTH
        xs += [lo, lo, hi, hi, np.nan]
        ys += [0.0, float(h), float(h), 0.0, np.nan]
    return np.array(xs), np.array(ys)


class SoftmaxSweep(Interactive):
    kind = "softmax"
    controls = (
        Control("move", "left", "lower the chosen logit", (-1,)),
        Control("move", "right", "raise the chosen logit", (1,)),
        Control("next_logit", "n", "choose the next logit"),
        Control("shift_all", "plus", "add 1 to every logit", (1,)),
        Control("shift_all", "minus", "subtract 1 from every logit", (-1,)),
    )

    def __init__(self, logits: tuple[float, ...] = (2.0, 1.0, 0.1), chosen: int = 0, step: float = 0.25,
                 title: str = "") -> None:
        self.logits = [float(z) for z in logits]
        self.chosen = chosen % len(self.logits)
        self.step = step
        self.title = title

    # Controls -------------------------------------------------------------------------------
    def move(self, delta: int = 1) -> bool:
        old = self.logits[self.chosen]
        new = tidy(clamp(old + delta * self.step, *SWEEP))
        self.logits[self.chosen] = new
        return new != old

    def next_logit(self) -> bool:
        self.chosen = (self.chosen + 1) % len(self.logits)
        return True

    def shift_all(self, delta: int = 1) -> bool:
        """Add delta to every logit, as long as all stay on the sweep axis: the probabilities
        must not change (softmax(z + c) = softmax(z))."""
        shifted = [tidy(z + delta) for z in self.logits]
        if not all(SWEEP[0] <= z <= SWEEP[1] for z in shifted):
            return False
        self.logits = shifted
        return True

    # State ------------------------------------------------------------------------------------
    @property
    def probabilities(self) -> np.ndarray:
        return softmax(np.array(self.logits))

    def sweep(self) -> tuple[np.ndarray, np.ndarray]:
        """t along the sweep axis and, for each t, softmax with the chosen logit set to t."""
        ts = np.linspace(*SWEEP, SWEEP_POINTS)
        grid = np.tile(np.array(self.logits), (len(ts), 1))
        grid[:, self.chosen] = ts
        return ts, softmax(grid)

    def figure(self, width: int = 80) -> Figure:
        k, z, p = self.chosen, self.logits, self.probabilities
        ts, ps = self.sweep()
        names = [f"p{i + 1}" for i in range(len(z))]
        sweep_points = [Points(f"{name} = softmax(z){sub}", ts, ps[:, i], "bold" if i == k else "line")
                        for i, (name, sub) in enumerate(zip(names, "₁₂₃₄₅₆₇₈₉"))]
        markers = [Marker(z[k], float(p[i]), name) for i, name in enumerate(names)]
        readout = (
            f"z = [{', '.join(num(v, 4) for v in z)}]   moving z{k + 1}",
            f"softmax(z) = [{', '.join(num(v, 4) for v in p)}]   sum = {num(float(p.sum()), 6)}",
        )
        sweep = make_panel(f"probabilities as z{k + 1} moves", SWEEP, width, points=sweep_points,
                           markers=markers, y_range=(0.0, 1.0), readout=readout).panel
        n = len(z)
        lo_z = min(0.0, min(z)) - 0.5
        hi_z = max(0.0, max(z)) + 0.5
        xs, ys = bars(np.array(z))
        tops = [Marker(i + 1, v, f"z{i + 1} = {num(v, 3)}") for i, v in enumerate(z)]
        logits = make_panel("logits z", (0.5, n + 0.5), width, points=[Points("z", xs, ys, "line")],
                            markers=tops, y_range=(lo_z, hi_z)).panel
        xs, ys = bars(p)
        tops = [Marker(i + 1, float(v), f"p{i + 1} = {num(float(v), 3)}") for i, v in enumerate(p)]
        probs = make_panel("softmax(z)", (0.5, n + 0.5), width, points=[Points("softmax(z)", xs, ys, "line")],
                           markers=tops, y_range=(0.0, 1.1)).panel
        return Figure(self.title or "Softmax: the probabilities move together", (sweep, logits, probs))
