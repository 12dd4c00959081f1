"""The parsed answer as a small tree, independent of SymPy, and its one-line rendering."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Num:
    value: Fraction
    text: str


@dataclass(frozen=True)
class Var:
    name: str


@dataclass(frozen=True)
class Const:
    name: str  # "pi" | "E"


@dataclass(frozen=True)
class Call:
    func: str  # canonical name from names.FUNCTIONS, or an unknown function in a math block
    args: tuple[Node, ...]
    known: bool = True


@dataclass(frozen=True)
class BinOp:
    op: str  # "+", "-", "*", "/"
    left: Node
    right: Node


@dataclass(frozen=True)
class Neg:
    operand: Node


@dataclass(frozen=True)
class Pow:
    base: Node
    exponent: Node


@dataclass(frozen=True)
class Vector:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Relation:
    """`a = b`, `a < b <= c`...: operands joined by comparison operators (math blocks, domains)."""

    operands: tuple[Node, ...]
    ops: tuple[str, ...]


Node = Num | Var | Const | Call | BinOp | Neg | Pow | Vector | Relation

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}
_CONST_TEXT = {"pi": "π", "E": "e"}


def _prec(node: Node) -> int:
    if isinstance(node, BinOp):
        return _PRECEDENCE[node.op]
    if isinstance(node, Neg):
        return 2
    if isinstance(node, Pow):
        return 4
    if isinstance(node, Num) and node.value < 0:
        return 2
    return 5


def render(node: Node) -> str:
    """A one-line, fully explicit reading: every product gets a '·', every call its parentheses."""
    if isinstance(node, Num):
        return node.text
    if isinstance(node, Var):
        return node.name
    if isinstance(node, Const):
        return _CONST_TEXT[node.name]
    if isinstance(node, Call):
        inner = ", ".join(render(a) for a in node.args)
        return f"|{inner}|" if node.func == "abs" else f"{node.func}({inner})"
    if isinstance(node, Neg):
        inner = render(node.operand)
        return f"-({inner})" if _prec(node.operand) <= 1 else f"-{inner}"
    if isinstance(node, Pow):
        base = render(node.base)
        if _prec(node.base) <= 4 or isinstance(node.base, Num) and "." in node.base.text:
            base = f"({base})"
        exponent = render(node.exponent)
        if _prec(node.exponent) < 5:
            exponent = f"({exponent})"
        return f"{base}^{exponent}"
    if isinstance(node, BinOp):
        p = _PRECEDENCE[node.op]
        left = render(node.left)
        if _prec(node.left) < p:
            left = f"({left})"
        right = render(node.right)
        # Right operands of - and / need brackets at equal precedence: a - (b + c), a / (b·c).
        if _prec(node.right) < p or (_prec(node.right) == p and node.op in "-/"):
            right = f"({right})"
        symbol = {"*": "·", "/": "/", "+": " + ", "-": " - "}[node.op]
        return f"{left}{symbol}{right}"
    if isinstance(node, Vector):
        return "[" + ", ".join(render(i) for i in node.items) + "]"
    if isinstance(node, Relation):
        parts = [render(node.operands[0])]
        for op, operand in zip(node.ops, node.operands[1:]):
            parts.append(f" {op} {render(operand)}")
        return "".join(parts)
    raise TypeError(node)


def names_in(node: Node) -> set[str]:
    """Every variable name used in the tree."""
    return {n.name for n in walk(node) if isinstance(n, Var)}


def children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Call):
        return node.args
    if isinstance(node, BinOp):
        return (node.left, node.right)
    if isinstance(node, Neg):
        return (node.operand,)
    if isinstance(node, Pow):
        return (node.base, node.exponent)
    if isinstance(node, Vector):
        return node.items
    if isinstance(node, Relation):
        return node.operands
    return ()


def walk(node: Node):
    """Every node of the tree, parents before children, without recursion."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


def replace_nodes(node: Node, change) -> Node:
    """The tree with each node for which `change(node)` returns a node replaced by it."""
    new = change(node)
    if new is not None:
        return new
    if isinstance(node, Call):
        return Call(node.func, tuple(replace_nodes(a, change) for a in node.args), node.known)
    if isinstance(node, BinOp):
        return BinOp(node.op, replace_nodes(node.left, change), replace_nodes(node.right, change))
    if isinstance(node, Neg):
        return Neg(replace_nodes(node.operand, change))
    if isinstance(node, Pow):
        return Pow(replace_nodes(node.base, change), replace_nodes(node.exponent, change))
    if isinstance(node, Vector):
        return Vector(tuple(replace_nodes(i, change) for i in node.items))
    if isinstance(node, Relation):
        return Relation(tuple(replace_nodes(o, change) for o in node.operands), node.ops)
    return node


def distribute_vectors(node: Node) -> Node:
    """Fold arithmetic on vectors into their entries, as one writes on paper: −[a, b] is
    [−a, −b], 3·[a, b] and [a, b]·3 are [3a, 3b], [a, b]/2 is [a/2, b/2], and [a, b] ± [c, d] of
    the same shape is [a ± c, b ± d]. Any other use of a vector inside a formula (a vector in a
    function, a power, a product of two vectors) is a MathError that says what can be done."""
    from tutor.mathlang.errors import MathError

    def fold(current: Node) -> Node:
        if isinstance(current, Vector):
            return Vector(tuple(fold(item) for item in current.items))
        if isinstance(current, Neg):
            inner = fold(current.operand)
            return Vector(tuple(fold(Neg(i)) for i in inner.items)) if isinstance(inner, Vector) else Neg(inner)
        if isinstance(current, BinOp):
            left, right = fold(current.left), fold(current.right)
            lv, rv = isinstance(left, Vector), isinstance(right, Vector)
            if not (lv or rv):
                return BinOp(current.op, left, right)
            if current.op in "+-" and lv and rv:
                if _shape(left) != _shape(right):
                    raise MathError("the two vectors being added or subtracted have different sizes")
                return Vector(tuple(fold(BinOp(current.op, a, b)) for a, b in zip(left.items, right.items)))
            if current.op == "*" and lv != rv:
                return Vector(tuple(fold(BinOp("*", left, i) if rv else BinOp("*", i, right))
                                    for i in (right.items if rv else left.items)))
            if current.op == "/" and lv and not rv:
                return Vector(tuple(fold(BinOp("/", i, right)) for i in left.items))
            raise MathError(_VECTOR_USE)
        if isinstance(current, (Call, Pow)):
            parts = children(current)
            if any(isinstance(p, Vector) or (not isinstance(p, (Num, Var, Const)) and _has_vector(p)) for p in parts):
                raise MathError(_VECTOR_USE)
            return current
        if isinstance(current, Relation):
            return Relation(tuple(fold(o) for o in current.operands), current.ops)
        return current

    return fold(node)


_VECTOR_USE = ("a vector can be negated, multiplied or divided by a number, or added to a vector of the same "
               "size; write the result entry by entry otherwise")


def _shape(node: Node) -> tuple:
    if isinstance(node, Vector):
        return (len(node.items),) + (_shape(node.items[0]) if node.items else ())
    return ()


def _has_vector(node: Node) -> bool:
    return any(isinstance(n, Vector) for n in walk(node))
