"""Split answer text into tokens, each with the 1-based column where it starts."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction

from tutor.mathlang.errors import MathError
from tutor.mathlang.names import ACCENTS, INVISIBLE, SUPERSCRIPTS, VULGAR_FRACTIONS

MAX_LENGTH = 2000
MAX_DIGITS = 100
MAX_SCI_EXPONENT = 400

# Unicode operators people paste or type, and what they mean.
OPERATOR_ALIASES = {"{": "(", "}": ")",  # e^{z1}, as LaTeX habits write a group
                    "·": "*", "×": "*", "⋅": "*", "∗": "*", "∙": "*", "•": "*", "÷": "/", "−": "-", "–": "-", "≤": "<=",
                    "≥": ">=", "≠": "!="}
OPERATORS = ("**", "<=", ">=", "!=", "+", "-", "*", "/", "^", "(", ")", "[", "]", ",", "|", "=",
             "<", ">", "√", "'")

_DIGITS = frozenset("0123456789")
SUBSCRIPT_DIGITS = {chr(0x2080 + d): str(d) for d in range(10)}  # z₁ is the name z1
_NUMBER = re.compile(r"([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
_NAME_START = re.compile(r"[A-Za-z_\u0370-\u03ff]")
_NAME_PART = re.compile(r"[A-Za-z0-9_\u0370-\u03ff]")


def _accented(ch: str) -> str | None:
    """ŷ -> y_hat: a Latin letter with accents we name, as one precomposed character."""
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    if marks and base.isascii() and base.isalpha() and all(m in ACCENTS for m in marks):
        return base + "".join(ACCENTS[m] for m in marks)
    return None


def _read_name(text: str, start: int) -> tuple[str, int]:
    """A name from `start`: letters, digits and _, with accented letters spelled out (x̄ -> x_bar)."""
    out: list[str] = []
    j = start
    while j < len(text):
        ch = text[j]
        spelled = _accented(ch)
        if spelled is not None:
            out.append(spelled)
        elif ch in ACCENTS and out:  # a combining accent after the letter it decorates
            out.append(ACCENTS[ch])
        elif _NAME_PART.match(ch) and (out or not ch.isdigit()):
            out.append(ch)
        elif ch in SUBSCRIPT_DIGITS and out:
            out.append(SUBSCRIPT_DIGITS[ch])
        else:
            break
        j += 1
    return "".join(out), j


@dataclass(frozen=True)
class Token:
    kind: str  # "num", "name", "sup", "op", "end"
    text: str  # for "op": the canonical operator; for "sup": the exponent in plain text
    column: int  # 1-based
    value: Fraction | None = None  # for "num"
    raw: str = ""  # the characters as typed

    def is_op(self, *ops: str) -> bool:
        return self.kind == "op" and self.text in ops


def _check_characters(text: str) -> None:
    if len(text) > MAX_LENGTH:
        raise MathError(f"the answer is too long ({len(text):,} characters; the limit is {MAX_LENGTH:,})")
    for i, ch in enumerate(text):
        if ch in INVISIBLE:
            name = unicodedata.name(ch, f"U+{ord(ch):04X}")
            raise MathError(f"invisible character {name.lower()} (U+{ord(ch):04X}) at column {i + 1}", i + 1, text)
        if ch in "\t\n\r":
            continue
        if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn"):
            raise MathError(f"control character U+{ord(ch):04X} at column {i + 1}", i + 1, text)


def _number(match: re.Match[str], column: int, text: str) -> Token:
    raw = match.group(0)
    mantissa, exponent = match.group(1), match.group(2)
    if len(mantissa.replace(".", "")) > MAX_DIGITS:
        raise MathError(f"number with more than {MAX_DIGITS} digits at column {column}", column, text)
    scale = int(exponent[1:]) if exponent else 0
    if abs(scale) > MAX_SCI_EXPONENT:
        raise MathError(f"exponent {scale} at column {column} is out of range (±{MAX_SCI_EXPONENT})", column, text)
    # Fraction reads decimal text exactly: 0.333 is 333/1000, never a float.
    return Token("num", raw, column, Fraction(mantissa) * Fraction(10) ** scale, raw)


def tokenize(text: str) -> list[Token]:
    _check_characters(text)
    tokens: list[Token] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        col = i + 1
        if ch.isspace():
            i += 1
            continue
        # str.isdigit() is true for '²' too, so digits are tested as ASCII.
        if ch in _DIGITS or (ch == "." and i + 1 < n and text[i + 1] in _DIGITS):
            match = _NUMBER.match(text, i)
            assert match is not None
            tokens.append(_number(match, col, text))
            i = match.end()
            continue
        if ch in SUPERSCRIPTS:
            j = i
            while j < n and text[j] in SUPERSCRIPTS:
                j += 1
            plain = "".join(SUPERSCRIPTS[c] for c in text[i:j])
            tokens.append(Token("sup", plain, col, raw=text[i:j]))
            i = j
            continue
        if ch in VULGAR_FRACTIONS:
            numerator, denominator = VULGAR_FRACTIONS[ch]
            tokens.append(Token("num", f"{numerator}/{denominator}", col, Fraction(numerator, denominator), ch))
            i += 1
            continue
        if _NAME_START.match(ch) or _accented(ch):
            name, end = _read_name(text, i)
            tokens.append(Token("name", name, col, raw=text[i:end]))
            i = end
            continue
        op = OPERATOR_ALIASES.get(ch)
        if op is not None:
            tokens.append(Token("op", op, col, raw=ch))
            i += 1
            continue
        for candidate in OPERATORS:
            if text.startswith(candidate, i):
                tokens.append(Token("op", "^" if candidate == "**" else candidate, col, raw=candidate))
                i += len(candidate)
                break
        else:
            shown = ch if ch.isprintable() else f"U+{ord(ch):04X}"
            raise MathError(f"unexpected character '{shown}' at column {col}", col, text)
    tokens.append(Token("end", "", n + 1))
    return tokens
