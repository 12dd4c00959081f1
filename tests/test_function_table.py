"""One function table for every evaluator: each function of the answer language builds in SymPy,
and the 40-digit checker and the NumPy plotter agree on its values and on where it is undefined."""

from __future__ import annotations

import math

import pytest
import sympy

from tutor.checking.numeval import Evaluation, Undefined, evaluate
from tutor.mathlang import parse
from tutor.mathlang.build import symbol
from tutor.mathlang.names import FUNCTIONS
from tutor.mathlang.table import BUILDERS, TABLE
from tutor.plots.vectorize import vectorize

x = symbol("x")
CANONICAL = sorted({canonical for canonical, _arities in FUNCTIONS.values()})
POINTS = [-3.5, -1.25, -0.5, -1e-3, 0.0, 0.75, 1.0, 2.5, 40.0]


def test_every_function_of_the_language_is_built_and_evaluated_from_the_table():
    for name in CANONICAL:
        assert name in BUILDERS, name
        arguments = (x, sympy.Integer(3)) if name in ("max", "min") else (x,)
        built = BUILDERS[name](*arguments)
        functions = {node.func for node in sympy.preorder_traversal(built) if isinstance(node, sympy.Function)}
        functions |= {built.func} if built.func in (sympy.Max, sympy.Min) else set()
        assert all(f in TABLE for f in functions), (name, functions)


@pytest.mark.parametrize("name", [n for n in CANONICAL if n not in ("max", "min")])
def test_checker_and_plotter_agree(name):
    expr = parse(f"{name}(x)").to_sympy()
    plotted = vectorize(expr, [x])
    for point in POINTS:
        try:
            exact = float(evaluate(expr, Evaluation({x: sympy.Rational(point).limit_denominator(10**6)})))
        except Undefined:
            exact = math.nan
        fast = plotted.at(point)
        if math.isnan(exact) or math.isnan(fast):
            assert math.isnan(exact) and math.isnan(fast), (name, point, exact, fast)
        else:
            assert fast == pytest.approx(exact, rel=1e-9, abs=1e-12), (name, point)


def test_step_of_zero_is_one_half_everywhere():
    expr = parse("step(x)").to_sympy()
    assert float(evaluate(expr, Evaluation({x: sympy.Integer(0)}))) == 0.5
    assert vectorize(expr, [x]).at(0.0) == 0.5
