"""How a widget asks about, and follows, the app's accessible mode.

A widget may run inside a bare Textual App (in tests, in a demo): there the mode is simply off.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widget import Widget


def accessible(widget: Widget) -> bool:
    """Is the accessible mode on in this widget's app?"""
    return bool(getattr(widget.app, "accessible", False))


def follow_accessible(widget: Widget, callback: Callable[[bool], None]) -> None:
    """Call `callback(on)` whenever the mode is switched (not now): call from `on_mount`."""
    if hasattr(type(widget.app), "accessible"):
        widget.watch(widget.app, "accessible", callback, init=False)
