"""An expectation as an area: E[f(X)] = ∫ p(x)·f(x) dx for X ~ Normal(μ, σ²).

Move μ and change σ: the density p slides and spreads, the product p·f changes shape, and the
hatched area under p·f is the expectation the readout prints, beside f(μ), f at the mean (they differ
unless f is a straight line: for f = x², by exactly σ², the variance) and a Monte Carlo estimate.
"""

from __future__ import annotations

import math

import numpy as np

from tutor.plots import quadrature, sampling
from tutor.plots.assemble import Points, make_panel
from tutor.plots.fmt import num
from tutor.plots.functions import PlotFunction
from tutor.plots.interactive.base import Backdrop, Control, Interactive, as_function, clamp, tidy
from tutor.plots.model import Figure, Marker
from tutor.plots.schema import DEFAULT_X
from tutor.plots.vectorize import PlotError

SIGMA_LADDER = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)
TAILS = 10.0  # the density is integrated over μ ± 10σ: what lies beyond is below 1e-22
HATCHES = 41
MC_SAMPLES = 1000


def normal_pdf(xs: np.ndarray, mu: float, sigma: float) -> np.ndarray:
    return np.exp(-0.5 * ((xs - mu) / sigma) ** 2) / (sigma * math.sqrt(2 * math.pi))


class Expectation(Interactive):
    kind = "expectation"
    controls = (
        Control("move", "left", "move μ left", (-1,)),
        Control("move", "right", "move μ right", (1,)),
        Control("wider", "plus", "larger σ"),
        Control("narrower", "minus", "smaller σ"),
    )

    def __init__(self, f: str | PlotFunction, mu: float = 0.0, sigma: float = 1.0, step: float = 0.25,
                 seed: int = 0, backdrop: Backdrop | None = None) -> None:
        self.f = as_function(f)
        self.backdrop = backdrop or Backdrop()
        self.x_range = self.backdrop.x_range or DEFAULT_X
        self.mu = tidy(clamp(float(mu), *self.x_range))
        self.sigma = min(SIGMA_LADDER, key=lambda s: abs(s - float(sigma)))
        self.step = float(step)
        self.seed = int(seed)
        if not math.isfinite(self.expected()):
            raise PlotError(f"E[{self.f.text}] is not finite for X ~ Normal({num(self.mu)}, {num(self.sigma)}²): "
                            "f must be defined everywhere the density is")

    def move(self, delta: int = 1) -> bool:
        new = tidy(clamp(self.mu + delta * self.step, *self.x_range))
        changed, self.mu = new != self.mu, new
        return changed

    def wider(self) -> bool:
        above = [s for s in SIGMA_LADDER if s > self.sigma]
        return self._set_sigma(above[0]) if above else False

    def narrower(self) -> bool:
        below = [s for s in SIGMA_LADDER if s < self.sigma]
        return self._set_sigma(below[-1]) if below else False

    def _set_sigma(self, sigma: float) -> bool:
        changed, self.sigma = sigma != self.sigma, sigma
        return changed

    def density(self, xs) -> np.ndarray:
        return normal_pdf(np.asarray(xs, dtype=float), self.mu, self.sigma)

    def integrand(self, xs) -> np.ndarray:
        xs = np.asarray(xs, dtype=float)
        return self.density(xs) * self.f(xs)

    def expected(self) -> float:
        """E[f(X)] = ∫ p·f dx over μ ± 10σ, where all but ~1e-22 of the probability lies."""
        lo, hi = self.mu - TAILS * self.sigma, self.mu + TAILS * self.sigma
        return quadrature.reference(self.integrand, lo, hi)

    def monte_carlo(self) -> float:
        """The mean of f over MC_SAMPLES draws of X: what a training loop would compute."""
        rng = np.random.default_rng(self.seed)
        return float(np.mean(self.f(rng.normal(self.mu, self.sigma, MC_SAMPLES))))

    def figure(self, width: int = 80) -> Figure:
        lo, hi = self.x_range
        xs = sampling.grid(self.x_range, sampling.samples_for(width))
        p, g = self.density(xs), self.integrand(xs)
        # Hatching: vertical strokes from 0 to p·f, each its own piece (NaN between them).
        hx = np.linspace(lo, hi, HATCHES)
        hy = self.integrand(hx)
        hatch_x = np.column_stack([hx, hx, np.full(HATCHES, np.nan)]).ravel()
        hatch_y = np.column_stack([np.zeros(HATCHES), hy, np.full(HATCHES, np.nan)]).ravel()
        value, at_mean = self.expected(), self.f.at(self.mu)
        readout = [
            f"X ~ Normal(μ = {num(self.mu)}, σ = {num(self.sigma)}): E[f(X)] = ∫ p(x)·f(x) dx = {num(value, 6)}",
            f"f(μ) = {num(at_mean, 6)}, f at the mean; E[f(X)] − f(μ) = {num(value - at_mean, 6)}",
            f"Monte Carlo, mean of f over {MC_SAMPLES} draws: {num(self.monte_carlo(), 6)}",
        ]
        points = [
            Points("p(x)", xs, p, "dashed", fit=True),
            Points(f"p(x)·f(x), f = {self.f.text}", xs, g, "line", fit=True),
            Points("area = E[f(X)]", hatch_x, hatch_y, "line", fit=True),
        ]
        markers = list(self.backdrop.markers) + [Marker(self.mu, 0.0, "μ")]
        built = make_panel("", self.x_range, width, points=points, markers=markers,
                           y_range=self.backdrop.y_range, readout=readout)
        title = self.backdrop.title or f"E[{self.f.text}] as the area under p(x)·f(x)"
        return Figure(title, (built.panel,))
