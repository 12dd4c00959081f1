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


# -- issue 11: differences sampling alone would miss are refused; rewrites are accepted -------------------

BASES = st.sampled_from(["x^2 + 1", "sin(x)", "exp(x/3)", "x^3 - x", "atan(x)", "cos(2x) + x", "1/(1 + x^2)",
                         "sqrt(x^2 + 4)", "x e^(-x^2)", "ln(x^2 + 1)"])
CENTRES = st.fractions(min_value=-60, max_value=60, max_denominator=1000)
SIZES = st.sampled_from(["1", "1/1000", "10^-6"])


def _refused(answer_text: str, reference: str, kind: str = "expression") -> None:
    spec = ExerciseSpec(kind, answer=reference) if kind == "expression" else ExerciseSpec(kind, function=reference)
    verdict = check(spec, answer_text)
    assert verdict.status == "incorrect", (reference, answer_text, verdict.message)


@SETTINGS
@given(BASES, st.sampled_from([10, 100, 1000, 1024]), SIZES)
def test_a_term_zero_on_a_grid_is_refused(base, n, size):
    _refused(f"{base} + {size}*sin({n} pi x)", base)


@SETTINGS
@given(BASES, CENTRES, st.sampled_from(["1/100", "1/10", "1", "3"]), SIZES)
def test_a_term_zero_outside_a_window_is_refused(base, centre, width, size):
    c = f"({centre.numerator}/{centre.denominator})"
    _refused(f"{base} + {size}*relu({width} - |x - {c}|)", base)


@SETTINGS
@given(BASES, st.sampled_from(["1e-21", "1e-25", "1e-30", "1e-60", "3e-22"]), st.sampled_from(["", "*x", "*x^2"]))
def test_a_difference_below_1e_20_relative_is_refused(base, epsilon, factor):
    _refused(f"({base})*(1 + {epsilon}{factor})", base)
    _refused(f"{base} + {epsilon}{factor}", base)


@SETTINGS
@given(BASES, CENTRES, SIZES)
def test_an_antiderivative_with_a_jump_is_refused(base, centre, size):
    """F + k·step(x - c) has the derivative of F wherever it has one."""
    from tutor.mathlang import parse

    integrand = to_answer(sympy.diff(parse(base).to_sympy(), x))
    c = f"({centre.numerator}/{centre.denominator})"
    _refused(f"{base} + {size}*step(x - {c})", integrand, "antiderivative")
    _refused(f"{base} + {size}*sign(x - {c})", integrand, "antiderivative")


INNER = st.sampled_from(["x", "2x", "x^2", "x + 1", "3 - x", "x/2", "x^3 - x"])
IDENTITIES = st.sampled_from([
    ("sin({u})^2 + cos({v})^2 - cos({v})^2", "sin({u})^2"),
    ("sin({u})^2", "1 - cos({u})^2"),
    ("sin(2({u}))", "2 sin({u}) cos({u})"),
    ("cos(2({u}))", "1 - 2 sin({u})^2"),
    ("cos({u} + {v})", "cos({u}) cos({v}) - sin({u}) sin({v})"),
    ("exp({u} + {v})", "exp({u}) exp({v})"),
    ("ln(exp({u}))", "{u}"),
    ("ln(({u})^2 + 1) + ln(({v})^2 + 1)", "ln((({u})^2 + 1)(({v})^2 + 1))"),
    ("ln(({u})^2 + 1)^2", "(ln(({u})^2 + 1))^2"),
    ("cosh({u})^2 - sinh({u})^2", "1"),
    ("tanh({u})", "sinh({u})/cosh({u})"),
    ("sqrt(({u})^2)", "|{u}|"),
    ("({u} + {v})^2", "({u})^2 + 2({u})({v}) + ({v})^2"),
    ("2^({u})", "e^(({u}) ln(2))"),
    ("sigmoid({u})", "1/(1 + e^(-({u})))"),
    ("softplus({u})", "ln(1 + exp({u}))"),
    ("1/(1 + ({u})^2)", "1/(({u})^2 + 1)"),
])
IMPLICIT = st.sampled_from([("2*x*y^3", "2xy^3"), ("x*y^2", "xy^2"), ("x*exp(x)", "xe^x"), ("x*y", "xy"),
                            ("x^2*y", "x^2y"), ("x*sin(x)", "xsin(x)"), ("x*y^2*exp(x)", "xy^2 e^x"),
                            ("2*x*exp(-x^2)", "2xe^(-x^2)"), ("x/2", "½x"), ("x*y", "x∙y")])


@SETTINGS
@given(IDENTITIES, INNER, INNER, st.integers(-3, 3), st.integers(-3, 3))
def test_identities_are_accepted(identity, u, v, k, m):
    left, right = (side.format(u=u, v=v) for side in identity)
    k = k or 1
    spec = ExerciseSpec("expression", answer=f"{k}*({left}) + {m}")
    verdict = check(spec, f"{k}({right}) + {m}")
    assert verdict.status == "correct", (left, right, verdict.message)


@SETTINGS
@given(IMPLICIT, st.integers(1, 5))
def test_implicit_products_are_accepted(pair, k):
    explicit, implicit = pair
    spec = ExerciseSpec("expression", answer=f"{k}*{explicit}", variables=("x", "y"))
    verdict = check(spec, f"{k}*{implicit}" if k != 1 else implicit)
    assert verdict.status == "correct", (explicit, implicit, verdict.message)
