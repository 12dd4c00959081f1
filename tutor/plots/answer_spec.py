"""Which exercise parts can show a wrong answer against the truth (cheap: no NumPy, no SymPy)."""

from __future__ import annotations


def plottable(spec) -> bool:
    """One variable, and a derivative (its f) or an expression (its answer) to compare with."""
    if len(spec.declared) != 1:
        return False
    return (spec.kind == "derivative" and bool(spec.function)) or (spec.kind == "expression" and bool(spec.answer))
