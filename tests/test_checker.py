"""The checker's verdicts: every kind, every diagnosis, and the precision rules."""

from __future__ import annotations

import pytest

from tutor.checking import ExerciseSpec, Mistake, check, preview, self_check


def d(function: str, **kw) -> ExerciseSpec:
    return ExerciseSpec("derivative", function=function, **kw)


def verdict(spec, answer):
    return check(spec, answer)


# -- derivative -------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("function", "answer", "kw"),
    [
        ("sin(x^3)", "3x^2 cos(x^3)", {}),
        ("sin(x^3)", "3x²·cos(x³)", {}),
        ("x^2*exp(x)", "exp(x)*(x^2 + 2*x)", {}),
        ("x^2*exp(x)", "2x e^x + x^2 e^x", {}),
        ("ln(cos(x))", "-tan(x)", {"domain": "-pi/2 < x < pi/2"}),
        ("ln(cos(x))", "-sin(x)/cos(x)", {"domain": "-pi/2 < x < pi/2"}),
        ("sqrt(x)", "0.5x^(-0.5)", {"domain": "x > 0"}),
        ("sqrt(x)", "1/(2√x)", {"domain": "x > 0"}),
        ("sigmoid(x)", "sigmoid(x)(1 - sigmoid(x))", {}),
        ("sigmoid(x)", "exp(-x)/(1 + exp(-x))^2", {}),
        ("(x^2 + 1)/(x - 1)", "(x^2 - 2x - 1)/(x - 1)^2", {"domain": "x != 1"}),
        ("x^4 - 4x^3", "12x^2 - 24x", {"order": 2}),
        ("relu(x)", "step(x)", {}),
        ("abs(x)", "sign(x)", {}),
        ("2^x", "2^x ln(2)", {}),
        ("log10(x)", "1/(x ln(10))", {"domain": "x > 0"}),
    ],
)
def test_equivalent_forms_are_accepted(function, answer, kw):
    v = verdict(d(function, **kw), answer)
    assert v.status == "correct", v.message


@pytest.mark.parametrize(
    ("function", "answer", "diagnosis", "kw"),
    [
        ("sin(x^3)", "cos(x^3)", "missing-inner-derivative", {}),
        ("(1 + x^2)^10", "10(1 + x^2)^9", "missing-inner-derivative", {}),
        ("exp(x^2)", "exp(x^2)", "not-differentiated", {}),
        ("sin(x^3)", "-3x^2 cos(x^3)", "sign", {}),
        ("sin(x^3)", "6x^2 cos(x^3)", "constant-factor", {}),
        ("x^3", "x^4/4", "integrated", {}),
        ("x^3", "6x", "second-derivative", {}),
        ("x^2 exp(x)", "2x e^x", "product-rule", {}),
        ("(x^2 + 1)/(x - 1)", "(x^2 + 1 - 2x(x - 1))/(x - 1)^2", "quotient-rule-reversed", {"domain": "x != 1"}),
        ("x^2 y^3", "3x^2 y^2", "wrong-variable", {"var": "x", "variables": ("x", "y")}),
        ("x^2 exp(x)", "x^2 e^x + 2x e^x + 1", "constant-offset", {}),
        ("x^4", "12x^2 + 1", "constant-offset", {"order": 2}),
        ("x^4", "4x^3", "lower-order", {"order": 2}),
    ],
)
def test_mistakes_are_named(function, answer, diagnosis, kw):
    v = verdict(d(function, **kw), answer)
    assert v.status == "incorrect"
    assert v.diagnosis == diagnosis, v.message
    assert v.counterexample is not None
    assert "at x = " in v.counterexample.text


def test_counterexample_reports_both_values():
    v = verdict(d("x^2"), "x")
    c = v.counterexample
    assert c.answer_value is not None and c.expected_value != c.answer_value
    x = float(c.point["x"])
    assert float(c.answer_value) == pytest.approx(x, rel=1e-5)
    assert float(c.expected_value) == pytest.approx(2 * x, rel=1e-5)
    assert "the derivative is" in c.text


def test_answer_undefined_where_the_reference_is_defined_differs():
    v = verdict(d("x^2"), "2x + ln(x) - ln(x^2)/2")  # equals 2x where x > 0, undefined elsewhere
    assert v.status == "incorrect"
    assert "undefined" in v.message


def test_author_mistakes_take_priority():
    spec = d("sin(x^3)", mistakes=(Mistake("3*x^2*cos(3*x^2)", "Keep x³ inside the cosine."),))
    v = verdict(spec, "3x^2 cos(3x^2)")
    assert v.diagnosis == "author"
    assert v.message.startswith("Keep x³ inside the cosine.")


def test_decimals_are_exact_in_expression_kinds():
    spec = ExerciseSpec("expression", answer="x^2/3")
    assert verdict(spec, "0.333333333333333x^2").status == "incorrect"
    assert verdict(spec, "0.333333333333333x^2").diagnosis == "inexact-decimal"
    assert verdict(spec, "x²/3").status == "correct"


def test_high_degree_polynomial_constant_term_is_caught():
    poly = " + ".join(f"{k + 1}*x^{k}" for k in range(14))
    spec = ExerciseSpec("expression", answer=poly)
    assert verdict(spec, poly).status == "correct"
    assert verdict(spec, poly + " + 1").status == "incorrect"


def test_tiny_difference_is_caught():
    spec = ExerciseSpec("expression", answer="exp(x)")
    assert verdict(spec, "exp(x) + 10^-12 x").status == "incorrect"


def test_verdicts_are_reproducible():
    a = verdict(d("sin(x^3)"), "cos(x^3)")
    b = verdict(d("sin(x^3)"), "cos(x^3)")
    assert a.counterexample == b.counterexample


def test_expression_in_several_variables():
    spec = ExerciseSpec("expression", answer="-9*x/(4*y)", variables=("x", "y"), domain="y > 0")
    assert verdict(spec, "-9x/(4y)").status == "correct"
    assert verdict(spec, "9x/(4y)").diagnosis == "sign"
    assert verdict(spec, "-9x/(4t)").status == "invalid"


def test_interpreted_and_pretty_are_always_shown():
    v = verdict(d("x^2"), "2 x")
    assert v.interpreted == "2·x"
    assert v.pretty == "2⋅x"
    invalid = verdict(d("x^2"), "2x +")
    assert invalid.status == "invalid" and invalid.interpreted == ""


# -- antiderivative ---------------------------------------------------------------------------------

@pytest.mark.parametrize("answer", ["x^2", "x^2 + C", "x^2 + c", "x^2 + 7", "x·x - 3"])
def test_any_constant_of_integration(answer):
    assert verdict(ExerciseSpec("antiderivative", function="2x"), answer).status == "correct"


def test_antiderivative_diagnoses():
    spec = ExerciseSpec("antiderivative", function="x^2")
    assert verdict(spec, "2x").diagnosis == "differentiated"
    assert verdict(spec, "x^2").diagnosis == "integrand-returned"
    assert verdict(spec, "x^3").diagnosis == "constant-factor"
    assert verdict(spec, "x^3/3 C").diagnosis == "constant-misplaced"


def test_antiderivative_must_be_defined_on_the_domain():
    spec = ExerciseSpec("antiderivative", function="1/x")
    assert verdict(spec, "ln|x|").status == "correct"
    assert not any("ln|…|" in note for note in verdict(spec, "ln|x|").notes)
    # Undefined on part of an interval where the integrand is defined: wrong.
    assert verdict(ExerciseSpec("antiderivative", function="1"), "x + ln(x^2) - 2ln(x)").diagnosis == \
        "undefined-on-domain"
    assert verdict(ExerciseSpec("antiderivative", function="1"), "x + sqrt(x) - sqrt(-x)").status == "incorrect"
    assert verdict(ExerciseSpec("antiderivative", function="1/x", domain="x > 0"), "ln(x)").status == "correct"


def test_declared_c_is_not_a_constant_of_integration():
    spec = ExerciseSpec("antiderivative", function="c*x", var="x", variables=("x", "c"))
    assert verdict(spec, "c x^2/2").status == "correct"
    assert verdict(spec, "c x^2/2 + C").status == "correct"


# -- numeric ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("answer", ["60", "60.0", "120/2", "60.004", "6e1"])
def test_numeric_accepts_within_default_tolerance(answer):
    assert verdict(ExerciseSpec("numeric", answer="60"), answer).status == "correct"


@pytest.mark.parametrize("answer", ["3e", "3*e", "8.15485", "3 exp(1)"])
def test_numeric_accepts_closed_forms(answer):
    assert verdict(ExerciseSpec("numeric", answer="8.15485"), answer).status == "correct"


def test_numeric_diagnoses():
    spec = ExerciseSpec("numeric", answer="60")
    assert verdict(spec, "-60").diagnosis == "sign"
    assert verdict(spec, "6").diagnosis == "power-of-ten"
    assert verdict(spec, "59.9").diagnosis == "precision"
    assert verdict(spec, "17").diagnosis is None


def test_numeric_tolerances():
    tight = ExerciseSpec("numeric", answer="4.00001", rel_tol=1e-7)
    assert verdict(tight, "4").status == "incorrect"
    assert verdict(tight, "4.00001").status == "correct"
    zero = ExerciseSpec("numeric", answer="0", abs_tol=1e-6)
    assert verdict(zero, "0.0000005").status == "correct"
    assert verdict(zero, "0.00001").status == "incorrect"
    loose = ExerciseSpec("numeric", answer="6.71678e-4", rel_tol=1e-3)
    assert verdict(loose, "0.000672").status == "correct"


def test_numeric_refuses_variables_and_undefined_values():
    spec = ExerciseSpec("numeric", answer="1")
    assert "this answer is a number" in verdict(spec, "x").message
    for text in ("1/0", "0/0", "log(0)", "sqrt(-1)"):
        v = verdict(spec, text)
        assert v.status == "invalid", text
        assert "no value" in v.message


# -- vector and matrix ------------------------------------------------------------------------------

def test_vector_names_the_wrong_entries():
    spec = ExerciseSpec("vector", answer="[-4, -2, 0, 2, 4]")
    assert verdict(spec, "[-4, -2, 0, 2, 4]").status == "correct"
    v = verdict(spec, "[-4, -2, 1, 2, 5]")
    assert v.status == "incorrect"
    assert [e.correct for e in v.entries] == [True, True, False, True, False]
    assert "entry 3, entry 5" in v.message


def test_vector_shape_mismatch_is_invalid():
    v = verdict(ExerciseSpec("vector", answer="[1, 2, 3]"), "[1, 2]")
    assert v.status == "invalid"
    assert "3 entries" in v.message


def test_vector_sign_diagnosis():
    assert verdict(ExerciseSpec("vector", answer="[1, 2]"), "[-1, -2]").diagnosis == "sign"


def test_symbolic_vector_and_matrix():
    grad = ExerciseSpec("vector", answer="[2x, 6y]", variables=("x", "y"))
    assert verdict(grad, "[2x, 6y]").status == "correct"
    assert verdict(grad, "[2x, 6x]").entries[1].correct is False
    hess = ExerciseSpec("matrix", answer="[[2, 0], [0, 6]]")
    v = verdict(hess, "[[2, 0], [0, 5]]")
    assert v.status == "incorrect" and "row 2, column 2" in v.message


# -- choice -----------------------------------------------------------------------------------------

def test_choice():
    spec = ExerciseSpec("choice", answer="b", options=("one", "two", "three"),
                        option_feedback=(("c", "Three is too many."),))
    for text in ("b", "B", "(b)", "b)", "2", "two"):
        assert verdict(spec, text).status == "correct", text
    wrong = verdict(spec, "c")
    assert wrong.status == "incorrect" and "Three is too many." in wrong.message
    assert verdict(spec, "z").status == "invalid"


# -- exercise self-check ----------------------------------------------------------------------------

def test_self_check_finds_broken_exercises():
    assert self_check(d("sin(x^3)", answer="3x^2 cos(x^3)")) == []
    assert "rejected by its own checker" in self_check(d("sin(x^3)", answer="cos(x^3)"))[0]
    assert "does not parse" in self_check(d("sin(x^3"))[0]
    accepted = self_check(d("x^2", answer="2x", mistakes=(Mistake("x + x", "no"),)))
    assert "is accepted by the checker" in accepted[0]
    assert "only" in self_check(ExerciseSpec("expression", answer="sqrt(x - 5000)"))[0]
    assert self_check(ExerciseSpec("expression", answer="sqrt(x - 100)", domain="x > 100")) == []
    assert "not one of the options" in self_check(ExerciseSpec("choice", answer="d", options=("a", "b")))[0]


def test_preview_reads_without_judging():
    v = preview("2x sin x", ("x",))
    assert v.interpreted == "2·x·sin(x)"
    assert "sin x is read as sin(x)" in v.notes[0]
    bad = preview("2x + )", ("x",))
    assert bad.status == "invalid" and bad.error_column == 6


def test_vector_mistakes_are_named():
    spec = ExerciseSpec("matrix", answer="[[1, 2], [3, 4]]",
                        mistakes=(Mistake("[[1, 3], [2, 4]]", "That is the transpose."),))
    v = verdict(spec, "[[1, 3], [2, 4]]")
    assert v.diagnosis == "author" and v.message.startswith("That is the transpose.")
    assert "row 1, column 2" in v.message
    assert verdict(spec, "[[1, 3], [2, 5]]").diagnosis is None
    assert "is accepted" in self_check(ExerciseSpec("vector", answer="[1, 2]", mistakes=(Mistake("[1, 2.0]", "x"),)))[0]


def test_power_rule_exponent_not_lowered():
    v = verdict(d("3x^4 - 2x^2 + 7x - 1"), "12x^4 - 4x^2 + 7x")
    assert v.diagnosis == "power-not-lowered"


def test_an_antiderivative_mistake_is_named_for_the_answer_itself_up_to_a_constant():
    spec = ExerciseSpec(kind="antiderivative", function="sin(x)", answer="-cos(x)",
                        mistakes=(Mistake("cos(x)", "Sign error."), Mistake("-sin(x)", "You differentiated.")))
    assert verdict(spec, "cos(x) + 5").message.startswith("Sign error.")
    assert verdict(spec, "-sin(x)").message.startswith("You differentiated.")
    # An answer that is neither gets neither message.
    other = verdict(spec, "x^2")
    assert "Sign error" not in other.message and "You differentiated" not in other.message
