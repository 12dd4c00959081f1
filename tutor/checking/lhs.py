"""`y = 3x - 2.25`, `dy/dx = 2x`, `f'(x) = ...`: a left-hand side that names what the exercise asks
for is set aside (with a note) and the right-hand side is checked; any other left-hand side gets
"type only the right-hand side".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tutor.checking.spec import ExerciseSpec
from tutor.mathlang import MathError

_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_NAME = r"[A-Za-zα-ωΑ-Ω][A-Za-z0-9_α-ωΑ-Ω]*"


@dataclass(frozen=True)
class Split:
    rhs: str
    note: str = ""


def equals_positions(text: str) -> list[int]:
    """Indexes of '=' signs that are not part of <=, >=, != and are outside brackets."""
    found, depth = [], 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "=" and depth == 0 and (i == 0 or text[i - 1] not in "<>!=") and text[i + 1:i + 2] != "=":
            found.append(i)
    return found


def _derivative_names(lhs: str, var: str, order: int) -> bool:
    """dy/dx, d²y/dx², d^2f/dx^2, ∂L/∂w, d/dx(...), y', f''(x), f'(x, y)."""
    n = "" if order == 1 else str(order)
    power = "" if order == 1 else rf"(\^?{n})"
    leibniz = rf"[d∂]{power}({_NAME}(\(.*\))?)?/[d∂]{re.escape(var)}{power}(\(.*\))?"
    if re.fullmatch(leibniz, lhs):
        return True
    if re.fullmatch(rf"[d∂]{power}/[d∂]{re.escape(var)}{power}.*", lhs):
        return True
    return bool(re.fullmatch(rf"{_NAME}'{{{order}}}(\(.*\))?", lhs))


def _plain_name(lhs: str, declared: tuple[str, ...]) -> bool:
    """y, f(x), L(w, b), F: a name for the quantity itself, not one of the exercise's variables."""
    match = re.fullmatch(rf"({_NAME})(\(.*\))?", lhs)
    return bool(match) and match.group(1) not in declared


def split_lhs(spec: ExerciseSpec, answer: str) -> Split:
    """The part of the answer to check. Raises MathError when the left-hand side names
    something other than what is asked."""
    positions = equals_positions(answer)
    if not positions:
        return Split(answer)
    if len(positions) > 1:
        raise MathError("type only the right-hand side: the answer has more than one '='", positions[1] + 1, answer)
    at = positions[0]
    lhs = re.sub(r"\s+", "", answer[:at]).translate(_SUPERSCRIPT_DIGITS).replace("’", "'").replace("′", "'")
    rhs = answer[at + 1:]
    if not rhs.strip():
        raise MathError("type the expression after '='", at + 1, answer)
    kind = spec.kind
    if kind == "derivative":
        var = spec.var or spec.declared[0]
        ok = _derivative_names(lhs, var, spec.order)
    elif kind in ("expression", "antiderivative", "numeric", "vector", "matrix"):
        declared = spec.declared if kind != "numeric" else ()
        ok = _plain_name(lhs, declared) or (kind in ("numeric", "vector", "matrix") and
                                            re.fullmatch(rf"(∇{_NAME}|{_NAME}'+)(\(.*\))?", lhs) is not None)
    else:
        ok = False
    if not ok:
        raise MathError(f"type only the right-hand side: '{answer[:at].strip()}' is not what this exercise asks for",
                        1, answer)
    return Split(rhs, f"'{answer[:at].strip()} =' is set aside: only the right-hand side is checked")
