"""Name the mistake: wrong answers that match a known slip of the derivative rules.

Each candidate is an expression built from the exercise's function; a wrong answer that agrees
with a candidate at every sample point gets that candidate's message.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy

from tutor.checking.compare import Probe, agrees, constant_offset, constant_ratio, nice_number


@dataclass(frozen=True)
class Diagnosis:
    code: str
    message: str


@dataclass(frozen=True)
class Candidate:
    code: str
    message: str
    expr: object


def _without_inner_derivative(f, x):
    """f's derivative with the chain rule's inner factor left out: outer'(inner) for outer(inner)."""
    if not f.has(x):
        return sympy.S.Zero
    if f.is_Add:
        return sympy.Add(*[_without_inner_derivative(t, x) for t in f.args])
    if f.is_Mul:
        const, rest = f.as_independent(x, as_Add=False)
        if const != 1:
            return const * _without_inner_derivative(rest, x)
        return sympy.diff(f, x)  # a product of several factors: the product rule, not the chain rule
    if f.is_Pow:
        base, exponent = f.args
        if not exponent.has(x) and base != x:
            return exponent * base ** (exponent - 1)
        if exponent.has(x) and not base.has(x) and exponent != x:
            return f * sympy.log(base)
        return sympy.diff(f, x)
    if isinstance(f, sympy.Function) and len(f.args) == 1 and f.args[0] != x:
        u = sympy.Dummy("u", real=True)
        return sympy.diff(f.func(u), u).subs(u, f.args[0])
    return sympy.diff(f, x)


def _product_of_derivatives(f, x):
    """f'·g' for a product f·g: the classic wrong product rule."""
    if not f.is_Mul:
        return None
    const, rest = f.as_independent(x, as_Add=False)
    factors = sympy.Mul.make_args(rest)
    if len(factors) < 2:
        return None
    result = const
    for factor in factors:
        result *= sympy.diff(factor, x)
    return result


@lru_cache(maxsize=256)
def derivative_candidates(f, x, order: int, others: tuple, derivative) -> tuple[Candidate, ...]:
    """The slips worth naming for d^order f / dx^order (`derivative`), built once per exercise:
    they cost more SymPy work than the check itself."""
    out = [Candidate("not-differentiated", "That is the function itself; it still needs differentiating.", f)]
    if order == 1:
        out.append(Candidate("second-derivative",
                             "That is the second derivative; the exercise asks for the first.",
                             sympy.diff(derivative, x)))
        out.append(Candidate("missing-inner-derivative",
                             "You took the outer derivative but forgot to multiply by the derivative of the "
                             "inside (the chain rule's inner factor).", _without_inner_derivative(f, x)))
        if f.is_polynomial(x):
            # x·f' turns each n·x^(n-1) back into n·x^n: the exponent was never lowered.
            out.append(Candidate("power-not-lowered",
                                 "You multiplied by the exponent but did not lower it by one: "
                                 "d/dx xⁿ = n·xⁿ⁻¹.", sympy.expand(x * derivative)))
        product = _product_of_derivatives(f, x)
        if product is not None:
            out.append(Candidate("product-rule",
                                 "The derivative of a product is not the product of the derivatives: "
                                 "(f·g)' = f'·g + f·g'.", product))
    else:
        out.append(Candidate("lower-order",
                             f"That is the first derivative; the exercise asks for derivative number {order}.",
                             sympy.diff(f, x)))
    for y in others:
        out.append(Candidate("wrong-variable",
                             f"That is the derivative with respect to {y}; the exercise asks for it with "
                             f"respect to {x}.", sympy.diff(f, y, order)))
    return tuple(out)


def find(candidates: list[Candidate], answer_values: list, probe: Probe) -> Diagnosis | None:
    """The first candidate whose values equal the answer's at every point."""
    for candidate in candidates:
        if candidate.expr is None:
            continue
        try:
            if agrees(candidate.expr, probe, answer_values):
                return Diagnosis(candidate.code, candidate.message)
        except (TypeError, ValueError):
            continue
    return None


def shape_of_error(answer_values: list, expected: list, what: str, quotient: bool = False,
                   has_decimals: bool = False) -> Diagnosis | None:
    """Sign, constant factor or additive constant between the answer and the reference.
    With decimals in the answer, a factor or offset within 1% is a rounding, not a wrong constant."""
    k = constant_ratio(answer_values, expected)
    if k is not None:
        if k == -1:
            if quotient:
                return Diagnosis("quotient-rule-reversed",
                                 "Your answer is the negative of the derivative: the quotient rule's numerator "
                                 "is f'·g − f·g', and you have it the other way round.")
            return Diagnosis("sign", f"Your answer is the negative of {what}: check the signs.")
        if abs(k - 1) < (1e-2 if has_decimals else 1e-3):
            return Diagnosis("inexact-decimal", "Very close, but not exact: a rounded decimal such as 0.3333 "
                                                "is not 1/3. Type exact fractions and constants.")
        if k != 0:
            return Diagnosis("constant-factor", f"Your answer is {nice_number(k)} times {what}: "
                                                 "a constant factor is off.")
    c = constant_offset(answer_values, expected)
    scale = max([abs(e) for e in expected if not isinstance(e, Exception)] + [1])
    if c is not None and (abs(c) < 1e-6 or has_decimals and abs(c) < 1e-2 * scale):
        return Diagnosis("inexact-decimal", "Very close, but not exact: a rounded decimal is not the exact "
                                            "value. Type exact fractions and constants.")
    if c is not None:
        return Diagnosis("constant-offset", f"Your answer differs from {what} by the constant {nice_number(c)}.")
    return None
