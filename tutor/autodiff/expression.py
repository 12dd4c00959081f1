"""A typed expression as a graph with one node per operation, for the sandbox.

`L = (w*x + b - y)^2` with w = 1, x = 2, b = 1, y = 7 becomes n1 = w·x, n2 = n1 + b,
n3 = n2 - y, L = n3^2: auto names n1, n2... in the answer language, never a variable's name,
and the last node takes the name written before '=' (L when none is).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from tutor.autodiff import walk
from tutor.autodiff.graph import Graph, GraphError, Spec, build, check_name, number
from tutor.mathlang import MathError, parse
from tutor.mathlang.ast import BinOp, Call, Neg, Node, Pow, Var, names_in, render


def graph_from_expression(text: str, values: Mapping[str, Any]) -> Graph:
    """`L = (w*x + b - y)^2` with {w: 1, x: 2, b: 1, y: 7}: one node per operation, n1, n2...,
    the last named L (or as written before '='). Raises GraphError."""
    output, rhs = _split_output(text)
    names = list(values)
    for name in names:
        why = check_name(name)
        if why:
            raise GraphError(f"variable {why}")
    try:
        tree = parse(rhs, tuple(names)).tree
    except MathError as err:
        raise GraphError(f"'{rhs.strip()}' does not parse: {err.message}") from err
    try:
        walk.check_supported(tree)
    except walk.Unsupported as err:
        raise GraphError(str(err)) from err
    if isinstance(tree, Var) or not names_in(tree):
        raise GraphError("there is no operation on the variables to step through")
    output = output or _free_name("L", names)
    if output in names:
        raise GraphError(f"the result {output} has the name of a variable")
    splitter = _Splitter(taken=set(names) | {output})
    root = splitter.split(tree)
    # The last node made is the whole expression: it takes the output's name.
    last_name, last_tree = splitter.nodes.pop()
    assert root == Var(last_name)
    nodes = splitter.nodes + [(output, last_tree)]
    used = names_in(tree)
    inputs = {n: number(values[n], f"the value of {n}") for n in names if n in used}
    spec = Spec(inputs, [(n, render(t), t) for n, t in nodes], output)
    return build(spec)


def _split_output(text: str) -> tuple[str | None, str]:
    if "=" not in text:
        return None, text
    left, right = text.split("=", 1)
    name = left.strip()
    why = check_name(name)
    if why:
        raise GraphError(f"before '=' comes the name of the result: {why}")
    return name, right


def _free_name(base: str, taken) -> str:
    if base not in taken:
        return base
    k = 1
    while f"{base}{k}" in taken:
        k += 1
    return f"{base}{k}"


@dataclass
class _Splitter:
    taken: set[str]
    nodes: list[tuple[str, Node]] = field(default_factory=list)
    counter: int = 0

    def fresh(self) -> str:
        while True:
            self.counter += 1
            name = f"n{self.counter}"
            if name not in self.taken:
                self.taken.add(name)
                return name

    def split(self, tree: Node) -> Node:
        """Replace every operation on names by a new node; return what stands for `tree`."""
        if isinstance(tree, Var) or walk.constant(tree):
            return tree
        if isinstance(tree, BinOp):
            rebuilt: Node = BinOp(tree.op, self.split(tree.left), self.split(tree.right))
        elif isinstance(tree, Neg):
            rebuilt = Neg(self.split(tree.operand))
        elif isinstance(tree, Pow):
            rebuilt = Pow(self.split(tree.base), self.split(tree.exponent))
        elif isinstance(tree, Call):
            rebuilt = Call(tree.func, tuple(self.split(a) for a in tree.args), tree.known)
        else:
            raise GraphError(f"cannot split {render(tree)}")
        name = self.fresh()
        self.nodes.append((name, rebuilt))
        return Var(name)
