"""The one error the answer language raises: what is wrong, and at which column."""

from __future__ import annotations


class MathError(ValueError):
    """Text that is not a valid answer. `column` is 1-based, or None when it is about the whole text."""

    def __init__(self, message: str, column: int | None = None, text: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.column = column
        self.text = text

    def caret(self) -> str:
        """The offending text with a caret under the column, for monospace display."""
        if self.column is None or not self.text or len(self.text) > 200:
            return ""
        return f"{self.text}\n{' ' * (self.column - 1)}^"

    def __str__(self) -> str:
        return self.message
