"""The hint ladder every card shows: the rungs taken so far, and taking the next one."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from tutor.ui.widgets.card_messages import HintShown


def hints_text(hints: Sequence[str], shown: int) -> Text:
    text = Text()
    shown = min(shown, len(hints))
    for rung, hint in enumerate(hints[:shown], start=1):
        text.append(f"Hint {rung}/{len(hints)}: ", style="bold")
        text.append(hint.strip() + ("\n" if rung < shown else ""))
    return text


def show_next_hint(card) -> None:
    """Show `card`'s next rung in its `.hints` Static and report it; say so when none is left.
    The card has `exercise` and `hints_shown`."""
    hints = card.exercise.hints
    if not hints:
        card.notify("This exercise has no hints.")
        return
    if card.hints_shown >= len(hints):
        card.notify("That was the last hint; F3 shows the worked solution.")
        return
    card.hints_shown += 1
    ladder = card.query_one(".hints", Static)
    ladder.update(hints_text(hints, card.hints_shown))
    ladder.display = True
    card.post_message(HintShown(card.exercise, card.hints_shown))
