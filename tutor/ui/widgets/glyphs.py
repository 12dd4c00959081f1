"""Status marks that carry meaning without colour: a glyph and a word for every state."""

from __future__ import annotations

from rich.text import Text

# lesson state -> (glyph, word)
LESSON_GLYPHS = {
    "solved": ("✓", "done"),
    "started": ("◐", "started"),
    "new": ("·", "new"),
    "broken": ("✗", "broken"),
}
# exercise status -> (glyph, word)
EXERCISE_GLYPHS = {
    "solved": ("✓", "solved"),
    "solved-with-help": ("✓", "solved with help"),
    "revealed": ("◇", "solution shown"),
    "attempted": ("◐", "attempted"),
    "unseen": ("·", "new"),
}


def bar(done: int, total: int, width: int) -> Text:
    """A text progress bar: filled and empty cells differ in shape, not only in colour."""
    filled = round(width * done / total) if total else 0
    return Text.assemble(("█" * filled, "green"), ("░" * (width - filled), "dim"))
