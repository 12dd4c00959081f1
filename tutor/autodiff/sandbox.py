"""The backprop sandbox's input: an expression and a line of values, read into a graph with
messages meant for the learner. Nothing here is saved or evaluated as Python.
"""

from __future__ import annotations

import re

from tutor.autodiff.graph import Graph, GraphError
from tutor.mathlang import MathError, parse
from tutor.mathlang.ast import names_in
from tutor.mathlang.names import CONSTANTS, FUNCTIONS

EXAMPLE = "L = (w*x + b - y)^2"
EXAMPLE_VALUES = "w=1, x=2, b=1, y=7"
_WORD = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")


class ValuesError(ValueError):
    """The values line cannot be read; the message says why."""


def _pieces(text: str) -> list[str]:
    """Split at commas and semicolons outside brackets (max(a, b) stays whole)."""
    pieces, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(depth - 1, 0)
        elif ch in ",;" and depth == 0:
            pieces.append(text[start:i])
            start = i + 1
    pieces.append(text[start:])
    return pieces


def parse_values(text: str) -> dict[str, str]:
    """"w=1, x=2, b=pi/4" as {"w": "1", "x": "2", "b": "pi/4"} (the numbers are read later)."""
    values: dict[str, str] = {}
    for piece in _pieces(text):
        piece = piece.strip()
        if not piece:
            continue
        if "=" not in piece:
            raise ValuesError(f"'{piece}' is not of the form name=value (for example x=2)")
        name, value = (part.strip() for part in piece.split("=", 1))
        if not name or not value:
            raise ValuesError(f"'{piece}' needs a name and a value (for example x=2)")
        if name in values:
            raise ValuesError(f"{name} is given twice")
        values[name] = value
    return values


def _without_values(expression: str, values: dict[str, str]) -> list[str]:
    """Names the expression uses that have no value (it parses once they are variables)."""
    rhs = expression.split("=", 1)[1] if "=" in expression else expression
    words = [w for w in _WORD.findall(rhs) if w not in FUNCTIONS and w not in CONSTANTS]
    candidates = tuple(dict.fromkeys([*values, *words]))
    try:
        used = names_in(parse(rhs, candidates).tree)
    except MathError:
        return []
    return sorted(name for name in used if name not in values)


def build_sandbox_graph(expression: str, values_text: str) -> Graph:
    """The graph of a typed expression and values. Raises GraphError or ValuesError with a message
    meant for the learner."""
    from tutor.autodiff.expression import graph_from_expression

    if not expression.strip():
        raise GraphError("type an expression first, for example " + EXAMPLE)
    values = parse_values(values_text)
    try:
        return graph_from_expression(expression, values)
    except GraphError as err:
        missing = _without_values(expression, values)
        if missing:
            example = ", ".join(f"{name}=1" for name in missing)
            have = "has" if len(missing) == 1 else "have"
            raise GraphError(f"{', '.join(missing)} {have} no value: add {'it' if len(missing) == 1 else 'them'} "
                             f"to the values (for example {example})") from err
        raise
