"""Text a command prints that may contain what a learner typed: made safe for a terminal.

A learner's answer can hold ESC, BEL or other control characters; printed raw they would drive
the terminal (change colours, retitle the window, ring the bell, hide text). Every command that
echoes learner text prints it through `printable`. JSON output needs no help: `json.dumps`
escapes control characters itself.
"""

from __future__ import annotations

import unicodedata

# Format characters that reorder or hide text (bidi overrides, zero-width joiners...).
_HIDDEN = frozenset("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069"
                    "\ufeff")


def printable(text: str) -> str:
    """`text` with every C0/C1 control character (except newline and tab), DEL and hidden
    format character shown as a visible escape such as \\x1b or \\u202e."""
    out = []
    for ch in str(text):
        if ch in "\n\t":
            out.append(ch)
        elif unicodedata.category(ch) == "Cc" or ch in _HIDDEN:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)
