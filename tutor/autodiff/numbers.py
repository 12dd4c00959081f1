"""Reading the number a learner types for a step: "0.814505", "-8", "cos(1.25)*exp(sin(1.25))".

Parsed by the answer language over no variables, so only numbers and constants are allowed.
Most answers are plain numbers or use functions a graph knows, and are computed by the engine's
tree walk; anything else (tan, erf...) goes to the checker's 40-digit evaluator, which needs
SymPy and so is only imported then.
"""

from __future__ import annotations

import math

from tutor.autodiff import walk
from tutor.autodiff.engine import DomainError
from tutor.mathlang import MathError, parse
from tutor.mathlang.ast import Num, Vector

REL_TOL = 1e-4
ABS_TOL = 1e-9


class NoValue(ArithmeticError):
    """The text parses but has no real, finite value (log(0), 1/0...)."""


def read_number(text: str) -> float:
    """The value of `text`. Raises MathError (does not parse) or NoValue."""
    parsed = parse(text, ())
    tree = parsed.tree
    if isinstance(tree, Vector):
        raise MathError("one number per step, not a list")
    if isinstance(tree, Num):
        return float(tree.value)
    try:
        return walk.to_value(tree, {}).data
    except (walk.Unsupported, DomainError):
        pass  # a function graphs lack, or sqrt(0) whose *derivative* the engine refuses
    from tutor.checking.numeval import Evaluation, Undefined, evaluate

    try:
        value = float(evaluate(parsed.to_sympy(evaluate=False), Evaluation({})))
    except Undefined as err:
        raise NoValue(err.reason) from err
    except (ZeroDivisionError, OverflowError, ValueError) as err:
        raise NoValue(str(err) or type(err).__name__) from err
    if not math.isfinite(value):
        raise NoValue("too large to compute")
    return value


def close(value: float, expected: float, rel: float = REL_TOL, abs_: float = ABS_TOL) -> bool:
    """Within `rel` of the expected value, or within `abs_` of it near zero."""
    return abs(value - expected) <= max(rel * abs(expected), abs_)


def fmt(x: float) -> str:
    """Six significant figures, as the lessons print numbers: 2.58309, -0.8, 4.68273e-6."""
    if x == 0:
        return "0"
    text = f"{x:.6g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa}e{int(exponent)}"
    return text
