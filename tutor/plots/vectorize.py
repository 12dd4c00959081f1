"""Evaluate a SymPy tree over a NumPy grid, by walking the tree once into nested closures.

Why not `lambdify`: it generates Python source and execs it; lesson and learner text must never
reach an exec. Why not `tutor.checking.numeval`: 40-digit mpmath is right for deciding answers
but ~1000x too slow for a few thousand plot points. The walk knows exactly the functions of the
answer language (plus what SymPy's `diff` makes of them: Heaviside, DiracDelta, sign), read from
the one function table `tutor.mathlang.table`, and refuses anything else.

Real arithmetic only, as in the checker: a negative base to a fractional power is undefined
except odd roots (cube root of -8 is -2), and any complex, infinite or 0/0 result becomes NaN.

The walk also records *breaks*: places between two neighbouring samples where the function
jumps (the argument of a step, sign or pole changes sign). A plot must not join those samples
with a line, even when both values are finite (1/x at -0.01 and 0.01, tan across pi/2).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import sympy

from tutor.mathlang.table import lookup


class PlotError(ValueError):
    """An expression or a block the plot engine cannot draw; the message is for lesson authors."""


class _Run:
    """Per-call state: the variables' values, and the breaks found so far (length n - 1)."""

    def __init__(self, env: dict[sympy.Symbol, np.ndarray], n: int) -> None:
        self.env = env
        self.n = n
        self.breaks = np.zeros(max(n - 1, 0), dtype=bool)

    def sign_change(self, value) -> None:
        """Mark a break wherever `value` changes sign between neighbouring samples."""
        if np.ndim(value) != 1 or len(value) != self.n or self.n < 2:
            return  # a constant, or a variable that is not the grid
        s = np.sign(value)
        self.breaks |= (s[:-1] != s[1:]) & np.isfinite(s[:-1]) & np.isfinite(s[1:])


Node = Callable[[_Run], "np.ndarray | np.float64"]

_NAN = np.float64("nan")


def _const(value: float) -> Node:
    v = np.float64(value)
    return lambda run: v


def _number(expr) -> Node:
    if expr.is_Rational:
        try:
            return _const(int(expr.p) / int(expr.q))  # true division of ints: correctly rounded
        except OverflowError:
            return _const(math.copysign(math.inf, int(expr.p)))
    if expr.is_Float:
        return _const(float(expr))
    return _const(_NAN)  # zoo, oo, nan: "division by zero or an infinite value"


def compile_expr(expr, variables: Sequence[sympy.Symbol]) -> Node:
    """The closure tree of `expr`. Raises PlotError for a function the plotter does not know."""
    allowed = set(variables)
    return _compile(expr, allowed)


def _compile(expr, allowed: set) -> Node:
    if expr.is_Symbol:
        if expr not in allowed:
            raise PlotError(f"'{expr}' has no value in a plot (only {', '.join(sorted(map(str, allowed)))} varies)")
        return lambda run: run.env[expr]
    if expr.is_Number:
        return _number(expr)
    if expr is sympy.pi:
        return _const(math.pi)
    if expr is sympy.E:
        return _const(math.e)
    if expr is sympy.I or expr.is_number and expr.is_extended_real is False:
        return _const(_NAN)  # imaginary constants: not a real number
    if expr.is_Add:
        terms = [_compile(a, allowed) for a in expr.args]
        return lambda run: sum((t(run) for t in terms[1:]), terms[0](run))
    if expr.is_Mul:
        factors = [_compile(a, allowed) for a in expr.args]

        def product(run):
            result = factors[0](run)
            for f in factors[1:]:
                result = result * f(run)
            return result

        return product
    if expr.is_Pow:
        return _power(expr, allowed)
    func = expr.func
    entry = lookup(func)
    if entry is not None:
        # One table for every evaluator: the entry's NumPy form, with every argument.
        args = [_compile(a, allowed) for a in expr.args]
        f, watch = entry.np, entry.watch

        def call(run):
            values = [a(run) for a in args]
            if watch is not None:
                run.sign_change(watch(values[0]))  # a pole or a jump: do not join across it
            return f(*values)

        return call
    raise PlotError(f"cannot plot {func.__name__}(...)")


def _power(expr, allowed: set) -> Node:
    base = _compile(expr.base, allowed)
    exponent = expr.exp
    if exponent.is_Integer:
        n = int(exponent)
        if n < 0:
            def pole(run):
                b = base(run)
                run.sign_change(b)  # 1/x: a pole where the base crosses 0
                return np.power(np.float64(1.0) * b, n)  # float power: 0^-1 is inf, then NaN

            return pole
        return lambda run: np.power(np.float64(1.0) * base(run), n)
    if exponent.is_Rational:
        p, q = int(exponent.p), int(exponent.q)
        value = p / q
        odd_root = q % 2 == 1

        def rational(run):
            b = np.float64(1.0) * base(run)
            if p < 0:
                run.sign_change(b)
            if value == 0.5:
                return np.sqrt(b)
            if odd_root:
                # Real odd root of a negative base, as the checker does: (-8)^(1/3) = -2.
                magnitude = np.power(np.abs(b), value)
                return np.where(b < 0, magnitude * (-1.0) ** (p % 2), magnitude)
            return np.power(b, value)  # NaN for b < 0

        return rational
    power = _compile(exponent, allowed)

    def general(run):
        b = np.float64(1.0) * base(run)
        e = power(run)
        # A variable exponent over a negative base is undefined, and so is 0^e for e <= 0
        # (the checker agrees on both).
        bad = (b < 0) | ((b == 0) & (e <= 0))
        return np.where(bad, _NAN, np.power(np.where(bad, 1.0, b), e))

    return general


@dataclass(frozen=True)
class Vectorized:
    """A compiled real function of the given variables; call it with arrays (or floats)."""

    expr: object
    variables: tuple[sympy.Symbol, ...]
    node: Node

    def __call__(self, *values) -> np.ndarray:
        return self.with_breaks(*values)[0]

    def with_breaks(self, *values) -> tuple[np.ndarray, np.ndarray]:
        """(values, breaks): NaN where undefined; breaks[i] when i and i+1 must not be joined."""
        if len(values) != len(self.variables):
            raise TypeError(f"expected {len(self.variables)} values, got {len(values)}")
        arrays = [np.asarray(v, dtype=float) for v in values]
        shape = np.broadcast_shapes(*(a.shape for a in arrays)) if arrays else ()
        n = shape[0] if len(shape) == 1 else 0
        run = _Run(dict(zip(self.variables, arrays)), n)
        with np.errstate(all="ignore"):
            out = np.asarray(self.node(run), dtype=float)
        out = np.array(np.broadcast_to(out, shape), dtype=float)  # constants fill the grid; own copy
        out[~np.isfinite(out)] = np.nan
        return out, run.breaks

    def at(self, *point: float) -> float:
        """The value at one point, NaN when undefined. Straight through the tree, without the
        array handling of a call (a simulator calls this thousands of times per key press)."""
        if len(point) != len(self.variables):
            raise TypeError(f"expected {len(self.variables)} values, got {len(point)}")
        run = _Run({v: np.float64(p) for v, p in zip(self.variables, point)}, 0)
        with np.errstate(all="ignore"):
            value = float(self.node(run))
        return value if math.isfinite(value) else math.nan


def vectorize(expr, variables: Sequence[sympy.Symbol]) -> Vectorized:
    variables = tuple(variables)
    return Vectorized(expr, variables, compile_expr(expr, variables))
