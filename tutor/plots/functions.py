"""A plottable function: answer-language text -> SymPy tree -> vectorised NumPy function.

Parsing goes through `tutor.mathlang.parse`, the same whitelisted parser as answers, and SymPy
only differentiates. Built functions are cached by text, because a lesson page, its validator
and the interactive figure all ask for the same few expressions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import sympy

from tutor.mathlang import MathError, parse
from tutor.plots.vectorize import PlotError, Vectorized, vectorize

KINK = 1e-12  # closer than this to a kink of |.|, relu, max... is at it


@dataclass(frozen=True, eq=False)
class PlotFunction:
    """f of one variable (others, if any, fixed by `fixed`), with its exact derivatives."""

    text: str
    expr: sympy.Expr
    variable: sympy.Symbol
    fn: Vectorized
    fixed: tuple[tuple[sympy.Symbol, float], ...] = ()
    _derivatives: dict[int, PlotFunction] = field(default_factory=dict, repr=False)

    def __call__(self, xs) -> np.ndarray:
        return self.fn(xs, *[v for _, v in self.fixed])

    def with_breaks(self, xs) -> tuple[np.ndarray, np.ndarray]:
        return self.fn.with_breaks(xs, *[v for _, v in self.fixed])

    def at(self, x: float) -> float:
        return float(self(np.float64(x)))

    def smooth_at(self, x: float) -> bool:
        """False at a kink of |.|, relu, max, min, sign or a step, where SymPy's derivative
        still has a value (relu'(0) = Heaviside(0) = 1/2) but no tangent exists."""
        import mpmath

        from tutor.checking.numeval import Evaluation, Undefined, evaluate

        env = {self.variable: mpmath.mpf(x), **{s: mpmath.mpf(v) for s, v in self.fixed}}
        ctx = Evaluation(env)
        try:
            evaluate(self.expr, ctx)
        except Undefined:
            return False
        return not ctx.nearest_kink < KINK

    def derivative(self, order: int = 1) -> PlotFunction:
        """f^(order), differentiated exactly by SymPy once and cached."""
        if order == 0:
            return self
        if order not in self._derivatives:
            expr = sympy.diff(self.expr, self.variable, order)
            variables = (self.variable, *[s for s, _ in self.fixed])
            primes = "'" * order if order <= 3 else f"^({order})"
            self._derivatives[order] = PlotFunction(
                f"({self.text}){primes}", expr, self.variable, vectorize(expr, variables), self.fixed
            )
        return self._derivatives[order]


def scalar_expression(text: str, names: tuple[str, ...], needs: str):
    """`text` over `names` as one SymPy expression, for a figure or an objective to evaluate;
    PlotError says what is wrong (`needs`: why a vector will not do)."""
    try:
        parsed = parse(text, names)
        if parsed.is_vector:
            raise PlotError(f"'{text}' is a vector; {needs}")
        return parsed.to_sympy()
    except MathError as exc:
        raise PlotError(f"'{text}' does not parse: {exc}") from None


def plot_function(text: str, variable: str = "x", fixed: tuple[tuple[str, float], ...] = ()) -> PlotFunction:
    """Parse `text` over `variable` (and the names in `fixed`, held at their values).

    Raises PlotError with the parser's message when the text is not a valid expression.
    """
    return _build(str(text).strip(), variable, tuple(fixed))


@lru_cache(maxsize=256)
def _build(text: str, variable: str, fixed: tuple[tuple[str, float], ...]) -> PlotFunction:
    names = (variable, *[name for name, _ in fixed])
    expr = scalar_expression(text, names, "a curve needs one value per x")
    if isinstance(expr, list):
        raise PlotError(f"'{text}' is not a single expression")
    symbols = {s.name: s for s in expr.free_symbols}
    from tutor.mathlang.build import symbol  # the same real Symbol objects the parser builds

    var = symbols.get(variable, symbol(variable))
    others = tuple((symbols.get(name, symbol(name)), float(value)) for name, value in fixed)
    fn = vectorize(expr, (var, *[s for s, _ in others]))
    return PlotFunction(text, expr, var, fn, others)


def from_sympy(expr, variable: str = "x", text: str | None = None) -> PlotFunction:
    """A PlotFunction for a tree built in code (a Taylor polynomial, a leaky ReLU)."""
    from tutor.mathlang.build import symbol

    var = symbol(variable)
    return PlotFunction(text or str(expr), expr, var, vectorize(expr, (var,)))
