"""```plot and ```backprop blocks: their YAML as data, with light checks of its shape.

The plot engine owns what a plot's fields mean: `tutor validate` asks it
(`tutor.plots.check_plot_block`) and reports its issues at the lines kept here.
"""

from __future__ import annotations

from typing import Any

from tutor.lessons.fences import RawBlock
from tutor.lessons.fields import Fields
from tutor.lessons.model import BackpropBlock, PlotBlock
from tutor.lessons.report import Report
from tutor.lessons.yamlsource import YamlError, item_line, key_line, load_yaml, plain

BACKPROP_FIELDS = ("title", "inputs", "nodes", "output", "expected", "no_grad")


def _load(block: RawBlock, report: Report, what: str) -> dict | None:
    try:
        data = load_yaml(block.text)
    except YamlError as exc:
        report.error(block.first_line + exc.line, exc.message)
        return None
    if not isinstance(data, dict):
        report.error(block.line, f"a {what} block must hold YAML fields (name: value lines)")
        return None
    return data


def build_plot(block: RawBlock, report: Report) -> PlotBlock | None:
    """The block's data and the file line of each of its fields. What the fields mean (ranges,
    styles, interactive kinds, expressions) is checked by the plot engine in `tutor validate`."""
    data = _load(block, report, "plot")
    if data is None:
        return None
    lines: dict[str, int] = {}
    _field_lines(data, "", block.first_line, lines, report)
    return PlotBlock(plain(data), block.line, lines)


def _field_lines(node: Any, prefix: str, base: int, lines: dict[str, int], report: Report) -> None:
    """File line of every field, named as the plot engine names them: "x", "curves[2].expr",
    "panels[1].points[3].at" (1-based). A field given twice is an error."""
    if isinstance(node, dict):
        for key, line in getattr(node, "duplicates", ()):
            report.error(base + line, f"plot: field '{prefix}{key}' is given twice")
        for key, value in node.items():
            name = f"{prefix}{key}"
            lines[name] = base + key_line(node, key)
            _field_lines(value, f"{name}.", base, lines, report)
    elif isinstance(node, list) and prefix:
        for index, item in enumerate(node):
            name = f"{prefix[:-1]}[{index + 1}]"
            lines[name] = base + item_line(node, index)
            if isinstance(item, dict):
                _field_lines(item, f"{name}.", base, lines, report)


def build_backprop(block: RawBlock, report: Report) -> BackpropBlock | None:
    data = _load(block, report, "backprop")
    if data is None:
        return None
    fields = Fields(data, report, block.first_line, block.line, "backprop")
    fields.check_keys(BACKPROP_FIELDS, "a backprop block", severity="warning")
    if fields.failed:
        return None
    return BackpropBlock(plain(data), block.line)
