"""Numbers in readouts: short, and the same everywhere ("6", "6.1", "1.2e-8", "undefined")."""

from __future__ import annotations

import math
import re

_EXPONENT = re.compile(r"e([+-])0*(\d)")


def num(value: float, digits: int = 6) -> str:
    if value is None or not math.isfinite(value):
        return "undefined"
    if value == 0:
        return "0"  # never "-0"
    text = f"{value:.{digits}g}"
    return _EXPONENT.sub(lambda m: "e" + ("-" if m.group(1) == "-" else "") + m.group(2), text)


def plus(value: float, digits: int = 6) -> str:
    """A term after another: "+ 3", "− 4" (never "+ -4")."""
    return f"− {num(-value, digits)}" if value < 0 else f"+ {num(value, digits)}"


def shifted(name: str, at: float, digits: int = 6) -> str:
    """x − a, written the way one would by hand: "x − 1.5", "x + 2", "x"."""
    if at == 0:
        return name
    return f"{name} − {num(at, digits)}" if at > 0 else f"{name} + {num(-at, digits)}"
