"""The steps of a challenge, in order, and the chain-rule card shown for each.

Forward: one step per node in topological order (its value). Backward: ∂L/∂L = 1 is given, then
one step per node and input (its gradient) in an order where every consumer of a node comes
before it, so its upstream gradients are known. Among the nodes that are ready, the order
follows the last step (depth first: the parents of the node just done), inputs first, then
left to right in the formula. For y = σ(w2·a1 + b2) that gives z2, w2, b2, a1, ... as the
syllabus lists them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tutor.autodiff.graph import Graph
from tutor.autodiff.numbers import fmt
from tutor.mathlang.ast import Call, Var, render

Phase = Literal["forward", "backward"]


@dataclass(frozen=True)
class Step:
    index: int
    phase: Phase
    node: str
    label: str  # "u" for a forward step, "∂y/∂u" for a backward one
    expected: float

    @property
    def key(self) -> str:
        """Stable across sessions: what the saved entries are keyed by."""
        return f"{self.phase}:{self.node}"


def gradient_label(graph: Graph, name: str) -> str:
    return f"∂{graph.output}/∂{name}"


def backward_order(graph: Graph) -> list[str]:
    """Every name whose gradient is asked, each after all of its consumers."""
    position = {name: i for i, name in enumerate(graph.nodes)}
    consumers = {name: graph.consumers(name) for name in graph.nodes}
    done_at: dict[str, int] = {graph.output: 0}
    pending = [n for n in graph.nodes if n != graph.output and n not in graph.no_grad]
    order: list[str] = []

    def priority(name: str) -> tuple:
        times = [(done_at[c], c) for c in consumers[name]]
        latest, by = max(times) if times else (-1, "")
        slot = graph.nodes[by].parents.index(name) if by else 0
        return (-latest, not graph.nodes[name].is_input, slot, position[name])

    while pending:
        ready = [n for n in pending if all(c in done_at for c in consumers[n])]
        if not ready:  # cannot happen in a DAG; never loop forever on a malformed graph
            ready = pending
        pick = min(ready, key=priority)
        done_at[pick] = len(order) + 1
        order.append(pick)
        pending.remove(pick)
    return order


def steps_of(graph: Graph) -> list[Step]:
    steps: list[Step] = []
    for name in graph.formula_nodes:
        steps.append(Step(len(steps), "forward", name, name, graph.value(name)))
    for name in backward_order(graph):
        steps.append(Step(len(steps), "backward", name, gradient_label(graph, name), graph.grads[name]))
    return steps


# -- the chain-rule card ---------------------------------------------------------------------------

@dataclass(frozen=True)
class TemplateTerm:
    """One use of the node: the contribution upstream × local through `consumer`."""

    consumer: str
    upstream: float  # ∂L/∂consumer, already known at this step
    local: float  # ∂consumer/∂node
    symbolic: str  # "∂y/∂v · ∂v/∂u"
    numeric: str  # "2.58309 × 0.315322"
    local_text: str = ""  # closed form of the local derivative, "cos(u)" (with closed_forms=True)

    @property
    def amount(self) -> float:
        return self.upstream * self.local


@dataclass(frozen=True)
class Template:
    step: Step
    symbolic: str  # "∂y/∂u = ∂y/∂v · ∂v/∂u"; for a forward step "u = x^2 + 1"
    numeric: str  # "2.58309 × 0.315322"; for a forward step "x = 0.5"
    terms: tuple[TemplateTerm, ...] = ()  # one per consumer: a sum when there are several

    @property
    def text(self) -> str:
        if self.step.phase == "forward":
            return f"{self.symbolic}, with {self.numeric}" if self.numeric else self.symbolic
        return f"{self.symbolic} = {self.numeric}"

    def __str__(self) -> str:
        return self.text


def local_symbol(graph: Graph, consumer: str, name: str) -> str:
    """∂v/∂u; for the output itself ∂(formula)/∂u, since "∂y/∂u" already names the total."""
    if consumer != graph.output:
        return f"∂{consumer}/∂{name}"
    tree = graph.nodes[consumer].tree
    shown = render(tree)  # type: ignore[arg-type]
    if not isinstance(tree, (Call, Var)):
        shown = f"({shown})"
    return f"∂{shown}/∂{name}"


def template(graph: Graph, step: Step, closed_forms: bool = False) -> Template:
    """The card for a step. `closed_forms` adds each local derivative's formula (imports SymPy)."""
    node = graph.nodes[step.node]
    if step.phase == "forward":
        given = ", ".join(f"{p} = {fmt(graph.value(p))}" for p in node.parents)
        return Template(step, node.shown, given)
    order = {name: i for i, name in enumerate(graph.nodes)}
    terms = []
    for t in sorted(graph.terms[step.node], key=lambda t: order[t.consumer]):
        local = local_symbol(graph, t.consumer, step.node)
        if t.consumer == graph.output:
            symbolic, numeric = local, fmt(t.local)  # upstream ∂L/∂L = 1
        else:
            symbolic, numeric = f"∂{graph.output}/∂{t.consumer} · {local}", f"{fmt(t.upstream)} × {fmt(t.local)}"
        text = graph.local_text(t.consumer, step.node) if closed_forms else ""
        terms.append(TemplateTerm(t.consumer, t.upstream, t.local, symbolic, numeric, text))
    if not terms:
        return Template(step, f"{step.label} = 0", f"0 ({step.node} does not feed {graph.output})")
    return Template(step, f"{step.label} = " + " + ".join(t.symbolic for t in terms),
                    " + ".join(t.numeric for t in terms), tuple(terms))
