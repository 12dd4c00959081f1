"""The ```plot block schema: which fields exist, and reading a block's YAML into typed specs.

Reading checks shapes only (a range is [low, high] with low < high, `style` is known...) and
collects issues instead of raising, so the validator can report every problem at once. Whether
the expressions parse and draw anything is decided by building the figure (blocks.py).

Issue fields use the lesson loader's names ("curves[2].expr", "panels[1].x", 1-based), so
`PlotBlock.lines.get(issue.field)` finds the file line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from tutor.plots.model import AXES, STYLES, Marker

# One figure; `panels` holds several, each with these fields (x, y, axes, function default to
# the block's own).
FIGURE_FIELDS = ("title", "x", "y", "curves", "tangents", "points", "axes", "function")
# Settings of interactive figures. `lr`, `steps` and `order` are new with the plot engine.
SETTING_FIELDS = ("interactive", "at", "h", "methods", "samples", "lr", "steps", "order", "n")
# Figures of f(x, y[, z]) (Part 5) take their point as `point: [x, y]`; `x` and `y` are the box.
SETTING_FIELDS += ("point",)
PLOT_FIELDS = FIGURE_FIELDS + SETTING_FIELDS + ("panels",)
CURVE_FIELDS = ("expr", "derivative", "label", "style")
TANGENT_FIELDS = ("of", "at", "half_width", "label")
POINT_FIELDS = ("at", "label")
INTERACTIVE = ("tangent", "secant", "taylor", "gd", "activations", "numdiff-error", "relu-family", "softmax",
               "losses", "riemann", "integration-error", "expectation", "level-sets", "partial-slices",
               "gradcheck-error", "newton")
METHODS = ("forward", "backward", "central")
MAX_SAMPLES = 2000
MAX_STEPS = 500
MAX_ORDER = 20
MAX_N = 100_000
DEFAULT_X = (-5.0, 5.0)
DEFAULT_LOG_X = (0.1, 10.0)


@dataclass(frozen=True)
class PlotIssue:
    field: str  # "curves[2].expr", "panels[1].x"; "" for the block as a whole
    message: str
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        text = f"{self.field}: {self.message}" if self.field else self.message
        return text if self.severity == "error" else f"warning: {text}"


@dataclass(frozen=True)
class CurveSpec:
    text: str
    derivative: bool  # plot the derivative of `text`
    label: str
    style: str
    field: str  # where `text` was written, for issues


@dataclass(frozen=True)
class TangentSpec:
    of: str
    at: float
    half_width: float | None
    label: str
    field: str


@dataclass(frozen=True)
class PanelSpec:
    title: str
    x_range: tuple[float, float] | None
    y_range: tuple[float, float] | None
    axes: str
    curves: tuple[CurveSpec, ...]
    tangents: tuple[TangentSpec, ...]
    points: tuple[Marker, ...]
    function: str | None
    prefix: str  # "" or "panels[2]."

    @property
    def x(self) -> tuple[float, float]:
        if self.x_range:
            return self.x_range
        return DEFAULT_LOG_X if self.axes in ("loglog", "semilogx") else DEFAULT_X

    @property
    def draws(self) -> bool:
        return bool(self.curves or self.tangents)


@dataclass(frozen=True)
class PlotSpec:
    title: str
    panels: tuple[PanelSpec, ...]
    interactive: str | None = None
    at: float | None = None
    h: float | tuple[float, float] | None = None  # a step (secant) or a range (numdiff-error)
    methods: tuple[str, ...] = ()
    samples: int | None = None
    lr: float | None = None
    steps: int | None = None
    order: int | None = None
    n: int | None = None  # riemann: the number of strips; integration-error: the largest n
    point: tuple[float, ...] | None = None

    @property
    def main(self) -> PanelSpec:
        return self.panels[0]


def number(value: Any) -> float | None:
    """A finite float from YAML: a number, or text such as "1e-15" (plain YAML reads it as text).
    `float()` parses a literal; it evaluates nothing."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        result = float(value)
    elif isinstance(value, str):
        try:
            result = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return result if math.isfinite(result) else None


def integer(value: Any) -> int | None:
    v = number(value)
    return int(v) if v is not None and v == int(v) else None


class _Reader:
    def __init__(self) -> None:
        self.issues: list[PlotIssue] = []

    def error(self, field: str, message: str) -> None:
        self.issues.append(PlotIssue(field, message, "error"))

    def warning(self, field: str, message: str) -> None:
        self.issues.append(PlotIssue(field, message, "warning"))

    def keys(self, data: dict, allowed: tuple[str, ...], prefix: str, what: str) -> None:
        for key in data:
            if key not in allowed:
                self.warning(f"{prefix}{key}", f"unknown field in {what} (known: {', '.join(allowed)})")

    def text(self, data: dict, key: str, prefix: str, default: str = "") -> str:
        value = data.get(key)
        if value is None:
            return default
        if isinstance(value, (dict, list)):
            self.error(f"{prefix}{key}", f"'{key}' must be text")
            return default
        return str(value)

    def range(self, data: dict, key: str, prefix: str, positive: bool = False) -> tuple[float, float] | None:
        value = data.get(key)
        if value is None:
            return None
        pair = [number(v) for v in value] if isinstance(value, (list, tuple)) and len(value) == 2 else None
        if pair is None or None in pair or not pair[0] < pair[1]:
            self.error(f"{prefix}{key}", f"'{key}' must be a range [low, high] of two numbers, low < high")
            return None
        if positive and pair[0] <= 0:
            self.error(f"{prefix}{key}", f"'{key}' must be positive on a log axis, not [{pair[0]:g}, {pair[1]:g}]")
            return None
        return (pair[0], pair[1])

    def items(self, data: dict, key: str, prefix: str) -> list[tuple[int, dict]]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(f"{prefix}{key}", f"'{key}' must be a list")
            return []
        out = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                out.append((index, item))
            else:
                self.error(f"{prefix}{key}[{index + 1}]", f"{key} entry {index + 1} must be a mapping")
        return out


def read_block(data: Any) -> tuple[PlotSpec | None, list[PlotIssue]]:
    """The block as a PlotSpec, and every shape problem found. None when it is not a mapping."""
    reader = _Reader()
    if not isinstance(data, dict):
        reader.error("", "a plot block must hold YAML fields (name: value lines)")
        return None, reader.issues
    reader.keys(data, PLOT_FIELDS, "", "a plot")
    interactive = reader.text(data, "interactive", "") or None
    if interactive is not None and interactive not in INTERACTIVE:
        reader.warning("interactive", f"interactive '{interactive}' is not one of {', '.join(INTERACTIVE)}")
        interactive = None
    panels_data = reader.items(data, "panels", "")
    h_axis = interactive in ("numdiff-error", "gradcheck-error")  # their x axis is h, set by `h`, not by `x`
    if panels_data:
        for key in ("curves", "tangents", "points"):
            if data.get(key) is not None:
                reader.error(key, f"with 'panels', put '{key}' inside the panels")
        panels = tuple(_panel(reader, panel, data, f"panels[{i + 1}].", h_axis) for i, panel in panels_data)
    else:
        panels = (_panel(reader, data, {}, "", h_axis),)
    if not any(p.draws or p.function for p in panels) and interactive is None:
        reader.warning("", "a plot without 'curves' (or 'function') draws nothing")
    spec = PlotSpec(
        title=reader.text(data, "title", ""),
        panels=panels,
        interactive=interactive,
        at=_setting_number(reader, data, "at"),
        h=_h(reader, data),
        methods=_methods(reader, data),
        samples=_bounded_int(reader, data, "samples", 10, MAX_SAMPLES),
        lr=_positive(reader, data, "lr"),
        steps=_bounded_int(reader, data, "steps", 1, MAX_STEPS),
        order=_bounded_int(reader, data, "order", 0, MAX_ORDER),
        n=_bounded_int(reader, data, "n", 1, MAX_N),
        point=_point(reader, data),
    )
    return spec, reader.issues


def _panel(reader: _Reader, data: dict, parent: dict, prefix: str, h_axis: bool = False) -> PanelSpec:
    if prefix:
        reader.keys(data, FIGURE_FIELDS, prefix, "a panel")
    axes = reader.text(data, "axes", prefix) or reader.text(parent, "axes", "") or "linear"
    if axes not in AXES:
        reader.error(f"{prefix}axes", f"axes '{axes}' is not one of {', '.join(AXES)}")
        axes = "linear"
    log_x, log_y = axes in ("loglog", "semilogx"), axes in ("loglog", "semilogy")
    x_owner, x_prefix = (data, prefix) if "x" in data else (parent, "")
    y_owner, y_prefix = (data, prefix) if "y" in data else (parent, "")
    x_range = reader.range(x_owner, "x", x_prefix, positive=log_x)
    y_range = reader.range(y_owner, "y", y_prefix, positive=log_y)
    if x_range is None and log_x and "x" not in x_owner and not h_axis:
        reader.error(f"{prefix}x", "a log x axis needs an 'x' range of positive numbers")
    curves = []
    for index, item in reader.items(data, "curves", prefix):
        where = f"{prefix}curves[{index + 1}]"
        reader.keys(item, CURVE_FIELDS, where + ".", "a curves entry")
        has_expr, has_derivative = item.get("expr") is not None, item.get("derivative") is not None
        if has_expr == has_derivative:
            reader.error(where, "a curve needs exactly one of 'expr' and 'derivative'")
            continue
        key = "expr" if has_expr else "derivative"
        text = reader.text(item, key, where + ".")
        style = reader.text(item, "style", where + ".", "line")
        if style not in STYLES:
            reader.warning(f"{where}.style", f"style '{style}' is not one of {', '.join(STYLES)}; drawn as a line")
            style = "line"
        label = reader.text(item, "label", where + ".") or (text if has_expr else f"({text})'")
        curves.append(CurveSpec(text, has_derivative, label, style, f"{where}.{key}"))
    tangents = []
    for index, item in reader.items(data, "tangents", prefix):
        where = f"{prefix}tangents[{index + 1}]"
        reader.keys(item, TANGENT_FIELDS, where + ".", "a tangents entry")
        of, at = reader.text(item, "of", where + "."), number(item.get("at"))
        if not of:
            reader.error(f"{where}.of", "a tangent needs 'of', the function it touches")
            continue
        if at is None:
            reader.error(f"{where}.at", "a tangent needs 'at', a number: the x where it touches")
            continue
        half_width = None
        if item.get("half_width") is not None:
            half_width = number(item.get("half_width"))
            if half_width is None or half_width <= 0:
                reader.error(f"{where}.half_width", "'half_width' must be a positive number")
                half_width = None
        x_lo, x_hi = x_range or DEFAULT_X
        if not x_lo <= at <= x_hi:
            reader.warning(f"{where}.at", f"the tangent point x = {at:g} is outside the x range")
        label = reader.text(item, "label", where + ".")
        tangents.append(TangentSpec(of, at, half_width, label, f"{where}.of"))
    points = []
    for index, item in reader.items(data, "points", prefix):
        where = f"{prefix}points[{index + 1}]"
        reader.keys(item, POINT_FIELDS, where + ".", "a points entry")
        at = item.get("at")
        pair = [number(v) for v in at] if isinstance(at, (list, tuple)) and len(at) == 2 else None
        if pair is None or None in pair:
            reader.error(f"{where}.at", "a point needs 'at: [x, y]', two numbers")
            continue
        if (log_x and pair[0] <= 0) or (log_y and pair[1] <= 0):
            reader.error(f"{where}.at", f"the point ({pair[0]:g}, {pair[1]:g}) cannot be shown on {axes} axes")
            continue
        points.append(Marker(pair[0], pair[1], reader.text(item, "label", where + ".")))
    function = reader.text(data, "function", prefix) or reader.text(parent, "function", "") or None
    return PanelSpec(reader.text(data, "title", prefix) if prefix else "", x_range, y_range, axes,
                     tuple(curves), tuple(tangents), tuple(points), function, prefix)


def _setting_number(reader: _Reader, data: dict, key: str) -> float | None:
    if data.get(key) is None:
        return None
    value = number(data[key])
    if value is None:
        reader.error(key, f"'{key}' must be a number")
    return value


def _positive(reader: _Reader, data: dict, key: str) -> float | None:
    value = _setting_number(reader, data, key)
    if value is not None and value <= 0:
        reader.error(key, f"'{key}' must be positive")
        return None
    return value


def _bounded_int(reader: _Reader, data: dict, key: str, lo: int, hi: int) -> int | None:
    if data.get(key) is None:
        return None
    value = integer(data[key])
    if value is None or not lo <= value <= hi:
        reader.error(key, f"'{key}' must be a whole number from {lo} to {hi}")
        return None
    return value


def _point(reader: _Reader, data: dict) -> tuple[float, ...] | None:
    value = data.get("point")
    if value is None:
        return None
    coords = [number(v) for v in value] if isinstance(value, (list, tuple)) and 2 <= len(value) <= 3 else None
    if coords is None or None in coords:
        reader.error("point", "'point' must be a list of 2 or 3 numbers: [x, y] or [x, y, z]")
        return None
    return tuple(coords)


def _h(reader: _Reader, data: dict) -> float | tuple[float, float] | None:
    value = data.get("h")
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return reader.range(data, "h", "", positive=True)
    return _positive(reader, data, "h")


def _methods(reader: _Reader, data: dict) -> tuple[str, ...]:
    value = data.get("methods")
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    methods = []
    for item in items:
        if item in METHODS:
            methods.append(item)
        else:
            reader.error("methods", f"method '{item}' is not one of {', '.join(METHODS)}")
    return tuple(methods)
