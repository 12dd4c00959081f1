"""From an answer-language tree to engine Values: a walk over the parsed tree, never eval.

The same walk serves three purposes: the forward value of a lesson's formula, the local
derivatives of a named node (a backward pass through the little graph of its formula), and the
value of a number a learner types ("cos(1.25)*2.58309").
"""

from __future__ import annotations

import math
from typing import Mapping

from tutor.autodiff import engine
from tutor.autodiff.engine import Value
from tutor.mathlang.ast import BinOp, Call, Const, Neg, Node, Num, Pow, Relation, Var, Vector, names_in

# Answer-language functions a graph can hold (canonical names from tutor.mathlang.names).
UNARY = {
    "exp": engine.exp, "log": engine.log, "sin": engine.sin, "cos": engine.cos, "tanh": engine.tanh,
    "sigmoid": engine.sigmoid, "relu": engine.relu, "softplus": engine.softplus, "sqrt": engine.sqrt,
    "abs": engine.abs_,
}
BINARY = {"max": engine.maximum, "min": engine.minimum}
BINOPS = {"+": engine.add, "-": engine.sub, "*": engine.mul, "/": engine.div}
SUPPORTED = ("exp", "log (ln)", "log10", "log2", "sin", "cos", "tanh", "sigmoid (σ)", "relu", "softplus",
             "sqrt (√)", "abs", "max", "min", "powers with a constant exponent")


class Unsupported(ValueError):
    """The tree uses something a computation graph here cannot hold (tan, vectors, x^y...)."""


def unsupported_function(name: str) -> Unsupported:
    return Unsupported(f"{name} is not available in backprop graphs; they support " + ", ".join(SUPPORTED))


def constant(tree: Node) -> bool:
    return not names_in(tree)


def to_value(tree: Node, env: Mapping[str, Value]) -> Value:
    """Build `tree` out of engine ops over the Values in `env`. Raises engine.DomainError where a
    value is undefined and Unsupported for what graphs do not hold."""
    if isinstance(tree, Num):
        return engine.const(float(tree.value), tree.text)
    if isinstance(tree, Const):
        return engine.const(math.pi if tree.name == "pi" else math.e, "π" if tree.name == "pi" else "e")
    if isinstance(tree, Var):
        try:
            return env[tree.name]
        except KeyError:
            raise Unsupported(f"no value for {tree.name}") from None
    if isinstance(tree, Neg):
        return engine.neg(to_value(tree.operand, env))
    if isinstance(tree, BinOp):
        return BINOPS[tree.op](to_value(tree.left, env), to_value(tree.right, env))
    if isinstance(tree, Pow):
        return _power(tree, env)
    if isinstance(tree, Call):
        return _call(tree, env)
    if isinstance(tree, Vector):
        raise Unsupported("a node holds one number, not a vector: give each entry its own node")
    if isinstance(tree, Relation):
        raise Unsupported("a formula is an expression, not an equation or a condition")
    raise Unsupported(f"cannot build {type(tree).__name__}")


def _power(tree: Pow, env: Mapping[str, Value]) -> Value:
    if constant(tree.exponent):
        k = to_value(tree.exponent, {}).data
        return engine.pow_(to_value(tree.base, env), k)
    if isinstance(tree.base, Const) and tree.base.name == "E":
        return engine.exp(to_value(tree.exponent, env))  # e^u is exp(u)
    raise Unsupported("a power with a variable exponent is not supported here: write a^b as exp(b*log(a))")


def _call(tree: Call, env: Mapping[str, Value]) -> Value:
    if not tree.known:
        raise unsupported_function(f"the unknown function {tree.func}")
    args = tree.args
    if tree.func in UNARY and len(args) == 1:
        return UNARY[tree.func](to_value(args[0], env))
    if tree.func in BINARY and len(args) == 2:
        return BINARY[tree.func](to_value(args[0], env), to_value(args[1], env))
    # Logarithms to another base are ln(x)/ln(b) for a constant base b.
    bases = {"log10": 10.0, "log2": 2.0}
    if tree.func in bases and len(args) == 1:
        return engine.div(engine.log(to_value(args[0], env)), math.log(bases[tree.func]))
    if tree.func == "log" and len(args) == 2:
        if not constant(args[1]):
            raise Unsupported("the base of a logarithm must be a number")
        base = to_value(args[1], {}).data
        if base <= 0 or base == 1:
            raise engine.DomainError("a logarithm base must be positive and not 1")
        return engine.div(engine.log(to_value(args[0], env)), math.log(base))
    raise unsupported_function(tree.func)


def check_supported(tree: Node) -> None:
    """Raise Unsupported for a tree that a graph cannot hold, without computing anything."""
    if isinstance(tree, (Num, Const, Var)):
        return
    if isinstance(tree, Vector):
        raise Unsupported("a node holds one number, not a vector: give each entry its own node")
    if isinstance(tree, Relation):
        raise Unsupported("a formula is an expression, not an equation or a condition")
    if isinstance(tree, Call):
        ok = tree.known and (tree.func in UNARY or tree.func in BINARY or tree.func in ("log10", "log2")
                             or tree.func == "log" and len(tree.args) == 2 and constant(tree.args[1]))
        if not ok:
            raise unsupported_function(tree.func if tree.known else f"the unknown function {tree.func}")
        children: tuple[Node, ...] = tree.args
    elif isinstance(tree, Pow):
        if not constant(tree.exponent) and not (isinstance(tree.base, Const) and tree.base.name == "E"):
            raise Unsupported("a power with a variable exponent is not supported here: "
                              "write a^b as exp(b*log(a))")
        children = (tree.base, tree.exponent)
    elif isinstance(tree, Neg):
        children = (tree.operand,)
    elif isinstance(tree, BinOp):
        children = (tree.left, tree.right)
    else:
        raise Unsupported(f"cannot build {type(tree).__name__}")
    for child in children:
        check_supported(child)


def parents_in(tree: Node) -> tuple[str, ...]:
    """Names in order of first appearance (left to right), the order a learner reads them."""
    found: list[str] = []

    def visit(node: Node) -> None:
        if isinstance(node, Var):
            if node.name not in found:
                found.append(node.name)
        elif isinstance(node, Call):
            for a in node.args:
                visit(a)
        elif isinstance(node, BinOp):
            visit(node.left)
            visit(node.right)
        elif isinstance(node, Neg):
            visit(node.operand)
        elif isinstance(node, Pow):
            visit(node.base)
            visit(node.exponent)
        elif isinstance(node, (Vector, Relation)):
            for item in node.items if isinstance(node, Vector) else node.operands:
                visit(item)

    visit(tree)
    return tuple(found)


_OP_OF_BINOP = {"+": "add", "-": "sub", "*": "mul", "/": "div"}


def single_op(tree: Node) -> str | None:
    """The engine op when `tree` is one operation on names and numbers (a·b, sin(u), x^2), else None."""
    def leafish(node: Node) -> bool:
        return isinstance(node, Var) or constant(node)

    if isinstance(tree, BinOp) and leafish(tree.left) and leafish(tree.right):
        return _OP_OF_BINOP[tree.op]
    if isinstance(tree, Neg) and isinstance(tree.operand, Var):
        return "neg"
    if isinstance(tree, Pow) and leafish(tree.base) and leafish(tree.exponent):
        if constant(tree.exponent):
            return "pow"
        if isinstance(tree.base, Const) and tree.base.name == "E" and isinstance(tree.exponent, Var):
            return "exp"
    if isinstance(tree, Call) and tree.known and all(leafish(a) for a in tree.args):
        if tree.func in UNARY or tree.func in BINARY:
            return tree.func
    return None
