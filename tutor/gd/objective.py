"""What gradient descent minimises: an expression in the answer language, or a named data set.

An expression goes through `tutor.mathlang` (the whitelisted grammar, never eval), SymPy
differentiates it once, and `tutor.plots.vectorize` turns value and gradient into NumPy
functions. A data set is a least-squares regression built here from the seed's own calls.
Either way an Objective evaluates at one point (the simulator) and over a grid (level sets).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np


class ObjectiveError(ValueError):
    """An objective that cannot be built; the message is for lesson authors."""


@dataclass(frozen=True, eq=False)
class LineData:
    """A regression y ≈ intercept + slope·x: its points, and which parameter is which."""

    x: np.ndarray
    y: np.ndarray
    slope: int  # the index of the slope among the parameters
    intercept: int

    def line(self, w) -> tuple[float, float]:
        """(slope, intercept) at parameters w."""
        return float(w[self.slope]), float(w[self.intercept])


@dataclass(frozen=True, eq=False)
class Objective:
    label: str  # "x^4 - 3x^3 + 2", "MSE of y ≈ bias + slope·x on seed 002's data"
    names: tuple[str, ...]  # one coordinate name per parameter: ("x",), ("w0", "w1"), ("bias", "slope")
    values: Callable[..., np.ndarray]  # values(*coordinates): floats or arrays of one shape
    gradients: Callable[..., list[np.ndarray]]  # the partial derivatives, one per coordinate
    minimum: tuple[float, ...] | None = None  # where the loss is lowest, when known (least squares)
    data: LineData | None = None  # a straight-line fit's points, so a figure can draw the line moving

    @property
    def dimension(self) -> int:
        return len(self.names)

    def loss(self, w: np.ndarray) -> float:
        return float(self.values(*w))

    def gradient(self, w) -> list[float]:
        """∇f at one point, as floats (NaN where undefined)."""
        return [float(g) for g in self.gradients(*(float(x) for x in w))]

    def along(self, path: np.ndarray) -> np.ndarray:
        """The loss at every point of a path (rows are points), in one vectorised call."""
        return np.asarray(self.values(*path.T), dtype=float).reshape(len(path))


def from_expression(text: str, names: tuple[str, ...] | None = None) -> Objective:
    """f over `names` (default: the names the text uses, sorted). Raises ObjectiveError."""
    return _expression(str(text).strip(), tuple(names) if names else None)


@lru_cache(maxsize=64)
def _expression(text: str, names: tuple[str, ...] | None) -> Objective:
    import sympy

    from tutor.mathlang import MathError, parse
    from tutor.mathlang.build import symbol
    from tutor.plots.functions import scalar_expression
    from tutor.plots.vectorize import PlotError, vectorize

    try:
        if names is None:
            names = tuple(sorted(parse(text, (), allow_unknown=True).unknown_names))
        expr = scalar_expression(text, names, "it must be one number")
    except MathError as exc:
        raise ObjectiveError(f"the objective '{text}' does not parse: {exc}") from None
    except PlotError as exc:
        raise ObjectiveError(f"the objective {exc}") from None
    if not names:
        raise ObjectiveError(f"the objective '{text}' has no variable to move")
    variables = [symbol(name) for name in names]
    try:
        value = vectorize(expr, variables)
        derivatives = [sympy.diff(expr, v) for v in variables]
        partials = [vectorize(d, variables) for d in derivatives]
    except PlotError as exc:
        raise ObjectiveError(f"the objective '{text}' cannot be evaluated: {exc}") from None
    linear = _linear_gradient(derivatives, variables)

    def gradients(*point):
        if all(np.ndim(p) == 0 for p in point):  # one point: the simulator's case, kept fast
            if linear is not None:  # a quadratic (the bowls of Part 6): ∇f = H·w + b exactly
                H, b = linear
                return [b[i] + sum(h * x for h, x in zip(H[i], point)) for i in range(len(b))]
            return [p.at(*point) for p in partials]
        return [p(*point) for p in partials]

    return Objective(text, names, value, gradients)


def _linear_gradient(derivatives, variables) -> tuple[list[list[float]], list[float]] | None:
    """(H, b) when every partial derivative is linear in the variables (f is quadratic): one
    small matrix product per step instead of a walk over the expression trees."""
    import sympy

    H = np.zeros((len(variables), len(variables)))
    b = np.zeros(len(variables))
    for i, d in enumerate(derivatives):
        try:
            poly = sympy.Poly(d, *variables)
        except sympy.PolynomialError:
            return None
        if poly.total_degree() > 1 or not all(c.is_number for c in poly.coeffs()):
            return None
        for j, v in enumerate(variables):
            H[i, j] = float(poly.coeff_monomial(v))
        b[i] = float(poly.coeff_monomial(1))
    return H.tolist(), b.tolist()  # plain floats: the simulator's loop runs on Python floats


# -- data sets -----------------------------------------------------------------------------------


def _seed_000() -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    # Syllabus, lesson gradient-descent-linear-regression [seed 000]: y = 2X + 1 + 0.1·noise;
    # the parameters are (w, b) for ŷ = w·X + b.
    np.random.seed(42)
    x = np.random.randn(100)
    y = 2 * x + 1 + 0.1 * np.random.randn(100)
    return np.column_stack([x, np.ones_like(x)]), y, ("w", "b")


def _seed_002() -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    # Syllabus [seed 002]: x = rand(100)·10, noise = randn(100)·2, y = 3x + 2 + noise;
    # X = [ones, x], so the parameters are (bias, slope).
    np.random.seed(42)
    x = np.random.rand(100) * 10
    noise = np.random.randn(100) * 2
    y = 3 * x + 2 + noise
    return np.column_stack([np.ones_like(x), x]), y, ("bias", "slope")


DATASETS: dict[str, tuple[str, Callable[[], tuple[np.ndarray, np.ndarray, tuple[str, ...]]]]] = {
    "seed-000-regression": ("MSE of ŷ = w·x + b on seed 000's data", _seed_000),
    "seed-002-regression": ("MSE of ŷ = bias + slope·x on seed 002's data", _seed_002),
}


def from_dataset(name: str) -> Objective:
    if name not in DATASETS:
        raise ObjectiveError(f"unknown data set '{name}' (data sets: {', '.join(DATASETS)})")
    return _dataset(name)


@lru_cache(maxsize=None)
def _dataset(name: str) -> Objective:
    label, make = DATASETS[name]
    state = np.random.get_state()  # the seed's calls must not disturb anyone else's generator
    try:
        design, y, names = make()
    finally:
        np.random.set_state(state)
    objective = least_squares(design, y, names, label)
    return replace(objective, data=_line_data(design, y))


def _line_data(design: np.ndarray, y: np.ndarray) -> LineData | None:
    """A two-column design with one column of ones is a straight line through the other column."""
    if design.ndim != 2 or design.shape[1] != 2:
        return None
    ones = [j for j in range(2) if np.all(design[:, j] == 1)]
    if len(ones) != 1:
        return None
    intercept = ones[0]
    return LineData(design[:, 1 - intercept].copy(), y.copy(), slope=1 - intercept, intercept=intercept)


def least_squares(design: np.ndarray, y: np.ndarray, names: tuple[str, ...], label: str) -> Objective:
    """MSE(w) = mean((design·w − y)²), written through its moments so that it also evaluates
    over grids of w: wᵀHw − 2cᵀw + s with H = designᵀdesign/N, c = designᵀy/N, s = mean(y²)."""
    n = len(y)
    H = design.T @ design / n
    c = design.T @ y / n
    s = float(np.mean(y * y))
    d = len(names)

    def values(*w):
        total = s
        for i in range(d):
            total = total - 2 * c[i] * w[i]
            for j in range(d):
                total = total + H[i, j] * w[i] * w[j]
        return total

    Hl, cl = H.tolist(), c.tolist()

    def gradients(*w):
        return [2 * (sum(Hl[i][j] * w[j] for j in range(d)) - cl[i]) for i in range(d)]

    best = tuple(float(v) for v in np.linalg.lstsq(design, y, rcond=None)[0])
    return Objective(label, names, values, gradients, best)
