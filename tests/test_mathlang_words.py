"""Formulas read aloud: unambiguous words for every node of the answer language."""

from __future__ import annotations

import pytest

from tutor.mathlang import parse, parse_formula
from tutor.mathlang.words import in_words

NAMES = ("x", "y", "z", "a", "b", "c", "n", "w0", "y_hat")


@pytest.mark.parametrize("text, words", [
    ("x^2*sin(x)", "x squared times the sine of x"),
    ("x^3", "x cubed"),
    ("x^n", "x to the power n"),
    ("e^(-x^2/2)", "e to the power minus x squared over 2, end power"),
    ("exp(-z)", "e to the minus z"),
    ("1/(1 + exp(-z))", "1 over the quantity 1 plus e to the minus z, end quantity"),
    ("(x+1)^2", "the quantity x plus 1, end quantity squared"),
    ("a - (b + c)", "a minus the quantity b plus c, end quantity"),
    ("a - b + c", "a minus b plus c"),
    ("(x+1)/(x-1)", "the quantity x plus 1, end quantity over the quantity x minus 1, end quantity"),
    ("sqrt(x+1)", "the square root of the quantity x plus 1, end quantity"),
    ("log(x, 2)", "the log base 2 of x"),
    ("ln(x)", "the natural log of x"),
    ("max(0, x)", "the maximum of 0 and x, end maximum"),
    ("|x|", "the absolute value of x"),
    ("2x + 1", "2 x plus 1"),
    ("y_hat - y", "y hat minus y"),
    ("w0*x", "w 0 times x"),
    ("[1, 2, 3]", "the vector 1, 2, 3, end vector"),
    ("[[1, 2], [3, 4]]", "the matrix with 2 rows, row 1: 1, 2; row 2: 3, 4; end matrix"),
])
def test_words(text, words):
    assert in_words(parse(text, NAMES).tree) == words


def test_grouping_words_tell_apart_what_the_picture_tells_apart():
    # (a + b)·c and a + b·c look different on paper; they must sound different too.
    assert in_words(parse("(a+b)*c", NAMES).tree) != in_words(parse("a+b*c", NAMES).tree)
    assert in_words(parse("1/(x+1)", NAMES).tree) != in_words(parse("1/x+1", NAMES).tree)
    assert in_words(parse("e^(x+1)", NAMES).tree) != in_words(parse("e^x+1", NAMES).tree)


def test_relations_in_a_math_block():
    assert in_words(parse_formula("f(x) = x^2").tree) == "f of x equals x squared"
