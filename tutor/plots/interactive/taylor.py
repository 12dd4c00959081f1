"""Taylor polynomials: raise and lower the degree and watch p_n hug f near the centre.

Coefficients come from power-series arithmetic over the expression tree (tutor.plots.series),
computed once up to the highest degree; a degree change only re-evaluates a polynomial.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from tutor.plots import sampling
from tutor.plots.assemble import Curve, Points, make_panel
from tutor.plots.fmt import num, shifted
from tutor.plots.functions import PlotFunction
from tutor.plots.interactive.base import Backdrop, Control, Interactive, as_function, clamp
from tutor.plots.model import Figure, Marker
from tutor.plots.schema import DEFAULT_X, MAX_ORDER
from tutor.plots.series import taylor_coefficients

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
MAX_TERMS_SHOWN = 6


class TaylorExplorer(Interactive):
    """p_n(x) = sum_k c_k (x - a)^k against f. Degrees whose term is 0 (x² for sin) are skipped,
    so every key press changes the picture."""

    kind = "taylor"
    controls = (
        Control("raise_order", "plus", "one more term"),
        Control("lower_order", "minus", "one term fewer"),
    )

    def __init__(self, f: str | PlotFunction, center: float = 0.0, order: int = 1, max_order: int = MAX_ORDER,
                 backdrop: Backdrop | None = None) -> None:
        self.f = as_function(f)
        self.center = float(center)
        self.max_order = int(max_order)
        self.coefficients = taylor_coefficients(self.f.expr, self.f.variable, self.center, self.max_order)
        self._nonzero = _nonzero_degrees(self.coefficients)
        self.backdrop = backdrop or Backdrop()
        self.x_range = self.backdrop.x_range or DEFAULT_X
        self.order = self._snap(int(clamp(order, 0, self.max_order)))

    def _snap(self, order: int) -> int:
        """The highest degree <= order with a non-zero term (or the lowest such degree)."""
        below = [k for k in self._nonzero if k <= order]
        return below[-1] if below else self._nonzero[0]

    def raise_order(self) -> bool:
        above = [k for k in self._nonzero if k > self.order]
        if not above:
            return False
        self.order = above[0]
        return True

    def lower_order(self) -> bool:
        below = [k for k in self._nonzero if k < self.order]
        if not below:
            return False
        self.order = below[-1]
        return True

    def polynomial(self, xs) -> np.ndarray:
        """p_order at xs, by Horner's rule in (x - center)."""
        t = np.asarray(xs, dtype=float) - self.center
        result = np.zeros_like(t)
        for c in self.coefficients[self.order :: -1]:
            result = result * t + c
        return result

    def formula(self) -> str:
        terms = []
        for k in range(self.order + 1):
            c = float(self.coefficients[k])
            if k in self._nonzero and c != 0:
                terms.append((c, k))
        if not terms:
            return "0"
        shown = terms[:MAX_TERMS_SHOWN]
        text = ""
        for i, (c, k) in enumerate(shown):
            body = _term(abs(c), k, self.center)
            text += (body if c > 0 else f"−{body}") if i == 0 else (f" + {body}" if c > 0 else f" − {body}")
        return text + (" + …" if len(terms) > len(shown) else "")

    def figure(self, width: int = 80) -> Figure:
        lo, hi = self.x_range
        xs = sampling.grid(self.x_range, sampling.samples_for(width))
        curves = (Curve(self.f, f"f(x) = {self.f.text}", "bold"),)
        poly = Points(f"degree {self.order}", xs, self.polynomial(xs), "line")
        fx = self.f(xs)
        gap = np.abs(fx - self.polynomial(xs))
        readout = [f"degree {self.order}: p(x) = {self.formula()}"]
        if np.isfinite(gap).any():
            i = int(np.nanargmax(gap))
            readout.append(f"largest gap on [{num(lo)}, {num(hi)}]: {num(float(gap[i]), 3)} at x = {num(float(xs[i]), 4)}")
        markers = list(self.backdrop.markers) + [Marker(self.center, float(self.coefficients[0]), "centre")]
        built = make_panel("", self.x_range, width, curves=curves, points=[poly], markers=markers,
                           y_range=self.backdrop.y_range, readout=readout)
        title = self.backdrop.title or f"{self.f.text} and its Taylor polynomials at {num(self.center)}"
        return Figure(title, (built.panel,))


def _nonzero_degrees(c: np.ndarray) -> list[int]:
    """Degrees with a real term. Float arithmetic leaves ~1e-19 where a term is truly 0 (the even
    terms of sigmoid at 0), so a term counts as 0 when it is that small next to its neighbours;
    1/19! (8e-18, between two exact zeros of sin) still counts."""
    size = np.abs(c)
    keep = []
    for k in range(len(c)):
        neighbours = max(size[k - 1] if k else 0.0, size[k + 1] if k + 1 < len(c) else 0.0)
        if size[k] > 0 and size[k] > 1e-12 * neighbours:
            keep.append(k)
    return keep or [0]


def _term(c: float, k: int, center: float) -> str:
    """|c|·(x − a)^k, with c as a fraction when it is one (1/6, 1/120): that is how the lesson
    writes the terms."""
    power = "" if k == 0 else ("x" if center == 0 else f"({shifted('x', center)})")
    if k > 1:
        power += str(k).translate(_SUPERSCRIPT)
    # A fraction only when it matches to a few ulps: 1/5040 yes, e = 14665106/5394991 no.
    fraction = Fraction(c).limit_denominator(10**7)
    exact = abs(float(fraction) - c) <= 4e-16 * c
    if k == 0:
        return f"{fraction}" if exact else num(c, 6)
    if exact and fraction.numerator == 1 and fraction.denominator == 1:
        return power
    if exact and fraction.numerator == 1:
        return f"{power}/{fraction.denominator}"
    if exact:
        return f"{fraction.numerator}{power}/{fraction.denominator}" if fraction.denominator != 1 else f"{fraction.numerator}{power}"
    return f"{num(c, 6)}{power}"
