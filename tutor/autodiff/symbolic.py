"""Closed forms of local derivatives, for the chain-rule card and the feedback ("it is b = 3").

The numbers always come from the engine; SymPy only writes the formula a learner reads. It is
imported here, on first use, so building a graph or stepping through it never pays for it.
"""

from __future__ import annotations

from functools import lru_cache

from tutor.mathlang.ast import Node


@lru_cache(maxsize=1024)
def derivative_text(tree: Node, var: str) -> str:
    """∂(tree)/∂var as answer-language text: "b", "cos(u)", "2·x", "σ(z)·(1 - σ(z))"."""
    import sympy

    from tutor.mathlang.build import symbol, to_sympy

    expr = to_sympy(tree)
    return text_of(sympy.diff(expr, symbol(var)))


def text_of(expr) -> str:
    from sympy.printing.str import StrPrinter

    class _Printer(StrPrinter):
        def _print_Heaviside(self, e):
            return f"step({self._print(e.args[0])})"

    text = _Printer().doprint(expr)
    # Answer-language spelling: x^2, 2·x and σ(z), all read back by the parser.
    return text.replace("**", "^").replace("*", "·").replace("sigmoid(", "σ(")
