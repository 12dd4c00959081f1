"""Run an optimizer on an objective, in NumPy: the path, the losses, where it stopped.

The three update rules are the syllabus's (lessons 6.1, 6.5, 6.6):
    gd        w ← w − α·g
    momentum  v ← β·v + g;  w ← w − α·v
    adam      m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²;
              w ← w − α·m̂/(√v̂ + ε),  m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t)
A run stops early when a value stops being finite or a coordinate leaves |w| ≤ 1e6: diverged.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Protocol
from dataclasses import dataclass

import numpy as np

ESCAPE = 1e6

OPTIMIZERS = ("gd", "momentum", "adam")
# Every hyper-parameter of each optimizer, with its default (None: the exercise must set it).
PARAMETERS: dict[str, dict[str, float | None]] = {
    "gd": {"lr": None},
    "momentum": {"lr": None, "beta": 0.9},
    "adam": {"lr": None, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
}



class Differentiable(Protocol):
    def gradient(self, w: list[float]) -> list[float]: ...
    def along(self, path: np.ndarray) -> np.ndarray: ...


@dataclass(frozen=True, eq=False)
class Run:
    path: np.ndarray  # (k + 1, d): w_0 .. w_k, every one finite and inside the escape box
    losses: np.ndarray  # (k + 1,): the loss at each point of the path, all finite
    steps: int  # the steps asked for
    diverged_at: int | None = None  # the step whose result was non-finite or escaped

    @property
    def final(self) -> np.ndarray:
        return self.path[-1]

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None


def simulate(objective: Differentiable, start, optimizer: str, settings: Mapping[str, float], steps: int) -> Run:
    """`steps` updates from `start`; settings holds every hyper-parameter of the optimizer.

    The loop runs on Python floats, one coordinate at a time: with one or two coordinates that
    is several times faster than NumPy's per-call overhead on tiny arrays (a key press in the
    playground re-runs the whole simulation)."""
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer '{optimizer}' (optimizers: {', '.join(OPTIMIZERS)})")
    w = [float(x) for x in np.asarray(start, dtype=float).reshape(-1)]
    d = len(w)
    lr = float(settings["lr"])
    beta = float(settings.get("beta", 0.0))
    b1, b2, eps = (float(settings.get(k, default)) for k, default in (("beta1", 0.9), ("beta2", 0.999), ("eps", 1e-8)))
    path = [w]
    v = [0.0] * d
    m = [0.0] * d
    diverged_at = None
    for t in range(1, steps + 1):
        try:
            g = objective.gradient(w)
            if optimizer == "gd":
                w = [w[i] - lr * g[i] for i in range(d)]
            elif optimizer == "momentum":
                v = [beta * v[i] + g[i] for i in range(d)]
                w = [w[i] - lr * v[i] for i in range(d)]
            else:
                m = [b1 * m[i] + (1 - b1) * g[i] for i in range(d)]
                v = [b2 * v[i] + (1 - b2) * g[i] * g[i] for i in range(d)]
                c1, c2 = 1 - b1**t, 1 - b2**t
                w = [w[i] - lr * (m[i] / c1) / (math.sqrt(v[i] / c2) + eps) for i in range(d)]
        except (ArithmeticError, ValueError):  # 0/0, a root of inf − inf: the run has broken down
            diverged_at = t
            break
        if not all(abs(x) <= ESCAPE for x in w):  # NaN fails this test too
            diverged_at = t
            break
        path.append(w)
    points = np.array(path, dtype=float)
    with np.errstate(all="ignore"):
        # The losses in one vectorised call, after the loop: the loop is the costly part.
        losses = objective.along(points)
    bad = np.flatnonzero(~np.isfinite(losses))
    if bad.size:  # a point where the loss is undefined ends the run there
        first = int(bad[0])
        if first == 0:
            raise ValueError("the loss is undefined at the start point")
        points, losses, diverged_at = points[:first], losses[:first], first
    return Run(points, losses, steps, diverged_at)
