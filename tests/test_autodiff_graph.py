"""Graphs of named nodes: the syllabus's Part 7 examples, typed expressions, and what is refused.

EXAMPLES is shared with the stepper and headless tests.
"""

from __future__ import annotations

import pytest
import sympy

from tutor.autodiff.expression import graph_from_expression
from tutor.autodiff.graph import GraphError, build_graph
from tutor.autodiff.stepper import central_difference
from tutor.autodiff.steps import backward_order
from tutor.mathlang import parse
from tutor.mathlang.build import symbol, to_sympy


def block(inputs, nodes, output, forward=None, backward=None, **extra):
    data = {"inputs": inputs, "nodes": [{"name": n, "formula": f} for n, f in nodes], "output": output, **extra}
    if forward or backward:
        data["expected"] = {"forward": forward or {}, "backward": backward or {}}
    return data


# The syllabus numbers (6 significant figures), and the backward step order it lists.
EXAMPLES = {
    "chain-rule/e10": block(
        {"x": 0.5}, [("u", "x^2 + 1"), ("v", "sin(u)"), ("y", "exp(v)")], "y",
        {"u": 1.25, "v": 0.948985, "y": 2.58309}, {"y": 1, "v": 2.58309, "u": 0.814505, "x": 0.814505}),
    "graph1": block(
        {"x": 2, "y": 3}, [("a", "x*y"), ("b", "a + 1"), ("L", "b^2")], "L",
        {"a": 6, "b": 7, "L": 49}, {"b": 14, "a": 14, "x": 42, "y": 28}),
    "graph2": block(
        {"w": 1, "x": 2, "b": 1, "y": 7}, [("yhat", "w*x + b"), ("e", "y - yhat"), ("L", "e^2")], "L",
        {"yhat": 3, "e": 4, "L": 16}, {"e": 8, "yhat": -8, "w": -16, "b": -8}, no_grad=["x", "y"]),
    "relu-neuron": block(
        {"x": 1, "w": 0.5, "b": 0.1, "y": 1}, [("z", "w*x + b"), ("a", "relu(z)"), ("L", "(a - y)^2")], "L",
        {"z": 0.6, "a": 0.6, "L": 0.16}, {"a": -0.8, "z": -0.8, "w": -0.8, "b": -0.8}, no_grad=["x", "y"]),
    "sigmoid-bce-neuron": block(
        {"x": 2, "w": 0.3, "b": -0.1, "y": 1},
        [("z", "w*x + b"), ("a", "sigmoid(z)"), ("L", "-(y*ln(a) + (1 - y)*ln(1 - a))")], "L",
        {"z": 0.5, "a": 0.622459, "L": 0.474077},
        {"a": -1.60653, "z": -0.377541, "w": -0.755081, "b": -0.377541}, no_grad=["x", "y"]),
    "dead-relu": block(
        {"x": 1, "w": 0.5, "b": -1, "y": 1}, [("z", "w*x + b"), ("a", "relu(z)"), ("L", "(a - y)^2")], "L",
        {"z": -0.5, "a": 0, "L": 1}, {"a": -2, "z": 0, "w": 0, "b": 0}, no_grad=["x", "y"]),
    "two-layer-A": block(
        {"x": 2, "y": 1, "W1": 0.5, "W2": 0.8},
        [("z1", "W1*x"), ("a1", "σ(z1)"), ("yhat", "W2*a1"), ("L", "1/2*(yhat - y)^2")], "L",
        {"z1": 1, "a1": 0.731059, "yhat": 0.584847, "L": 0.0861761},
        {"yhat": -0.415153, "W2": -0.303501, "a1": -0.332123, "z1": -0.0652992, "W1": -0.130598},
        no_grad=["x", "y"]),
    "two-layer-B": block(
        {"x": 1.5, "y": 0.7, "w1": 0.5, "b1": -0.3, "w2": 1.2, "b2": 0.1},
        [("z1", "w1*x + b1"), ("a1", "sigmoid(z1)"), ("z2", "w2*a1 + b2"), ("a2", "sigmoid(z2)"),
         ("L", "0.5*(a2 - y)^2")], "L",
        {"z1": 0.45, "a1": 0.610639, "z2": 0.832767, "a2": 0.696940, "L": 4.68273e-6},
        {"a2": -0.00306030, "z2": -6.46381e-4, "w2": -3.94706e-4, "b2": -6.46381e-4, "a1": -7.75658e-4,
         "z1": -1.84420e-4, "w1": -2.76629e-4, "b1": -1.84420e-4},
        no_grad=["x", "y"]),
    "autodiff/e1": block(
        {"a": 2, "b": 3}, [("c", "a*b"), ("d", "c + b")], "d",
        {"c": 6, "d": 9}, {"d": 1, "c": 1, "a": 3, "b": 3}),
    # backprop-matrix worked example A, one node per entry: x feeds all three hidden units.
    "tanh-layer": block(
        {"x0": 1.2, "x1": -0.7, "W00": 0.4, "W01": -0.2, "W10": 0.1, "W11": 0.3, "W20": -0.5, "W21": 0.2,
         "b0": 0.1, "b1": -0.2, "b2": 0.05, "v0": 0.7, "v1": -0.4, "v2": 0.2, "c": -0.1, "y": 0.35},
        [("a0", "W00*x0 + W01*x1 + b0"), ("a1", "W10*x0 + W11*x1 + b1"), ("a2", "W20*x0 + W21*x1 + b2"),
         ("h0", "tanh(a0)"), ("h1", "tanh(a1)"), ("h2", "tanh(a2)"),
         ("yhat", "v0*h0 + v1*h1 + v2*h2 + c"), ("L", "1/2*(yhat - y)^2")], "L",
        {"a0": 0.72, "a1": -0.29, "a2": -0.69, "h0": 0.616909, "h1": -0.282135, "h2": -0.597982,
         "yhat": 0.325094, "L": 3.10153e-4},
        {"yhat": -0.0249060, "v0": -0.0153647, "v1": 0.00702684, "v2": 0.0148933, "c": -0.0249060,
         "h0": -0.0174342, "h1": 0.00996239, "h2": -0.00498119, "a0": -0.0107991, "a1": 0.00916938,
         "a2": -0.00320001, "W00": -0.0129590, "W01": 0.00755939, "W10": 0.0110033, "W11": -0.00641857,
         "W20": -0.00384001, "W21": 0.00224000, "x0": -0.00180271, "x1": 0.00427064}),
}

SYLLABUS_BACKWARD_ORDER = {
    "chain-rule/e10": ["v", "u", "x"],
    "graph1": ["b", "a", "x", "y"],
    "graph2": ["e", "yhat", "w", "b"],
    "relu-neuron": ["a", "z", "w", "b"],
    "two-layer-A": ["yhat", "W2", "a1", "z1", "W1"],
    "two-layer-B": ["a2", "z2", "w2", "b2", "a1", "z1", "w1", "b1"],
    "autodiff/e1": ["c", "a", "b"],
}


def close(a: float, b: float, rel: float = 1e-4) -> bool:
    return abs(a - b) <= max(rel * abs(b), 1e-9)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_forward_values_and_gradients_match_the_syllabus(name):
    data = EXAMPLES[name]
    graph = build_graph(data)
    for node, value in data["expected"]["forward"].items():
        assert close(graph.value(node), value), (node, graph.value(node), value)
    for node, grad in data["expected"]["backward"].items():
        assert close(graph.grads[node], grad), (node, graph.grads[node], grad)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_gradient_agrees_with_central_differences(name):
    graph = build_graph(EXAMPLES[name])
    for node in graph.nodes:
        if node == graph.output:
            continue
        numeric = central_difference(graph, node, 1e-6)
        assert numeric is not None
        assert abs(numeric - graph.grads[node]) <= 1e-6 * max(1, abs(graph.grads[node])), node


@pytest.mark.parametrize("name", sorted(SYLLABUS_BACKWARD_ORDER))
def test_backward_order_is_the_one_the_syllabus_lists(name):
    assert backward_order(build_graph(EXAMPLES[name])) == SYLLABUS_BACKWARD_ORDER[name]


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_backward_order_visits_every_consumer_first(name):
    graph = build_graph(EXAMPLES[name])
    order = [graph.output] + backward_order(graph)
    position = {n: i for i, n in enumerate(order)}
    for node in order[1:]:
        for consumer in graph.consumers(node):
            assert position[consumer] < position[node]


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_local_derivatives_of_named_nodes_match_sympy(name):
    graph = build_graph(EXAMPLES[name])
    for node in graph.formula_nodes:
        n = graph.nodes[node]
        expr = to_sympy(n.tree)
        at = {symbol(p): graph.value(p) for p in n.parents}
        for parent, local in zip(n.parents, n.local):
            exact = float(sympy.diff(expr, symbol(parent)).subs(at).evalf(30))
            assert local == pytest.approx(exact, rel=1e-10, abs=1e-12), (node, parent)


def test_fan_out_sums_one_term_per_consumer():
    graph = build_graph(EXAMPLES["autodiff/e1"])
    terms = {t.consumer: t.amount for t in graph.terms["b"]}
    assert terms == {"c": 2, "d": 1}
    assert graph.grads["b"] == 3
    layer = build_graph(EXAMPLES["tanh-layer"])
    assert sorted(t.consumer for t in layer.terms["x0"]) == ["a0", "a1", "a2"]


def test_compound_nodes_keep_their_names_and_single_ops_are_recognised():
    graph = build_graph(EXAMPLES["graph2"])
    assert graph.nodes["yhat"].op == "formula"  # w·x + b is one named node
    assert graph.nodes["yhat"].parents == ("w", "x", "b")
    assert graph.nodes["L"].op == "pow"
    assert graph.nodes["e"].op == "sub"
    assert build_graph(EXAMPLES["autodiff/e1"]).nodes["c"].op == "mul"


def test_local_text_is_a_closed_form_in_the_answer_language():
    graph = build_graph(EXAMPLES["chain-rule/e10"])
    assert graph.local_text("u", "x") == "2·x"
    assert graph.local_text("v", "u") == "cos(u)"
    assert graph.local_text("y", "v") == "exp(v)"
    assert build_graph(EXAMPLES["autodiff/e1"]).local_text("c", "a") == "b"
    text = build_graph(EXAMPLES["two-layer-B"]).local_text("a1", "z1")
    tree = parse(text, ("z1",)).tree  # reads back
    assert "σ" in text and tree is not None


# -- a typed expression ------------------------------------------------------------------------------

def test_expression_is_split_into_one_node_per_operation():
    graph = graph_from_expression("L = (w*x + b - y)^2", {"w": 1, "x": 2, "b": 1, "y": 7})
    assert graph.block() == {
        "inputs": {"w": 1.0, "x": 2.0, "b": 1.0, "y": 7.0},
        "nodes": [{"name": "n1", "formula": "w·x"}, {"name": "n2", "formula": "n1 + b"},
                  {"name": "n3", "formula": "n2 - y"}, {"name": "L", "formula": "n3^2"}],
        "output": "L",
    }
    assert graph.value("L") == 16
    assert (graph.grads["w"], graph.grads["b"], graph.grads["x"], graph.grads["y"]) == (-16, -8, -8, 8)
    # The block it was split into builds the same graph.
    assert build_graph(graph.block()).grads == graph.grads


def test_expression_fan_out_and_defaults():
    graph = graph_from_expression("x*x + x", {"x": 3})
    assert graph.output == "L" and graph.grads["x"] == 7
    assert sorted(t.amount for t in graph.terms["x"]) == [1, 6]
    # An auto name never takes a variable's name, nor does the result.
    g = graph_from_expression("n1*L + sin(n1)", {"n1": 0.5, "L": 2})
    assert "n1" in g.inputs and g.output not in ("n1", "L")
    assert set(g.formula_nodes).isdisjoint({"n1", "L"})


@pytest.mark.parametrize(("text", "values"), [
    ("sigmoid(w*x + b)", {"w": 0.3, "x": 2, "b": -0.1}),
    ("e^(2*x) + log(x)/x", {"x": 1.7}),
    ("sqrt(x^2 + y^2) - |x - y| + max(x, y)", {"x": 0.3, "y": -1.2}),
    ("tanh(relu(x) * 2 - 1) + softplus(-x) + cos(x)^3", {"x": 0.8}),
    ("log10(x) + log(x, 3) + 2^3*x/(1 + x)", {"x": 2.5}),
    ("-(y*ln(σ(z)) + (1 - y)*ln(1 - σ(z)))", {"z": 0.5, "y": 1}),
])
def test_expression_gradients_agree_with_central_differences(text, values):
    graph = graph_from_expression(text, values)
    for name in graph.inputs:
        numeric = central_difference(graph, name, 1e-6)
        assert numeric == pytest.approx(graph.grads[name], rel=1e-6, abs=1e-8), name


def test_unused_values_are_dropped():
    graph = graph_from_expression("2*x", {"x": 1, "y": 5})
    assert graph.inputs == ["x"]


@pytest.mark.parametrize(("text", "values", "message"), [
    ("tan(x)", {"x": 1}, "tan is not available"),
    ("x^y", {"x": 2, "y": 3}, "variable exponent"),
    ("x", {"x": 1}, "no operation"),
    ("3 + 4", {"x": 1}, "no operation"),
    ("x + q", {"x": 1}, "unknown name 'q'"),
    ("log(x)", {"x": -1}, "logarithm"),
    ("x = x + 1", {"x": 1}, "name of a variable"),
    ("[x, 2*x]", {"x": 1}, "vector"),
    ("sin = x + 1", {"x": 1}, "function or constant"),
])
def test_expression_errors_are_clear(text, values, message):
    with pytest.raises(GraphError, match=message):
        graph_from_expression(text, values)


@pytest.mark.parametrize(("data", "message"), [
    ({"inputs": {"x": 1}, "nodes": [{"name": "u", "formula": "v + 1"}, {"name": "v", "formula": "x"}],
      "output": "u"}, "uses v before it is defined"),
    ({"inputs": {"x": 1}, "nodes": [{"name": "u", "formula": "tan(x)"}], "output": "u"}, "tan is not available"),
    ({"inputs": {"x": 1}, "nodes": [{"name": "u", "formula": "x +"}], "output": "u"}, "does not parse"),
    ({"inputs": {"x": 1}, "nodes": [{"name": "u", "formula": "x"}], "output": "q"}, "output 'q'"),
    ({"inputs": {"x": 1}, "nodes": [{"name": "u", "formula": "x"}]}, "output is missing"),
    ({"inputs": {"x": 1}, "nodes": [{"name": "u", "formula": "2"}], "output": "u"}, "constant is not a node"),
    ({"inputs": {"x": 1}, "nodes": [{"name": "x", "formula": "2*x"}], "output": "x"}, "defined twice"),
    ({"inputs": {"x": 0}, "nodes": [{"name": "u", "formula": "log(x)"}], "output": "u"}, "no value at x = 0"),
    ({"inputs": {"x": "abc"}, "nodes": [{"name": "u", "formula": "x"}], "output": "u"}, "does not parse"),
    ({"nodes": [{"name": "u", "formula": "x"}], "output": "u"}, "inputs must be"),
    ({"inputs": {"x": 1}, "nodes": [], "output": "u"}, "nodes must be"),
    ({"inputs": {"exp": 1}, "nodes": [{"name": "u", "formula": "2"}], "output": "u"}, "cannot name a node"),
    ({"inputs": {"x": 1}, "nodes": [{"name": "u", "formula": "x"}], "output": "u", "no_grad": ["q"]},
     "no_grad"),
    ("not a mapping", "a mapping"),
])
def test_block_errors_are_clear(data, message):
    with pytest.raises(GraphError, match=message):
        build_graph(data)


def test_inputs_may_be_constants_in_the_answer_language():
    graph = build_graph({"inputs": {"x": "pi/4"}, "nodes": [{"name": "u", "formula": "sin(x)^2"}], "output": "u"})
    assert graph.value("u") == pytest.approx(0.5)
    assert graph.grads["x"] == pytest.approx(1.0)  # 2 sin x cos x at π/4
