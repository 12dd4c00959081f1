"""Typed reading of one YAML mapping, reporting each problem at the line of its field."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from tutor.lessons.report import Report
from tutor.lessons.yamlsource import item_line, number_text

_MISSING = object()


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class Fields:
    """Field access for `data`, a mapping whose YAML line 0 is file line `base`.

    `line` is the file line of the mapping itself, used for missing fields.
    Every getter reports a problem and returns None when the value is unusable.
    """

    def __init__(self, data: dict, report: Report, base: int, line: int, context: str) -> None:
        self.data = data
        self.report = report
        self.base = base
        self.line = line
        self.context = context
        self.failed = False

    # -- locating and reporting --------------------------------------------------------------

    def line_of(self, key: str) -> int:
        lines = getattr(self.data, "lines", None)
        if isinstance(lines, dict) and key in lines:
            return self.base + lines[key]
        return self.line

    def error(self, key: str | None, message: str, line: int | None = None) -> None:
        self.failed = True
        if line is None:
            line = self.line if key is None else self.line_of(key)
        self.report.error(line, f"{self.context}: {message}")

    def warning(self, key: str | None, message: str) -> None:
        line = self.line if key is None else self.line_of(key)
        self.report.warning(line, f"{self.context}: {message}")

    def check_keys(self, allowed: Iterable[str], what: str, *, severity: str = "error") -> None:
        allowed = tuple(allowed)
        for key, line in getattr(self.data, "duplicates", ()):
            self.failed = True
            self.report.error(self.base + line, f"{self.context}: field '{key}' is given twice")
        for key in self.data:
            if key in allowed:
                continue
            guess = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"; did you mean '{guess[0]}'?" if guess else ""
            message = f"unknown field '{key}'{hint} ({what} allows: {', '.join(sorted(allowed))})"
            if severity == "error":
                self.error(str(key), message)
            else:
                self.warning(str(key), message)

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def missing(self, key: str, why: str = "") -> None:
        self.error(None, f"missing field '{key}'{why}")

    # -- typed getters ------------------------------------------------------------------------

    def get(self, key: str, required: bool = False) -> Any:
        value = self.data.get(key)
        if value is None and required:
            self.missing(key)
        return value

    def text(self, key: str, required: bool = False, *, strip: bool = True) -> str | None:
        value = self.get(key, required)
        if value is None:
            return None
        result = self.as_text(key, value)
        if result is not None and strip:
            result = result.strip()
        return result

    def as_text(self, key: str, value: Any, line: int | None = None) -> str | None:
        """`value` as text; `line` is where it is written, when not at `key` (a list item)."""
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            self.error(key, f"'{key}' was read by YAML as {str(value).lower()}: put it in quotes", line)
            return None
        if _is_number(value):
            try:
                return number_text(value)
            except ValueError as exc:
                self.error(key, str(exc), line)
                return None
        message = f"'{key}' must be text, not a {_yaml_type(value)}"
        if isinstance(value, dict) and len(value) == 1:
            message += " (YAML reads 'a: b' as a mapping): put text that contains ': ' in quotes"
        self.error(key, message, line)
        return None

    def texts(self, key: str, required: bool = False) -> tuple[str, ...] | None:
        """A list of texts; a single text is taken as a list of one."""
        value = self.get(key, required)
        if value is None:
            return None
        if not isinstance(value, list):
            one = self.as_text(key, value)
            return None if one is None else (one.strip(),)
        first = self.line_of(key) - self.base
        items = [self.as_text(key, item, self.base + item_line(value, i, first)) for i, item in enumerate(value)]
        if any(item is None for item in items):
            return None
        return tuple(item.strip() for item in items if item is not None)

    def expression(self, key: str, required: bool = False) -> str | None:
        """An answer-language text; numbers, and YAML lists for vectors and matrices, are accepted."""
        value = self.get(key, required)
        if value is None:
            return None
        return self._expression(key, value)

    def _expression(self, key: str, value: Any) -> str | None:
        if isinstance(value, list):
            items = [self._expression(key, item) for item in value]
            if any(item is None for item in items):
                return None
            return "[" + ", ".join(item for item in items if item is not None) + "]"
        text = self.as_text(key, value)
        return None if text is None else text.strip()

    def integer(self, key: str, required: bool = False, *, minimum: int | None = None) -> int | None:
        value = self.get(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(key, f"'{key}' must be a whole number, not {value!r}")
            return None
        if minimum is not None and value < minimum:
            self.error(key, f"'{key}' must be at least {minimum}")
            return None
        return int(value)

    def number(self, key: str, required: bool = False) -> float | None:
        value = self.get(key, required)
        if value is None:
            return None
        if isinstance(value, str):
            # PyYAML reads 1e-4 (no dot) as text.
            try:
                return float(value)
            except ValueError:
                pass
        elif _is_number(value):
            return float(value)
        self.error(key, f"'{key}' must be a number, not {value!r}")
        return None

    def mapping(self, key: str, required: bool = False) -> dict | None:
        value = self.get(key, required)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.error(key, f"'{key}' must be a mapping (name: value lines), not a {_yaml_type(value)}")
            return None
        return value

    def sequence(self, key: str, required: bool = False) -> list | None:
        value = self.get(key, required)
        if value is None:
            return None
        if not isinstance(value, list):
            self.error(key, f"'{key}' must be a list, not a {_yaml_type(value)}")
            return None
        return value

    def sub(self, key: str, value: dict, context: str, index: int | None = None) -> Fields:
        """Fields of a mapping nested under `key` (at list position `index`, if in a list)."""
        container = self.data.get(key)
        line = self.line_of(key)
        if index is not None and isinstance(container, list):
            line = self.base + item_line(container, index, line - self.base)
        return Fields(value, self.report, self.base, line, context)


def _yaml_type(value: Any) -> str:
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, list):
        return "list"
    if isinstance(value, bool):
        return "true/false value"
    if _is_number(value):
        return "number"
    return type(value).__name__
