"""The graph picture as text: columns, boxes, edges, the current node, and no Textual."""

from __future__ import annotations

import subprocess
import sys

from tutor.autodiff import build_graph, graph_from_expression
from tutor.autodiff.layout import columns, filled, layout, pretty, render, render_ascii

CHAIN = {"inputs": {"x": 0.5}, "output": "y",
         "nodes": [{"name": "u", "formula": "x^2 + 1"}, {"name": "v", "formula": "sin(u)"},
                   {"name": "y", "formula": "exp(v)"}]}
FAN_OUT = {"inputs": {"x": 1.5}, "output": "y",
           "nodes": [{"name": "s", "formula": "sin(x)"}, {"name": "q", "formula": "x^2"},
                     {"name": "y", "formula": "s*q"}]}


def test_a_chain_is_one_row_of_boxes_joined_by_arrows():
    graph = build_graph(CHAIN)
    assert columns(graph) == [["x"], ["u"], ["v"], ["y"]]
    lines = render_ascii(graph)
    assert len(lines) == 3
    assert lines == [
        "┌ x ─────────┐  ┌ u = x² + 1 ┐  ┌ v = sin(u) ┐  ┌ y = exp(v) ┐",
        "│            ├─▸│            ├─▸│            ├─▸│            │",
        "└────────────┘  └────────────┘  └────────────┘  └────────────┘",
    ]
    boxes = layout(graph).boxes
    assert [boxes[n].x for n in "xuvy"] == sorted(boxes[n].x for n in "xuvy")
    assert len({boxes[n].y for n in "xuvy"}) == 1  # a chain is straight


def test_a_node_goes_one_column_after_its_deepest_parent_and_inputs_come_first():
    graph = graph_from_expression("L = (w*x + b - y)^2", {"w": 1, "x": 2, "b": 1, "y": 7})
    assert columns(graph) == [["w", "x", "b", "y"], ["n1"], ["n2"], ["n3"], ["L"]]
    boxes = layout(graph).boxes
    # b feeds n2 two columns on: its line runs through column 1 without crossing n1's box.
    drawing = render(graph)
    b_row = boxes["b"].y + 1
    n1 = boxes["n1"]
    assert not n1.y <= b_row < n1.y + n1.height
    assert "─" * (n1.width) in drawing.lines[b_row][n1.x - 1:n1.x + n1.width + 1]


def test_fan_out_draws_one_line_to_each_consumer():
    graph = build_graph(FAN_OUT)
    assert columns(graph) == [["x"], ["s", "q"], ["y"]]
    drawing = render(graph)
    boxes = drawing.boxes
    # x's line splits: a junction in the gap after x, and an arrow into both s and q.
    x = boxes["x"]
    gap = [line[x.x + x.width:boxes["s"].x] for line in drawing.lines]
    assert any("┤" in part or "┼" in part or "├" in part for part in gap)
    for name in ("s", "q"):
        box = boxes[name]
        assert drawing.lines[box.y + 1][box.x - 1] == "▸"
    y = boxes["y"]
    assert drawing.lines[y.y + 1][y.x - 1] == "▸"


def test_values_gradients_and_the_current_box():
    graph = build_graph(CHAIN)
    lines = render_ascii(graph, {"x": 0.5, "u": 1.25}, current="v", grads={}, asking="value")
    text = "\n".join(lines)
    assert "0.5" in text and "1.25" in text and "0.948985" not in text
    assert "╔ v = sin(u) ╗" in text and "║ ?" in text  # the current box: double border, and what is asked
    lines = render_ascii(graph, *filled(graph)[:1], current="u", grads={"y": 1, "v": 2.583085512}, asking="grad")
    text = "\n".join(lines)
    assert "∂ 2.58309" in text and "∂ 1 " in text and "╚ ∂ ? " in text


def test_box_widths_do_not_change_as_values_are_filled_in():
    graph = build_graph(FAN_OUT)
    empty = render(graph)
    full = render(graph, *filled(graph), current="x", asking="grad")
    assert {n: (b.x, b.y, b.width) for n, b in empty.boxes.items()} == \
        {n: (b.x, b.y, b.width) for n, b in full.boxes.items()}
    assert empty.width == full.width


def test_fewer_digits_make_a_narrower_picture():
    graph = build_graph(CHAIN)
    values, grads = filled(graph)
    wide = render(graph, values, grads)
    narrow = render(graph, values, grads, digits=4)
    assert narrow.width < wide.width
    assert "0.8145" in str(narrow) and "0.814505" not in str(narrow)


def test_pretty_powers_and_no_grad_inputs():
    assert pretty("x^2 + 1") == "x² + 1" and pretty("n3^-1") == "n3⁻¹" and pretty("x^2.5") == "x^2.5"
    graph = build_graph({"inputs": {"w": 0.5, "x": 2, "y": 3}, "output": "L", "no_grad": ["x", "y"],
                         "nodes": [{"name": "yhat", "formula": "w*x"}, {"name": "e", "formula": "y - yhat"},
                                   {"name": "L", "formula": "e^2"}]})
    values, grads = filled(graph)
    assert "x" not in grads and "w" in grads
    text = str(render(graph, values, grads))
    assert "∂ -8" in text  # ∂L/∂w


def test_the_layout_does_not_import_textual():
    code = ("import sys, tutor.autodiff.layout\n"
            "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
