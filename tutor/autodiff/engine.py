"""A small reverse-mode autodiff engine in the spirit of micrograd, on plain floats.

Each `Value` remembers the values it was computed from (`parents`) and, computed once in the
forward pass, the local derivative of itself with respect to each of them (`local`). A backward
pass walks the graph from the output in reverse topological order and *adds* upstream × local
into each parent's `grad`: a value that feeds several nodes must collect a contribution from
every one of them, which is exactly the step hand-written backprop forgets. `backward` returns
those contributions so the learner can see the sum being built.

Local derivatives are stored as numbers rather than closures: they only depend on forward
values, and numbers can be shown, compared and tested.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Union


class DomainError(ArithmeticError):
    """An operation has no real, finite value (or derivative) at these inputs."""


@dataclass(eq=False)  # hashed by identity: a graph is a web of distinct objects
class Value:
    data: float
    parents: tuple[Value, ...] = ()
    local: tuple[float, ...] = ()  # ∂self/∂parents[i], fixed by the forward pass
    op: str = ""  # "" for a leaf (an input or a constant)
    label: str = ""
    grad: float = field(default=0.0, compare=False)
    params: tuple[float, ...] = ()  # constant settings of the op, e.g. the exponent of pow

    def __post_init__(self) -> None:
        self.data = _finite(float(self.data), self.op or "value")

    def __repr__(self) -> str:
        name = f"{self.label}=" if self.label else ""
        return f"Value({name}{self.data:.6g}, op={self.op or 'leaf'}, grad={self.grad:.6g})"

    # micrograd-style operators, so tests and examples read like the maths
    def __add__(self, other: Operand) -> Value:
        return add(self, other)

    def __radd__(self, other: Operand) -> Value:
        return add(other, self)

    def __sub__(self, other: Operand) -> Value:
        return sub(self, other)

    def __rsub__(self, other: Operand) -> Value:
        return sub(other, self)

    def __mul__(self, other: Operand) -> Value:
        return mul(self, other)

    def __rmul__(self, other: Operand) -> Value:
        return mul(other, self)

    def __truediv__(self, other: Operand) -> Value:
        return div(self, other)

    def __rtruediv__(self, other: Operand) -> Value:
        return div(other, self)

    def __pow__(self, k: float) -> Value:
        return pow_(self, k)

    def __neg__(self) -> Value:
        return neg(self)

    def backward(self) -> list[Contribution]:
        return backward(self)


Operand = Union[Value, float, int]


def _finite(x: float, what: str) -> float:
    if not math.isfinite(x):
        raise DomainError(f"{what}: the result is too large or undefined")
    return x


def const(x: float, label: str = "") -> Value:
    return Value(float(x), label=label or f"{x:g}")


def _v(x: Operand) -> Value:
    return x if isinstance(x, Value) else const(x)


def _make(op: str, data: float, parents: tuple[Value, ...], local: tuple[float, ...],
          params: tuple[float, ...] = ()) -> Value:
    local = tuple(_finite(float(d), f"the derivative of {op}") for d in local)
    return Value(data, parents, local, op, params=params)


# -- the ops: each computes its value and its local derivatives ------------------------------

def add(a: Operand, b: Operand) -> Value:
    a, b = _v(a), _v(b)
    return _make("add", a.data + b.data, (a, b), (1.0, 1.0))


def sub(a: Operand, b: Operand) -> Value:
    a, b = _v(a), _v(b)
    return _make("sub", a.data - b.data, (a, b), (1.0, -1.0))


def mul(a: Operand, b: Operand) -> Value:
    a, b = _v(a), _v(b)
    # Each input's local derivative is the *other* input.
    return _make("mul", a.data * b.data, (a, b), (b.data, a.data))


def div(a: Operand, b: Operand) -> Value:
    a, b = _v(a), _v(b)
    if b.data == 0:
        raise DomainError("division by zero")
    return _make("div", a.data / b.data, (a, b), (1 / b.data, -a.data / b.data**2))


def pow_(a: Operand, k: float) -> Value:
    """a^k for a constant exponent k (a variable exponent is exp(k·log a))."""
    a = _v(a)
    k = float(k)
    if a.data < 0 and not k.is_integer():
        raise DomainError("a negative number to a fractional power")
    if a.data == 0 and k < 1 and k != 0:
        raise DomainError("division by zero" if k < 0 else f"x^{k:g} has no derivative at 0")
    try:
        out = a.data**k
        local = k * a.data ** (k - 1) if k != 0 else 0.0
    except (OverflowError, ZeroDivisionError) as exc:
        raise DomainError("too large to compute") from exc
    return _make("pow", out, (a,), (local,), params=(k,))


def neg(a: Operand) -> Value:
    a = _v(a)
    return _make("neg", -a.data, (a,), (-1.0,))


def exp(a: Operand) -> Value:
    a = _v(a)
    try:
        out = math.exp(a.data)
    except OverflowError as exc:
        raise DomainError("exp: too large to compute") from exc
    return _make("exp", out, (a,), (out,))  # (eᵘ)' = eᵘ: reuse the forward value


def log(a: Operand) -> Value:
    a = _v(a)
    if a.data <= 0:
        raise DomainError("logarithm of a number ≤ 0")
    return _make("log", math.log(a.data), (a,), (1 / a.data,))


def sin(a: Operand) -> Value:
    a = _v(a)
    return _make("sin", math.sin(a.data), (a,), (math.cos(a.data),))


def cos(a: Operand) -> Value:
    a = _v(a)
    return _make("cos", math.cos(a.data), (a,), (-math.sin(a.data),))


def tanh(a: Operand) -> Value:
    a = _v(a)
    t = math.tanh(a.data)
    return _make("tanh", t, (a,), (1 - t * t,))


def _sigmoid(x: float) -> float:
    # Two branches keep exp from overflowing for large |x|.
    if x >= 0:
        return 1 / (1 + math.exp(-x))
    e = math.exp(x)
    return e / (1 + e)


def sigmoid(a: Operand) -> Value:
    a = _v(a)
    s = _sigmoid(a.data)
    return _make("sigmoid", s, (a,), (s * (1 - s),))


def relu(a: Operand) -> Value:
    a = _v(a)
    # At exactly 0 the derivative is taken as 0, as PyTorch does.
    return _make("relu", max(a.data, 0.0), (a,), (1.0 if a.data > 0 else 0.0,))


def softplus(a: Operand) -> Value:
    a = _v(a)
    out = max(a.data, 0.0) + math.log1p(math.exp(-abs(a.data)))
    return _make("softplus", out, (a,), (_sigmoid(a.data),))


def sqrt(a: Operand) -> Value:
    a = _v(a)
    if a.data < 0:
        raise DomainError("square root of a negative number")
    if a.data == 0:
        raise DomainError("√ has no derivative at 0")
    r = math.sqrt(a.data)
    return _make("sqrt", r, (a,), (1 / (2 * r),))


def abs_(a: Operand) -> Value:
    a = _v(a)
    # sign(x), with 0 at the kink (PyTorch's convention).
    return _make("abs", abs(a.data), (a,), (math.copysign(1.0, a.data) if a.data else 0.0,))


def maximum(a: Operand, b: Operand) -> Value:
    a, b = _v(a), _v(b)
    # The larger input gets the whole gradient; a tie goes to the first.
    first = a.data >= b.data
    return _make("max", max(a.data, b.data), (a, b), (1.0, 0.0) if first else (0.0, 1.0))


def minimum(a: Operand, b: Operand) -> Value:
    a, b = _v(a), _v(b)
    first = a.data <= b.data
    return _make("min", min(a.data, b.data), (a, b), (1.0, 0.0) if first else (0.0, 1.0))


def sqerr(a: Operand, b: Operand) -> Value:
    """Squared error (a − b)² as one op: ∂/∂a = 2(a − b), ∂/∂b = −2(a − b)."""
    a, b = _v(a), _v(b)
    d = a.data - b.data
    return _make("sqerr", d * d, (a, b), (2 * d, -2 * d))


def bce(p: Operand, y: Operand) -> Value:
    """Binary cross-entropy from a probability: −(y·ln p + (1 − y)·ln(1 − p))."""
    p, y = _v(p), _v(y)
    if not 0 < p.data < 1:
        raise DomainError("binary cross-entropy needs 0 < p < 1")
    out = -(y.data * math.log(p.data) + (1 - y.data) * math.log1p(-p.data))
    dp = -y.data / p.data + (1 - y.data) / (1 - p.data)
    dy = math.log1p(-p.data) - math.log(p.data)
    return _make("bce", out, (p, y), (dp, dy))


def bce_logits(z: Operand, y: Operand) -> Value:
    """Binary cross-entropy from a logit z, p = σ(z), written so that large |z| cannot overflow:
    max(z, 0) − z·y + ln(1 + e^(−|z|)). Its z-derivative is the famous σ(z) − y."""
    z, y = _v(z), _v(y)
    out = max(z.data, 0.0) - z.data * y.data + math.log1p(math.exp(-abs(z.data)))
    return _make("bce_logits", out, (z, y), (_sigmoid(z.data) - y.data, -z.data))


# name -> (function, number of Value arguments); pow takes a float exponent as a second argument.
OPS: dict[str, tuple[Callable[..., Value], int]] = {
    "add": (add, 2), "sub": (sub, 2), "mul": (mul, 2), "div": (div, 2), "pow": (pow_, 1),
    "neg": (neg, 1), "exp": (exp, 1), "log": (log, 1), "sin": (sin, 1), "cos": (cos, 1),
    "tanh": (tanh, 1), "sigmoid": (sigmoid, 1), "relu": (relu, 1), "softplus": (softplus, 1),
    "sqrt": (sqrt, 1), "abs": (abs_, 1), "max": (maximum, 2), "min": (minimum, 2),
    "sqerr": (sqerr, 2), "bce": (bce, 2), "bce_logits": (bce_logits, 2),
}


# -- the passes ----------------------------------------------------------------------------------

def topological_order(root: Value) -> list[Value]:
    """Every value `root` depends on, each after all of its parents (root last).

    Iterative depth-first search: a long chain must not hit Python's recursion limit.
    """
    order: list[Value] = []
    seen: set[int] = set()
    stack: list[tuple[Value, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        # Reversed so that the first parent is visited first, as a recursive DFS would.
        for parent in reversed(node.parents):
            if id(parent) not in seen:
                stack.append((parent, False))
    return order


@dataclass(frozen=True)
class Contribution:
    """One term of a backward pass: `upstream · local` added to `parent.grad` through `child`."""

    child: Value
    parent: Value
    slot: int  # which argument of `child` the parent is (x·x has the same parent twice)
    upstream: float  # ∂out/∂child
    local: float  # ∂child/∂parent

    @property
    def amount(self) -> float:
        return self.upstream * self.local


def backward(root: Value) -> list[Contribution]:
    """Fill `grad` of every value under `root` with ∂root/∂value; return each term added.

    Grads are reset first (unlike micrograd) so a second call gives the same numbers; within one
    pass they accumulate with += over every use of a value.
    """
    order = topological_order(root)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    terms: list[Contribution] = []
    for node in reversed(order):
        for slot, (parent, local) in enumerate(zip(node.parents, node.local)):
            term = Contribution(node, parent, slot, node.grad, local)
            parent.grad += term.amount  # += : a value used twice collects both contributions
            terms.append(term)
    return terms

