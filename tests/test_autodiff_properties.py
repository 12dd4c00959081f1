"""Random small graphs: the backward pass agrees with central differences, and sums its terms."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.autodiff import Stepper, build_graph, graph_from_expression
from tutor.autodiff.numbers import fmt
from tutor.autodiff.stepper import central_difference

VARIABLES = ("x", "y", "z")
# Smooth everywhere and slow-growing, so nested random formulas stay finite. (relu, abs and max
# have kinks where a central difference disagrees by design; fixed points test them elsewhere.)
UNARY = ("sin({})", "cos({})", "tanh({})", "sigmoid({})", "exp(tanh({}))", "({})^2", "softplus({})",
         "log(1 + ({})^2)", "sqrt(1 + ({})^2)", "-({})", "({})^3/3")
BINARY = ("({}) + ({})", "({}) - ({})", "({})*({})", "({})/(2 + sin({}))")

leaf = st.sampled_from(VARIABLES) | st.sampled_from(("2", "0.5", "-1.5"))


def _extend(children):
    unary = st.tuples(st.sampled_from(UNARY), children).map(lambda t: t[0].replace("{}", t[1]))
    binary = st.tuples(st.sampled_from(BINARY), children, children).map(lambda t: t[0].format(t[1], t[2]))
    return unary | binary


expressions = st.recursive(leaf, _extend, max_leaves=8)
values = st.fixed_dictionaries({v: st.floats(-2, 2).map(lambda f: round(f, 3)) for v in VARIABLES})


def _agrees(graph, name) -> bool:
    numeric = central_difference(graph, name, 1e-6)
    analytic = graph.grads[name]
    if numeric is None:
        return True  # undefined a hair away (cannot happen with these smooth ops, but be safe)
    scale = max(1.0, abs(analytic), abs(graph.value(graph.output)) * 1e-3)
    return abs(numeric - analytic) <= 2e-4 * scale


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions, values)
def test_random_expressions_agree_with_central_differences(text, point):
    try:
        graph = graph_from_expression(text, point)
    except Exception as exc:  # noqa: BLE001 - constants-only or variable-free formulas
        assert "no operation" in str(exc) or "uses no" in str(exc), (text, exc)
        return
    for name in graph.inputs:
        assert _agrees(graph, name), (text, point, name)


@st.composite
def dags(draw):
    """A random block: each node applies an op to one or two earlier names (fan-out is common)."""
    inputs = {v: draw(st.floats(-2, 2).map(lambda f: round(f, 3))) for v in ("a", "b")}
    names = list(inputs)
    nodes = []
    for i in range(draw(st.integers(1, 6))):
        first, second = draw(st.sampled_from(names)), draw(st.sampled_from(names))
        if draw(st.booleans()):
            formula = draw(st.sampled_from(UNARY)).replace("{}", first)
        else:
            formula = draw(st.sampled_from(BINARY)).format(first, second)
        name = f"v{i}"
        nodes.append({"name": name, "formula": formula})
        names.append(name)
    # The loss uses every node, so every node feeds the output.
    loss = " + ".join(f"0.5*{n['name']}" for n in nodes)
    nodes.append({"name": "L", "formula": loss})
    return {"inputs": inputs, "nodes": nodes, "output": "L"}


@settings(max_examples=150, deadline=None)
@given(dags())
def test_random_blocks_agree_with_central_differences_and_sum_their_terms(data):
    graph = build_graph(data)
    for name in graph.nodes:
        if name == graph.output:
            continue
        assert _agrees(graph, name), (data, name)
        # Accumulation: the gradient is exactly the sum of one term per use.
        assert math.isclose(graph.grads[name], sum(t.amount for t in graph.terms[name]), rel_tol=1e-12,
                            abs_tol=1e-15)


@settings(max_examples=40, deadline=None)
@given(dags())
def test_the_engines_own_numbers_always_pass_the_stepper(data):
    s = Stepper(build_graph(data))
    while not s.done:
        expected = s.current.expected
        # repr keeps every digit: near 0 a 6-figure rounding could fall outside the 1e-9 floor.
        assert s.submit(s.index, repr(expected) if abs(expected) < 1e-3 else fmt(expected)).correct
