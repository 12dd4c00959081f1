"""```plot and ```backprop blocks: their YAML as data, with light checks of its shape.

The plot engine owns what the fields mean. Unknown fields are warnings here, so that the engine
can grow without every lesson turning broken; a wrong range or axes value is an error.
"""

from __future__ import annotations

from typing import Any

from tutor.lessons.fences import RawBlock
from tutor.lessons.fields import Fields
from tutor.lessons.model import BackpropBlock, PlotBlock
from tutor.lessons.report import Report
from tutor.lessons.yamlsource import YamlError, item_line, key_line, load_yaml, plain

# One figure. `panels` holds several figures side by side, each with the figure fields.
FIGURE_FIELDS = ("title", "x", "y", "curves", "tangents", "points", "axes", "function")
# Settings of interactive figures (numdiff-error: `function`, `at`, `methods`, `h`, `samples`).
SETTING_FIELDS = ("interactive", "at", "h", "methods", "samples")
PLOT_FIELDS = FIGURE_FIELDS + SETTING_FIELDS + ("panels",)
CURVE_FIELDS = ("expr", "derivative", "label", "style")
TANGENT_FIELDS = ("of", "at", "half_width", "label")
POINT_FIELDS = ("at", "label")
AXES = ("linear", "loglog", "semilogx", "semilogy")
INTERACTIVE = ("tangent", "secant", "taylor", "gd", "activations", "numdiff-error")
BACKPROP_FIELDS = ("title", "inputs", "nodes", "output", "expected")

# Expression fields, parsed by the validator over the variable x.
EXPRESSIONS = {"curves": ("expr", "derivative"), "tangents": ("of",)}


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
    data = _load(block, report, "plot")
    if data is None:
        return None
    fields = Fields(data, report, block.first_line, block.line, "plot")
    fields.check_keys(PLOT_FIELDS, "a plot", severity="warning")
    _check_figure(fields)
    interactive = fields.text("interactive")
    if interactive is not None and interactive not in INTERACTIVE:
        fields.warning("interactive", f"interactive '{interactive}' is not one of {', '.join(INTERACTIVE)}")
    panels = fields.sequence("panels") or []
    for index, panel in enumerate(panels):
        if not isinstance(panel, dict):
            fields.error("panels", f"panel {index + 1} must be a mapping of plot fields")
            continue
        sub = fields.sub("panels", panel, f"plot, panel {index + 1}", index)
        sub.check_keys(FIGURE_FIELDS, "a panel", severity="warning")
        _check_figure(sub)
        fields.failed = fields.failed or sub.failed
    draws = [fields.has("curves"), fields.has("function")] + [
        isinstance(p, dict) and (p.get("curves") or p.get("function")) for p in panels
    ]
    if not any(draws):
        fields.warning(None, "a plot without 'curves' (or 'function') draws nothing")
    if fields.failed:
        return None
    return PlotBlock(plain(data), block.line, _expression_lines(data, block.first_line))


def _check_figure(fields: Fields) -> None:
    for key in ("x", "y"):
        _range(fields, key)
    axes = fields.text("axes")
    if axes is not None and axes not in AXES:
        fields.error("axes", f"axes '{axes}' is not one of {', '.join(AXES)}")
    for key, allowed in (("curves", CURVE_FIELDS), ("tangents", TANGENT_FIELDS), ("points", POINT_FIELDS)):
        for index, item in enumerate(fields.sequence(key) or ()):
            if not isinstance(item, dict):
                fields.error(key, f"{key} entry {index + 1} must be a mapping")
                continue
            sub = fields.sub(key, item, f"{fields.context}, {key} entry {index + 1}", index)
            sub.check_keys(allowed, f"a {key} entry", severity="warning")


def _range(fields: Fields, key: str) -> None:
    value = fields.get(key)
    if value is None:
        return
    numeric = isinstance(value, list) and len(value) == 2
    numeric = numeric and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
    if not numeric or not value[0] < value[1]:
        fields.error(key, f"'{key}' must be a range [low, high] of two numbers, low < high")


def plot_expressions(data: dict[str, Any]) -> list[tuple[str, str, tuple[Any, ...]]]:
    """(field, text, path) for each expression of a plot and its panels: `function`,
    `curves[].expr`, `curves[].derivative`, `tangents[].of`. `path` locates it in `data`."""
    found: list[tuple[str, str, tuple[Any, ...]]] = []
    _figure_expressions(data, "", (), found)
    for index, panel in enumerate(data.get("panels") or ()):
        if isinstance(panel, dict):
            _figure_expressions(panel, f"panels[{index + 1}].", ("panels", index), found)
    return found


def _figure_expressions(data: dict, prefix: str, path: tuple, found: list) -> None:
    if data.get("function") is not None:
        found.append((f"{prefix}function", str(data["function"]), path + ("function",)))
    for key, names in EXPRESSIONS.items():
        items = data.get(key)
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            for name in names:
                if isinstance(item, dict) and item.get(name) is not None:
                    found.append((f"{prefix}{key}[{index + 1}].{name}", str(item[name]), path + (key, index, name)))


def _expression_lines(data: dict, base: int) -> dict[str, int]:
    """File line of each expression field, from the line numbers the YAML loader kept."""
    lines: dict[str, int] = {}
    for field, _, path in plot_expressions(data):
        node: Any = data
        line = 0
        for step in path:
            line = key_line(node, step, line) if isinstance(step, str) else item_line(node, step, line)
            node = node[step]
        lines[field] = base + line
    return lines


def build_backprop(block: RawBlock, report: Report) -> BackpropBlock | None:
    data = _load(block, report, "backprop")
    if data is None:
        return None
    fields = Fields(data, report, block.first_line, block.line, "backprop")
    fields.check_keys(BACKPROP_FIELDS, "a backprop block", severity="warning")
    if fields.failed:
        return None
    return BackpropBlock(plain(data), block.line)
