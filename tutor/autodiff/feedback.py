"""Judging one step of a challenge, with feedback aimed at the mistake made.

A wrong number is compared with what each classic slip would have produced: the forward value
for the gradient, the wrong sign, a local derivative taken as 1, a forgotten use of a value that
feeds several nodes, the upstream gradient left out, a consumer's value used for its gradient.
The first that matches names the slip; a near miss asks for more digits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

from tutor.autodiff import walk
from tutor.autodiff.engine import DomainError, Value
from tutor.autodiff.graph import Graph
from tutor.autodiff.numbers import NoValue, close, fmt, read_number
from tutor.autodiff.steps import Step, local_symbol, template
from tutor.checking.verdict import Status
from tutor.mathlang import MathError
from tutor.mathlang.ast import BinOp, Call, Const, Neg, Node, Num, Pow, render

_DEGREE = BinOp("/", Const("pi"), Num(Fraction(180), "180"))  # π/180


@dataclass(frozen=True)
class StepVerdict:
    status: Status
    message: str
    diagnosis: str | None = None  # a short code: "sign", "missed-contribution", "local-as-one"...
    value: float | None = None  # the number read from the learner's text
    step: int = -1
    error_column: int | None = None  # 1-based column of a syntax error, for a caret

    @property
    def correct(self) -> bool:
        return self.status == "correct"


@dataclass(frozen=True)
class _Slip:
    code: str
    value: float  # what the answer would be with this slip
    message: str | Callable[[], str]  # a callable when writing it is costly (a closed form: SymPy)

    def text(self) -> str:
        return self.message if isinstance(self.message, str) else self.message()


def judge(graph: Graph, step: Step, text: str) -> StepVerdict:
    if not text.strip():
        return StepVerdict("invalid", "Type a number first.", step=step.index)
    try:
        value = read_number(text)
    except MathError as err:
        return StepVerdict("invalid", err.message, step=step.index, error_column=err.column)
    except NoValue as err:
        return StepVerdict("invalid", f"Your answer has no value: {err}.", step=step.index)
    expected = step.expected
    if close(value, expected):
        return StepVerdict("correct", "Correct.", value=value, step=step.index)
    slips = _forward_slips(graph, step) if step.phase == "forward" else _backward_slips(graph, step)
    for slip in slips:
        if close(value, slip.value) and not close(slip.value, expected):
            return StepVerdict("incorrect", slip.text(), slip.code, value, step.index)
    if expected != 0 and abs(value / expected - 1) < 1e-2:
        return StepVerdict("incorrect", "Close, but not within the tolerance: keep at least six significant "
                                        "figures and round only at the end.", "precision", value, step.index)
    card = template(graph, step)
    if step.phase == "forward":
        hint = f"Compute {card.text}."
    else:
        hint = f"Work it out as upstream × local: {card.symbolic}."
    return StepVerdict("incorrect", f"Not correct: {fmt(value)} is not {step.label}. {hint}", None, value, step.index)


# -- forward -----------------------------------------------------------------------------------------

def _forward_slips(graph: Graph, step: Step) -> list[_Slip]:
    node = graph.nodes[step.node]
    slips = [_Slip("sign", -step.expected, "The size is right but the sign is wrong.")]
    if node.tree is not None and _has_trig(node.tree):
        env = {p: Value(graph.value(p)) for p in node.parents}
        try:
            in_degrees = walk.to_value(_degrees(node.tree), env).data
        except (DomainError, walk.Unsupported):
            in_degrees = math.nan
        slips.append(_Slip("degrees", in_degrees,
                           "That is the value with the angle in degrees; sin and cos here take radians."))
    return slips


def _has_trig(tree: Node) -> bool:
    return _degrees(tree) != tree


def _degrees(tree: Node) -> Node:
    """The tree with every sin/cos argument read in degrees (a calculator left in DEG mode)."""
    if isinstance(tree, Call):
        args = tuple(_degrees(a) for a in tree.args)
        if tree.func in ("sin", "cos"):
            args = (BinOp("*", args[0], _DEGREE),)
        return Call(tree.func, args, tree.known)
    if isinstance(tree, BinOp):
        return BinOp(tree.op, _degrees(tree.left), _degrees(tree.right))
    if isinstance(tree, Neg):
        return Neg(_degrees(tree.operand))
    if isinstance(tree, Pow):
        return Pow(_degrees(tree.base), _degrees(tree.exponent))
    return tree


# -- backward ----------------------------------------------------------------------------------------

def _backward_slips(graph: Graph, step: Step) -> list[_Slip]:
    name, G = step.node, step.expected
    order = {n: i for i, n in enumerate(graph.nodes)}
    terms = sorted(graph.terms[name], key=lambda t: order[t.consumer])
    out = graph.output
    slips = [
        _Slip("forward-value", graph.value(name),
              f"That is the forward value of {name}; this step asks for the gradient {step.label}."),
        _Slip("sign", -G, "The size is right but the sign is wrong: check the sign of each local derivative."),
    ]
    if len(terms) > 1:
        users = ", ".join(t.consumer for t in terms)
        for t in terms:
            through = local_symbol(graph, t.consumer, name) if t.consumer == out else \
                f"∂{out}/∂{t.consumer} · {local_symbol(graph, t.consumer, name)}"
            slips.append(_Slip(
                "missed-contribution", G - t.amount,
                f"You forgot the contribution through {t.consumer}: {name} feeds {users}, so {step.label} "
                f"is a sum with one term per use. Through {t.consumer} it is {through}."))
        if len(terms) > 2:
            for t in terms:
                slips.append(_Slip(
                    "one-contribution", t.amount,
                    f"That is only the contribution through {t.consumer}; {name} feeds {users}: add a term "
                    "for every use."))
    for t in terms:
        if close(t.local, 1):
            continue
        slips.append(_Slip("local-as-one", G - t.amount + t.upstream,
                           lambda t=t: _local_as_one(graph, t.consumer, name, t.local)))
    if terms and not all(close(t.upstream, 1) for t in terms):
        if len(terms) == 1:
            t = terms[0]
            message = (f"That is only the local derivative ∂{t.consumer}/∂{name} = {fmt(t.local)}; multiply it "
                       f"by the upstream gradient ∂{out}/∂{t.consumer} = {fmt(t.upstream)}.")
        else:
            message = ("That adds the local derivatives alone; multiply each by the upstream gradient of its "
                       "node first.")
        slips.append(_Slip("upstream-forgotten", sum(t.local for t in terms), message))
    inner = [t for t in terms if t.consumer != out]
    if inner:
        with_values = sum((graph.value(t.consumer) if t.consumer != out else 1.0) * t.local for t in terms)
        used = inner[0].consumer
        slips.append(_Slip("value-for-gradient", with_values,
                           f"You multiplied by the value of {used} ({fmt(graph.value(used))}) instead of its "
                           f"gradient ∂{out}/∂{used}."))
    return slips


def _local_as_one(graph: Graph, consumer: str, name: str, local: float) -> str:
    node = graph.nodes[consumer]
    closed = _safe(lambda: graph.local_text(consumer, name))
    value = fmt(local)
    it_is = value if closed in ("", value) else f"{closed} = {value}"
    formula = render(node.tree)  # type: ignore[arg-type]
    if node.op == "formula":
        return (f"You used the local derivative ∂{consumer}/∂{name} of {node.shown} as 1; "
                f"with respect to {name} it is {it_is}.")
    return (f"You used the local derivative of {graph.describe_op(consumer)} as 1; for {formula} with "
            f"respect to {name} it is {it_is}.")


def _safe(make: Callable[[], str]) -> str:
    """A closed form is a courtesy: never let it break the feedback."""
    try:
        return make()
    except Exception:  # noqa: BLE001 - SymPy may refuse odd forms; the number still stands
        return ""
