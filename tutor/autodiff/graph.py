"""A computation graph of *named* nodes, from a lesson's ```backprop block or a typed expression.

How a formula becomes a node: the learner steps over the names the author chose, so a node's
formula may be compound (`z = w*x + b`) and still be one node. Its forward value and its local
derivative with respect to each named parent come from the engine: the formula's tree is built
out of engine ops over fresh leaves for the parents, and one backward pass through that little
graph gives ∂node/∂parent, exact up to floating point. (The closed form shown to the learner,
"∂z/∂w = x", comes from SymPy in `symbolic`, only when asked.) The named nodes are then engine
Values themselves, whose backward pass accumulates the gradients over fan-out.

A typed expression becomes a graph in `expression`, one node per operation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from tutor.autodiff import engine, walk
from tutor.autodiff.engine import DomainError, Value
from tutor.autodiff.numbers import NoValue, fmt, read_number
from tutor.mathlang import MathError, parse
from tutor.mathlang.ast import Node, Var, names_in, render
from tutor.mathlang.names import CONSTANTS, FORBIDDEN, FUNCTIONS

_NAME = re.compile(r"[A-Za-z_\u0370-\u03ff][A-Za-z0-9_\u0370-\u03ff]*\Z")

# How a primitive op is called in feedback: "the × node".
OP_SYMBOLS = {"add": "+", "sub": "−", "mul": "×", "div": "÷", "pow": "power", "neg": "negation"}


class GraphError(ValueError):
    """The block or expression does not describe a graph we can build; the message says why."""


@dataclass(frozen=True)
class GraphNode:
    name: str
    formula: str  # as written; "" for an input
    tree: Node | None  # the parsed formula; None for an input
    parents: tuple[str, ...]  # named parents, in order of first appearance in the formula
    value: float
    local: tuple[float, ...]  # ∂node/∂parent for each parent, at the forward values
    op: str  # "input", an engine op for a one-operation formula ("mul", "sin"...), or "formula"

    @property
    def is_input(self) -> bool:
        return self.op == "input"

    @property
    def shown(self) -> str:
        """"u = x^2 + 1", as the card writes it."""
        return self.name if self.is_input else f"{self.name} = {render(self.tree)}"  # type: ignore[arg-type]

    def local_of(self, parent: str) -> float:
        return self.local[self.parents.index(parent)]


@dataclass(frozen=True)
class Term:
    """One contribution to ∂L/∂parent, through one consumer: upstream ∂L/∂consumer × local."""

    consumer: str
    parent: str
    upstream: float
    local: float

    @property
    def amount(self) -> float:
        return self.upstream * self.local


@dataclass
class Graph:
    nodes: dict[str, GraphNode]  # inputs first, then the nodes in forward order
    output: str
    no_grad: frozenset[str] = frozenset()  # inputs whose gradient is not asked (data, targets)
    grads: dict[str, float] = field(default_factory=dict)  # ∂output/∂name for every name
    terms: dict[str, tuple[Term, ...]] = field(default_factory=dict)  # name -> its contributions
    title: str = ""

    @property
    def inputs(self) -> list[str]:
        return [n for n, node in self.nodes.items() if node.is_input]

    @property
    def formula_nodes(self) -> list[str]:
        """The non-input nodes in forward (topological) order."""
        return [n for n, node in self.nodes.items() if not node.is_input]

    def value(self, name: str) -> float:
        return self.nodes[name].value

    def consumers(self, name: str) -> list[str]:
        return [n for n, node in self.nodes.items() if name in node.parents]

    def local(self, node: str, parent: str) -> float:
        return self.nodes[node].local_of(parent)

    def local_text(self, node: str, parent: str) -> str:
        """The closed form of ∂node/∂parent, e.g. "cos(u)". Imports SymPy on first use."""
        from tutor.autodiff.symbolic import derivative_text

        tree = self.nodes[node].tree
        assert tree is not None, f"{node} is an input"
        return derivative_text(tree, parent)

    def describe_op(self, node: str) -> str:
        """"the × node c = a·b" for one operation, "u = x^2 + 1" for a compound formula."""
        n = self.nodes[node]
        symbol = OP_SYMBOLS.get(n.op, n.op)
        return n.shown if n.op == "formula" else f"the {symbol} node {n.shown}"

    def forward(self, values: Mapping[str, float] | None = None,
                override: Mapping[str, float] | None = None) -> dict[str, float]:
        """Every node's value for other input `values`; a node in `override` is held at that value
        and only what follows it is recomputed (a finite difference through an inner node).
        Raises engine.DomainError where a value is undefined."""
        values, override = values or {}, override or {}
        env: dict[str, Value] = {}
        for name in self.nodes:
            if name in override:
                env[name] = Value(float(override[name]), label=name)
            elif self.nodes[name].is_input:
                env[name] = Value(float(values.get(name, self.value(name))), label=name)
            else:
                env[name] = walk.to_value(self.nodes[name].tree, env)  # type: ignore[arg-type]
        return {name: v.data for name, v in env.items()}

    def block(self) -> dict[str, Any]:
        """The graph as a ```backprop block's data (what an expression was split into)."""
        data: dict[str, Any] = {
            "inputs": {n: self.value(n) for n in self.inputs},
            "nodes": [{"name": n, "formula": self.nodes[n].formula} for n in self.formula_nodes],
            "output": self.output,
        }
        if self.no_grad:
            data["no_grad"] = [n for n in self.inputs if n in self.no_grad]
        return data


# -- names and numbers ---------------------------------------------------------------------------

def check_name(name: Any) -> str | None:
    """Why `name` cannot name a node, or None when it can."""
    if not isinstance(name, str) or not _NAME.match(name):
        return f"'{name}' is not a name (letters, digits and _, starting with a letter)"
    # `e` may name a node (the syllabus's error e = y − ŷ): a declared name wins over Euler's e.
    if name in FUNCTIONS or name in FORBIDDEN or CONSTANTS.get(name) == "pi":
        return f"'{name}' is a function or constant of the answer language and cannot name a node"
    try:
        tree = parse(name, (name,)).tree
    except MathError as err:
        return f"'{name}' cannot name a node: {err.message}"
    if tree != Var(name):
        return f"'{name}' cannot name a node: it reads as {render(tree)}"
    return None


def number(value: Any, what: str) -> float:
    """A number from YAML: an int or float, or answer-language text such as "pi/4" or "-0.5"."""
    if isinstance(value, bool):
        raise GraphError(f"{what} must be a number, not {value}")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return read_number(value)
        except MathError as err:
            raise GraphError(f"{what} '{value}' does not parse: {err.message}") from err
        except NoValue as err:
            raise GraphError(f"{what} '{value}' has no value: {err}") from err
    raise GraphError(f"{what} must be a number, not {type(value).__name__}")


# -- reading a block -----------------------------------------------------------------------------

@dataclass
class Spec:
    """A block read and parsed, before anything is computed."""

    inputs: dict[str, float]
    nodes: list[tuple[str, str, Node]]  # (name, formula as written, tree)
    output: str
    no_grad: tuple[str, ...] = ()
    title: str = ""


def read_block(data: Any) -> tuple[Spec | None, list[str]]:
    """Parse a ```backprop block's data; every problem found, not only the first."""
    if not isinstance(data, Mapping):
        return None, ["a backprop block is a mapping with inputs, nodes and output"]
    problems: list[str] = []
    inputs = _read_inputs(data.get("inputs"), problems)
    names: list[str] = list(inputs)
    nodes: list[tuple[str, str, Node]] = []
    raw_nodes = data.get("nodes")
    if not isinstance(raw_nodes, list) or not raw_nodes:
        problems.append("nodes must be a non-empty list of {name, formula}")
        raw_nodes = []
    all_names = list(inputs) + [n.get("name") for n in raw_nodes if isinstance(n, Mapping)]
    for i, item in enumerate(raw_nodes, start=1):
        if not isinstance(item, Mapping) or "name" not in item or "formula" not in item:
            problems.append(f"node {i} must be a mapping with name and formula")
            continue
        name, formula = item["name"], str(item["formula"])
        why = check_name(name)
        if why:
            problems.append(f"node {i}: {why}")
            continue
        if name in names:
            problems.append(f"node {name} is defined twice")
            continue
        tree = _read_formula(name, formula, tuple(names), all_names, problems)
        names.append(name)
        if tree is not None:
            nodes.append((name, formula, tree))
    output = data.get("output")
    if output is None:
        problems.append("output is missing: name the node whose gradient is taken (the loss)")
    elif output not in names or output in inputs:
        problems.append(f"output '{output}' is not one of the nodes")
    no_grad = data.get("no_grad") or []
    if not isinstance(no_grad, list) or any(n not in inputs for n in no_grad):
        problems.append("no_grad must be a list of input names")
        no_grad = []
    if problems:
        return None, problems
    return Spec(inputs, nodes, str(output), tuple(no_grad), str(data.get("title") or "")), []


def _read_inputs(raw: Any, problems: list[str]) -> dict[str, float]:
    if not isinstance(raw, Mapping) or not raw:
        problems.append("inputs must be a mapping of names to numbers, e.g. {x: 0.5}")
        return {}
    inputs: dict[str, float] = {}
    for name, value in raw.items():
        why = check_name(name)
        if why:
            problems.append(f"input {why}")
            continue
        try:
            inputs[name] = number(value, f"input {name}")
        except GraphError as err:
            problems.append(str(err))
    return inputs


def _read_formula(name: str, formula: str, earlier: tuple[str, ...], everything: list,
                  problems: list[str]) -> Node | None:
    try:
        tree = parse(formula, earlier).tree
    except MathError as err:
        later = [n for n in everything if isinstance(n, str) and n not in earlier and n != name]
        try:
            used = names_in(parse(formula, earlier + tuple(later)).tree)
        except MathError:
            used = set()
        late = [n for n in later if n in used]
        if late:
            problems.append(f"node {name} uses {', '.join(late)} before it is defined "
                            "(list nodes in forward order)")
        else:
            problems.append(f"node {name}: formula '{formula}' does not parse: {err.message}")
        return None
    try:
        walk.check_supported(tree)
    except walk.Unsupported as err:
        problems.append(f"node {name}: {err}")
        return None
    if not names_in(tree):
        problems.append(f"node {name}: formula '{formula}' uses no earlier name; a constant is not a node")
        return None
    return tree


# -- building ------------------------------------------------------------------------------------

def build_graph(data: Any) -> Graph:
    """The graph of a ```backprop block (or backprop exercise) data. Raises GraphError."""
    spec, problems = read_block(data)
    if spec is None:
        raise GraphError("; ".join(problems))
    return build(spec)


def build(spec: Spec) -> Graph:
    nodes: dict[str, GraphNode] = {}
    named: dict[str, Value] = {}
    for name, value in spec.inputs.items():
        nodes[name] = GraphNode(name, "", None, (), value, (), "input")
        named[name] = Value(value, label=name)
    for name, formula, tree in spec.nodes:
        parents = walk.parents_in(tree)
        value, local = _evaluate(name, tree, parents, named)
        op = walk.single_op(tree) or "formula"
        nodes[name] = GraphNode(name, formula, tree, parents, value, local, op)
        named[name] = Value(value, tuple(named[p] for p in parents), local, op, label=name)
    graph = Graph(nodes, spec.output, frozenset(spec.no_grad), title=spec.title)
    _backprop(graph, named)
    return graph


def _evaluate(name: str, tree: Node, parents: tuple[str, ...], named: Mapping[str, Value]
              ) -> tuple[float, tuple[float, ...]]:
    """The node's value, and ∂node/∂parent by a backward pass through its formula alone."""
    leaves = {p: Value(named[p].data, label=p) for p in parents}
    try:
        result = walk.to_value(tree, leaves)
    except DomainError as err:
        at = ", ".join(f"{p} = {fmt(named[p].data)}" for p in parents)
        raise GraphError(f"node {name} = {render(tree)} has no value at {at}: {err}") from err
    except walk.Unsupported as err:
        raise GraphError(f"node {name}: {err}") from err
    engine.backward(result)
    return result.data, tuple(leaves[p].grad for p in parents)


def _backprop(graph: Graph, named: dict[str, Value]) -> None:
    """Run the engine over the named nodes; keep each gradient and each contribution to it."""
    name_of = {id(v): n for n, v in named.items()}
    root = named[graph.output]
    contributions = engine.backward(root)
    graph.grads = {n: 0.0 for n in graph.nodes}
    graph.grads.update({name_of[id(v)]: v.grad for v in engine.topological_order(root)})
    terms: dict[str, list[Term]] = {n: [] for n in graph.nodes}
    for c in contributions:
        parent = name_of[id(c.parent)]
        terms[parent].append(Term(name_of[id(c.child)], parent, c.upstream, c.local))
    graph.terms = {n: tuple(t) for n, t in terms.items()}
