"""The plot engine's domain half: plot blocks and interactive figures as plain data.

No Textual and no plotext here: a widget draws the `Figure`s this package returns. Importing the
package is free; NumPy and SymPy load on first use of the functions below.

    figure_from_block(data, width) -> Figure          a ```plot block, drawn as listed
    interactive_from_block(data) -> model | None      its live model, for `interactive:` blocks
    validate_plot_block(data) -> list[str]            problems, for `tutor validate`
    check_plot_block(data) -> list[PlotIssue]         the same with field and severity
"""

from __future__ import annotations

from typing import Any

from tutor.plots.model import Figure, Marker, Panel, Series

__all__ = ["Figure", "Marker", "Panel", "Series", "check_plot_block", "figure_from_block",
           "interactive_from_block", "validate_plot_block"]

_LAZY = {
    "figure_from_block": "tutor.plots.blocks",
    "validate_plot_block": "tutor.plots.blocks",
    "check_plot_block": "tutor.plots.blocks",
    "interactive_from_block": "tutor.plots.interactive",
    "PlotError": "tutor.plots.vectorize",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'tutor.plots' has no attribute {name!r}")
