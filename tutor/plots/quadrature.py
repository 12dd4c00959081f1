"""Numerical integration rules, computed as the lessons teach them, and a reference value.

The rules (left Riemann, midpoint, trapezoid, Simpson, Monte Carlo) are written out in float64
exactly as a learner's NumPy code would do them: the figures show those rules' errors, so they
must not be computed any better. The reference integral is composite Gauss–Legendre, accurate
to a few ulps for the smooth functions the lessons integrate, far below the rules' errors.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

Integrand = Callable[[np.ndarray], np.ndarray]

RULES = ("left", "midpoint", "trapezoid", "simpson")
RULE_NAMES = {"left": "left Riemann", "midpoint": "midpoint", "trapezoid": "trapezoid", "simpson": "Simpson"}


def nodes(a: float, b: float, n: int) -> np.ndarray:
    """The n + 1 grid points a, a + dx, ..., b."""
    return np.linspace(a, b, n + 1)


def left_riemann(f: Integrand, a: float, b: float, n: int) -> float:
    dx = (b - a) / n
    return float(np.sum(f(a + dx * np.arange(n))) * dx)


def midpoint(f: Integrand, a: float, b: float, n: int) -> float:
    dx = (b - a) / n
    return float(np.sum(f(a + dx * (np.arange(n) + 0.5))) * dx)


def trapezoid(f: Integrand, a: float, b: float, n: int) -> float:
    ys = f(nodes(a, b, n))
    return float((b - a) / n * (ys[0] / 2 + ys[-1] / 2 + np.sum(ys[1:-1])))


def simpson(f: Integrand, a: float, b: float, n: int) -> float:
    """Simpson's 1/3 rule; n must be even."""
    if n % 2:
        raise ValueError(f"Simpson's rule needs an even number of strips, not {n}")
    ys = f(nodes(a, b, n))
    h = (b - a) / n
    return float(h / 3 * (ys[0] + ys[-1] + 4 * np.sum(ys[1:-1:2]) + 2 * np.sum(ys[2:-1:2])))


def rule(name: str, f: Integrand, a: float, b: float, n: int) -> float:
    return {"left": left_riemann, "midpoint": midpoint, "trapezoid": trapezoid, "simpson": simpson}[name](f, a, b, n)


def monte_carlo(f: Integrand, a: float, b: float, n: int, rng: np.random.Generator) -> float:
    """(b − a)·mean f(U), U ~ Uniform(a, b)."""
    return float((b - a) * np.mean(f(rng.uniform(a, b, n))))


def monte_carlo_spread(f: Integrand, a: float, b: float) -> float:
    """The standard deviation of (b − a)·f(U): the Monte Carlo standard error is this / √N."""
    xs, ws = _gauss_nodes(a, b)
    values = (b - a) * f(xs)
    mean = float(np.sum(ws * values)) / (b - a)
    second = float(np.sum(ws * values**2)) / (b - a)
    return math.sqrt(max(second - mean**2, 0.0))


def reference(f: Integrand, a: float, b: float) -> float:
    """∫_a^b f dx by composite Gauss–Legendre (64 pieces × 20 nodes): exact to ~1e-15 for the
    smooth integrands of the course."""
    xs, ws = _gauss_nodes(a, b)
    return float(np.sum(ws * f(xs)))


def _gauss_nodes(a: float, b: float, pieces: int = 64, order: int = 20) -> tuple[np.ndarray, np.ndarray]:
    t, w = np.polynomial.legendre.leggauss(order)
    edges = np.linspace(a, b, pieces + 1)
    half = (edges[1:] - edges[:-1])[:, None] / 2
    centre = (edges[1:] + edges[:-1])[:, None] / 2
    return (centre + half * t).ravel(), (half * w).ravel()


def fitted_slope(ns: np.ndarray, errors: np.ndarray) -> float:
    """The slope of log|error| against log n over the points a log axis can show (error > 0)."""
    ok = np.isfinite(errors) & (errors > 0)
    if ok.sum() < 2:
        return math.nan
    return float(np.polyfit(np.log10(ns[ok]), np.log10(errors[ok]), 1)[0])
