"""Properties over random expressions: every rewrite of an expression is accepted, and a small
change to it is not."""

from __future__ import annotations

import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tutor.checking import ExerciseSpec, check
from tutor.mathlang.build import symbol

x = symbol("x")

LEAVES = st.sampled_from(["x", "2", "3", "1/2", "pi", "x^2", "(x + 1)"])
UNARY = st.sampled_from(["sin", "cos", "exp", "atan", "sqrt(1 + ({})^2)"])


def _wrap(fn: str, inner: str) -> str:
    return fn.format(inner) if "{}" in fn else f"{fn}({inner})"


expressions = st.recursive(
    LEAVES,
    lambda children: st.one_of(
        st.tuples(children, st.sampled_from(["+", "-", "*"]), children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(UNARY, children).map(lambda t: _wrap(*t)),
    ),
    max_leaves=6,
)


def to_answer(expr) -> str:
    """SymPy's own output, rewritten into the answer language (** and exp are both accepted)."""
    return sympy.sstr(expr).replace("E", "e")


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(expressions, st.sampled_from(["expand", "factor", "simplify", "trigsimp", "together"]))
def test_rewritten_forms_are_equivalent(text, how):
    spec = ExerciseSpec("expression", answer=text)
    reference = check(spec, text)
    # Towers such as exp(exp(exp(x))) overflow everywhere: no points, nothing to compare.
    assume(reference.diagnosis != "broken-exercise")
    assert reference.status == "correct", reference.message
    from tutor.mathlang import parse

    rewritten = getattr(sympy, how)(parse(text).to_sympy())
    verdict = check(spec, to_answer(rewritten))
    assert verdict.status == "correct", (text, to_answer(rewritten), verdict.message)


@SETTINGS
@given(expressions, st.sampled_from(["1e-6", "1e-9", "1/1000"]), st.sampled_from(["", "*x", "*x^2"]))
def test_a_small_change_is_caught(text, epsilon, factor):
    spec = ExerciseSpec("expression", answer=text)
    assume(check(spec, text).status == "correct")
    verdict = check(spec, f"{text} + {epsilon}{factor}")
    assert verdict.status == "incorrect", (text, verdict.message)


@SETTINGS
@given(expressions)
def test_derivative_of_random_expression_is_accepted_in_sympy_form(text):
    from tutor.mathlang import parse

    derivative = sympy.diff(parse(text).to_sympy(), x)
    spec = ExerciseSpec("derivative", function=text)
    verdict = check(spec, to_answer(derivative))
    assume(verdict.diagnosis != "broken-exercise")
    assert verdict.status == "correct", (text, to_answer(derivative), verdict.message)
