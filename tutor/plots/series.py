"""Taylor coefficients by truncated power-series arithmetic over the SymPy tree.

Why not `sympy.series`: it is exact but can take minutes (the order-15 series of sigmoid(x) at 0
took 151 s on the CI-class machine). Walking the tree with power-series arithmetic ("Taylor-mode
automatic differentiation") gives the same coefficients in float64 in about a millisecond, for
every function of the answer language, at any centre where the function is smooth.

A series is an array c with f(center + t) = sum c[k] t^k + O(t^(N+1)).
"""

from __future__ import annotations

import math

import numpy as np
import sympy

from tutor.mathlang import functions as custom
from tutor.plots.vectorize import PlotError


def taylor_coefficients(expr, variable: sympy.Symbol, center: float, order: int) -> np.ndarray:
    """c[0..order] of the Taylor polynomial of expr about `center`.

    Raises PlotError when the function is not smooth there (|x| at 0, ln x at 0, 1/x at 0).
    """
    with np.errstate(all="ignore"):
        coefficients = _series(expr, variable, float(center), order + 1)
    if not np.all(np.isfinite(coefficients)):
        raise PlotError(f"{expr} has no Taylor polynomial at x = {center:g} (a derivative is undefined there)")
    return coefficients


def _series(expr, x, center: float, n: int) -> np.ndarray:
    if expr == x:
        out = np.zeros(n)
        out[0] = center
        if n > 1:
            out[1] = 1.0
        return out
    if expr.is_Symbol:
        raise PlotError(f"'{expr}' has no value here")
    if not expr.has(x):
        return _constant(_number(expr), n)
    if expr.is_Add:
        return sum((_series(a, x, center, n) for a in expr.args[1:]), _series(expr.args[0], x, center, n))
    if expr.is_Mul:
        result = _series(expr.args[0], x, center, n)
        for a in expr.args[1:]:
            result = _mul(result, _series(a, x, center, n))
        return result
    if expr.is_Pow:
        return _pow(expr, x, center, n)
    a = _series(expr.args[0], x, center, n)
    func = expr.func
    if func is sympy.exp:
        return _exp(a)
    if func is sympy.log:
        return _log(a)
    if func in (sympy.sin, sympy.cos, sympy.tan, sympy.sec, sympy.csc, sympy.cot):
        s, c = _sincos(a, hyperbolic=False)
        return {sympy.sin: lambda: s, sympy.cos: lambda: c, sympy.tan: lambda: _div(s, c),
                sympy.sec: lambda: _div(_constant(1.0, n), c), sympy.csc: lambda: _div(_constant(1.0, n), s),
                sympy.cot: lambda: _div(c, s)}[func]()
    if func in (sympy.sinh, sympy.cosh, sympy.tanh, sympy.sech):
        s, c = _sincos(a, hyperbolic=True)
        return {sympy.sinh: lambda: s, sympy.cosh: lambda: c, sympy.tanh: lambda: _div(s, c),
                sympy.sech: lambda: _div(_constant(1.0, n), c)}[func]()
    if func is custom.sigmoid:
        return _div(_constant(1.0, n), _constant(1.0, n) + _exp(-a))
    if func is custom.softplus:
        if a[0] > 30:  # log(1 + e^a) = a + log(1 + e^-a): no overflow
            return a + _log(_constant(1.0, n) + _exp(-a))
        return _log(_constant(1.0, n) + _exp(a))
    if func is sympy.atan:
        return _integrate(a, _div(_constant(1.0, n), _constant(1.0, n) + _mul(a, a)), math.atan(a[0]))
    if func in (sympy.asin, sympy.acos):
        if not -1 < a[0] < 1:
            raise PlotError(f"{func.__name__} is not smooth at {a[0]:g}")
        g = _power_real(_constant(1.0, n) - _mul(a, a), -0.5)
        if func is sympy.asin:
            return _integrate(a, g, math.asin(a[0]))
        return _integrate(a, -g, math.acos(a[0]))
    if func is sympy.erf:
        return _integrate(a, (2 / math.sqrt(math.pi)) * _exp(-_mul(a, a)), math.erf(a[0]))
    # Piecewise-linear pieces: smooth wherever the argument is not at a kink.
    if func in (sympy.Abs, custom.relu, sympy.sign, sympy.Heaviside):
        if a[0] == 0:
            raise PlotError(f"{func.__name__} is not smooth at 0")
        positive = a[0] > 0
        if func is sympy.Abs:
            return a if positive else -a
        if func is custom.relu:
            return a if positive else np.zeros(n)
        return _constant(1.0 if positive else (-1.0 if func is sympy.sign else 0.0), n)
    if func in (sympy.Max, sympy.Min):
        parts = [_series(arg, x, center, n) for arg in expr.args]
        values = [p[0] for p in parts]
        best = max(values) if func is sympy.Max else min(values)
        if values.count(best) > 1:
            raise PlotError(f"{func.__name__} is not smooth where its arguments are equal")
        return parts[values.index(best)]
    raise PlotError(f"no Taylor polynomial for {func.__name__}(...)")


def _number(expr) -> float:
    """A constant subtree (2, pi, log(10), zoo) as a float; NaN when it is not a real number."""
    try:
        return float(expr.evalf(20))
    except (TypeError, ValueError, OverflowError):
        return math.nan


def _constant(value: float, n: int) -> np.ndarray:
    out = np.zeros(n)
    out[0] = value
    return out


def _mul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.convolve(a, b)[: len(a)]


def _div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """c = a / b from c*b = a: c_k = (a_k - sum_{j>=1} b_j c_{k-j}) / b_0."""
    if b[0] == 0:
        return np.full(len(a), math.nan)  # a pole at the centre
    c = np.zeros(len(a))
    for k in range(len(a)):
        c[k] = (a[k] - np.dot(b[1 : k + 1], c[k - 1 :: -1][:k] if k else [])) / b[0]
    return c


def _exp(a: np.ndarray) -> np.ndarray:
    """c = e^a, from c' = a' c: k c_k = sum_{j=1..k} j a_j c_{k-j}."""
    c = np.zeros(len(a))
    c[0] = math.exp(a[0]) if a[0] < 700 else math.inf
    for k in range(1, len(a)):
        j = np.arange(1, k + 1)
        c[k] = np.dot(j * a[1 : k + 1], c[k - j]) / k
    return c


def _log(a: np.ndarray) -> np.ndarray:
    """c = ln a, from a c' = a': c_k = (a_k - (1/k) sum_{j=1..k-1} j c_j a_{k-j}) / a_0."""
    if a[0] <= 0:
        return np.full(len(a), math.nan)
    c = np.zeros(len(a))
    c[0] = math.log(a[0])
    for k in range(1, len(a)):
        j = np.arange(1, k)
        c[k] = (a[k] - np.dot(j * c[1:k], a[k - j]) / k) / a[0]
    return c


def _sincos(a: np.ndarray, hyperbolic: bool) -> tuple[np.ndarray, np.ndarray]:
    """sin and cos together (s' = a' c, c' = -+a' s)."""
    s, c = np.zeros(len(a)), np.zeros(len(a))
    s[0], c[0] = (math.sinh(a[0]), math.cosh(a[0])) if hyperbolic else (math.sin(a[0]), math.cos(a[0]))
    sign = 1.0 if hyperbolic else -1.0
    for k in range(1, len(a)):
        j = np.arange(1, k + 1)
        ja = j * a[1 : k + 1]
        s[k] = np.dot(ja, c[k - j]) / k
        c[k] = sign * np.dot(ja, s[k - j]) / k
    return s, c


def _integrate(a: np.ndarray, g: np.ndarray, value: float) -> np.ndarray:
    """c with c' = g a' and c_0 = value: k c_k = sum_{j=1..k} j a_j g_{k-j}."""
    c = np.zeros(len(a))
    c[0] = value
    for k in range(1, len(a)):
        j = np.arange(1, k + 1)
        c[k] = np.dot(j * a[1 : k + 1], g[k - j]) / k
    return c


def _power_real(a: np.ndarray, alpha: float) -> np.ndarray:
    """c = a^alpha for a_0 != 0: c_k = (1/(k a_0)) sum_{j=1..k} (alpha j - (k - j)) a_j c_{k-j}."""
    c = np.zeros(len(a))
    if a[0] == 0:
        return np.full(len(a), math.nan)
    c[0] = a[0] ** alpha if a[0] > 0 else math.nan
    for k in range(1, len(a)):
        j = np.arange(1, k + 1)
        c[k] = np.dot((alpha * j - (k - j)) * a[1 : k + 1], c[k - j]) / (k * a[0])
    return c


def _pow(expr, x, center: float, n: int) -> np.ndarray:
    exponent = expr.exp
    base = _series(expr.base, x, center, n)
    if exponent.has(x):  # b^e = exp(e ln b)
        return _exp(_mul(_series(exponent, x, center, n), _log(base)))
    if exponent.is_Integer and int(exponent) >= 0:
        result = _constant(1.0, n)
        for _ in range(int(exponent)):  # exponents are small in practice; exact products
            result = _mul(result, base)
        return result
    alpha = float(exponent)
    if base[0] == 0:
        return np.full(n, math.nan)  # 1/x or sqrt(x) at 0: not smooth
    if base[0] < 0:
        if exponent.is_Integer or (exponent.is_Rational and int(exponent.q) % 2 == 1):
            # (-b)^alpha is real: flip the base, and the sign when the numerator is odd.
            flipped = _power_real(-base, alpha)
            odd = exponent.is_Integer and int(exponent) % 2 or exponent.is_Rational and int(exponent.p) % 2
            return -flipped if odd else flipped
        return np.full(n, math.nan)
    return _power_real(base, alpha)
