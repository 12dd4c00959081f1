"""The hint ladder every card shows: the rungs taken so far."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text


def hints_text(hints: Sequence[str], shown: int) -> Text:
    text = Text()
    shown = min(shown, len(hints))
    for rung, hint in enumerate(hints[:shown], start=1):
        text.append(f"Hint {rung}/{len(hints)}: ", style="bold")
        text.append(hint.strip() + ("\n" if rung < shown else ""))
    return text
