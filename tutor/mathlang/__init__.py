"""The answer language: a whitelisted grammar from text to a tree, and from the tree to SymPy.

Nothing here evaluates text as Python. Importing this package does not import SymPy; only
`Parsed.to_sympy()` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from tutor.mathlang.ast import Node, Relation, Vector, distribute_vectors, names_in, render
from tutor.mathlang.errors import MathError
from tutor.mathlang.parser import parse_tree

__all__ = ["MathError", "Parsed", "parse", "parse_formula", "parse_conditions", "render"]


@dataclass(frozen=True)
class Parsed:
    text: str
    tree: Node
    notes: tuple[str, ...] = ()
    unknown_names: tuple[str, ...] = ()  # with allow_unknown: names read as new variables

    @property
    def interpreted(self) -> str:
        return render(self.tree)

    @property
    def is_vector(self) -> bool:
        return isinstance(self.tree, Vector)

    @property
    def names(self) -> set[str]:
        return names_in(self.tree)

    def to_sympy(self, evaluate: bool = True, display: bool = False):
        from tutor.mathlang.build import to_sympy

        return to_sympy(self.tree, evaluate, display)


def parse(text: str, variables: Iterable[str] = ("x",), *, allow_unknown: bool = False) -> Parsed:
    """Parse an answer (or a lesson expression) over the declared variables."""
    tree, notes, unknown = parse_tree(str(text), tuple(variables), allow_unknown=allow_unknown)
    return Parsed(str(text), distribute_vectors(tree), notes, unknown)


def parse_formula(text: str) -> Parsed:
    """A line of a ```math block: any names are variables, `f(x)` is an unnamed function, `=` joins sides."""
    tree, notes, unknown = parse_tree(str(text), (), allow_unknown=True, allow_relations=True)
    return Parsed(str(text), distribute_vectors(tree), notes, unknown)


def parse_conditions(text: str, variables: Iterable[str]) -> list[Relation]:
    """A domain such as "x > 0, -pi/2 < y < pi/2, x != 1": one Relation per comma-separated part."""
    relations: list[Relation] = []
    for piece in _split_top_level(str(text)):
        if not piece.strip():
            raise MathError(f"empty condition in domain '{text}'")
        tree, _notes, _unknown = parse_tree(piece, tuple(variables), allow_relations=True)
        if not isinstance(tree, Relation) or "=" in tree.ops:
            raise MathError(f"'{piece.strip()}' is not a condition such as x > 0")
        relations.append(tree)
    return relations


def _split_top_level(text: str) -> list[str]:
    parts, depth, current = [], 0, []
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts
