"""A parsed formula read aloud: "x squared times the sine of x", for screen readers and the
accessible mode's preview line.

Grouping that a picture shows with a fraction bar or a raised exponent is said with "the
quantity … " (a sum inside a product) and "end power" / "end root" (where a compound exponent
or argument stops), the way spoken-math conventions such as ClearSpeak do, so the words are
never ambiguous: "1 over the quantity 1 plus e to the minus z, end power".
"""

from __future__ import annotations

from tutor.mathlang.ast import BinOp, Call, Const, Neg, Node, Num, Pow, Relation, Var, Vector

_FUNCTION_WORDS = {
    "sin": "the sine of", "cos": "the cosine of", "tan": "the tangent of", "sec": "the secant of",
    "csc": "the cosecant of", "cot": "the cotangent of", "asin": "the arcsine of",
    "acos": "the arccosine of", "atan": "the arctangent of", "acot": "the arccotangent of",
    "sinh": "the hyperbolic sine of", "cosh": "the hyperbolic cosine of",
    "tanh": "the hyperbolic tangent of", "sech": "the hyperbolic secant of",
    "csch": "the hyperbolic cosecant of", "coth": "the hyperbolic cotangent of",
    "asinh": "the inverse hyperbolic sine of", "acosh": "the inverse hyperbolic cosine of",
    "atanh": "the inverse hyperbolic tangent of", "acoth": "the inverse hyperbolic cotangent of",
    "log": "the natural log of", "log10": "the log base 10 of", "log2": "the log base 2 of",
    "sqrt": "the square root of", "abs": "the absolute value of", "sigmoid": "sigma of",
    "relu": "ReLU of", "softplus": "softplus of", "sign": "the sign of", "erf": "the error function of",
    "step": "the step function of",
}
_RELATIONS = {"=": "equals", "<": "is less than", "<=": "is at most", ">": "is greater than",
              ">=": "is at least", "!=": "is not equal to"}
_OPERATORS = {"+": "plus", "-": "minus", "*": "times", "/": "over"}
_CONSTANTS = {"pi": "pi", "E": "e"}
_POWERS = {2: "squared", 3: "cubed"}


def in_words(node: Node) -> str:
    """The whole formula as one line of words."""
    return " ".join(_say(node).split())


def _simple(node: Node) -> bool:
    """Needs no grouping words: a number, a name, a constant, or a function call."""
    if isinstance(node, Neg):
        return isinstance(node.operand, (Num, Var, Const))
    return isinstance(node, (Num, Var, Const, Call)) or (isinstance(node, Pow) and _simple(node.base))


def _say(node: Node) -> str:
    if isinstance(node, Num):
        return node.text
    if isinstance(node, Var):
        return _name(node.name)
    if isinstance(node, Const):
        return _CONSTANTS.get(node.name, node.name)
    if isinstance(node, Neg):
        return f"minus {_grouped(node.operand, sums=True)}"
    if isinstance(node, BinOp):
        return _binop(node)
    if isinstance(node, Pow):
        return _power(node)
    if isinstance(node, Call):
        return _call(node)
    if isinstance(node, Vector):
        if node.items and all(isinstance(i, Vector) for i in node.items):
            rows = "; ".join(f"row {k}: " + ", ".join(_say(c) for c in row.items)  # type: ignore[union-attr]
                             for k, row in enumerate(node.items, 1))
            return f"the matrix with {len(node.items)} rows, {rows}; end matrix"
        return "the vector " + ", ".join(_say(i) for i in node.items) + ", end vector"
    if isinstance(node, Relation):
        out = _say(node.operands[0])
        for op, operand in zip(node.ops, node.operands[1:]):
            out += f" {_RELATIONS.get(op, op)} {_say(operand)}"
        return out
    return str(node)


def _binop(node: BinOp) -> str:
    if node.op in "+-":
        # a − (b + c) needs the grouping; a + b − c does not.
        right = _grouped(node.right, sums=node.op == "-")
        return f"{_say(node.left)} {_OPERATORS[node.op]} {right}"
    if node.op == "*" and isinstance(node.left, Num) and _simple(node.right):
        return f"{node.left.text} {_say(node.right)}"  # 3 x, said as a coefficient
    if node.op == "/":
        return f"{_grouped(node.left, sums=True, products=False)} over {_grouped(node.right, sums=True, products=True)}"
    return f"{_grouped(node.left, sums=True)} times {_grouped(node.right, sums=True)}"


def _grouped(node: Node, sums: bool, products: bool = False) -> str:
    needs = (sums and (isinstance(node, BinOp) and node.op in "+-")) or \
            (products and isinstance(node, BinOp) and node.op in "*/") or \
            (sums and isinstance(node, Neg) and not _simple(node.operand))
    return f"the quantity {_say(node)}, end quantity" if needs else _say(node)


def _power(node: Pow) -> str:
    return _raised(node.base, node.exponent)


def _raised(base_node: Node, exponent: Node) -> str:
    node = Pow(base_node, exponent)
    if isinstance(node.base, Const) and node.base.name == "E":
        base = "e"
    else:
        base = _say(node.base) if _simple(node.base) and not isinstance(node.base, Pow) else \
            f"the quantity {_say(node.base)}, end quantity"
    if isinstance(exponent, Num) and exponent.value.denominator == 1 and int(exponent.value) in _POWERS:
        return f"{base} {_POWERS[int(exponent.value)]}"
    if isinstance(exponent, Num) and exponent.value == 0.5:
        return f"the square root of {base}"
    if isinstance(exponent, (Num, Var, Const)):
        return f"{base} to the power {_say(exponent)}"
    if isinstance(exponent, Neg) and isinstance(exponent.operand, (Num, Var, Const)):
        return f"{base} to the minus {_say(exponent.operand)}"
    return f"{base} to the power {_say(exponent)}, end power"


def _call(node: Call) -> str:
    if node.func == "log" and len(node.args) == 2:
        return f"the log base {_say(node.args[1])} of {_argument(node.args[0])}"
    if node.func == "exp" and len(node.args) == 1:
        return _raised(Const("E"), node.args[0])  # exp(u) is said as e to the u
    if node.func in ("max", "min") and len(node.args) == 2:
        word = "maximum" if node.func == "max" else "minimum"
        return f"the {word} of {_say(node.args[0])} and {_say(node.args[1])}, end {word}"
    words = _FUNCTION_WORDS.get(node.func, f"{_name(node.func)} of")
    return f"{words} {', '.join(_argument(a) for a in node.args)}"


def _argument(node: Node) -> str:
    return _say(node) if _simple(node) else f"the quantity {_say(node)}, end quantity"


def _name(name: str) -> str:
    """y_hat → "y hat", w0 → "w 0" (said as a subscript), lambda stays lambda."""
    if "_" in name:
        return " ".join(part for part in name.split("_") if part)
    head = name.rstrip("0123456789")
    return f"{head} {name[len(head):]}" if head and head != name else name
