"""Every function of the answer language, in one table: how to build it in SymPy, how to evaluate
it with mpmath (many digits, to decide answers) and with NumPy (float64 arrays, to draw plots).

A function is added here once; `build`, `checking.numeval` and `plots.vectorize` all read this
table, so the three can never disagree about a definition (step(0) = 1/2, log bases, the domain
of acosh...). Entries are keyed by the SymPy class an expression holds after building, which
also covers what SymPy's `diff` produces (Heaviside, DiracDelta, sign).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import mpmath
import numpy as np
import sympy

from tutor.mathlang import functions as custom

_NAN = np.float64("nan")


class Undefined(ArithmeticError):
    """No real, finite value at this point (division by zero, log of a negative, overflow...)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Function:
    """One SymPy class: its real value with mpmath (raises Undefined) and with NumPy (NaN).

    `breaks`: "" smooth where defined; "kink" continuous but not smooth where the argument is 0
    (|x|, relu); "jump" jumps where the argument is 0 (step, sign); "pole" infinite where `watch`
    of the argument changes sign (tan, 1/sinh). `extreme`: max/min, kinked where two arguments tie.
    """

    sympy: type
    mp: Callable
    np: Callable
    breaks: str = ""
    watch: Callable | None = None  # NumPy: a function of the argument that changes sign at a break
    periodic: bool = False  # reduces its argument mod 2π: a huge argument's fraction is lost


# -- mpmath implementations (one argument each unless noted) -----------------------------------------

def _guard(ok: Callable, f: Callable, reason: str) -> Callable:
    def guarded(x):
        if not ok(x):
            raise Undefined(reason)
        return f(x)

    return guarded


def _reciprocal(f: Callable, name: str) -> Callable:
    def inverse(x):
        value = f(x)
        if value == 0:
            raise Undefined(f"division by zero ({name} has a pole here)")
        return 1 / value

    return inverse


MAX_EXP_ARGUMENT = 10**12  # e^x beyond this is "too large" (its exponent alone would not fit)


def _exp(x):
    if x > MAX_EXP_ARGUMENT:
        raise Undefined("too large to compute")
    return mpmath.exp(x)


def _sigmoid(x):
    if x < -MAX_EXP_ARGUMENT:
        return mpmath.mpf(0)
    return 1 / (1 + mpmath.exp(-x))


def _softplus(x):
    if x > MAX_EXP_ARGUMENT:
        return x
    return mpmath.log1p(mpmath.exp(x))


_HALF = mpmath.mpf(0.5)


def _heaviside(x, at_zero=_HALF):  # SymPy's default H(0) is 1/2, as is step(0)
    if x > 0:
        return mpmath.mpf(1)
    if x < 0:
        return mpmath.mpf(0)
    return at_zero


def _dirac(x, *order):
    if x == 0:
        raise Undefined("the derivative of a jump has no value at the jump")
    return mpmath.mpf(0)


def _erf(x):
    return mpmath.erf(x)


# -- NumPy implementations -------------------------------------------------------------------------------

def _np_log(a):
    return np.log(np.where(a > 0, a, _NAN))


def _np_sigmoid(a):
    # exp(-log(1 + e^-a)): no overflow for large |a|, full relative precision in both tails.
    return np.exp(-np.logaddexp(0.0, -a))


_np_erf_ufunc = np.frompyfunc(math.erf, 1, 1)  # NumPy has no erf; few points, so a ufunc wrapper is fine


def _np_erf(a):
    return np.asarray(_np_erf_ufunc(a), dtype=float) if np.ndim(a) else np.float64(math.erf(float(a)))


def _np_heaviside(a, at_zero=0.5):
    return np.where(a > 0, 1.0, np.where(a < 0, 0.0, at_zero))


def _np_dirac(a, *order):
    return np.where(a == 0, _NAN, 0.0)  # the spike of a delta is not drawable: a gap at its point


def _np_acoth(a):
    return np.arctanh(1.0 / np.where(np.abs(a) > 1, a, _NAN))


def _same(a):
    return a


TABLE: dict[type, Function] = {f.sympy: f for f in (
    Function(sympy.sin, mpmath.sin, np.sin, periodic=True),
    Function(sympy.cos, mpmath.cos, np.cos, periodic=True),
    Function(sympy.tan, lambda x: mpmath.sin(x) * _reciprocal(mpmath.cos, "tan")(x), np.tan, "pole", np.cos,
             periodic=True),
    Function(sympy.sec, _reciprocal(mpmath.cos, "sec"), lambda a: 1.0 / np.cos(a), "pole", np.cos, periodic=True),
    Function(sympy.csc, _reciprocal(mpmath.sin, "csc"), lambda a: 1.0 / np.sin(a), "pole", np.sin, periodic=True),
    Function(sympy.cot, _reciprocal(mpmath.tan, "cot"), lambda a: np.cos(a) / np.sin(a), "pole", np.sin,
             periodic=True),
    Function(sympy.asin, _guard(lambda x: abs(x) <= 1, mpmath.asin, "arcsine outside [-1, 1]"), np.arcsin),
    Function(sympy.acos, _guard(lambda x: abs(x) <= 1, mpmath.acos, "arccosine outside [-1, 1]"), np.arccos),
    Function(sympy.atan, mpmath.atan, np.arctan),
    Function(sympy.acot, _guard(lambda x: x != 0, lambda x: mpmath.atan(1 / x), "arccot(0) is not defined here"),
             lambda a: np.arctan(1.0 / np.where(a == 0, _NAN, a)), "jump", _same),
    Function(sympy.sinh, mpmath.sinh, np.sinh),
    Function(sympy.cosh, mpmath.cosh, np.cosh),
    Function(sympy.tanh, mpmath.tanh, np.tanh),
    Function(sympy.sech, _reciprocal(mpmath.cosh, "sech"), lambda a: 1.0 / np.cosh(a)),
    Function(sympy.csch, _reciprocal(mpmath.sinh, "csch"), lambda a: 1.0 / np.sinh(a), "pole", _same),
    Function(sympy.coth, _reciprocal(mpmath.tanh, "coth"), lambda a: 1.0 / np.tanh(a), "pole", _same),
    Function(sympy.asinh, mpmath.asinh, np.arcsinh),
    Function(sympy.acosh, _guard(lambda x: x >= 1, mpmath.acosh, "arcosh of a number below 1"), np.arccosh),
    Function(sympy.atanh, _guard(lambda x: abs(x) < 1, mpmath.atanh, "artanh outside (-1, 1)"), np.arctanh),
    Function(sympy.acoth, _guard(lambda x: abs(x) > 1, mpmath.acoth, "arcoth inside [-1, 1]"), _np_acoth),
    Function(sympy.exp, _exp, np.exp),
    Function(sympy.log, _guard(lambda x: x > 0, mpmath.log, "logarithm of a number ≤ 0"), _np_log),
    Function(sympy.erf, _erf, _np_erf),
    Function(custom.sigmoid, _sigmoid, _np_sigmoid),
    Function(custom.softplus, _softplus, lambda a: np.logaddexp(0.0, a)),
    Function(sympy.Abs, abs, np.abs, "kink"),
    Function(custom.relu, lambda x: max(x, mpmath.mpf(0)), lambda a: np.maximum(a, 0.0), "kink"),
    Function(sympy.sign, mpmath.sign, np.sign, "jump", _same),
    Function(sympy.Heaviside, _heaviside, _np_heaviside, "jump", _same),
    Function(sympy.DiracDelta, _dirac, _np_dirac, "jump", _same),
    Function(sympy.Max, lambda *xs: max(xs), lambda *a: _reduce(np.maximum, a), "extreme"),
    Function(sympy.Min, lambda *xs: min(xs), lambda *a: _reduce(np.minimum, a), "extreme"),
)}


def _reduce(pick, arrays):
    result = arrays[0]
    for a in arrays[1:]:
        result = pick(result, a)  # both propagate NaN
    return result


# -- building: canonical answer-language name -> SymPy ------------------------------------------------

def _log(x, base=None):
    # log with a base is ln(x)/ln(b), built explicitly so an unevaluated tree keeps the base.
    if base is None:
        return sympy.log(x)
    return sympy.Mul(sympy.log(x), sympy.Pow(sympy.log(base), -1))


BUILDERS: dict[str, Callable] = {
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "sec": sympy.sec, "csc": sympy.csc,
    "cot": sympy.cot, "asin": sympy.asin, "acos": sympy.acos, "atan": sympy.atan, "acot": sympy.acot,
    "sinh": sympy.sinh, "cosh": sympy.cosh, "tanh": sympy.tanh, "sech": sympy.sech, "csch": sympy.csch,
    "coth": sympy.coth, "asinh": sympy.asinh, "acosh": sympy.acosh, "atanh": sympy.atanh,
    "acoth": sympy.acoth,
    "exp": sympy.exp, "sqrt": sympy.sqrt, "abs": sympy.Abs, "sign": sympy.sign, "erf": sympy.erf,
    "log": _log, "log10": lambda x: _log(x, sympy.Integer(10)), "log2": lambda x: _log(x, sympy.Integer(2)),
    "step": lambda x: sympy.Heaviside(x, sympy.S.Half),
    "sigmoid": custom.sigmoid, "relu": custom.relu, "softplus": custom.softplus,
    "max": sympy.Max, "min": sympy.Min,
}


def lookup(func) -> Function | None:
    """The table entry of a SymPy expression's function, or None."""
    return TABLE.get(func)
