"""WCAG 2 contrast between two colours, for checking that a theme's text is readable.

The formulas are WCAG 2.2's: relative luminance from linearised sRGB, and the ratio
(L_light + 0.05)/(L_dark + 0.05), from 1 (no contrast) to 21 (black on white). Level AA asks
for at least 4.5 for body text and 3 for large text and user-interface parts.
"""

from __future__ import annotations

AA_TEXT = 4.5
AA_LARGE = 3.0


def parse_hex(colour: str) -> tuple[float, float, float]:
    """'#1a2B3c' or '#abc' → (r, g, b) in 0..1. Raises ValueError for anything else."""
    text = colour.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    if len(text) != 6 or any(c not in "0123456789abcdefABCDEF" for c in text):
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return tuple(int(text[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def relative_luminance(rgb: tuple[float, float, float]) -> float:
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: tuple[float, float, float] | str, second: tuple[float, float, float] | str) -> float:
    a = relative_luminance(parse_hex(first) if isinstance(first, str) else first)
    b = relative_luminance(parse_hex(second) if isinstance(second, str) else second)
    light, dark = max(a, b), min(a, b)
    return (light + 0.05) / (dark + 0.05)
