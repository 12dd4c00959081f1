"""Turn a parsed tree into a SymPy expression, guarding against numbers too large to compute.

SymPy is imported here only, so parsing (and the UI's first frame) never pays for it.
"""

from __future__ import annotations

import math
from fractions import Fraction

import mpmath
import sympy

from tutor.mathlang.ast import (
    BinOp,
    Call,
    Const,
    Neg,
    Node,
    Num,
    Pow,
    Relation,
    Var,
    Vector,
)
from tutor.mathlang.errors import MathError
from tutor.mathlang.table import BUILDERS

MAX_EXPONENT = 10_000  # |n| in x^n
MAX_RESULT_DIGITS = 10_000  # digits of an exact a^n

_symbol_cache: dict[str, sympy.Symbol] = {}


def symbol(name: str) -> sympy.Symbol:
    """Every variable is real: |x|' is sign(x), and √(x²) is |x|, as on a number line."""
    sym = _symbol_cache.get(name)
    if sym is None:
        sym = _symbol_cache[name] = sympy.Symbol(name, real=True)
    return sym


def _constant_size(node: sympy.Expr) -> float | None:
    """log10 of |node| when it is a plain number, else None."""
    if node.is_Rational:
        p, q = abs(int(node.p)), int(node.q)
        if p == 0:
            return -math.inf
        return (p.bit_length() - q.bit_length()) * math.log10(2)
    return None


def _power(base: sympy.Expr, exponent: sympy.Expr) -> sympy.Expr:
    if exponent.is_Rational and abs(exponent) > MAX_EXPONENT:
        raise MathError(f"the exponent {exponent if len(str(exponent)) < 30 else 'given'} is too large "
                        f"(the limit is {MAX_EXPONENT:,})")
    size = _constant_size(base)
    if size is not None and exponent.is_Rational and size * abs(float(exponent)) > MAX_RESULT_DIGITS:
        raise MathError(f"{base}^{exponent} is too large to work with (over {MAX_RESULT_DIGITS:,} digits)")
    return sympy.Pow(base, exponent)


def to_sympy(node: Node, evaluate: bool = True, display: bool = False):
    """The SymPy form of a tree. `evaluate=False` keeps the learner's structure (log(0) stays
    log(0)); `display=True` also shows decimals as decimals instead of exact fractions."""
    with sympy.core.parameters.evaluate(evaluate):
        return _build(node, display=display)


def _decimal(node: Num):
    mantissa = node.text.lower().lstrip("-").split("e")[0].replace(".", "").lstrip("0")
    dps = max(1, len(mantissa))
    with mpmath.workdps(dps + 5):
        value = mpmath.mpf(node.value.numerator) / node.value.denominator
    return sympy.Float(value, dps)


def _terms(node: Node) -> list[tuple[int, Node]]:
    """The signed terms of a left-nested chain a ± b ± c..., walked without recursion."""
    terms: list[tuple[int, Node]] = []
    while isinstance(node, BinOp) and node.op in "+-":
        terms.append((1 if node.op == "+" else -1, node.right))
        node = node.left
    terms.append((1, node))
    return terms[::-1]


def _build(node: Node, display: bool = False):
    if isinstance(node, Num):
        value: Fraction = node.value
        if display and ("." in node.text or "e" in node.text.lower()):
            return _decimal(node)
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(node, Var):
        return symbol(node.name)
    if isinstance(node, Const):
        return sympy.pi if node.name == "pi" else sympy.E
    if isinstance(node, Neg):
        return -_build(node.operand, display)
    if isinstance(node, BinOp) and node.op in "+-":
        # A sum is one flat Add, however many terms: a nested chain would make printing recurse
        # once per term (a 200-term sum is a valid answer).
        return sympy.Add(*[term if sign > 0 else sympy.Mul(-1, term)
                           for sign, term in ((s, _build(t, display)) for s, t in _terms(node))])
    if isinstance(node, BinOp):
        left, right = _build(node.left, display), _build(node.right, display)
        if node.op == "*":
            return sympy.Mul(left, right)
        if display and left == 1:
            return sympy.Pow(right, -1)  # shows 1/(2√x), not 1⋅1/(2√x)
        return sympy.Mul(left, sympy.Pow(right, -1))
    if isinstance(node, Pow):
        return _power(_build(node.base, display), _build(node.exponent, display))
    if isinstance(node, Call):
        args = [_build(a, display) for a in node.args]
        if not node.known:
            return sympy.Function(node.func)(*args)
        return BUILDERS[node.func](*args)
    if isinstance(node, Vector):
        return [_build(item, display) for item in node.items]
    if isinstance(node, Relation):
        return [_build(o, display) for o in node.operands]
    raise TypeError(node)
