"""|error| against n on log-log axes for left Riemann, trapezoid, Simpson and Monte Carlo.

On log-log axes an error C·n^(−p) is a straight line of slope −p, so the four rules separate
into four slopes: −1, −2, −4 and (noisily) −1/2. Monte Carlo is random, so each N gets a fresh
draw and a new seed redraws them all; the dashed line is its standard error σ/√N.
"""

from __future__ import annotations

import numpy as np

from tutor.plots import quadrature
from tutor.plots.assemble import Points, make_panel
from tutor.plots.fmt import num
from tutor.plots.functions import PlotFunction
from tutor.plots.interactive.base import Backdrop, Control, Interactive, as_function, clamp
from tutor.plots.model import Figure, Marker
from tutor.plots.vectorize import PlotError

RULES = ("left", "trapezoid", "simpson")
MONTE_CARLO = "Monte Carlo"
ROUNDING = 1e-11  # errors below this share of |∫| are float64 rounding, not the rule: left out of slope fits
# n on a 1-2-3-4-5-7 ladder per decade, even only (Simpson needs it): round numbers to read off.
LADDER = tuple(m * 10**k for k in range(7) for m in (1, 2, 3, 4, 5, 7) if (m * 10**k) % 2 == 0)


class IntegrationError(Interactive):
    kind = "integration-error"
    controls = (
        Control("move", "left", "smaller n", (-1,)),
        Control("move", "right", "larger n", (1,)),
        Control("reseed", "r", "new Monte Carlo draw"),
    )

    def __init__(self, f: str | PlotFunction, interval: tuple[float, float], n_max: int = 10_000, seed: int = 0,
                 backdrop: Backdrop | None = None) -> None:
        self.f = as_function(f)
        self.a, self.b = (float(v) for v in interval)
        if not self.a < self.b:
            raise PlotError(f"the interval must have a < b, not [{num(self.a)}, {num(self.b)}]")
        n_max = int(clamp(n_max, 10, 1_000_000))
        # Even n only, so that Simpson is defined at every point of every curve.
        self.ns = np.array([n for n in LADDER if n <= n_max])
        if not np.isfinite(self.f(quadrature.nodes(self.a, self.b, int(self.ns[-1])))).all():
            raise PlotError(f"{self.f.text} is undefined somewhere on [{num(self.a)}, {num(self.b)}]")
        self.backdrop = backdrop or Backdrop()
        self.exact = quadrature.reference(self.f, self.a, self.b)
        self.spread = quadrature.monte_carlo_spread(self.f, self.a, self.b)
        self.estimates = {r: np.array([quadrature.rule(r, self.f, self.a, self.b, int(n)) for n in self.ns])
                          for r in RULES}
        self.errors = {r: np.abs(e - self.exact) for r, e in self.estimates.items()}
        self.seed = int(seed)
        self._draw_monte_carlo()
        self.cursor = int(np.argmin(np.abs(np.log10(self.ns) - 2)))  # start near n = 100

    def _draw_monte_carlo(self) -> None:
        rng = np.random.default_rng(self.seed)
        self.mc_estimates = np.array([quadrature.monte_carlo(self.f, self.a, self.b, int(n), rng) for n in self.ns])
        self.mc_errors = np.abs(self.mc_estimates - self.exact)

    def move(self, delta: int = 1) -> bool:
        new = int(clamp(self.cursor + delta, 0, len(self.ns) - 1))
        changed, self.cursor = new != self.cursor, new
        return changed

    def reseed(self) -> bool:
        self.seed += 1
        self._draw_monte_carlo()
        return True

    def slope(self, rule: str) -> float:
        """The fitted log-log slope, over the errors that are the rule's and not rounding."""
        if rule == MONTE_CARLO:
            return quadrature.fitted_slope(self.ns, self.mc_errors)
        errors = self.errors[rule]
        above_rounding = np.where(errors > ROUNDING * max(abs(self.exact), 1.0), errors, np.nan)
        return quadrature.fitted_slope(self.ns, above_rounding)

    def figure(self, width: int = 80) -> Figure:
        n = int(self.ns[self.cursor])
        points, readout, markers = [], [], list(self.backdrop.markers)
        for rule in RULES:
            name = quadrature.RULE_NAMES[rule]
            errors = self.errors[rule]
            # A log axis cannot show an error of exactly 0: a gap in the line.
            points.append(Points(name, self.ns, np.where(errors > 0, errors, np.nan), "line", fit=True))
            readout.append(f"{name}: slope {num(self.slope(rule), 2)}; at n = {n}: "
                           f"{num(float(self.estimates[rule][self.cursor]), 12)}, |error| {num(float(errors[self.cursor]), 2)}")
            if errors[self.cursor] > 0:
                markers.append(Marker(n, float(errors[self.cursor]), ""))
        points.append(Points(MONTE_CARLO, self.ns, np.where(self.mc_errors > 0, self.mc_errors, np.nan), "scatter", fit=True))
        points.append(Points("σ/√N", self.ns, self.spread / np.sqrt(self.ns), "dashed", fit=True))
        readout.append(f"Monte Carlo (draw {self.seed + 1}): slope {num(self.slope(MONTE_CARLO), 2)}; at N = {n}: "
                       f"{num(float(self.mc_estimates[self.cursor]), 6)}, |error| {num(float(self.mc_errors[self.cursor]), 2)},"
                       f" standard error {num(self.spread / np.sqrt(n), 2)}")
        readout.append(f"exact ∫ = {num(self.exact, 12)}")
        built = make_panel("", (float(self.ns[0]), float(self.ns[-1])), width, axes="loglog", points=points,
                           markers=markers, readout=readout, x_label="n (strips or samples)", y_label="|error|")
        title = self.backdrop.title or f"|error| against n for ∫ {self.f.text} dx on [{num(self.a)}, {num(self.b)}]"
        return Figure(title, (built.panel,))
