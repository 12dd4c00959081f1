"""The autodiff engine: every op's local derivative against SymPy, and the backward pass."""

from __future__ import annotations

import math
import random

import pytest
import sympy

from tutor.autodiff import engine
from tutor.autodiff.engine import DomainError, Value, backward, topological_order

a_, b_ = sympy.symbols("a b", real=True)
_sig = lambda t: 1 / (1 + sympy.exp(-t))  # noqa: E731

# op -> (SymPy formula over a (and b), sampler of a point where the op is smooth)
UNARY_CASES = {
    "neg": (-a_, lambda r: r.uniform(-5, 5)),
    "exp": (sympy.exp(a_), lambda r: r.uniform(-5, 5)),
    "log": (sympy.log(a_), lambda r: r.uniform(0.05, 10)),
    "sin": (sympy.sin(a_), lambda r: r.uniform(-5, 5)),
    "cos": (sympy.cos(a_), lambda r: r.uniform(-5, 5)),
    "tanh": (sympy.tanh(a_), lambda r: r.uniform(-4, 4)),
    "sigmoid": (_sig(a_), lambda r: r.uniform(-6, 6)),
    "relu": (sympy.Max(0, a_), lambda r: r.choice([-1, 1]) * r.uniform(0.01, 5)),
    "softplus": (sympy.log(1 + sympy.exp(a_)), lambda r: r.uniform(-6, 6)),
    "sqrt": (sympy.sqrt(a_), lambda r: r.uniform(0.05, 10)),
    "abs": (sympy.Abs(a_), lambda r: r.choice([-1, 1]) * r.uniform(0.01, 5)),
}
BINARY_CASES = {
    "add": (a_ + b_, lambda r: (r.uniform(-5, 5), r.uniform(-5, 5))),
    "sub": (a_ - b_, lambda r: (r.uniform(-5, 5), r.uniform(-5, 5))),
    "mul": (a_ * b_, lambda r: (r.uniform(-5, 5), r.uniform(-5, 5))),
    "div": (a_ / b_, lambda r: (r.uniform(-5, 5), r.choice([-1, 1]) * r.uniform(0.2, 5))),
    "max": (sympy.Max(a_, b_), lambda r: (lambda x: (x, x + r.choice([-1, 1]) * r.uniform(0.01, 3)))(r.uniform(-5, 5))),
    "min": (sympy.Min(a_, b_), lambda r: (lambda x: (x, x + r.choice([-1, 1]) * r.uniform(0.01, 3)))(r.uniform(-5, 5))),
    "sqerr": ((a_ - b_) ** 2, lambda r: (r.uniform(-5, 5), r.uniform(-5, 5))),
    "bce": (-(b_ * sympy.log(a_) + (1 - b_) * sympy.log(1 - a_)), lambda r: (r.uniform(0.02, 0.98), r.uniform(0, 1))),
    "bce_logits": (-(b_ * sympy.log(_sig(a_)) + (1 - b_) * sympy.log(1 - _sig(a_))),
                   lambda r: (r.uniform(-6, 6), r.uniform(0, 1))),
}


def _num(expr, point: dict) -> float:
    return float(expr.subs(point).evalf(30))


def test_every_op_is_tested():
    assert set(engine.OPS) == set(UNARY_CASES) | set(BINARY_CASES) | {"pow"}


@pytest.mark.parametrize("op", sorted(UNARY_CASES))
def test_unary_local_derivative_matches_sympy(op):
    formula, draw = UNARY_CASES[op]
    fn = engine.OPS[op][0]
    rng = random.Random(op)
    derivative = sympy.diff(formula, a_)
    for _ in range(20):
        x = draw(rng)
        out = fn(Value(x))
        assert out.data == pytest.approx(_num(formula, {a_: x}), rel=1e-12, abs=1e-12)
        assert out.local[0] == pytest.approx(_num(derivative, {a_: x}), rel=1e-10, abs=1e-12)
        assert out.op == op


@pytest.mark.parametrize("op", sorted(BINARY_CASES))
def test_binary_local_derivatives_match_sympy(op):
    formula, draw = BINARY_CASES[op]
    fn = engine.OPS[op][0]
    rng = random.Random(op)
    da, db = sympy.diff(formula, a_), sympy.diff(formula, b_)
    for _ in range(20):
        x, y = draw(rng)
        out = fn(Value(x), Value(y))
        point = {a_: x, b_: y}
        assert out.data == pytest.approx(_num(formula, point), rel=1e-10, abs=1e-12)
        assert out.local[0] == pytest.approx(_num(da, point), rel=1e-9, abs=1e-12)
        assert out.local[1] == pytest.approx(_num(db, point), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("k", [2, 3, -1, -2, 0.5, 1.5, 1, 0])
def test_pow_local_derivative_matches_sympy(k):
    formula = a_ ** sympy.nsimplify(k)
    derivative = sympy.diff(formula, a_)
    rng = random.Random(str(k))
    for _ in range(10):
        x = rng.uniform(0.1, 4) if not float(k).is_integer() else rng.choice([-1, 1]) * rng.uniform(0.1, 4)
        out = engine.pow_(Value(x), k)
        assert out.data == pytest.approx(_num(formula, {a_: x}), rel=1e-12)
        assert out.local[0] == pytest.approx(_num(derivative, {a_: x}), rel=1e-10, abs=1e-12)
        assert out.params == (float(k),)


def test_micrograd_example_accumulates_over_two_uses():
    # autodiff lesson: c = a·b, d = c + b with a = 2, b = 3.
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    c = a * b
    d = c + b
    terms = d.backward()
    assert (c.data, d.data) == (6, 9)
    assert (d.grad, c.grad, a.grad, b.grad) == (1, 1, 3, 3)
    into_b = [t.amount for t in terms if t.parent is b]
    assert sorted(into_b) == [1, 2]  # one contribution through d, one through c: summed with +=


def test_the_same_value_twice_in_one_op():
    x = Value(3.0)
    f = x * x + x  # autodiff/e3: f = x·x + x at x = 3 gives 7
    backward(f)
    assert f.data == 12 and x.grad == 7


def test_graph1_of_the_syllabus():
    x, y = Value(2.0), Value(3.0)
    t = x * y + 1
    loss = t * t
    backward(loss)
    assert (loss.data, x.grad, y.grad) == (49, 42, 28)


def test_backward_twice_gives_the_same_grads():
    x = Value(1.5)
    f = engine.sin(x * x)
    backward(f)
    first = x.grad
    backward(f)
    assert x.grad == first


def test_topological_order_puts_parents_first():
    a, b = Value(1.0), Value(2.0)
    c = a + b
    d = c * a
    e = engine.exp(d) - c
    order = topological_order(e)
    position = {id(v): i for i, v in enumerate(order)}
    for v in order:
        for p in v.parents:
            assert position[id(p)] < position[id(v)]
    assert order[-1] is e and len(order) == 6


def test_a_long_chain_does_not_hit_the_recursion_limit():
    x = Value(0.5)
    v = x
    for _ in range(5000):
        v = v * 1.0001
    backward(v)
    assert x.grad == pytest.approx(1.0001**5000)


def test_bce_from_logits_is_stable_and_has_the_famous_gradient():
    out = engine.bce_logits(Value(800.0), Value(0.0))
    assert out.data == pytest.approx(800.0)
    assert out.local[0] == pytest.approx(1.0)
    z, y = 0.5, 1.0
    logits = engine.bce_logits(Value(z), Value(y))
    prob = engine.bce(engine.sigmoid(Value(z)), Value(y))
    assert logits.data == pytest.approx(prob.data)
    assert logits.local[0] == pytest.approx(1 / (1 + math.exp(-z)) - y)  # σ(z) − y


def test_sqerr_is_one_op():
    a, b = Value(0.6), Value(1.0)
    loss = engine.sqerr(a, b)
    backward(loss)
    assert loss.op == "sqerr" and loss.data == pytest.approx(0.16)
    assert a.grad == pytest.approx(-0.8) and b.grad == pytest.approx(0.8)


def test_kink_conventions():
    assert engine.relu(Value(0.0)).local == (0.0,)
    assert engine.abs_(Value(0.0)).local == (0.0,)
    assert engine.maximum(Value(1.0), Value(1.0)).local == (1.0, 0.0)


@pytest.mark.parametrize("make", [
    lambda: engine.log(Value(0.0)),
    lambda: engine.log(Value(-1.0)),
    lambda: engine.div(Value(1.0), Value(0.0)),
    lambda: engine.sqrt(Value(-1.0)),
    lambda: engine.pow_(Value(-2.0), 0.5),
    lambda: engine.pow_(Value(0.0), -1),
    lambda: engine.exp(Value(1e6)),
    lambda: engine.bce(Value(1.0), Value(1.0)),
])
def test_undefined_values_raise_domain_error(make):
    with pytest.raises(DomainError):
        make()


def test_operators_accept_plain_numbers():
    x = Value(2.0)
    f = 3 - x / 4 + 2 * x**2 - (-x)
    backward(f)
    assert f.data == pytest.approx(3 - 0.5 + 8 + 2)
    assert x.grad == pytest.approx(-0.25 + 8 + 1)
