"""A computation graph drawn as text, left to right: inputs in the first column, each node in
the column after its deepest parent, boxes joined by box-drawing lines.

Pure: no Textual. The widget shows the lines and styles the current box (its rectangle is in
`Drawing.boxes`); a test can read the picture as strings.

    ┌ x ─────────┐  ┌ u = x² + 1 ┐  ╔ v = sin(u) ╗  ┌ y = exp(v) ┐
    │ 0.5        ├─▸│ 1.25       ├─▸║ ?          ╟─▸│            │
    └────────────┘  └────────────┘  ╚════════════╝  └────────────┘

A box shows `name = formula` on its top border, the forward value inside and `∂ <gradient>`
(∂output/∂name) on its bottom border once known. The current step's box has a double border
and a `?` where the number asked goes. An edge that skips columns runs through the columns
between as a straight line (a placeholder slot), so no line crosses a box; a node that feeds
several others has one line to each (a junction), and lines into one node join before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping

from tutor.autodiff.graph import Graph
from tutor.autodiff.numbers import fmt

BOX_HEIGHT = 3
PORT = 1  # the row of a box (from its top) where edges leave and arrive
SLOT_GAP = 1  # empty rows between two slots of a column
ARROW = "▸"
ASKED = "?"

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_POWER = re.compile(r"\^(-?\d+)(?![\d.])")

# connection bits of a line cell
_U, _D, _L, _R = 1, 2, 4, 8
_LINE = {
    _L: "─", _R: "─", _L | _R: "─", _U: "│", _D: "│", _U | _D: "│",
    _D | _R: "╭", _D | _L: "╮", _U | _R: "╰", _U | _L: "╯",
    _U | _D | _R: "├", _U | _D | _L: "┤", _L | _R | _D: "┬", _L | _R | _U: "┴",
    _U | _D | _L | _R: "┼",
}
_SINGLE = {"tl": "┌", "tr": "┐", "bl": "└", "br": "┘", "h": "─", "v": "│", "out": "├"}
_DOUBLE = {"tl": "╔", "tr": "╗", "bl": "╚", "br": "╝", "h": "═", "v": "║", "out": "╟"}


def pretty(formula: str) -> str:
    """"x^2 + 1" as "x² + 1": integer powers as superscripts, the rest as written."""
    return _POWER.sub(lambda m: m.group(1).translate(_SUPERSCRIPT), formula)


def node_title(graph: Graph, name: str) -> str:
    """"u = x² + 1" for a node, "x" for an input."""
    node = graph.nodes[name]
    return name if node.is_input else pretty(node.shown)


def columns(graph: Graph) -> list[list[str]]:
    """Node names per column: inputs first, each node one column after its deepest parent."""
    depth: dict[str, int] = {}
    for name, node in graph.nodes.items():  # forward order: parents come first
        depth[name] = 0 if node.is_input else 1 + max((depth[p] for p in node.parents), default=0)
    out: list[list[str]] = [[] for _ in range(max(depth.values(), default=0) + 1)]
    for name in graph.nodes:
        out[depth[name]].append(name)
    return out


@dataclass
class _Slot:
    """A box, or a placeholder where an edge passes through a column."""

    key: tuple  # ("node", name) or ("pass", parent, child, column)
    height: int
    port: int  # offset of the port row from the top
    width: int = 0
    top: int = 0
    preds: list[_Slot] = field(default_factory=list)
    succs: list[_Slot] = field(default_factory=list)

    @property
    def row(self) -> int:
        return self.top + self.port

    @property
    def name(self) -> str | None:
        return self.key[1] if self.key[0] == "node" else None


@dataclass(frozen=True)
class Box:
    name: str
    column: int
    x: int  # left edge
    y: int  # top edge
    width: int
    height: int = BOX_HEIGHT


@dataclass(frozen=True)
class Layout:
    boxes: dict[str, Box]
    width: int
    height: int
    columns: list[list[str]]


@dataclass(frozen=True)
class Drawing:
    lines: list[str]
    boxes: dict[str, Box]

    @property
    def width(self) -> int:
        return max((len(line) for line in self.lines), default=0)

    def __str__(self) -> str:
        return "\n".join(self.lines)


def number_text(value: float | str, digits: int = 6) -> str:
    """A number as a box shows it: `digits` significant figures (strings are shown as they are)."""
    if isinstance(value, str):
        return value
    if digits >= 6:
        return fmt(value)
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text


def _box_width(graph: Graph, name: str, digits: int) -> int:
    """Wide enough for the title and for every number the box will ever show."""
    title = node_title(graph, name)
    value = number_text(graph.value(name), digits)
    grad = _grad_text(number_text(graph.grads.get(name, 0.0), digits))
    return max(len(title), len(value), len(grad), len(_grad_text(ASKED))) + 4


def _grad_text(text: str) -> str:
    return f"∂ {text}"


# -- placement --------------------------------------------------------------------------------------

def _build_slots(graph: Graph, digits: int) -> list[list[_Slot]]:
    cols = columns(graph)
    column_of = {name: c for c, names in enumerate(cols) for name in names}
    layers: list[list[_Slot]] = [[] for _ in cols]
    slot_of: dict[str, _Slot] = {}
    for c, names in enumerate(cols):
        for name in names:
            slot = _Slot(("node", name), BOX_HEIGHT, PORT, _box_width(graph, name, digits))
            layers[c].append(slot)
            slot_of[name] = slot
    for child, node in graph.nodes.items():
        for parent in node.parents:
            previous = slot_of[parent]
            for c in range(column_of[parent] + 1, column_of[child]):
                passing = _Slot(("pass", parent, child, c), 1, 0)
                layers[c].append(passing)
                previous.succs.append(passing)
                passing.preds.append(previous)
                previous = passing
            previous.succs.append(slot_of[child])
            slot_of[child].preds.append(previous)
    return layers


def _order(layers: list[list[_Slot]]) -> None:
    """Fewer crossings: sort each column by the mean position of its neighbours (a few sweeps)."""
    def index_map() -> dict[int, float]:
        return {id(s): i for layer in layers for i, s in enumerate(layer)}

    def sweep(layer: list[_Slot], neighbours) -> None:
        where = index_map()
        keyed = []
        for i, slot in enumerate(layer):
            near = neighbours(slot)
            keyed.append((sum(where[id(n)] for n in near) / len(near) if near else i, i, slot))
        layer[:] = [s for _, _, s in sorted(keyed, key=lambda k: (k[0], k[1]))]

    for _ in range(2):
        for layer in layers[1:]:
            sweep(layer, lambda s: s.preds)
        for layer in reversed(layers[:-1]):
            sweep(layer, lambda s: s.succs)
    for layer in layers[1:]:
        sweep(layer, lambda s: s.preds)


def _isotonic(values: list[float]) -> list[float]:
    """The nondecreasing sequence nearest to `values` (least squares): pool adjacent violators."""
    blocks: list[list[float]] = []  # [sum, count]
    for v in values:
        blocks.append([v, 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            s, n = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += n
    out: list[float] = []
    for s, n in blocks:
        out.extend([s / n] * int(n))
    return out


def _place(layer: list[_Slot], desired_rows: list[float]) -> None:
    """Tops as near the desired port rows as the order and the gaps allow."""
    offsets, total = [], 0
    for slot in layer:
        offsets.append(total)
        total += slot.height + SLOT_GAP
    z = _isotonic([d - slot.port - off for d, slot, off in zip(desired_rows, layer, offsets)])
    for slot, off, shift in zip(layer, offsets, z):
        slot.top = off + round(shift)
    for before, slot in zip(layer, layer[1:]):
        slot.top = max(slot.top, before.top + before.height + SLOT_GAP)


def _vertical(layers: list[list[_Slot]]) -> None:
    for layer in layers:
        _place(layer, [float(i) for i in range(len(layer))])
        _stack(layer)

    def pull(layer: list[_Slot], neighbours) -> None:
        desired = []
        for slot in layer:
            near = neighbours(slot)
            desired.append(sum(n.row for n in near) / len(near) if near else float(slot.row))
        _place(layer, desired)

    for _ in range(3):
        for layer in layers[1:]:
            pull(layer, lambda s: s.preds)
        for layer in reversed(layers[:-1]):
            pull(layer, lambda s: s.succs)
    for layer in layers[1:]:
        pull(layer, lambda s: s.preds)
    low = min((s.top for layer in layers for s in layer), default=0)
    for layer in layers:
        for slot in layer:
            slot.top -= low


def _stack(layer: list[_Slot]) -> None:
    top = 0
    for slot in layer:
        slot.top = top
        top += slot.height + SLOT_GAP


def _lanes(left: list[_Slot]) -> list[_Slot]:
    """The sources between two columns that need a vertical lane, left to right.

    A source whose port row is where another source's edge arrives goes first, so a line leaving
    a row never runs over a line arriving at it."""
    needing = [s for s in left if any(t.row != s.row for t in s.succs)]
    row_source = {s.row: s for s in left}
    after: dict[int, set[int]] = {id(s): set() for s in needing}  # s must come before these
    for s in needing:
        for t in s.succs:
            if t.row == s.row:
                continue
            first = row_source.get(t.row)
            if first is not None and first is not s and id(first) in after:
                after[id(first)].add(id(s))
    order: list[_Slot] = []
    pending = sorted(needing, key=lambda s: s.row)
    while pending:
        blocked = {b for s in pending for b in after[id(s)]}
        pick = next((s for s in pending if id(s) not in blocked), pending[0])
        order.append(pick)
        pending.remove(pick)
    return order


def layout(graph: Graph, digits: int = 6) -> Layout:
    """Where every box goes (character cells), and the size of the whole picture."""
    layers, xs, _, width, height = _arrange(graph, digits)
    boxes = {}
    for c, layer in enumerate(layers):
        for slot in layer:
            if slot.name is not None:
                boxes[slot.name] = Box(slot.name, c, xs[c], slot.top, slot.width)
    return Layout(boxes, width, height, [[s.name for s in layer if s.name] for layer in layers])


def _arrange(graph: Graph, digits: int):
    layers = _build_slots(graph, digits)
    _order(layers)
    _vertical(layers)
    col_width = [max((s.width for s in layer), default=1) for layer in layers]
    lanes = [_lanes(layer) for layer in layers[:-1]]
    xs, x = [], 0
    for c, layer in enumerate(layers):
        xs.append(x)
        x += col_width[c]
        if c < len(lanes):
            x += 2 + 2 * len(lanes[c])  # a stub, lanes two apart, the arrow
    height = max((s.top + s.height for layer in layers for s in layer), default=0)
    return layers, xs, (col_width, lanes), x, height


# -- drawing ----------------------------------------------------------------------------------------

class _Canvas:
    def __init__(self, width: int, height: int) -> None:
        self.text: list[list[str | None]] = [[None] * width for _ in range(height)]
        self.bits = [[0] * width for _ in range(height)]

    def put(self, y: int, x: int, s: str) -> None:
        for i, ch in enumerate(s):
            self.text[y][x + i] = ch

    def hline(self, y: int, x1: int, x2: int, into_left: bool = False) -> None:
        a, b = min(x1, x2), max(x1, x2)
        for x in range(a, b + 1):
            if x > a or into_left:
                self.bits[y][x] |= _L
            if x < b:
                self.bits[y][x] |= _R

    def vline(self, x: int, y1: int, y2: int) -> None:
        a, b = min(y1, y2), max(y1, y2)
        for y in range(a, b + 1):
            if y > a:
                self.bits[y][x] |= _U
            if y < b:
                self.bits[y][x] |= _D

    def lines(self) -> list[str]:
        out = []
        for text_row, bit_row in zip(self.text, self.bits):
            cells = [t if t is not None else (_LINE.get(b, " ") if b else " ") for t, b in zip(text_row, bit_row)]
            out.append("".join(cells).rstrip())
        return out


def _draw_box(canvas: _Canvas, box: Box, title: str, value: str, grad: str, current: bool,
              has_out: bool) -> None:
    g = _DOUBLE if current else _SINGLE
    inner = box.width - 4
    top = f"{g['tl']} {title} " + g["h"] * (inner - len(title)) + g["tr"]
    mid = f"{g['v']} {value.ljust(inner)} " + (g["out"] if has_out else g["v"])
    if grad:
        bottom = f"{g['bl']} {grad} " + g["h"] * (inner - len(grad)) + g["br"]
    else:
        bottom = g["bl"] + g["h"] * (inner + 2) + g["br"]
    canvas.put(box.y, box.x, top)
    canvas.put(box.y + 1, box.x, mid)
    canvas.put(box.y + 2, box.x, bottom)


def render(graph: Graph, values: Mapping[str, float | str] | None = None,
           grads: Mapping[str, float | str] | None = None, current: str | None = None, asking: str = "",
           digits: int = 6) -> Drawing:
    """The picture. `values` / `grads`: what each box shows (numbers get `digits` significant
    figures; a missing name shows nothing); `current`: the box drawn with a double border;
    `asking` ("value" or "grad"): where its `?` goes."""
    values, grads = values or {}, grads or {}
    layers, xs, (col_width, lanes), width, height = _arrange(graph, digits)
    canvas = _Canvas(width + 1, height)
    boxes: dict[str, Box] = {}
    for c, layer in enumerate(layers):
        for slot in layer:
            name = slot.name
            if name is None:  # an edge passing through this column
                canvas.hline(slot.row, xs[c], xs[c] + col_width[c] - 1, into_left=True)
                continue
            box = Box(name, c, xs[c], slot.top, slot.width)
            boxes[name] = box
            value = number_text(values[name], digits) if name in values else ""
            grad = _grad_text(number_text(grads[name], digits)) if name in grads else ""
            if name == current and asking == "value":
                value = ASKED
            elif name == current and asking == "grad":
                grad = _grad_text(ASKED)
            _draw_box(canvas, box, node_title(graph, name), value, grad, name == current, bool(slot.succs))
            # the line from a narrow box to the right edge of its column
            if slot.succs and slot.width < col_width[c]:
                canvas.hline(slot.row, xs[c] + slot.width, xs[c] + col_width[c] - 1, into_left=True)
    for c, layer in enumerate(layers[:-1]):
        start = xs[c] + col_width[c]  # first cell of the gap
        end = xs[c + 1] - 1  # last cell of the gap (the arrow)
        lane_x = {id(s): start + 1 + 2 * k for k, s in enumerate(lanes[c])}
        arrows = set()
        for source in layer:
            for target in source.succs:
                if target.row == source.row:  # straight across
                    canvas.hline(source.row, start, end, into_left=True)
                else:
                    lx = lane_x[id(source)]
                    canvas.hline(source.row, start, lx, into_left=True)
                    canvas.vline(lx, source.row, target.row)
                    canvas.hline(target.row, lx, end)
                if target.name is not None:
                    arrows.add((target.row, end))
                else:  # runs on through the next column
                    canvas.bits[target.row][end] |= _R
        for y, x in arrows:
            canvas.put(y, x, ARROW)
    lines = canvas.lines()
    return Drawing(lines, boxes)


def render_ascii(graph: Graph, values: Mapping[str, float | str] | None = None, current: str | None = None,
                 grads: Mapping[str, float | str] | None = None, asking: str = "", digits: int = 6) -> list[str]:
    """The picture as lines of text (see `render`)."""
    return render(graph, values, grads, current, asking, digits).lines


def filled(graph: Graph) -> tuple[dict[str, float], dict[str, float]]:
    """Every forward value and every gradient asked, as a finished challenge shows them."""
    values = {name: graph.value(name) for name in graph.nodes}
    grads = {name: graph.grads[name] for name in graph.nodes if name not in graph.no_grad}
    return values, grads
