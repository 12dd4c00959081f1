"""Every rule of the answer language: what each form is read as, and what is refused."""

from __future__ import annotations

import pytest
import sympy

from tutor.mathlang import MathError, parse, parse_conditions, parse_formula
from tutor.mathlang.build import symbol

x, y, n = symbol("x"), symbol("y"), symbol("n")


def read(text: str, variables=("x",)):
    return parse(text, variables).to_sympy()


def same(a, b) -> bool:
    return sympy.simplify(a - b) == 0


@pytest.mark.parametrize(
    ("text", "variables", "expected"),
    [
        ("2", ("x",), sympy.Integer(2)),
        ("2.5", ("x",), sympy.Rational(5, 2)),
        ("1e-3", ("x",), sympy.Rational(1, 1000)),
        ("9.9485e-3", ("x",), sympy.Rational(99485, 10**7)),
        ("1/2", ("x",), sympy.Rational(1, 2)),
        ("0.333", ("x",), sympy.Rational(333, 1000)),  # decimals are exact, never floats
        ("pi", ("x",), sympy.pi),
        ("π", ("x",), sympy.pi),
        ("e", ("x",), sympy.E),
        ("x + 1 - 2", ("x",), x - 1),
        ("x * 3 / 2", ("x",), 3 * x / 2),
        ("x ^ 3", ("x",), x**3),
        ("x ** 3", ("x",), x**3),
        ("x · y × 2 ÷ 4 − 1", ("x", "y"), x * y / 2 - 1),
        ("x²", ("x",), x**2),
        ("x³ + x⁻¹", ("x",), x**3 + 1 / x),
        ("xⁿ", ("x", "n"), x**n),
        ("2x", ("x",), 2 * x),
        ("2 x", ("x",), 2 * x),
        ("x sin(x)", ("x",), x * sympy.sin(x)),
        ("2(x+1)", ("x",), 2 * x + 2),
        ("(x+1)(x-1)", ("x",), x**2 - 1),
        ("3e^x", ("x",), 3 * sympy.exp(x)),
        ("e^x", ("x",), sympy.exp(x)),
        ("exp(x)", ("x",), sympy.exp(x)),
        ("3e", ("x",), 3 * sympy.E),
        ("2.5e^2", ("x",), sympy.Rational(5, 2) * sympy.exp(2)),
        ("e^(-2)", ("x",), sympy.exp(-2)),
        ("-x^2", ("x",), -(x**2)),
        ("2^3^2", ("x",), sympy.Integer(512)),  # right-associative
        ("2^-x", ("x",), 2 ** (-x)),
        ("1/2x", ("x",), x / 2),  # left to right: (1/2)·x
        ("sin^2(x)", ("x",), sympy.sin(x) ** 2),
        ("sin²x", ("x",), sympy.sin(x) ** 2),
        ("sin x", ("x",), sympy.sin(x)),
        ("sin x^2", ("x",), sympy.sin(x**2)),
        ("cosx", ("x",), sympy.cos(x)),
        ("xy", ("x", "y"), x * y),
        ("xcosx", ("x",), x * sympy.cos(x)),
        ("sec(x) + csc(x) + cot(x)", ("x",), sympy.sec(x) + sympy.csc(x) + sympy.cot(x)),
        ("asin(x) + arcsin(x)", ("x",), 2 * sympy.asin(x)),
        ("acos(x) + arccos(x) + atan(x) + arctan(x)", ("x",), 2 * sympy.acos(x) + 2 * sympy.atan(x)),
        ("sinh(x) + cosh(x) + tanh(x) + sech(x)", ("x",),
         sympy.sinh(x) + sympy.cosh(x) + sympy.tanh(x) + sympy.sech(x)),
        ("ln(x) - log(x)", ("x",), sympy.Integer(0)),
        ("log10(x)", ("x",), sympy.log(x) / sympy.log(10)),
        ("log2(x)", ("x",), sympy.log(x) / sympy.log(2)),
        ("log(x, 3)", ("x",), sympy.log(x) / sympy.log(3)),
        ("sqrt(x) - √x", ("x",), sympy.Integer(0)),
        ("√(x+1)", ("x",), sympy.sqrt(x + 1)),
        ("abs(x) - |x|", ("x",), sympy.Integer(0)),
        ("2|x| + |x - 1|", ("x",), 2 * sympy.Abs(x) + sympy.Abs(x - 1)),
        ("max(x, 1) + min(x, 1)", ("x",), sympy.Max(x, 1) + sympy.Min(x, 1)),
        # Issue 11: the power binds to the last letter of a run; more names and Unicode forms.
        ("xy^2", ("x", "y"), x * y**2),
        ("xy²", ("x", "y"), x * y**2),
        ("2xy^3", ("x", "y"), 2 * x * y**3),
        ("xe^x", ("x",), x * sympy.exp(x)),
        ("(xy)^2", ("x", "y"), x**2 * y**2),
        ("e⁻ˣ", ("x",), sympy.exp(-x)),
        ("e⁻²ˣ", ("x",), sympy.exp(-2 * x)),
        ("xⁿ⁻¹", ("x", "n"), x ** (n - 1)),
        ("½x + ¾", ("x",), x / 2 + sympy.Rational(3, 4)),
        ("x∙y", ("x", "y"), x * y),
        ("ln2", ("x",), sympy.log(2)),
        ("asinh(x) + arsinh(x) + arcsinh(x)", ("x",), 3 * sympy.asinh(x)),
        ("acosh(x) + arcosh(x) + arccosh(x)", ("x",), 3 * sympy.acosh(x)),
        ("atanh(x) + artanh(x) + arctanh(x)", ("x",), 3 * sympy.atanh(x)),
        ("acoth(x) + arcoth(x) + arccoth(x)", ("x",), 3 * sympy.acoth(x)),
        ("csch(x) + coth(x) + arccot(x)", ("x",), sympy.csch(x) + sympy.coth(x) + sympy.acot(x)),
    ],
)
def test_reads(text, variables, expected):
    assert same(read(text, variables), expected), text


def test_custom_ml_functions_have_their_derivatives():
    s = read("sigmoid(x)")
    assert same(sympy.diff(s, x), s * (1 - s))
    assert read("σ(x)") == s
    assert sympy.diff(read("softplus(x)"), x) == s
    assert sympy.diff(read("relu(x)"), x) == sympy.Heaviside(x)


def test_multi_letter_and_greek_variables():
    a1, z2, w1, lam, y_hat = (symbol(v) for v in ("a1", "z2", "w1", "lam", "y_hat"))
    assert read("a1 z2 + w1", ("a1", "z2", "w1")) == a1 * z2 + w1
    assert read("2 lam w1", ("lam", "w1")) == 2 * lam * w1
    assert read("λ w1", ("lam", "w1")) == lam * w1  # λ is the declared 'lam'
    assert read("y_hat - 1", ("y_hat",)) == y_hat - 1
    assert read("α + alpha", ("alpha",)) == 2 * symbol("alpha")
    assert read("θ^2", ("theta",)) == symbol("theta") ** 2


def test_declared_variable_followed_by_bracket_multiplies():
    a2 = symbol("a2")
    assert read("a2(1 - a2)", ("a2",)) == a2 * (1 - a2)


def test_sigma_is_a_variable_only_where_declared():
    sigma, z = symbol("sigma"), symbol("z")
    assert read("σ z", ("sigma", "z")) == sigma * z
    assert read("σ(z)", ("z",)) == read("sigmoid(z)", ("z",))


def test_e_declared_as_a_variable_is_that_variable():
    e = symbol("e")
    assert read("e^2", ("e",)) == e**2
    assert read("1e-3 e", ("e",)) == e / 1000  # scientific notation still wins


def test_names_are_case_sensitive():
    with pytest.raises(MathError, match="unknown name 'X'"):
        parse("X + 1", ("x",))


def test_vectors_and_matrices():
    assert read("[2x, 6y]", ("x", "y")) == [2 * x, 6 * y]
    assert read("[[2, 0], [0, 6]]") == [[2, 0], [0, 6]]
    assert parse("[1, 2]").is_vector


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("t + x", "unknown name 't'; this exercise uses x and y"),
        ("2x + ) ", "unexpected ')' at column 6"),
        ("(x + 1", "expected ')' to close the '(' at column 1"),
        ("x +", "ends too early"),
        ("", "empty"),
        ("2 3", "two numbers in a row"),
        ("diff(x^2, x)", "'diff' is not allowed"),
        ("Derivative(x, x)", "'Derivative' is not allowed"),
        ("integrate(x)", "'integrate' is not allowed"),
        ("Integral(x)", "'Integral' is not allowed"),
        ("subs(x, 1)", "'subs' is not allowed"),
        ("y = 2x", "'=' at column 3 is not allowed"),
        ("sin^-1(x)", "ambiguous"),
        ("sin", "needs an argument"),
        ("max(x)", "max takes 2 arguments"),
        ("x, y", "a vector is typed [a, b]"),
        ("f'(x)", "'"),
        ("x$", "unexpected character '$' at column 2"),
    ],
)
def test_refusals_say_what_and_where(text, message):
    with pytest.raises(MathError) as info:
        parse(text, ("x", "y"))
    assert message in info.value.message


def test_error_caret_points_at_the_column():
    with pytest.raises(MathError) as info:
        parse("2x + ) ", ("x",))
    assert info.value.column == 6
    assert info.value.caret() == "2x + ) \n     ^"


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("sin x", "sin x is read as sin(x)"),
        ("sin 2x", "sin(2)·x"),
        ("xy", "'xy' is read as x·y"),
        ("cosx", "'cosx' is read as cos(x)"),
        ("sin^2(x)", "(sin(…))^2"),
        ("e^2x", "(e^2)·x"),
    ],
)
def test_reading_rules_are_visible_as_notes(text, note):
    parsed = parse(text, ("x", "y"))
    assert any(note in n for n in parsed.notes), parsed.notes


def test_interpreted_makes_every_product_explicit():
    assert parse("2x sin x").interpreted == "2·x·sin(x)"
    assert parse("(x+1)(x-1)").interpreted == "(x + 1)·(x - 1)"
    assert parse("x - (x - 1)").interpreted == "x - (x - 1)"
    assert parse("|x|").interpreted == "|x|"


def test_formula_lines_allow_any_names_and_equations():
    parsed = parse_formula("sigmoid(z) = 1/(1 + exp(-z))")
    left, right = parsed.to_sympy()
    assert same(left.rewrite(sympy.exp), right)
    f_of_g = parse_formula("f(g(x))").to_sympy()
    assert isinstance(f_of_g.func, sympy.core.function.UndefinedFunction)


def test_conditions():
    relations = parse_conditions("x > 0, -pi/2 < y < pi/2, x != 1", ("x", "y"))
    assert [r.ops for r in relations] == [(">",), ("<", "<"), ("!=",)]
    with pytest.raises(MathError):
        parse_conditions("x + 1", ("x",))


def test_accented_letters_name_decorated_variables():
    assert parse("ŷ - y", ("y_hat", "y")).interpreted == "y_hat - y"
    assert parse("y\u0302", ("y_hat",)).interpreted == "y_hat"  # y + combining circumflex
    assert parse("x̄", ("x_bar",)).interpreted == "x_bar"
    with pytest.raises(MathError):
        parse("ŷ", ("y",))


def test_a_power_after_a_run_of_letters_is_explained():
    notes = parse("xy^2", ("x", "y")).notes
    assert any("x·y^2" in note and "last letter" in note for note in notes)


def test_subscript_digits_are_part_of_a_name_and_braces_group():
    assert parse("z₁ + w₁₀", ("z1", "w10")).interpreted == "z1 + w10"
    assert same(read("e^{x+1}"), read("e^(x+1)"))
    with pytest.raises(MathError, match="close the '[{]'"):
        parse("{x", ("x",))


@pytest.mark.parametrize("text, shown", [
    ("-[0.6, 0.8]", "[-0.6, -0.8]"),
    ("2*[1, x]", "[2·1, 2·x]"),
    ("[1, x]*2", "[1·2, x·2]"),
    ("[6, 8]/10", "[6/10, 8/10]"),
    ("[1, 2] + [3, 4]", "[1 + 3, 2 + 4]"),
    ("-[[1, 2], [3, 4]]", "[[-1, -2], [-3, -4]]"),
])
def test_arithmetic_on_a_vector_is_done_entry_by_entry(text, shown):
    assert parse(text, ("x",)).interpreted == shown


@pytest.mark.parametrize("text", ["sin([1, 2])", "[1, 2]*[3, 4]", "[1, 2]^2", "[1, 2] + [1, 2, 3]", "[1, 2] + 1"])
def test_other_uses_of_a_vector_are_refused_with_a_message(text):
    with pytest.raises(MathError, match="vector"):
        parse(text, ("x",))
