"""Evaluate a SymPy expression at a point with mpmath, in real arithmetic, at 40 digits.

Our own tree walk instead of `lambdify` (which generates and execs source) or `evalf` (slow):
it knows exactly which functions the answer language has, refuses complex results, and guards
against values too large to compute.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import mpmath
import sympy

from tutor.mathlang import functions as custom

DIGITS = 40
KINK_MARGIN = mpmath.mpf("1e-6")  # points this close to a kink of |x|, relu, max... are redrawn
MAX_EXP_ARGUMENT = 10**12  # e^x beyond this is "too large" (its exponent alone would not fit)
MAX_POW_BITS = 10**12


class Undefined(ArithmeticError):
    """No real, finite value at this point (division by zero, log of a negative, overflow...)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Evaluation:
    """Per-point context: values of the variables, and how close we came to a kink."""

    env: dict[sympy.Symbol, mpmath.mpf]
    nearest_kink: mpmath.mpf = field(default_factory=lambda: mpmath.inf)

    def kink(self, distance: mpmath.mpf) -> None:
        distance = abs(distance)
        if distance < self.nearest_kink:
            self.nearest_kink = distance


def _real(value) -> mpmath.mpf:
    if isinstance(value, mpmath.mpc):
        if abs(value.imag) > mpmath.mpf(10) ** (-DIGITS + 5) * max(1, abs(value.real)):
            raise Undefined("not a real number")
        value = value.real
    if not mpmath.isfinite(value):
        raise Undefined("not a finite number")
    return value


def _log(x):
    if x <= 0:
        raise Undefined("logarithm of a number ≤ 0")
    return mpmath.log(x)


def _exp(x):
    if x > MAX_EXP_ARGUMENT:
        raise Undefined("too large to compute")
    return mpmath.exp(x)


def _asin(x):
    if abs(x) > 1:
        raise Undefined("arcsine outside [-1, 1]")
    return mpmath.asin(x)


def _acos(x):
    if abs(x) > 1:
        raise Undefined("arccosine outside [-1, 1]")
    return mpmath.acos(x)


def _sigmoid(x):
    if x < -MAX_EXP_ARGUMENT:
        return mpmath.mpf(0)
    return 1 / (1 + mpmath.exp(-x))


def _softplus(x):
    if x > MAX_EXP_ARGUMENT:
        return x
    return mpmath.log1p(mpmath.exp(x))


def _reciprocal(f):
    def inverse(x):
        value = f(x)
        if value == 0:
            raise Undefined("division by zero")
        return 1 / value

    return inverse


_UNARY = {
    sympy.sin: mpmath.sin, sympy.cos: mpmath.cos, sympy.tan: mpmath.tan,
    sympy.sec: _reciprocal(mpmath.cos), sympy.csc: _reciprocal(mpmath.sin), sympy.cot: _reciprocal(mpmath.tan),
    sympy.asin: _asin, sympy.acos: _acos, sympy.atan: mpmath.atan,
    sympy.sinh: mpmath.sinh, sympy.cosh: mpmath.cosh, sympy.tanh: mpmath.tanh,
    sympy.sech: _reciprocal(mpmath.cosh),
    sympy.exp: _exp, sympy.log: _log, sympy.erf: mpmath.erf,
    custom.sigmoid: _sigmoid, custom.softplus: _softplus,
}
# Functions with a kink at argument 0; samples keep away from it.
_KINKED = {sympy.Abs: abs, sympy.sign: mpmath.sign, custom.relu: lambda x: max(x, 0),
           sympy.Heaviside: lambda x: mpmath.mpf(1) if x > 0 else mpmath.mpf(0)}


def evaluate(expr, ctx: Evaluation) -> mpmath.mpf:
    with mpmath.workdps(DIGITS):
        return _real(_eval(expr, ctx))


def _eval(expr, ctx: Evaluation):
    if expr.is_Symbol:
        try:
            return ctx.env[expr]
        except KeyError:
            raise Undefined(f"no value for {expr}") from None
    if expr is sympy.zoo or expr is sympy.oo or expr is sympy.S.NegativeInfinity:
        raise Undefined("division by zero or an infinite value")
    if expr.is_Number:
        if expr.is_Rational:
            return mpmath.mpf(int(expr.p)) / int(expr.q)
        if expr.is_Float:
            return mpmath.mpf(expr._mpf_)
        if expr is sympy.nan:
            raise Undefined("0/0 is undefined")
        raise Undefined("division by zero or an infinite value")  # zoo, oo
    if expr is sympy.pi:
        return +mpmath.pi
    if expr is sympy.E:
        return mpmath.e()
    if expr.is_Add:
        return mpmath.fsum(_real(_eval(a, ctx)) for a in expr.args)
    if expr.is_Mul:
        result = mpmath.mpf(1)
        for a in expr.args:
            result *= _real(_eval(a, ctx))
        return result
    if expr.is_Pow:
        return _pow(_real(_eval(expr.base, ctx)), expr.exp, ctx)
    func = expr.func
    if func in _UNARY:
        return _UNARY[func](_real(_eval(expr.args[0], ctx)))
    if func in _KINKED:
        x = _real(_eval(expr.args[0], ctx))
        ctx.kink(x)
        return _KINKED[func](x)
    if func in (sympy.Max, sympy.Min):
        values = [_real(_eval(a, ctx)) for a in expr.args]
        ordered = sorted(values)
        if len(ordered) > 1:
            ctx.kink(ordered[-1] - ordered[-2] if func is sympy.Max else ordered[1] - ordered[0])
        return max(values) if func is sympy.Max else min(values)
    if expr is sympy.I or expr.is_imaginary:
        raise Undefined("not a real number")
    raise Undefined(f"cannot evaluate {func.__name__}")


def _pow(base, exponent_expr, ctx: Evaluation):
    if exponent_expr.is_Integer:
        n = int(exponent_expr)
        if base == 0 and n < 0:
            raise Undefined("division by zero")
        if base != 0 and abs(n) * abs(mpmath.log(abs(base), 2)) > MAX_POW_BITS:
            raise Undefined("too large to compute")
        return base**n
    exponent = _real(_eval(exponent_expr, ctx))
    if base < 0:
        # Odd roots of negatives are real (cube root of -8 is -2); other powers are not.
        if exponent_expr.is_Rational and int(exponent_expr.q) % 2 == 1:
            magnitude = (-base) ** exponent
            return -magnitude if int(exponent_expr.p) % 2 else magnitude
        raise Undefined("not a real number (a negative number to a fractional power)")
    if base == 0:
        if exponent <= 0:
            raise Undefined("division by zero")
        return mpmath.mpf(0)
    if abs(exponent * mpmath.log(base, 2)) > MAX_POW_BITS:
        raise Undefined("too large to compute")
    return base**exponent
