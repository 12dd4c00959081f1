"""Run an optimizer on an objective, in NumPy: the path, the losses, where it stopped.

The three update rules are the syllabus's (lessons 6.1, 6.5, 6.6):
    gd        w ← w − α·g
    momentum  v ← β·v + g;  w ← w − α·v
    adam      m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²;
              w ← w − α·m̂/(√v̂ + ε),  m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t)
A run stops early when a value stops being finite or a coordinate leaves |w| ≤ 1e6: diverged.
"""

from __future__ import annotations

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
    def gradient(self, w: np.ndarray) -> np.ndarray: ...
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
    """`steps` updates from `start`; settings holds every hyper-parameter of the optimizer."""
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer '{optimizer}' (optimizers: {', '.join(OPTIMIZERS)})")
    w = np.array(start, dtype=float).reshape(-1)
    lr = float(settings["lr"])
    beta = float(settings.get("beta", 0.0))
    b1, b2, eps = (float(settings.get(k, d)) for k, d in (("beta1", 0.9), ("beta2", 0.999), ("eps", 1e-8)))
    path = np.empty((steps + 1, w.size))
    path[0] = w
    v = np.zeros_like(w)
    m = np.zeros_like(w)
    end, diverged_at = steps, None
    with np.errstate(all="ignore"):
        for t in range(1, steps + 1):
            g = objective.gradient(w)
            if optimizer == "gd":
                w = w - lr * g
            elif optimizer == "momentum":
                v = beta * v + g
                w = w - lr * v
            else:
                m = b1 * m + (1 - b1) * g
                v = b2 * v + (1 - b2) * g * g
                w = w - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
            if not float(np.abs(w).max()) <= ESCAPE:  # NaN fails this test too
                end, diverged_at = t - 1, t
                break
            path[t] = w
        path = path[: end + 1]
        # The losses in one vectorised call, after the loop: the loop is the costly part.
        losses = objective.along(path)
    bad = np.flatnonzero(~np.isfinite(losses))
    if bad.size:  # a point where the loss is undefined ends the run there
        first = int(bad[0])
        if first == 0:
            raise ValueError("the loss is undefined at the start point")
        path, losses, diverged_at = path[:first], losses[:first], first
    return Run(path, losses, steps, diverged_at)
